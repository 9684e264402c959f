// Pulse surveys for the manager: write one (title and answering window), open it now, close it
// (answers stop, results are published) and read the results: groups under five respondents
// are withheld by the server, never computed here.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { CloseSurveyDocument, CreateSurveyDocument, OpenSurveyDocument, SurveyResultsDocument, SurveysDocument, type GroupBy } from '../../gql/graphql';
import { formatDay, formatNumber, todayIso } from '../../i18n/format';
import { problemOf } from '../../admin/userErrors';
import { Badge, Button, Empty, Loading, Notice, PageTitle, QueryError, Section, SelectField, TextField } from '../../ui/components';
import { s } from './strings';

type Message = { tone: 'ok' | 'error'; text: string } | null;

function Results({ surveyId, title }: { surveyId: string; title: string }) {
  const [groupBy, setGroupBy] = useState<GroupBy>('OPD');
  const [{ data, error }] = useQuery({ query: SurveyResultsDocument, variables: { surveyId, groupBy }, requestPolicy: 'network-only' });
  const r = data?.surveyResults;
  return (
    <Section title={s.surveys.results(title)} level={3}>
      <SelectField
        label={s.surveys.group}
        value={groupBy}
        onChange={(e) => setGroupBy(e.target.value as GroupBy)}
        options={[
          { value: 'OPD', label: 'OPD' },
          { value: 'UNIT', label: 'Unit' },
          { value: 'CITY', label: s.surveys.city },
        ]}
      />
      <QueryError error={error} />
      {!data && !error ? <Loading /> : null}
      {r && !r.published ? <Notice tone="info">{s.surveys.notPublished}</Notice> : null}
      {r?.published ? (
        <div className="table-wrap">
          <table className="data-table" aria-label={s.surveys.results(title)}>
            <thead>
              <tr>
                <th scope="col">{s.surveys.group}</th>
                <th scope="col" className="num">
                  {s.surveys.respondents}
                </th>
                <th scope="col" className="num">
                  {s.surveys.comfort}
                </th>
                <th scope="col" className="num">
                  {s.surveys.stress}
                </th>
                <th scope="col" className="num">
                  {s.surveys.understanding}
                </th>
              </tr>
            </thead>
            <tbody>
              {r.groups.map((g, i) => (
                <tr key={`${g.opd?.id ?? ''}-${g.unit?.id ?? ''}-${i}`}>
                  <th scope="row">{g.unit?.name ?? g.opd?.name ?? s.surveys.city}</th>
                  {g.result.suppressed ? (
                    <td colSpan={4} className="muted">
                      {s.surveys.suppressed(r.minGroupSize)}
                    </td>
                  ) : (
                    <>
                      <td className="num">{g.result.respondents}</td>
                      <td className="num">{g.result.comfort == null ? '—' : formatNumber(g.result.comfort)}</td>
                      <td className="num">{g.result.stress == null ? '—' : formatNumber(g.result.stress)}</td>
                      <td className="num">{g.result.understanding == null ? '—' : formatNumber(g.result.understanding)}</td>
                    </>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Section>
  );
}

export default function SurveysAdminScreen() {
  const [{ data, error }] = useQuery({ query: SurveysDocument, variables: { first: 50 } });
  const [title, setTitle] = useState('');
  const [opensOn, setOpensOn] = useState(todayIso());
  const [closesOn, setClosesOn] = useState(todayIso());
  const [message, setMessage] = useState<Message>(null);
  const [shown, setShown] = useState<string | null>(null);
  const [createState, create] = useMutation(CreateSurveyDocument);
  const [, open] = useMutation(OpenSurveyDocument);
  const [, close] = useMutation(CloseSurveyDocument);
  const today = todayIso();

  async function onCreate(event: FormEvent) {
    event.preventDefault();
    const r = await create({ input: { title, opensOn, closesOn } });
    const problem = problemOf(r.error, r.data?.createSurvey.userErrors);
    setMessage(problem ? { tone: 'error', text: problem } : { tone: 'ok', text: s.surveys.created(title) });
    if (!problem) setTitle('');
  }
  async function act(kind: 'open' | 'close', id: string, name: string) {
    const r = kind === 'open' ? await open({ input: { surveyId: id } }) : await close({ input: { surveyId: id } });
    const payload = r.data && ('openSurvey' in r.data ? r.data.openSurvey : r.data.closeSurvey);
    const problem = problemOf(r.error, payload?.userErrors);
    setMessage(problem ? { tone: 'error', text: problem } : { tone: 'ok', text: kind === 'open' ? s.surveys.opened(name) : s.surveys.closed(name) });
    if (!problem && kind === 'close') setShown(id);
  }
  const surveys = data?.surveys.edges.map((e) => e.node) ?? [];
  const selected = surveys.find((x) => x.id === shown);
  return (
    <>
      <PageTitle>{s.surveys.title}</PageTitle>
      <p className="muted">{s.surveys.intro}</p>
      <Section title={s.surveys.create}>
        <form className="form toolbar" onSubmit={onCreate} noValidate>
          <TextField label={s.surveys.name} value={title} onChange={(e) => setTitle(e.target.value)} />
          <TextField label={s.surveys.opensOn} type="date" value={opensOn} onChange={(e) => setOpensOn(e.target.value)} />
          <TextField label={s.surveys.closesOn} type="date" value={closesOn} onChange={(e) => setClosesOn(e.target.value)} />
          <Button type="submit" busy={createState.fetching}>
            {s.surveys.submit}
          </Button>
        </form>
      </Section>
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
      <Section title={s.surveys.list}>
        <QueryError error={error} />
        {!data && !error ? <Loading /> : null}
        {data && surveys.length === 0 ? <Empty>{s.surveys.none}</Empty> : null}
        <ul className="plain-list">
          {surveys.map((x) => {
            const state = x.closesOn < today ? 'closed' : x.opensOn > today ? 'scheduled' : 'open';
            return (
              <li key={x.id} className="row">
                <span>
                  <strong>{x.title}</strong>{' '}
                  <span className="muted small">
                    {formatDay(x.opensOn)} – {formatDay(x.closesOn)}
                  </span>{' '}
                  <Badge tone={state === 'open' ? 'ok' : state === 'closed' ? 'neutral' : 'info'}>{s.surveys.status[state]}</Badge>
                </span>
                <span className="row-actions">
                  {state === 'scheduled' ? (
                    <button type="button" className="btn btn-secondary btn-small" aria-label={s.surveys.open(x.title)} onClick={() => act('open', x.id, x.title)}>
                      {s.surveys.openShort}
                    </button>
                  ) : null}
                  {state === 'open' ? (
                    <button type="button" className="btn btn-secondary btn-small" aria-label={s.surveys.close(x.title)} onClick={() => act('close', x.id, x.title)}>
                      {s.surveys.closeShort}
                    </button>
                  ) : null}
                  <button type="button" className="btn btn-quiet btn-small" aria-label={s.surveys.results(x.title)} onClick={() => setShown(x.id)}>
                    {s.surveys.resultsShort}
                  </button>
                </span>
              </li>
            );
          })}
        </ul>
      </Section>
      {selected ? <Results key={selected.id} surveyId={selected.id} title={selected.title} /> : null}
    </>
  );
}
