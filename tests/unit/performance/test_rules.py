"""Unit tests for portal.performance.rules: predikat, hasil suggestion, curve, activities, pace."""

from __future__ import annotations

import dataclasses
import math
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.core.errors import FieldError
from portal.performance.enums import (
    Aspect,
    OrgPredikat,
    PeriodStatus,
    Predikat,
    Rating,
    RhkKind,
)
from portal.performance.rules import (
    ABOVE_THRESHOLD,
    MAX_DESCRIPTION,
    MAX_DURATION,
    MAX_LINK,
    MAX_LINKS,
    MAX_QUANTITY,
    MAX_UNIT,
    MEETS_THRESHOLD,
    MIN_DESCRIPTION,
    MOST,
    PREDIKAT_MATRIX,
    SMALL_UTAMA_SHARE,
    ActivityDraft,
    CurveViolation,
    HasilSuggestion,
    IndicatorAchievement,
    PeriodWindow,
    achievement_ratio,
    check_curve,
    curve_rule_checks,
    curve_shares,
    expected_pace,
    indicator_level,
    predikat,
    progress_ratio,
    suggest_hasil,
    validate_activity,
)

ATAS = Rating.DI_ATAS_EKSPEKTASI
SESUAI = Rating.SESUAI_EKSPEKTASI
BAWAH = Rating.DI_BAWAH_EKSPEKTASI
RANK = {BAWAH: 0, SESUAI: 1, ATAS: 2}

SB = Predikat.SANGAT_BAIK
B = Predikat.BAIK
BP = Predikat.BUTUH_PERBAIKAN
KM = Predikat.KURANG_MISCONDUCT
SK = Predikat.SANGAT_KURANG

UTAMA = RhkKind.UTAMA
TAMBAHAN = RhkKind.TAMBAHAN


# ============================================================================================
# Predikat matrix
# ============================================================================================

MATRIX_CELLS = [
    (ATAS, BAWAH, Predikat.KURANG_MISCONDUCT),
    (ATAS, SESUAI, Predikat.BAIK),
    (ATAS, ATAS, Predikat.SANGAT_BAIK),
    (SESUAI, BAWAH, Predikat.KURANG_MISCONDUCT),
    (SESUAI, SESUAI, Predikat.BAIK),
    (SESUAI, ATAS, Predikat.BAIK),
    (BAWAH, BAWAH, Predikat.SANGAT_KURANG),
    (BAWAH, SESUAI, Predikat.BUTUH_PERBAIKAN),
    (BAWAH, ATAS, Predikat.BUTUH_PERBAIKAN),
]


@pytest.mark.parametrize(("hasil", "perilaku", "expected"), MATRIX_CELLS)
def test_given_hasil_and_perilaku_when_predikat_then_matrix_cell(
    hasil: Rating, perilaku: Rating, expected: Predikat
) -> None:
    assert predikat(hasil, perilaku) is expected
    assert PREDIKAT_MATRIX[hasil, perilaku] is expected


def test_given_matrix_when_inspected_then_it_has_exactly_the_nine_cells() -> None:
    assert dict(PREDIKAT_MATRIX) == {(h, p): e for h, p, e in MATRIX_CELLS}
    assert len(PREDIKAT_MATRIX) == len(Rating) ** 2


def test_given_matrix_when_assigned_to_then_it_is_read_only() -> None:
    with pytest.raises(TypeError):
        PREDIKAT_MATRIX[ATAS, ATAS] = Predikat.BAIK  # type: ignore[index]


def test_given_matrix_when_values_collected_then_every_predikat_is_reachable() -> None:
    assert set(PREDIKAT_MATRIX.values()) == set(Predikat)


# ============================================================================================
# Achievement ratio and indicator level
# ============================================================================================


def test_given_thresholds_when_read_then_they_are_the_documented_values() -> None:
    assert ABOVE_THRESHOLD == 1.10
    assert MEETS_THRESHOLD == 1.00
    assert MOST == 0.5
    assert SMALL_UTAMA_SHARE == 0.2


@pytest.mark.parametrize("aspect", [None, Aspect.KUANTITAS, Aspect.KUALITAS])
def test_given_higher_is_better_aspect_when_ratio_then_realisation_over_target(
    aspect: Aspect | None,
) -> None:
    assert achievement_ratio(8.0, 10.0, aspect) == pytest.approx(1.25)
    assert achievement_ratio(10.0, 5.0, aspect) == pytest.approx(0.5)
    assert achievement_ratio(10.0, 0.0, aspect) == 0.0


def test_given_no_aspect_argument_when_ratio_then_higher_is_better() -> None:
    assert achievement_ratio(4.0, 5.0) == pytest.approx(1.25)


@pytest.mark.parametrize("aspect", [Aspect.WAKTU, Aspect.BIAYA])
def test_given_lower_is_better_aspect_when_ratio_then_target_over_realisation(
    aspect: Aspect,
) -> None:
    assert achievement_ratio(12.0, 10.0, aspect) == pytest.approx(1.2)
    assert achievement_ratio(12.0, 24.0, aspect) == pytest.approx(0.5)


@pytest.mark.parametrize("aspect", [Aspect.WAKTU, Aspect.BIAYA])
@pytest.mark.parametrize("realisation", [0.0, -3.0])
def test_given_lower_is_better_and_nothing_spent_when_ratio_then_fully_achieved(
    aspect: Aspect, realisation: float
) -> None:
    assert achievement_ratio(12.0, realisation, aspect) == ABOVE_THRESHOLD
    assert indicator_level(ABOVE_THRESHOLD) is ATAS


@pytest.mark.parametrize("aspect", [None, *Aspect])
@pytest.mark.parametrize("target", [0.0, -0.0, -1.0, -1e9])
def test_given_target_not_positive_when_ratio_then_cannot_judge(
    aspect: Aspect | None, target: float
) -> None:
    assert achievement_ratio(target, 5.0, aspect) is None
    assert achievement_ratio(target, 0.0, aspect) is None


@pytest.mark.parametrize("aspect", [None, *Aspect])
@pytest.mark.parametrize(
    ("target", "realisation"),
    [(math.nan, 1.0), (1.0, math.nan), (math.inf, 1.0), (1.0, math.inf), (1.0, -math.inf)],
)
def test_given_non_finite_input_when_ratio_then_cannot_judge(
    aspect: Aspect | None, target: float, realisation: float
) -> None:
    assert achievement_ratio(target, realisation, aspect) is None


@given(
    target=st.floats(min_value=1e-3, max_value=1e6),
    realisation=st.floats(min_value=1e-3, max_value=1e6),
)
def test_given_positive_values_when_both_directions_then_ratios_are_reciprocal(
    target: float, realisation: float
) -> None:
    up = achievement_ratio(target, realisation, Aspect.KUANTITAS)
    down = achievement_ratio(target, realisation, Aspect.WAKTU)
    assert up is not None
    assert down is not None
    assert up * down == pytest.approx(1.0)


