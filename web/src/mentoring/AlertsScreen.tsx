// Mentoring alerts for the supervisor, arriving live, each with its reasons and the responses:
// plan coaching, recommend a course, acknowledge, or dismiss with a reason. Never a score.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ActOnMentoringAlertDocument, MentoringAlertsDocument, type AlertAction, type MentoringAlertsQuery } from '../gql/graphql';
import { formatDateTime } from '../i18n/format';
import { t } from '../i18n/id';
import { useViewer } from '../app/viewer';
import { alertActionLabel, alertStatusLabel } from '../performance/labels';
import { Badge, Button, Empty, Loading, Notice, PageTitle, QueryError, Section, TextArea } from '../ui/components';
import { useLiveAlerts } from './useLiveAlerts';

type Alert = NonNullable<MentoringAlertsQuery['mentoringAlerts']>['edges'][number]['node'];

function AlertCard({ alert }: { alert: Alert }) {
  const viewer = useViewer();
  const [state, act] = useMutation(ActOnMentoringAlertDocument);
  const [mode, setMode] = useState<'coaching' | 'dismiss' | null>(null);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const open = alert.status === 'OPEN' || alert.status === 'ACKNOWLEDGED';
  const name = alert.employee?.name ?? '';

  async function run(action: AlertAction, extra: { reason?: string; goal?: string } = {}) {
    const result = await act({
      input: {
        alertId: alert.id,
        action,
        reason: extra.reason ?? null,
        goal: extra.goal ?? null,
        coachId: action === 'CREATE_COACHING' ? (viewer.employee?.id ?? null) : null,
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
          <Button variant="secondary" busy={state.fetching} onClick={() => void run('RECOMMEND_TRAINING')} aria-label={t.alerts.trainingLabel(name)}>
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
      {mode ? (
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
