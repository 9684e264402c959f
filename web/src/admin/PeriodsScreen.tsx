// Periods: BKPSDM creates a year (with quarterly or monthly evaluation periods), moves each
// period to its evaluation phase and closes it; OPD admins see them.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { CreatePeriodDocument, PeriodsDocument, SetPeriodStatusDocument, type PeriodKind, type PeriodStatus } from '../gql/graphql';
import { formatDay } from '../i18n/format';
import { useViewer } from '../app/viewer';
import { Badge, Button, Empty, Loading, Notice, PageTitle, QueryError, Section, SelectField, TextField } from '../ui/components';
import { periodKindLabel, periodStatusLabel } from '../performance/labels';
import { a } from './strings';
import { problemOf } from './userErrors';

const NEXT: Record<PeriodStatus, PeriodStatus[]> = { OPEN: ['EVALUATION', 'CLOSED'], EVALUATION: ['OPEN', 'CLOSED'], CLOSED: ['OPEN'] };
const TONE: Record<PeriodStatus, 'ok' | 'warn' | 'neutral'> = { OPEN: 'ok', EVALUATION: 'warn', CLOSED: 'neutral' };

function CreatePeriodForm() {
  const [year, setYear] = useState(String(new Date().getFullYear() + 1));
  const [frequency, setFrequency] = useState<PeriodKind>('QUARTERLY');
  const [deadline, setDeadline] = useState('');
  const [state, create] = useMutation(CreatePeriodDocument);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const result = await create({ input: { year: Number(year), evaluationFrequency: frequency, skpDeadline: deadline || null } });
    const problem = problemOf(result.error, result.data?.createPeriod.userErrors);
    const period = result.data?.createPeriod.period;
    setMessage(problem || !period ? { tone: 'error', text: problem ?? a.common.failed } : { tone: 'ok', text: a.periods.created(period.name) });
  }
  return (
    <Section title={a.periods.create}>
      <form className="form toolbar" onSubmit={onSubmit} noValidate>
        <TextField label={a.periods.year} type="number" min={2000} max={2100} value={year} onChange={(e) => setYear(e.target.value)} />
        <SelectField
          label={a.periods.frequency}
          value={frequency}
          onChange={(e) => setFrequency(e.target.value as PeriodKind)}
          options={(['QUARTERLY', 'MONTHLY'] as const).map((k) => ({ value: k, label: periodKindLabel[k] }))}
        />
        <TextField label={a.periods.deadline} type="date" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
        <Button type="submit" busy={state.fetching}>
          {a.periods.submit}
        </Button>
      </form>
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
    </Section>
  );
}

export function PeriodsScreen() {
  const viewer = useViewer();
  const bkpsdm = viewer.roles.includes('ADMIN_BKPSDM');
  const [{ data, error }] = useQuery({ query: PeriodsDocument, variables: {} });
  const [state, setStatus] = useMutation(SetPeriodStatusDocument);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  async function change(id: string, name: string, status: PeriodStatus) {
    const result = await setStatus({ input: { periodId: id, status } });
    const problem = problemOf(result.error, result.data?.setPeriodStatus.userErrors);
    setMessage(problem ? { tone: 'error', text: problem } : { tone: 'ok', text: a.periods.changed(name, periodStatusLabel[status]) });
  }

  const rows = (data?.periods ?? []).filter((p) => p.kind === 'ANNUAL').flatMap((p) => [
    { id: p.id, name: p.name, kind: p.kind, startsOn: p.startsOn, endsOn: p.endsOn, status: p.status, child: false },
    ...p.children.map((c) => ({ ...c, child: true })),
  ]);
  return (
    <>
      <PageTitle>{a.periods.title}</PageTitle>
      {bkpsdm ? <CreatePeriodForm /> : <Notice tone="info">{a.periods.readOnly}</Notice>}
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
      <Section title={a.periods.list}>
        <QueryError error={error} />
        {!data ? <Loading /> : null}
        {data && rows.length === 0 ? <Empty>{a.periods.none}</Empty> : null}
        {rows.length ? (
          <div className="table-wrap">
            <table className="data-table" data-testid="periods">
              <thead>
                <tr>
                  <th scope="col">{a.common.period}</th>
                  <th scope="col">{a.periods.range}</th>
                  <th scope="col">{a.periods.status}</th>
                  {bkpsdm ? <th scope="col">{a.periods.actions}</th> : null}
                </tr>
              </thead>
              <tbody>
                {rows.map((p) => (
                  <tr key={p.id}>
                    <th scope="row" style={{ paddingLeft: p.child ? '1.6rem' : undefined, fontWeight: p.child ? 400 : 700 }}>
                      {p.name} <span className="muted small">({periodKindLabel[p.kind]})</span>
                    </th>
                    <td>
                      {formatDay(p.startsOn)} – {formatDay(p.endsOn)}
                    </td>
                    <td>
                      <Badge tone={TONE[p.status]}>{periodStatusLabel[p.status]}</Badge>
                    </td>
                    {bkpsdm ? (
                      <td>
                        <div className="row-actions">
                          {NEXT[p.status].map((next) => (
                            <button
                              key={next}
                              type="button"
                              className="btn btn-secondary btn-small"
                              disabled={state.fetching}
                              aria-label={a.periods.setStatus(a.periods.actionsFor[next], p.name)}
                              onClick={() => change(p.id, p.name, next)}
                            >
                              {a.periods.actionsFor[next]}
                            </button>
                          ))}
                        </div>
                      </td>
                    ) : null}
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