@given(
    target=st.floats(min_value=1e-3, max_value=1e6),
    low=st.floats(min_value=0, max_value=1e6),
    high=st.floats(min_value=0, max_value=1e6),
    aspect=st.sampled_from(Aspect),
)
def test_given_better_realisation_when_ratio_then_level_never_drops(
    target: float, low: float, high: float, aspect: Aspect
) -> None:
    low, high = sorted((low, high))
    if aspect in {Aspect.WAKTU, Aspect.BIAYA}:
        better, worse = low, high
    else:
        better, worse = high, low
    better_ratio = achievement_ratio(target, better, aspect)
    worse_ratio = achievement_ratio(target, worse, aspect)
    assert better_ratio is not None
    assert worse_ratio is not None
    # Nothing spent on WAKTU/BIAYA is pinned at ABOVE_THRESHOLD rather than infinity, so only
    # the level (not the raw ratio) is monotone across realisation 0.
    if better > 0 or aspect not in {Aspect.WAKTU, Aspect.BIAYA}:
        assert better_ratio >= worse_ratio
    assert RANK[indicator_level(better_ratio)] >= RANK[indicator_level(worse_ratio)]


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (math.inf, ATAS),
        (5.0, ATAS),
        (1.10, ATAS),
        (1.0999, SESUAI),
        (1.05, SESUAI),
        (1.0, SESUAI),
        (0.9999, BAWAH),
        (0.5, BAWAH),
        (0.0, BAWAH),
        (-1.0, BAWAH),
        (math.nan, BAWAH),
    ],
)
def test_given_ratio_when_level_then_thresholds_apply(ratio: float, expected: Rating) -> None:
    assert indicator_level(ratio) is expected


@pytest.mark.parametrize(
    ("target", "realisation", "expected"),
    [(3.0, 3.3, ATAS), (1.1, 1.21, ATAS), (0.3, 0.3, SESUAI), (3.0, 2.9999, BAWAH)],
)
def test_given_decimal_inputs_on_a_boundary_when_level_then_rounding_does_not_drop_it(
    target: float, realisation: float, expected: Rating
) -> None:
    ratio = achievement_ratio(target, realisation)
    assert ratio is not None
    assert indicator_level(ratio) is expected


# ============================================================================================
# Hasil suggestion
# ============================================================================================

REALISATION = {ATAS: 12.0, SESUAI: 10.0, BAWAH: 5.0}


def ind(
    level: Rating,
    kind: RhkKind = TAMBAHAN,
    label: str = "Indikator",
    aspect: Aspect = Aspect.KUANTITAS,
) -> IndicatorAchievement:
    """An indicator with target 10 reaching ``level`` (KUANTITAS/KUALITAS only)."""
    return IndicatorAchievement(1, kind, 10.0, REALISATION[level], label, aspect)


def unjudged(kind: RhkKind = UTAMA) -> IndicatorAchievement:
    return IndicatorAchievement(1, kind, 0.0, 5.0, "Tanpa target")


def test_given_indicator_achievement_when_built_then_aspect_defaults_to_kuantitas() -> None:
    item = IndicatorAchievement(7, UTAMA, 10.0, 11.0, "Dosis vaksin")
    assert item.aspect is Aspect.KUANTITAS
    assert [f.name for f in dataclasses.fields(item)][-1] == "aspect"
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.target = 3.0  # type: ignore[misc]


def test_given_no_indicators_when_suggested_then_sesuai_and_rater_decides() -> None:
    result = suggest_hasil([])
    assert result == HasilSuggestion(SESUAI, result.explanation, 0, 0, 0, 0, 0, 0)
    assert "Tidak ada indikator yang dapat dinilai" in result.explanation
    assert "Pejabat penilai menentukan rating" in result.explanation
    assert result.explanation.endswith("Saran: Sesuai Ekspektasi.")


def test_given_only_unjudged_indicators_when_suggested_then_sesuai_with_count() -> None:
    result = suggest_hasil([unjudged(), unjudged(TAMBAHAN)])
    assert result.rating is SESUAI
    assert (result.above, result.meets, result.below, result.unjudged) == (0, 0, 0, 2)
    assert (result.utama_below, result.utama_total) == (0, 0)
    assert "Tidak ada indikator yang dapat dinilai" in result.explanation
    assert "2 indikator tidak dapat dinilai" in result.explanation


def test_given_three_of_four_above_when_suggested_then_atas_with_exact_explanation() -> None:
    items = [ind(ATAS, UTAMA), ind(ATAS, UTAMA), ind(ATAS), ind(SESUAI)]
    result = suggest_hasil(items)
    assert result == HasilSuggestion(
        rating=ATAS,
        explanation=(
            "3 dari 4 indikator di atas target, 1 sesuai target, 0 di bawah target; "
            "tidak ada indikator RHK utama di bawah target. "
            "Sebagian besar indikator di atas target. Saran: Di Atas Ekspektasi."
        ),
        above=3,
        meets=1,
        below=0,
        unjudged=0,
        utama_below=0,
        utama_total=2,
    )


def test_given_all_above_when_suggested_then_atas() -> None:
    assert suggest_hasil([ind(ATAS, UTAMA)]).rating is ATAS
    assert suggest_hasil([ind(ATAS, UTAMA)] * 5).rating is ATAS


def test_given_exactly_half_above_when_suggested_then_not_atas_but_sesuai() -> None:
    result = suggest_hasil([ind(ATAS), ind(ATAS), ind(SESUAI), ind(SESUAI)])
    assert result.rating is SESUAI


def test_given_just_over_half_above_when_suggested_then_atas() -> None:
    items = [ind(ATAS)] * 3 + [ind(SESUAI)] * 2
    assert suggest_hasil(items).rating is ATAS


def test_given_most_above_and_a_tambahan_below_when_suggested_then_still_atas() -> None:
    result = suggest_hasil([ind(ATAS, UTAMA)] * 3 + [ind(BAWAH, TAMBAHAN)])
    assert result.rating is ATAS
    assert (result.below, result.utama_below) == (1, 0)


def test_given_most_above_and_small_share_of_utama_below_when_suggested_then_sesuai() -> None:
    # 1 of 5 UTAMA below = 20 %: blocks DI_ATAS, still allows SESUAI
    result = suggest_hasil([ind(ATAS, UTAMA)] * 4 + [ind(BAWAH, UTAMA, "Laporan")])
    assert result.rating is SESUAI
    assert (result.utama_below, result.utama_total) == (1, 5)
    assert "1 dari 5 indikator RHK utama di bawah target: Laporan." in result.explanation


def test_given_most_above_and_too_many_utama_below_when_suggested_then_bawah() -> None:
    # 1 of 4 UTAMA below = 25 %: rule 5
    result = suggest_hasil([ind(ATAS, UTAMA)] * 3 + [ind(BAWAH, UTAMA)])
    assert result.rating is BAWAH
    assert "Lebih dari 20 % indikator RHK utama di bawah target" in result.explanation


def test_given_just_over_half_below_when_suggested_then_bawah() -> None:
    result = suggest_hasil([ind(BAWAH)] * 3 + [ind(ATAS)] * 2)
    assert result.rating is BAWAH
    assert "Sebagian besar indikator di bawah target" in result.explanation


def test_given_all_below_when_suggested_then_bawah() -> None:
    assert suggest_hasil([ind(BAWAH, UTAMA)]).rating is BAWAH
    assert suggest_hasil([ind(BAWAH)] * 4).rating is BAWAH


def test_given_exactly_half_below_and_no_utama_when_suggested_then_sesuai() -> None:
    result = suggest_hasil([ind(BAWAH)] * 2 + [ind(SESUAI)] * 2)
    assert result.rating is SESUAI
    assert (result.utama_below, result.utama_total) == (0, 0)


def test_given_all_meet_when_suggested_then_sesuai() -> None:
    result = suggest_hasil([ind(SESUAI, UTAMA)] * 3)
    assert result.rating is SESUAI
    assert "Sebagian besar indikator memenuhi target" in result.explanation
    assert result.explanation.endswith("Saran: Sesuai Ekspektasi.")


