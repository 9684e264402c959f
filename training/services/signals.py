"""Recommendation signals, read in batches from other domains (read-only) and this module.

- Behaviour: the latest FINAL evaluation of each employee. Values the rater rated
  DI_BAWAH_EKSPEKTASI are gaps; when no value carries its own rating, an overall perilaku
  rating DI_BAWAH_EKSPEKTASI becomes one overall gap quoting the rater's notes.
- Indicators: quantity indicators (KUANTITAS) of the employee's approved SKP of the current
  year whose verified realisation is clearly behind pace (below ``BEHIND_FACTOR`` times the
  share of the year elapsed), through :mod:`portal.performance.planning.services.progress`.
- JP: completed and planned JP of the year (:mod:`training.ledger`).
- Mentoring: an open mentoring alert about the employee (:mod:`portal.mentoring.facts`).
- Peers: completions and ratings of each course by employees with the same jabatan name.

Each reader takes many employees and costs a fixed number of queries, so the benchmark can
score the whole city in chunks.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from portal.mentoring import facts as mentoring_facts
from portal.people.rows import EmployeeRow
from portal.performance import facts as performance_facts
from portal.performance.enums import Aspect, BerAkhlak, Rating
from portal.performance.planning.services import periods, progress, skp
from portal.performance.planning.services.progress import RangeKey, Tally
from portal.performance.rows import IndicatorRow, PeriodRow, RhkRow, SkpRow
from training import profiles, sql
from training.enums import AssignmentStatus, CourseMode
from training.ledger import LedgerEntry
from training.recommend import BehaviourGap, EmployeeSignals, IndicatorGap, PeerStat

BEHIND_FACTOR = 0.8
MIN_EXPECTED = 0.05  # the first weeks of a year say nothing about pace
CHUNK = 900
GENERIC_UNITS = frozenset(
    {"persen", "persen target", "%", "nilai", "indeks", "skor", "hari kerja", "hari", "kali"}
)


def _chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


# --- pure parts ----------------------------------------------------------------------------


def behaviour_gaps(
    period_name: str,
    perilaku_rating: str | None,
    lines: Sequence[tuple[str, str | None, str]],
) -> tuple[BehaviourGap, ...]:
    """Gaps of one evaluation from its (value, rating, note) lines and overall perilaku rating."""
    below = Rating.DI_BAWAH_EKSPEKTASI.value
    known = {v.value: v for v in BerAkhlak}
    per_value = [known[v] for v, rating, _ in lines if v in known and rating == below]
    if per_value:
        order = list(BerAkhlak)
        return tuple(
            BehaviourGap(value=v, period_name=period_name)
            for v in sorted(set(per_value), key=order.index)
        )
    if any(rating is not None for _, rating, _ in lines) or perilaku_rating != below:
        return ()
    notes = {known[v]: note for v, _, note in lines if v in known and note.strip()}
    return (BehaviourGap(value=None, period_name=period_name, notes=notes),)


def indicator_label(description: str, unit: str) -> str:
    """What the explanation calls an indicator: its unit ("dosis vaksin"), or its text."""
    unit = unit.strip()
    if unit and unit.casefold() not in GENERIC_UNITS:
        return unit
    text = description.strip()
    return text[:1].lower() + text[1:] if text else unit


def indicator_gap(
    indicator: IndicatorRow, rhk_text: str, ratio: float | None, expected: float
) -> IndicatorGap | None:
    """A gap when a quantity indicator is clearly behind pace (see the module docstring)."""
    if indicator.aspect != Aspect.KUANTITAS or ratio is None or expected < MIN_EXPECTED:
        return None
    if ratio >= BEHIND_FACTOR * expected:
        return None
    return IndicatorGap(
        label=indicator_label(indicator.description, indicator.unit),
        text=f"{indicator.description} {indicator.unit}",
        progress=ratio,
        expected=expected,
        context=rhk_text,
    )


# --- readers -------------------------------------------------------------------------------


async def read_behaviour_gaps(employee_ids: Sequence[int]) -> dict[int, tuple[BehaviourGap, ...]]:
    """Gaps of each employee's latest FINAL evaluation (the latest by period end, then id)."""
    latest: dict[int, tuple[str, str | None]] = {}
    lines: dict[int, list[tuple[str, str | None, str]]] = {}
    for chunk in _chunks(employee_ids):
        for r in await performance_facts.latest_final_behaviour(chunk):
            latest[r.employee_id] = (r.period_name, r.perilaku_rating)
            if r.value is not None:
                lines.setdefault(r.employee_id, []).append((r.value, r.rating, r.note or ""))
    result = {}
    for employee_id, (period_name, perilaku_rating) in latest.items():
        gaps = behaviour_gaps(period_name, perilaku_rating, lines.get(employee_id, []))
        if gaps:
            result[employee_id] = gaps
    return result


