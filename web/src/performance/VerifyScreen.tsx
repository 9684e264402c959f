// The verification queue: the direct reports' submitted activities, verified or rejected with
// a note one by one, or in bulk for the selected ones.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ActivitiesDocument, VerifyActivitiesDocument } from '../gql/graphql';
import { formatDay, formatNumber } from '../i18n/format';
import { t } from '../i18n/id';
import { Button, Empty, Loading, Notice, PageTitle, QueryError, Section, TextArea } from '../ui/components';

export function VerifyScreen() {
  const [{ data, error }, refetch] = useQuery({ query: ActivitiesDocument, variables: { first: 50, filter: { pendingForMe: true } } });
  const [verifying, verify] = useMutation(VerifyActivitiesDocument);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [rejecting, setRejecting] = useState<string[] | null>(null);
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const items = data?.activities.edges.map((e) => e.node) ?? [];

  function toggle(id: string) {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  }

  async function decide(ids: string[], approve: boolean, reason?: string) {
    const result = await verify({ input: { activityIds: ids, approve, note: reason ?? null } });
    const payload = result.data?.verifyActivities;
    const failures = [...(payload?.userErrors ?? []), ...(payload?.results.flatMap((r) => r.userErrors) ?? [])];
    if (result.error || failures.length) {
      setMessage({ tone: 'error', text: failures[0]?.message ?? t.common.failed });
      return;
    }
    setMessage({ tone: 'ok', text: approve ? t.verify.verified(ids.length) : t.verify.rejected(ids.length) });
    setSelected(new Set());
    setRejecting(null);
    setNote('');
    refetch({ requestPolicy: 'network-only' });
  }

  return (
    <>
      <PageTitle back="/tim">{t.verify.title}</PageTitle>
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
      <QueryError error={error} />
      {!data ? <Loading /> : null}
      {data && items.length === 0 ? <Empty>{t.verify.none}</Empty> : null}
      {items.length ? (
        <div className="card bulkbar">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={selected.size === items.length}
              onChange={(e) => setSelected(e.target.checked ? new Set(items.map((i) => i.id)) : new Set())}
            />
            <span>{t.verify.selectAll(items.length)}</span>
          </label>
          <div className="button-row">
            <Button disabled={!selected.size} busy={verifying.fetching} onClick={() => void decide([...selected], true)}>
              {t.verify.verifySelected(selected.size)}
            </Button>
            <Button variant="danger" disabled={!selected.size} onClick={() => setRejecting([...selected])}>
              {t.verify.rejectSelected(selected.size)}
            </Button>
          </div>
        </div>
      ) : null}
      {rejecting ? (
        <Section title={t.verify.rejectTitle(rejecting.length)}>
          <form
            className="form"
            onSubmit={(e) => {
              e.preventDefault();
              if (note.trim().length) void decide(rejecting, false, note.trim());
            }}
          >
            <TextArea label={t.verify.reason} hint={t.verify.reasonHint} rows={2} value={note} onChange={(e) => setNote(e.target.value)} required />
            <div className="button-row">
              <Button type="submit" variant="danger" disabled={!note.trim()} busy={verifying.fetching}>
                {t.verify.confirmReject}
              </Button>
              <Button variant="secondary" onClick={() => setRejecting(null)}>
                {t.common.cancel}
              </Button>
            </div>
          </form>
        </Section>
      ) : null}
      <ul className="plain-list cards" data-testid="verify-queue">
        {items.map((a) => (
          <li key={a.id} className="card verify-item">
            <label className="checkbox">
              <input type="checkbox" checked={selected.has(a.id)} onChange={() => toggle(a.id)} />
              <span className="stack">
                <strong>{a.employee.name}</strong>
                <span>
                  {a.description} · {formatNumber(a.quantity)} {a.unit}
                </span>
                <span className="muted small">
                  {formatDay(a.activityDate)}
                  {a.indicator ? ` · ${a.indicator.description}` : ''}
                </span>
              </span>
            </label>
            <div className="button-row">
              <Button busy={verifying.fetching} onClick={() => void decide([a.id], true)} aria-label={t.verify.verifyOne(a.employee.name, a.description)}>
                {t.verify.verify}
              </Button>
              <Button variant="secondary" onClick={() => setRejecting([a.id])} aria-label={t.verify.rejectOne(a.employee.name, a.description)}>
                {t.verify.reject}
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