@pytest.mark.parametrize(
    ("utama_below", "utama_ok", "expected"),
    [
        (1, 4, SESUAI),  # 20 % exactly
        (2, 8, SESUAI),  # 20 % exactly
        (1, 3, BAWAH),  # 25 %
        (2, 7, BAWAH),  # 22.2 %: just over
        (1, 9, SESUAI),  # 10 %
        (0, 5, SESUAI),
    ],
)
def test_given_share_of_utama_below_when_suggested_then_twenty_percent_is_the_limit(
    utama_below: int, utama_ok: int, expected: Rating
) -> None:
    items = [ind(BAWAH, UTAMA)] * utama_below + [ind(SESUAI, UTAMA)] * utama_ok
    result = suggest_hasil(items)
    assert result.rating is expected
    assert (result.utama_below, result.utama_total) == (utama_below, utama_below + utama_ok)


def test_given_tambahan_only_when_suggested_then_utama_share_is_zero() -> None:
    mixed = [ind(ATAS), ind(SESUAI), ind(BAWAH), ind(BAWAH)]
    assert suggest_hasil(mixed).rating is SESUAI
    assert suggest_hasil([ind(ATAS)] * 2).rating is ATAS
    assert suggest_hasil([ind(BAWAH)] * 2).rating is BAWAH
    assert "tidak ada indikator RHK utama di bawah target" in suggest_hasil(mixed).explanation


@pytest.mark.parametrize("aspect", [Aspect.WAKTU, Aspect.BIAYA])
def test_given_lower_is_better_aspect_when_suggested_then_less_is_above(aspect: Aspect) -> None:
    faster = IndicatorAchievement(1, UTAMA, 12.0, 10.0, "Waktu penyelesaian", aspect)
    on_time = IndicatorAchievement(2, UTAMA, 12.0, 12.0, "Waktu penyelesaian", aspect)
    slower = IndicatorAchievement(3, UTAMA, 12.0, 14.0, "Waktu penyelesaian", aspect)
    assert suggest_hasil([faster]).rating is ATAS
    assert suggest_hasil([on_time]).rating is SESUAI
    assert suggest_hasil([slower]).rating is BAWAH
    result = suggest_hasil([faster, on_time, slower])
    assert (result.above, result.meets, result.below) == (1, 1, 1)


def test_given_kuantitas_exceeding_target_time_when_suggested_then_more_is_above() -> None:
    # the same numbers as the WAKTU case read the other way for a higher-is-better aspect
    more = IndicatorAchievement(1, UTAMA, 12.0, 14.0, "Dokumen", Aspect.KUANTITAS)
    assert suggest_hasil([more]).rating is ATAS


def test_given_zero_target_indicators_when_suggested_then_ignored_but_counted() -> None:
    result = suggest_hasil([ind(ATAS, UTAMA), unjudged(), unjudged(), unjudged(TAMBAHAN)])
    assert result.rating is ATAS
    assert result.unjudged == 3
    assert result.utama_total == 1
    assert "1 dari 1 indikator di atas target" in result.explanation
    assert "3 indikator tidak dapat dinilai" in result.explanation


def test_given_unjudged_utama_when_suggested_then_not_counted_in_utama_total() -> None:
    result = suggest_hasil([unjudged(UTAMA), ind(BAWAH, TAMBAHAN), ind(SESUAI, TAMBAHAN)])
    assert (result.utama_below, result.utama_total, result.unjudged) == (0, 0, 1)
    assert result.rating is SESUAI


@pytest.mark.parametrize(
    ("labels", "named"),
    [
        (["A"], "A"),
        (["A", "B", "C"], "A, B, C"),
        (["A", "B", "C", "D"], "A, B, C dan 1 lainnya"),
        (["A", "B", "C", "D", "E"], "A, B, C dan 2 lainnya"),
    ],
)
def test_given_utama_below_when_suggested_then_named_at_most_three(
    labels: list[str], named: str
) -> None:
    items = [ind(BAWAH, UTAMA, label) for label in labels]
    result = suggest_hasil(items)
    total = len(labels)
    assert f"{total} dari {total} indikator RHK utama di bawah target: {named}." in (
        result.explanation
    )


def test_given_utama_below_and_above_mixed_when_suggested_then_only_below_are_named() -> None:
    items = [ind(ATAS, UTAMA, "Vaksinasi"), ind(BAWAH, UTAMA, "Posyandu"), ind(ATAS)]
    result = suggest_hasil(items)
    assert "1 dari 2 indikator RHK utama di bawah target: Posyandu." in result.explanation
    assert "Vaksinasi" not in result.explanation


@pytest.mark.parametrize(
    ("items", "counts"),
    [
        (
            [ind(ATAS)] * 2 + [ind(SESUAI)] + [ind(BAWAH)] * 3,
            "2 dari 6 indikator di atas target, 1 sesuai target, 3 di bawah target",
        ),
        (
            [ind(SESUAI)] * 5,
            "0 dari 5 indikator di atas target, 5 sesuai target, 0 di bawah target",
        ),
    ],
)
def test_given_indicators_when_suggested_then_explanation_has_the_counts(
    items: list[IndicatorAchievement], counts: str
) -> None:
    assert counts in suggest_hasil(items).explanation


# -- hypothesis ------------------------------------------------------------------------------

indicators = st.builds(
    IndicatorAchievement,
    indicator_id=st.integers(min_value=1, max_value=10_000),
    rhk_kind=st.sampled_from(RhkKind),
    target=st.sampled_from([-1.0, 0.0, 1.0, 10.0, 12.0]),
    realisation=st.sampled_from([0.0, 1.0, 5.0, 9.0, 10.0, 11.0, 12.0, 14.0, 20.0]),
    label=st.text(max_size=8),
    aspect=st.sampled_from(Aspect),
)
indicator_lists = st.lists(indicators, max_size=12)
above_indicators = st.builds(
    IndicatorAchievement,
    indicator_id=st.just(99),
    rhk_kind=st.sampled_from(RhkKind),
    target=st.just(10.0),
    realisation=st.just(20.0),
    label=st.just("Baru"),
    aspect=st.sampled_from([Aspect.KUANTITAS, Aspect.KUALITAS]),
)
below_indicators = above_indicators.map(lambda i: dataclasses.replace(i, realisation=1.0))


def reference_rating(items: list[IndicatorAchievement]) -> Rating:
    """Straight re-statement of DESIGN.md's guidance with the module's thresholds."""
    levels = []
    for item in items:
        ratio = achievement_ratio(item.target, item.realisation, item.aspect)
        if ratio is not None:
            levels.append((item.rhk_kind, indicator_level(ratio)))
    if not levels:
        return SESUAI
    judged = len(levels)
    above = sum(1 for _, level in levels if level is ATAS)
    below = sum(1 for _, level in levels if level is BAWAH)
    utama = [level for kind, level in levels if kind is UTAMA]
    utama_below = sum(1 for level in utama if level is BAWAH)
    if Fraction(above, judged) > Fraction(1, 2) and utama_below == 0:
        return ATAS
    if Fraction(below, judged) > Fraction(1, 2):
        return BAWAH
    utama_share = Fraction(utama_below, len(utama)) if utama else Fraction(0)
    if Fraction(judged - below, judged) >= Fraction(1, 2) and utama_share <= Fraction(1, 5):
        return SESUAI
    return BAWAH


@given(items=indicator_lists)
def test_given_any_indicators_when_suggested_then_matches_reference_rules(
    items: list[IndicatorAchievement],
) -> None:
    assert suggest_hasil(items).rating is reference_rating(items)


