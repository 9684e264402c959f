// The feedback inbox: the viewer's threads with unread counts.
import { useQuery } from 'urql';
import { Link } from 'wouter';
import { FeedbackThreadsDocument } from '../gql/graphql';
import { formatDateTime } from '../i18n/format';
import { t } from '../i18n/id';
import { threadKindLabel, threadStatusLabel } from '../performance/labels';
import { Badge, Empty, Loading, PageTitle, QueryError, Section } from '../ui/components';

export function FeedbackScreen() {
  const [{ data, error, fetching }] = useQuery({ query: FeedbackThreadsDocument, variables: { first: 30 } });
  return (
    <>
      <PageTitle>{t.feedback.title}</PageTitle>
      <QueryError error={error} />
      {!data && fetching ? <Loading /> : null}
      {data ? (
        <Section title={t.feedback.inbox}>
          <p>{t.home.unreadFeedback(data.unreadFeedbackCount ?? 0)}</p>
          {data.feedbackThreads?.edges.length === 0 ? <Empty>{t.feedback.none}</Empty> : null}
          <ul className="plain-list">
            {data.feedbackThreads?.edges.map(({ node }) => (
              <li key={node.id} className="row">
                <span className="stack">
                  <Link href={`/umpan-balik/${node.id}`}>{node.topic}</Link>
                  <span className="muted small">
                    {threadKindLabel[node.kind]} · {node.employee?.name} · {formatDateTime(node.lastMessageAt)}
                  </span>
                </span>
                <span className="row-actions">
                  {node.unreadCount ? <Badge tone="info">{t.feedback.unread(node.unreadCount)}</Badge> : null}
                  <Badge tone={node.status === 'OPEN' ? 'neutral' : 'ok'}>{threadStatusLabel[node.status]}</Badge>
                </span>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </>
  );
}
