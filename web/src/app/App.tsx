// The app: the session gate, the GraphQL client, the offline queue and the routes.
import { lazy, Suspense, useEffect, useMemo, useState, type ComponentType } from 'react';
import { Provider, type Client } from 'urql';
import { Redirect, Route, Switch, useLocation } from 'wouter';
import { LoginScreen } from '../accounts/LoginScreen';
import { ActivitiesScreen } from '../performance/ActivitiesScreen';
import { HomeScreen } from '../performance/HomeScreen';
import { LogActivityScreen } from '../performance/LogActivityScreen';
import { OfflineProvider } from '../offline/OfflineProvider';
import { makeClient, makeWsClient, prefetchHome } from './client';
import { Layout } from './Layout';
import { onSessionChange, readSession, type Session } from './session';
import { isAdminPath, ViewerProvider } from './viewer';
import { Loading } from '../ui/components';

// The administrators', BKPSDM's and the socialization manager's screens: a separate chunk,
// loaded only when one of their routes opens, so the employee shell keeps its budget.
const AdminApp = lazy(() => import('../admin/AdminApp'));
const AttendanceCodeScreen = lazy(() => import('../adoption/AttendanceCodeScreen'));

/**
 * A screen in its own chunk, loaded when its route first opens. Only the login, the home and
 * the offline logging screens (the form and the list of what waits to be sent) are in the
 * shell: a cold start on a slow connection downloads just what the home needs. A new screen
 * is added here the same way.
 */
function screen<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}
const EditActivityScreen = screen(() => import('../performance/EditActivityScreen'), 'EditActivityScreen');
const EvaluationScreen = screen(() => import('../performance/EvaluationScreen'), 'EvaluationScreen');
const EvaluationsScreen = screen(() => import('../performance/EvaluationsScreen'), 'EvaluationsScreen');
const MemberScreen = screen(() => import('../performance/MemberScreen'), 'MemberScreen');
const TeamScreen = screen(() => import('../performance/TeamScreen'), 'TeamScreen');
const VerifyScreen = screen(() => import('../performance/VerifyScreen'), 'VerifyScreen');
const FeedbackScreen = screen(() => import('../feedback/FeedbackScreen'), 'FeedbackScreen');
const ThreadScreen = screen(() => import('../feedback/ThreadScreen'), 'ThreadScreen');
const TrainingScreen = screen(() => import('../training/TrainingScreen'), 'TrainingScreen');
const AlertsScreen = screen(() => import('../mentoring/AlertsScreen'), 'AlertsScreen');
const SupportScreen = screen(() => import('../mentoring/SupportScreen'), 'SupportScreen');
const SurveyScreen = screen(() => import('../adoption/SurveyScreen'), 'SurveyScreen');
const NotificationsScreen = screen(() => import('../notifications/NotificationsScreen'), 'NotificationsScreen');
const NotificationSettingsScreen = screen(
  () => import('../notifications/NotificationSettingsScreen'),
  'NotificationSettingsScreen',
);
const MyPerformanceScreen = screen(() => import('../processes/MyPerformanceScreen'), 'MyPerformanceScreen');
const ObjectionsScreen = screen(() => import('../processes/ObjectionsScreen'), 'ObjectionsScreen');

function Screens() {
  const [location] = useLocation();
  if (isAdminPath(location)) {
    return (
      <Suspense fallback={<main className="main"><Loading /></main>}>
        <AdminApp />
      </Suspense>
    );
  }
  return (
    <Layout>
      <Suspense fallback={<Loading />}>
        <Routes />
      </Suspense>
    </Layout>
  );
}

function Routes() {
  return (
    <Switch>
      <Route path="/" component={HomeScreen} />
      <Route path="/aktivitas" component={ActivitiesScreen} />
      <Route path="/aktivitas/baru" component={LogActivityScreen} />
      <Route path="/aktivitas/:id" component={EditActivityScreen} />
      <Route path="/umpan-balik" component={FeedbackScreen} />
      <Route path="/umpan-balik/:id" component={ThreadScreen} />
      <Route path="/pelatihan" component={TrainingScreen} />
      <Route path="/dukungan" component={SupportScreen} />
      <Route path="/survei" component={SurveyScreen} />
      <Route path="/hadir" component={AttendanceCodeScreen} />
      <Route path="/notifikasi" component={NotificationsScreen} />
      <Route path="/notifikasi/pengaturan" component={NotificationSettingsScreen} />
      <Route path="/kinerja-saya" component={MyPerformanceScreen} />
      <Route path="/tim" component={TeamScreen} />
      <Route path="/tim/verifikasi" component={VerifyScreen} />
      <Route path="/tim/peringatan" component={AlertsScreen} />
      <Route path="/tim/penilaian" component={EvaluationsScreen} />
      <Route path="/tim/keberatan" component={ObjectionsScreen} />
      <Route path="/tim/penilaian/:id" component={EvaluationScreen} />
      <Route path="/tim/anggota/:id" component={MemberScreen} />
      <Route path="/masuk">
        <Redirect to="/" />
      </Route>
      <Route>
        <Redirect to="/" />
      </Route>
    </Switch>
  );
}

function LoggedIn({ session }: { session: Session }) {
  // One client per session: a new login never sees the previous account's cache or socket.
  const [cacheRead, setCacheRead] = useState(false);
  const { client, ws } = useMemo(() => {
    const socket = makeWsClient();
    const made: Client = makeClient(socket, session.username, () => {
      // the screens' queries start once the stored cache is in memory (see makeClient)
      prefetchHome(made);
      setCacheRead(true);
    });
    return { client: made, ws: socket };
  }, [session.username]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => () => void ws.dispose(), [ws]);
  if (!cacheRead) {
    return (
      <main className="main">
        <Loading />
      </main>
    );
  }
  return (
    <Provider value={client}>
      <ViewerProvider>
        <OfflineProvider owner={session.username}>
          <Screens />
        </OfflineProvider>
      </ViewerProvider>
    </Provider>
  );
}

export function App() {
  const [session, setSession] = useState<Session | null>(readSession);
  useEffect(() => onSessionChange(setSession), []);
  if (!session) return <LoginScreen />;
  return <LoggedIn key={session.username} session={session} />;
}