@given(items=indicator_lists)
def test_given_any_indicators_when_suggested_then_counts_are_consistent(
    items: list[IndicatorAchievement],
) -> None:
    result = suggest_hasil(items)
    assert result.above + result.meets + result.below + result.unjudged == len(items)
    assert 0 <= result.utama_below <= result.utama_total
    assert result.utama_total <= sum(1 for i in items if i.rhk_kind is UTAMA)
    assert result.utama_below <= result.below
    if result.rating is ATAS:
        assert result.utama_below == 0
    judged = result.above + result.meets + result.below
    if judged:
        assert f"dari {judged} indikator di atas target" in result.explanation
    labels = {ATAS: "Di Atas Ekspektasi", SESUAI: "Sesuai Ekspektasi", BAWAH: "Di Bawah Ekspektasi"}
    assert result.explanation.endswith(f"Saran: {labels[result.rating]}.")


@given(items=indicator_lists, extra=above_indicators, position=st.integers(min_value=0))
def test_given_an_extra_indicator_above_target_when_suggested_then_never_lower(
    items: list[IndicatorAchievement], extra: IndicatorAchievement, position: int
) -> None:
    # True with or without UTAMA indicators below: the above share can only grow, the below
    # share and the UTAMA-below share can only shrink.
    before = suggest_hasil(items).rating
    at = position % (len(items) + 1)
    after = suggest_hasil([*items[:at], extra, *items[at:]]).rating
    assert RANK[after] >= RANK[before]


@given(items=indicator_lists, extra=below_indicators)
def test_given_an_extra_indicator_below_target_when_suggested_then_never_higher(
    items: list[IndicatorAchievement], extra: IndicatorAchievement
) -> None:
    before = suggest_hasil(items).rating
    after = suggest_hasil([*items, extra]).rating
    assert RANK[after] <= RANK[before]


@given(items=indicator_lists, kind=st.sampled_from(RhkKind))
def test_given_an_extra_unjudged_indicator_when_suggested_then_only_unjudged_changes(
    items: list[IndicatorAchievement], kind: RhkKind
) -> None:
    before = suggest_hasil(items)
    after = suggest_hasil([*items, unjudged(kind)])
    assert after.rating is before.rating
    assert after.unjudged == before.unjudged + 1
    assert (after.above, after.meets, after.below) == (before.above, before.meets, before.below)
    assert (after.utama_below, after.utama_total) == (before.utama_below, before.utama_total)


@given(items=indicator_lists, data=st.data())
def test_given_reordered_indicators_when_suggested_then_same_rating_and_counts(
    items: list[IndicatorAchievement], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(items))
    before, after = suggest_hasil(items), suggest_hasil(shuffled)
    assert dataclasses.replace(after, explanation="") == dataclasses.replace(before, explanation="")


@given(items=indicator_lists, copies=st.integers(min_value=2, max_value=4))
def test_given_every_indicator_repeated_when_suggested_then_same_rating(
    items: list[IndicatorAchievement], copies: int
) -> None:
    assert suggest_hasil(items * copies).rating is suggest_hasil(items).rating


# ============================================================================================
# Distribution curve
# ============================================================================================


def test_given_counts_when_shares_then_fractions_for_all_five() -> None:
    shares = curve_shares({SB: 2, B: 5, BP: 3})
    assert shares == {SB: 0.2, B: 0.5, BP: 0.3, KM: 0.0, SK: 0.0}
    assert list(shares) == list(Predikat)


@pytest.mark.parametrize("counts", [{}, {SB: 0}, dict.fromkeys(Predikat, 0)])
def test_given_nobody_rated_when_shares_then_all_zero(counts: dict[Predikat, int]) -> None:
    assert curve_shares(counts) == dict.fromkeys(Predikat, 0.0)


@pytest.mark.parametrize("func", [curve_shares, lambda c: check_curve(OrgPredikat.BAIK, c)])
def test_given_a_negative_count_when_curve_computed_then_value_error(func: object) -> None:
    assert callable(func)
    with pytest.raises(ValueError, match="negative"):
        func({SB: 5, KM: -1})


@given(counts=st.dictionaries(st.sampled_from(Predikat), st.integers(0, 1000)))
def test_given_any_counts_when_shares_then_they_are_fractions_summing_to_one(
    counts: dict[Predikat, int],
) -> None:
    shares = curve_shares(counts)
    assert set(shares) == set(Predikat)
    assert all(0.0 <= s <= 1.0 for s in shares.values())
    total = sum(counts.values())
    if total:
        assert math.fsum(shares.values()) == pytest.approx(1.0)
        assert all(shares[p] == pytest.approx(counts.get(p, 0) / total) for p in Predikat)
    else:
        assert set(shares.values()) == {0.0}


def codes(org: OrgPredikat, counts: dict[Predikat, int]) -> list[str]:
    return [v.code for v in check_curve(org, counts)]


@pytest.mark.parametrize("org", list(OrgPredikat))
@pytest.mark.parametrize("counts", [{}, dict.fromkeys(Predikat, 0)])
def test_given_nobody_rated_when_checked_then_no_violation(
    org: OrgPredikat, counts: dict[Predikat, int]
) -> None:
    assert check_curve(org, counts) == []


