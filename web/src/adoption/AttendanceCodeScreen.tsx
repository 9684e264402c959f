// "Kode hadir": the QR code the socialization team scans at a session's door to check the
// employee in. It carries only `kinerja-hadir:<NIP>` (no token: a check-in is recorded by the
// manager's account, only for invited people). The QR encoder (uqr) is a lazy chunk of its own.
import { encode } from 'uqr';
import { useViewer } from '../app/viewer';
import { PageTitle } from '../ui/components';
import { t } from '../i18n/id';

export function attendancePayload(nip: string): string {
  return `kinerja-hadir:${nip}`;
}

function Qr({ text, label }: { text: string; label: string }) {
  const { data, size } = encode(text, { border: 2, ecc: 'M' });
  const cells: string[] = [];
  data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) cells.push(`M${x} ${y}h1v1h-1z`);
    }),
  );
  return (
    <svg viewBox={`0 0 ${size} ${size}`} width="240" height="240" role="img" aria-label={label} shapeRendering="crispEdges" data-payload={text} data-testid="attendance-qr">
      <rect width={size} height={size} fill="#fff" />
      <path d={cells.join('')} fill="#000" />
    </svg>
  );
}

export default function AttendanceCodeScreen() {
  const viewer = useViewer();
  const nip = viewer.employee?.profile?.nip ?? '';
  return (
    <>
      <PageTitle back="/">{t.attendance.title}</PageTitle>
      <p className="muted">{t.attendance.intro}</p>
      <div className="card stack" style={{ alignItems: 'center' }}>
        <div className="qr">
          <Qr text={attendancePayload(nip)} label={t.attendance.qrLabel(nip)} />
        </div>
        <strong>{viewer.employee?.name}</strong>
        <span className="muted">NIP {nip}</span>
      </div>
    </>
  );
}
