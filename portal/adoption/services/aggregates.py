"""The funnel's maintained aggregates: one row per employee and ISO week, kept with the writes.

Computing the city funnel from the activity rows took ~26 s cold on PostgreSQL (13 000
employees, 1.4 M activities a year). The funnel's weekly measures are distinct-employee
counts (weekly active, engaged), which do not add up from per-day or per-OPD totals; but per
employee and week they are small facts. So the adoption domain keeps:

* ``adoption_employee_week``: per employee and ISO week they count in (activities dated that
  week, on or after the employee's start): activities, verified, distinct working days with an
  activity, ``active`` (those days reach the week's threshold), ``engaged`` (one was verified
  within 3 working days of its logging day) and a latency histogram ``lat0`` .. ``lat6``
  (``adoption_latency_tail`` for 7 days or more), from which the exact median of any group is
  found;
* ``adoption_employee_fact``: per employee, the start day (and first counted week) and first
  attendance day the rows were computed with, and ``started_on`` (first log on or after that
  attendance) with its week.

The funnel is then a GROUP BY over at most 53 rows per employee, plus the small program
tables (see :func:`portal.adoption.sql.funnel_rows_from_aggregates`).

How they stay exact:

* the performance domain calls :func:`activities_changed` inside the transaction of every
  activity write (log, batch upload, update, withdrawal, verification), which recomputes the
  touched weeks of those employees from their activity rows. On PostgreSQL a transaction-level
  advisory lock per employee (taken in id order) serialises two writers of the same employee,
  so the later one recomputes after the earlier one's commit;
* before answering, a reader calls :func:`repair`: employees in scope without a fact row, or
  whose start day (``hired_on``) or first attendance day differs from the one their rows were
  computed with, are recomputed first (attendance, sessions and employee records change
  without touching activities). A fresh database or a bulk seed is filled in the same way,
  or all at once by :func:`rebuild` (``portal adoption-aggregates``).

What the rows do not follow by themselves: the work calendar (public holidays of
:mod:`ml.calendar`) and ``PORTAL_TIMEZONE``. A release that changes either runs
``portal adoption-aggregates`` once.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from portal.adoption import metrics, sql
from portal.adoption.sql import Scope, _as_date
from portal.core.db import bulk_insert, transaction

LATENCY_COLUMNS = 7  # lat0 .. lat6; longer delays go to adoption_latency_tail
REPAIR_CHUNK = 500  # employees recomputed per transaction by repair() and rebuild()
WEEK_COLUMNS = (
    "employee",
    "wk",
    "activities",
    "verified",
    "days",
    "active",
    "engaged",
    *(f"lat{d}" for d in range(LATENCY_COLUMNS)),
)


@dataclass
class WeekFacts:
    """One employee's activities of one week, aggregated (a row of adoption_employee_week)."""

    activities: int = 0
    verified: int = 0
    days: set[date] = field(default_factory=set)
    engaged: int = 0
    latency: dict[int, int] = field(default_factory=dict)


@functools.lru_cache(maxsize=4096)
def _deadline(logged_on: date) -> date:
    return metrics.engagement_deadline(logged_on)


@functools.lru_cache(maxsize=8192)
def _need(monday: date, starts_on: date | None) -> int:
    return metrics.active_threshold(monday, starts_on)


def add_activity(
    weeks: dict[date, WeekFacts],
    activity_date: date,
    logged_on: date,
    verified_on: date | None,
    *,
    verified: bool,
) -> None:
    """Count one (not withdrawn) activity dated on or after the start into its week."""
    week = weeks.setdefault(metrics.week_start(activity_date), WeekFacts())
    week.activities += 1
    week.verified += int(verified)
    if metrics.is_working_day(activity_date):
        week.days.add(activity_date)
        if verified and verified_on is not None and verified_on <= _deadline(logged_on):
            week.engaged = 1
    lag = metrics.logging_latency(activity_date, logged_on)
    week.latency[lag] = week.latency.get(lag, 0) + 1


# --- recomputing employees -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Plan:
    """Which employees to recompute whole, and which weeks of the others."""

    full: tuple[int, ...]
    partial: tuple[int, ...]
    lo: date | None
    hi: date | None  # Monday of the last week recomputed for ``partial``


async def _plan(changes: Mapping[int, Iterable[date] | None]) -> tuple[_Plan, dict[int, date]]:
    ids = sorted(changes)
    starts = await sql.agg_start_days(ids)
    stored = await sql.agg_stored_starts(ids)
    full, partial, weeks = [], [], []
    for e in ids:
        if e not in starts:
            continue  # deleted meanwhile: its rows went with it (ON DELETE CASCADE)
        days = changes[e]
        if days is None or stored.get(e) != starts[e]:
            full.append(e)
        else:
            partial.append(e)
            weeks += [metrics.week_start(d) for d in days]
    lo, hi = (min(weeks), max(weeks)) if weeks else (None, None)
    return _Plan(tuple(full), tuple(partial), lo, hi), starts


