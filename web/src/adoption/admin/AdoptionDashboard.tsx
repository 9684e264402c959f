// The adoption dashboard: the weekly funnel per OPD, lagging OPDs, cohorts by session date and
// the pulse before/after the first session, as charts (Chart.js, a lazy chunk) with their tables,
// CSV/XLSX downloads and a printable one-page report (print CSS hides the frame).
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { AdoptionCohortsDocument, AdoptionFunnelDocument, AdoptionLaggingDocument, ProgramsDocument, SurveyTrendDocument } from '../../gql/graphql';
import { formatDay, formatNumber, formatPercent, todayIso } from '../../i18n/format';
import { ChartView } from '../../admin/Chart';
import { download } from '../../admin/download';
import { Button, Empty, Loading, PageTitle, QueryError, Section, SelectField } from '../../ui/components';
import { d } from './strings';

/** CSV and XLSX of one table, built by the server (`/adoption/<table>.csv|xlsx`, same rows). */
function Downloads({ table, params = {}, what, fallback, disabled = false }: { table: string; params?: Record<string, string>; what: string; fallback: string; disabled?: boolean }) {
  const [failed, setFailed] = useState(false);
  const query = new URLSearchParams(params).toString();
  const get = (ext: 'csv' | 'xlsx') => {
    setFailed(false);
    download(`/adoption/${table}.${ext}${query ? `?${query}` : ''}`, `${fallback}.${ext}`).catch(() => setFailed(true));
  };
  return (
    <div className="row-actions no-print" role="group" aria-label={d.downloads(what)}>
      <Button variant="secondary" aria-label={d.downloadOf(d.csv, what)} onClick={() => get('csv')} disabled={disabled}>
        {d.csv}
      </Button>
      <Button variant="secondary" aria-label={d.downloadOf(d.xlsx, what)} onClick={() => get('xlsx')} disabled={disabled}>
        {d.xlsx}
      </Button>
      {failed ? <span role="alert" className="small">{d.downloadFailed}</span> : null}
    </div>
  );
}

