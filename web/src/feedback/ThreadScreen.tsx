// One feedback conversation: messages arrive live (threadMessageAdded), the reply box sends,
// opening the thread marks it read, and the employee it is about can acknowledge it.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { useParams } from 'wouter';
import {
  AcknowledgeFeedbackDocument,
  FeedbackThreadMessagesDocument,
  MarkFeedbackThreadReadDocument,
  PostFeedbackMessageDocument,
  ResolveFeedbackThreadDocument,
  ThreadMessageAddedDocument,
  type ThreadMessageAddedSubscription,
} from '../gql/graphql';
import { formatDateTime } from '../i18n/format';
import { t } from '../i18n/id';
import { useViewer } from '../app/viewer';
import { threadKindLabel, threadStatusLabel } from '../performance/labels';
import { Badge, Button, Loading, Notice, PageTitle, QueryError, TextArea } from '../ui/components';

type LiveMessage = ThreadMessageAddedSubscription['threadMessageAdded'];

export function ThreadScreen() {
  const { id = '' } = useParams<{ id: string }>();
  const viewer = useViewer();
  const [{ data, error }] = useQuery({ query: FeedbackThreadMessagesDocument, variables: { id, first: 100 } });
  const [live] = useSubscription<ThreadMessageAddedSubscription, LiveMessage[]>(
    { query: ThreadMessageAddedDocument, variables: { threadId: id } },
    (previous = [], event) => [...previous, event.threadMessageAdded],
  );
  const [, markRead] = useMutation(MarkFeedbackThreadReadDocument);
  const [post, runPost] = useMutation(PostFeedbackMessageDocument);
  const [ack, runAck] = useMutation(AcknowledgeFeedbackDocument);
  const [resolve, runResolve] = useMutation(ResolveFeedbackThreadDocument);
  const [body, setBody] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const endRef = useRef<HTMLLIElement>(null);

  const thread = data?.node && 'topic' in data.node ? data.node : null;
  const messages = useMemo(() => {
    const stored = thread?.messages?.edges.map((e) => e.node) ?? [];
    const seen = new Set(stored.map((m) => m.id));
    return [...stored, ...(live.data ?? []).filter((m) => !seen.has(m.id))];
  }, [thread, live.data]);

  useEffect(() => {
    if (thread) void markRead({ input: { threadId: thread.id } });
  }, [thread?.id, messages.length]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    // Recent browsers return a promise from scrollIntoView: never hand it to React as cleanup.
    void endRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [messages.length]);

  if (error) return <QueryError error={error} />;
  if (!data) return <Loading />;
  if (!thread) return <Notice tone="error">{t.feedback.notFound}</Notice>;
  const isSubject = thread.employee?.id === viewer.employee?.id;

  async function onSend(event: FormEvent) {
    event.preventDefault();
    if (!thread || !body.trim()) return;
    const result = await runPost({ input: { threadId: thread.id, body: body.trim() } });
    const errors = result.data?.postFeedbackMessage.userErrors ?? [];
    if (result.error || errors.length) setProblem(errors[0]?.message ?? t.common.failed);
    else {
      setProblem(null);
      setBody('');
    }
  }

  return (
    <>
      <PageTitle back="/umpan-balik">{thread.topic}</PageTitle>
      <p className="chips">
        <Badge tone="info">{threadKindLabel[thread.kind]}</Badge>
        <Badge tone={thread.status === 'OPEN' ? 'neutral' : 'ok'}>{threadStatusLabel[thread.status]}</Badge>
        {thread.acknowledgedAt ? <Badge tone="ok">{t.feedback.acknowledged}</Badge> : null}
      </p>
      {thread.messages === null || thread.messages === undefined ? <Notice tone="info">{t.feedback.metadataOnly}</Notice> : null}
      <ol className="messages" aria-label={t.feedback.messages} aria-live="polite">
        {messages.map((m) => {
          const mine = m.author?.id === viewer.employee?.id;
          return (
            <li key={m.id} className={`message${mine ? ' message-mine' : ''}`}>
              <span className="message-meta">
                {mine ? t.feedback.you : m.author?.name} · {formatDateTime(m.createdAt)}
              </span>
              <p>{m.body}</p>
            </li>
          );
        })}
        <li ref={endRef} className="sr-only" aria-hidden="true" />
      </ol>
      <form className="card form" onSubmit={onSend} noValidate>
        <TextArea label={t.feedback.reply} rows={3} maxLength={4000} value={body} onChange={(e) => setBody(e.target.value)} />
        {problem ? <Notice tone="error">{problem}</Notice> : null}
        <div className="button-row">
          <Button type="submit" busy={post.fetching} disabled={!body.trim()}>
            {t.feedback.send}
          </Button>
          {isSubject && !thread.acknowledgedAt ? (
            <Button variant="secondary" busy={ack.fetching} onClick={() => void runAck({ input: { threadId: thread.id } })}>
              {t.feedback.acknowledge}
            </Button>
          ) : null}
          {!isSubject && thread.status === 'OPEN' ? (
            <Button variant="secondary" busy={resolve.fetching} onClick={() => void runResolve({ input: { threadId: thread.id } })}>
              {t.feedback.resolve}
            </Button>
          ) : null}
        </div>
      </form>
    </>
  );
}
