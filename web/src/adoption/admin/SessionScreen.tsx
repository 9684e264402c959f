// One session: invite an OPD or a unit, check people in by the QR code on their phone (the
// employee app's "Kode hadir": the device's camera, or a handheld scanner typing into the
// field) or by NIP, and the attendance list (printable).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { useParams } from 'wouter';
import { CheckInDocument, InviteUnitDocument, OrgTreeDocument, SessionByIdDocument } from '../../gql/graphql';
import { formatDateTime } from '../../i18n/format';
import { useOpdOptions } from '../../admin/pickers';
import { problemOf } from '../../admin/userErrors';
import { Badge, Button, Loading, Notice, PageTitle, QueryError, Section, SelectField } from '../../ui/components';
import { s } from './strings';

/** What a participant's QR code carries: `kinerja-hadir:<NIP>` (a bare NIP is accepted too). */
export function nipFromScan(value: string): string | null {
  const match = /^(?:kinerja-hadir:)?\s*(\d{18})\s*$/.exec(value.trim());
  return match?.[1] ?? null;
}

type Message = { tone: 'ok' | 'error' | 'warn'; text: string } | null;

function Invite({ sessionId }: { sessionId: string }) {
  const opds = useOpdOptions();
  const [{ data }] = useQuery({ query: OrgTreeDocument });
  const [opd, setOpd] = useState('');
  const [unit, setUnit] = useState('');
  const [state, invite] = useMutation(InviteUnitDocument);
  const [message, setMessage] = useState<Message>(null);
  const chosen = data?.opds.find((o) => o.id === opd);
  const units = chosen ? chosen.units.flatMap((u) => [{ value: u.id, label: u.name }, ...u.children.map((c) => ({ value: c.id, label: `— ${c.name}` }))]) : [];
  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const targets = unit ? [unit] : (chosen?.units.map((u) => u.id) ?? []);
    let invited = 0;
    let already = 0;
    for (const unitId of targets) {
      const r = await invite({ input: { sessionId, unitId, includeSubunits: true } });
      const problem = problemOf(r.error, r.data?.inviteUnit.userErrors);
      if (problem) {
        setMessage({ tone: 'error', text: problem });
        return;
      }
      invited += r.data?.inviteUnit.invited ?? 0;
      already += r.data?.inviteUnit.alreadyInvited ?? 0;
    }
    setMessage({ tone: 'ok', text: s.session.invitedResult(invited, already) });
  }
  return (
    <Section title={s.session.invite}>
      <form className="form toolbar" onSubmit={onSubmit}>
        <SelectField
          label={s.session.opd}
          value={opd}
          onChange={(e) => {
            setOpd(e.target.value);
            setUnit('');
          }}
          options={[{ value: '', label: '—' }, ...opds]}
        />
        <SelectField label={s.session.unit} value={unit} onChange={(e) => setUnit(e.target.value)} options={[{ value: '', label: s.session.wholeOpd }, ...units]} />
        <Button type="submit" busy={state.fetching} disabled={!chosen}>
          {s.session.inviteButton}
        </Button>
      </form>
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
    </Section>
  );
}

interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
type DetectorClass = new (options: { formats: string[] }) => Detector;

/**
 * The browser's BarcodeDetector where there is one (Android, ChromeOS, macOS); elsewhere (a
 * Windows or Linux laptop at the door) jsQR, a lazy chunk, reads the video frame by frame.
 */
