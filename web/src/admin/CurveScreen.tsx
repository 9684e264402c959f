// The distribution curve of an OPD for a period: predikat counts as a chart against the rules of
// the OPD's organisational predikat, each broken rule explained; finalising (refused with the
// reasons while a rule is broken) and BKPSDM's override with a recorded reason.
import { useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { DistributionCurveDocument, FinaliseOpdPeriodDocument, SetOrgPredikatDocument, type OrgPredikat } from '../gql/graphql';
import { formatDateTime, formatPercent } from '../i18n/format';
import { useViewer } from '../app/viewer';
import { Badge, Button, Empty, Loading, Notice, PageTitle, QueryError, Section, SelectField, TextArea } from '../ui/components';
import { ChartView } from './Chart';
import { PeriodOpdPicker, useOpdOptions } from './pickers';
import { orgPredikatLabel } from '../performance/labels';
import { a, curve } from './strings';
import { problemOf } from './userErrors';

const ORG: OrgPredikat[] = ['ISTIMEWA', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG'];

function Curve({ opdId, periodId }: { opdId: string; periodId: string }) {
  const viewer = useViewer();
  const bkpsdm = viewer.roles.includes('ADMIN_BKPSDM');
  const [{ data, error }] = useQuery({ query: DistributionCurveDocument, variables: { opdId, periodId } });
  const [setState, setOrg] = useMutation(SetOrgPredikatDocument);
  const [finState, finalise] = useMutation(FinaliseOpdPeriodDocument);
  const [org, setOrgValue] = useState<OrgPredikat>('BAIK');
  const [reason, setReason] = useState('');
  const [blocked, setBlocked] = useState<string[]>([]);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const c = data?.distributionCurve;
  const broken = useMemo(() => new Set((c?.rules ?? []).filter((r) => !r.holds).flatMap((r) => r.predikats)), [c]);
  const labels = useMemo(() => (c?.counts ?? []).map((x) => x.label), [c]);
  const series = useMemo(
    () => [{ label: curve.count, data: (c?.counts ?? []).map((x) => x.count), colors: (c?.counts ?? []).map((x) => (broken.has(x.predikat) ? '#b3261e' : '#0b5d4b')) }],
    [c, broken],
  );
  if (error && !data) return <QueryError error={error} />;
  if (!c) return <Loading />;

  async function onSetOrg(event: FormEvent) {
    event.preventDefault();
    const r = await setOrg({ input: { opdId, periodId, orgPredikat: org } });
    const problem = problemOf(r.error, r.data?.setOrgPredikat.userErrors);
    setMessage(problem ? { tone: 'error', text: problem } : { tone: 'ok', text: curve.orgSet(orgPredikatLabel[org]) });
  }
  async function onFinalise(overrideReason: string | null) {
    const r = await finalise({ input: { opdId, periodId, overrideReason } });
    const errors = r.data?.finaliseOpdPeriod.userErrors ?? [];
    if (errors.length || r.error) {
      setBlocked(errors.length ? errors.map((e) => e.message) : [problemOf(r.error, undefined) ?? a.common.failed]);
      setMessage(null);
    } else {
      setBlocked([]);
      setMessage(null);
    }
  }

  const summary = curve.chartSummary(c.counts.map((x) => `${x.label} ${x.count}`).join(', '));
  return (
    <>
      <ul className="stats" aria-label={curve.title}>
        <li>
          <strong data-testid="curve-total">{c.total}</strong> {curve.total(c.total).replace(/^\d+ /, '')}
        </li>
        <li>
          <strong>{c.draftCount}</strong> {curve.drafts(c.draftCount).replace(/^\d+ /, '')}
        </li>
        <li>
          <strong>{c.orgPredikat ? orgPredikatLabel[c.orgPredikat] : '—'}</strong> {curve.orgPredikat}
        </li>
        <li>
          <strong>{c.violations.length}</strong> {curve.violations}
        </li>
      </ul>
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
      <div className="grid-2 curve-grid">
        <Section title={curve.chart}>
          <ChartView kind="bar" labels={labels} series={series} summary={summary} testId="curve-chart" />
          <div className="table-wrap">
            <table className="data-table" aria-label={curve.chart}>
              <thead>
                <tr>
                  <th scope="col">{curve.predikat}</th>
                  <th scope="col" className="num">
                    {curve.count}
                  </th>
                  <th scope="col" className="num">
                    {curve.share}
                  </th>
                </tr>
              </thead>
              <tbody>
                {c.counts.map((x) => (
                  <tr key={x.predikat} className={broken.has(x.predikat) ? 'row-bad' : undefined}>
                    <th scope="row">{x.label}</th>
                    <td className="num">{x.count}</td>
                    <td className="num">{formatPercent(x.share)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Section>
        <Section title={curve.rules}>
          {c.missingOrgPredikat ? <Notice tone="warn">{curve.orgMissing}</Notice> : null}
          {c.rules.length ? (
            <ul className="plain-list" aria-label={curve.rules}>
              {c.rules.map((r) => (
                <li key={r.code} className="row">
                  <span>
                    {r.text} <span className="muted small">· {curve.actual(formatPercent(r.share), r.count)}</span>
                  </span>
                  {r.holds ? <Badge tone="ok">{curve.ruleHolds}</Badge> : <Badge tone="bad">{curve.ruleBroken}</Badge>}
                </li>
              ))}
            </ul>
          ) : null}
          {c.violations.length ? (
            <>
              <h3>{curve.violations}</h3>
              <ul className="reasons" data-testid="violations">
                {c.violations.map((v) => (
                  <li key={v.code}>{v.message}</li>
                ))}
              </ul>
            </>
          ) : null}
          {bkpsdm && !c.finalisedAt ? (
            <form className="form toolbar" onSubmit={onSetOrg}>
              <SelectField label={curve.orgPredikat} value={org} onChange={(e) => setOrgValue(e.target.value as OrgPredikat)} options={ORG.map((o) => ({ value: o, label: orgPredikatLabel[o] }))} />
              <Button type="submit" variant="secondary" busy={setState.fetching}>
                {curve.setOrg}
              </Button>
            </form>
          ) : null}
        </Section>
      </div>
      <Section title={curve.finaliseTitle}>
        {c.finalisedAt ? (
          <>
            <Notice tone="ok">{curve.finalised(formatDateTime(c.finalisedAt))}</Notice>
            {c.overrideReason ? <p data-testid="override-reason">{curve.overrideRecorded(c.overrideReason)}</p> : null}
          </>
        ) : (
          <>
            {blocked.length ? (
              <div className="notice notice-error" role="alert">
                <strong>{curve.blocked}</strong>
                <ul className="reasons">
                  {blocked.map((b) => (
                    <li key={b}>{b}</li>
                  ))}
                </ul>
              </div>
            ) : null}
            <div className="button-row">
              <Button onClick={() => onFinalise(null)} busy={finState.fetching}>
                {curve.finalise}
              </Button>
            </div>
            {bkpsdm && c.violations.length ? (
              <form
                className="form"
                onSubmit={(e) => {
                  e.preventDefault();
                  void onFinalise(reason);
                }}
              >
                <TextArea label={curve.overrideReason} hint={curve.overrideHint} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
                <div>
                  <Button type="submit" variant="danger" busy={finState.fetching}>
                    {curve.override}
                  </Button>
                </div>
              </form>
            ) : null}
          </>
        )}
      </Section>
    </>
  );
}

export default function CurveScreen() {
  const opds = useOpdOptions();
  const [periodId, setPeriodId] = useState('');
  const [opdId, setOpdId] = useState('');
  const opd = opdId || (opds.length === 1 ? (opds[0]?.value ?? '') : '');
  return (
    <>
      <PageTitle>{curve.title}</PageTitle>
      <p className="muted">{curve.intro}</p>
      <PeriodOpdPicker periodId={periodId} opdId={opd} onPeriod={setPeriodId} onOpd={setOpdId} />
      {periodId && opd ? <Curve key={`${opd}-${periodId}`} opdId={opd} periodId={periodId} /> : <Empty>{curve.pick}</Empty>}
    </>
  );
}
