// One team member for the supervisor: feedback threads about them, a new piece of feedback,
// and a dialog kinerja record with an agreed action.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link } from 'wouter';
import { useParams } from 'wouter';
import {
  EmployeeByIdDocument,
  FeedbackThreadsDocument,
  OpenDialogActionsDocument,
  OpenFeedbackThreadDocument,
  RecordDialogKinerjaDocument,
  type ThreadKind,
} from '../gql/graphql';
import { formatDay, todayIso } from '../i18n/format';
import { t } from '../i18n/id';
import { Badge, Button, Empty, Loading, Notice, PageTitle, QueryError, Section, SelectField, TextArea, TextField } from '../ui/components';
import { threadKindLabel, threadStatusLabel } from './labels';

const KINDS: ThreadKind[] = ['APPRECIATION', 'IMPROVEMENT', 'QUESTION'];

function FeedbackForm({ employeeId }: { employeeId: string }) {
  const [state, open] = useMutation(OpenFeedbackThreadDocument);
  const [kind, setKind] = useState<ThreadKind>('APPRECIATION');
  const [topic, setTopic] = useState('');
  const [body, setBody] = useState('');
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const result = await open({ input: { employeeId, kind, topic: topic.trim(), body: body.trim() } });
    const errors = result.data?.openFeedbackThread.userErrors ?? [];
    if (result.error || errors.length) setMessage({ tone: 'error', text: errors[0]?.message ?? t.common.failed });
    else {
      setMessage({ tone: 'ok', text: t.member.feedbackSent });
      setTopic('');
      setBody('');
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <SelectField label={t.member.kind} value={kind} onChange={(e) => setKind(e.target.value as ThreadKind)} options={KINDS.map((k) => ({ value: k, label: threadKindLabel[k] }))} />
      <TextField label={t.member.topic} hint={t.member.topicHint} value={topic} maxLength={200} onChange={(e) => setTopic(e.target.value)} />
      <TextArea label={t.member.message} rows={3} maxLength={4000} value={body} onChange={(e) => setBody(e.target.value)} />
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
      <Button type="submit" busy={state.fetching} disabled={topic.trim().length < 3 || !body.trim()}>
        {t.member.sendFeedback}
      </Button>
    </form>
  );
}

function DialogForm({ employeeId }: { employeeId: string }) {
  const [state, record] = useMutation(RecordDialogKinerjaDocument);
  const [wentWell, setWentWell] = useState('');
  const [toImprove, setToImprove] = useState('');
  const [action, setAction] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const result = await record({
      input: {
        employeeId,
        heldOn: todayIso(),
        wentWell: wentWell.trim(),
        toImprove: toImprove.trim(),
        actions: action.trim() ? [{ description: action.trim(), dueOn: dueOn || null }] : [],
      },
    });
    const errors = result.data?.recordDialogKinerja.userErrors ?? [];
    if (result.error || errors.length) setMessage({ tone: 'error', text: errors[0]?.message ?? t.common.failed });
    else {
      setMessage({ tone: 'ok', text: t.member.dialogSaved });
      setWentWell('');
      setToImprove('');
      setAction('');
      setDueOn('');
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <TextArea label={t.member.wentWell} rows={2} value={wentWell} onChange={(e) => setWentWell(e.target.value)} />
      <TextArea label={t.member.toImprove} rows={2} value={toImprove} onChange={(e) => setToImprove(e.target.value)} />
      <TextField label={t.member.action} value={action} onChange={(e) => setAction(e.target.value)} />
      <TextField label={t.member.dueOn} type="date" min={todayIso()} value={dueOn} onChange={(e) => setDueOn(e.target.value)} />
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
      <Button type="submit" busy={state.fetching} disabled={!wentWell.trim() && !toImprove.trim()}>
        {t.member.saveDialog}
      </Button>
    </form>
  );
}

export function MemberScreen() {
  const { id = '' } = useParams<{ id: string }>();
  const [employee] = useQuery({ query: EmployeeByIdDocument, variables: { id } });
  const [threads] = useQuery({ query: FeedbackThreadsDocument, variables: { first: 20, employeeId: id } });
  const [actions] = useQuery({ query: OpenDialogActionsDocument, variables: { employeeId: id } });
  const node = employee.data?.node?.__typename === 'Employee' ? employee.data.node : null;
  if (employee.error) return <QueryError error={employee.error} />;
  if (!employee.data) return <Loading />;
  if (!node) return <Notice tone="error">{t.member.notFound}</Notice>;

  return (
    <>
      <PageTitle back="/tim">{node.name}</PageTitle>
      <p className="muted">
        {node.jabatanName}
        {node.profile?.golongan ? ` · ${node.profile.golongan}` : ''}
      </p>
      <Section title={t.member.threads}>
        {threads.data && threads.data.feedbackThreads?.edges.length === 0 ? <Empty>{t.feedback.none}</Empty> : null}
        <ul className="plain-list">
          {threads.data?.feedbackThreads?.edges.map(({ node: thread }) => (
            <li key={thread.id} className="row">
              <Link href={`/umpan-balik/${thread.id}`}>{thread.topic}</Link>
              <Badge tone={thread.status === 'OPEN' ? 'neutral' : 'ok'}>{threadStatusLabel[thread.status]}</Badge>
            </li>
          ))}
        </ul>
      </Section>
      <Section title={t.member.newFeedback}>
        <FeedbackForm employeeId={node.id} />
      </Section>
      <Section title={t.member.dialog}>
        {actions.data?.openDialogActions.length ? (
          <>
            <p>{t.member.openActions}</p>
            <ul className="reasons">
              {actions.data.openDialogActions.map((a) => (
                <li key={a.id}>
                  {a.description}
                  {a.dueOn ? ` (${formatDay(a.dueOn)})` : ''}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <DialogForm employeeId={node.id} />
      </Section>
    </>
  );
}
