// The evaluation form (PermenPANRB 6/2022): realisation per indicator (hasil kerja), the seven
// BerAKHLAK behaviours with a rating and a note, the portal's suggested hasil rating with its
// explanation, an override that needs a reason, the perilaku rating, and the resulting predikat.
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { useParams } from 'wouter';
import { EvaluationByIdDocument, FinaliseEvaluationDocument, UpdateEvaluationDocument, type BerAkhlak, type Rating } from '../gql/graphql';
import { formatNumber, formatPercent } from '../i18n/format';
import { t } from '../i18n/id';
import { Badge, Button, Loading, Notice, PageTitle, QueryError, RadioGroup, Section, TextArea, TextField } from '../ui/components';
import { AnnualResultPanel } from '../processes/AnnualResultPanel';
import { PdfButton } from '../processes/PdfButton';
import { evaluationStatusLabel, ratingLabel } from './labels';

const RATINGS: Rating[] = ['DI_ATAS_EKSPEKTASI', 'SESUAI_EKSPEKTASI', 'DI_BAWAH_EKSPEKTASI'];
const ratingOptions = RATINGS.map((r) => ({ value: r, label: ratingLabel[r] }));

interface Draft {
  indicators: Record<string, { realisation: string; evidence: string; feedback: string }>;
  behaviours: Record<string, { rating: Rating | null; note: string }>;
  hasilRating: Rating | null;
  hasilOverrideReason: string;
  perilakuRating: Rating | null;
  feedback: string;
}

