// BKPSDM's view of the mentoring-support model: the version in use (the registry's newest), its
// hold-out metrics, the gaps between subgroups, the last scoring run (phase times and input
// drift), what supervisors did with the alerts per OPD, and the model card. Aggregates only:
// no individual score ever appears outside the supervisor chain.
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { MentoringModelsDocument, MentoringMonitoringDocument, type MentoringMonitoringQuery } from '../gql/graphql';
import { formatDateTime, formatDay, formatPercent, LOCALE } from '../i18n/format';
import { Badge, Empty, Loading, PageTitle, QueryError, Section, TextField } from '../ui/components';
import { ChartView } from './Chart';
import { model } from './strings';

type Metrics = Record<string, number>;

// model metrics need three decimals (0,745), not the app's one
const metric = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
const formatNumber = (value: number) => metric.format(value);
interface Meta {
  created_at?: string;
  training_data_range?: { from: string; to: string };
  rows?: Record<string, number>;
  metrics?: { model?: Metrics; subgroups?: Record<string, { gaps?: Record<string, { gap: number; lowest: string; highest: string }> }> };
}

type Run = MentoringMonitoringQuery['mentoringScoringRuns'][number];
type Outcomes = MentoringMonitoringQuery['mentoringAlertOutcomes'];
const seconds = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const OUTCOMES = ['alerts', 'open', 'acknowledged', 'coached', 'trainingRecommended', 'dismissed', 'resolved'] as const;

