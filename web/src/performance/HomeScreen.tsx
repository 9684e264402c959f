// The employee's home: SKP progress against the expected pace, today's work (including what
// waits on the device), unread feedback, support offers, recommended training, open surveys.
import { useQuery } from 'urql';
import { Link } from 'wouter';
import { ActivitiesDocument, EmployeeHomeDocument, SurveysDocument } from '../gql/graphql';
import { formatNumber, formatPercent, todayIso } from '../i18n/format';
import { givenName, greeting, t } from '../i18n/id';
import { useOffline } from '../offline/OfflineProvider';
import { useViewer } from '../app/viewer';
import { Badge, ButtonLink, Empty, Loading, ProgressBar, QueryError, Section } from '../ui/components';
import { activityStatusLabel, activityStatusTone } from './labels';

export function HomeScreen() {
  const viewer = useViewer();
  const today = todayIso();
  const [{ data, error, fetching }] = useQuery({ query: EmployeeHomeDocument });
  const [todays] = useQuery({
    query: ActivitiesDocument,
    variables: { first: 20, filter: { dateFrom: today, dateTo: today } },
  });
  const [surveys] = useQuery({ query: SurveysDocument, variables: { first: 5, openOnly: true } });
  const { items } = useOffline();
  const waiting = items.filter((i) => i.state === 'pending' && i.draft.activityDate === today);
  const firstName = (viewer.employee ? givenName(viewer.employee.name) : undefined) ?? viewer.username;
  const indicators = data?.mySkp?.rhks.flatMap((r) => r.indicators) ?? [];
  const openSurveys = surveys.data?.surveys.edges.filter((e) => !e.node.answeredByMe) ?? [];

  return (
    <>
      <div className="page-title">
        <h1>{greeting(firstName)}</h1>
        <p className="muted">{viewer.employee?.jabatanName}</p>
      </div>
      <ButtonLink href="/aktivitas/baru" variant="primary">
        {t.home.logCta}
      </ButtonLink>
      <QueryError error={error} />
      {!data && fetching ? <Loading /> : null}

      {openSurveys.length ? (
        <div className="notice notice-info">
          <Link href="/survei">{t.home.surveyWaiting(openSurveys.length)}</Link>
        </div>
      ) : null}

      {data ? (
        <Section title={t.home.progress}>
          {indicators.length === 0 ? <Empty>{t.home.noSkp}</Empty> : null}
          <ul className="plain-list">
            {indicators.map((indicator) => {
              const p = indicator.progress;
              if (p.progress === null || p.progress === undefined) {
                // a quality, time or cost target: a level the rater measures at evaluation,
                // not a sum of daily logs, so it has no pace to be behind
                return (
                  <li key={indicator.id} className="indicator">
                    <div className="indicator-head">
                      <span>{indicator.description}</span>
                      <Badge tone="info">{t.home.atEvaluation}</Badge>
                    </div>
                    <p className="muted small">
                      {t.home.levelTarget(formatNumber(indicator.targetValue), indicator.unit)}
                    </p>
                  </li>
                );
              }
              return (
                <li key={indicator.id} className="indicator">
                  <div className="indicator-head">
                    <span>{indicator.description}</span>
                    {p.behindPace ? <Badge tone="warn">{t.home.behind}</Badge> : <Badge tone="ok">{t.home.onPace}</Badge>}
                  </div>
                  <ProgressBar label={indicator.description} value={p.progress} pace={p.expectedPace} behind={p.behindPace} />
                  <p className="muted small">
                    {t.home.progressLine(
                      formatNumber(p.verifiedQuantity),
                      formatNumber(indicator.targetValue),
                      indicator.unit,
                      formatPercent(p.progress),
                      formatPercent(p.expectedPace),
                    )}
                  </p>
                </li>
              );
            })}
          </ul>
        </Section>
      ) : null}

      <Section title={t.home.today} actions={<Link href="/aktivitas">{t.common.seeAll}</Link>}>
        {waiting.length ? (
          <ul className="plain-list">
            {waiting.map((item) => (
              <li key={item.key} className="row">
                <span>{item.draft.description}</span>
                <Badge tone="warn">{t.offline.notSent}</Badge>
              </li>
            ))}
          </ul>
        ) : null}
        {todays.data?.activities.edges.length ? (
          <ul className="plain-list">
            {todays.data.activities.edges.map(({ node }) => (
              <li key={node.id} className="row">
                <span>
                  {node.description} · {formatNumber(node.quantity)} {node.unit}
                </span>
                <Badge tone={activityStatusTone[node.status]}>{activityStatusLabel[node.status]}</Badge>
              </li>
            ))}
          </ul>
        ) : !waiting.length && todays.data ? (
          <Empty>{t.home.nothingToday}</Empty>
        ) : null}
      </Section>

      {data ? (
        <Section title={t.home.feedback} actions={<Link href="/umpan-balik">{t.common.seeAll}</Link>}>
          <p>{t.home.unreadFeedback(data.unreadFeedbackCount ?? 0)}</p>
          <ul className="plain-list">
            {data.feedbackThreads?.edges.map(({ node }) => (
              <li key={node.id} className="row">
                <Link href={`/umpan-balik/${node.id}`}>{node.topic}</Link>
                {node.unreadCount ? <Badge tone="info">{t.feedback.unread(node.unreadCount)}</Badge> : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      {data?.mySupportOffers?.length ? (
        <Section title={t.support.title}>
          <p>{t.support.homeLine}</p>
          <ButtonLink href="/dukungan">{t.support.open}</ButtonLink>
        </Section>
      ) : null}

      {data ? (
        <Section title={t.training.recommendations} actions={<Link href="/pelatihan">{t.common.seeAll}</Link>}>
          {data.trainingRecommendations?.length === 0 ? <Empty>{t.training.noRecommendations}</Empty> : null}
          <ul className="plain-list">
            {data.trainingRecommendations?.slice(0, 3).map((r) => (
              <li key={r.course.id} className="stack">
                <strong>{r.course.title}</strong>
                <span className="muted small">
                  {t.training.jp(r.course.jpHours)} · {r.reasons[0]?.explanation}
                </span>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      <p className="small">
        <Link href="/kinerja-saya">{t.processes.link}</Link>
      </p>
      <p className="small">
        <Link href="/hadir">{t.attendance.link}</Link>
      </p>
    </>
  );
}
