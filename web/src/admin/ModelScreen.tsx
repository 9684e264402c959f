// BKPSDM's view of the mentoring-support model: the version in use (the registry's newest), its
// hold-out metrics, the gaps between subgroups, and the model card. Aggregates only: no
// individual score ever appears outside the supervisor chain.
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { MentoringModelsDocument } from '../gql/graphql';
import { formatDateTime, formatDay, LOCALE } from '../i18n/format';
import { Badge, Empty, Loading, PageTitle, QueryError, Section } from '../ui/components';
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