# Each case: organisational predikat, counts, expected codes. Ten employees unless noted.
CURVE_CASES = [
    # ISTIMEWA: Sangat Baik at most 70 %
    pytest.param(OrgPredikat.ISTIMEWA, {SB: 7, B: 3}, [], id="istimewa-sb-70"),
    pytest.param(
        OrgPredikat.ISTIMEWA, {SB: 8, B: 2}, ["SANGAT_BAIK_TOO_HIGH"], id="istimewa-sb-80"
    ),
    pytest.param(OrgPredikat.ISTIMEWA, {SB: 70, SK: 30}, [], id="istimewa-sb-70-of-100"),
    pytest.param(
        OrgPredikat.ISTIMEWA, {SB: 71, SK: 29}, ["SANGAT_BAIK_TOO_HIGH"], id="istimewa-sb-71-of-100"
    ),
    pytest.param(OrgPredikat.ISTIMEWA, {SB: 1}, ["SANGAT_BAIK_TOO_HIGH"], id="istimewa-all-sb"),
    pytest.param(OrgPredikat.ISTIMEWA, {SK: 10}, [], id="istimewa-rest-any"),
    # BAIK: Baik at most 70 %, some Butuh Perbaikan and/or Kurang/Misconduct
    pytest.param(OrgPredikat.BAIK, {B: 7, BP: 1, SB: 2}, [], id="baik-b-70-with-bp"),
    pytest.param(OrgPredikat.BAIK, {B: 7, KM: 1, SK: 2}, [], id="baik-b-70-with-km"),
    pytest.param(OrgPredikat.BAIK, {B: 8, BP: 2}, ["BAIK_TOO_HIGH"], id="baik-b-80"),
    pytest.param(
        OrgPredikat.BAIK, {B: 6, SB: 3, SK: 1}, ["NEEDS_LOWER_RATINGS"], id="baik-no-lower"
    ),
    pytest.param(
        OrgPredikat.BAIK, {B: 9, SB: 1}, ["BAIK_TOO_HIGH", "NEEDS_LOWER_RATINGS"], id="baik-both"
    ),
    pytest.param(OrgPredikat.BAIK, {B: 99, BP: 1}, ["BAIK_TOO_HIGH"], id="baik-one-bp-in-100"),
    pytest.param(OrgPredikat.BAIK, {KM: 1}, [], id="baik-single-km"),
    # BUTUH_PERBAIKAN: Butuh Perbaikan at least 60 %, Sangat Baik at most 10 %
    pytest.param(OrgPredikat.BUTUH_PERBAIKAN, {BP: 6, B: 3, SB: 1}, [], id="bp-bp-60-sb-10"),
    pytest.param(
        OrgPredikat.BUTUH_PERBAIKAN, {BP: 5, B: 5}, ["BUTUH_PERBAIKAN_TOO_LOW"], id="bp-bp-50"
    ),
    pytest.param(
        OrgPredikat.BUTUH_PERBAIKAN, {BP: 7, B: 1, SB: 2}, ["SANGAT_BAIK_TOO_HIGH"], id="bp-sb-20"
    ),
    pytest.param(
        OrgPredikat.BUTUH_PERBAIKAN,
        {BP: 5, SB: 5},
        ["BUTUH_PERBAIKAN_TOO_LOW", "SANGAT_BAIK_TOO_HIGH"],
        id="bp-both",
    ),
    # KURANG: Kurang/Misconduct >= 60 %, Butuh Perbaikan >= 10 %, Sangat Baik <= 10 %
    pytest.param(OrgPredikat.KURANG, {KM: 6, BP: 1, SB: 1, B: 2}, [], id="kurang-all-on-boundary"),
    pytest.param(OrgPredikat.KURANG, {KM: 5, BP: 4, SB: 1}, ["KURANG_TOO_LOW"], id="kurang-km-50"),
    pytest.param(OrgPredikat.KURANG, {KM: 9, SK: 1}, ["BUTUH_PERBAIKAN_TOO_LOW"], id="kurang-bp-0"),
    pytest.param(
        OrgPredikat.KURANG, {KM: 6, BP: 2, SB: 2}, ["SANGAT_BAIK_TOO_HIGH"], id="kurang-sb-20"
    ),
    pytest.param(
        OrgPredikat.KURANG,
        {SB: 10},
        ["BUTUH_PERBAIKAN_TOO_LOW", "KURANG_TOO_LOW", "SANGAT_BAIK_TOO_HIGH"],
        id="kurang-all",
    ),
    # SANGAT_KURANG: Sangat Kurang >= 60 %, KM + BP >= 10 %, no Sangat Baik
    pytest.param(OrgPredikat.SANGAT_KURANG, {SK: 6, KM: 1, B: 3}, [], id="sk-with-km"),
    pytest.param(OrgPredikat.SANGAT_KURANG, {SK: 6, BP: 1, B: 3}, [], id="sk-with-bp"),
    pytest.param(
        OrgPredikat.SANGAT_KURANG, {SK: 18, KM: 1, BP: 1}, [], id="sk-km-and-bp-together-10"
    ),
    pytest.param(
        OrgPredikat.SANGAT_KURANG, {SK: 5, KM: 5}, ["SANGAT_KURANG_TOO_LOW"], id="sk-sk-50"
    ),
    pytest.param(OrgPredikat.SANGAT_KURANG, {SK: 10}, ["LOWER_RATINGS_TOO_LOW"], id="sk-no-lower"),
    pytest.param(
        OrgPredikat.SANGAT_KURANG,
        {SK: 19, KM: 1, BP: 0},
        ["LOWER_RATINGS_TOO_LOW"],
        id="sk-lower-5",
    ),
    pytest.param(
        OrgPredikat.SANGAT_KURANG,
        {SK: 8, KM: 1, SB: 1},
        ["SANGAT_BAIK_NOT_ALLOWED"],
        id="sk-one-sb",
    ),
    pytest.param(
        OrgPredikat.SANGAT_KURANG,
        {SB: 1},
        ["LOWER_RATINGS_TOO_LOW", "SANGAT_BAIK_NOT_ALLOWED", "SANGAT_KURANG_TOO_LOW"],
        id="sk-all",
    ),
]


@pytest.mark.parametrize(("org", "counts", "expected"), CURVE_CASES)
def test_given_hand_made_distribution_when_checked_then_expected_violations(
    org: OrgPredikat, counts: dict[Predikat, int], expected: list[str]
) -> None:
    assert codes(org, counts) == expected


def test_given_huge_totals_on_the_boundary_when_checked_then_exact() -> None:
    total = 10**18
    at_limit = {SB: 7 * 10**17, B: 3 * 10**17}
    over = {SB: 7 * 10**17 + 1, B: 3 * 10**17 - 1}
    assert sum(at_limit.values()) == total
    assert codes(OrgPredikat.ISTIMEWA, at_limit) == []
    assert codes(OrgPredikat.ISTIMEWA, over) == ["SANGAT_BAIK_TOO_HIGH"]


def test_given_a_maximum_violation_when_checked_then_message_has_actual_and_required() -> None:
    [violation] = check_curve(OrgPredikat.ISTIMEWA, {SB: 8, B: 2})
    assert violation == CurveViolation(
        "SANGAT_BAIK_TOO_HIGH",
        "Sangat Baik 80 % (8 dari 10 pegawai); paling banyak 70 % untuk organisasi "
        "berpredikat Istimewa.",
    )


def test_given_a_minimum_violation_when_checked_then_message_has_actual_and_required() -> None:
    [violation] = check_curve(OrgPredikat.BUTUH_PERBAIKAN, {BP: 5, B: 4})
    assert violation.code == "BUTUH_PERBAIKAN_TOO_LOW"
    assert "Butuh Perbaikan 55,5 % (5 dari 9 pegawai)" in violation.message
    assert "paling sedikit 60 %" in violation.message


def test_given_shares_just_past_a_bound_when_checked_then_percentage_is_rounded_away() -> None:
    [too_high] = check_curve(OrgPredikat.ISTIMEWA, {SB: 7001, B: 2999})
    assert "Sangat Baik 70,1 %" in too_high.message
    [too_low] = check_curve(OrgPredikat.BUTUH_PERBAIKAN, {BP: 5999, B: 4001})
    assert "Butuh Perbaikan 59,9 %" in too_low.message


def test_given_group_rules_when_violated_then_message_names_the_group() -> None:
    baik = check_curve(OrgPredikat.BAIK, {B: 3, SB: 7})
    assert [v.code for v in baik] == ["NEEDS_LOWER_RATINGS"]
    assert "Butuh Perbaikan dan/atau Kurang/Misconduct 0 % (0 dari 10 pegawai)" in baik[0].message
    assert "organisasi berpredikat Baik" in baik[0].message
    sangat_kurang = check_curve(OrgPredikat.SANGAT_KURANG, {SK: 9, SB: 1})
    by_code = {v.code: v.message for v in sangat_kurang}
    assert "Kurang/Misconduct dan/atau Butuh Perbaikan 0 %" in by_code["LOWER_RATINGS_TOO_LOW"]
    assert "paling sedikit 10 %" in by_code["LOWER_RATINGS_TOO_LOW"]
    assert "Sangat Baik 10 % (1 dari 10 pegawai)" in by_code["SANGAT_BAIK_NOT_ALLOWED"]
    assert "tidak diperbolehkan" in by_code["SANGAT_BAIK_NOT_ALLOWED"]


# -- hypothesis ------------------------------------------------------------------------------


