// The annual result of a year split by a mutasi (issue 20): each part of the year with its
// pejabat penilai, the months served and the part's predikat, and the year's predikat combined
// pro rata once every part is FINAL. Shown only for a split year; a single SKP needs no panel.
import { useQuery } from 'urql';
import { AnnualResultDocument } from '../gql/graphql';
import { formatDay, formatNumber } from '../i18n/format';
import { t } from '../i18n/id';
import { predikatLabel } from '../performance/labels';
import { Badge, Section } from '../ui/components';

export function AnnualResultPanel({ employeeId, periodId, level = 3 }: { employeeId: string; periodId: string; level?: 2 | 3 }) {
  const [{ data }] = useQuery({ query: AnnualResultDocument, variables: { employeeId, periodId } });
  const result = data?.annualResult;
  // Not readable (e.g. a former rater) or not split: nothing to show.
  if (!result || result.parts.length < 2) return null;
  const s = t.annualResult;
  return (
    <Section title={s.title} level={level}>
      <p className="muted small">{s.intro}</p>
      <div className="table-wrap">
        <table className="data-table" aria-label={s.title}>
          <thead>
            <tr>
              <th scope="col">{s.part}</th>
              <th scope="col">{s.rater}</th>
              <th scope="col">{s.months}</th>
              <th scope="col">{s.predikat}</th>
            </tr>
          </thead>
          <tbody>
            {result.parts.map((part) => (
              <tr key={part.skp.id}>
                <td>
                  {part.skp.servedFrom ? formatDay(part.skp.servedFrom) : s.yearStart} – {part.skp.servedUntil ? formatDay(part.skp.servedUntil) : s.yearEnd}
                </td>
                <td>{part.skp.rater?.name ?? '-'}</td>
                <td>{s.monthsValue(formatNumber(Math.round(part.months * 100) / 100))}</td>
                <td>
                  {part.evaluation?.status === 'FINAL' && part.evaluation.predikat ? predikatLabel[part.evaluation.predikat] : s.notFinal}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <strong>{s.combined}:</strong>{' '}
        {result.predikat ? <Badge tone="info">{predikatLabel[result.predikat]}</Badge> : <span className="muted">{s.waiting}</span>}
      </p>
    </Section>
  );
}
