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
