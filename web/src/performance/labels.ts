// Display labels of the schema's enum values, from the contract: graphql/enum-labels.json is the
// enumLabels query's answer, exported by the server (`portal export-enum-labels`) and checked
// against it by tests/contract, so the app keeps no label table of its own and every screen
// names a value as the API, the official documents and other front ends do.
import {
  ActingKind as acting,
  ActivityStatus as activity,
  AlertAction as alertAction,
  AlertStatus as alertStatus,
  AssignmentStatus as assignment,
  CoachingKind as coachingKind,
  CoachingStatus as coachingStatus,
  CourseMode as courseMode,
  EvaluationStatus as evaluation,
  OrgPredikat as orgPredikat,
  PeriodKind as periodKind,
  PeriodStatus as periodStatus,
  Predikat as predikat,
  Rating as rating,
  Role as role,
  ThreadKind as threadKind,
  ThreadStatus as threadStatus,
} from '../../../graphql/enum-labels.json';
import type {
  ActingKind,
  ActivityStatus,
  AlertAction,
  AlertStatus,
  AssignmentStatus,
  CoachingKind,
  CoachingStatus,
  CourseMode,
  EvaluationStatus,
  OrgPredikat,
  PeriodKind,
  PeriodStatus,
  Predikat,
  Rating,
  Role,
  ThreadKind,
  ThreadStatus,
} from '../gql/graphql';

export const activityStatusLabel: Record<ActivityStatus, string> = activity;
export const activityStatusTone: Record<ActivityStatus, 'info' | 'ok' | 'bad' | 'neutral'> = {
  SUBMITTED: 'info',
  VERIFIED: 'ok',
  REJECTED: 'bad',
  WITHDRAWN: 'neutral',
};
export const ratingLabel: Record<Rating, string> = rating;
export const predikatLabel: Record<Predikat, string> = predikat;
export const orgPredikatLabel: Record<OrgPredikat, string> = orgPredikat;
export const evaluationStatusLabel: Record<EvaluationStatus, string> = evaluation;
export const threadKindLabel: Record<ThreadKind, string> = threadKind;
export const threadStatusLabel: Record<ThreadStatus, string> = threadStatus;
export const alertStatusLabel: Record<AlertStatus, string> = alertStatus;
export const alertActionLabel: Record<AlertAction, string> = alertAction;
export const assignmentStatusLabel: Record<AssignmentStatus, string> = assignment;
export const courseModeLabel: Record<CourseMode, string> = courseMode;
export const coachingKindLabel: Record<CoachingKind, string> = coachingKind;
export const coachingStatusLabel: Record<CoachingStatus, string> = coachingStatus;
export const roleLabel: Record<Role, string> = role;
export const periodKindLabel: Record<PeriodKind, string> = periodKind;
export const periodStatusLabel: Record<PeriodStatus, string> = periodStatus;
export const actingKindLabel: Record<ActingKind, string> = acting;
