// The app: the session gate, the GraphQL client, the offline queue and the routes.
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Provider } from 'urql';
import { Redirect, Route, Switch, useLocation } from 'wouter';
import { LoginScreen } from '../accounts/LoginScreen';
import { ActivitiesScreen } from '../performance/ActivitiesScreen';
import { EditActivityScreen } from '../performance/EditActivityScreen';
import { EvaluationScreen } from '../performance/EvaluationScreen';
import { EvaluationsScreen } from '../performance/EvaluationsScreen';
import { HomeScreen } from '../performance/HomeScreen';
import { LogActivityScreen } from '../performance/LogActivityScreen';
import { MemberScreen } from '../performance/MemberScreen';
import { TeamScreen } from '../performance/TeamScreen';
import { VerifyScreen } from '../performance/VerifyScreen';
import { FeedbackScreen } from '../feedback/FeedbackScreen';
import { ThreadScreen } from '../feedback/ThreadScreen';
import { TrainingScreen } from '../training/TrainingScreen';
import { AlertsScreen } from '../mentoring/AlertsScreen';
import { SupportScreen } from '../mentoring/SupportScreen';
import { SurveyScreen } from '../adoption/SurveyScreen';
import { NotificationsScreen } from '../notifications/NotificationsScreen';
import { NotificationSettingsScreen } from '../notifications/NotificationSettingsScreen';
import { MyPerformanceScreen } from '../processes/MyPerformanceScreen';
import { ObjectionsScreen } from '../processes/ObjectionsScreen';
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
      <Routes />
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
      <Route path="/hadir">
        <Suspense fallback={<Loading />}>
          <AttendanceCodeScreen />
        </Suspense>
      </Route>
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
  const { client, ws } = useMemo(() => {
    const socket = makeWsClient();
    const made = makeClient(socket, session.username);
    prefetchHome(made);
    return { client: made, ws: socket };
  }, [session.username]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => () => void ws.dispose(), [ws]);
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
