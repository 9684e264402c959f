// The employee's own performance record (issue 20): the official PDFs of their SKP and final
// evaluations, and for a FINAL annual evaluation the keberatan: the deadline, the form to file
// one while the window is open, and the decision once the atasan of the pejabat penilai decided;
// for a year split by a mutasi, its parts and the combined annual predikat.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { FileObjectionDocument, MyEvaluationsDocument, MySkpDocument, ObjectionWindowDocument } from '../gql/graphql';
import { formatDay } from '../i18n/format';
import { t } from '../i18n/id';
import { useViewer } from '../app/viewer';
import { predikatLabel } from '../performance/labels';
import { Badge, Button, Empty, Loading, Notice, PageTitle, QueryError, Section, TextArea } from '../ui/components';
import { AnnualResultPanel } from './AnnualResultPanel';
import { PdfButton } from './PdfButton';

const MIN_REASON = 20;

function ObjectionPanel({ evaluationId }: { evaluationId: string }) {
  const [{ data, error }, refetch] = useQuery({ query: ObjectionWindowDocument, variables: { evaluationId } });
  const [filing, file] = useMutation(FileObjectionDocument);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const window_ = data?.objectionWindow;
  if (error && !data) return <QueryError error={error} />;
  if (!window_?.deadline) return null; // not a FINAL annual evaluation: no keberatan
  const objection = window_.objection;

  async function onFile(event: FormEvent) {
    event.preventDefault();
    if (reason.trim().length < MIN_REASON) {
      setProblem(t.processes.reasonHint);
      return;
    }
    setProblem(null);
    const result = await file({ input: { evaluationId, reason } });
    const payload = result.data?.fileObjection;
    if (payload?.objection) {
      setDone(true);
      refetch({ requestPolicy: 'network-only' });
    } else setProblem(payload?.userErrors.map((e) => e.message).join('; ') || t.common.failed);
  }

  return (
    <Section title={t.processes.objection} level={3}>
      {done ? <Notice tone="ok">{t.processes.filed}</Notice> : null}
      {objection ? (
        <div className="stack">
          <p>
            <Badge tone={objection.status === 'SUBMITTED' ? 'info' : 'ok'}>{t.processes.status(objection.statusLabel)}</Badge>
          </p>
          <p className="muted small">{t.processes.original(predikatLabel[objection.originalPredikat])}</p>
          <p>
            <strong>{t.processes.yourReason}:</strong> {objection.reason}
          </p>
          {objection.decider ? <p className="muted small">{t.processes.decider(objection.decider.name)}</p> : null}
          {objection.decidedPredikat ? (
            <div className="notice notice-info" role="status">
              <p>
                <strong>{t.processes.decision}:</strong> {objection.decisionReason}
              </p>
              <p>{t.processes.decidedPredikat(predikatLabel[objection.decidedPredikat])}</p>
            </div>
          ) : null}
        </div>
      ) : window_.canFile ? (
        <form className="form" onSubmit={(e) => void onFile(e)}>
          <p>
            <strong>{t.processes.deadline(formatDay(window_.deadline))}</strong>
          </p>
          <TextArea label={t.processes.reason} hint={t.processes.reasonHint} error={problem} value={reason} onChange={(e) => setReason(e.target.value)} rows={4} />
          <Button type="submit" busy={filing.fetching}>
            {t.processes.file}
          </Button>
        </form>
      ) : (
        <p className="muted">{t.processes.deadlinePassed(formatDay(window_.deadline))}</p>
      )}
    </Section>
  );
}

export function MyPerformanceScreen() {
  const viewer = useViewer();
  const [skp] = useQuery({ query: MySkpDocument, variables: {} });
  const [{ data, error }] = useQuery({
    query: MyEvaluationsDocument,
    variables: { first: 20, filter: { employeeId: viewer.employee?.id ?? null } },
    pause: !viewer.employee,
  });
  const finals = data?.evaluations.edges.map((e) => e.node).filter((n) => n.status === 'FINAL') ?? [];
  return (
    <>
      <PageTitle back="/">{t.processes.title}</PageTitle>
      <Section title={t.processes.documents}>
        {skp.data?.mySkp ? (
          <PdfButton path={`/documents/skp/${encodeURIComponent(skp.data.mySkp.id)}`} fallbackName="skp.pdf">
            {t.processes.skpPdf}
          </PdfButton>
        ) : skp.data ? (
          <Empty>{t.processes.noSkp}</Empty>
        ) : (
          <Loading />
        )}
      </Section>
      <Section title={t.processes.evaluations}>
        <QueryError error={error} />
        {!data && !error ? <Loading /> : null}
        {data && finals.length === 0 ? <Empty>{t.processes.noEvaluations}</Empty> : null}
        <ul className="plain-list">
          {finals.map((e) => (
            <li key={e.id} className="stack">
              <div className="indicator-head">
                <strong>{e.period.name}</strong>
                {e.predikat ? <Badge tone="neutral">{predikatLabel[e.predikat]}</Badge> : null}
              </div>
              <PdfButton path={`/documents/evaluation/${encodeURIComponent(e.id)}`} fallbackName="evaluasi.pdf" label={t.processes.evaluationPdfOf(e.period.name)}>
                {t.processes.evaluationPdf}
              </PdfButton>
              {e.period.kind === 'ANNUAL' && viewer.employee && finals.findIndex((f) => f.period.id === e.period.id) === finals.indexOf(e) ? <AnnualResultPanel employeeId={viewer.employee.id} periodId={e.period.id} /> : null}
              <ObjectionPanel evaluationId={e.id} />
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}
