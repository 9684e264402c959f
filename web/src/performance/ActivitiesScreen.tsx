// The employee's activities: what still waits on the device (per item: not sent, conflict,
// rejected), then what the server holds with its verification status, newest first. A
// supervisor's verification arrives live (a notification invalidates the activity).
import { useQuery } from 'urql';
import { Link } from 'wouter';
import { ActivitiesDocument } from '../gql/graphql';
import { formatDay, formatNumber } from '../i18n/format';
import { t } from '../i18n/id';
import { useOffline } from '../offline/OfflineProvider';
import type { ItemState } from '../offline/queue';
import { Badge, Button, ButtonLink, Empty, Loading, PageTitle, QueryError, Section } from '../ui/components';
import { activityStatusLabel, activityStatusTone } from './labels';

const queueTone: Record<ItemState, 'warn' | 'ok' | 'bad'> = { pending: 'warn', stored: 'ok', conflict: 'warn', rejected: 'bad' };

export function ActivitiesScreen() {
  const [{ data, error, fetching }] = useQuery({ query: ActivitiesDocument, variables: { first: 30 } });
  const { items, dismiss, sync, online } = useOffline();
  const shown = items.filter((i) => i.state !== 'stored');

  return (
    <>
      <PageTitle>{t.activities.title}</PageTitle>
      <ButtonLink href="/aktivitas/baru" variant="primary">
        {t.home.logCta}
      </ButtonLink>
      {shown.length ? (
        <Section title={t.offline.title} actions={online ? <Button variant="secondary" onClick={() => void sync()}>{t.offline.syncNow}</Button> : null}>
          <ul className="plain-list" data-testid="queue">
            {shown.map((item) => (
              <li key={item.key} className="row" data-state={item.state}>
                <span className="stack">
                  <span>
                    {item.draft.description} · {formatNumber(item.draft.quantity)} {item.draft.unit}
                  </span>
                  <span className="muted small">
                    {formatDay(item.draft.activityDate)}
                    {item.message ? ` · ${item.message}` : ''}
                  </span>
                </span>
                <span className="row-actions">
                  <Badge tone={queueTone[item.state]}>{t.offline.state[item.state]}</Badge>
                  {item.state !== 'pending' ? (
                    <Button variant="quiet" onClick={() => void dismiss(item.key)} aria-label={t.offline.dismissLabel(item.draft.description)}>
                      {t.common.close}
                    </Button>
                  ) : null}
                </span>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      <Section title={t.activities.sent}>
        <QueryError error={error} />
        {!data && fetching ? <Loading /> : null}
        {data && data.activities.edges.length === 0 ? <Empty>{t.activities.none}</Empty> : null}
        <ul className="plain-list" data-testid="activities">
          {data?.activities.edges.map(({ node }) => (
            <li key={node.id} className="row" data-activity-id={node.id}>
              <span className="stack">
                <span>
                  {node.description} · {formatNumber(node.quantity)} {node.unit}
                </span>
                <span className="muted small">
                  {formatDay(node.activityDate)}
                  {node.rejectionNote ? ` · ${t.activities.rejectionNote(node.rejectionNote)}` : ''}
                </span>
              </span>
              <span className="row-actions">
                <Badge tone={activityStatusTone[node.status]}>{activityStatusLabel[node.status]}</Badge>
                {node.status === 'SUBMITTED' || node.status === 'REJECTED' ? (
                  <Link href={`/aktivitas/${node.id}`} className="btn btn-quiet btn-small" aria-label={t.activities.editLabel(node.description, formatDay(node.activityDate))}>
                    {t.common.edit}
                  </Link>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}
