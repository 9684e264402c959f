// Mutasi detected by the SIMPEG import (issue 20): the admins of the old or new OPD and BKPSDM
// apply one, which closes the old SKP on the day before and opens a DRAFT SKP under the new rater.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ApplyMutasiDocument, DetectedMutasiDocument } from '../gql/graphql';
import { formatDay } from '../i18n/format';
import { Badge, Button, Empty, Loading, Notice, PageTitle, QueryError, Section } from '../ui/components';
import { a, mutasiText as m } from './strings';

export default function MutasiScreen() {
  const [{ data, error }, refetch] = useQuery({ query: DetectedMutasiDocument, variables: { first: 50 } });
  const [applying, apply] = useMutation(ApplyMutasiDocument);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  async function onApply(moveId: string) {
    const result = await apply({ input: { moveId } });
    const payload = result.data?.applyMutasi;
    if (payload?.openedSkp) {
      const until = payload.closedSkp?.servedUntil;
      setMessage({ tone: 'ok', text: m.applied(until ? formatDay(until) : null, payload.openedSkp.rater?.name ?? '') });
      refetch({ requestPolicy: 'network-only' });
    } else setMessage({ tone: 'error', text: payload?.userErrors.map((e) => e.message).join('; ') || a.common.failed });
  }

  const rows = data?.detectedMutasi.edges.map((e) => e.node) ?? [];
  return (
    <>
      <PageTitle>{m.title}</PageTitle>
      <p className="muted">{m.intro}</p>
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
      <Section title={m.list}>
        <QueryError error={error} />
        {!data && !error ? <Loading /> : null}
        {data && rows.length === 0 ? <Empty>{m.none}</Empty> : null}
        {rows.length ? (
          <div className="table-wrap">
            <table className="data-table" aria-label={m.list}>
              <thead>
                <tr>
                  <th scope="col">{m.employee}</th>
                  <th scope="col">{m.date}</th>
                  <th scope="col">{m.from}</th>
                  <th scope="col">{m.to}</th>
                  <th scope="col">{m.status}</th>
                  <th scope="col">{a.periods.actions}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{r.employee?.name}</th>
                    <td>{formatDay(r.effectiveOn)}</td>
                    <td>
                      {r.oldUnit?.code ?? '—'}
                      {r.oldSupervisor ? ` · ${r.oldSupervisor.name}` : ''}
                    </td>
                    <td>
                      {r.newUnit?.code ?? '—'}
                      {r.newSupervisor ? ` · ${r.newSupervisor.name}` : ''}
                    </td>
                    <td>
                      <Badge tone={r.status === 'DETECTED' ? 'warn' : 'ok'}>{m.statuses[r.status] ?? r.status}</Badge>
                    </td>
                    <td>
                      {r.status === 'DETECTED' ? (
                        <Button variant="secondary" busy={applying.fetching} onClick={() => void onApply(r.id)} aria-label={m.applyLabel(r.employee?.name ?? '')}>
                          {m.apply}
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Section>
    </>
  );
}
