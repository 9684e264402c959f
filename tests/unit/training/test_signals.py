"""The signal readers' pure parts: behaviour gaps, indicator gaps and the mentoring chunks."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from portal.performance.enums import BerAkhlak
from portal.performance.rows import IndicatorRow
from training.enums import AssignmentStatus, CourseMode
from training.ledger import LedgerEntry
from training.services import signals
from training.services.signals import behaviour_gaps, indicator_gap, indicator_label, jp_totals

BELOW, MEETS = "DI_BAWAH_EKSPEKTASI", "SESUAI_EKSPEKTASI"


def test_values_rated_below_expectation_are_gaps_in_value_order() -> None:
    lines = [
        ("KOLABORATIF", BELOW, "Jarang hadir rapat koordinasi."),
        ("AKUNTABEL", MEETS, ""),
        ("BERORIENTASI_PELAYANAN", BELOW, ""),
    ]
    gaps = behaviour_gaps("Triwulan II 2026", MEETS, lines)
    assert [g.value for g in gaps] == [BerAkhlak.BERORIENTASI_PELAYANAN, BerAkhlak.KOLABORATIF]
    assert {g.period_name for g in gaps} == {"Triwulan II 2026"}


def test_without_per_value_ratings_the_overall_rating_gives_one_gap_with_the_notes() -> None:
    lines = [
        ("KOLABORATIF", None, "Kurang berbagi informasi dengan tim."),
        ("AKUNTABEL", None, "  "),
        ("UNKNOWN", None, "ignored"),
    ]
    (gap,) = behaviour_gaps("Triwulan I 2026", BELOW, lines)
    assert gap.value is None
    assert gap.notes == {BerAkhlak.KOLABORATIF: "Kurang berbagi informasi dengan tim."}


def test_no_gap_when_overall_meets_expectation_or_values_were_rated_individually() -> None:
    assert behaviour_gaps("Triwulan I 2026", MEETS, [("KOLABORATIF", None, "x")]) == ()
    # the rater rated values one by one and none was below: the overall rating adds nothing
    assert behaviour_gaps("Triwulan I 2026", BELOW, [("KOLABORATIF", MEETS, "")]) == ()
    assert behaviour_gaps("Triwulan I 2026", None, []) == ()


@pytest.mark.parametrize(
    ("description", "unit", "label"),
    [
        ("Jumlah dosis vaksin yang diberikan", "dosis vaksin", "dosis vaksin"),
        ("Persentase cakupan imunisasi", "persen", "persentase cakupan imunisasi"),
        ("Nilai SAKIP perangkat daerah", "nilai", "nilai SAKIP perangkat daerah"),
        ("Jumlah berkas perizinan yang diverifikasi", "berkas", "berkas"),
    ],
)  # fmt: skip
def test_indicator_label(description: str, unit: str, label: str) -> None:
    assert indicator_label(description, unit) == label


def _indicator(aspect: str = "KUANTITAS") -> IndicatorRow:
    return IndicatorRow(
        id=1,
        rhk_id=1,
        skp_id=1,
        aspect=aspect,
        description="Jumlah dosis vaksin yang diberikan",
        target_value=2400.0,
        unit="dosis vaksin",
        position=0,
    )


def test_an_indicator_clearly_behind_pace_is_a_gap() -> None:
    gap = indicator_gap(_indicator(), "Terlaksananya pelayanan imunisasi", 0.27, 0.5)
    assert gap is not None
    assert gap.label == "dosis vaksin"
    assert gap.text == "Jumlah dosis vaksin yang diberikan dosis vaksin"
    assert gap.context == "Terlaksananya pelayanan imunisasi"
    assert gap.severity == pytest.approx(0.46)


@pytest.mark.parametrize(
    ("aspect", "ratio", "expected"),
    [
        ("KUANTITAS", 0.45, 0.5),  # within 80 % of the pace: not a gap
        ("KUANTITAS", None, 0.5),  # no valid target
        ("KUANTITAS", 0.0, 0.02),  # too early in the year to judge
        ("WAKTU", 0.1, 0.5),  # lower-is-better aspects are not summed from activities
    ],
)
def test_no_indicator_gap(aspect: str, ratio: float | None, expected: float) -> None:
    assert indicator_gap(_indicator(aspect), "", ratio, expected) is None


def test_jp_totals_ignore_cancelled() -> None:
    entries = [
        LedgerEntry(6, CourseMode.KLASIKAL, AssignmentStatus.COMPLETED),
        LedgerEntry(4, CourseMode.NONKLASIKAL, AssignmentStatus.ENROLLED),
        LedgerEntry(2, CourseMode.NONKLASIKAL, AssignmentStatus.ASSIGNED),
        LedgerEntry(9, CourseMode.NONKLASIKAL, AssignmentStatus.CANCELLED),
    ]
    assert jp_totals(entries) == (6, 6)


async def test_mentoring_signal_comes_from_the_reader_in_chunks() -> None:
    calls: list[list[int]] = []

    async def reader(ids: Sequence[int]) -> list[int]:
        calls.append(list(ids))
        return [i for i in ids if i % 500 == 0]

    found = await signals.read_mentoring_alerts(list(range(1, 2001)), reader)
    assert found == frozenset({500, 1000, 1500, 2000})
    assert len(calls) == 3  # chunks of 900
