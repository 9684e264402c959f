// The SIMPEG import: choose the CSV, a dry run reports every bad row (nothing is written), and
// only a clean file can be imported, in chunks so the progress bar shows real progress.
import { useState, type ChangeEvent } from 'react';
import { useMutation } from 'urql';
import { ImportEmployeesDocument, type ImportEmployeesMutation } from '../gql/graphql';
import { Button, Notice, PageTitle, ProgressBar, Section } from '../ui/components';
import { importChunks } from './csv';
import { a } from './strings';
import { problemOf } from './userErrors';

type Result = ImportEmployeesMutation['importEmployees'];
type Progress = { done: number; total: number; created: number; updated: number; unchanged: number; finished: boolean; failedAt: number | null };

export function ImportScreen() {
  const [csv, setCsv] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [check, setCheck] = useState<Result | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [state, importEmployees] = useMutation(ImportEmployeesDocument);

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setCheck(null);
    setProgress(null);
    setProblem(null);
    setFileName(file?.name ?? '');
    setCsv(file ? await file.text() : null);
  }

  async function dryRun() {
    if (!csv) return;
    setProgress(null);
    const result = await importEmployees({ input: { csv, dryRun: true } });
    const payload = result.data?.importEmployees;
    setProblem(problemOf(result.error, payload?.userErrors));
    setCheck(payload ?? null);
  }

  async function run() {
    if (!csv || !check) return;
    const { header, chunks } = importChunks(csv, 25);
    const total = chunks.reduce((n, c) => n + c.length, 0);
    let current: Progress = { done: 0, total, created: 0, updated: 0, unchanged: 0, finished: false, failedAt: null };
    setProgress(current);
    for (const chunk of chunks) {
      const body = [header, ...chunk.map((r) => r.raw)].join('\n');
      const result = await importEmployees({ input: { csv: `${body}\n` } });
      const payload = result.data?.importEmployees;
      const issue = problemOf(result.error, payload?.userErrors);
      if (!payload?.applied || issue) {
        setProblem(issue ?? payload?.rowErrors.map((e) => e.message).join(' ') ?? a.common.failed);
        setProgress({ ...current, failedAt: chunk[0]?.line ?? 0 });
        return;
      }
      current = {
        ...current,
        done: current.done + chunk.length,
        created: current.created + payload.created,
        updated: current.updated + payload.updated,
        unchanged: current.unchanged + payload.unchanged,
      };
      setProgress(current);
    }
    setProgress({ ...current, finished: true });
    setCheck(null);
  }

  const rows = check ? check.created + check.updated + check.unchanged + new Set(check.rowErrors.map((e) => e.line)).size : 0;
  const clean = check !== null && check.rowErrors.length === 0 && !problem;
  return (
    <>
      <PageTitle>{a.import.title}</PageTitle>
      <p className="muted">{a.import.intro}</p>
      <Section title={a.import.choose}>
        <div className="form">
          <div className="field">
            <label htmlFor="simpeg-file">{a.import.file}</label>
            <input id="simpeg-file" type="file" accept=".csv,text/csv" aria-describedby="simpeg-file-hint" onChange={onFile} />
            <p className="field-hint" id="simpeg-file-hint">
              {fileName ? `${fileName} · ` : ''}
              {a.import.fileHint}
            </p>
          </div>
          <div className="button-row">
            <Button onClick={dryRun} disabled={!csv || (progress !== null && !progress.finished && progress.failedAt === null)} busy={state.fetching && !progress}>
              {state.fetching && !progress ? a.import.checking : a.import.check}
            </Button>
          </div>
        </div>
      </Section>
      {problem ? <Notice tone="error">{problem}</Notice> : null}
      {check ? (
        <Section title={a.import.summary}>
          <ul className="stats" aria-label={a.import.summary}>
            <li>
              <strong>{rows}</strong> {a.import.rows(rows).replace(/^\d+ /, '')}
            </li>
            <li>
              <strong data-testid="would-create">{check.created}</strong> {a.import.wouldCreate}
            </li>
            <li>
              <strong>{check.updated}</strong> {a.import.wouldUpdate}
            </li>
            <li>
              <strong>{check.unchanged}</strong> {a.import.unchanged}
            </li>
          </ul>
          {rows === 0 ? <Notice tone="warn">{a.import.empty}</Notice> : null}
          {check.rowErrors.length ? (
            <>
              <Notice tone="error">{a.import.errors(new Set(check.rowErrors.map((e) => e.line)).size)}</Notice>
              <div className="table-wrap">
                <table className="data-table" aria-label={a.import.errorTable}>
                  <thead>
                    <tr>
                      <th scope="col" className="num">
                        {a.import.line}
                      </th>
                      <th scope="col">{a.import.nip}</th>
                      <th scope="col">{a.import.code}</th>
                      <th scope="col">{a.import.message}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {check.rowErrors.map((e, i) => (
                      <tr key={`${e.line}-${i}`} className="row-bad">
                        <td className="num">{e.line}</td>
                        <td>{e.nip ?? '—'}</td>
                        <td>
                          <code>{e.code}</code>
                        </td>
                        <td>{e.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}
          {clean && rows > 0 ? (
            <>
              <Notice tone="ok">{a.import.clean}</Notice>
              <div className="button-row">
                <Button onClick={run} busy={state.fetching}>
                  {a.import.run}
                </Button>
              </div>
            </>
          ) : null}
        </Section>
      ) : null}
      {progress ? (
        <Section title={a.import.progress}>
          <ProgressBar label={a.import.progress} value={progress.total ? progress.done / progress.total : 1} valueText={a.import.progressText(progress.done, progress.total)} />
          <p className="muted small">{a.import.progressText(progress.done, progress.total)}</p>
          {progress.finished ? <Notice tone="ok">{a.import.done(progress.created, progress.updated, progress.unchanged)}</Notice> : null}
          {progress.failedAt !== null ? <Notice tone="error">{a.import.failedAt(progress.failedAt)}</Notice> : null}
        </Section>
      ) : null}
    </>
  );
}
