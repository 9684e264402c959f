// The supervisor's dashboard: each direct report's SKP progress against the pace, who is
// behind, what waits for verification, and the open mentoring alerts (live).
import { useQuery } from 'urql';
import { Link } from 'wouter';
import { SupervisorDashboardDocument } from '../gql/graphql';
import { formatDay, formatPercent } from '../i18n/format';
import { t } from '../i18n/id';
import { useLiveAlerts } from '../mentoring/useLiveAlerts';
import { Badge, ButtonLink, Empty, Loading, PageTitle, ProgressBar, QueryError, Section } from '../ui/components';

export function TeamScreen() {
  useLiveAlerts();
  const [{ data, error }] = useQuery({ query: SupervisorDashboardDocument, variables: {} });
  if (error && !data) return <QueryError error={error} />;
  if (!data) return <Loading />;
  const members = data.teamProgress ?? [];
  const pending = members.reduce((sum, m) => sum + m.pendingVerificationCount, 0);
  const behind = members.filter((m) => m.indicatorsBehind > 0).length;
  const alerts = data.mentoringAlerts?.totalCount ?? 0;

  return (
    <>
      <PageTitle>{t.team.title}</PageTitle>
      <ul className="stats" aria-label={t.team.summary}>
        <li>
          <strong>{members.length}</strong> {t.team.members}
        </li>
        <li>
          <strong>{behind}</strong> {t.team.behind}
        </li>
        <li>
          <strong data-testid="pending-total">{pending}</strong> {t.team.pending}
        </li>
        <li>
          <strong data-testid="alert-total">{alerts}</strong> {t.team.alerts}
        </li>
      </ul>
      <div className="button-row">
        <ButtonLink href="/tim/verifikasi" variant="primary">
          {t.team.verify(pending)}
        </ButtonLink>
        <ButtonLink href="/tim/peringatan">{t.team.openAlerts(alerts)}</ButtonLink>
        <ButtonLink href="/tim/penilaian">{t.team.evaluations}</ButtonLink>
        <ButtonLink href="/tim/keberatan">{t.processes.toDecideLink}</ButtonLink>
      </div>
      {data.mentoringAlerts?.edges.length ? (
        <Section title={t.alerts.title}>
          <ul className="plain-list">
            {data.mentoringAlerts?.edges.map(({ node }) => (
              <li key={node.id} className="stack">
                <strong>{node.employee?.name}</strong>
                <span className="muted small">{node.reasons[0]}</span>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      <Section title={t.team.progress}>
        {members.length === 0 ? <Empty>{t.team.none}</Empty> : null}
        <ul className="plain-list">
          {members.map((m) => {
            const pace = m.indicators[0]?.expectedPace ?? null;
            return (
              <li key={m.employee.id} className="member">
                <div className="indicator-head">
                  <Link href={`/tim/anggota/${m.employee.id}`}>{m.employee.name}</Link>
                  {m.indicatorsBehind > 0 ? <Badge tone="warn">{t.team.behindCount(m.indicatorsBehind)}</Badge> : <Badge tone="ok">{t.home.onPace}</Badge>}
                </div>
                <p className="muted small">{m.employee.jabatanName}</p>
                {m.averageProgress != null ? (
                  <ProgressBar label={t.team.progressOf(m.employee.name)} value={m.averageProgress} pace={pace} behind={m.indicatorsBehind > 0} />
                ) : (
                  <p className="muted small">{t.team.noSkp}</p>
                )}
                <p className="muted small">
                  {m.averageProgress != null ? `${formatPercent(m.averageProgress)} · ` : ''}
                  {t.team.pendingOf(m.pendingVerificationCount)}
                  {m.lastActivityDate ? ` · ${t.team.lastLog(formatDay(m.lastActivityDate))}` : ''}
                </p>
              </li>
            );
          })}
        </ul>
      </Section>
    </>
  );
}