def reference_codes(org: OrgPredikat, counts: dict[Predikat, int]) -> set[str]:
    """Straight re-statement of SE MenPANRB 3/2023 with fractions."""
    total = sum(counts.values())
    if total == 0:
        return set()

    def share(*predikats: Predikat) -> Fraction:
        return Fraction(sum(counts.get(p, 0) for p in predikats), total)

    pct = Fraction(1, 100)
    rules: dict[OrgPredikat, dict[str, bool]] = {
        OrgPredikat.ISTIMEWA: {"SANGAT_BAIK_TOO_HIGH": share(SB) <= 70 * pct},
        OrgPredikat.BAIK: {
            "BAIK_TOO_HIGH": share(B) <= 70 * pct,
            "NEEDS_LOWER_RATINGS": share(BP, KM) > 0,
        },
        OrgPredikat.BUTUH_PERBAIKAN: {
            "BUTUH_PERBAIKAN_TOO_LOW": share(BP) >= 60 * pct,
            "SANGAT_BAIK_TOO_HIGH": share(SB) <= 10 * pct,
        },
        OrgPredikat.KURANG: {
            "KURANG_TOO_LOW": share(KM) >= 60 * pct,
            "BUTUH_PERBAIKAN_TOO_LOW": share(BP) >= 10 * pct,
            "SANGAT_BAIK_TOO_HIGH": share(SB) <= 10 * pct,
        },
        OrgPredikat.SANGAT_KURANG: {
            "SANGAT_KURANG_TOO_LOW": share(SK) >= 60 * pct,
            "LOWER_RATINGS_TOO_LOW": share(KM, BP) >= 10 * pct,
            "SANGAT_BAIK_NOT_ALLOWED": share(SB) == 0,
        },
    }
    return {code for code, holds in rules[org].items() if not holds}


# Small counts keep totals like 10 and 20 frequent, so the 10/60/70 % boundaries are hit.
distributions = st.dictionaries(st.sampled_from(Predikat), st.integers(0, 12))


@given(org=st.sampled_from(OrgPredikat), counts=distributions)
def test_given_any_distribution_when_checked_then_matches_reference_rules(
    org: OrgPredikat, counts: dict[Predikat, int]
) -> None:
    violations = check_curve(org, counts)
    expected = reference_codes(org, counts)
    assert (violations == []) == (not expected)
    assert {v.code for v in violations} == expected
    assert len(violations) == len(expected)


@given(org=st.sampled_from(OrgPredikat), counts=distributions, data=st.data())
def test_given_any_distribution_when_checked_then_sorted_and_deterministic(
    org: OrgPredikat, counts: dict[Predikat, int], data: st.DataObject
) -> None:
    violations = check_curve(org, counts)
    assert [v.code for v in violations] == sorted(v.code for v in violations)
    assert check_curve(org, counts) == violations
    reordered = dict(data.draw(st.permutations(list(counts.items()))))
    assert check_curve(org, reordered) == violations
    assert all(v.message for v in violations)


@given(org=st.sampled_from(OrgPredikat), counts=distributions, factor=st.integers(2, 5))
def test_given_scaled_distribution_when_checked_then_same_codes(
    org: OrgPredikat, counts: dict[Predikat, int], factor: int
) -> None:
    scaled = {p: n * factor for p, n in counts.items()}
    assert codes(org, scaled) == codes(org, counts)


# ============================================================================================
# Activity validation
# ============================================================================================

TODAY = date(2026, 11, 27)
PERIOD = PeriodWindow(date(2026, 1, 1), date(2026, 12, 31), PeriodStatus.OPEN)
VALID = ActivityDraft(
    activity_date=date(2026, 11, 20),
    description="Menyusun laporan capaian imunisasi",
    quantity=3.0,
    unit="dokumen",
    duration_minutes=90,
    evidence_links=("https://drive.example.go.id/laporan.pdf",),
    indicator_id=11,
)
APPROVED = frozenset({11, 12})
ORDER = [
    "FUTURE_DATE",
    "NO_PERIOD",
    "BEFORE_PERIOD",
    "AFTER_PERIOD",
    "PERIOD_CLOSED",
    "NEGATIVE_QUANTITY",
    "INVALID_QUANTITY",
    "TEXT_TOO_SHORT",
    "TEXT_TOO_LONG",
    "INVALID_DURATION",
    "TOO_MANY_LINKS",
    "INVALID_LINK",
    "INDICATOR_NOT_IN_SKP",
]
FIELDS = {
    "activityDate",
    "description",
    "quantity",
    "unit",
    "durationMinutes",
    "evidenceLinks",
    "indicatorId",
}


def validate(
    draft: ActivityDraft = VALID,
    *,
    today: date = TODAY,
    period: PeriodWindow | None = PERIOD,
    approved: frozenset[int] = APPROVED,
) -> list[FieldError]:
    return validate_activity(draft, today=today, period=period, approved_indicator_ids=approved)


def pairs(errors: list[FieldError]) -> list[tuple[str, str | None]]:
    return [(e.code, e.field) for e in errors]


def test_given_limits_when_read_then_they_are_the_documented_values() -> None:
    assert (MIN_DESCRIPTION, MAX_DESCRIPTION, MAX_UNIT) == (3, 2000, 50)
    assert (MAX_LINKS, MAX_LINK, MAX_DURATION, MAX_QUANTITY) == (5, 500, 1440, 1_000_000)


def test_given_a_valid_draft_when_validated_then_no_error() -> None:
    assert validate() == []


@pytest.mark.parametrize(
    "draft",
    [
        dataclasses.replace(VALID, duration_minutes=None, evidence_links=(), indicator_id=None),
        dataclasses.replace(VALID, unit="", quantity=0.0),
        dataclasses.replace(VALID, activity_date=TODAY),
        dataclasses.replace(VALID, activity_date=PERIOD.starts_on),
    ],
)
def test_given_optional_parts_left_out_when_validated_then_no_error(draft: ActivityDraft) -> None:
    assert validate(draft) == []


@pytest.mark.parametrize("status", [PeriodStatus.OPEN, PeriodStatus.EVALUATION])
def test_given_period_open_or_in_evaluation_when_validated_then_no_error(
    status: PeriodStatus,
) -> None:
    assert validate(period=dataclasses.replace(PERIOD, status=status)) == []


def test_given_date_on_last_day_of_period_when_validated_then_no_error() -> None:
    assert (
        validate(dataclasses.replace(VALID, activity_date=PERIOD.ends_on), today=date(2027, 1, 5))
        == []
    )


@pytest.mark.parametrize(
    ("changes", "kwargs", "expected"),
    [
        ({"activity_date": TODAY + timedelta(days=1)}, {}, ("FUTURE_DATE", "activityDate")),
        ({}, {"period": None}, ("NO_PERIOD", "activityDate")),
        ({"activity_date": date(2025, 12, 31)}, {}, ("BEFORE_PERIOD", "activityDate")),
        (
            {"activity_date": date(2027, 1, 1)},
            {"today": date(2027, 1, 2)},
            ("AFTER_PERIOD", "activityDate"),
        ),
        (
            {},
            {"period": dataclasses.replace(PERIOD, status=PeriodStatus.CLOSED)},
            ("PERIOD_CLOSED", "activityDate"),
        ),
        ({"quantity": -0.001}, {}, ("NEGATIVE_QUANTITY", "quantity")),
        ({"quantity": -1.0}, {}, ("NEGATIVE_QUANTITY", "quantity")),
        ({"quantity": MAX_QUANTITY + 0.5}, {}, ("INVALID_QUANTITY", "quantity")),
        ({"quantity": math.nan}, {}, ("INVALID_QUANTITY", "quantity")),
        ({"quantity": math.inf}, {}, ("INVALID_QUANTITY", "quantity")),
        ({"quantity": -math.inf}, {}, ("INVALID_QUANTITY", "quantity")),
        ({"description": "ab"}, {}, ("TEXT_TOO_SHORT", "description")),
        ({"description": "   ab   "}, {}, ("TEXT_TOO_SHORT", "description")),
        ({"description": ""}, {}, ("TEXT_TOO_SHORT", "description")),
        ({"description": "x" * (MAX_DESCRIPTION + 1)}, {}, ("TEXT_TOO_LONG", "description")),
        ({"unit": "u" * (MAX_UNIT + 1)}, {}, ("TEXT_TOO_LONG", "unit")),
        ({"duration_minutes": 0}, {}, ("INVALID_DURATION", "durationMinutes")),
        ({"duration_minutes": -5}, {}, ("INVALID_DURATION", "durationMinutes")),
        ({"duration_minutes": MAX_DURATION + 1}, {}, ("INVALID_DURATION", "durationMinutes")),
        (
            {"evidence_links": ("https://a.id",) * (MAX_LINKS + 1)},
            {},
            ("TOO_MANY_LINKS", "evidenceLinks"),
        ),
        ({"evidence_links": ("ftp://a.id/x",)}, {}, ("INVALID_LINK", "evidenceLinks")),
        ({"indicator_id": 13}, {}, ("INDICATOR_NOT_IN_SKP", "indicatorId")),
        ({}, {"approved": frozenset()}, ("INDICATOR_NOT_IN_SKP", "indicatorId")),
    ],
)
def test_given_one_defect_when_validated_then_exactly_that_error(
    changes: dict[str, object], kwargs: dict[str, object], expected: tuple[str, str]
) -> None:
    errors = validate(dataclasses.replace(VALID, **changes), **kwargs)  # type: ignore[arg-type]
    assert pairs(errors) == [expected]
    assert errors[0].message