async def refresh(changes: Mapping[int, Iterable[date] | None]) -> None:
    """Recompute the aggregates of employees: the weeks of the given days, or all (None).

    An employee without a fact row, or whose start day changed, is recomputed whole. Runs in
    the caller's transaction (or its own); a fixed number of statements however many
    employees and days.
    """
    if not changes:
        return
    async with transaction():
        await sql.agg_lock(list(changes))
        plan, starts = await _plan(changes)
        weeks: dict[int, dict[date, WeekFacts]] = {}
        rows = await sql.agg_activities(plan.full, None, None)
        if plan.partial and plan.lo is not None and plan.hi is not None:
            rows += await sql.agg_activities(plan.partial, plan.lo, plan.hi + timedelta(days=6))
        for r in rows:
            emp, day = int(r["emp"]), _as_date(r["day"])
            if day < starts[emp]:
                continue
            verified_on = None if r["verified_on"] is None else _as_date(r["verified_on"])
            add_activity(
                weeks.setdefault(emp, {}),
                day,
                _as_date(r["logged"]),
                verified_on,
                verified=bool(r["ok"]),
            )
        for table in ("adoption_employee_week", "adoption_latency_tail"):
            await sql.agg_delete(table, plan.full, None, None)
            if plan.lo is not None and plan.hi is not None:  # no weeks: only the fact rows
                await sql.agg_delete(table, plan.partial, plan.lo, plan.hi)
        week_rows, tail_rows = [], []
        for emp, by_week in weeks.items():
            first = metrics.first_counted_week(starts[emp])
            for wk, w in by_week.items():
                if wk < first:
                    continue  # a week they do not count in yet (no working day left after start)
                need = _need(wk, starts[emp] if starts[emp] > wk else None)
                active = int(need > 0 and len(w.days) >= need)
                lat = [w.latency.get(d, 0) for d in range(LATENCY_COLUMNS)]
                week_rows.append(
                    (emp, wk, w.activities, w.verified, len(w.days), active, w.engaged, *lat)
                )
                tail_rows += [(emp, wk, d, n) for d, n in w.latency.items() if d >= LATENCY_COLUMNS]
        if week_rows:
            await bulk_insert("adoption_employee_week", WEEK_COLUMNS, week_rows)
        if tail_rows:
            await bulk_insert("adoption_latency_tail", ("employee", "wk", "d", "n"), tail_rows)
        await _refresh_facts(sorted({*plan.full, *plan.partial}), starts)


async def _refresh_facts(employee_ids: Sequence[int], starts: Mapping[int, date]) -> None:
    """Rewrite the fact rows (start day, first attendance, first log after it) of employees."""
    if not employee_ids:
        return
    started = await sql.agg_started(employee_ids)
    await sql.agg_delete("adoption_employee_fact", employee_ids, None, None)
    rows = []
    for e in employee_ids:
        att_on, started_on = started.get(e, (None, None))
        started_wk = None if started_on is None else metrics.week_start(started_on)
        first = metrics.first_counted_week(starts[e])
        rows.append((e, starts[e], first, att_on, started_on, started_wk))
    await bulk_insert(
        "adoption_employee_fact",
        ("employee", "start_on", "first_wk", "att_on", "started_on", "started_wk"),
        rows,
    )


async def activities_changed(changes: Mapping[int, Iterable[date]]) -> None:
    """Bring the funnel up to date with activity writes, in the writer's transaction.

    The performance domain calls it from every write of activities: ``changes`` maps each
    employee whose activities were inserted or changed to the activity dates concerned (old
    and new dates when a date moved). Logging, not the status, decides ``started``, so a
    change of any kind is passed.
    """
    await refresh({e: list(days) for e, days in changes.items()})


async def started_changed(employee_ids: Iterable[int]) -> None:
    """Recompute ``started`` of employees whose attendance changed (their weeks stay)."""
    await refresh(dict.fromkeys(employee_ids, ()))


# --- the reader's repair and the full rebuild ----------------------------------------------------


async def repair(scope: Scope) -> int:
    """Recompute the stale employees of a scope (``sql.agg_stale_employees``); how many."""
    whole, attendance = await sql.agg_stale_employees(scope)
    for chunk in range(0, len(whole), REPAIR_CHUNK):
        await refresh(dict.fromkeys(whole[chunk : chunk + REPAIR_CHUNK]))
    for chunk in range(0, len(attendance), REPAIR_CHUNK):
        await started_changed(attendance[chunk : chunk + REPAIR_CHUNK])
    return len(whole) + len(attendance)


async def rebuild() -> int:
    """Recompute every employee's aggregates from scratch (after a bulk load); how many."""
    ids = await sql.agg_all_employees()
    for chunk in range(0, len(ids), REPAIR_CHUNK):
        await refresh(dict.fromkeys(ids[chunk : chunk + REPAIR_CHUNK]))
    return len(ids)
