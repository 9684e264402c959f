// Mentoring alerts for the supervisor, arriving live, each with its reasons and the responses:
// plan coaching, recommend a course, acknowledge, or dismiss with a reason. Never a score.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  ActOnMentoringAlertDocument,
  MentoringAlertsDocument,
  TrainingRecommendationsDocument,
  type AlertAction,
  type MentoringAlertsQuery,
} from '../gql/graphql';
import { formatDateTime } from '../i18n/format';
import { t } from '../i18n/id';
import { useViewer } from '../app/viewer';
import { alertActionLabel, alertStatusLabel } from '../performance/labels';
import { Badge, Button, Empty, Loading, Notice, PageTitle, QueryError, Section, SelectField, TextArea } from '../ui/components';
import { useLiveAlerts } from './useLiveAlerts';

type Alert = NonNullable<MentoringAlertsQuery['mentoringAlerts']>['edges'][number]['node'];

// The employee's own recommendations: the supervisor picks one of them to assign.
function TrainingChoice({ employeeId, busy, onChoose, onCancel }: {
  employeeId: string;
  busy: boolean;
  onChoose: (courseId: string) => void;
  onCancel: () => void;
}) {
  const [recs] = useQuery({ query: TrainingRecommendationsDocument, variables: { employeeId, limit: 10 } });
  const options = (recs.data?.trainingRecommendations ?? []).map((r) => ({
    value: r.course.id,
    label: `${r.course.title} (${r.course.jpHours} JP)`,
  }));
  const [chosen, setChosen] = useState('');
  const value = chosen || options[0]?.value || '';
  const reasons = recs.data?.trainingRecommendations?.find((r) => r.course.id === value)?.reasons ?? [];
  if (recs.fetching) return <Loading />;
  if (recs.error) return <QueryError error={recs.error} />;
  if (!options.length) return <Notice>{t.alerts.noTraining}</Notice>;
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        onChoose(value);
      }}
    >
      <SelectField label={t.alerts.course} hint={t.alerts.courseHint} options={options} value={value} onChange={(e) => setChosen(e.target.value)} />
      {reasons.length ? (
        <ul className="reasons small">
          {reasons.map((r) => (
            <li key={r.code}>{r.explanation}</li>
          ))}
        </ul>
      ) : null}
      <div className="button-row">
        <Button type="submit" busy={busy} disabled={!value}>
          {t.alerts.confirmTraining}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t.common.cancel}
        </Button>
      </div>
    </form>
  );
}

function AlertCard({ alert }: { alert: Alert }) {
  const viewer = useViewer();
  const [state, act] = useMutation(ActOnMentoringAlertDocument);
  const [mode, setMode] = useState<'coaching' | 'dismiss' | 'training' | null>(null);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const open = alert.status === 'OPEN' || alert.status === 'ACKNOWLEDGED';
  const name = alert.employee?.name ?? '';

  async function run(action: AlertAction, extra: { reason?: string; goal?: string; courseId?: string } = {}) {
    const result = await act({
      input: {
        alertId: alert.id,
        action,
        reason: extra.reason ?? null,
        goal: extra.goal ?? null,
        coachId: action === 'CREATE_COACHING' ? (viewer.employee?.id ?? null) : null,
        courseId: extra.courseId ?? null,
      },
    });
    const errors = result.data?.actOnMentoringAlert.userErrors ?? [];
    if (result.error || errors.length) setProblem(errors[0]?.message ?? t.common.failed);
    else {
      setProblem(null);
      setMode(null);
      setText('');
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (mode === 'coaching') void run('CREATE_COACHING', { goal: text.trim() });
    if (mode === 'dismiss') void run('DISMISS', { reason: text.trim() });
  }

  return (
    <li className="card alert" data-alert-id={alert.id}>
      <div className="indicator-head">
        <h3>{name}</h3>
        <Badge tone={open ? 'warn' : 'ok'}>{alertStatusLabel[alert.status]}</Badge>
      </div>
      <p className="muted small">
        {alert.employee?.jabatanName} · {formatDateTime(alert.raisedAt)}
      </p>
      <p className="small">{t.alerts.why}</p>
      <ul className="reasons">
        {alert.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      {alert.action ? (
        <p>
          <strong>{t.alerts.response}</strong> {alertActionLabel[alert.action]}
          {alert.dismissReason ? ` (${alert.dismissReason})` : ''}
        </p>
      ) : null}
      {problem ? <Notice tone="error">{problem}</Notice> : null}
      {open && !mode ? (
        <div className="button-row">
          <Button onClick={() => setMode('coaching')} aria-label={t.alerts.coachingLabel(name)}>
            {t.alerts.coaching}
          </Button>
          <Button variant="secondary" busy={state.fetching} onClick={() => setMode('training')} aria-label={t.alerts.trainingLabel(name)}>
            {t.alerts.training}
          </Button>
          {alert.status === 'OPEN' ? (
            <Button variant="secondary" busy={state.fetching} onClick={() => void run('ACKNOWLEDGE')} aria-label={t.alerts.acknowledgeLabel(name)}>
              {t.alerts.acknowledge}
            </Button>
          ) : null}
          <Button variant="quiet" onClick={() => setMode('dismiss')} aria-label={t.alerts.dismissLabel(name)}>
            {t.alerts.dismiss}
          </Button>
        </div>
      ) : null}
      {mode === 'training' && alert.employee ? (
        <TrainingChoice
          employeeId={alert.employee.id}
          busy={state.fetching}
          onChoose={(courseId) => void run('RECOMMEND_TRAINING', { courseId })}
          onCancel={() => setMode(null)}
        />
      ) : null}
      {mode === 'coaching' || mode === 'dismiss' ? (
        <form className="form" onSubmit={onSubmit}>
          <TextArea
            label={mode === 'coaching' ? t.alerts.goal : t.alerts.dismissReason}
            hint={mode === 'coaching' ? t.alerts.goalHint : t.alerts.dismissHint}
            rows={2}
            value={text}
            onChange={(e) => setText(e.target.value)}
            required
          />
          <div className="button-row">
            <Button type="submit" busy={state.fetching} disabled={text.trim().length < 3}>
              {mode === 'coaching' ? t.alerts.confirmCoaching : t.alerts.confirmDismiss}
            </Button>
            <Button variant="secondary" onClick={() => setMode(null)}>
              {t.common.cancel}
            </Button>
          </div>
        </form>
      ) : null}
    </li>
  );
}

export function AlertsScreen() {
  useLiveAlerts();
  const [{ data, error }] = useQuery({ query: MentoringAlertsDocument, variables: { first: 30 } });
  const alerts = data?.mentoringAlerts?.edges.map((e) => e.node) ?? [];
  const open = alerts.filter((a) => a.status === 'OPEN' || a.status === 'ACKNOWLEDGED');
  const done = alerts.filter((a) => !open.includes(a));
  return (
    <>
      <PageTitle back="/tim">{t.alerts.title}</PageTitle>
      <p className="muted">{t.alerts.intro}</p>
      <QueryError error={error} />
      {!data ? <Loading /> : null}
      <Section title={t.alerts.open(open.length)}>
        {data && open.length === 0 ? <Empty>{t.alerts.none}</Empty> : null}
        <ul className="plain-list cards" data-testid="open-alerts">
          {open.map((a) => (
            <AlertCard key={a.id} alert={a} />
          ))}
        </ul>
      </Section>
      {done.length ? (
        <Section title={t.alerts.handled}>
          <ul className="plain-list cards">
            {done.map((a) => (
              <AlertCard key={a.id} alert={a} />
            ))}
          </ul>
        </Section>
      ) : null}
    </>
  );
}