@pytest.mark.parametrize(
    "changes",
    [
        {"quantity": float(MAX_QUANTITY)},
        {"quantity": 0.0},
        {"description": "abc"},
        {"description": "  abc  "},
        {"description": "x" * MAX_DESCRIPTION},
        {"description": " " + "x" * MAX_DESCRIPTION + "\n"},
        {"unit": "u" * MAX_UNIT},
        {"unit": "  " + "u" * MAX_UNIT + "  "},
        {"duration_minutes": 1},
        {"duration_minutes": MAX_DURATION},
        {"evidence_links": ("https://a.id",) * MAX_LINKS},
        {"indicator_id": 12},
    ],
)
def test_given_value_on_a_boundary_when_validated_then_accepted(
    changes: dict[str, object],
) -> None:
    assert validate(dataclasses.replace(VALID, **changes)) == []  # type: ignore[arg-type]


def long_link(length: int) -> str:
    prefix = "https://example.go.id/"
    return prefix + "a" * (length - len(prefix))


@pytest.mark.parametrize(
    "link",
    [
        "http://a",
        "https://example.go.id",
        "HTTPS://Example.go.id/bukti?id=1&x=2#frag",
        "http://10.0.0.1:8080/file.pdf",
        "https://[2001:db8::1]/file",
        "https://user@drive.example.go.id/path",
        long_link(MAX_LINK),
    ],
)
def test_given_a_valid_link_when_validated_then_accepted(link: str) -> None:
    assert validate(dataclasses.replace(VALID, evidence_links=(link,))) == []


@pytest.mark.parametrize(
    "link",
    [
        "",
        "example.go.id/bukti.pdf",
        "ftp://example.go.id/bukti.pdf",
        "javascript:alert(1)",
        "mailto:a@example.go.id",
        "file:///etc/passwd",
        "http://",
        "https:///path-only",
        "http://:80/x",
        "http://[::1",
        "http://example.go.id:99999/",
        "http://example.go.id:port/",
        "https://exa mple.go.id/",
        " https://example.go.id/",
        "https://example.go.id/\n",
        "https://example.go.id/\x00",
        long_link(MAX_LINK + 1),
    ],
)
def test_given_an_invalid_link_when_validated_then_invalid_link(link: str) -> None:
    errors = validate(dataclasses.replace(VALID, evidence_links=(link,)))
    assert pairs(errors) == [("INVALID_LINK", "evidenceLinks")]
    assert "ke-1" in errors[0].message


def test_given_several_bad_links_when_validated_then_one_error_each_with_position() -> None:
    links = ("https://ok.id", "bad", "https://ok.id/2", "ftp://bad")
    errors = validate(dataclasses.replace(VALID, evidence_links=links))
    assert pairs(errors) == [("INVALID_LINK", "evidenceLinks")] * 2
    assert "ke-2" in errors[0].message
    assert "ke-4" in errors[1].message


def test_given_too_many_links_some_bad_when_validated_then_both_reported() -> None:
    links = ("https://a.id",) * MAX_LINKS + ("nope",)
    errors = validate(dataclasses.replace(VALID, evidence_links=links))
    assert [e.code for e in errors] == ["TOO_MANY_LINKS", "INVALID_LINK"]
    assert "ke-6" in errors[1].message


def test_given_no_period_when_validated_then_period_bounds_are_not_checked() -> None:
    draft = dataclasses.replace(VALID, activity_date=date(2020, 1, 1))
    assert [e.code for e in validate(draft, period=None)] == ["NO_PERIOD"]


def test_given_future_date_outside_closed_period_when_validated_then_all_date_errors() -> None:
    draft = dataclasses.replace(VALID, activity_date=date(2027, 1, 3))
    closed = dataclasses.replace(PERIOD, status=PeriodStatus.CLOSED)
    assert [e.code for e in validate(draft, period=closed)] == [
        "FUTURE_DATE",
        "AFTER_PERIOD",
        "PERIOD_CLOSED",
    ]


def test_given_an_inverted_window_when_validated_then_before_and_after_both_reported() -> None:
    odd = PeriodWindow(date(2026, 12, 1), date(2026, 1, 31), PeriodStatus.OPEN)
    assert [e.code for e in validate(period=odd)] == ["BEFORE_PERIOD", "AFTER_PERIOD"]


def test_given_many_defects_when_validated_then_all_reported_in_order() -> None:
    draft = ActivityDraft(
        activity_date=date(2027, 2, 1),
        description=" x ",
        quantity=-2.0,
        unit="u" * (MAX_UNIT + 1),
        duration_minutes=0,
        evidence_links=("https://a.id",) * MAX_LINKS + ("nope",),
        indicator_id=99,
    )
    closed = dataclasses.replace(PERIOD, status=PeriodStatus.CLOSED)
    assert pairs(validate(draft, period=closed)) == [
        ("FUTURE_DATE", "activityDate"),
        ("AFTER_PERIOD", "activityDate"),
        ("PERIOD_CLOSED", "activityDate"),
        ("NEGATIVE_QUANTITY", "quantity"),
        ("TEXT_TOO_SHORT", "description"),
        ("TEXT_TOO_LONG", "unit"),
        ("INVALID_DURATION", "durationMinutes"),
        ("TOO_MANY_LINKS", "evidenceLinks"),
        ("INVALID_LINK", "evidenceLinks"),
        ("INDICATOR_NOT_IN_SKP", "indicatorId"),
    ]


def test_given_long_description_and_huge_quantity_when_validated_then_both_reported() -> None:
    draft = dataclasses.replace(
        VALID, description="d" * (MAX_DESCRIPTION + 1), quantity=float(MAX_QUANTITY) * 2
    )
    assert pairs(validate(draft, period=None)) == [
        ("NO_PERIOD", "activityDate"),
        ("INVALID_QUANTITY", "quantity"),
        ("TEXT_TOO_LONG", "description"),
    ]


drafts = st.builds(
    ActivityDraft,
    activity_date=st.dates(date(2025, 10, 1), date(2027, 3, 1)),
    description=st.text(max_size=6),
    quantity=st.floats(allow_nan=True, allow_infinity=True),
    unit=st.text(max_size=60),
    duration_minutes=st.none() | st.integers(-10, MAX_DURATION + 10),
    evidence_links=st.lists(st.sampled_from(["https://a.id", "bad", "http://"]), max_size=7).map(
        tuple
    ),
    indicator_id=st.none() | st.integers(10, 14),
)
periods = st.none() | st.sampled_from(PeriodStatus).map(
    lambda status: dataclasses.replace(PERIOD, status=status)
)


