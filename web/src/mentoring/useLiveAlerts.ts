// Mentoring alerts raised for the viewer while a supervisor screen is open: the cache's
// Subscription.mentoringAlertRaised update invalidates the alert lists, which then refetch.
import { useSubscription } from 'urql';
import { MentoringAlertRaisedDocument } from '../gql/graphql';

export function useLiveAlerts(): void {
  useSubscription({ query: MentoringAlertRaisedDocument });
}
