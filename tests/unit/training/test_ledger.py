"""The 20 JP ledger's arithmetic and its at-risk rule (pure, no database)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from training.enums import AssignmentStatus, CourseMode
from training.ledger import (
    JP_RIGHT,
    LedgerEntry,
    compute,
    elapsed_share,
    expected_by,
    from_totals,
    is_at_risk,
)

K, N = CourseMode.KLASIKAL, CourseMode.NONKLASIKAL
DONE, ASSIGNED, ENROLLED, CANCELLED = (
    AssignmentStatus.COMPLETED,
    AssignmentStatus.ASSIGNED,
    AssignmentStatus.ENROLLED,
    AssignmentStatus.CANCELLED,
)
MID_YEAR = date(2026, 7, 2)


def test_empty_year_has_everything_remaining_and_is_at_risk_mid_year() -> None:
    # given no training at all, when computed mid-year
    led = compute([], year=2026, today=MID_YEAR)
    # then 20 remain, nothing is planned, and the employee is at risk
    assert (led.completed, led.planned, led.remaining, led.unplanned) == (0, 0, 20, 20)
    assert led.at_risk
    assert not led.reached
    assert [(m.mode, m.completed, m.planned) for m in led.by_mode] == [(K, 0, 0), (N, 0, 0)]


def test_completed_and_planned_are_split_by_mode_and_cancelled_never_counts() -> None:
    entries = [
        LedgerEntry(8, K, DONE),
        LedgerEntry(4, N, DONE),
        LedgerEntry(6, N, ASSIGNED),
        LedgerEntry(2, K, ENROLLED),
        LedgerEntry(40, K, CANCELLED),
    ]
    led = compute(entries, year=2026, today=MID_YEAR)
    assert (led.completed, led.planned) == (12, 8)
    assert (led.remaining, led.unplanned) == (8, 0)
    assert {m.mode: (m.completed, m.planned) for m in led.by_mode} == {K: (8, 2), N: (4, 6)}
    # the plan reaches 20, so the employee is not at risk although behind pace
    assert not led.at_risk


def test_over_twenty_leaves_nothing_remaining() -> None:
    led = compute(
        [LedgerEntry(24, K, DONE), LedgerEntry(10, N, ASSIGNED)], year=2026, today=MID_YEAR
    )
    assert led.completed == 24
    assert led.remaining == 0
    assert led.unplanned == 0
    assert led.reached
    assert not led.at_risk


def test_exactly_twenty_is_reached() -> None:
    led = compute([LedgerEntry(20, N, DONE)], year=2026, today=date(2026, 12, 31))
    assert led.reached
    assert led.remaining == 0
    assert not led.at_risk


def test_ahead_of_pace_with_nothing_planned_is_not_at_risk_until_the_calendar_catches_up() -> None:
    entries = [LedgerEntry(8, N, DONE)]
    # in March 8 JP is ahead of the straight line (about 3.3 JP expected)
    assert not compute(entries, year=2026, today=date(2026, 3, 1)).at_risk
    # in October the line expects about 15 JP
    october = compute(entries, year=2026, today=date(2026, 10, 1))
    assert october.at_risk
    assert october.expected_by_now == pytest.approx(15.0, abs=0.2)


def test_a_past_year_is_at_risk_whenever_twenty_was_not_reached_plans_do_not_help() -> None:
    entries = [LedgerEntry(10, K, DONE), LedgerEntry(30, N, ASSIGNED)]
    led = compute(entries, year=2025, today=MID_YEAR)
    assert led.at_risk
    assert led.expected_by_now == 20.0


def test_a_future_year_is_never_at_risk() -> None:
    assert not compute([], year=2027, today=MID_YEAR).at_risk
    assert expected_by(2027, MID_YEAR) == 0.0


def test_elapsed_share_runs_from_zero_to_one_over_the_year() -> None:
    assert elapsed_share(2026, date(2025, 12, 31)) == 0.0
    assert elapsed_share(2026, date(2026, 1, 1)) == 0.0
    assert elapsed_share(2026, MID_YEAR) == pytest.approx(0.5, abs=0.01)
    assert elapsed_share(2026, date(2026, 12, 31)) == 1.0
    assert elapsed_share(2026, date(2027, 5, 1)) == 1.0


def test_on_new_years_day_someone_without_training_is_not_yet_behind() -> None:
    # nothing expected on the first day, so nobody is behind pace yet
    assert not compute([], year=2026, today=date(2026, 1, 1)).at_risk
    assert compute([], year=2026, today=date(2026, 1, 2)).at_risk


def test_from_totals_matches_compute() -> None:
    led = from_totals(
        year=2026,
        today=MID_YEAR,
        completed_klasikal=3,
        completed_nonklasikal=4,
        planned_klasikal=5,
        planned_nonklasikal=0,
    )
    assert (led.completed, led.planned, led.unplanned) == (7, 5, 8)
    assert led.at_risk


def test_negative_hours_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        compute([LedgerEntry(-1, K, DONE)], year=2026, today=MID_YEAR)


@given(
    st.lists(
        st.tuples(
            st.integers(0, 40),
            st.sampled_from(list(CourseMode)),
            st.sampled_from(list(AssignmentStatus)),
        ),
        max_size=12,
    ),
    st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
)
def test_ledger_invariants(
    raw: list[tuple[int, CourseMode, AssignmentStatus]], today: date
) -> None:
    entries = [LedgerEntry(*r) for r in raw]
    led = compute(entries, year=2026, today=today)
    assert led.completed == sum(e.jp_hours for e in entries if e.status is DONE)
    assert led.planned == sum(e.jp_hours for e in entries if e.status in (ASSIGNED, ENROLLED))
    assert led.remaining == max(0, JP_RIGHT - led.completed)
    assert 0 <= led.unplanned <= led.remaining
    assert sum(m.completed for m in led.by_mode) == led.completed
    assert sum(m.planned for m in led.by_mode) == led.planned
    assert led.at_risk == is_at_risk(led.completed, led.planned, 2026, today)
    if led.reached:
        assert not led.at_risk
