// Display labels of the schema's enum values, until the contract carries them (issue 16).
import type { ActivityStatus, AlertAction, AlertStatus, Predikat, Rating, ThreadKind, ThreadStatus } from '../gql/graphql';
import { t } from '../i18n/id';

export const activityStatusLabel: Record<ActivityStatus, string> = t.enums.activityStatus;
export const activityStatusTone: Record<ActivityStatus, 'info' | 'ok' | 'bad' | 'neutral'> = {
  SUBMITTED: 'info',
  VERIFIED: 'ok',
  REJECTED: 'bad',
  WITHDRAWN: 'neutral',
};
export const ratingLabel: Record<Rating, string> = t.enums.rating;
export const predikatLabel: Record<Predikat, string> = t.enums.predikat;
export const threadKindLabel: Record<ThreadKind, string> = t.enums.threadKind;
export const threadStatusLabel: Record<ThreadStatus, string> = t.enums.threadStatus;
export const alertStatusLabel: Record<AlertStatus, string> = t.enums.alertStatus;
export const alertActionLabel: Record<AlertAction, string> = t.enums.alertAction;
