"""Realisation and progress: verified quantities per indicator, pace, and the team overview.

Everything here is computed with SQL aggregates over the activity table, batched over many
indicators or employees at once, so a supervisor's team view costs the same number of queries
for 5 or 50 people.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from portal.core import clock
from portal.core.auth import Viewer
from portal.people.rows import EmployeeRow
from portal.people.services import directory as people
from portal.performance import rules, sql
from portal.performance.enums import ActivityStatus, Aspect
from portal.performance.planning.services import skp
from portal.performance.rows import IndicatorRow, PeriodRow, RhkRow, SkpRow

RangeKey = tuple[int, date, date]  # (indicator id, from, to)


@dataclass(frozen=True, slots=True)
class Tally:
    """Activity quantities of one indicator over a date range."""

    verified_quantity: float
    submitted_quantity: float
    verified_count: int
    submitted_count: int
    rejected_count: int


_EMPTY = Tally(0.0, 0.0, 0, 0, 0)


def progress_window(annual: PeriodRow, period: PeriodRow | None, on: date) -> tuple[date, date]:
    """Cumulative window from the start of the year to the end of ``period`` (or ``on``)."""
    end = min(period.ends_on if period else annual.ends_on, on)
    return annual.starts_on, max(end, annual.starts_on)


async def tallies(keys: Sequence[RangeKey]) -> list[Tally]:
    """Tallies for (indicator, from, to) keys; one grouped query per distinct date range."""
    by_range: dict[tuple[date, date], set[int]] = {}
    for indicator_id, start, end in keys:
        by_range.setdefault((start, end), set()).add(indicator_id)
    results: dict[RangeKey, Tally] = {}
    for (start, end), ids in by_range.items():
        rows = await sql.tally_rows(sorted(ids), start, end)
        grouped: dict[int, dict[str, tuple[float, int]]] = {}
        for r in rows:
            grouped.setdefault(r["indicator_id"], {})[r["status"]] = (
                float(r["quantity"] or 0.0),
                int(r["n"]),
            )
        for indicator_id in ids:
            results[(indicator_id, start, end)] = _tally(grouped.get(indicator_id, {}))
    return [results.get(k, _EMPTY) for k in keys]


def _tally(by_status: dict[str, tuple[float, int]]) -> Tally:
    """A tally from (quantity, count) per activity status."""
    return Tally(
        verified_quantity=by_status.get(ActivityStatus.VERIFIED, (0.0, 0))[0],
        submitted_quantity=by_status.get(ActivityStatus.SUBMITTED, (0.0, 0))[0],
        verified_count=by_status.get(ActivityStatus.VERIFIED, (0.0, 0))[1],
        submitted_count=by_status.get(ActivityStatus.SUBMITTED, (0.0, 0))[1],
        rejected_count=by_status.get(ActivityStatus.REJECTED, (0.0, 0))[1],
    )


@dataclass(frozen=True, slots=True)
class YearTree:
    """The year of a day and an employee's active SKP of it, with everything under it.

    ``rhks`` in the SKP's order (UTAMA first, then position), ``indicators`` of each RHK by
    position, ``tallies`` of each indicator over ``window`` (:func:`progress_window` of the
    day): what :func:`skp.rhks_by_skp`, :func:`skp.indicators_by_rhk` and :func:`tallies` give.
    """

    annual: PeriodRow | None
    skp: SkpRow | None = None
    rhks: tuple[RhkRow, ...] = ()
    indicators: dict[int, list[IndicatorRow]] = field(default_factory=dict)
    window: tuple[date, date] | None = None
    tallies: dict[int, Tally] = field(default_factory=dict)


def _part(row: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {k[len(prefix) :]: v for k, v in row.items() if k.startswith(prefix)}


async def year_tree(employee_id: int, on: date) -> YearTree:
    """The year covering ``on`` and the employee's SKP tree in it, in one statement."""
    rows = await sql.year_tree(employee_id, on)
    if not rows:
        return YearTree(None)
    annual = PeriodRow(**_part(rows[0], "p_"))
    if rows[0]["s_id"] is None:
        return YearTree(annual)
    rows = [r for r in rows if r["p_id"] == annual.id]  # one year, should two overlap
    rhks: dict[int, RhkRow] = {}
    indicators: dict[int, IndicatorRow] = {}
    statuses: dict[int, dict[str, tuple[float, int]]] = {}
    for r in rows:
        if r["r_id"] is not None:
            rhks.setdefault(r["r_id"], RhkRow(**_part(r, "r_")))
        if r["i_id"] is not None:
            indicators.setdefault(r["i_id"], IndicatorRow(**_part(r, "i_")))
            by_status = statuses.setdefault(r["i_id"], {})
            if r["t_status"] is not None:
                by_status[r["t_status"]] = (float(r["t_quantity"] or 0.0), int(r["t_n"]))
    grouped: dict[int, list[IndicatorRow]] = {i: [] for i in rhks}
    for i in sorted(indicators.values(), key=lambda i: (i.position, i.id)):
        grouped[i.rhk_id].append(i)
    return YearTree(
        annual,
        SkpRow(**_part(rows[0], "s_")),
        tuple(sorted(rhks.values(), key=skp.rhk_order)),
        grouped,
        progress_window(annual, None, on),
        {i: _tally(g) for i, g in statuses.items()},
    )


