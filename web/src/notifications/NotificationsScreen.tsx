// Notifications, newest first; new ones arrive live through the header's subscription.
import { useMutation, useQuery } from 'urql';
import { MarkNotificationsReadDocument, NotificationsDocument } from '../gql/graphql';
import { formatDateTime } from '../i18n/format';
import { t } from '../i18n/id';
import { Badge, Button, ButtonLink, Empty, Loading, PageTitle, QueryError, Section } from '../ui/components';

export function NotificationsScreen() {
  const [{ data, error }] = useQuery({ query: NotificationsDocument, variables: { first: 30 } });
  const [mark, markRead] = useMutation(MarkNotificationsReadDocument);
  return (
    <>
      <PageTitle>{t.notifications.title}</PageTitle>
      <div className="button-row">
        <ButtonLink href="/notifikasi/pengaturan">{t.notifications.settingsLink}</ButtonLink>
      </div>
      <QueryError error={error} />
      {!data ? <Loading /> : null}
      {data ? (
        <Section
          title={t.notifications.unread(data.unreadNotificationCount ?? 0)}
          actions={
            data.unreadNotificationCount ? (
              <Button variant="secondary" busy={mark.fetching} onClick={() => void markRead({ input: { ids: null } })}>
                {t.notifications.markAll}
              </Button>
            ) : null
          }
        >
          {data.notifications.edges.length === 0 ? <Empty>{t.notifications.none}</Empty> : null}
          <ul className="plain-list" data-testid="notifications">
            {data.notifications.edges.map(({ node }) => (
              <li key={node.id} className={`stack${node.readAt ? '' : ' unread'}`}>
                <span>
                  {!node.readAt ? <Badge tone="info">{t.notifications.new}</Badge> : null} <strong>{node.title}</strong>
                </span>
                {node.body ? <span>{node.body}</span> : null}
                <span className="muted small">{formatDateTime(node.createdAt)}</span>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </>
  );
}
