// The frame of every screen: a header with the live notification badge and the connection
// state, the content, and a bottom navigation sized for thumbs on a 360 px phone.
import { useEffect, useState, type ReactNode } from 'react';
import { useQuery, useSubscription } from 'urql';
import { Link, Redirect, useLocation } from 'wouter';
import { NotificationReceivedDocument, NotificationsDocument, type NotificationReceivedSubscription } from '../gql/graphql';
import { t } from '../i18n/id';
import { useOffline } from '../offline/OfflineProvider';
import { Logo } from '../ui/Logo';
import { cacheStorageName } from './client';
import { logOut } from './session';
import { adminHome, useIsAdmin, useIsSupervisor, useViewer } from './viewer';

function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const [location] = useLocation();
  const current = href === '/' ? location === '/' : location.startsWith(href);
  return (
    <Link href={href} className="nav-link" aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

type Live = NotificationReceivedSubscription['notificationReceived'];

export function Layout({ children }: { children: ReactNode }) {
  const viewer = useViewer();
  const supervisor = useIsSupervisor();
  const admin = useIsAdmin();
  const { online, pendingCount } = useOffline();
  const [{ data }] = useQuery({ query: NotificationsDocument, variables: { first: 1 } });
  const [live] = useSubscription<NotificationReceivedSubscription, Live | null>(
    { query: NotificationReceivedDocument },
    (_previous, event) => event.notificationReceived,
  );
  const [toast, setToast] = useState<Live | null>(null);
  useEffect(() => {
    if (!live.data) return undefined;
    setToast(live.data);
    const timer = window.setTimeout(() => setToast(null), 8000);
    return () => window.clearTimeout(timer);
  }, [live.data]);
  const unread = data?.unreadNotificationCount ?? 0;
  const [location] = useLocation();
  useEffect(() => {
    window.scrollTo(0, 0); // a new screen starts at its top
  }, [location]);

  const onLogout = () => logOut(cacheStorageName(viewer.username));

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t.nav.skip}
      </a>
      <header className="topbar">
        <Link href="/" className="brand" aria-label={t.app.home}>
          <Logo />
          <span>{t.app.short}</span>
        </Link>
        <div className="topbar-right">
          {!online ? <span className="badge badge-warn">{t.offline.offlineBadge}</span> : null}
          {pendingCount > 0 ? (
            <Link href="/aktivitas" className="badge badge-warn">
              {t.offline.pendingBadge(pendingCount)}
            </Link>
          ) : null}
          {admin ? (
            <Link href={adminHome(viewer.roles)} className="badge badge-info">
              {t.nav.admin}
            </Link>
          ) : null}
          <Link href="/notifikasi" className="bell" aria-label={t.notifications.badge(unread)}>
            <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
              <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.5-2.5h-5A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z" />
            </svg>
            {unread > 0 ? <span className="bell-count" data-testid="notification-count">{unread}</span> : null}
          </Link>
          <button type="button" className="btn btn-quiet btn-small" onClick={onLogout}>
            {t.nav.logout}
          </button>
        </div>
      </header>
      <div className="live-region" role="status" aria-live="polite">
        {toast ? (
          <div className="toast">
            <strong>{toast.title}</strong>
            {toast.body ? <span> {toast.body}</span> : null}
          </div>
        ) : null}
      </div>
      <main id="main" className="main" tabIndex={-1}>
        {viewer.employee ? children : admin ? <Redirect to={adminHome(viewer.roles)} /> : <p className="notice notice-info">{t.app.adminOnly}</p>}
      </main>
      <nav className="bottomnav" aria-label={t.nav.label}>
        <NavLink href="/">{t.nav.home}</NavLink>
        <NavLink href="/aktivitas">{t.nav.activities}</NavLink>
        <NavLink href="/umpan-balik">{t.nav.feedback}</NavLink>
        <NavLink href="/pelatihan">{t.nav.training}</NavLink>
        {supervisor ? <NavLink href="/tim">{t.nav.team}</NavLink> : null}
      </nav>
    </div>
  );
}
