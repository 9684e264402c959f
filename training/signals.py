"""Recommendation signals, read in batches from other domains (read-only) and this module.

- Behaviour: the latest FINAL evaluation of each employee. Values the rater rated
  DI_BAWAH_EKSPEKTASI are gaps; when no value carries its own rating, an overall perilaku
  rating DI_BAWAH_EKSPEKTASI becomes one overall gap quoting the rater's notes.
- Indicators: quantity indicators (KUANTITAS) of the employee's approved SKP of the current
  year whose verified realisation is clearly behind pace (below ``BEHIND_FACTOR`` times the
  share of the year elapsed), through :mod:`portal.performance.progress`.
- JP: completed and planned JP of the year (:mod:`training.ledger`).
- Mentoring: an open mentoring alert about the employee, when a ``portal.mentoring`` module
  provides one; absent that module (or its table), the signal is simply off.
- Peers: completions and ratings of each course by employees with the same jabatan name.

Each reader takes many employees and costs a fixed number of queries, so the benchmark can
score the whole city in chunks.
"""

# ruff: noqa: S608 - the SQL below is composed of constants and "{}" placeholders; values are bound

from __future__ import annotations

import importlib
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from piccolo.query.functions.aggregate import Sum

from portal.people.service import EmployeeRow
from portal.performance import periods, progress, skp
from portal.performance.enums import Aspect, BerAkhlak, EvaluationStatus, Rating
from portal.performance.rows import IndicatorRow
from portal.performance.tables import Evaluation, EvaluationBehaviour
from training.enums import AssignmentStatus, CourseMode
from training.ledger import LedgerEntry
from training.recommend import BehaviourGap, EmployeeSignals, IndicatorGap, PeerStat
from training.tables import RecommendationDismissal, TrainingAssignment

logger = logging.getLogger(__name__)

BEHIND_FACTOR = 0.8
MIN_EXPECTED = 0.05  # the first weeks of a year say nothing about pace
CHUNK = 900
GENERIC_UNITS = frozenset(
    {"persen", "persen target", "%", "nilai", "indeks", "skor", "hari kerja", "hari", "kali"}
)
OPEN_ALERT_STATUSES = ("OPEN", "ACKNOWLEDGED")


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
    """Gaps of each employee's latest FINAL evaluation."""
    latest: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(employee_ids):
        rows = await Evaluation.select(
            Evaluation.id,
            Evaluation.employee.as_alias("employee_id"),
            Evaluation.perilaku_rating,
            Evaluation.period.name.as_alias("period_name"),
            Evaluation.period.ends_on.as_alias("ends_on"),
        ).where(
            Evaluation.employee.is_in(chunk) & (Evaluation.status == EvaluationStatus.FINAL.value)
        )
        for r in rows:
            best = latest.get(r["employee_id"])
            if best is None or (r["ends_on"], r["id"]) > (best["ends_on"], best["id"]):
                latest[r["employee_id"]] = r
    lines: dict[int, list[tuple[str, str | None, str]]] = {}
    evaluation_ids = sorted(r["id"] for r in latest.values())
    for chunk in _chunks(evaluation_ids):
        for r in await EvaluationBehaviour.select(
            EvaluationBehaviour.evaluation.as_alias("evaluation_id"),
            EvaluationBehaviour.value,
            EvaluationBehaviour.rating,
            EvaluationBehaviour.note,
        ).where(EvaluationBehaviour.evaluation.is_in(chunk)):
            lines.setdefault(r["evaluation_id"], []).append((r["value"], r["rating"], r["note"]))
    result = {}
    for employee_id, r in latest.items():
        gaps = behaviour_gaps(r["period_name"], r["perilaku_rating"], lines.get(r["id"], []))
        if gaps:
            result[employee_id] = gaps
    return result


async def read_indicator_gaps(
    employee_ids: Sequence[int], today: date
) -> dict[int, tuple[IndicatorGap, ...]]:
    """Quantity indicators clearly behind pace, per employee (current year's approved SKP)."""
    annual = await periods.annual_for(today)
    if annual is None:
        return {}
    window = progress.progress_window(annual, None, today)
    result: dict[int, tuple[IndicatorGap, ...]] = {}
    for chunk in _chunks(employee_ids):
        skps = await skp.skps_for_employees(chunk, annual.id)
        approved = {s.id: s.employee_id for s in skps.values() if s.ever_approved}
        lists = await skp.indicators_by_skp(sorted(approved))
        indicators = [i for lst in lists for i in lst if i.aspect == Aspect.KUANTITAS.value]
        rhks = {r.id: r for r in await skp.rhks_by_ids(sorted({i.rhk_id for i in indicators})) if r}
        tallies = await progress.tallies([(i.id, window[0], window[1]) for i in indicators])
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
        rows = await (
            TrainingAssignment.select(
                TrainingAssignment.employee.as_alias("employee_id"),
                TrainingAssignment.status,
                TrainingAssignment.course._.mode.as_alias("mode"),
                Sum(TrainingAssignment.course._.jp_hours, alias="jp"),
            )
            .where(TrainingAssignment.employee.is_in(chunk) & (TrainingAssignment.year == year))
            .group_by(
                TrainingAssignment.employee,
                TrainingAssignment.status,
                TrainingAssignment.course._.mode,
            )
        )
        for r in rows:
            result.setdefault(r["employee_id"], []).append(
                LedgerEntry(int(r["jp"] or 0), CourseMode(r["mode"]), AssignmentStatus(r["status"]))
            )
    return result


