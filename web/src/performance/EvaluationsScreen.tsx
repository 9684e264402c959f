// Evaluations the supervisor rates: the current evaluation period's drafts and finals, and a
// start button for each team member with an approved SKP and no evaluation yet.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link, useLocation } from 'wouter';
import { MyEvaluationsDocument, PeriodsDocument, StartEvaluationDocument, TeamProgressDocument } from '../gql/graphql';
import { todayIso } from '../i18n/format';
import { t } from '../i18n/id';
import { evaluationStatusLabel } from './labels';
import { Badge, Button, Empty, Loading, Notice, PageTitle, QueryError, Section } from '../ui/components';

export function EvaluationsScreen() {
  const [, navigate] = useLocation();
  const today = todayIso();
  const [periods] = useQuery({ query: PeriodsDocument, variables: { year: Number(today.slice(0, 4)) } });
  const current = periods.data?.periods
    .flatMap((p) => p.children)
    .find((p) => p.startsOn <= today && today <= p.endsOn);
  const [evaluations] = useQuery({
    query: MyEvaluationsDocument,
    variables: { first: 50, filter: { toRate: true, periodId: current?.id ?? null } },
    pause: !current,
  });
  const [team] = useQuery({ query: TeamProgressDocument, variables: {} });
  const [starting, start] = useMutation(StartEvaluationDocument);
  const [problem, setProblem] = useState<string | null>(null);

  const rated = new Set(evaluations.data?.evaluations.edges.map((e) => e.node.employee.id));
  const startable = team.data?.teamProgress?.filter((m) => m.skp?.status === 'APPROVED' && !rated.has(m.employee.id)) ?? [];

  async function onStart(skpId: string) {
    if (!current) return;
    const result = await start({ input: { skpId, periodId: current.id } });
    const payload = result.data?.startEvaluation;
    if (payload?.evaluation) navigate(`/tim/penilaian/${payload.evaluation.id}`);
    else setProblem(payload?.userErrors[0]?.message ?? t.common.failed);
  }

  return (
    <>
      <PageTitle back="/tim">{t.evaluations.title}</PageTitle>
      <QueryError error={periods.error ?? evaluations.error} />
      {problem ? <Notice tone="error">{problem}</Notice> : null}
      {!periods.data ? <Loading /> : null}
      {periods.data && !current ? <Notice tone="info">{t.evaluations.noPeriod}</Notice> : null}
      {current ? (
        <Section title={current.name}>
          {evaluations.data && evaluations.data.evaluations.edges.length === 0 && startable.length === 0 ? <Empty>{t.evaluations.none}</Empty> : null}
          <ul className="plain-list">
            {evaluations.data?.evaluations.edges.map(({ node }) => (
              <li key={node.id} className="row">
                <Link href={`/tim/penilaian/${node.id}`}>{node.employee.name}</Link>
                <span className="row-actions">
                  {node.predikatLabel ? <Badge tone="neutral">{node.predikatLabel}</Badge> : null}
                  <Badge tone={node.status === 'FINAL' ? 'ok' : 'info'}>{evaluationStatusLabel[node.status]}</Badge>
                </span>
              </li>
            ))}
            {startable.map((m) => (
              <li key={m.employee.id} className="row">
                <span>{m.employee.name}</span>
                <Button variant="secondary" busy={starting.fetching} onClick={() => m.skp && void onStart(m.skp.id)} aria-label={t.evaluations.startLabel(m.employee.name)}>
                  {t.evaluations.start}
                </Button>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </>
  );
}
