"""Every adoption metric definition on small hand-made data.

2026 calendar used here: 1 May (Fri), 14 May (Thu), 27 May (Wed), 1 Jun (Mon) and 16 Jun (Tue)
are public holidays; 11-15 May is a week with four working days, 25-29 May too.
"""

from __future__ import annotations

from datetime import date

import pytest

from portal.adoption import metrics
from portal.adoption.metrics import ActivityFact, AnswerSums, PersonFacts

MON = date(2026, 5, 4)  # a normal week: 4-8 May
HOLIDAY_WEEK = date(2026, 5, 11)  # 14 May (Thu) is Ascension Day
LONG_WEEKEND = date(2026, 5, 25)  # 27 May (Wed) is Idul Adha


def d(day: int, month: int = 5) -> date:
    return date(2026, month, day)


def act(day: date, logged: date | None = None, verified: date | None = None) -> ActivityFact:
    return ActivityFact(activity_date=day, logged_on=logged or day, verified_on=verified)


# --- calendar ------------------------------------------------------------------------------------


def test_weeks_are_iso_weeks() -> None:
    assert metrics.week_start(d(7)) == MON
    assert metrics.iso_week_label(MON) == "2026-W19"
    assert metrics.weeks_between(d(6), d(12)) == [MON, HOLIDAY_WEEK]


def test_threshold_counts_the_working_days_that_exist() -> None:
    assert metrics.active_threshold(MON) == 3
    assert metrics.working_days_from(HOLIDAY_WEEK) == 4
    assert metrics.active_threshold(HOLIDAY_WEEK) == 3
    # joining on Thursday leaves Thursday and Friday: two days suffice that week
    assert metrics.active_threshold(MON, starts_on=d(7)) == 2
    # joining on Thursday 14 May (a holiday) leaves only Friday
    assert metrics.active_threshold(HOLIDAY_WEEK, starts_on=d(14)) == 1
    # joining on Saturday: nothing left this week, so they count from the next one
    assert metrics.active_threshold(MON, starts_on=d(9)) == 0
    assert metrics.first_counted_week(d(9)) == HOLIDAY_WEEK
    assert metrics.first_counted_week(d(7)) == MON


def test_verified_within_three_working_days_skips_weekends_and_holidays() -> None:
    # logged Wednesday 13 May: Thu 14 (holiday), Fri 15, Mon 18, Tue 19 -> 3rd working day Tue
    assert metrics.working_days_after(d(13), d(19)) == 3
    assert metrics.verified_in_time(d(13), d(19))
    assert not metrics.verified_in_time(d(13), d(20))
    assert metrics.verified_in_time(d(13), d(13))  # same day counts as 0
    assert not metrics.verified_in_time(d(13), None)  # never verified


def test_latency_median_and_share() -> None:
    assert metrics.logging_latency(d(4), d(6)) == 2
    assert metrics.logging_latency(d(6), d(4)) == 0  # clock skew never goes negative
    assert metrics.median([]) is None
    assert metrics.median([3, 1, 2]) == 2
    assert metrics.median([4, 1, 2, 3]) == 2.5  # percentile_cont(0.5) interpolates
    assert metrics.share(1, 0) is None
    assert metrics.share(1, 4) == 0.25


def test_employment_start_prefers_the_hire_date() -> None:
    assert metrics.employment_start(d(3, 3), d(1, 1)) == d(3, 3)
    assert metrics.employment_start(None, d(1, 1)) == d(1, 1)


# --- the funnel ----------------------------------------------------------------------------------


def test_funnel_without_invitations() -> None:
    people = [
        PersonFacts(starts_on=d(1, 1), activities=[act(d(4)), act(d(5)), act(d(6))]),
        PersonFacts(starts_on=d(1, 1)),
    ]
    counts = metrics.funnel(people, MON)
    assert (counts.employees, counts.invited, counts.attended, counts.started) == (2, 0, 0, 0)
    assert (counts.weekly_active, counts.engaged) == (0, 0)
    assert counts.weekly_active_all == 1  # active, but not through the program
    assert counts.weekly_active_share == 0.5
    assert counts.attendance_rate is None
    assert counts.activities == 3
    assert counts.verified_share == 0.0


