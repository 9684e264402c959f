"""Unit tests of the mutasi pro rata rule: months served and the combined ratings."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.performance.enums import Predikat, Rating
from portal.performance.rules import (
    ServedPart,
    combine_pro_rata,
    months_served,
    predikat,
)

ATAS, SESUAI, BAWAH = (
    Rating.DI_ATAS_EKSPEKTASI,
    Rating.SESUAI_EKSPEKTASI,
    Rating.DI_BAWAH_EKSPEKTASI,
)


def part(first: date, last: date, hasil: Rating, perilaku: Rating) -> ServedPart:
    return ServedPart(first, last, hasil, perilaku)


@pytest.mark.parametrize(
    ("first", "last", "months"),
    [
        (date(2026, 1, 1), date(2026, 3, 31), Fraction(3)),
        (date(2026, 1, 1), date(2026, 12, 31), Fraction(12)),
        (date(2026, 4, 1), date(2026, 4, 15), Fraction(1, 2)),  # 15 of 30 days
        (date(2026, 2, 15), date(2026, 2, 28), Fraction(1, 2)),  # 14 of 28 days
        (date(2024, 2, 15), date(2024, 2, 29), Fraction(15, 29)),  # leap year
        (date(2026, 1, 17), date(2026, 3, 16), Fraction(15, 31) + 1 + Fraction(16, 31)),
        (date(2026, 7, 1), date(2026, 7, 1), Fraction(1, 31)),
    ],
)
def test_months_served_counts_partly_served_months_by_their_days(
    first: date, last: date, months: Fraction
) -> None:
    assert months_served(first, last) == months


def test_months_served_refuses_a_backwards_range() -> None:
    with pytest.raises(ValueError, match="before"):
        months_served(date(2026, 5, 2), date(2026, 5, 1))


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=0, max_value=400),
)
def test_months_served_adds_up_over_a_split(start: date, first_len: int, second_len: int) -> None:
    middle = start + timedelta(days=first_len)
    end = middle + timedelta(days=second_len + 1)
    whole = months_served(start, end)
    assert whole == months_served(start, middle) + months_served(middle + timedelta(days=1), end)


def test_a_transfer_at_the_end_of_april_weights_four_and_eight_months() -> None:
    # old rater Jan-Apr: above / as expected; new rater May-Dec: as expected / as expected
    result = combine_pro_rata(
        [
            part(date(2026, 1, 1), date(2026, 4, 30), ATAS, SESUAI),
            part(date(2026, 5, 1), date(2026, 12, 31), SESUAI, SESUAI),
        ]
    )
    # hasil: (4*3 + 8*2) / 12 = 2.33 -> SESUAI
    assert result.months == (Fraction(4), Fraction(8))
    assert (result.hasil, result.perilaku, result.predikat) == (SESUAI, SESUAI, Predikat.BAIK)


def test_the_longer_part_outweighs_the_shorter_one() -> None:
    # three months below expectations, nine months above: (3*1 + 9*3) / 12 = 2.5 ... exactly half
    # way between SESUAI and ATAS: the longer part (ATAS) decides the tie
    result = combine_pro_rata(
        [
            part(date(2026, 1, 1), date(2026, 3, 31), BAWAH, SESUAI),
            part(date(2026, 4, 1), date(2026, 12, 31), ATAS, SESUAI),
        ]
    )
    assert result.hasil == ATAS
    assert result.predikat == Predikat.BAIK  # (ATAS, SESUAI)


def test_a_tie_between_equal_parts_goes_to_the_later_rater() -> None:
    # six months ATAS then six months SESUAI: mean 2.5, equal lengths: the later part decides
    later_sesuai = combine_pro_rata(
        [
            part(date(2026, 1, 1), date(2026, 6, 30), ATAS, ATAS),
            part(date(2026, 7, 1), date(2026, 12, 31), SESUAI, SESUAI),
        ]
    )
    # Jan-Jun is 6 months, Jul-Dec is 6 months
    assert later_sesuai.months == (Fraction(6), Fraction(6))
    assert (later_sesuai.hasil, later_sesuai.perilaku) == (SESUAI, SESUAI)
    later_atas = combine_pro_rata(
        [
            part(date(2026, 1, 1), date(2026, 6, 30), SESUAI, SESUAI),
            part(date(2026, 7, 1), date(2026, 12, 31), ATAS, ATAS),
        ]
    )
    assert (later_atas.hasil, later_atas.perilaku) == (ATAS, ATAS)
    assert later_atas.predikat == Predikat.SANGAT_BAIK


def test_a_short_bad_part_does_not_sink_a_good_year() -> None:
    # one month below expectations, eleven above: (1 + 33) / 12 = 2.83 -> ATAS
    result = combine_pro_rata(
        [
            part(date(2026, 12, 1), date(2026, 12, 31), BAWAH, BAWAH),
            part(date(2026, 1, 1), date(2026, 11, 30), ATAS, ATAS),
        ]
    )
    assert result.months == (Fraction(1), Fraction(11))  # in the order given
    assert result.predikat == Predikat.SANGAT_BAIK


def test_one_part_is_that_part() -> None:
    for hasil in (ATAS, SESUAI, BAWAH):
        for perilaku in (ATAS, SESUAI, BAWAH):
            result = combine_pro_rata([part(date(2026, 3, 1), date(2026, 12, 31), hasil, perilaku)])
            assert (result.hasil, result.perilaku) == (hasil, perilaku)
            assert result.predikat == predikat(hasil, perilaku)


@pytest.mark.parametrize(
    "parts",
    [
        [],
        [
            part(date(2026, 1, 1), date(2026, 6, 30), ATAS, ATAS),
            part(date(2026, 6, 30), date(2026, 12, 31), ATAS, ATAS),
        ],
        [part(date(2026, 6, 30), date(2026, 6, 1), ATAS, ATAS)],
    ],
    ids=["none", "overlap", "backwards"],
)
def test_nonsense_parts_are_refused(parts: list[ServedPart]) -> None:
    with pytest.raises(ValueError):
        combine_pro_rata(parts)


ratings = st.sampled_from([ATAS, SESUAI, BAWAH])


@given(st.integers(min_value=1, max_value=11), ratings, ratings, ratings, ratings)
def test_the_combination_lies_between_the_parts(
    month: int, h1: Rating, p1: Rating, h2: Rating, p2: Rating
) -> None:
    order = {BAWAH: 1, SESUAI: 2, ATAS: 3}
    cut = date(2026, month + 1, 1)
    result = combine_pro_rata(
        [
            part(date(2026, 1, 1), cut - timedelta(days=1), h1, p1),
            part(cut, date(2026, 12, 31), h2, p2),
        ]
    )
    for combined, a, b in ((result.hasil, h1, h2), (result.perilaku, p1, p2)):
        assert min(order[a], order[b]) <= order[combined] <= max(order[a], order[b])
    assert sum(result.months) == 12
    assert result.predikat == predikat(result.hasil, result.perilaku)
