// BKPSDM period reports (issue 20): the rekap predikat of FINAL evaluations per OPD and
// city-wide, and completion monitoring (no approved SKP, no activity in seven days, not
// evaluated) with the employees concerned; each as CSV, XLSX or PDF from /reports/….
import { useState } from 'react';
import { useQuery } from 'urql';
import { CompletionMonitoringDocument, PeriodsDocument, PredikatRecapDocument, type Predikat } from '../gql/graphql';
import { formatNumber, formatPercent } from '../i18n/format';
import { Badge, Button, Empty, Loading, Notice, PageTitle, QueryError, Section, SelectField } from '../ui/components';
import { download } from './download';
import { predikatLabel } from '../performance/labels';
import { a, reportsText as r } from './strings';

const PREDIKATS: Predikat[] = ['SANGAT_BAIK', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG_MISCONDUCT', 'SANGAT_KURANG'];
type Kind = 'csv' | 'xlsx' | 'pdf';

/** Every period, the annual ones with their quarters or months, newest first. */
function usePeriods(): { value: string; label: string }[] {
  const [{ data }] = useQuery({ query: PeriodsDocument, variables: {} });
  return (data?.periods ?? [])
    .filter((p) => p.kind === 'ANNUAL')
    .sort((x, y) => y.year - x.year)
    .flatMap((p) => [{ value: p.id, label: p.name }, ...[...p.children].sort((x, y) => (x.startsOn < y.startsOn ? 1 : -1)).map((c) => ({ value: c.id, label: c.name }))]);
}

function Downloads({ which, periodId, title }: { which: 'predikat' | 'completion'; periodId: string; title: string }) {
  const [failed, setFailed] = useState(false);
  async function get(kind: Kind) {
    setFailed(false);
    await download(`/reports/${which}.${kind}?periodId=${encodeURIComponent(periodId)}`, `${which}.${kind}`).catch(() => setFailed(true));
  }
  return (
    <div className="stack">
      <div className="row-actions">
        {(['csv', 'xlsx', 'pdf'] as const).map((kind) => (
          <Button key={kind} variant="secondary" onClick={() => void get(kind)} aria-label={r.downloadOf(title, kind.toUpperCase())}>
            {a.common.download(kind.toUpperCase())}
          </Button>
        ))}
      </div>
      {failed ? <Notice tone="error">{r.failed}</Notice> : null}
    </div>
  );
}

function Recap({ periodId }: { periodId: string }) {
  const [{ data, error }] = useQuery({ query: PredikatRecapDocument, variables: { periodId } });
  if (error && !data) return <QueryError error={error} />;
  if (!data) return <Loading />;
  const rows = data.predikatRecap;
  return (
    <Section title={r.recap} actions={<Downloads which="predikat" periodId={periodId} title={r.recap} />}>
      {rows.length === 0 ? <Empty>{a.common.none}</Empty> : null}
      {rows.length ? (
        <div className="table-wrap">
          <table className="data-table" aria-label={r.recap}>
            <thead>
              <tr>
                <th scope="col">{r.opd}</th>
                <th scope="col" className="num">
                  {r.total}
                </th>
                {PREDIKATS.map((p) => (
                  <th key={p} scope="col" className="num">
                    {predikatLabel[p]}
                  </th>
                ))}
                <th scope="col">{r.orgPredikat}</th>
                <th scope="col">{r.violations}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.opd?.id ?? `total-${row.opdName}`}>
                  <th scope="row">{row.opd ? row.opdName : <strong>{row.opdName}</strong>}</th>
                  <td className="num">{formatNumber(row.total)}</td>
                  {PREDIKATS.map((p) => {
                    const count = row.counts.find((c) => c.predikat === p);
                    return (
                      <td key={p} className="num">
                        {count ? `${formatNumber(count.count)} (${formatPercent(count.share)})` : '0'}
                      </td>
                    );
                  })}
                  <td>{row.orgPredikat ?? '—'}</td>
                  <td>{row.violations.length ? row.violations.map((v) => <Badge key={v} tone="warn">{v}</Badge>) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Section>
  );
}

function Completion({ periodId }: { periodId: string }) {
  const [first, setFirst] = useState(25);
  const [{ data, error, fetching }] = useQuery({ query: CompletionMonitoringDocument, variables: { periodId, first } });
  if (error && !data) return <QueryError error={error} />;
  if (!data) return <Loading />;
  const rows = data.completionMonitoring;
  const gaps = data.completionGaps;
  const yesNo = (value: boolean) => (value ? a.common.yes : a.common.no);
  return (
    <Section title={r.completion} actions={<Downloads which="completion" periodId={periodId} title={r.completion} />}>
      <div className="table-wrap">
        <table className="data-table" aria-label={r.completion}>
          <thead>
            <tr>
              <th scope="col">{r.opd}</th>
              <th scope="col" className="num">
                {r.employees}
              </th>
              <th scope="col" className="num">
                {r.withoutSkp}
              </th>
              <th scope="col" className="num">
                {r.notLogging}
              </th>
              <th scope="col" className="num">
                {r.notEvaluated}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.opdName}>
                <th scope="row">{row.opdName}</th>
                <td className="num">{formatNumber(row.employees)}</td>
                <td className="num">{formatNumber(row.withoutSkp)}</td>
                <td className="num">{formatNumber(row.notLogging)}</td>
                <td className="num">{formatNumber(row.notEvaluated)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Section title={r.gaps(gaps.totalCount)} level={3}>
        <div className="table-wrap">
          <table className="data-table" aria-label={r.gaps(gaps.totalCount)}>
            <thead>
              <tr>
                <th scope="col">{r.nip}</th>
                <th scope="col">{r.name}</th>
                <th scope="col">{r.opd}</th>
                <th scope="col">{r.skp}</th>
                <th scope="col">{r.logged}</th>
                <th scope="col">{r.evaluated}</th>
              </tr>
            </thead>
            <tbody>
              {gaps.edges.map(({ node }) => (
                <tr key={node.nip}>
                  <td>{node.nip}</td>
                  <th scope="row">{node.name}</th>
                  <td>{node.opdName}</td>
                  <td>{node.skpStatus ?? '—'}</td>
                  <td>{yesNo(node.loggedRecently)}</td>
                  <td>{yesNo(node.evaluated)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {gaps.pageInfo.hasNextPage && first < 100 ? (
          <Button variant="secondary" busy={fetching} onClick={() => setFirst(Math.min(first + 25, 100))}>
            {r.more}
          </Button>
        ) : null}
      </Section>
    </Section>
  );
}

export default function ReportsScreen() {
  const periods = usePeriods();
  const [periodId, setPeriodId] = useState('');
  return (
    <>
      <PageTitle>{r.title}</PageTitle>
      <p className="muted">{r.intro}</p>
      <div className="toolbar form">
        <SelectField label={a.common.period} value={periodId} onChange={(e) => setPeriodId(e.target.value)} options={[{ value: '', label: '—' }, ...periods]} />
      </div>
      {periodId ? (
        <>
          <Recap key={`r-${periodId}`} periodId={periodId} />
          <Completion key={`c-${periodId}`} periodId={periodId} />
        </>
      ) : (
        <Empty>{r.pick}</Empty>
      )}
    </>
  );
}
