// The administration part of the app (ADMIN_OPD, ADMIN_BKPSDM, PENGELOLA_SOSIALISASI): a desktop
// first frame with a side navigation per role, and its routes. Loaded lazily by app/App.tsx,
// so none of this (nor the charting library) weighs on the employee shell.
import { lazy, Suspense, type ReactNode } from 'react';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { cacheStorageName } from '../app/client';
import { logOut } from '../app/session';
import { adminHome, useViewer } from '../app/viewer';
import { Loading } from '../ui/components';
import { Logo } from '../ui/Logo';
import { roleLabel } from '../performance/labels';
import { a } from './strings';
import './admin.css';
import { AdminHome } from './AdminHome';
import { PeriodsScreen } from './PeriodsScreen';
import { ImportScreen } from './ImportScreen';
import { OrgScreen } from './OrgScreen';

// Larger screens (and those with charts) are chunks of their own.
const AccountsScreen = lazy(() => import('./AccountsScreen'));
const CurveScreen = lazy(() => import('./CurveScreen'));
const IncentivesScreen = lazy(() => import('./IncentivesScreen'));
const AuditScreen = lazy(() => import('./AuditScreen'));
const ModelScreen = lazy(() => import('./ModelScreen'));
const ActingScreen = lazy(() => import('./ActingScreen'));
const ReportsScreen = lazy(() => import('./ReportsScreen'));
const MutasiScreen = lazy(() => import('./MutasiScreen'));
const ProgramsScreen = lazy(() => import('../adoption/admin/ProgramsScreen'));
const SessionScreen = lazy(() => import('../adoption/admin/SessionScreen'));
const SurveysAdminScreen = lazy(() => import('../adoption/admin/SurveysAdminScreen'));
const AdoptionDashboard = lazy(() => import('../adoption/admin/AdoptionDashboard'));


type Link_ = { href: string; label: string; roles: string[] };
const LINKS: Link_[] = [
  { href: '/admin', label: a.nav.home, roles: ['ADMIN_OPD', 'ADMIN_BKPSDM'] },
  { href: '/admin/periode', label: a.nav.periods, roles: ['ADMIN_OPD', 'ADMIN_BKPSDM'] },
  { href: '/admin/impor', label: a.nav.import, roles: ['ADMIN_OPD', 'ADMIN_BKPSDM'] },
  { href: '/admin/organisasi', label: a.nav.org, roles: ['ADMIN_OPD', 'ADMIN_BKPSDM'] },
  { href: '/admin/akun', label: a.nav.accounts, roles: ['ADMIN_OPD', 'ADMIN_BKPSDM'] },
  { href: '/admin/kurva', label: a.nav.curve, roles: ['ADMIN_OPD', 'ADMIN_BKPSDM'] },
  { href: '/admin/tpp', label: a.nav.incentives, roles: ['ADMIN_OPD', 'ADMIN_BKPSDM'] },
  { href: '/admin/plt', label: a.nav.acting, roles: ['ADMIN_OPD', 'ADMIN_BKPSDM'] },
  { href: '/admin/mutasi', label: a.nav.mutasi, roles: ['ADMIN_OPD', 'ADMIN_BKPSDM'] },
  { href: '/admin/laporan', label: a.nav.reports, roles: ['ADMIN_OPD', 'ADMIN_BKPSDM'] },
  { href: '/admin/audit', label: a.nav.audit, roles: ['ADMIN_BKPSDM'] },
  { href: '/admin/model', label: a.nav.model, roles: ['ADMIN_BKPSDM'] },
  { href: '/sosialisasi', label: a.nav.programs, roles: ['PENGELOLA_SOSIALISASI', 'ADMIN_BKPSDM'] },
  { href: '/sosialisasi/survei', label: a.nav.surveys, roles: ['PENGELOLA_SOSIALISASI', 'ADMIN_BKPSDM'] },
  { href: '/sosialisasi/adopsi', label: a.nav.adoption, roles: ['PENGELOLA_SOSIALISASI', 'ADMIN_BKPSDM', 'ADMIN_OPD'] },
];

function SideLink({ href, children }: { href: string; children: ReactNode }) {
  const [location] = useLocation();
  const root = href === '/admin' || href === '/sosialisasi';
  const current = root ? location === href || (href === '/sosialisasi' && location.startsWith('/sosialisasi/sesi')) : location.startsWith(href);
  return (
    <Link href={href} className="side-link" aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

function AdminLayout({ children }: { children: ReactNode }) {
  const viewer = useViewer();
  const links = LINKS.filter((l) => l.roles.some((r) => viewer.roles.includes(r as never)));
  const onLogout = () => logOut(cacheStorageName(viewer.username));
  return (
    <div className="shell admin-shell">
      <a className="skip-link" href="#main">
        {a.nav.skip}
      </a>
      <header className="topbar">
        <Link href={adminHome(viewer.roles)} className="brand" aria-label={a.nav.brand}>
          <Logo />
          <span>{a.nav.brandShort}</span>
        </Link>
        <div className="topbar-right">
          <span className="small">
            {viewer.username} · {viewer.roles.filter((r) => r !== 'PEGAWAI').map((r) => roleLabel[r]).join(', ')}
          </span>
          {viewer.employee ? (
            <Link href="/" className="badge badge-info">
              {a.nav.employeeApp}
            </Link>
          ) : null}
          <button type="button" className="btn btn-quiet btn-small" onClick={onLogout}>
            {a.nav.logout}
          </button>
        </div>
      </header>
      <div className="admin-body">
        <nav className="sidenav" aria-label={a.nav.label}>
          {links.map((l) => (
            <SideLink key={l.href} href={l.href}>
              {l.label}
            </SideLink>
          ))}
        </nav>
        <main id="main" className="main admin-main" tabIndex={-1}>
          <Suspense fallback={<Loading />}>{children}</Suspense>
        </main>
      </div>
    </div>
  );
}

export default function AdminApp() {
  const viewer = useViewer();
  return (
    <AdminLayout>
      <Switch>
        <Route path="/admin" component={AdminHome} />
        <Route path="/admin/periode" component={PeriodsScreen} />
        <Route path="/admin/impor" component={ImportScreen} />
        <Route path="/admin/organisasi" component={OrgScreen} />
        <Route path="/admin/akun" component={AccountsScreen} />
        <Route path="/admin/kurva" component={CurveScreen} />
        <Route path="/admin/tpp" component={IncentivesScreen} />
        <Route path="/admin/audit" component={AuditScreen} />
        <Route path="/admin/model" component={ModelScreen} />
        <Route path="/admin/plt" component={ActingScreen} />
        <Route path="/admin/mutasi" component={MutasiScreen} />
        <Route path="/admin/laporan" component={ReportsScreen} />
        <Route path="/sosialisasi" component={ProgramsScreen} />
        <Route path="/sosialisasi/sesi/:id" component={SessionScreen} />
        <Route path="/sosialisasi/survei" component={SurveysAdminScreen} />
        <Route path="/sosialisasi/adopsi" component={AdoptionDashboard} />
        <Route>
          <Redirect to={adminHome(viewer.roles)} />
        </Route>
      </Switch>
    </AdminLayout>
  );
}
