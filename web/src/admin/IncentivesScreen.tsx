// The TPP incentive table of an OPD for a period (FINAL evaluations only), with the payroll
// export as CSV and XLSX from the server (/exports/incentives.csv and .xlsx).
import { useState } from 'react';
import { useQuery } from 'urql';
import { IncentiveRowsDocument } from '../gql/graphql';
import { formatNumber, formatPercent } from '../i18n/format';
import { Badge, Button, Empty, Loading, Notice, PageTitle, QueryError, Section } from '../ui/components';
import { download } from './download';
import { PeriodOpdPicker, useOpdOptions } from './pickers';
import { a, tpp } from './strings';

function Table({ opdId, periodId }: { opdId: string; periodId: string }) {
  const [{ data, error }] = useQuery({ query: IncentiveRowsDocument, variables: { opdId, periodId } });
  const [failed, setFailed] = useState(false);
  const rows = data?.incentiveRows ?? [];
  const query = `periodId=${encodeURIComponent(periodId)}&opdId=${encodeURIComponent(opdId)}`;
  async function get(kind: 'csv' | 'xlsx') {
    setFailed(false);
    await download(`/exports/incentives.${kind}?${query}`, `insentif.${kind}`).catch(() => setFailed(true));
  }
  if (error && !data) return <QueryError error={error} />;
  if (!data) return <Loading />;
  return (
    <Section
      title={`${tpp.table} · ${tpp.rows(rows.length)}`}
      actions={
        <div className="row-actions">
          <Button variant="secondary" onClick={() => get('csv')} disabled={!rows.length}>
            {a.common.download('CSV')}
          </Button>
          <Button variant="secondary" onClick={() => get('xlsx')} disabled={!rows.length}>
            {a.common.download('XLSX')}
          </Button>
        </div>
      }
    >
      {failed ? <Notice tone="error">{tpp.failed}</Notice> : null}
      {rows.length === 0 ? <Empty>{tpp.none}</Empty> : null}
      {rows.length ? (
        <div className="table-wrap">
          <table className="data-table" aria-label={tpp.table}>
            <thead>
              <tr>
                <th scope="col">{tpp.nip}</th>
                <th scope="col">{tpp.name}</th>
                <th scope="col">{tpp.jabatan}</th>
                <th scope="col">{tpp.unit}</th>
                <th scope="col">{tpp.predikat}</th>
                <th scope="col" className="num">
                  {tpp.verified}
                </th>
                <th scope="col" className="num">
                  {tpp.factor}
                </th>
                <th scope="col">{tpp.award}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.nip}>
                  <td>{r.nip}</td>
                  <th scope="row">{r.name}</th>
                  <td>{r.jabatan}</td>
                  <td>{r.unit}</td>
                  <td>{r.predikatLabel}</td>
                  <td className="num">{r.verifiedShare == null ? '—' : formatPercent(r.verifiedShare)}</td>
                  <td className="num">{r.tppFactor == null ? '—' : formatNumber(r.tppFactor)}</td>
                  <td>{r.awardEligible ? <Badge tone="ok">{a.common.yes}</Badge> : <Badge tone="neutral">{a.common.no}</Badge>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Section>
  );
}

export default function IncentivesScreen() {
  const opds = useOpdOptions();
  const [periodId, setPeriodId] = useState('');
  const [opdId, setOpdId] = useState('');
  const opd = opdId || (opds.length === 1 ? (opds[0]?.value ?? '') : '');
  return (
    <>
      <PageTitle>{tpp.title}</PageTitle>
      <p className="muted">{tpp.intro}</p>
      <PeriodOpdPicker periodId={periodId} opdId={opd} onPeriod={setPeriodId} onOpd={setOpdId} />
      {periodId && opd ? <Table key={`${opd}-${periodId}`} opdId={opd} periodId={periodId} /> : <Empty>{tpp.pick}</Empty>}
    </>
  );
}
