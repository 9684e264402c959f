// Correct an activity before it is verified (a rejected one goes back for verification), or
// withdraw one logged by mistake while it awaits verification (two taps: ask, then confirm).
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { useLocation, useParams } from 'wouter';
import { ActivityByIdDocument, UpdateActivityDocument, WithdrawActivityDocument } from '../gql/graphql';
import { todayIso } from '../i18n/format';
import { t } from '../i18n/id';
import { Badge, Button, Loading, Notice, PageTitle, QueryError, Section, TextArea, TextField } from '../ui/components';
import { activityStatusLabel, activityStatusTone } from './labels';

export function EditActivityScreen() {
  const { id = '' } = useParams<{ id: string }>();
  const [, navigate] = useLocation();
  const [{ data, error }] = useQuery({ query: ActivityByIdDocument, variables: { id } });
  const [update, runUpdate] = useMutation(UpdateActivityDocument);
  const [withdrawal, runWithdraw] = useMutation(WithdrawActivityDocument);
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const activity = data?.node?.__typename === 'Activity' ? data.node : null;
  const [form, setForm] = useState({ activityDate: '', quantity: '', unit: '', durationMinutes: '', description: '' });
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    if (!activity) return;
    setForm({
      activityDate: activity.activityDate,
      quantity: String(activity.quantity),
      unit: activity.unit,
      durationMinutes: activity.durationMinutes == null ? '' : String(activity.durationMinutes),
      description: activity.description,
    });
  }, [activity]);

  if (error) return <QueryError error={error} />;
  if (!data) return <Loading />;
  if (!activity) return <Notice tone="error">{t.activities.notFound}</Notice>;
  const locked = activity.status === 'VERIFIED' || activity.status === 'WITHDRAWN';

  async function onWithdraw() {
    if (!activity) return;
    const result = await runWithdraw({ input: { activityId: activity.id } });
    const errors = result.data?.withdrawActivity.userErrors ?? [];
    if (result.error) setMessage(t.common.failed);
    else if (errors.length) setMessage(errors.map((e) => e.message).join('; '));
    else {
      setConfirming(false);
      setDone(t.activities.withdrawn(activity.description));
    }
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!activity) return;
    const result = await runUpdate({
      input: {
        activityId: activity.id,
        activity: {
          activityDate: form.activityDate,
          description: form.description.trim(),
          quantity: Number(form.quantity || '0'),
          unit: form.unit.trim(),
          durationMinutes: form.durationMinutes ? Number(form.durationMinutes) : null,
          evidenceLinks: activity.evidenceLinks,
          indicatorId: activity.indicator?.id ?? null,
        },
      },
    });
    const errors = result.data?.updateActivity.userErrors ?? [];
    if (result.error) setMessage(t.common.failed);
    else if (errors.length) setMessage(errors.map((e) => e.message).join('; '));
    else navigate('/aktivitas');
  }

  return (
    <>
      <PageTitle back="/aktivitas">{t.activities.editTitle}</PageTitle>
      <p>
        <Badge tone={activityStatusTone[activity.status]}>{activityStatusLabel[activity.status]}</Badge>{' '}
        {activity.indicator ? <span className="muted">{activity.indicator.description}</span> : null}
      </p>
      {activity.rejectionNote ? <Notice tone="warn">{t.activities.rejectionNote(activity.rejectionNote)}</Notice> : null}
      {done ? <Notice tone="ok">{done}</Notice> : null}
      {locked ? <Notice tone="info">{activity.status === 'WITHDRAWN' ? t.activities.withdrawnLocked : t.activities.locked}</Notice> : null}
      <form className="card form" onSubmit={onSubmit} noValidate>
        <fieldset disabled={locked} className="plain-fieldset">
          <legend className="sr-only">{t.activities.editTitle}</legend>
          <div className="grid-2">
            <TextField label={t.log.quantity} type="number" min={0} step="any" value={form.quantity} onChange={(e) => setForm({ ...form, quantity: e.target.value })} />
            <TextField label={t.log.unit} value={form.unit} onChange={(e) => setForm({ ...form, unit: e.target.value })} />
          </div>
          <div className="grid-2">
            <TextField label={t.log.duration} type="number" min={0} value={form.durationMinutes} onChange={(e) => setForm({ ...form, durationMinutes: e.target.value })} />
            <TextField label={t.log.date} type="date" max={todayIso()} value={form.activityDate} onChange={(e) => setForm({ ...form, activityDate: e.target.value })} />
          </div>
          <TextArea label={t.log.description} rows={3} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
          {message ? <Notice tone="error">{message}</Notice> : null}
          <Button type="submit" busy={update.fetching}>
            {t.common.save}
          </Button>
        </fieldset>
      </form>
      {activity.status === 'SUBMITTED' ? (
        <Section title={t.activities.withdrawTitle}>
          <p className="muted">{t.activities.withdrawHint}</p>
          {confirming ? (
            <div className="button-row">
              <Button variant="danger" busy={withdrawal.fetching} onClick={() => void onWithdraw()}>
                {t.activities.withdrawConfirm}
              </Button>
              <Button variant="secondary" onClick={() => setConfirming(false)}>
                {t.common.cancel}
              </Button>
            </div>
          ) : (
            <Button variant="secondary" onClick={() => setConfirming(true)}>
              {t.activities.withdraw}
            </Button>
          )}
        </Section>
      ) : null}
    </>
  );
}