def test_funnel_stages_are_nested() -> None:
    attendee = PersonFacts(
        starts_on=d(1, 1),
        invited_on=d(4),
        attended_on=d(4),
        activities=[
            act(d(4), verified=d(5)),
            act(d(5), logged=d(6), verified=d(12)),  # verified too late
            act(d(6)),
        ],
    )
    absent = PersonFacts(starts_on=d(1, 1), invited_on=d(4), activities=[act(d(4)), act(d(5))])
    counts = metrics.funnel([attendee, absent], MON)
    assert (counts.invited, counts.attended, counts.started) == (2, 1, 1)
    assert (counts.weekly_active, counts.engaged, counts.weekly_active_all) == (1, 1, 1)
    assert counts.activities == 5
    assert counts.verified == 2
    assert counts.median_latency_days == 0.0


def test_started_means_logging_after_the_session() -> None:
    # active Monday-Wednesday, but the session was on Thursday and nothing was logged since
    person = PersonFacts(
        starts_on=d(1, 1),
        invited_on=d(7),
        attended_on=d(7),
        activities=[act(d(4)), act(d(5)), act(d(6))],
    )
    counts = metrics.funnel([person], MON)
    assert (counts.attended, counts.started, counts.weekly_active, counts.weekly_active_all) == (
        1,
        0,
        0,
        1,
    )


def test_a_holiday_week_asks_for_the_days_that_exist() -> None:
    # 25-29 May: Wednesday 27 is a holiday; activity on the holiday never counts
    holiday_logger = PersonFacts(starts_on=d(1, 1), activities=[act(d(25)), act(d(27)), act(d(28))])
    regular = PersonFacts(starts_on=d(1, 1), activities=[act(d(25)), act(d(26)), act(d(28))])
    counts = metrics.funnel([holiday_logger, regular], LONG_WEEKEND)
    assert counts.weekly_active_all == 1
    assert counts.activities == 6  # holiday work is still counted as activity


def test_an_employee_who_joins_mid_period_counts_from_their_start() -> None:
    # joined Thursday 7 May: not counted before, and two working days suffice in week one
    joiner = PersonFacts(starts_on=d(7), activities=[act(d(4)), act(d(7)), act(d(8))])
    earlier = metrics.funnel([joiner], date(2026, 4, 27))
    assert earlier.employees == 0
    first_week = metrics.funnel([joiner], MON)
    assert (first_week.employees, first_week.weekly_active_all) == (1, 1)
    assert first_week.activities == 2  # the activity dated before joining is ignored
    # joined on Saturday: counted only from the next week
    weekend = PersonFacts(starts_on=d(9), activities=[act(d(9))])
    assert metrics.funnel([weekend], MON).employees == 0
    assert metrics.funnel([weekend], HOLIDAY_WEEK).employees == 1


def test_combined_groups_add_up() -> None:
    a = metrics.funnel([PersonFacts(starts_on=d(1, 1), activities=[act(d(4))])], MON)
    b = metrics.funnel([PersonFacts(starts_on=d(1, 1))], MON)
    both = metrics.combined([a, b])
    assert (both.employees, both.activities, both.median_latency_days) == (2, 1, None)
    assert metrics.combined([a]).median_latency_days == 0.0


# --- cohorts -------------------------------------------------------------------------------------


def test_cohort_follows_attendees_for_eight_weeks() -> None:
    attended = PersonFacts(
        starts_on=d(1, 1),
        invited_on=d(4),
        attended_on=d(4),
        activities=[act(day, verified=day) for day in (d(11), d(12), d(13))],  # week +1
    )
    no_show = PersonFacts(starts_on=d(1, 1), invited_on=d(4))
    counts = metrics.cohort([attended, no_show])
    assert (counts.members, counts.attended, counts.started) == (2, 1, 1)
    assert (counts.weekly_active, counts.engaged) == (1, 1)
    assert counts.active_by_week == (1, 0, 0, 0, 0, 0, 0, 0)
    assert metrics.cohort([]).members == 0


