// Who is logged in (the `Viewer` operation), for every screen: name, roles, own employee id.
import { createContext, useContext, type ReactNode } from 'react';
import { useQuery } from 'urql';
import { ViewerDocument, type ViewerQuery } from '../gql/graphql';
import { Loading, QueryError } from '../ui/components';

type ViewerData = ViewerQuery['viewer'];
const ViewerContext = createContext<ViewerData | null>(null);

export function ViewerProvider({ children }: { children: ReactNode }) {
  const [{ data, error }] = useQuery({ query: ViewerDocument });
  if (!data) return <main className="main">{error ? <QueryError error={error} /> : <Loading />}</main>;
  return <ViewerContext.Provider value={data.viewer}>{children}</ViewerContext.Provider>;
}

export function useViewer(): ViewerData {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer outside ViewerProvider');
  return viewer;
}

export function useIsSupervisor(): boolean {
  const viewer = useViewer();
  return viewer.roles.includes('ATASAN');
}

/** Roles that have screens of the administration part (lazy-loaded, under /admin and /sosialisasi). */
export const ADMIN_ROLES = ['ADMIN_OPD', 'ADMIN_BKPSDM', 'PENGELOLA_SOSIALISASI'] as const;

export function isAdminPath(path: string): boolean {
  return path === '/admin' || path.startsWith('/admin/') || path === '/sosialisasi' || path.startsWith('/sosialisasi/');
}

export function useIsAdmin(): boolean {
  const viewer = useViewer();
  return viewer.roles.some((role) => (ADMIN_ROLES as readonly string[]).includes(role));
}

/** Where an administrator starts: the socialization manager at /sosialisasi, others at /admin. */
export function adminHome(roles: readonly string[]): string {
  return roles.includes('ADMIN_OPD') || roles.includes('ADMIN_BKPSDM') ? '/admin' : '/sosialisasi';
}
