// Keberatan the viewer decides as atasan of the pejabat penilai (issue 20): each one with the
// employee's reason, and a final decision: uphold the predikat, or change the ratings, with
// reasons. Decided ones stay listed with their decision.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { DecideObjectionDocument, ObjectionsDocument, type ObjectionDecision, type ObjectionsQuery, type Rating } from '../gql/graphql';
import { formatDay, formatDateTime } from '../i18n/format';
import { t } from '../i18n/id';
import { predikatLabel, ratingLabel } from '../performance/labels';
import { Badge, Button, Empty, Loading, Notice, PageTitle, QueryError, RadioGroup, Section, TextArea } from '../ui/components';

type Objection = ObjectionsQuery['objections']['edges'][number]['node'];

const RATINGS: Rating[] = ['DI_ATAS_EKSPEKTASI', 'SESUAI_EKSPEKTASI', 'DI_BAWAH_EKSPEKTASI'];
const ratingOptions = RATINGS.map((r) => ({ value: r, label: ratingLabel[r] }));
const MIN_REASON = 20;

function DecideForm({ objection, onDecided }: { objection: Objection; onDecided: () => void }) {
  const [deciding, decide] = useMutation(DecideObjectionDocument);
  const [decision, setDecision] = useState<ObjectionDecision | null>(null);
  const [hasil, setHasil] = useState<Rating | null>(null);
  const [perilaku, setPerilaku] = useState<Rating | null>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const name = objection.employee?.name ?? '';

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!decision || reason.trim().length < MIN_REASON || (decision === 'CHANGE' && (!hasil || !perilaku))) {
      setProblem(t.processes.decisionHint);
      return;
    }
    setProblem(null);
    const result = await decide({
      input: { objectionId: objection.id, decision, reason, hasil: decision === 'CHANGE' ? hasil : null, perilaku: decision === 'CHANGE' ? perilaku : null },
    });
    const payload = result.data?.decideObjection;
    if (payload?.objection) onDecided();
    else setProblem(payload?.userErrors.map((e) => e.message).join('; ') || t.common.failed);
  }

  return (
    <form className="form" onSubmit={(e) => void onSubmit(e)} aria-label={t.processes.ofEmployee(name)}>
      <RadioGroup
        legend={t.processes.decide}
        name={`decision-${objection.id}`}
        value={decision}
        options={[
          { value: 'UPHOLD', label: t.processes.uphold },
          { value: 'CHANGE', label: t.processes.change },
        ]}
        onChange={(v) => setDecision(v as ObjectionDecision)}
      />
      {decision === 'CHANGE' ? (
        <>
          <RadioGroup legend={t.processes.hasil} name={`hasil-${objection.id}`} value={hasil} options={ratingOptions} onChange={(v) => setHasil(v as Rating)} />
          <RadioGroup legend={t.processes.perilaku} name={`perilaku-${objection.id}`} value={perilaku} options={ratingOptions} onChange={(v) => setPerilaku(v as Rating)} />
        </>
      ) : null}
      <TextArea label={t.processes.decisionReason} hint={t.processes.decisionHint} error={problem} value={reason} onChange={(e) => setReason(e.target.value)} rows={4} />
      <Button type="submit" busy={deciding.fetching}>
        {t.processes.submitDecision}
      </Button>
    </form>
  );
}

export function ObjectionsScreen() {
  const [{ data, error }, refetch] = useQuery({ query: ObjectionsDocument, variables: { first: 50, toDecide: true } });
  const [decided, setDecided] = useState(false);
  if (error && !data) return <QueryError error={error} />;
  if (!data) return <Loading />;
  const objections = data.objections.edges.map((e) => e.node);
  const waiting = objections.filter((o) => o.status === 'SUBMITTED');
  return (
    <>
      <PageTitle back="/tim">{t.processes.toDecideTitle}</PageTitle>
      {decided ? <Notice tone="ok">{t.processes.decided}</Notice> : null}
      {waiting.length === 0 ? <Empty>{t.processes.noneToDecide}</Empty> : null}
      {objections.map((o) => (
        <Section key={o.id} title={t.processes.ofEmployee(o.employee?.name ?? '')}>
          <p>
            <Badge tone={o.status === 'SUBMITTED' ? 'info' : 'ok'}>{o.statusLabel}</Badge>
          </p>
          <p className="muted small">
            {t.processes.filedOn(formatDateTime(o.filedAt), formatDay(o.deadline))}
            {o.rater ? ` · ${o.rater.name}` : ''}
          </p>
          <p className="muted small">{t.processes.original(predikatLabel[o.originalPredikat])}</p>
          <p>{o.reason}</p>
          {o.status === 'SUBMITTED' ? (
            <DecideForm
              objection={o}
              onDecided={() => {
                setDecided(true);
                refetch({ requestPolicy: 'network-only' });
              }}
            />
          ) : (
            <div className="notice notice-info">
              <p>
                <strong>{t.processes.decision}:</strong> {o.decisionReason}
              </p>
              {o.decidedPredikat ? <p>{t.processes.decidedPredikat(predikatLabel[o.decidedPredikat])}</p> : null}
            </div>
          )}
        </Section>
      ))}
    </>
  );
}
