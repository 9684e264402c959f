"""Pure rules of the performance cycle (DESIGN.md §3 "Ratings", "Distribution curve").

Everything here is pure: no I/O, no database, "today" is always passed in.

**Predikat.** :data:`PREDIKAT_MATRIX` is the exact PermenPANRB 6/2022 matrix, keyed
``(hasil, perilaku)``; :func:`predikat` looks a cell up.

**Hasil suggestion.** The portal suggests a Rating Hasil Kerja from indicator achievement; the
rater decides. Each indicator gets an achievement ratio (:func:`achievement_ratio`): realisation /
target, or target / realisation for WAKTU and BIAYA, where lower is better. An indicator whose
ratio cannot be computed (target <= 0, or a non-finite number) is *unjudged*: counted, otherwise
ignored. A judged indicator is above target when its ratio is >= :data:`ABOVE_THRESHOLD`, meets it
when >= :data:`MEETS_THRESHOLD`, and is below otherwise (:func:`indicator_level`).

:func:`suggest_hasil` then applies these rules, in order, over the judged indicators ("share" is a
count divided by the number of judged indicators; UTAMA shares are divided by the number of judged
UTAMA indicators, and are 0 when there is none):

1. no judged indicator: SESUAI_EKSPEKTASI, and the explanation says nothing could be judged;
2. share above > :data:`MOST` (so "all above" too) and no UTAMA indicator below:
   DI_ATAS_EKSPEKTASI;
3. share below > :data:`MOST`: DI_BAWAH_EKSPEKTASI;
4. share above-or-meets >= :data:`MOST` (always true once rule 3 failed) and UTAMA share below
   <= :data:`SMALL_UTAMA_SHARE`: SESUAI_EKSPEKTASI;
5. otherwise (too many UTAMA indicators below): DI_BAWAH_EKSPEKTASI.

Shares are compared exactly (as fractions of the decimals the constants spell), so 50 % and 20 %
sit exactly on their boundaries.

**Distribution curve (SE MenPANRB 3/2023).** :func:`check_curve` checks an OPD's employee predikat
counts against the bounds of its organisational predikat, with exact integer arithmetic
(``count * 100 <= 70 * total``), so 70 % exactly is allowed. Violations are sorted by code.

**Mutasi pro rata.** An employee transferred mid-year has one SKP per rater for the same
annual period; each is evaluated for the part of the year it covered (:class:`ServedPart`).
:func:`combine_pro_rata` weights each part by the months it served (:func:`months_served`:
calendar months, a partly served month counting the share of its days served, exactly) and
averages each rating on the scale DI_BAWAH = 1, SESUAI = 2, DI_ATAS = 3, with exact fractions.
The mean is rounded to the nearest rating; a mean exactly half-way between two ratings takes the
one nearer the rating of the longest part (the later part when two are equally long). The
predikat is the matrix cell of the two combined ratings.

**Activities and progress.** :func:`validate_activity` lists every business-rule failure of a
daily activity draft; :func:`expected_pace` and :func:`progress_ratio` support the progress view.

**Realisation of an SKP.** Only quantities (KUANTITAS) accumulate from daily activities; a
quality, time or cost target is a level the rater measures at evaluation time, so a sum of logs
says nothing of its progress. :func:`indicator_realisation` is therefore the progress ratio of a
KUANTITAS indicator and ``None`` for the other aspects, and :func:`skp_realisation` the mean over
the indicators that have one. The home, the team overview and the mentoring model's
``realised_share`` all use these two, so they quote the same percentage.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from types import MappingProxyType
from typing import Final, Literal
from urllib.parse import urlsplit

from portal.core.errors import FieldError
from portal.performance.enums import (
    Aspect,
    OrgPredikat,
    PeriodStatus,
    Predikat,
    Rating,
    RhkKind,
)

__all__ = [
    "ABOVE_THRESHOLD",
    "MAX_DESCRIPTION",
    "MAX_DURATION",
    "MAX_LINK",
    "MAX_LINKS",
    "MAX_QUANTITY",
    "MAX_UNIT",
    "MEETS_THRESHOLD",
    "MIN_DESCRIPTION",
    "MOST",
    "PREDIKAT_MATRIX",
    "SMALL_UTAMA_SHARE",
    "ActivityDraft",
    "CurveRuleCheck",
    "CurveViolation",
    "HasilSuggestion",
    "IndicatorAchievement",
    "PeriodWindow",
    "ProRataResult",
    "ServedPart",
    "achievement_ratio",
    "check_curve",
    "combine_pro_rata",
    "curve_rule_checks",
    "curve_shares",
    "expected_pace",
    "indicator_level",
    "indicator_realisation",
    "months_served",
    "period_achievement",
    "period_target",
    "predikat",
    "progress_ratio",
    "skp_realisation",
    "suggest_hasil",
    "validate_activity",
]

# --------------------------------------------------------------------------------------------
# Predikat matrix
# --------------------------------------------------------------------------------------------

_ATAS: Final = Rating.DI_ATAS_EKSPEKTASI
_SESUAI: Final = Rating.SESUAI_EKSPEKTASI
_BAWAH: Final = Rating.DI_BAWAH_EKSPEKTASI

PREDIKAT_MATRIX: Final[Mapping[tuple[Rating, Rating], Predikat]] = MappingProxyType(
    {
        (_ATAS, _BAWAH): Predikat.KURANG_MISCONDUCT,
        (_ATAS, _SESUAI): Predikat.BAIK,
        (_ATAS, _ATAS): Predikat.SANGAT_BAIK,
        (_SESUAI, _BAWAH): Predikat.KURANG_MISCONDUCT,
        (_SESUAI, _SESUAI): Predikat.BAIK,
        (_SESUAI, _ATAS): Predikat.BAIK,
        (_BAWAH, _BAWAH): Predikat.SANGAT_KURANG,
        (_BAWAH, _SESUAI): Predikat.BUTUH_PERBAIKAN,
        (_BAWAH, _ATAS): Predikat.BUTUH_PERBAIKAN,
    },
)
"""Predikat kinerja pegawai keyed ``(hasil, perilaku)`` (DESIGN.md §3, exact matrix)."""


def predikat(hasil: Rating, perilaku: Rating) -> Predikat:
    """Return the predikat for a Rating Hasil Kerja and a Rating Perilaku Kerja.

    Args:
        hasil: Rating Hasil Kerja.
        perilaku: Rating Perilaku Kerja.

    Returns:
        The cell of :data:`PREDIKAT_MATRIX`.

    """
    return PREDIKAT_MATRIX[hasil, perilaku]


# --------------------------------------------------------------------------------------------
# Hasil suggestion
# --------------------------------------------------------------------------------------------

ABOVE_THRESHOLD: Final = 1.10
"""Achievement ratio from which an indicator is above target (110 %)."""

MEETS_THRESHOLD: Final = 1.00
"""Achievement ratio from which an indicator meets its target (100 %)."""

MOST: Final = 0.5
"""A share strictly greater than this is "most" of the judged indicators."""

SMALL_UTAMA_SHARE: Final = 0.2
"""Largest share of judged UTAMA indicators below target still compatible with SESUAI."""

# Ratios come from user-entered decimals (3.3 / 3 == 1.0999999999999999), so a boundary is
# reached within this tolerance; no real achievement is that close to a threshold otherwise.
_RATIO_TOLERANCE: Final = 1e-9
_MAX_NAMED_UTAMA: Final = 3
_UTAMA_PERCENT: Final = f"{SMALL_UTAMA_SHARE * 100:g}"
_LOWER_IS_BETTER: Final = frozenset({Aspect.WAKTU, Aspect.BIAYA})

_RATING_LABELS: Final[Mapping[Rating, str]] = MappingProxyType(
    {
        _ATAS: "Di Atas Ekspektasi",
        _SESUAI: "Sesuai Ekspektasi",
        _BAWAH: "Di Bawah Ekspektasi",
    },
)


@dataclass(frozen=True, slots=True)
class IndicatorAchievement:
    """Target and realisation of one indicator (IKI), as input to :func:`suggest_hasil`.

    Attributes:
        indicator_id: Id of the indicator.
        rhk_kind: Kind of the RHK the indicator belongs to (UTAMA or TAMBAHAN).
        target: Target value.
        realisation: Realised value.
        label: Indicator description, used to name it in explanations.
        aspect: Aspect measured; WAKTU and BIAYA are "lower is better".

    """

    indicator_id: int
    rhk_kind: RhkKind
    target: float
    realisation: float
    label: str
    aspect: Aspect = Aspect.KUANTITAS


@dataclass(frozen=True, slots=True)
class HasilSuggestion:
    """Suggested Rating Hasil Kerja with the counts it rests on.

    Attributes:
        rating: The suggested rating.
        explanation: Indonesian, human-readable reason, with the counts.
        above: Judged indicators above target.
        meets: Judged indicators meeting (but not above) target.
        below: Judged indicators below target.
        unjudged: Indicators whose achievement could not be computed.
        utama_below: Judged UTAMA indicators below target.
        utama_total: Judged UTAMA indicators.

    """

    rating: Rating
    explanation: str
    above: int
    meets: int
    below: int
    unjudged: int
    utama_below: int
    utama_total: int


def achievement_ratio(
    target: float, realisation: float, aspect: Aspect | None = None
) -> float | None:
    """Return how far an indicator achieved its target (1.0 = exactly on target).

    For WAKTU and BIAYA lower is better, so the ratio is ``target / realisation``; a realisation
    of 0 or less there (no time or money spent) counts as fully achieved and returns
    :data:`ABOVE_THRESHOLD`. For the other aspects (and ``None``) it is
    ``realisation / target``.

    Args:
        target: Target value.
        realisation: Realised value.
        aspect: Aspect measured; ``None`` is treated as higher-is-better.

    Returns:
        The ratio, or ``None`` when it cannot be judged: target <= 0, or a non-finite input.

    """
    if not (math.isfinite(target) and math.isfinite(realisation)) or target <= 0:
        return None
    if aspect in _LOWER_IS_BETTER:
        if realisation <= 0:
            return ABOVE_THRESHOLD
        return target / realisation
    return realisation / target


def period_target(target: float, aspect: Aspect | None, pace: float) -> float:
    """The part of an annual target due by the end of an evaluation period.

    Quantities (KUANTITAS) accumulate over the year, so a quarterly evaluation compares the
    cumulative realisation with the share of the target the calendar expects by then (``pace``,
    :func:`expected_pace` of the year at the period's end). Quality, time and cost targets are
    levels, not sums: they apply whole.
    """
    return target * pace if aspect in (Aspect.KUANTITAS, None) else target


def period_achievement(
    target: float, realisation: float, aspect: Aspect | None, pace: float
) -> float | None:
    """The one definition of achievement: realisation against the pro-rated target.

    ``achievement_ratio(period_target(target, aspect, pace), realisation, aspect)``: what the
    hasil suggestion judges, what an evaluation shows, what progress reports as achievement and
    what the demo seeds. With ``pace`` 1.0 (an annual evaluation) it is the plain ratio.
    """
    return achievement_ratio(period_target(target, aspect, pace), realisation, aspect)


def indicator_level(ratio: float) -> Rating:
    """Classify one indicator's achievement ratio.

    A ratio within ``1e-9`` under a threshold counts as reaching it, so decimal inputs such as
    3.3 / 3 are not pushed below 110 % by binary rounding.

    Args:
        ratio: Achievement ratio from :func:`achievement_ratio`.

    Returns:
        DI_ATAS_EKSPEKTASI from :data:`ABOVE_THRESHOLD`, SESUAI_EKSPEKTASI from
        :data:`MEETS_THRESHOLD`, DI_BAWAH_EKSPEKTASI below (and for NaN).

    """
    if ratio >= ABOVE_THRESHOLD - _RATIO_TOLERANCE:
        return _ATAS
    if ratio >= MEETS_THRESHOLD - _RATIO_TOLERANCE:
        return _SESUAI
    return _BAWAH


def _share_exceeds(part: int, whole: int, limit: float) -> bool:
    """Return whether ``part / whole > limit``, exactly; ``whole`` must be positive."""
    return Fraction(part, whole) > Fraction(str(limit))


def _share_at_least(part: int, whole: int, limit: float) -> bool:
    """Return whether ``part / whole >= limit``, exactly; ``whole`` must be positive."""
    return Fraction(part, whole) >= Fraction(str(limit))


def _share_at_most(part: int, whole: int, limit: float) -> bool:
    """Return whether ``part / whole <= limit``, exactly; an empty whole has share 0."""
    return whole == 0 or Fraction(part, whole) <= Fraction(str(limit))


def _name_list(labels: Sequence[str]) -> str:
    """Join up to three labels, then "dan N lainnya"."""
    named = ", ".join(labels[:_MAX_NAMED_UTAMA])
    rest = len(labels) - _MAX_NAMED_UTAMA
    return f"{named} dan {rest} lainnya" if rest > 0 else named


def suggest_hasil(items: Sequence[IndicatorAchievement]) -> HasilSuggestion:
    """Suggest a Rating Hasil Kerja from indicator achievement (rules in the module docstring).

    Args:
        items: Every indicator of the SKP for the period, UTAMA and TAMBAHAN.

    Returns:
        The suggestion, its Indonesian explanation and the counts behind it.

    """
    counts = {_ATAS: 0, _SESUAI: 0, _BAWAH: 0}
    unjudged = utama_total = 0
    utama_below: list[str] = []
    for item in items:
        ratio = achievement_ratio(item.target, item.realisation, item.aspect)
        if ratio is None:
            unjudged += 1
            continue
        level = indicator_level(ratio)
        counts[level] += 1
        if item.rhk_kind is RhkKind.UTAMA:
            utama_total += 1
            if level is _BAWAH:
                utama_below.append(item.label)
    above, meets, below = counts[_ATAS], counts[_SESUAI], counts[_BAWAH]
    judged = above + meets + below

    unjudged_note = (
        f" {unjudged} indikator tidak dapat dinilai (target tidak valid) dan diabaikan."
        if unjudged
        else ""
    )
    if judged == 0:
        rating = _SESUAI
        summary = "Tidak ada indikator yang dapat dinilai."
        reason = " Pejabat penilai menentukan rating."
    else:
        if utama_below:
            utama_note = (
                f"{len(utama_below)} dari {utama_total} indikator RHK utama di bawah target: "
                f"{_name_list(utama_below)}"
            )
        else:
            utama_note = "tidak ada indikator RHK utama di bawah target"
        summary = (
            f"{above} dari {judged} indikator di atas target, {meets} sesuai target, "
            f"{below} di bawah target; {utama_note}."
        )
        if _share_exceeds(above, judged, MOST) and not utama_below:
            rating = _ATAS
            reason = " Sebagian besar indikator di atas target."
        elif _share_exceeds(below, judged, MOST):
            rating = _BAWAH
            reason = " Sebagian besar indikator di bawah target."
        elif _share_at_least(above + meets, judged, MOST) and _share_at_most(
            len(utama_below), utama_total, SMALL_UTAMA_SHARE
        ):
            rating = _SESUAI
            reason = (
                " Sebagian besar indikator memenuhi target dan indikator RHK utama di bawah"
                f" target paling banyak {_UTAMA_PERCENT} %."
            )
        else:
            rating = _BAWAH
            reason = f" Lebih dari {_UTAMA_PERCENT} % indikator RHK utama di bawah target."
    explanation = f"{summary}{unjudged_note}{reason} Saran: {_RATING_LABELS[rating]}."
    return HasilSuggestion(
        rating=rating,
        explanation=explanation,
        above=above,
        meets=meets,
        below=below,
        unjudged=unjudged,
        utama_below=len(utama_below),
        utama_total=utama_total,
    )


# --------------------------------------------------------------------------------------------
# Distribution curve
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CurveViolation:
    """One rule of the distribution curve an OPD breaks.

    Attributes:
        code: Machine-readable rule, e.g. ``SANGAT_BAIK_TOO_HIGH``.
        message: Indonesian explanation with the actual and the required percentage.

    """

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class _Bound:
    """A bound on the combined share of some employee predikat.

    ``max``: share <= percent; ``min``: share >= percent; ``some``: at least one employee.
    """

    code: str
    predikats: tuple[Predikat, ...]
    kind: Literal["max", "min", "some"]
    percent: int


_SB: Final = Predikat.SANGAT_BAIK
_BP: Final = Predikat.BUTUH_PERBAIKAN
_KM: Final = Predikat.KURANG_MISCONDUCT

_CURVE_RULES: Final[Mapping[OrgPredikat, tuple[_Bound, ...]]] = MappingProxyType(
    {
        OrgPredikat.ISTIMEWA: (_Bound("SANGAT_BAIK_TOO_HIGH", (_SB,), "max", 70),),
        OrgPredikat.BAIK: (
            _Bound("BAIK_TOO_HIGH", (Predikat.BAIK,), "max", 70),
            _Bound("NEEDS_LOWER_RATINGS", (_BP, _KM), "some", 0),
        ),
        OrgPredikat.BUTUH_PERBAIKAN: (
            _Bound("BUTUH_PERBAIKAN_TOO_LOW", (_BP,), "min", 60),
            _Bound("SANGAT_BAIK_TOO_HIGH", (_SB,), "max", 10),
        ),
        OrgPredikat.KURANG: (
            _Bound("KURANG_TOO_LOW", (_KM,), "min", 60),
            _Bound("BUTUH_PERBAIKAN_TOO_LOW", (_BP,), "min", 10),
            _Bound("SANGAT_BAIK_TOO_HIGH", (_SB,), "max", 10),
        ),
        OrgPredikat.SANGAT_KURANG: (
            _Bound("SANGAT_KURANG_TOO_LOW", (Predikat.SANGAT_KURANG,), "min", 60),
            _Bound("LOWER_RATINGS_TOO_LOW", (_KM, _BP), "min", 10),
            _Bound("SANGAT_BAIK_NOT_ALLOWED", (_SB,), "max", 0),
        ),
    },
)


def _checked_counts(counts: Mapping[Predikat, int]) -> dict[Predikat, int]:
    """Return a count for every predikat (missing ones are 0); raise on a negative count."""
    full = {p: counts.get(p, 0) for p in Predikat}
    negative = [p.value for p, n in full.items() if n < 0]
    if negative:
        raise ValueError(f"negative predikat count: {', '.join(negative)}")
    return full


def curve_shares(counts: Mapping[Predikat, int]) -> dict[Predikat, float]:
    """Return each predikat's share of the rated employees.

    Args:
        counts: Employees per predikat; missing predikat count 0.

    Returns:
        A fraction in [0, 1] for all five predikat, in enum order; all 0 when nobody is rated.

    Raises:
        ValueError: A count is negative.

    """
    full = _checked_counts(counts)
    total = sum(full.values())
    return {p: (n / total if total else 0.0) for p, n in full.items()}


def _percent(count: int, total: int, *, up: bool) -> str:
    """Format ``count / total`` as an Indonesian percentage to 0.1, e.g. "66,7 %".

    A violation's share is rounded away from its bound (up for a maximum, down for a minimum),
    so 70.04 % shows as "70,1 %", never as an allowed-looking "70 %".
    """
    tenths = Fraction(1000 * count, total)
    whole, tenth = divmod(math.ceil(tenths) if up else math.floor(tenths), 10)
    return f"{whole},{tenth} %" if tenth else f"{whole} %"


def _violation(bound: _Bound, org: OrgPredikat, count: int, total: int) -> CurveViolation:
    """Build the violation of ``bound`` for an OPD with ``count`` of ``total`` in its group."""
    group = " dan/atau ".join(p.label for p in bound.predikats)
    share = _percent(count, total, up=bound.kind == "max")
    actual = f"{group} {share} ({count} dari {total} pegawai)"
    where = f"untuk organisasi berpredikat {org.label}"
    if bound.kind == "some":
        required = f"harus ada paling sedikit satu pegawai {where}"
    elif bound.kind == "min":
        required = f"paling sedikit {bound.percent} % {where}"
    elif bound.percent == 0:
        required = f"tidak diperbolehkan {where}"
    else:
        required = f"paling banyak {bound.percent} % {where}"
    return CurveViolation(code=bound.code, message=f"{actual}; {required}.")


def _holds(bound: _Bound, count: int, total: int) -> bool:
    """Return whether ``count`` of ``total`` satisfies ``bound`` (exact integer arithmetic)."""
    if bound.kind == "some":
        return count > 0
    if bound.kind == "min":
        return count * 100 >= bound.percent * total
    return count * 100 <= bound.percent * total


def check_curve(org: OrgPredikat, counts: Mapping[Predikat, int]) -> list[CurveViolation]:
    """Check employee predikat counts against the curve of the OPD's organisational predikat.

    Args:
        org: The OPD's organisational predikat for the period.
        counts: Employees per predikat; missing predikat count 0.

    Returns:
        The violations, sorted by code; empty when the curve holds or nobody is rated.

    Raises:
        ValueError: A count is negative.

    """
    full = _checked_counts(counts)
    total = sum(full.values())
    if total == 0:
        return []
    violations = []
    for bound in _CURVE_RULES[org]:
        count = sum(full[p] for p in bound.predikats)
        if not _holds(bound, count, total):
            violations.append(_violation(bound, org, count, total))
    return sorted(violations, key=lambda v: v.code)


@dataclass(frozen=True, slots=True)
class CurveRuleCheck:
    """One rule of an organisational predikat's curve, with the OPD's actual share.

    Attributes:
        code: The rule, e.g. ``BAIK_TOO_HIGH`` (the violation's code when it breaks).
        predikats: The employee predikat whose combined share the rule bounds.
        kind: ``max`` (share <= percent), ``min`` (share >= percent) or ``some`` (at least one).
        percent: The bound in percent (0 for ``some``).
        count: Employees in the group.
        share: The group's share of the rated employees (0 when nobody is rated).
        holds: Whether the rule holds (every rule holds while nobody is rated).
        text: Indonesian statement of the rule, e.g. "Baik paling banyak 70 %".

    """

    code: str
    predikats: tuple[Predikat, ...]
    kind: Literal["max", "min", "some"]
    percent: int
    count: int
    share: float
    holds: bool
    text: str


def curve_rule_checks(org: OrgPredikat, counts: Mapping[Predikat, int]) -> list[CurveRuleCheck]:
    """Every rule of ``org``'s curve with the actual share (what :func:`check_curve` checks).

    Raises:
        ValueError: A count is negative.

    """
    full = _checked_counts(counts)
    total = sum(full.values())
    checks = []
    for bound in _CURVE_RULES[org]:
        count = sum(full[p] for p in bound.predikats)
        group = " dan/atau ".join(p.label for p in bound.predikats)
        if bound.kind == "some":
            text = f"{group}: paling sedikit satu pegawai"
        elif bound.kind == "min":
            text = f"{group} paling sedikit {bound.percent} %"
        elif bound.percent == 0:
            text = f"{group} tidak diperbolehkan"
        else:
            text = f"{group} paling banyak {bound.percent} %"
        checks.append(
            CurveRuleCheck(
                code=bound.code,
                predikats=bound.predikats,
                kind=bound.kind,
                percent=bound.percent,
                count=count,
                share=count / total if total else 0.0,
                holds=total == 0 or _holds(bound, count, total),
                text=text,
            )
        )
    return checks


# --------------------------------------------------------------------------------------------
# Activity validation
# --------------------------------------------------------------------------------------------

MIN_DESCRIPTION: Final = 3
"""Fewest characters of a description, after stripping whitespace."""

MAX_DESCRIPTION: Final = 2000
"""Most characters of a description, after stripping whitespace."""

MAX_UNIT: Final = 50
"""Most characters of a unit, after stripping whitespace."""

MAX_LINKS: Final = 5
"""Most evidence links on one activity."""

MAX_LINK: Final = 500
"""Most characters of one evidence link."""

MAX_DURATION: Final = 24 * 60
"""Longest duration of one activity, in minutes."""

MAX_QUANTITY: Final = 1_000_000
"""Largest quantity of one activity."""

_LINK_SCHEMES: Final = frozenset({"http", "https"})


@dataclass(frozen=True, slots=True)
class ActivityDraft:
    """A daily activity as entered, before it is stored.

    Attributes:
        activity_date: Day the work was done.
        description: What was done.
        quantity: How much was produced, in ``unit``.
        unit: Unit of ``quantity``, e.g. "dokumen".
        duration_minutes: Time spent, if given.
        evidence_links: Links to the evidence (bukti dukung).
        indicator_id: Indicator of the approved SKP the activity contributes to, if any.

    """

    activity_date: date
    description: str
    quantity: float
    unit: str
    duration_minutes: int | None
    evidence_links: tuple[str, ...]
    indicator_id: int | None


@dataclass(frozen=True, slots=True)
class PeriodWindow:
    """The annual period that covers an activity's date.

    Attributes:
        starts_on: First day of the period.
        ends_on: Last day of the period.
        status: Whether activities may still be logged.

    """

    starts_on: date
    ends_on: date
    status: PeriodStatus


def _date_errors(activity_date: date, today: date, period: PeriodWindow | None) -> list[FieldError]:
    """Check the date against today and the covering period."""
    field = "activityDate"
    errors = []
    if activity_date > today:
        errors.append(
            FieldError("FUTURE_DATE", "Tanggal kegiatan tidak boleh di masa depan.", field)
        )
    if period is None:
        errors.append(
            FieldError("NO_PERIOD", "Tidak ada periode tahunan yang mencakup tanggal ini.", field)
        )
        return errors
    if activity_date < period.starts_on:
        errors.append(
            FieldError(
                "BEFORE_PERIOD",
                f"Tanggal kegiatan sebelum awal periode ({period.starts_on.isoformat()}).",
                field,
            )
        )
    if activity_date > period.ends_on:
        errors.append(
            FieldError(
                "AFTER_PERIOD",
                f"Tanggal kegiatan setelah akhir periode ({period.ends_on.isoformat()}).",
                field,
            )
        )
    if period.status is PeriodStatus.CLOSED:
        errors.append(
            FieldError(
                "PERIOD_CLOSED", "Periode sudah ditutup; kegiatan tidak dapat dicatat.", field
            )
        )
    return errors


def _quantity_errors(quantity: float) -> list[FieldError]:
    """Check the quantity; NaN and infinities are only INVALID_QUANTITY."""
    if not math.isfinite(quantity) or quantity > MAX_QUANTITY:
        message = f"Jumlah harus berupa angka paling besar {MAX_QUANTITY:_}.".replace("_", ".")
        return [FieldError("INVALID_QUANTITY", message, "quantity")]
    if quantity < 0:
        return [FieldError("NEGATIVE_QUANTITY", "Jumlah tidak boleh negatif.", "quantity")]
    return []


def _text_errors(description: str, unit: str) -> list[FieldError]:
    """Check the lengths of the description and the unit (stripped)."""
    errors = []
    length = len(description.strip())
    if length < MIN_DESCRIPTION:
        errors.append(
            FieldError(
                "TEXT_TOO_SHORT",
                f"Uraian kegiatan paling sedikit {MIN_DESCRIPTION} karakter.",
                "description",
            )
        )
    elif length > MAX_DESCRIPTION:
        errors.append(
            FieldError(
                "TEXT_TOO_LONG",
                f"Uraian kegiatan paling banyak {MAX_DESCRIPTION} karakter ({length}).",
                "description",
            )
        )
    if len(unit.strip()) > MAX_UNIT:
        errors.append(
            FieldError("TEXT_TOO_LONG", f"Satuan paling banyak {MAX_UNIT} karakter.", "unit")
        )
    return errors


def _is_valid_link(link: str) -> bool:
    """Return whether ``link`` is an http(s) URL with a host, no whitespace, <= MAX_LINK chars."""
    if len(link) > MAX_LINK or any(c.isspace() or not c.isprintable() for c in link):
        return False
    try:
        parts = urlsplit(link)
        _ = parts.port  # raises on a malformed or out-of-range port
    except ValueError:
        return False
    return parts.scheme.lower() in _LINK_SCHEMES and bool(parts.hostname)


def _link_errors(links: Sequence[str]) -> list[FieldError]:
    """Check the number of evidence links and each link (one error per bad link)."""
    field = "evidenceLinks"
    errors = []
    if len(links) > MAX_LINKS:
        errors.append(
            FieldError(
                "TOO_MANY_LINKS",
                f"Paling banyak {MAX_LINKS} tautan bukti dukung ({len(links)} diberikan).",
                field,
            )
        )
    errors.extend(
        FieldError(
            "INVALID_LINK",
            f"Tautan bukti dukung ke-{position} harus alamat http(s) yang valid, "
            f"paling banyak {MAX_LINK} karakter.",
            field,
        )
        for position, link in enumerate(links, start=1)
        if not _is_valid_link(link)
    )
    return errors


def validate_activity(
    draft: ActivityDraft,
    *,
    today: date,
    period: PeriodWindow | None,
    approved_indicator_ids: Collection[int],
) -> list[FieldError]:
    """List every business-rule failure of an activity draft.

    Codes, in the order reported: FUTURE_DATE, NO_PERIOD, BEFORE_PERIOD, AFTER_PERIOD,
    PERIOD_CLOSED, NEGATIVE_QUANTITY or INVALID_QUANTITY, TEXT_TOO_SHORT / TEXT_TOO_LONG
    (description), TEXT_TOO_LONG (unit), INVALID_DURATION, TOO_MANY_LINKS, INVALID_LINK (one per
    bad link), INDICATOR_NOT_IN_SKP.

    Args:
        draft: The activity as entered.
        today: The current date.
        period: The annual period covering ``draft.activity_date``, or ``None`` when none does.
        approved_indicator_ids: Indicators of the employee's approved SKP for that period.

    Returns:
        The failures, each addressed to its GraphQL input field; empty when the draft is valid.

    """
    errors = _date_errors(draft.activity_date, today, period)
    errors += _quantity_errors(draft.quantity)
    errors += _text_errors(draft.description, draft.unit)
    duration = draft.duration_minutes
    if duration is not None and not 1 <= duration <= MAX_DURATION:
        errors.append(
            FieldError(
                "INVALID_DURATION",
                f"Durasi harus antara 1 dan {MAX_DURATION} menit.",
                "durationMinutes",
            )
        )
    errors += _link_errors(draft.evidence_links)
    if draft.indicator_id is not None and draft.indicator_id not in approved_indicator_ids:
        errors.append(
            FieldError(
                "INDICATOR_NOT_IN_SKP",
                "Indikator tidak termasuk dalam SKP yang telah disetujui.",
                "indicatorId",
            )
        )
    return errors


# --------------------------------------------------------------------------------------------
# Progress
# --------------------------------------------------------------------------------------------


def expected_pace(starts_on: date, ends_on: date, on: date) -> float:
    """Return the fraction of a period elapsed by the end of ``on`` (calendar days).

    Args:
        starts_on: First day of the period.
        ends_on: Last day of the period.
        on: The day to measure at; it counts as elapsed.

    Returns:
        ``(on - starts_on + 1 day) / (ends_on - starts_on + 1 day)``, clamped to [0, 1].

    Raises:
        ValueError: ``ends_on`` is before ``starts_on``.

    """
    if ends_on < starts_on:
        raise ValueError("ends_on is before starts_on")
    total = (ends_on - starts_on).days + 1
    elapsed = (on - starts_on).days + 1
    return min(max(elapsed / total, 0.0), 1.0)


def progress_ratio(target: float, realised: float) -> float | None:
    """Return realisation / target (not clamped: over-achievement shows above 1).

    Args:
        target: Target value.
        realised: Realised value so far.

    Returns:
        The ratio, or ``None`` when the target is <= 0 (or an input is not finite).

    """
    if not (math.isfinite(target) and math.isfinite(realised)) or target <= 0:
        return None
    return realised / target


def indicator_realisation(aspect: Aspect | str, target: float, realised: float) -> float | None:
    """Return an indicator's realisation toward its annual target, as the progress view shows it.

    Args:
        aspect: The indicator's aspect (enum or its value).
        target: Annual target value.
        realised: Verified quantity counted for the indicator so far.

    Returns:
        :func:`progress_ratio` for a KUANTITAS indicator; ``None`` for KUALITAS, WAKTU and BIAYA
        (levels judged at evaluation time, not accumulated from activities) and without a target.

    """
    if Aspect(aspect) is not Aspect.KUANTITAS:
        return None
    return progress_ratio(target, realised)


def skp_realisation(realisations: Iterable[float | None]) -> float | None:
    """Return the realisation of an SKP: the mean of its indicators' realisations.

    Args:
        realisations: :func:`indicator_realisation` of each indicator.

    Returns:
        The mean over the indicators that have a realisation, or ``None`` when none has.

    """
    values = [r for r in realisations if r is not None]
    return sum(values) / len(values) if values else None


# --------------------------------------------------------------------------------------------
# Mutasi: pro rata combination of the parts of a year
# --------------------------------------------------------------------------------------------

_RATING_SCORE: Final[Mapping[Rating, int]] = MappingProxyType({_BAWAH: 1, _SESUAI: 2, _ATAS: 3})
_SCORE_RATING: Final[Mapping[int, Rating]] = MappingProxyType(
    {v: k for k, v in _RATING_SCORE.items()}
)


@dataclass(frozen=True, slots=True)
class ServedPart:
    """One SKP's part of an annual period: the days served under it and its final ratings."""

    starts_on: date
    ends_on: date
    hasil: Rating
    perilaku: Rating


@dataclass(frozen=True, slots=True)
class ProRataResult:
    """The annual result of the parts: combined ratings, predikat, the months of each part."""

    hasil: Rating
    perilaku: Rating
    predikat: Predikat
    months: tuple[Fraction, ...]


def _days_in_month(year: int, month: int) -> int:
    following = date(year + (month == 12), month % 12 + 1, 1)  # noqa: PLR2004 - December
    return (following - date(year, month, 1)).days


def months_served(starts_on: date, ends_on: date) -> Fraction:
    """Return the months from ``starts_on`` to ``ends_on`` (inclusive), exactly.

    Each calendar month counts the share of its days served: 1 January to 31 March is 3,
    1 to 15 April 2026 is 1/2 (15 of 30 days).

    Raises:
        ValueError: ``ends_on`` is before ``starts_on``.

    """
    if ends_on < starts_on:
        raise ValueError("ends_on is before starts_on")
    total = Fraction(0)
    day = starts_on
    while day <= ends_on:
        length = _days_in_month(day.year, day.month)
        month_end = date(day.year, day.month, length)
        last = min(month_end, ends_on)
        total += Fraction((last - day).days + 1, length)
        day = last + timedelta(days=1)
    return total


def _combine(scores: Sequence[int], weights: Sequence[Fraction], longest: int) -> Rating:
    mean = sum((w * s for w, s in zip(weights, scores, strict=True)), Fraction(0)) / sum(weights)
    low = math.floor(mean)
    if mean - low > Fraction(1, 2) or (
        mean - low == Fraction(1, 2)
        and abs(scores[longest] - (low + 1)) < abs(scores[longest] - low)
    ):
        return _SCORE_RATING[low + 1]
    return _SCORE_RATING[low]


def combine_pro_rata(parts: Sequence[ServedPart]) -> ProRataResult:
    """Combine the parts of a year served under different raters, pro rata by months served.

    Args:
        parts: The parts, in any order; they must not overlap.

    Returns:
        The combined Rating Hasil Kerja and Rating Perilaku Kerja, the predikat of the matrix
        and the months served by each part (in the order given).

    Raises:
        ValueError: no part, a part ending before it starts, or two parts overlapping.

    """
    if not parts:
        raise ValueError("no part to combine")
    ordered = sorted(parts, key=lambda p: p.starts_on)
    for before, after in itertools.pairwise(ordered):
        if after.starts_on <= before.ends_on:
            raise ValueError("parts overlap")
    months = tuple(months_served(p.starts_on, p.ends_on) for p in parts)
    # the longest part; among equally long ones, the later
    longest = max(range(len(parts)), key=lambda i: (months[i], parts[i].starts_on))
    hasil = _combine([_RATING_SCORE[p.hasil] for p in parts], months, longest)
    perilaku = _combine([_RATING_SCORE[p.perilaku] for p in parts], months, longest)
    return ProRataResult(hasil, perilaku, predikat(hasil, perilaku), months)
