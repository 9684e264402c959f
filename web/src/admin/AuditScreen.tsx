// The audit log (ADMIN_BKPSDM): who did what, when, to which object, with the before/after
// values; filtered by who (username or NIP), action, kind and id of object, and a date range.
import { useState, type FormEvent } from 'react';
import { useQuery } from 'urql';
import { AuditLogDocument, type AuditLogFilterInput } from '../gql/graphql';
import { formatDateTime } from '../i18n/format';
import { Button, Empty, Loading, PageTitle, QueryError, Section, TextField } from '../ui/components';
import { audit } from './strings';

/** A day in Asia/Jakarta (UTC+7, no daylight saving) as the instant it starts. */
function dayStart(day: string, plusDays = 0): string {
  const start = new Date(`${day}T00:00:00+07:00`);
  start.setUTCDate(start.getUTCDate() + plusDays);
  return start.toISOString();
}

function change(before: unknown, after: unknown): string {
  const show = (v: unknown) => (v == null ? '' : JSON.stringify(v));
  return [show(before), show(after)].filter(Boolean).join(' → ');
}

type Draft = { who: string; action: string; entityType: string; entityId: string; since: string; until: string };
const EMPTY: Draft = { who: '', action: '', entityType: '', entityId: '', since: '', until: '' };

function toFilter(d: Draft): AuditLogFilterInput {
  return {
    username: d.who.trim() || null,
    action: d.action.trim().toUpperCase() || null,
    entityType: d.entityType.trim() || null,
    entityId: d.entityId.trim() || null,
    since: d.since ? dayStart(d.since) : null,
    until: d.until ? dayStart(d.until, 1) : null,
  };
}

export default function AuditScreen() {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [filter, setFilter] = useState<AuditLogFilterInput>({});
  const [first, setFirst] = useState(50);
  const [{ data, error, fetching }] = useQuery({ query: AuditLogDocument, variables: { first, filter } });
  const set = (key: keyof Draft) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value });
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setFirst(50);
    setFilter(toFilter(draft));
  }
  const log = data?.auditLog;
  return (
    <>
      <PageTitle>{audit.title}</PageTitle>
      <p className="muted">{audit.intro}</p>
      <Section title={audit.apply}>
        <form className="form toolbar" role="search" onSubmit={onSubmit}>
          <TextField label={audit.who} value={draft.who} onChange={set('who')} />
          <TextField label={audit.action} value={draft.action} onChange={set('action')} placeholder="ACCOUNT_UNLOCKED" />
          <TextField label={audit.entityType} value={draft.entityType} onChange={set('entityType')} placeholder="UserAccount" />
          <TextField label={audit.entityId} value={draft.entityId} onChange={set('entityId')} />
          <TextField label={audit.since} type="date" value={draft.since} onChange={set('since')} />
          <TextField label={audit.until} type="date" value={draft.until} onChange={set('until')} />
          <div className="row-actions">
            <Button type="submit">{audit.apply}</Button>
            <Button
              variant="quiet"
              onClick={() => {
                setDraft(EMPTY);
                setFilter({});
              }}
            >
              {audit.reset}
            </Button>
          </div>
        </form>
      </Section>
      <Section title={log ? `${audit.table} · ${audit.entries(log.totalCount)}` : audit.table}>
        <QueryError error={error} />
        {!data && !error ? <Loading /> : null}
        {log && log.edges.length === 0 ? <Empty>{audit.none}</Empty> : null}
        {log?.edges.length ? (
          <div className="table-wrap">
            <table className="data-table" aria-label={audit.table}>
              <thead>
                <tr>
                  <th scope="col">{audit.when}</th>
                  <th scope="col">{audit.account}</th>
                  <th scope="col">{audit.action}</th>
                  <th scope="col">{audit.entityType}</th>
                  <th scope="col">{audit.entityId}</th>
                  <th scope="col">{audit.change}</th>
                </tr>
              </thead>
              <tbody>
                {log.edges.map(({ node }) => (
                  <tr key={node.id}>
                    <td>{formatDateTime(node.at)}</td>
                    <td>{node.accountId ?? '—'}</td>
                    <td>
                      <code>{node.action}</code>
                    </td>
                    <td>{node.entityType}</td>
                    <td>{node.entityId ?? '—'}</td>
                    <td className="small audit-change">{change(node.before, node.after)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {log?.pageInfo.hasNextPage ? (
          <Button variant="secondary" busy={fetching} onClick={() => setFirst(Math.min(100, first + 50))} disabled={first >= 100}>
            {audit.more}
          </Button>
        ) : null}
      </Section>
    </>
  );
}