export function EvaluationScreen() {
  const { id = '' } = useParams<{ id: string }>();
  const [{ data, error }] = useQuery({ query: EvaluationByIdDocument, variables: { id } });
  const [saving, save] = useMutation(UpdateEvaluationDocument);
  const [finalising, finalise] = useMutation(FinaliseEvaluationDocument);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const evaluation = data?.node && 'status' in data.node ? data.node : null;

  useEffect(() => {
    if (!evaluation || draft) return;
    setDraft({
      indicators: Object.fromEntries(
        evaluation.indicators.map((line) => [
          line.indicator.id,
          { realisation: line.realisation == null ? '' : String(line.realisation), evidence: line.evidence, feedback: line.feedback },
        ]),
      ),
      behaviours: Object.fromEntries(evaluation.behaviours.map((b) => [b.value, { rating: b.rating ?? null, note: b.note }])),
      hasilRating: evaluation.hasilRating ?? evaluation.suggestedHasil ?? null,
      hasilOverrideReason: evaluation.hasilOverrideReason ?? '',
      perilakuRating: evaluation.perilakuRating ?? null,
      feedback: evaluation.feedback,
    });
  }, [evaluation, draft]);

  if (error) return <QueryError error={error} />;
  if (!data) return <Loading />;
  if (!evaluation) return <Notice tone="error">{t.evaluations.notFound}</Notice>;
  if (!draft) return <Loading />;
  const editable = evaluation.status === 'DRAFT';
  const overriding = draft.hasilRating != null && evaluation.suggestedHasil != null && draft.hasilRating !== evaluation.suggestedHasil;

  async function onSave(event?: FormEvent): Promise<boolean> {
    event?.preventDefault();
    if (!evaluation || !draft) return false;
    if (overriding && draft.hasilOverrideReason.trim().length < 10) {
      setMessage({ tone: 'error', text: t.evaluations.overrideTooShort });
      return false;
    }
    const result = await save({
      input: {
        evaluationId: evaluation.id,
        indicators: Object.entries(draft.indicators).map(([indicatorId, line]) => ({
          indicatorId,
          realisation: line.realisation === '' ? null : Number(line.realisation),
          evidence: line.evidence,
          feedback: line.feedback,
        })),
        behaviours: Object.entries(draft.behaviours).map(([value, line]) => ({ value: value as BerAkhlak, rating: line.rating, note: line.note })),
        hasilRating: draft.hasilRating,
        hasilOverrideReason: overriding ? draft.hasilOverrideReason.trim() : null,
        perilakuRating: draft.perilakuRating,
        feedback: draft.feedback,
      },
    });
    const errors = result.data?.updateEvaluation.userErrors ?? [];
    if (result.error || errors.length) {
      setMessage({ tone: 'error', text: errors.map((e) => e.message).join('; ') || t.common.failed });
      return false;
    }
    setMessage({ tone: 'ok', text: t.evaluations.saved });
    return true;
  }

  async function onFinalise() {
    if (!evaluation || !(await onSave())) return;
    const result = await finalise({ input: { evaluationId: evaluation.id } });
    const errors = result.data?.finaliseEvaluation.userErrors ?? [];
    setMessage(result.error || errors.length ? { tone: 'error', text: errors.map((e) => e.message).join('; ') || t.common.failed } : { tone: 'ok', text: t.evaluations.finalised });
  }

  const setLine = (indicatorId: string, key: 'realisation' | 'evidence' | 'feedback', value: string) => {
    const line = draft.indicators[indicatorId] ?? { realisation: '', evidence: '', feedback: '' };
    setDraft({ ...draft, indicators: { ...draft.indicators, [indicatorId]: { ...line, [key]: value } } });
  };
  const setBehaviour = (value: string, patch: Partial<{ rating: Rating | null; note: string }>) => {
    const line = draft.behaviours[value] ?? { rating: null, note: '' };
    setDraft({ ...draft, behaviours: { ...draft.behaviours, [value]: { ...line, ...patch } } });
  };

  return (
    <>
      <PageTitle back="/tim/penilaian">{t.evaluations.formTitle(evaluation.employee.name)}</PageTitle>
      <p className="chips">
        <Badge tone="neutral">{evaluation.period.name}</Badge>
        <Badge tone={editable ? 'info' : 'ok'}>{evaluationStatusLabel[evaluation.status]}</Badge>
        {evaluation.predikatLabel ? <Badge tone="ok">{t.evaluations.predikat(evaluation.predikatLabel)}</Badge> : null}
      </p>
      {evaluation.status === 'FINAL' ? (
        <PdfButton path={`/documents/evaluation/${encodeURIComponent(evaluation.id)}`} fallbackName="evaluasi.pdf">
          {t.processes.evaluationPdf}
        </PdfButton>
      ) : null}
      {evaluation.period.kind === 'ANNUAL' ? <AnnualResultPanel employeeId={evaluation.employee.id} periodId={evaluation.period.id} level={2} /> : null}
      <form onSubmit={(e) => void onSave(e)} noValidate>
        <fieldset disabled={!editable} className="plain-fieldset">
          <legend className="sr-only">{t.evaluations.formTitle(evaluation.employee.name)}</legend>
          <Section title={t.evaluations.hasil}>
            {evaluation.indicators.map((line) => {
              const value = draft.indicators[line.indicator.id];
              return (
                <div key={line.indicator.id} className="eval-line">
                  <h3>{line.indicator.description}</h3>
                  <p className="muted small">
                    {t.evaluations.target(formatNumber(line.indicator.targetValue), line.indicator.unit)}
                    {line.achievement != null ? ` · ${t.evaluations.achievement(formatPercent(line.achievement))}` : ''}
                  </p>
                  <TextField label={t.evaluations.realisation(line.indicator.unit)} type="number" min={0} step="any" value={value?.realisation ?? ''} onChange={(e) => setLine(line.indicator.id, 'realisation', e.target.value)} />
                  <TextField label={t.evaluations.evidence} value={value?.evidence ?? ''} onChange={(e) => setLine(line.indicator.id, 'evidence', e.target.value)} />
                  <TextArea label={t.evaluations.lineFeedback} rows={2} value={value?.feedback ?? ''} onChange={(e) => setLine(line.indicator.id, 'feedback', e.target.value)} />
                </div>
              );
            })}
            <div className="suggestion" data-testid="suggestion">
              <p>
                <strong>{t.evaluations.suggested}</strong> {evaluation.suggestedHasil ? ratingLabel[evaluation.suggestedHasil] : '-'}
              </p>
              <p className="muted small">{evaluation.suggestionExplanation}</p>
            </div>
            <RadioGroup legend={t.evaluations.hasilRating} name="hasil" value={draft.hasilRating} options={ratingOptions} onChange={(v) => setDraft({ ...draft, hasilRating: v as Rating })} />
            {overriding ? (
              <TextArea
                label={t.evaluations.overrideReason}
                hint={t.evaluations.overrideHint}
                rows={2}
                value={draft.hasilOverrideReason}
                onChange={(e) => setDraft({ ...draft, hasilOverrideReason: e.target.value })}
                required
              />
            ) : null}
          </Section>
          <Section title={t.evaluations.perilaku}>
            {evaluation.behaviours.map((b) => (
              <div key={b.value} className="eval-line">
                <RadioGroup legend={b.label} name={`b-${b.value}`} value={draft.behaviours[b.value]?.rating ?? null} options={ratingOptions} onChange={(v) => setBehaviour(b.value, { rating: v as Rating })} />
                <TextField label={t.evaluations.behaviourNote(b.label)} value={draft.behaviours[b.value]?.note ?? ''} onChange={(e) => setBehaviour(b.value, { note: e.target.value })} />
              </div>
            ))}
            <RadioGroup legend={t.evaluations.perilakuRating} name="perilaku" value={draft.perilakuRating} options={ratingOptions} onChange={(v) => setDraft({ ...draft, perilakuRating: v as Rating })} />
          </Section>
          <Section title={t.evaluations.overall}>
            <TextArea label={t.evaluations.feedback} rows={3} value={draft.feedback} onChange={(e) => setDraft({ ...draft, feedback: e.target.value })} />
            {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
            <div className="button-row">
              <Button type="submit" busy={saving.fetching}>
                {t.common.save}
              </Button>
              <Button variant="secondary" busy={finalising.fetching} onClick={() => void onFinalise()}>
                {t.evaluations.finalise}
              </Button>
            </div>
          </Section>
        </fieldset>
      </form>
    </>
  );
}