async function qrReader(): Promise<(video: HTMLVideoElement) => Promise<string | undefined>> {
  const Ctor = (window as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  if (Ctor) {
    const detector = new Ctor({ formats: ['qr_code'] });
    return async (video) => (await detector.detect(video).catch(() => []))[0]?.rawValue;
  }
  const { default: jsQR } = await import('jsqr');
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  return async (video) => {
    if (!context || !video.videoWidth) return undefined;
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    context.drawImage(video, 0, 0);
    const frame = context.getImageData(0, 0, canvas.width, canvas.height);
    return jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' })?.data;
  };
}

function Camera({ onCode }: { onCode: (value: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  // the latest callback, without restarting the camera on each render (a restart would forget
  // the last code and record the same person again)
  const handler = useRef(onCode);
  handler.current = onCode;
  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer = 0;
    let last = '';
    let stopped = false;
    void Promise.all([qrReader(), navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } })]).then(([read, s]) => {
      stream = s;
      if (stopped || !video.current) {
        s.getTracks().forEach((t) => t.stop());
        return;
      }
      video.current.srcObject = s;
      void video.current.play();
      timer = window.setInterval(async () => {
        if (!video.current) return;
        const value = await read(video.current);
        if (value && value !== last) {
          last = value;
          handler.current(value);
        }
      }, 400);
    });
    return () => {
      stopped = true;
      window.clearInterval(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, []);
  return <video ref={video} className="camera" muted playsInline aria-label={s.session.camera} />;
}

function CheckIn({ sessionId }: { sessionId: string }) {
  const [value, setValue] = useState('');
  const [camera, setCamera] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const [, checkIn] = useMutation(CheckInDocument);
  const field = useRef<HTMLInputElement>(null);
  const hasCamera = typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;

  async function record(raw: string) {
    if (!raw.trim()) return;
    const nip = nipFromScan(raw);
    if (!nip) {
      setMessage({ tone: 'error', text: s.session.statuses.UNKNOWN!(`"${raw.trim()}"`) });
      return;
    }
    const r = await checkIn({ input: { sessionId, nips: [nip] } });
    const problem = problemOf(r.error, r.data?.checkIn.userErrors);
    const result = r.data?.checkIn.results[0];
    if (problem || !result) setMessage({ tone: 'error', text: problem ?? '' });
    else {
      const who = result.employee?.name ?? nip;
      setMessage({ tone: result.status === 'CHECKED_IN' ? 'ok' : 'warn', text: s.session.statuses[result.status]!(who) });
    }
    setValue((current) => (current === raw ? '' : current)); // a next scan may already be typed
    field.current?.focus();
  }
  return (
    <Section title={s.session.checkIn}>
      <p className="muted small">{s.session.checkInHint}</p>
      <form
        className="form toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void record(value);
        }}
      >
        <div className="field">
          <label htmlFor="scan-field">{s.session.scanField}</label>
          <input id="scan-field" ref={field} autoComplete="off" inputMode="numeric" value={value} onChange={(e) => setValue(e.target.value)} />
        </div>
        <Button type="submit">{s.session.record}</Button>
        {hasCamera ? (
          <Button variant="secondary" aria-pressed={camera} onClick={() => setCamera(!camera)}>
            {camera ? s.session.cameraStop : s.session.camera}
          </Button>
        ) : null}
      </form>
      {!hasCamera ? <p className="muted small">{s.session.cameraMissing}</p> : null}
      {camera ? <Camera onCode={(code) => void record(code)} /> : null}
      <div role="status" aria-live="polite">
        {message ? <div className={`notice notice-${message.tone}`}>{message.text}</div> : null}
      </div>
    </Section>
  );
}

export default function SessionScreen() {
  const { id } = useParams<{ id: string }>();
  const [{ data, error }] = useQuery({ query: SessionByIdDocument, variables: { id: id ?? '', first: 100 } });
  const node = data?.node;
  if (error && !data) return <QueryError error={error} />;
  if (!node) return <Loading />;
  if (!('participants' in node)) return <QueryError error={{ message: 'not found' }} />;
  const people = node.participants.edges
    .flatMap(({ node: p }) => (p.employee ? [{ ...p, employee: p.employee }] : []))
    .sort((x, y) => Number(!!y.checkedInAt) - Number(!!x.checkedInAt));
  return (
    <>
      <PageTitle back="/sosialisasi">{node.title}</PageTitle>
      <p className="muted">
        {node.program.name} · {formatDateTime(node.startsAt)} – {formatDateTime(node.endsAt)}
        {node.place ? ` · ${node.place}` : ''} · {node.facilitator}
      </p>
      <div className="no-print">
        <Invite sessionId={node.id} />
        <CheckIn sessionId={node.id} />
      </div>
      <Section
        title={`${s.session.attendance} · ${s.session.summary(node.invitedCount, node.attendedCount)}`}
        actions={
          <Button variant="secondary" onClick={() => window.print()}>
            {s.session.print}
          </Button>
        }
      >
        <div className="table-wrap">
          <table className="data-table" aria-label={s.session.attendance}>
            <thead>
              <tr>
                <th scope="col">{s.session.name}</th>
                <th scope="col">{s.session.invitedAt}</th>
                <th scope="col">{s.session.checkedInAt}</th>
              </tr>
            </thead>
            <tbody>
              {people.map((p) => (
                <tr key={p.employee.id}>
                  <th scope="row">{p.employee.name}</th>
                  <td>{p.invitedAt ? formatDateTime(p.invitedAt) : p.lateRegistration ? s.session.late : '—'}</td>
                  <td>{p.checkedInAt ? <Badge tone="ok">{formatDateTime(p.checkedInAt)}</Badge> : <Badge tone="neutral">{s.session.absent}</Badge>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
    </>
  );
}
