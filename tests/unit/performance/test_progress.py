"""Indicator progress: only quantities have a pace; levels are measured at evaluation."""

from __future__ import annotations

from datetime import date

import pytest

from portal.performance import rules
from portal.performance.enums import Aspect
from portal.performance.planning.services.progress import Tally, TeamMember, indicator_progress
from portal.performance.rows import IndicatorRow, PeriodRow

YEAR = PeriodRow(
    id=1,
    year=2026,
    kind="ANNUAL",
    number=1,
    name="Tahun 2026",
    parent_id=None,
    starts_on=date(2026, 1, 1),
    ends_on=date(2026, 12, 31),
    submission_deadline=date(2027, 1, 31),
    status="OPEN",
    evaluation_frequency="QUARTERLY",
)
WINDOW = (date(2026, 1, 1), date(2026, 7, 2))  # about half the year


def _indicator(aspect: str, target: float) -> IndicatorRow:
    return IndicatorRow(
        id=1, rhk_id=1, skp_id=1, aspect=aspect, description="x", target_value=target, unit="u",
        position=0,
    )  # fmt: skip


def _tally(verified: float) -> Tally:
    return Tally(
        verified_quantity=verified, submitted_quantity=0.0, verified_count=1, submitted_count=0,
        rejected_count=0,
    )  # fmt: skip


def test_a_quantity_behind_the_calendar_is_behind_pace() -> None:
    p = indicator_progress(_indicator("KUANTITAS", 1000.0), YEAR, WINDOW, _tally(300.0))
    assert p.progress == pytest.approx(0.3)
    assert p.expected_pace == pytest.approx(0.5, abs=0.01)
    assert p.behind_pace


def test_a_quantity_ahead_of_the_calendar_is_on_pace() -> None:
    p = indicator_progress(_indicator("KUANTITAS", 1000.0), YEAR, WINDOW, _tally(600.0))
    assert p.progress == pytest.approx(0.6)
    assert not p.behind_pace


@pytest.mark.parametrize("aspect", ["KUALITAS", "WAKTU", "BIAYA"])
def test_a_level_target_has_no_pace_and_is_never_behind(aspect: str) -> None:
    # e.g. "90 % of reports accepted without correction": logs do not add up to it
    p = indicator_progress(_indicator(aspect, 90.0), YEAR, WINDOW, _tally(0.0))
    assert p.progress is None
    assert p.achievement is None
    assert not p.behind_pace


def test_realisation_of_an_skp_is_the_mean_of_its_quantity_indicators() -> None:
    # the one rule the home, the team overview and the mentoring model's realised share use
    assert rules.indicator_realisation(Aspect.KUANTITAS, 100.0, 59.0) == pytest.approx(0.59)
    assert rules.indicator_realisation("KUANTITAS", 0.0, 5.0) is None  # no target
    for aspect in ("KUALITAS", "WAKTU", "BIAYA"):
        assert rules.indicator_realisation(aspect, 90.0, 0.0) is None
    assert rules.skp_realisation([0.59, None, None]) == pytest.approx(0.59)
    assert rules.skp_realisation([0.5, 0.7, None]) == pytest.approx(0.6)
    assert rules.skp_realisation([None, None]) is None
    assert rules.skp_realisation([]) is None


def test_team_average_progress_leaves_levels_out() -> None:
    # a nurse 59 % of the way to her vaccination target, with a quality and a time target
    indicators = [
        indicator_progress(_indicator(aspect, target), YEAR, WINDOW, _tally(done))
        for aspect, target, done in (("KUANTITAS", 100.0, 59.0), ("KUALITAS", 90.0, 0.0),
                                     ("WAKTU", 2.0, 0.0))
    ]  # fmt: skip
    member = TeamMember(
        employee=None,  # type: ignore[arg-type]  # only the indicators matter here
        skp=None,
        indicators=indicators,
        pending_verifications=0,
        last_activity_date=None,
        period_id=1,
    )
    assert member.average_progress == pytest.approx(0.59)
