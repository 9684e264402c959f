// The employee's view of a mentoring alert: an offer of support and why, with what the
// supervisor proposes (coaching, a course). Never a score or a band (DESIGN.md §6).
import { useQuery } from 'urql';
import { CoachingAssignmentsDocument, MySupportOffersDocument } from '../gql/graphql';
import { formatDateTime } from '../i18n/format';
import { t } from '../i18n/id';
import { coachingKindLabel, coachingStatusLabel } from '../performance/labels';
import { Badge, Empty, Loading, PageTitle, QueryError, Section } from '../ui/components';

export function SupportScreen() {
  const [offers] = useQuery({ query: MySupportOffersDocument });
  const [coaching] = useQuery({ query: CoachingAssignmentsDocument, variables: { first: 10 } });
  return (
    <>
      <PageTitle back="/">{t.support.title}</PageTitle>
      <p className="muted">{t.support.intro}</p>
      <QueryError error={offers.error} />
      {!offers.data ? <Loading /> : null}
      {offers.data && offers.data.mySupportOffers?.length === 0 ? <Empty>{t.support.none}</Empty> : null}
      {offers.data?.mySupportOffers?.map((offer) => (
        <Section key={offer.id} title={t.support.offerTitle(formatDateTime(offer.raisedAt))}>
          <p>{t.support.why}</p>
          <ul className="reasons">
            {offer.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
          <p>
            <strong>{t.support.proposal}</strong> {offer.action ? t.support.actions[offer.action] : t.support.noActionYet}
          </p>
        </Section>
      ))}
      <Section title={t.support.coaching}>
        <QueryError error={coaching.error} />
        {coaching.data && coaching.data.coachingAssignments.edges.length === 0 ? <Empty>{t.support.noCoaching}</Empty> : null}
        <ul className="plain-list">
          {coaching.data?.coachingAssignments.edges.map(({ node }) => (
            <li key={node.id} className="stack">
              <span>
                <strong>{coachingKindLabel[node.kind]}</strong> · {t.support.coach(node.coach?.name ?? '-')}
              </span>
              <span>{node.goal}</span>
              <Badge tone="info">{coachingStatusLabel[node.status]}</Badge>
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}