@dataclass(frozen=True, slots=True)
class IndicatorProgress:
    """Progress of one indicator toward its annual target as of a date."""

    indicator: IndicatorRow
    window_start: date
    window_end: date
    tally: Tally
    progress: float | None
    expected_pace: float

    @property
    def achievement(self) -> float | None:
        """Achievement by the one rule evaluations use (:func:`rules.period_achievement`).

        Only what is counted from activities (KUANTITAS) is judged here; quality, time and cost
        are entered at evaluation time.
        """
        if Aspect(self.indicator.aspect) is not Aspect.KUANTITAS:
            return None
        return rules.period_achievement(
            self.indicator.target_value,
            self.tally.verified_quantity,
            Aspect.KUANTITAS,
            self.expected_pace,
        )

    @property
    def behind_pace(self) -> bool:
        """Whether realisation trails the pace the calendar expects."""
        return self.progress is not None and self.progress < self.expected_pace


def indicator_progress(
    indicator: IndicatorRow, annual: PeriodRow, window: tuple[date, date], tally: Tally
) -> IndicatorProgress:
    """Combine a tally with the target and the expected pace."""
    return IndicatorProgress(
        indicator=indicator,
        window_start=window[0],
        window_end=window[1],
        tally=tally,
        # KUANTITAS only: the one rule the mentoring model's realised share uses too
        progress=rules.indicator_realisation(
            indicator.aspect, indicator.target_value, tally.verified_quantity
        ),
        expected_pace=rules.expected_pace(annual.starts_on, annual.ends_on, window[1]),
    )


@dataclass(frozen=True, slots=True)
class TeamMember:
    """One subordinate in the supervisor's overview."""

    employee: EmployeeRow
    skp: SkpRow | None
    indicators: list[IndicatorProgress]
    pending_verifications: int
    last_activity_date: date | None
    period_id: int  # the period the progress is measured over (evaluation or annual)

    @property
    def average_progress(self) -> float | None:
        """Realisation of the SKP (:func:`rules.skp_realisation`; None without a target)."""
        return rules.skp_realisation(p.progress for p in self.indicators)

    @property
    def key(self) -> str:
        """Identity of the row: the employee in the period measured (for ``TeamMember.id``)."""
        return f"{self.employee.id}-{self.period_id}"

    @property
    def indicators_behind(self) -> int:
        """Indicators trailing the expected pace."""
        return sum(1 for p in self.indicators if p.behind_pace)


async def _activity_stats(employee_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    if not employee_ids:
        return {}
    pending = await sql.pending_counts(employee_ids)
    last = await sql.last_activity_dates(employee_ids)
    stats: dict[int, dict[str, Any]] = {}
    for r in pending:
        stats.setdefault(r["employee_id"], {})["pending"] = int(r["n"])
    for r in last:
        value = r["last"]
        if isinstance(value, str):  # SQLite returns MAX() of a DATE as text
            value = date.fromisoformat(value)
        stats.setdefault(r["employee_id"], {})["last"] = value
    return stats


async def team_overview(
    viewer: Viewer, annual: PeriodRow, period: PeriodRow | None, *, direct_only: bool = True
) -> list[TeamMember]:
    """Every subordinate's SKP progress and pending verifications, in a fixed number of queries."""
    members = await people.team_members(viewer, direct_only=direct_only)
    ids = [e.id for e in members]
    skps = await skp.skps_for_employees(ids, annual.id)
    skp_ids = [s.id for s in skps.values()]
    indicator_lists = dict(zip(skp_ids, await skp.indicators_by_skp(skp_ids), strict=True))
    window = progress_window(annual, period, clock.today())
    all_indicators = [i for lst in indicator_lists.values() for i in lst]
    tally_list = await tallies([(i.id, window[0], window[1]) for i in all_indicators])
    tally_by_id = {i.id: t for i, t in zip(all_indicators, tally_list, strict=True)}
    stats = await _activity_stats(ids)
    result = []
    for employee in members:
        own = skps.get(employee.id)
        indicators = indicator_lists.get(own.id, []) if own else []
        result.append(
            TeamMember(
                employee=employee,
                skp=own,
                indicators=[
                    indicator_progress(i, annual, window, tally_by_id[i.id]) for i in indicators
                ],
                pending_verifications=stats.get(employee.id, {}).get("pending", 0),
                last_activity_date=stats.get(employee.id, {}).get("last"),
                period_id=(period or annual).id,
            )
        )
    return result


# how ``teamProgress`` can be ordered: a sort value per member (None sorts last either way)
TEAM_ORDER: dict[str, Callable[[TeamMember], Any]] = {
    "NAME": lambda m: m.employee.name.casefold(),
    "AVERAGE_PROGRESS": lambda m: m.average_progress,
    "INDICATORS_BEHIND": lambda m: m.indicators_behind,
    "PENDING_VERIFICATIONS": lambda m: m.pending_verifications,
    "LAST_ACTIVITY_DATE": lambda m: m.last_activity_date,
}


def sort_team(members: list[TeamMember], field: str, *, descending: bool) -> list[TeamMember]:
    """``members`` ordered by ``field`` of :data:`TEAM_ORDER`, then by employee ID.

    Members without a value (no SKP, no activity yet) come last in either direction.
    """
    value = TEAM_ORDER[field]
    by_id = sorted(members, key=lambda m: m.employee.id)
    known = [m for m in by_id if value(m) is not None]
    unknown = [m for m in by_id if value(m) is None]
    return sorted(known, key=value, reverse=descending) + unknown