def test_weeks_observed() -> None:
    assert metrics.weeks_observed(d(4), d(10)) == 0
    assert metrics.weeks_observed(d(4), d(18)) == 1
    assert metrics.weeks_observed(d(4), d(1, 12)) == 8


# --- lagging OPDs --------------------------------------------------------------------------------


def test_lagging_is_below_the_median_by_more_than_the_margin() -> None:
    shares = {"A": 0.8, "B": 0.7, "C": 0.6, "D": 0.5, "E": None}
    median, behind = metrics.lagging(shares)
    assert median == pytest.approx(0.65)
    assert behind == ["D"]
    assert metrics.lagging(shares, margin=0.2) == (pytest.approx(0.65), [])
    # exactly at the margin is not lagging
    assert metrics.lagging({"A": 0.5, "B": 0.6, "C": 0.7})[1] == []
    assert metrics.lagging({}) == (None, [])


# --- survey anonymity ----------------------------------------------------------------------------


def sums(n: int, value: int = 3) -> AnswerSums:
    return AnswerSums(n, value * n, value * n, value * n)


def test_four_respondents_are_suppressed_five_are_shown() -> None:
    result = metrics.anonymised({"A": sums(4), "B": sums(5), "C": sums(5)})
    assert result["A"] == metrics.SUPPRESSED
    assert result["A"].respondents is None
    # A alone would be derivable as city minus B minus C, so the smallest shown goes too
    assert result["B"].suppressed
    assert not result["C"].suppressed
    assert result["C"].respondents == 5
    assert result["C"].comfort == 3.0
    shown = metrics.anonymised({"A": sums(5), "B": sums(5)})
    assert not shown["A"].suppressed
    assert not shown["B"].suppressed


def test_complementary_suppression_is_per_parent() -> None:
    groups = {("X", 1): sums(3), ("X", 2): sums(9), ("Y", 3): sums(6), ("Y", 4): sums(7)}
    result = metrics.anonymised(groups, parent=lambda key: key[0])
    assert result[("X", 1)].suppressed
    assert result[("X", 2)].suppressed  # X's total minus unit 2 would reveal unit 1
    assert not result[("Y", 3)].suppressed
    assert not result[("Y", 4)].suppressed


@pytest.mark.parametrize(
    ("sizes", "hidden"),
    [
        ({"a": 1}, {"a"}),
        ({"a": 1, "b": 4, "c": 9}, {"a", "b"}),  # hidden together hold 5: enough
        ({"a": 0, "b": 7}, set()),
        ({"a": 2, "b": 6, "c": 5}, {"a", "c"}),
    ],
)
def test_suppressed_keys(sizes: dict[str, int], hidden: set[str]) -> None:
    assert metrics.suppressed_keys(sizes) == hidden


def test_survey_phase_and_trend_pool_only_publishable_cells() -> None:
    first = d(20)
    assert metrics.survey_phase(d(1), d(7), first) == "BEFORE"
    assert metrics.survey_phase(d(20), d(27), first) == "AFTER"
    assert metrics.survey_phase(d(15), d(22), first) is None  # spans the session
    assert metrics.survey_phase(d(15), d(22), None) == "BEFORE"
    pooled = metrics.trend(
        [("BEFORE", sums(5, 2), True), ("BEFORE", sums(2, 5), False), ("AFTER", sums(6, 4), True)]
    )
    assert pooled["BEFORE"].respondents == 5
    assert pooled["BEFORE"].comfort == 2.0
    assert pooled["AFTER"].comfort == 4.0
    assert metrics.trend([("AFTER", sums(3), True)])["AFTER"].suppressed
