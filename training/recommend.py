"""Explained course recommendations: a pure, documented ranking function.

Inputs are plain values: the employee's signals (:class:`EmployeeSignals`, read from the
database by :mod:`training.services.signals`) and the catalogue (:class:`Catalogue`). Output
is a ranked list of :class:`Recommendation`, each with machine-readable reason codes and an
Indonesian sentence per reason, e.g. "Perilaku Kolaboratif dinilai di bawah ekspektasi pada
Triwulan II 2026", "JP tahun ini baru 6 dari 20", "Target dosis vaksin tercapai 27 %
(seharusnya 50 %)".

**Eligibility.** A course is never recommended when it is not open for enrolment (not
PUBLISHED or outside its enrolment window), has no seat left, was completed or is currently
assigned to the employee, or was dismissed by them. When the employee's competency profile is
known (:mod:`training.profiles`: what their jabatan needs, plus what their lagging indicators
need), a course is recommended only when its teknis competencies, and its leadership ones,
belong to that profile (manajerial and sosial-kultural competencies serve every ASN): an English
or a tax course is no answer to a vaccinator's gap, whatever else it mentions.

**Scoring formula.** ``score = quality * (B + I + J + M + P)``, rounded to 3 decimals, where

- ``B`` (BEHAVIOUR_GAP): ``3.0`` for each BerAKHLAK value rated below expectation in the latest
  evaluation that the course develops; when only the overall perilaku rating is below
  expectation (no per-value ratings), ``1.5`` for a course linked to any BerAKHLAK value.
  Capped at ``6.0``.
- ``I`` (INDICATOR_GAP): for up to two indicators behind pace that need a competency the course
  develops (a competency is needed when the indicator's own text mentions one of its themes,
  :func:`training.profiles.indicator_competencies`; the RHK around it is not read),
  ``2.5 * severity`` with ``severity = clamp(1 - progress / expected, 0.2, 1)``; strongest
  first.
- ``J`` (JP_SHORTFALL): when ``unplanned = 20 - completed - planned > 0``,
  ``1.5 * min(jp, unplanned) / unplanned`` (how much of the open gap the course closes).
- ``M`` (MENTORING_ALERT): ``2.0`` for a COACHING or MENTORING course while a mentoring alert
  about the employee is open.
- ``P`` (PEER_POPULAR): when at least two peers in the same jabatan completed the course and
  rated it 4 or better on average (or did not rate it), ``1.0 * min(n, 5) / 5 * r / 5`` with
  ``r`` their average rating (4 when unrated).
- ``quality = 1 + 0.1 * (bayes - 4)`` with ``bayes`` the course's average rating shrunk toward
  4.0 with the weight of three ratings, so one enthusiastic rating moves little.

Courses with no reason are not recommended. Ties go to the better-rated, then the older course.
A linear, additive score is used on purpose: every point of it maps to a sentence the employee
can read; a nearest-neighbour model over competency vectors would rank similarly on a catalogue
of this size but could not say why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from portal.performance.enums import BerAkhlak
from training import profiles
from training.enums import CompetencyKind, CourseForm, CourseMode, ReasonCode
from training.ledger import JP_RIGHT

W_BEHAVIOUR = 3.0
W_BEHAVIOUR_OVERALL = 1.5
MAX_BEHAVIOUR = 6.0
W_INDICATOR = 2.5
MIN_SEVERITY = 0.2
MAX_INDICATOR_REASONS = 2
W_JP = 1.5
W_MENTORING = 2.0
W_PEER = 1.0
MIN_PEERS = 2
PEER_SATURATION = 5
MIN_PEER_RATING = 4.0
PRIOR_RATING = 4.0
PRIOR_WEIGHT = 3
QUALITY_SLOPE = 0.1
MENTORING_FORMS = frozenset({CourseForm.COACHING, CourseForm.MENTORING})
DEFAULT_LIMIT = 10


@dataclass(frozen=True, slots=True)
class BehaviourGap:
    """A BerAKHLAK value rated below expectation (``value`` None: the overall perilaku rating).

    ``notes`` are the rater's notes per value, quoted when the rating is the overall one.
    """

    value: BerAkhlak | None
    period_name: str
    notes: Mapping[BerAkhlak, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class IndicatorGap:
    """An indicator (IKI) behind the pace its annual target expects.

    ``text`` is the indicator's own wording (description and unit); ``context`` the RHK it
    belongs to, which matches themes with half the weight.
    """

    label: str
    text: str
    progress: float
    expected: float
    context: str = ""  # the RHK, shown for orientation; not matched (see the module docstring)

    @property
    def severity(self) -> float:
        """How far behind, 0.2 (slightly) to 1 (nothing realised)."""
        if self.expected <= 0:
            return MIN_SEVERITY
        return min(1.0, max(MIN_SEVERITY, 1.0 - self.progress / self.expected))


@dataclass(frozen=True, slots=True)
class PeerStat:
    """How peers in the same jabatan took a course."""

    completions: int
    average_rating: float | None = None


@dataclass(frozen=True, slots=True)
class EmployeeSignals:
    """Everything the ranking knows about one employee."""

    employee_id: int
    jabatan_name: str = ""
    profile: frozenset[str] | None = None  # competency codes the jabatan needs (None: unknown)
    behaviour_gaps: tuple[BehaviourGap, ...] = ()
    indicator_gaps: tuple[IndicatorGap, ...] = ()
    jp_completed: int = 0
    jp_planned: int = 0
    mentoring_alert: bool = False
    peers: Mapping[int, PeerStat] = field(default_factory=dict)
    taken_course_ids: frozenset[int] = frozenset()
    dismissed_course_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class CatalogueCourse:
    """A course as the ranking sees it."""

    id: int
    title: str
    mode: CourseMode
    form: CourseForm
    jp_hours: int
    berakhlak: frozenset[BerAkhlak] = frozenset()
    competencies: Mapping[str, frozenset[str]] = field(default_factory=dict)  # code -> themes
    teknis: frozenset[str] = frozenset()  # codes of its TEKNIS competencies
    competency_kinds: frozenset[CompetencyKind] = frozenset()
    rating_average: float | None = None
    rating_count: int = 0
    seats_left: int | None = None
    open_for_enrolment: bool = True

    @property
    def quality(self) -> float:
        """Rating factor of the formula (1.0 for an unrated course)."""
        total = (self.rating_average or 0.0) * self.rating_count
        bayes = (total + PRIOR_RATING * PRIOR_WEIGHT) / (self.rating_count + PRIOR_WEIGHT)
        return 1.0 + QUALITY_SLOPE * (bayes - PRIOR_RATING)

    @property
    def themes(self) -> frozenset[str]:
        """Indicator themes of all its competencies (lower case)."""
        return frozenset(t.casefold() for ts in self.competencies.values() for t in ts)

    def fits(self, profile: frozenset[str] | None) -> bool:
        """Whether its teknis and leadership competencies belong to ``profile`` (None: yes)."""
        if profile is None:
            return True
        restricted = self.teknis | (set(self.competencies) & profiles.LEADERSHIP)
        return restricted <= profile

    @property
    def available(self) -> bool:
        """Open for enrolment with a seat left."""
        return self.open_for_enrolment and (self.seats_left is None or self.seats_left > 0)


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason behind a recommendation, with its share of the score."""

    code: ReasonCode
    explanation: str
    weight: float


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A ranked course with its reasons."""

    course_id: int
    score: float
    reasons: tuple[Reason, ...]


@cache
def _theme_pattern(theme: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(theme.casefold()))


def mentions(text: str, theme: str) -> bool:
    """Whether ``text`` mentions ``theme`` as a word or word start ("vaksin" in "Vaksinasi")."""
    return bool(theme.strip()) and _theme_pattern(theme.strip()).search(text.casefold()) is not None


class Catalogue:
    """The eligible part of the catalogue with what the ranking precomputes once."""

    def __init__(self, courses: Iterable[CatalogueCourse]) -> None:
        self.courses: tuple[CatalogueCourse, ...] = tuple(
            sorted((c for c in courses if c.available), key=lambda c: c.id)
        )
        self.themes_by_competency: dict[str, frozenset[str]] = {}
        for course in self.courses:
            for code, themes in course.competencies.items():
                known = self.themes_by_competency.get(code, frozenset())
                self.themes_by_competency[code] = known | {t.casefold() for t in themes}

    def competencies_in(self, text: str) -> frozenset[str]:
        """Competencies one of whose themes ``text`` mentions (what an indicator needs)."""
        return profiles.indicator_competencies(text, self.themes_by_competency)


def _percent(value: float) -> str:
    return f"{round(value * 100):d} %"


def behaviour_reason(course: CatalogueCourse, gaps: Sequence[BehaviourGap]) -> Reason | None:
    """BEHAVIOUR_GAP: values below expectation that the course develops."""
    sentences: list[str] = []
    weight = 0.0
    for gap in gaps:
        if gap.value is not None and gap.value in course.berakhlak:
            weight += W_BEHAVIOUR
            sentences.append(
                f"Perilaku {gap.value.label} dinilai di bawah ekspektasi pada {gap.period_name}"
            )
    if not sentences:
        overall = next((g for g in gaps if g.value is None), None)
        if overall is None or not course.berakhlak:
            return None
        weight = W_BEHAVIOUR_OVERALL
        sentence = f"Perilaku kerja dinilai di bawah ekspektasi pada {overall.period_name}"
        noted = [v for v in BerAkhlak if v in course.berakhlak and overall.notes.get(v)]
        if noted:
            sentence += f" (catatan {noted[0].label}: {overall.notes[noted[0]].strip()[:120]})"
        sentences.append(sentence)
    return Reason(ReasonCode.BEHAVIOUR_GAP, "; ".join(sentences), min(weight, MAX_BEHAVIOUR))


IndicatorNeeds = tuple[IndicatorGap, frozenset[str]]


def indicator_reason(course: CatalogueCourse, gaps: Sequence[IndicatorNeeds]) -> Reason | None:
    """INDICATOR_GAP: indicators behind pace that need a competency the course develops."""
    weighted = [
        (W_INDICATOR * gap.severity, gap) for gap, needs in gaps if needs & set(course.competencies)
    ]
    matched = sorted(weighted, key=lambda t: (-t[0], t[1].label))[:MAX_INDICATOR_REASONS]
    if not matched:
        return None
    sentences = [
        f"Target {g.label} tercapai {_percent(g.progress)} (seharusnya {_percent(g.expected)})"
        for _, g in matched
    ]
    return Reason(ReasonCode.INDICATOR_GAP, "; ".join(sentences), sum(w for w, _ in matched))


def jp_reason(course: CatalogueCourse, completed: int, planned: int) -> Reason | None:
    """JP_SHORTFALL: the course closes part of the JP nobody has planned yet."""
    unplanned = JP_RIGHT - completed - planned
    if unplanned <= 0 or course.jp_hours <= 0:
        return None
    weight = W_JP * min(course.jp_hours, unplanned) / unplanned
    sentence = f"JP tahun ini baru {completed} dari {JP_RIGHT}"
    if planned:
        sentence += f" ({planned} JP sudah direncanakan)"
    sentence += f"; pelatihan ini menambah {course.jp_hours} JP"
    return Reason(ReasonCode.JP_SHORTFALL, sentence, weight)


def mentoring_reason(course: CatalogueCourse, alert_open: bool) -> Reason | None:
    """MENTORING_ALERT: coaching or mentoring while a mentoring offer is open."""
    if not alert_open or course.form not in MENTORING_FORMS:
        return None
    return Reason(
        ReasonCode.MENTORING_ALERT,
        "Mendukung tawaran pendampingan dari atasan yang sedang berjalan",
        W_MENTORING,
    )


def peer_reason(stat: PeerStat | None, jabatan: str) -> Reason | None:
    """PEER_POPULAR: peers in the same jabatan completed it and rated it well."""
    if stat is None or stat.completions < MIN_PEERS:
        return None
    if stat.average_rating is not None and stat.average_rating < MIN_PEER_RATING:
        return None
    rating = stat.average_rating if stat.average_rating is not None else MIN_PEER_RATING
    weight = W_PEER * min(stat.completions, PEER_SATURATION) / PEER_SATURATION * rating / 5
    who = f"rekan sejabatan ({jabatan})" if jabatan else "rekan sejabatan"
    sentence = f"Diselesaikan {stat.completions} {who}"
    if stat.average_rating is not None:
        sentence += f" dengan rating rata-rata {stat.average_rating:.1f}".replace(".", ",")
    return Reason(ReasonCode.PEER_POPULAR, sentence, weight)


def score_course(
    course: CatalogueCourse,
    signals: EmployeeSignals,
    indicator_gaps: Sequence[IndicatorNeeds],
    profile: frozenset[str] | None = None,
) -> Recommendation | None:
    """Score one eligible course for one employee; None when no signal points to it."""
    if not course.fits(profile):
        return None
    reasons = [
        r
        for r in (
            behaviour_reason(course, signals.behaviour_gaps),
            indicator_reason(course, indicator_gaps),
            mentoring_reason(course, signals.mentoring_alert),
            peer_reason(signals.peers.get(course.id), signals.jabatan_name),
            jp_reason(course, signals.jp_completed, signals.jp_planned),
        )
        if r is not None
    ]
    if not reasons:
        return None
    score = round(course.quality * sum(r.weight for r in reasons), 3)
    ordered = tuple(sorted(reasons, key=lambda r: -r.weight))
    return Recommendation(course_id=course.id, score=score, reasons=ordered)


def rank(
    signals: EmployeeSignals, catalogue: Catalogue, limit: int = DEFAULT_LIMIT
) -> list[Recommendation]:
    """The employee's recommendations, best first (see the module docstring for the formula)."""
    excluded = signals.taken_course_ids | signals.dismissed_course_ids
    gaps = [(g, catalogue.competencies_in(g.text)) for g in signals.indicator_gaps]
    profile = signals.profile
    if profile is not None:  # what the lagging indicators need belongs to the work, too
        profile = profile.union(*(needs for _, needs in gaps))
    scored: list[tuple[float, float, int, Recommendation]] = []
    for course in catalogue.courses:
        if course.id in excluded:
            continue
        rec = score_course(course, signals, gaps, profile)
        if rec is not None:
            scored.append((-rec.score, -course.quality, course.id, rec))
    scored.sort(key=lambda t: t[:3])
    return [t[3] for t in scored[: max(0, limit)]]