async def read_taken(employee_ids: Sequence[int]) -> dict[int, frozenset[int]]:
    """Courses each employee completed or holds a live assignment to."""
    result: dict[int, set[int]] = {}
    for chunk in _chunks(employee_ids):
        rows = await TrainingAssignment.select(
            TrainingAssignment.employee.as_alias("employee_id"),
            TrainingAssignment.course.as_alias("course_id"),
        ).where(
            TrainingAssignment.employee.is_in(chunk)
            & (TrainingAssignment.status != AssignmentStatus.CANCELLED.value)
        )
        for r in rows:
            result.setdefault(r["employee_id"], set()).add(r["course_id"])
    return {k: frozenset(v) for k, v in result.items()}


async def read_dismissed(employee_ids: Sequence[int]) -> dict[int, frozenset[int]]:
    """Courses each employee dismissed."""
    result: dict[int, set[int]] = {}
    for chunk in _chunks(employee_ids):
        rows = await RecommendationDismissal.select(
            RecommendationDismissal.employee.as_alias("employee_id"),
            RecommendationDismissal.course.as_alias("course_id"),
        ).where(RecommendationDismissal.employee.is_in(chunk))
        for r in rows:
            result.setdefault(r["employee_id"], set()).add(r["course_id"])
    return {k: frozenset(v) for k, v in result.items()}


async def read_peer_stats(jabatan_names: Sequence[str]) -> dict[str, dict[int, PeerStat]]:
    """Completions and average rating of each course per jabatan name (one aggregate)."""
    names = sorted(set(jabatan_names))
    if not names:
        return {}
    placeholders = ", ".join("{}" for _ in names)
    rows = await TrainingAssignment.raw(
        "SELECT e.jabatan_name AS jabatan, a.course AS course_id, COUNT(a.id) AS n,"
        " AVG(r.rating) AS average"
        " FROM training_assignment a"
        " JOIN employee e ON e.id = a.employee"
        " LEFT JOIN course_rating r ON r.assignment = a.id"
        f" WHERE a.status = 'COMPLETED' AND e.jabatan_name IN ({placeholders})"
        " GROUP BY e.jabatan_name, a.course",
        *names,
    )
    result: dict[str, dict[int, PeerStat]] = {}
    for r in rows:
        average = None if r["average"] is None else round(float(r["average"]), 2)
        result.setdefault(r["jabatan"], {})[r["course_id"]] = PeerStat(int(r["n"]), average)
    return result


MentoringReader = Callable[[Sequence[int]], Awaitable[Iterable[int]]]


def _mentoring_reader() -> MentoringReader | None:
    """The mentoring module's reader of open alerts, when that module exists.

    Looks for ``portal.mentoring.service.open_alert_employee_ids(employee_ids)``, else for a
    ``MentoringAlert`` table with ``employee`` and ``status`` columns.
    """
    try:
        service = importlib.import_module("portal.mentoring.service")
    except ImportError:
        service = None
    reader = getattr(service, "open_alert_employee_ids", None)
    if callable(reader):
        typed: MentoringReader = reader
        return typed
    try:
        tables = importlib.import_module("portal.mentoring.tables")
    except ImportError:
        return None
    table = getattr(tables, "MentoringAlert", None)
    if table is None or not all(hasattr(table, c) for c in ("employee", "status")):
        return None

    async def from_table(employee_ids: Sequence[int]) -> list[int]:
        rows = await table.select(table.employee.as_alias("employee_id")).where(
            table.employee.is_in(list(employee_ids) or [-1])
            & table.status.is_in(list(OPEN_ALERT_STATUSES))
        )
        return [r["employee_id"] for r in rows]

    return from_table


async def read_mentoring_alerts(
    employee_ids: Sequence[int], reader: MentoringReader | None = None
) -> frozenset[int]:
    """Employees with an open mentoring alert; empty when the mentoring module is absent."""
    reader = reader or _mentoring_reader()
    if reader is None:
        return frozenset()
    found: set[int] = set()
    try:
        for chunk in _chunks(employee_ids):
            found.update(await reader(chunk))
    except Exception:  # noqa: BLE001 - a missing or changed mentoring schema must not break training
        logger.warning("mentoring alerts unavailable; recommendations go without them")
        return frozenset()
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


async def signals_for(employees: Sequence[EmployeeRow], today: date) -> dict[int, EmployeeSignals]:
    """Every signal of many employees, in a fixed number of queries per chunk."""
    ids = [e.id for e in employees]
    behaviour = await read_behaviour_gaps(ids)
    indicators = await read_indicator_gaps(ids, today)
    ledgers = await read_ledger_entries(ids, today.year)
    taken = await read_taken(ids)
    dismissed = await read_dismissed(ids)
    alerts = await read_mentoring_alerts(ids)
    peers = await read_peer_stats([e.jabatan_name for e in employees])
    empty: Mapping[int, PeerStat] = {}
    result = {}
    for e in employees:
        completed, planned = jp_totals(ledgers.get(e.id, []))
        result[e.id] = EmployeeSignals(
            employee_id=e.id,
            jabatan_name=e.jabatan_name,
            behaviour_gaps=behaviour.get(e.id, ()),
            indicator_gaps=indicators.get(e.id, ()),
            jp_completed=completed,
            jp_planned=planned,
            mentoring_alert=e.id in alerts,
            peers=peers.get(e.jabatan_name, empty),
            taken_course_ids=taken.get(e.id, frozenset()),
            dismissed_course_ids=dismissed.get(e.id, frozenset()),
        )
    return result
