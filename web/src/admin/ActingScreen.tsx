// Plt/Plh appointments (issue 20): ADMIN_OPD (their OPD) and ADMIN_BKPSDM appoint an acting
// official for a pejabat penilai over a date range, list the appointments and end one early.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ActingAppointmentsDocument, AppointActingDocument, EmployeeDirectoryDocument, RevokeActingDocument, type ActingKind } from '../gql/graphql';
import { formatDay, todayIso } from '../i18n/format';
import { Badge, Button, Empty, Loading, Notice, PageTitle, QueryError, Section, SelectField, TextArea, TextField } from '../ui/components';
import { actingKindLabel } from '../performance/labels';
import { acting as s, a } from './strings';

function EmployeePicker({ label, value, onChange }: { label: string; value: string; onChange: (id: string, name: string) => void }) {
  const [search, setSearch] = useState('');
  const term = search.trim();
  const [{ data }] = useQuery({ query: EmployeeDirectoryDocument, variables: { first: 20, filter: { search: term } }, pause: term.length < 3 });
  const options = (data?.employees.edges ?? []).map(({ node }) => ({ value: node.id, label: `${node.name} — ${node.jabatanName}${node.opd ? ` (${node.opd.shortName})` : ''}` }));
  return (
    <div className="stack">
      <TextField label={s.search(label)} value={search} onChange={(e) => setSearch(e.target.value)} autoComplete="off" />
      <SelectField
        label={s.pick(label)}
        value={value}
        onChange={(e) => onChange(e.target.value, options.find((o) => o.value === e.target.value)?.label ?? '')}
        options={[{ value: '', label: '—' }, ...options]}
      />
    </div>
  );
}

function AppointForm({ onDone }: { onDone: (message: string) => void }) {
  const today = todayIso();
  const [appointing, appoint] = useMutation(AppointActingDocument);
  const [principal, setPrincipal] = useState('');
  const [actingId, setActingId] = useState('');
  const [kind, setKind] = useState<ActingKind>('PLH');
  const [startsOn, setStartsOn] = useState(today);
  const [endsOn, setEndsOn] = useState(today);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!principal || !actingId || !startsOn || !endsOn) {
      setProblem(s.missing);
      return;
    }
    setProblem(null);
    const result = await appoint({ input: { principalId: principal, actingId, kind, startsOn, endsOn, reason } });
    const payload = result.data?.appointActing;
    if (payload?.appointment) {
      onDone(s.appointed(payload.appointment.acting?.name ?? '', payload.appointment.principal?.name ?? ''));
      setPrincipal('');
      setActingId('');
      setReason('');
    } else setProblem(payload?.userErrors.map((e) => e.message).join('; ') || a.common.failed);
  }

  return (
    <Section title={s.form}>
      <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <EmployeePicker label={s.principal} value={principal} onChange={(id) => setPrincipal(id)} />
        <EmployeePicker label={s.actingOfficial} value={actingId} onChange={(id) => setActingId(id)} />
        <SelectField
          label={s.kind}
          value={kind}
          onChange={(e) => setKind(e.target.value as ActingKind)}
          options={(['PLH', 'PLT'] as const).map((k) => ({ value: k, label: actingKindLabel[k] }))}
        />
        <div className="toolbar">
          <TextField label={s.startsOn} type="date" value={startsOn} onChange={(e) => setStartsOn(e.target.value)} />
          <TextField label={s.endsOn} type="date" value={endsOn} onChange={(e) => setEndsOn(e.target.value)} />
        </div>
        <TextArea label={s.reason} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
        {problem ? <Notice tone="error">{problem}</Notice> : null}
        <Button type="submit" busy={appointing.fetching}>
          {s.submit}
        </Button>
      </form>
    </Section>
  );
}

function Appointments({ onRevoked }: { onRevoked: (message: string) => void }) {
  const today = todayIso();
  const [activeOnly, setActiveOnly] = useState(false);
  const [{ data, error }, refetch] = useQuery({
    query: ActingAppointmentsDocument,
    variables: { first: 50, activeOn: activeOnly ? today : null },
    requestPolicy: 'cache-and-network',
  });
  const [revoking, revoke] = useMutation(RevokeActingDocument);
  async function onRevoke(id: string) {
    const result = await revoke({ input: { appointmentId: id } });
    if (result.data?.revokeActing.appointment) {
      onRevoked(s.revoked);
      refetch({ requestPolicy: 'network-only' });
    }
  }
  const rows = data?.actingAppointments.edges.map((e) => e.node) ?? [];
  return (
    <Section title={s.list}>
      <label className="checkbox">
        <input type="checkbox" checked={activeOnly} onChange={(e) => setActiveOnly(e.target.checked)} /> {s.activeOnly}
      </label>
      <QueryError error={error} />
      {!data ? <Loading /> : null}
      {data && rows.length === 0 ? <Empty>{s.none}</Empty> : null}
      {rows.length ? (
        <div className="table-wrap">
          <table className="data-table" aria-label={s.list}>
            <thead>
              <tr>
                <th scope="col">{s.principal}</th>
                <th scope="col">{s.actingOfficial}</th>
                <th scope="col">{s.kind}</th>
                <th scope="col">{s.period}</th>
                <th scope="col">{s.state}</th>
                <th scope="col">{a.periods.actions}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const ended = r.revokedAt != null || r.endsOn < today;
                const state = r.activeToday ? s.active : ended ? s.ended : s.upcoming;
                return (
                  <tr key={r.id}>
                    <th scope="row">{r.principal?.name}</th>
                    <td>{r.acting?.name}</td>
                    <td>{r.kindLabel}</td>
                    <td>
                      {formatDay(r.startsOn)} – {formatDay(r.endsOn)}
                    </td>
                    <td>
                      <Badge tone={r.activeToday ? 'ok' : 'neutral'}>{state}</Badge>
                    </td>
                    <td>
                      {!ended ? (
                        <Button variant="secondary" busy={revoking.fetching} onClick={() => void onRevoke(r.id)} aria-label={s.revokeLabel(r.acting?.name ?? '', r.principal?.name ?? '')}>
                          {s.revoke}
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </Section>
  );
}

export default function ActingScreen() {
  const [message, setMessage] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  return (
    <>
      <PageTitle>{s.title}</PageTitle>
      <p className="muted">{s.intro}</p>
      {message ? <Notice tone="ok">{message}</Notice> : null}
      <AppointForm
        onDone={(m) => {
          setMessage(m);
          setVersion((v) => v + 1);
        }}
      />
      <Appointments key={version} onRevoked={setMessage} />
    </>
  );
}
