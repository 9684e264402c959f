"""Adoption analytics for the viewer: authorization, defaults, validation and the cache.

The numbers come from :mod:`portal.adoption.sql` (SQL) following the definitions of
:mod:`portal.adoption.metrics`; the funnel reads the aggregates that activity writes keep up
to date (:mod:`portal.adoption.aggregates`), so even uncached it answers in well under a
second for a whole city. Results are cached in the shared store (see ``cache.py``).
Program managers and BKPSDM administrators see every OPD; an ADMIN_OPD sees their OPD(s).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from portal.adoption import cache, metrics, policy, sql
from portal.adoption.cache import Cached
from portal.adoption.services import aggregates, programs
from portal.adoption.sql import CohortRow, FunnelRow, Scope
from portal.core import clock
from portal.core.auth import Viewer
from portal.core.errors import DomainError, NotFoundError
from portal.core.store import Store
from portal.people import facts as people_facts
from portal.people.services import directory as people

MAX_RANGE_DAYS = 371
DEFAULT_WEEKS = 12


@dataclass(frozen=True, slots=True)
class LaggingRow:
    """One OPD's weekly-active share against the city median."""

    opd_id: int
    employees: int
    weekly_active: int
    share: float
    gap: float  # share - city median (negative: behind)


@dataclass(frozen=True, slots=True)
class Lagging:
    """OPDs lagging the city in one week."""

    week: date
    margin: float
    city_median: float | None
    opds: list[LaggingRow]


def default_range(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """The range asked for, defaulting to the 12 weeks up to today; validated.

    Raises:
        DomainError: INVALID_RANGE when it is reversed or longer than a year.
    """
    end = end or today
    start = start or metrics.week_start(end) - timedelta(weeks=DEFAULT_WEEKS - 1)
    if end < start:
        raise DomainError.single("INVALID_RANGE", "Tanggal akhir sebelum tanggal awal", "to")
    if (end - start).days > MAX_RANGE_DAYS:
        raise DomainError.single("INVALID_RANGE", "Rentang maksimal satu tahun", "from")
    return start, end


async def funnel(
    viewer: Viewer,
    store: Store,
    *,
    opd_id: int | None = None,
    unit_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> Cached[list[FunnelRow]]:
    """The adoption funnel per OPD and ISO week, for one OPD (or unit subtree) or all visible."""
    start, end = default_range(start, end, today or clock.today())
    scope = await funnel_scope(viewer, opd_id=opd_id, unit_id=unit_id)
    opds, units = scope.opd_ids, scope.unit_ids
    return await cache.cached(
        store,
        "funnel",
        {"opds": opds, "units": units, "from": start, "to": end},
        lambda: funnel_rows(scope, start, end),
        list[FunnelRow],
    )


async def funnel_rows(scope: Scope, start: date, end: date) -> list[FunnelRow]:
    """The funnel from the maintained aggregates, its stale employees recomputed first."""
    await aggregates.repair(scope)
    return await sql.funnel_rows_from_aggregates(scope, start, end)


async def funnel_scope(
    viewer: Viewer, *, opd_id: int | None = None, unit_id: int | None = None
) -> Scope:
    """The OPDs (and unit subtree) of a funnel the viewer may read; raise when they may not."""
    allowed = policy.metric_opds(viewer)
    opds: tuple[int, ...] | None = None if allowed is None else tuple(sorted(allowed))
    if opd_id is not None:
        policy.require_metric_opd(viewer, opd_id)
        if (await people.opds_by_ids([opd_id]))[0] is None:
            raise NotFoundError("Opd", "opdId")
        opds = (opd_id,)
    units: tuple[int, ...] | None = None
    if unit_id is not None:
        (unit,) = await people.unors_by_ids([unit_id])
        if unit is None:
            raise NotFoundError("Unor", "unitId")
        policy.require_metric_opd(viewer, unit.opd_id)
        if opd_id is not None and unit.opd_id != opd_id:
            raise DomainError.single("INVALID_VALUE", "Unit bukan bagian dari OPD ini", "unitId")
        units = tuple(await people_facts.unit_subtree_ids(unit_id))
    return Scope(opd_ids=opds, unit_ids=units)


async def cohorts(
    viewer: Viewer, store: Store, *, program_id: int, today: date | None = None
) -> Cached[list[CohortRow]]:
    """A program's cohorts by session day (an ADMIN_OPD sees their OPD's people only)."""
    allowed = policy.metric_opds(viewer)
    program = await programs.get_program(viewer, program_id)
    today = today or clock.today()
    opds = None if allowed is None else tuple(sorted(allowed))
    return await cache.cached(
        store,
        "cohorts",
        {"program": program.id, "opds": opds, "today": today},
        lambda: sql.cohort_rows(program.id, today, opds),
        list[CohortRow],
    )


async def lagging(
    viewer: Viewer,
    store: Store,
    *,
    week: date,
    margin: float = metrics.DEFAULT_LAG_MARGIN,
) -> Cached[Lagging]:
    """OPDs whose weekly-active share in ``week`` trails the city median by over ``margin``.

    The median is the city's; an ADMIN_OPD sees only their own OPD's row.
    """
    allowed = policy.metric_opds(viewer)
    if not 0 <= margin <= 1:
        raise DomainError.single("INVALID_VALUE", "Margin harus 0-1 (mis. 0.1 = 10 poin)", "margin")
    monday = metrics.week_start(week)
    sunday = monday + timedelta(days=6)
    rows = await cache.cached(
        store,
        "funnel",
        {"opds": None, "units": None, "from": monday, "to": sunday},
        lambda: funnel_rows(Scope(), monday, sunday),
        list[FunnelRow],
    )
    counts = {r.opd_id: r.counts for r in rows.value}
    middle, behind = metrics.lagging({o: c.weekly_active_share for o, c in counts.items()}, margin)
    lagging_rows = [
        LaggingRow(
            opd_id=o,
            employees=counts[o].employees,
            weekly_active=counts[o].weekly_active_all,
            share=counts[o].weekly_active_share or 0.0,
            gap=(counts[o].weekly_active_share or 0.0) - (middle or 0.0),
        )
        for o in behind
        if allowed is None or o in allowed
    ]
    return Cached(
        Lagging(monday, margin, middle, lagging_rows),
        from_cache=rows.from_cache,
        computed_at=rows.computed_at,
    )
