// Competence development: the 20 JP right of the year as a progress bar, recommended courses
// with their reasons (accept -> an assignment), and the employee's own courses (confirm an
// assigned one -> enrolled).
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  AcceptRecommendationDocument,
  EnrolTrainingDocument,
  JpLedgerDocument,
  TrainingAssignmentsDocument,
  TrainingRecommendationsDocument,
} from '../gql/graphql';
import { formatDay, formatNumber } from '../i18n/format';
import { t } from '../i18n/id';
import { assignmentStatusLabel, courseModeLabel } from '../performance/labels';
import { Badge, Button, Empty, Loading, Notice, PageTitle, ProgressBar, QueryError, Section } from '../ui/components';

const JP_RIGHT = 20; // PP 11/2017 art. 203: at least 20 JP a year

export function TrainingScreen() {
  const [ledger] = useQuery({ query: JpLedgerDocument, variables: {} });
  const [recs] = useQuery({ query: TrainingRecommendationsDocument, variables: { limit: 5 } });
  const [mine] = useQuery({ query: TrainingAssignmentsDocument, variables: { first: 20, year: new Date().getFullYear() } });
  const [accept, runAccept] = useMutation(AcceptRecommendationDocument);
  const [enrol, runEnrol] = useMutation(EnrolTrainingDocument);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const jp = ledger.data?.jpLedger;

  async function onAccept(courseId: string, title: string) {
    const result = await runAccept({ input: { courseId } });
    const errors = result.data?.acceptRecommendation.userErrors ?? [];
    setMessage(result.error || errors.length ? { tone: 'error', text: errors[0]?.message ?? t.common.failed } : { tone: 'ok', text: t.training.accepted(title) });
  }

  async function onEnrol(assignmentId: string, title: string) {
    const result = await runEnrol({ input: { assignmentId } });
    const errors = result.data?.enrolTraining.userErrors ?? [];
    setMessage(result.error || errors.length ? { tone: 'error', text: errors[0]?.message ?? t.common.failed } : { tone: 'ok', text: t.training.enrolled(title) });
  }

  return (
    <>
      <PageTitle>{t.training.title}</PageTitle>
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
      <Section title={t.training.ledger(jp?.year ?? new Date().getFullYear())}>
        <QueryError error={ledger.error} />
        {jp ? (
          <>
            <ProgressBar
              label={t.training.ledgerLabel}
              value={jp.completedJp / JP_RIGHT}
              pace={jp.expectedByNow / JP_RIGHT}
              behind={jp.atRisk}
              valueText={t.training.ledgerValue(jp.completedJp)}
            />
            <p className="muted small">
              {t.training.ledgerLine(jp.completedJp, jp.plannedJp, jp.remainingJp, formatNumber(jp.expectedByNow))}
            </p>
            {jp.reached ? <Badge tone="ok">{t.training.reached}</Badge> : jp.atRisk ? <Badge tone="warn">{t.training.atRisk}</Badge> : null}
          </>
        ) : (
          <Loading />
        )}
      </Section>
      <Section title={t.training.recommendations}>
        <QueryError error={recs.error} />
        {recs.data && recs.data.trainingRecommendations?.length === 0 ? <Empty>{t.training.noRecommendations}</Empty> : null}
        <ul className="plain-list">
          {recs.data?.trainingRecommendations?.map((r) => (
            <li key={r.course.id} className="course">
              <h3>{r.course.title}</h3>
              <p className="muted small">
                {t.training.jp(r.course.jpHours)} · {courseModeLabel[r.course.mode]}
                {r.course.seatsLeft != null ? ` · ${t.training.seats(r.course.seatsLeft)}` : ''}
              </p>
              <p className="small">{t.training.why}</p>
              <ul className="reasons">
                {r.reasons.map((reason) => (
                  <li key={reason.code}>{reason.explanation}</li>
                ))}
              </ul>
              <Button busy={accept.fetching} onClick={() => void onAccept(r.course.id, r.course.title)} aria-label={t.training.acceptLabel(r.course.title)}>
                {t.training.accept}
              </Button>
            </li>
          ))}
        </ul>
      </Section>
      <Section title={t.training.mine}>
        <QueryError error={mine.error} />
        {!mine.data ? <Loading /> : null}
        {mine.data && mine.data.trainingAssignments.edges.length === 0 ? <Empty>{t.training.noneMine}</Empty> : null}
        <ul className="plain-list">
          {mine.data?.trainingAssignments.edges.map(({ node }) => (
            <li key={node.id} className="row">
              <span className="stack">
                <span>{node.course.title}</span>
                <span className="muted small">
                  {t.training.jp(node.course.jpHours)}
                  {node.dueOn ? ` · ${t.training.due(formatDay(node.dueOn))}` : ''}
                </span>
              </span>
              <span className="row-actions">
                <Badge tone={node.status === 'COMPLETED' ? 'ok' : 'info'}>{assignmentStatusLabel[node.status]}</Badge>
                {node.status === 'ASSIGNED' ? (
                  <Button variant="secondary" busy={enrol.fetching} onClick={() => void onEnrol(node.id, node.course.title)} aria-label={t.training.enrolLabel(node.course.title)}>
                    {t.training.enrol}
                  </Button>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}