function LastRun({ run }: { run: Run | undefined }) {
  if (!run) return <Empty>{model.noRun}</Empty>;
  const total = run.phases.reduce((n, p) => n + p.seconds, 0);
  return (
    <>
      <p className="muted small">{model.runAt(formatDateTime(run.createdAt), formatDay(run.asOf), run.modelVersion)}</p>
      <ul className="stats" aria-label={model.run}>
        <li>
          <strong data-testid="run-scored">{run.scored}</strong> {model.scored}
        </li>
        <li>
          <strong>{run.high}</strong> {model.high}
        </li>
        <li>
          <strong>{formatPercent(run.missingShare)}</strong> {model.missing}
          {run.trainingMissingShare != null ? ` (${model.missingVs(formatPercent(run.trainingMissingShare))})` : ''}
        </li>
        <li>
          <strong>{run.maxPsi != null ? formatNumber(run.maxPsi) : '—'}</strong> {model.maxPsi}
        </li>
        <li>
          <strong>{run.drifted ? <Badge tone="warn">{model.drifted}</Badge> : <Badge tone="ok">{model.stable}</Badge>}</strong> {model.drift}
        </li>
      </ul>
      {run.driftedFeatures.length ? <p className="small">{model.driftedFeatures(run.driftedFeatures.join(', '))}</p> : null}
      <div className="grid-2 curve-grid">
        <table className="data-table" aria-label={model.phases}>
          <thead>
            <tr>
              <th scope="col">{model.phase}</th>
              <th scope="col" className="num">
                {model.seconds}
              </th>
            </tr>
          </thead>
          <tbody>
            {run.phases.map((p) => (
              <tr key={p.name}>
                <th scope="row">{model.phaseNames[p.name] ?? p.name}</th>
                <td className="num">{seconds.format(p.seconds)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{model.total}</th>
              <td className="num">{seconds.format(total)}</td>
            </tr>
          </tfoot>
        </table>
        <table className="data-table" aria-label={model.features}>
          <thead>
            <tr>
              <th scope="col">{model.feature}</th>
              <th scope="col" className="num">
                {model.psi}
              </th>
              <th scope="col" className="num">
                {model.featureMissing}
              </th>
            </tr>
          </thead>
          <tbody>
            {run.features.map((f) => (
              <tr key={f.feature}>
                <th scope="row">
                  <code>{f.feature}</code>
                </th>
                <td className="num">{f.psi != null ? formatNumber(f.psi) : '—'}</td>
                <td className="num">{formatPercent(f.missingShare)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function AlertOutcomes({ rows, empty }: { rows: Outcomes; empty: string }) {
  const totals = useMemo(() => OUTCOMES.slice(1).map((k) => rows.reduce((n, r) => n + r[k], 0)), [rows]);
  const labels = useMemo(() => OUTCOMES.slice(1).map((k) => model.outcomeNames[k]), []);
  const series = useMemo(() => [{ label: model.outcomeNames.alerts, data: totals }], [totals]);
  if (!rows.length) return <Empty>{empty}</Empty>;
  return (
    <>
      <ChartView kind="bar" labels={labels} series={series} summary={model.outcomeSummary(labels.map((l, i) => `${l} ${totals[i]}`).join(', '))} height={200} testId="outcome-chart" />
      <div className="table-wrap">
        <table className="data-table" aria-label={model.outcomes}>
          <thead>
            <tr>
              <th scope="col">{model.opd}</th>
              {OUTCOMES.map((k) => (
                <th key={k} scope="col" className="num">
                  {model.outcomeNames[k]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.opd?.id ?? 'x'}>
                <th scope="row">{r.opd?.name ?? '—'}</th>
                {OUTCOMES.map((k) => (
                  <td key={k} className="num">
                    {r[k]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Monitoring() {
  const [range, setRange] = useState({ from: '', to: '' });
  const variables = { runs: 1, dateFrom: range.from || null, dateTo: range.to || null };
  const [{ data, error }] = useQuery({ query: MentoringMonitoringDocument, variables });
  const set = (key: 'from' | 'to') => (e: { target: { value: string } }) => setRange({ ...range, [key]: e.target.value });
  return (
    <>
      <Section title={model.run}>{data ? <LastRun run={data.mentoringScoringRuns[0]} /> : error ? null : <Loading />}</Section>
      <Section title={model.outcomes}>
        <p className="muted small">{model.outcomesIntro}</p>
        <div className="form toolbar">
          <TextField label={model.raisedFrom} type="date" value={range.from} max={range.to || undefined} onChange={set('from')} />
          <TextField label={model.raisedTo} type="date" value={range.to} min={range.from || undefined} onChange={set('to')} />
        </div>
        <QueryError error={error} />
        {data ? (
          <AlertOutcomes rows={data.mentoringAlertOutcomes} empty={range.from || range.to ? model.noOutcomesInRange : model.noOutcomes} />
        ) : error ? null : (
          <Loading />
        )}
      </Section>
    </>
  );
}

const SHOWN = ['roc_auc', 'pr_auc', 'recall_at_capacity', 'precision_at_capacity', 'flagged_share', 'brier'];

export default function ModelScreen() {
  const [{ data, error }] = useQuery({ query: MentoringModelsDocument });
  const versions = data?.mentoringModels ?? [];
  const active = versions[0];
  const meta = (active?.metadata ?? {}) as Meta;
  const gaps = useMemo(
    () => Object.entries(meta.metrics?.subgroups ?? {}).flatMap(([group, g]) => (g.gaps?.roc_auc ? [{ group, ...g.gaps.roc_auc }] : [])),
    [meta],
  );
  const labels = useMemo(() => gaps.map((g) => g.group), [gaps]);
  const series = useMemo(() => [{ label: `${model.gap} ROC-AUC`, data: gaps.map((g) => g.gap) }], [gaps]);
  if (error && !data) return <QueryError error={error} />;
  if (!data) return <Loading />;
  if (!active) return <Empty>{model.none}</Empty>;
  return (
    <>
      <PageTitle>{model.title}</PageTitle>
      <p className="muted">{model.intro}</p>
      <ul className="stats" aria-label={model.active}>
        <li>
          <strong data-testid="active-version">{active.version}</strong> {model.active}
        </li>
        <li>
          <strong>{meta.created_at ? formatDateTime(meta.created_at) : '—'}</strong> {model.created}
        </li>
        <li>
          <strong>{meta.training_data_range ? `${formatDay(meta.training_data_range.from)}` : '—'}</strong> {model.window}
        </li>
        <li>
          <strong>{meta.metrics?.model?.roc_auc != null ? formatNumber(meta.metrics.model.roc_auc) : '—'}</strong> ROC-AUC
        </li>
      </ul>
      <div className="grid-2 curve-grid">
        <Section title={model.metrics}>
          <table className="data-table" aria-label={model.metrics}>
            <thead>
              <tr>
                <th scope="col">{model.metric}</th>
                <th scope="col" className="num">
                  {model.value}
                </th>
              </tr>
            </thead>
            <tbody>
              {SHOWN.filter((k) => meta.metrics?.model?.[k] != null).map((k) => (
                <tr key={k}>
                  <th scope="row">{model.names[k]}</th>
                  <td className="num">{formatNumber(meta.metrics!.model![k]!)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
        <Section title={model.subgroups}>
          {gaps.length ? <ChartView kind="bar" labels={labels} series={series} summary={model.chartSummary(gaps.map((g) => `${g.group} ${g.gap}`).join(', '))} height={220} testId="gap-chart" /> : null}
          <table className="data-table" aria-label={model.subgroups}>
            <thead>
              <tr>
                <th scope="col">{model.subgroup}</th>
                <th scope="col" className="num">
                  {model.gap} ROC-AUC
                </th>
                <th scope="col">{model.lowest}</th>
                <th scope="col">{model.highest}</th>
              </tr>
            </thead>
            <tbody>
              {gaps.map((g) => (
                <tr key={g.group}>
                  <th scope="row">{g.group}</th>
                  <td className="num">{formatNumber(g.gap)}</td>
                  <td>{g.lowest}</td>
                  <td>{g.highest}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      </div>
      <Monitoring />
      <Section title={model.card}>
        <pre className="model-card" tabIndex={0} aria-label={model.card}>
          {active.modelCard}
        </pre>
      </Section>
      {versions.length > 1 ? (
        <Section title={model.versions}>
          <div className="chips">
            {versions.slice(1).map((v) => (
              <Badge key={v.version}>{v.version}</Badge>
            ))}
          </div>
        </Section>
      ) : null}
    </>
  );
}