class PerformanceReader(Protocol):
    """What the indicator gaps read of the performance domain (a request shares its loaders)."""

    async def annual_for(self, on: date) -> PeriodRow | None:
        """The annual period covering ``on``."""
        ...

    async def skps_for_employees(
        self, employee_ids: Sequence[int], period_id: int
    ) -> dict[int, SkpRow]:
        """Active SKPs of the employees for the annual period, by employee id."""
        ...

    async def indicators_by_skp(self, skp_ids: Sequence[int]) -> list[list[IndicatorRow]]:
        """Indicators of each SKP, by RHK id then position."""
        ...

    async def rhks_by_ids(self, ids: Sequence[int]) -> list[RhkRow | None]:
        """RHKs in the order of ``ids``."""
        ...

    async def tallies(self, keys: Sequence[RangeKey]) -> list[Tally]:
        """Verified work of each (indicator, first day, last day)."""
        ...


class DirectPerformance:
    """:class:`PerformanceReader` straight from the performance services (jobs, benchmarks)."""

    async def annual_for(self, on: date) -> PeriodRow | None:
        """The annual period covering ``on``."""
        return await periods.annual_for(on)

    async def skps_for_employees(
        self, employee_ids: Sequence[int], period_id: int
    ) -> dict[int, SkpRow]:
        """Active SKPs of the employees for the annual period, by employee id."""
        return await skp.skps_for_employees(employee_ids, period_id)

    async def indicators_by_skp(self, skp_ids: Sequence[int]) -> list[list[IndicatorRow]]:
        """Indicators of each SKP, by RHK id then position."""
        return await skp.indicators_by_skp(skp_ids)

    async def rhks_by_ids(self, ids: Sequence[int]) -> list[RhkRow | None]:
        """RHKs in the order of ``ids``."""
        return await skp.rhks_by_ids(ids)

    async def tallies(self, keys: Sequence[RangeKey]) -> list[Tally]:
        """Verified work of each (indicator, first day, last day)."""
        return await progress.tallies(keys)


async def read_indicator_gaps(
    employee_ids: Sequence[int], today: date, performance: PerformanceReader | None = None
) -> dict[int, tuple[IndicatorGap, ...]]:
    """Quantity indicators clearly behind pace, per employee (current year's approved SKP).

    ``performance``: where the year, SKPs, indicators, RHKs and tallies come from (default: the
    performance services; a request passes its loaders, so what ``mySkp`` read is not re-read).
    """
    reader = performance or DirectPerformance()
    annual = await reader.annual_for(today)
    if annual is None:
        return {}
    window = progress.progress_window(annual, None, today)
    result: dict[int, tuple[IndicatorGap, ...]] = {}
    for chunk in _chunks(employee_ids):
        skps = await reader.skps_for_employees(chunk, annual.id)
        approved = {s.id: s.employee_id for s in skps.values() if s.ever_approved}
        if not approved:
            continue
        lists = await reader.indicators_by_skp(sorted(approved))
        indicators = [i for lst in lists for i in lst if i.aspect == Aspect.KUANTITAS.value]
        if not indicators:
            continue
        rhk_ids = sorted({i.rhk_id for i in indicators})
        rhks = {r.id: r for r in await reader.rhks_by_ids(rhk_ids) if r}
        tallies = await reader.tallies([(i.id, window[0], window[1]) for i in indicators])
        grouped: dict[int, list[IndicatorGap]] = {}
        for indicator, tally in zip(indicators, tallies, strict=True):
            p = progress.indicator_progress(indicator, annual, window, tally)
            rhk = rhks.get(indicator.rhk_id)
            gap = indicator_gap(
                indicator, rhk.description if rhk else "", p.progress, p.expected_pace
            )
            if gap is not None:
                grouped.setdefault(approved[indicator.skp_id], []).append(gap)
        result.update({k: tuple(v) for k, v in grouped.items()})
    return result


async def read_ledger_entries(
    employee_ids: Sequence[int], year: int
) -> dict[int, list[LedgerEntry]]:
    """Ledger entries (JP, mode, status) of each employee's assignments of ``year``."""
    result: dict[int, list[LedgerEntry]] = {}
    for chunk in _chunks(employee_ids):
        rows = await sql.ledger_rows(chunk, year)
        for r in rows:
            result.setdefault(r["employee_id"], []).append(
                LedgerEntry(int(r["jp"] or 0), CourseMode(r["mode"]), AssignmentStatus(r["status"]))
            )
    return result


@dataclass(frozen=True, slots=True)
class OwnCourses:
    """What an employee's assignments and dismissals tell the ranking."""

    jp_completed: int = 0
    jp_planned: int = 0
    taken_course_ids: frozenset[int] = frozenset()
    dismissed_course_ids: frozenset[int] = frozenset()