@given(draft=drafts, period=periods)
def test_given_any_draft_when_validated_then_codes_follow_the_documented_order(
    draft: ActivityDraft, period: PeriodWindow | None
) -> None:
    errors = validate(draft, period=period)
    positions = [ORDER.index(e.code) for e in errors]
    assert positions == sorted(positions)
    assert all(e.field in FIELDS and e.message for e in errors)
    duration, links = draft.duration_minutes, draft.evidence_links
    assert (errors == []) == (
        draft.activity_date <= TODAY
        and period is not None
        and period.status is not PeriodStatus.CLOSED
        and PERIOD.starts_on <= draft.activity_date <= PERIOD.ends_on
        and math.isfinite(draft.quantity)
        and 0 <= draft.quantity <= MAX_QUANTITY
        and MIN_DESCRIPTION <= len(draft.description.strip()) <= MAX_DESCRIPTION
        and len(draft.unit.strip()) <= MAX_UNIT
        and (duration is None or 1 <= duration <= MAX_DURATION)
        and links.count("https://a.id") == len(links) <= MAX_LINKS
        and (draft.indicator_id is None or draft.indicator_id in APPROVED)
    )


# ============================================================================================
# Progress
# ============================================================================================

YEAR_START = date(2026, 1, 1)
YEAR_END = date(2026, 12, 31)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2025, 12, 31), 0.0),
        (date(2020, 6, 1), 0.0),
        (YEAR_START, 1 / 365),
        (date(2026, 1, 31), 31 / 365),
        (date(2026, 7, 2), 183 / 365),
        (date(2026, 12, 30), 364 / 365),
        (YEAR_END, 1.0),
        (date(2027, 1, 1), 1.0),
        (date(2030, 1, 1), 1.0),
    ],
)
def test_given_a_day_when_expected_pace_then_fraction_of_days_elapsed_inclusive(
    on: date, expected: float
) -> None:
    assert expected_pace(YEAR_START, YEAR_END, on) == pytest.approx(expected)


def test_given_leap_year_when_expected_pace_then_366_days() -> None:
    assert expected_pace(date(2024, 1, 1), date(2024, 12, 31), date(2024, 2, 29)) == (
        pytest.approx(60 / 366)
    )


def test_given_a_quarter_when_expected_pace_then_calendar_days_of_the_quarter() -> None:
    starts, ends = date(2026, 4, 1), date(2026, 6, 30)  # 91 days
    assert expected_pace(starts, ends, date(2026, 5, 15)) == pytest.approx(45 / 91)


def test_given_single_day_period_when_expected_pace_then_zero_before_one_from_that_day() -> None:
    day = date(2026, 3, 3)
    assert expected_pace(day, day, day - timedelta(days=1)) == 0.0
    assert expected_pace(day, day, day) == 1.0
    assert expected_pace(day, day, day + timedelta(days=1)) == 1.0


def test_given_end_before_start_when_expected_pace_then_value_error() -> None:
    with pytest.raises(ValueError, match="before"):
        expected_pace(YEAR_END, YEAR_START, YEAR_START)


@given(
    starts=st.dates(date(2000, 1, 1), date(2040, 1, 1)),
    length=st.integers(0, 800),
    first=st.dates(date(1999, 1, 1), date(2043, 1, 1)),
    second=st.dates(date(1999, 1, 1), date(2043, 1, 1)),
)
def test_given_any_days_when_expected_pace_then_clamped_and_non_decreasing(
    starts: date, length: int, first: date, second: date
) -> None:
    ends = starts + timedelta(days=length)
    early, late = sorted((first, second))
    pace_early = expected_pace(starts, ends, early)
    pace_late = expected_pace(starts, ends, late)
    assert 0.0 <= pace_early <= pace_late <= 1.0
    assert (expected_pace(starts, ends, late) == 1.0) == (late >= ends)
    assert (expected_pace(starts, ends, early) == 0.0) == (early < starts)


@pytest.mark.parametrize(
    ("target", "realised", "expected"),
    [
        (10.0, 0.0, 0.0),
        (10.0, 5.0, 0.5),
        (10.0, 10.0, 1.0),
        (10.0, 15.0, 1.5),
        (12_000.0, 3_000.0, 0.25),
        (4.0, -1.0, -0.25),
    ],
)
def test_given_positive_target_when_progress_then_realised_over_target(
    target: float, realised: float, expected: float
) -> None:
    assert progress_ratio(target, realised) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("target", "realised"),
    [(0.0, 5.0), (-0.0, 0.0), (-1.0, 5.0), (math.nan, 1.0), (math.inf, 1.0), (1.0, math.nan)],
)
def test_given_target_not_positive_or_non_finite_when_progress_then_none(
    target: float, realised: float
) -> None:
    assert progress_ratio(target, realised) is None


@given(
    target=st.floats(min_value=1e-6, max_value=1e9),
    realised=st.floats(min_value=0, max_value=1e9),
)
def test_given_any_positive_target_when_progress_then_matches_achievement_ratio(
    target: float, realised: float
) -> None:
    ratio = progress_ratio(target, realised)
    assert ratio is not None
    assert ratio >= 0
    assert ratio == achievement_ratio(target, realised)


@pytest.mark.parametrize("org", list(OrgPredikat))
@pytest.mark.parametrize(
    "counts",
    [
        {},
        {Predikat.BAIK: 8, Predikat.SANGAT_BAIK: 2},
        {Predikat.BAIK: 7, Predikat.BUTUH_PERBAIKAN: 3},
        {Predikat.SANGAT_BAIK: 1, Predikat.BUTUH_PERBAIKAN: 6, Predikat.KURANG_MISCONDUCT: 3},
        {Predikat.SANGAT_KURANG: 6, Predikat.KURANG_MISCONDUCT: 4},
    ],
)
def test_curve_rule_checks_break_exactly_the_violations(
    org: OrgPredikat, counts: dict[Predikat, int]
) -> None:
    checks = curve_rule_checks(org, counts)
    broken = sorted(c.code for c in checks if not c.holds)
    assert broken == [v.code for v in check_curve(org, counts)]
    total = sum(counts.values())
    for check in checks:
        assert check.count == sum(counts.get(p, 0) for p in check.predikats)
        assert check.share == (check.count / total if total else 0.0)
        assert check.text.startswith(check.predikats[0].label)


# --- the one definition of achievement -----------------------------------------------------


def test_period_achievement_pro_rates_quantities_and_keeps_levels_whole() -> None:
    from portal.performance.rules import period_achievement

    # 448 doses of 1 200 by the end of Q3 (pace 0.75): on 50 %, not 37 % of the year's target
    assert period_achievement(1200, 450, Aspect.KUANTITAS, 0.75) == pytest.approx(0.5)
    assert period_achievement(1200, 450, Aspect.KUANTITAS, 1.0) == pytest.approx(0.375)
    # quality is a level: 90 of a target of 90 is on target whatever the date
    assert period_achievement(90, 90, Aspect.KUALITAS, 0.25) == pytest.approx(1.0)
    # time: lower is better, also not pro-rated
    assert period_achievement(5, 4, Aspect.WAKTU, 0.25) == pytest.approx(1.25)
    assert period_achievement(0, 4, Aspect.KUANTITAS, 0.5) is None