function Funnel() {
  const [{ data, error }] = useQuery({ query: AdoptionFunnelDocument, variables: {} });
  const rows = useMemo(() => data?.adoptionFunnel.rows ?? [], [data]);
  // complete ISO weeks only: the week in progress would read as a fall in activity
  const weeks = useMemo(() => {
    const today = todayIso();
    const sunday = (monday: string) => new Date(Date.parse(`${monday}T12:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
    return [...new Set(rows.map((r) => r.week))].sort().filter((w) => sunday(w) < today);
  }, [rows]);
  const last = weeks.at(-1);
  const trend = useMemo(
    () =>
      weeks.map((w) => {
        const of = rows.filter((r) => r.week === w);
        const employees = of.reduce((n, r) => n + r.employees, 0);
        return employees ? Math.round((1000 * of.reduce((n, r) => n + r.weeklyActive, 0)) / employees) / 10 : null;
      }),
    [rows, weeks],
  );
  const latest = rows.filter((r) => r.week === last);
  const steps = (['employees', 'invited', 'attended', 'started', 'weeklyActive', 'engaged'] as const).map((k) => ({ label: d.steps[k], value: latest.reduce((n, r) => n + r[k], 0) }));
  const trendLabels = useMemo(() => weeks.map((w) => rows.find((r) => r.week === w)?.isoWeek ?? w), [rows, weeks]);
  const trendSeries = useMemo(() => [{ label: d.share, data: trend, type: 'line' as const }], [trend]);
  const funnelLabels = useMemo(() => steps.map((x) => x.label), [steps.map((x) => x.value).join()]); // eslint-disable-line react-hooks/exhaustive-deps
  const funnelSeries = useMemo(() => [{ label: d.funnel, data: steps.map((x) => x.value) }], [steps.map((x) => x.value).join()]); // eslint-disable-line react-hooks/exhaustive-deps
  if (error && !data) return <QueryError error={error} />;
  if (!data) return <Loading />;
  return (
    <>
      <div className="grid-2 curve-grid">
        <Section title={d.trend}>
          <ChartView kind="line" labels={trendLabels} series={trendSeries} percent summary={d.trendSummary(trend.at(-1) != null ? `${formatNumber(trend.at(-1)!)}%` : '—')} testId="trend-chart" />
        </Section>
        <Section title={d.funnel}>
          <ChartView kind="bar" labels={funnelLabels} series={funnelSeries} summary={d.funnelSummary(steps.map((x) => `${x.label} ${x.value}`).join(', '))} testId="funnel-chart" />
        </Section>
      </div>
      <Section
        title={`${d.funnel} · ${last ? formatDay(last) : ''}`}
        actions={<Downloads table="funnel" what={d.funnel} fallback="adopsi" />}
      >
        {latest.length === 0 ? <Empty>{d.noData}</Empty> : null}
        {latest.length ? (
          <div className="table-wrap">
            <table className="data-table" aria-label={d.funnel}>
              <thead>
                <tr>
                  <th scope="col">{d.opd}</th>
                  {steps.map((x) => (
                    <th key={x.label} scope="col" className="num">
                      {x.label}
                    </th>
                  ))}
                  <th scope="col" className="num">
                    {d.share}
                  </th>
                </tr>
              </thead>
              <tbody>
                {latest.map((r) => (
                  <tr key={r.opd?.id ?? 'all'}>
                    <th scope="row">{r.opd?.name ?? '—'}</th>
                    <td className="num">{r.employees}</td>
                    <td className="num">{r.invited}</td>
                    <td className="num">{r.attended}</td>
                    <td className="num">{r.started}</td>
                    <td className="num">{r.weeklyActive}</td>
                    <td className="num">{r.engaged}</td>
                    <td className="num">{r.weeklyActiveShare == null ? '—' : formatPercent(r.weeklyActiveShare)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Section>
    </>
  );
}

function Lagging() {
  const [{ data, error }] = useQuery({ query: AdoptionLaggingDocument, variables: { week: todayIso() } });
  const l = data?.adoptionLagging;
  if (error && !data) return <QueryError error={error} />;
  if (!l) return <Loading />;
  return (
    <Section
      title={`${d.lagging} · ${l.isoWeek}`}
      actions={<Downloads table="lagging" params={{ week: l.week }} what={d.lagging} fallback={`opd-tertinggal-${l.isoWeek}`} disabled={!l.opds.length} />}
    >
      <p className="muted small">{d.laggingIntro(l.cityMedian == null ? '—' : formatPercent(l.cityMedian))}</p>
      {l.opds.length === 0 ? <Empty>{d.laggingNone}</Empty> : null}
      {l.opds.length ? (
        <div className="table-wrap">
          <table className="data-table" aria-label={d.lagging}>
            <thead>
              <tr>
                <th scope="col">{d.opd}</th>
                <th scope="col" className="num">
                  {d.steps.employees}
                </th>
                <th scope="col" className="num">
                  {d.share}
                </th>
                <th scope="col" className="num">
                  {d.gap}
                </th>
              </tr>
            </thead>
            <tbody>
              {l.opds.map((o) => (
                <tr key={o.opd?.id ?? 'x'}>
                  <th scope="row">{o.opd?.name ?? '—'}</th>
                  <td className="num">{o.employees}</td>
                  <td className="num">{formatPercent(o.share)}</td>
                  <td className="num">{formatPercent(o.gap)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Section>
  );
}

function Cohorts() {
  const [programs] = useQuery({ query: ProgramsDocument, variables: { first: 50 } });
  const options = (programs.data?.programs.edges ?? []).map((e) => ({ value: e.node.id, label: e.node.name }));
  const [picked, setPicked] = useState('');
  const programId = picked || options[0]?.value || '';
  const [{ data, error }] = useQuery({ query: AdoptionCohortsDocument, variables: { programId }, pause: !programId });
  const cohorts = useMemo(() => data?.adoptionCohorts.cohorts ?? [], [data]);
  const weeks = Math.max(0, ...cohorts.map((c) => c.activeByWeek.length));
  const labels = useMemo(() => Array.from({ length: weeks }, (_, i) => `+${i + 1}`), [weeks]);
  const series = useMemo(
    () => cohorts.map((c) => ({ label: formatDay(c.sessionDate), data: c.activeByWeek.map((n) => (c.attended ? Math.round((1000 * n) / c.attended) / 10 : null)), type: 'line' as const })),
    [cohorts],
  );
  return (
    <Section title={d.cohorts}>
      <SelectField label={d.program} value={programId} onChange={(e) => setPicked(e.target.value)} options={options} />
      <QueryError error={error} />
      {programId && !data && !error ? <Loading /> : null}
      {data && cohorts.length === 0 ? <Empty>{d.noData}</Empty> : null}
      {cohorts.length ? (
        <>
          <ChartView kind="line" labels={labels} series={series} percent summary={d.cohortSummary} testId="cohort-chart" />
          <div className="table-wrap">
            <table className="data-table" aria-label={d.cohorts}>
              <thead>
                <tr>
                  <th scope="col">{d.sessionDate}</th>
                  <th scope="col" className="num">
                    {d.steps.invited}
                  </th>
                  <th scope="col" className="num">
                    {d.steps.attended}
                  </th>
                  <th scope="col" className="num">
                    {d.steps.started}
                  </th>
                  <th scope="col" className="num">
                    {d.steps.weeklyActive}
                  </th>
                </tr>
              </thead>
              <tbody>
                {cohorts.map((c) => (
                  <tr key={c.sessionDate}>
                    <th scope="row">{formatDay(c.sessionDate)}</th>
                    <td className="num">{c.invited}</td>
                    <td className="num">{c.attended}</td>
                    <td className="num">{c.started}</td>
                    <td className="num">{c.weeklyActive}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Downloads table="cohorts" params={{ programId }} what={d.cohorts} fallback="kohort" />
        </>
      ) : null}
    </Section>
  );
}

function Trend() {
  const [{ data, error }] = useQuery({ query: SurveyTrendDocument, variables: {} });
  const rows = data?.surveyTrend.rows ?? [];
  const cell = (g: { suppressed: boolean; comfort: number | null; respondents: number | null } | null) =>
    !g ? '—' : g.suppressed ? d.withheld : `${g.comfort == null ? '—' : formatNumber(g.comfort)} (${g.respondents ?? 0})`;
  return (
    <Section title={d.beforeAfter} actions={<Downloads table="survey-trend" what={d.beforeAfter} fallback="survei-sebelum-sesudah" disabled={!rows.length} />}>
      <QueryError error={error} />
      {!data && !error ? <Loading /> : null}
      {data && rows.length === 0 ? <Empty>{d.noData}</Empty> : null}
      {rows.length ? (
        <div className="table-wrap">
          <table className="data-table" aria-label={d.beforeAfter}>
            <thead>
              <tr>
                <th scope="col">{d.opd}</th>
                <th scope="col">{d.sessionDate}</th>
                <th scope="col">{d.before}</th>
                <th scope="col">{d.after}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.opd?.id ?? 'x'}>
                  <th scope="row">{r.opd?.name ?? '—'}</th>
                  <td>{r.firstSessionDate ? formatDay(r.firstSessionDate) : '—'}</td>
                  <td>{cell(r.before)}</td>
                  <td>{cell(r.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Section>
  );
}

export default function AdoptionDashboard() {
  return (
    <>
      <div className="row">
        <PageTitle>{d.title}</PageTitle>
        <Button variant="secondary" onClick={() => window.print()}>
          {d.print}
        </Button>
      </div>
      <p className="muted">{d.intro}</p>
      <Funnel />
      <Lagging />
      <Cohorts />
      <Trend />
    </>
  );
}
