// Programs and their sessions (PENGELOLA_SOSIALISASI, BKPSDM): create a program for some OPDs,
// schedule sessions, and open a session to invite and check people in.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link } from 'wouter';
import { CreateProgramDocument, CreateSessionDocument, ProgramsDocument, type ProgramsQuery } from '../../gql/graphql';
import { formatDateTime, formatDay, todayIso } from '../../i18n/format';
import { useOpdOptions } from '../../admin/pickers';
import { problemOf } from '../../admin/userErrors';
import { Button, Empty, Loading, Notice, PageTitle, QueryError, Section, SelectField, TextField } from '../../ui/components';
import { s } from './strings';

type Program = ProgramsQuery['programs']['edges'][number]['node'];
type Message = { tone: 'ok' | 'error'; text: string } | null;

/** A `datetime-local` value (Asia/Jakarta wall time) as an ISO instant. */
function jakarta(local: string): string {
  return new Date(`${local}:00+07:00`).toISOString();
}

function CreateProgram({ onDone }: { onDone: (m: Message) => void }) {
  const opds = useOpdOptions();
  const today = todayIso();
  const [name, setName] = useState('');
  const [goal, setGoal] = useState('');
  const [startsOn, setStartsOn] = useState(today);
  const [endsOn, setEndsOn] = useState(today);
  const [opd, setOpd] = useState('');
  const [state, create] = useMutation(CreateProgramDocument);
  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const r = await create({ input: { name, goal, startsOn, endsOn, targetOpdIds: opd ? [opd] : [] } });
    const problem = problemOf(r.error, r.data?.createProgram.userErrors);
    onDone(problem ? { tone: 'error', text: problem } : { tone: 'ok', text: s.programs.created(name) });
    if (!problem) setName('');
  }
  return (
    <Section title={s.programs.create}>
      <form className="form toolbar" onSubmit={onSubmit} noValidate>
        <TextField label={s.programs.name} value={name} onChange={(e) => setName(e.target.value)} />
        <TextField label={s.programs.goal} value={goal} onChange={(e) => setGoal(e.target.value)} />
        <TextField label={s.programs.startsOn} type="date" value={startsOn} onChange={(e) => setStartsOn(e.target.value)} />
        <TextField label={s.programs.endsOn} type="date" value={endsOn} onChange={(e) => setEndsOn(e.target.value)} />
        <SelectField label={s.programs.targetOpd} value={opd} onChange={(e) => setOpd(e.target.value)} options={[{ value: '', label: '—' }, ...opds]} />
        <Button type="submit" busy={state.fetching}>
          {s.programs.submit}
        </Button>
      </form>
    </Section>
  );
}

function ScheduleSession({ program, onDone }: { program: Program; onDone: (m: Message) => void }) {
  const day = todayIso();
  const [title, setTitle] = useState('');
  const [startsAt, setStartsAt] = useState(`${day}T09:00`);
  const [endsAt, setEndsAt] = useState(`${day}T11:00`);
  const [facilitator, setFacilitator] = useState('');
  const [capacity, setCapacity] = useState('40');
  const [place, setPlace] = useState('');
  const [state, create] = useMutation(CreateSessionDocument);
  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const r = await create({
      input: { programId: program.id, title, startsAt: jakarta(startsAt), endsAt: jakarta(endsAt), facilitator, capacity: Number(capacity), place: place || null },
    });
    const problem = problemOf(r.error, r.data?.createSession.userErrors);
    onDone(problem ? { tone: 'error', text: problem } : { tone: 'ok', text: s.programs.sessionCreated(title) });
    if (!problem) setTitle('');
  }
  return (
    <form className="form toolbar" onSubmit={onSubmit} noValidate aria-label={s.programs.schedule(program.name)}>
      <TextField label={s.programs.sessionTitle} value={title} onChange={(e) => setTitle(e.target.value)} />
      <TextField label={s.programs.startsAt} type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} />
      <TextField label={s.programs.endsAt} type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} />
      <TextField label={s.programs.facilitator} value={facilitator} onChange={(e) => setFacilitator(e.target.value)} />
      <TextField label={s.programs.capacity} type="number" min={1} value={capacity} onChange={(e) => setCapacity(e.target.value)} />
      <TextField label={s.programs.place} value={place} onChange={(e) => setPlace(e.target.value)} />
      <Button type="submit" busy={state.fetching}>
        {s.programs.saveSession}
      </Button>
    </form>
  );
}

function ProgramCard({ program, onDone }: { program: Program; onDone: (m: Message) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <Section title={program.name} level={3}>
      <p className="muted small">
        {formatDay(program.startsOn)} – {formatDay(program.endsOn)}
        {program.targetOpds.length ? ` · ${program.targetOpds.map((o) => o.name).join(', ')}` : ''}
      </p>
      {program.goal ? <p>{program.goal}</p> : null}
      <h4>{s.programs.sessions}</h4>
      {program.sessions.length === 0 ? <Empty>{s.programs.noSessions}</Empty> : null}
      <ul className="plain-list">
        {program.sessions.map((session) => (
          <li key={session.id} className="row">
            <span>
              <Link href={`/sosialisasi/sesi/${session.id}`}>{session.title}</Link> <span className="muted small">· {formatDateTime(session.startsAt)}</span>
            </span>
            <span className="muted small">
              {s.programs.invited(session.invitedCount)} · {s.programs.attended(session.attendedCount)}
            </span>
          </li>
        ))}
      </ul>
      <Button variant="secondary" aria-expanded={open} aria-label={s.programs.schedule(program.name)} onClick={() => setOpen(!open)}>
        {s.programs.scheduleShort}
      </Button>
      {open ? <ScheduleSession program={program} onDone={onDone} /> : null}
    </Section>
  );
}

export default function ProgramsScreen() {
  const [{ data, error }] = useQuery({ query: ProgramsDocument, variables: { first: 50 } });
  const [message, setMessage] = useState<Message>(null);
  const programs = data?.programs.edges.map((e) => e.node) ?? [];
  return (
    <>
      <PageTitle>{s.programs.title}</PageTitle>
      <p className="muted">{s.programs.intro}</p>
      <CreateProgram onDone={setMessage} />
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
      <QueryError error={error} />
      {!data && !error ? <Loading /> : null}
      {data && programs.length === 0 ? <Empty>{s.programs.none}</Empty> : null}
      <div className="cards">
        {programs.map((p) => (
          <ProgramCard key={p.id} program={p} onDone={setMessage} />
        ))}
      </div>
    </>
  );
}