async def read_own_courses(employee_ids: Sequence[int], year: int) -> dict[int, OwnCourses]:
    """Each employee's JP of ``year``, courses taken and courses dismissed: one query.

    JP completed and planned are :func:`jp_totals` of the year's ledger; the courses taken are
    those completed or held live (any year).
    """
    own, _ = await read_own_courses_and_peers(employee_ids, year, ())
    return own


async def read_own_courses_and_peers(
    employee_ids: Sequence[int], year: int, jabatan_names: Sequence[str]
) -> tuple[dict[int, OwnCourses], dict[str, dict[int, PeerStat]]]:
    """:func:`read_own_courses` with each jabatan name's peers, in one statement per chunk.

    The peers: completions and average rating of each course per jabatan name (one aggregate).
    """
    entries: dict[int, list[LedgerEntry]] = {}
    taken: dict[int, set[int]] = {}
    dismissed: dict[int, set[int]] = {}
    peers: dict[str, dict[int, PeerStat]] = {}
    names = sorted(set(jabatan_names))
    for chunk in _chunks(employee_ids):
        rows = await sql.own_course_rows(chunk, names)
        names = []  # the peers come with the first chunk
        for r in rows:
            employee_id, course_id = r["employee_id"], r["course_id"]
            if employee_id is None:  # a peer aggregate
                average = None if r["average"] is None else round(float(r["average"]), 2)
                peers.setdefault(r["jabatan"], {})[course_id] = PeerStat(int(r["n"]), average)
                continue
            if r["status"] is None:
                dismissed.setdefault(employee_id, set()).add(course_id)
                continue
            taken.setdefault(employee_id, set()).add(course_id)
            if r["year"] == year:  # cancelled ones would add nothing to either total
                entries.setdefault(employee_id, []).append(
                    LedgerEntry(int(r["jp"]), CourseMode(r["mode"]), AssignmentStatus(r["status"]))
                )
    result = {}
    for employee_id in taken.keys() | dismissed.keys():
        completed, planned = jp_totals(entries.get(employee_id, []))
        result[employee_id] = OwnCourses(
            completed,
            planned,
            frozenset(taken.get(employee_id, ())),
            frozenset(dismissed.get(employee_id, ())),
        )
    return result, peers


MentoringReader = Callable[[Sequence[int]], Awaitable[Iterable[int]]]


async def read_mentoring_alerts(
    employee_ids: Sequence[int], reader: MentoringReader | None = None
) -> frozenset[int]:
    """Employees with an open mentoring alert (read through the mentoring domain's facts).

    ``reader``: default the facts; a request passes its mentoring loaders.
    """
    reader = reader or mentoring_facts.open_alert_employee_ids
    found: set[int] = set()
    for chunk in _chunks(employee_ids):
        found.update(await reader(chunk))
    return frozenset(found)


def jp_totals(entries: Iterable[LedgerEntry]) -> tuple[int, int]:
    """(completed, planned) JP of ledger entries."""
    completed = planned = 0
    for e in entries:
        if e.status is AssignmentStatus.COMPLETED:
            completed += e.jp_hours
        elif e.status in (AssignmentStatus.ASSIGNED, AssignmentStatus.ENROLLED):
            planned += e.jp_hours
    return completed, planned


async def signals_for(
    employees: Sequence[EmployeeRow],
    today: date,
    *,
    alerts: frozenset[int] | None = None,
    indicators: Mapping[int, tuple[IndicatorGap, ...]] | None = None,
) -> dict[int, EmployeeSignals]:
    """Every signal of many employees, in a fixed number of queries per chunk.

    ``alerts`` and ``indicators``: the employees with an open mentoring alert and the indicator
    gaps (:func:`read_indicator_gaps`), when the caller read them already.
    """
    ids = [e.id for e in employees]
    if alerts is None:
        alerts = await read_mentoring_alerts(ids)
    behaviour = await read_behaviour_gaps(ids)
    if indicators is None:
        indicators = await read_indicator_gaps(ids, today)
    own, peers = await read_own_courses_and_peers(
        ids, today.year, [e.jabatan_name for e in employees]
    )
    empty: Mapping[int, PeerStat] = {}
    none = OwnCourses()
    result = {}
    for e in employees:
        mine = own.get(e.id, none)
        result[e.id] = EmployeeSignals(
            employee_id=e.id,
            jabatan_name=e.jabatan_name,
            profile=profiles.jabatan_profile(e.jabatan_name, e.jabatan_kind),
            behaviour_gaps=behaviour.get(e.id, ()),
            indicator_gaps=indicators.get(e.id, ()),
            jp_completed=mine.jp_completed,
            jp_planned=mine.jp_planned,
            mentoring_alert=e.id in alerts,
            peers=peers.get(e.jabatan_name, empty),
            taken_course_ids=mine.taken_course_ids,
            dismissed_course_ids=mine.dismissed_course_ids,
        )
    return result
