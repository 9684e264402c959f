"""Adoption metrics computed in SQL: GROUP BY aggregates over activities and the program tables.

The definitions are those of :mod:`portal.adoption.metrics`; nothing here loops over activity
rows in Python. The work calendar (weekends, Indonesian public holidays, ISO weeks, running
count of working days) is built in Python for the days a query needs and sent as ONE JSON
parameter, which the query unpacks into a ``cal`` table (``json_each`` on SQLite,
``json_array_elements`` on PostgreSQL). Joining on it keeps the SQL free of
dialect-specific date arithmetic:

* ``cal.working``: 1 on a working day; ``cal.deadline``: the last day a verification of an
  activity logged that day counts as "within 3 working days" (``metrics.engagement_deadline``).
* ``cal.wk`` / ``wk_end`` / ``wkno``: Monday, Sunday and a running number of the ISO week.
* ``cal.need``: working days needed that week; ``need_from`` / ``first_wk``: the same for an
  employee starting that day, and the first week they count in.

Median logging latency: on PostgreSQL ``percentile_cont(0.5) WITHIN GROUP``; on SQLite, which
has no percentile aggregate, a window-function median: latencies are whole days, so the query
counts each value per group (a small histogram), takes running totals with ``SUM() OVER``, and
averages the one or two middle values - both interpolate like
:func:`portal.adoption.metrics.median`, and neither sorts the activity rows themselves.

Local dates are in ``PORTAL_TIMEZONE`` (default Asia/Jakarta, WIB; no daylight saving).
"""

# SQL is assembled from fixed fragments only; every value travels as a bind parameter.

from __future__ import annotations

import asyncio
import bisect
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from portal.adoption import metrics
from portal.adoption.metrics import CohortCounts, FunnelCounts, active_threshold
from portal.adoption.tables import SurveyResponse
from portal.core import clock
from portal.core.db import ids_match, ids_param, in_transaction, is_sqlite
from portal.performance.enums import ActivityStatus

VERIFY_SLACK_DAYS = 21  # the calendar reaches this far past the range for late verifications


@dataclass(frozen=True, slots=True)
class Scope:
    """Which employees a query covers: None means no restriction on that level."""

    opd_ids: tuple[int, ...] | None = None
    unit_ids: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class FunnelRow:
    """The funnel of one OPD in one ISO week."""

    opd_id: int
    week: date
    counts: FunnelCounts


@dataclass(frozen=True, slots=True)
class CohortRow:
    """The people a program first reached on one session day, and what they did after."""

    session_day: date
    counts: CohortCounts
    weeks_observed: int


@dataclass(frozen=True, slots=True)
class SurveyCell:
    """Answer sums of one survey in one OPD (and unit, when grouped by unit)."""

    survey_id: int
    opd_id: int | None
    unit_id: int | None
    sums: metrics.AnswerSums


# --- SQL building blocks -------------------------------------------------------------------------


# The activity statuses the metrics read, generated from the performance domain's enum (a test
# compares the SQL with it): withdrawn activities (logged by mistake, taken back) count nowhere;
# an activity is engaged with once it is verified.
WITHDRAWN_STATUS = ActivityStatus.WITHDRAWN.value
COUNTED = f"a.status <> '{WITHDRAWN_STATUS}'"
IS_VERIFIED = f"a.status = '{ActivityStatus.VERIFIED.value}'"


def _local_date(expr: str) -> str:
    """The local calendar date (``PORTAL_TIMEZONE``) of a stored UTC timestamp."""
    if is_sqlite():
        minutes = round(clock.utc_offset_hours() * 60)
        return f"date({expr}, '{minutes:+d} minutes')"
    # The zone name was checked against the IANA database by the settings (no quote can occur).
    return f"CAST(({expr}) AT TIME ZONE '{clock.zone().key}' AS date)"


def _days(later: str, earlier: str) -> str:
    """Whole days from ``earlier`` to ``later`` (both dates)."""
    if is_sqlite():
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
    return f"({later} - {earlier})"


_CAL_FIELDS = (
    ("day", "date"),
    ("wk", "date"),
    ("wk_end", "date"),
    ("wkno", "integer"),
    ("working", "integer"),
    ("deadline", "date"),
    ("need", "integer"),
    ("need_from", "integer"),
    ("first_wk", "date"),
)


def _cal_cte() -> str:
    """``cal AS (...)`` reading the calendar JSON parameter (one ``{}`` placeholder)."""
    if is_sqlite():
        cols = ", ".join(
            f"json_extract(value, '$[{i}]') AS {n}" for i, (n, _) in enumerate(_CAL_FIELDS)
        )
        return f"cal AS MATERIALIZED (SELECT {cols} FROM json_each({{}}))"  # noqa: S608 - fixed SQL, values bound
    cols = ", ".join(f"CAST(c->>{i} AS {kind}) AS {n}" for i, (n, kind) in enumerate(_CAL_FIELDS))
    return f"cal AS MATERIALIZED (SELECT {cols} FROM json_array_elements(CAST({{}} AS json)) AS c)"  # noqa: S608 - fixed SQL, values bound


def calendar_json(start: date, end: date) -> str:
    """The ``cal`` rows for every day of ``start``..``end`` as one JSON text."""
    first_monday = metrics.week_start(start)
    rows: list[list[Any]] = []
    day = start
    while day <= end:
        working = metrics.is_working_day(day)
        monday = metrics.week_start(day)
        if day >= start:
            rows.append(
                [
                    day.isoformat(),
                    monday.isoformat(),
                    (monday + timedelta(days=6)).isoformat(),
                    (monday - first_monday).days // 7,
                    int(working),
                    metrics.engagement_deadline(day).isoformat(),
                    active_threshold(monday),
                    active_threshold(monday, day),
                    metrics.first_counted_week(day).isoformat(),
                ]
            )
        day += timedelta(days=1)
    return json.dumps(rows, separators=(",", ":"))


def _in(column: str, values: Sequence[int]) -> tuple[str, list[Any]]:
    """``column`` in a list of ids, the list bound as one parameter (the portal's one idiom)."""
    return ids_match(column), [ids_param(values)]


def _scope_clause(scope: Scope) -> tuple[str, list[Any]]:
    parts = ["e.active = {}"]
    args: list[Any] = [True]
    if scope.opd_ids is not None:
        clause, values = _in("e.opd", scope.opd_ids)
        parts.append(clause)
        args += values
    if scope.unit_ids is not None:
        clause, values = _in("e.unor", scope.unit_ids)
        parts.append(clause)
        args += values
    return " AND ".join(parts), args


def _emp_cte(scope: Scope) -> tuple[str, list[Any]]:
    """``emp``: employees in scope with their start day and first counted week."""
    where, args = _scope_clause(scope)
    start = f"COALESCE(e.hired_on, {_local_date('e.created_at')})"
    sql = (
        "emp0 AS (SELECT e.id, e.opd, e.unor, " + start + " AS start_day"  # noqa: S608 - fixed SQL, values bound
        " FROM employee e WHERE " + where + "),"
        " emp AS MATERIALIZED (SELECT emp0.id, emp0.opd, emp0.unor, emp0.start_day,"
        " COALESCE(cs.first_wk, emp0.start_day) AS first_wk, cs.need_from"
        " FROM emp0 LEFT JOIN cal cs ON cs.day = emp0.start_day)"
    )
    return sql, args


def _first_days_ctes(session_filter: str = "") -> str:
    """``reach`` (first invitation or attendance) and ``att`` (first attendance) per employee."""
    day = _local_date("s.starts_at")
    return (
        "reach AS MATERIALIZED (SELECT x.emp, MIN(x.day) AS day FROM ("  # noqa: S608 - fixed SQL, values bound
        f" SELECT i.employee AS emp, {day} AS day FROM adoption_invitation i"
        f" JOIN adoption_session s ON s.id = i.session {session_filter}"
        " UNION ALL"
        f" SELECT a.employee AS emp, {day} AS day FROM adoption_attendance a"
        f" JOIN adoption_session s ON s.id = a.session {session_filter}"
        ") x GROUP BY x.emp),"
        f" att AS MATERIALIZED (SELECT a.employee AS emp, MIN({day}) AS day"
        " FROM adoption_attendance a"
        f" JOIN adoption_session s ON s.id = a.session {session_filter} GROUP BY a.employee)"
    )


def _started_cte() -> str:
    """``started``: per attended employee in ``emp``, the first day they logged after attending."""
    logged = _local_date("a.logged_at")
    return (
        f"started AS MATERIALIZED (SELECT att.emp, MIN({logged}) AS day FROM att"  # noqa: S608 - fixed SQL, values bound
        f" JOIN emp e ON e.id = att.emp JOIN activity a ON a.employee = att.emp AND {COUNTED}"
        f" WHERE {logged} >= att.day GROUP BY att.emp)"
    )


SCAN_THRESHOLD_DAYS = 28


def _activity_day(start: date, end: date) -> str:
    """How to refer to ``a.activity_date`` in joins and filters over ``start``..``end``.

    Over more than a few weeks most activity rows qualify, and SQLite reading them through the
    date index (one random row lookup each) is ten times slower than scanning the table; the
    unary ``+`` keeps SQLite's planner off that index. PostgreSQL chooses well by itself.
    """
    if is_sqlite() and (end - start).days > SCAN_THRESHOLD_DAYS:
        return "+a.activity_date"
    return "a.activity_date"


def _as_date(value: Any) -> date:  # noqa: ANN401 - SQLite returns text, PostgreSQL dates
    return value if isinstance(value, date) else date.fromisoformat(str(value))


async def _raw(sql: str, args: Sequence[Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await SurveyResponse.raw(sql, *args)
    return rows


# --- the funnel per OPD and week -----------------------------------------------------------------


async def _population(scope: Scope, start: date, end: date, cal: str) -> list[dict[str, Any]]:
    emp, emp_args = _emp_cte(scope)
    sql = (
        "WITH " + _cal_cte() + ", " + emp + ", " + _first_days_ctes() + ","  # noqa: S608 - fixed SQL, values bound
        " " + _started_cte() + ","
        " weeks AS (SELECT DISTINCT wk, wk_end FROM cal"
        " WHERE day >= {} AND day <= {} AND need > 0)"
        " SELECT e.opd AS opd_id, w.wk AS week, COUNT(*) AS employees,"
        " SUM(CASE WHEN r.day <= w.wk_end THEN 1 ELSE 0 END) AS invited,"
        " SUM(CASE WHEN t.day <= w.wk_end THEN 1 ELSE 0 END) AS attended,"
        " SUM(CASE WHEN st.day <= w.wk_end THEN 1 ELSE 0 END) AS started"
        " FROM weeks w JOIN emp e ON e.first_wk <= w.wk"
        " LEFT JOIN reach r ON r.emp = e.id"
        " LEFT JOIN att t ON t.emp = e.id"
        " LEFT JOIN started st ON st.emp = e.id"
        " GROUP BY e.opd, w.wk"
    )
    return await _raw(sql, [cal, *emp_args, start, end])


async def _activity_facts(scope: Scope, start: date, end: date, cal: str) -> list[dict[str, Any]]:
    emp, emp_args = _emp_cte(scope)
    logged = _local_date("a.logged_at")
    verified = _local_date("a.verified_at")
    ad = _activity_day(start, end)
    sql = (
        "WITH " + _cal_cte() + ", " + emp + ", " + _first_days_ctes() + ", " + _started_cte() + ","  # noqa: S608 - fixed SQL, values bound
        " ew AS (SELECT a.employee AS emp, e.opd, c.wk, MAX(c.wk_end) AS wk_end,"
        " MAX(CASE WHEN e.start_day > c.wk THEN e.need_from ELSE c.need END) AS need,"
        " COUNT(DISTINCT CASE WHEN c.working = 1 THEN a.activity_date END) AS days,"
        " MAX(CASE WHEN c.working = 1 AND " + IS_VERIFIED + " AND " + verified + " <= cl.deadline"
        " THEN 1 ELSE 0 END) AS engaged,"
        " COUNT(*) AS n, SUM(CASE WHEN " + IS_VERIFIED + " THEN 1 ELSE 0 END) AS verified"
        f" FROM activity a JOIN emp e ON e.id = a.employee AND {COUNTED}"
        " JOIN cal c ON c.day = " + ad + ""
        " LEFT JOIN cal cl ON cl.day = " + logged + ""
        " WHERE " + ad + " >= {} AND " + ad + " <= {}"
        " AND a.activity_date >= e.start_day AND e.first_wk <= c.wk"
        " GROUP BY a.employee, e.opd, c.wk)"
        " SELECT ew.opd AS opd_id, ew.wk AS week,"
        " SUM(ew.n) AS activities, SUM(ew.verified) AS verified,"
        " SUM(CASE WHEN ew.need > 0 AND ew.days >= ew.need THEN 1 ELSE 0 END)"
        " AS weekly_active_all,"
        " SUM(CASE WHEN ew.need > 0 AND ew.days >= ew.need AND st.day <= ew.wk_end"
        " THEN 1 ELSE 0 END) AS weekly_active,"
        " SUM(CASE WHEN ew.need > 0 AND ew.days >= ew.need AND st.day <= ew.wk_end"
        " AND ew.engaged = 1 THEN 1 ELSE 0 END) AS engaged"
        " FROM ew LEFT JOIN started st ON st.emp = ew.emp"
        " GROUP BY ew.opd, ew.wk"
    )
    args = [cal, *emp_args, start, end]
    return await _raw(sql, args)


async def _latency(scope: Scope, start: date, end: date, cal: str) -> list[dict[str, Any]]:
    emp, emp_args = _emp_cte(scope)
    d = _days(_local_date("a.logged_at"), "a.activity_date")
    ad = _activity_day(start, end)
    lat = (
        "lat AS (SELECT e.opd AS opd_id, c.wk AS week,"  # noqa: S608 - fixed SQL, values bound
        f" CASE WHEN {d} < 0 THEN 0 ELSE {d} END AS d"
        f" FROM activity a JOIN emp e ON e.id = a.employee AND {COUNTED}"
        " JOIN cal c ON c.day = " + ad + ""
        " WHERE " + ad + " >= {} AND " + ad + " <= {}"
        " AND a.activity_date >= e.start_day AND e.first_wk <= c.wk)"
    )
    if is_sqlite():
        # Latencies are whole days: count each value per group, then find the middle one or
        # two values with running totals (window functions over the small histogram).
        select = (
            ", hist AS (SELECT opd_id, week, d, COUNT(*) AS n FROM lat GROUP BY opd_id, week, d),"
            " run AS (SELECT opd_id, week, d,"
            " SUM(n) OVER (PARTITION BY opd_id, week ORDER BY d) AS cum,"
            " SUM(n) OVER (PARTITION BY opd_id, week) AS total FROM hist)"
            " SELECT opd_id, week,"
            " (MIN(CASE WHEN cum >= (total + 1) / 2 THEN d END)"
            " + MIN(CASE WHEN cum >= total / 2 + 1 THEN d END)) / 2.0 AS median"
            " FROM run GROUP BY opd_id, week"
        )
    else:
        select = (
            " SELECT opd_id, week, percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS median"
            " FROM lat GROUP BY opd_id, week"
        )
    sql = "WITH " + _cal_cte() + ", " + emp + ", " + lat + select
    return await _raw(sql, [cal, *emp_args, start, end])


async def funnel_rows(scope: Scope, start: date, end: date) -> list[FunnelRow]:
    """The funnel of every OPD in scope for each ISO week overlapping ``start``..``end``.

    The range is widened to whole weeks. Weeks without any working day are left out.
    """
    start = metrics.week_start(start)
    end = metrics.week_start(end) + timedelta(days=6)
    cal = calendar_json(start, end + timedelta(days=VERIFY_SLACK_DAYS))
    population = await _population(scope, start, end, cal)
    facts = {
        (r["opd_id"], _as_date(r["week"])): r for r in await _activity_facts(scope, start, end, cal)
    }
    latency = {
        (r["opd_id"], _as_date(r["week"])): r["median"]
        for r in await _latency(scope, start, end, cal)
    }
    rows = []
    for p in population:
        key = (p["opd_id"], _as_date(p["week"]))
        f = facts.get(key, {})
        median = latency.get(key)
        rows.append(
            FunnelRow(
                opd_id=int(p["opd_id"]),
                week=key[1],
                counts=FunnelCounts(
                    employees=int(p["employees"]),
                    invited=int(p["invited"] or 0),
                    attended=int(p["attended"] or 0),
                    started=int(p["started"] or 0),
                    weekly_active=int(f.get("weekly_active") or 0),
                    engaged=int(f.get("engaged") or 0),
                    weekly_active_all=int(f.get("weekly_active_all") or 0),
                    activities=int(f.get("activities") or 0),
                    verified=int(f.get("verified") or 0),
                    median_latency_days=None if median is None else float(median),
                ),
            )
        )
    rows.sort(key=lambda r: (r.week, r.opd_id))
    return rows


# --- the funnel from the maintained aggregates (issue 22) ----------------------------------------


async def _people(scope: Scope) -> list[dict[str, Any]]:
    """Per employee in scope: OPD, first counted week, first invitation, attendance, start."""
    where, args = _scope_clause(scope)
    sql = (
        "WITH " + _first_days_ctes() + ""  # noqa: S608 - fixed SQL, values bound
        " SELECT e.opd AS opd_id, f.first_wk, r.day AS invited, t.day AS attended,"
        " CASE WHEN t.day IS NOT NULL THEN f.started_wk END AS started"
        " FROM employee e JOIN adoption_employee_fact f ON f.employee = e.id"
        " LEFT JOIN reach r ON r.emp = e.id LEFT JOIN att t ON t.emp = e.id"
        " WHERE " + where
    )
    return await _raw(sql, args)


def _population_from(
    people: list[dict[str, Any]], mondays: list[date]
) -> dict[tuple[int, date], dict[str, int]]:
    """Eligible, invited, attended and started employees per OPD and week (cumulative).

    Each employee counts in a stage from the later of their first counted week and the week
    they reached the stage; a running sum over the weeks gives the cumulative counts.
    """
    stages = ("employees", "invited", "attended", "started")
    since: dict[tuple[int, int, date], int] = {}
    for p in people:
        first = _as_date(p["first_wk"])
        opd = int(p["opd_id"])
        since[opd, 0, first] = since.get((opd, 0, first), 0) + 1
        for i, day in ((1, p["invited"]), (2, p["attended"]), (3, p["started"])):
            if day is not None:
                key = (opd, i, max(first, metrics.week_start(_as_date(day))))
                since[key] = since.get(key, 0) + 1
    steps: dict[int, list[list[int]]] = {}
    for (opd, i, monday), n in since.items():
        by_stage = steps.setdefault(opd, [[0] * (len(mondays) + 1) for _ in stages])
        by_stage[i][bisect.bisect_left(mondays, monday)] += n
    out: dict[tuple[int, date], dict[str, int]] = {}
    for opd_id, by_stage in steps.items():
        running = [0] * len(stages)
        for w, monday in enumerate(mondays):
            for i in range(len(stages)):
                running[i] += by_stage[i][w]
            if running[0] and active_threshold(monday) > 0:
                out[opd_id, monday] = dict(zip(stages, running, strict=True))
    return out


async def _week_sums(scope: Scope, start: date, end: date) -> list[dict[str, Any]]:
    where, args = _scope_clause(scope)
    started = "f.started_wk <= w.wk"
    lat = ", ".join(f"SUM(w.lat{d}) AS lat{d}" for d in range(7))
    sql = (
        "SELECT e.opd AS opd_id, w.wk AS week, SUM(w.activities) AS activities,"  # noqa: S608 - fixed SQL, values bound
        " SUM(w.verified) AS verified, SUM(w.active) AS weekly_active_all,"
        f" SUM(CASE WHEN w.active = 1 AND {started} THEN 1 ELSE 0 END) AS weekly_active,"
        f" SUM(CASE WHEN w.active = 1 AND {started} AND w.engaged = 1 THEN 1 ELSE 0 END)"
        f" AS engaged, {lat}"
        " FROM adoption_employee_week w JOIN employee e ON e.id = w.employee"
        " LEFT JOIN adoption_employee_fact f ON f.employee = w.employee"
        " WHERE " + where + " AND w.wk >= {} AND w.wk <= {}"
        " GROUP BY e.opd, w.wk"
    )
    return await _raw(sql, [*args, start, end])


async def _latency_tail(scope: Scope, start: date, end: date) -> list[dict[str, Any]]:
    where, args = _scope_clause(scope)
    sql = (
        "SELECT e.opd AS opd_id, t.wk AS week, t.d, SUM(t.n) AS n"  # noqa: S608 - fixed SQL, values bound
        " FROM adoption_latency_tail t JOIN employee e ON e.id = t.employee"
        " WHERE " + where + " AND t.wk >= {} AND t.wk <= {}"
        " GROUP BY e.opd, t.wk, t.d"
    )
    return await _raw(sql, [*args, start, end])


def _histogram_median(histogram: dict[int, int]) -> float | None:
    """The median of whole-day values given as value -> count (as :func:`metrics.median`)."""
    total = sum(histogram.values())
    if total == 0:
        return None
    lower, upper = (total - 1) // 2, total // 2  # positions of the middle value(s), from 0
    seen = 0
    low: int | None = None
    for value in sorted(histogram):
        seen += histogram[value]
        if low is None and seen > lower:
            low = value
        if seen > upper:
            return (low + value) / 2 if low is not None else float(value)
    return None  # unreachable: seen reaches total > upper


async def funnel_rows_from_aggregates(scope: Scope, start: date, end: date) -> list[FunnelRow]:
    """:func:`funnel_rows` read from the maintained aggregates (:mod:`.aggregates`).

    The same rows, from at most one row per employee and week instead of every activity; the
    caller repairs stale employees first (``aggregates.repair``).
    """
    start = metrics.week_start(start)
    end = metrics.week_start(end) + timedelta(days=6)
    mondays = metrics.weeks_between(start, end)
    reads = (_people(scope), _week_sums(scope, start, mondays[-1]))
    if in_transaction():  # one connection: one statement at a time
        people, week_sums = [await r for r in reads]
    else:  # two pooled connections: the database sums while the other rows arrive
        people, week_sums = await asyncio.gather(*reads)
    population = _population_from(people, mondays)
    sums = {(int(r["opd_id"]), _as_date(r["week"])): r for r in week_sums}
    hist: dict[tuple[int, date], dict[int, int]] = {}
    for key, r in sums.items():
        hist[key] = {d: int(r[f"lat{d}"] or 0) for d in range(7) if r[f"lat{d}"]}
    for r in await _latency_tail(scope, start, mondays[-1]):
        key = (int(r["opd_id"]), _as_date(r["week"]))
        hist.setdefault(key, {})[int(r["d"])] = int(r["n"])
    rows = []
    for key, p in sorted(population.items(), key=lambda item: (item[0][1], item[0][0])):
        f = sums.get(key, {})
        rows.append(
            FunnelRow(
                opd_id=key[0],
                week=key[1],
                counts=FunnelCounts(
                    employees=p["employees"],
                    invited=p["invited"],
                    attended=p["attended"],
                    started=p["started"],
                    weekly_active=int(f.get("weekly_active") or 0),
                    engaged=int(f.get("engaged") or 0),
                    weekly_active_all=int(f.get("weekly_active_all") or 0),
                    activities=int(f.get("activities") or 0),
                    verified=int(f.get("verified") or 0),
                    median_latency_days=_histogram_median(hist.get(key, {})),
                ),
            )
        )
    return rows


# --- maintaining the aggregates (portal.adoption.services.aggregates) -----------------------------

LOCK_SPACE = 22  # first key of the advisory locks (pg_advisory_xact_lock(int, int))


async def agg_lock(employee_ids: Sequence[int]) -> None:
    """Serialise writers of the same employees' rows until the transaction ends (PostgreSQL).

    Locks are taken in id order, so two writers never wait for each other in a circle.
    """
    if is_sqlite() or not employee_ids:
        return  # SQLite has one writer at a time
    await _raw(
        f"SELECT pg_advisory_xact_lock({LOCK_SPACE}, CAST(x AS integer))"  # noqa: S608 - fixed SQL, values bound
        " FROM unnest(CAST({} AS bigint[])) AS x ORDER BY x",
        [sorted(set(employee_ids))],
    )


async def agg_start_days(employee_ids: Sequence[int]) -> dict[int, date]:
    """Each employee's start day (``hired_on``, else the local day the record was created)."""
    clause, args = _in("e.id", employee_ids)
    start = f"COALESCE(e.hired_on, {_local_date('e.created_at')})"
    rows = await _raw(
        f"SELECT e.id, {start} AS start_day FROM employee e WHERE {clause}",  # noqa: S608 - fixed SQL, values bound
        args,
    )
    return {int(r["id"]): _as_date(r["start_day"]) for r in rows}


async def agg_stored_starts(employee_ids: Sequence[int]) -> dict[int, date]:
    """The start day each employee's aggregates were computed with (none: never computed)."""
    clause, args = _in("f.employee", employee_ids)
    rows = await _raw(
        f"SELECT f.employee, f.start_on FROM adoption_employee_fact f WHERE {clause}",  # noqa: S608 - fixed SQL, values bound
        args,
    )
    return {int(r["employee"]): _as_date(r["start_on"]) for r in rows}


async def agg_started(employee_ids: Sequence[int]) -> dict[int, tuple[date, date | None]]:
    """Per attended employee: first attendance day and first log on or after it."""
    clause, args = _in("a.employee", employee_ids)
    day = _local_date("s.starts_at")
    logged = _local_date("x.logged_at")
    rows = await _raw(
        "WITH att AS (SELECT a.employee AS emp, MIN(" + day + ") AS day"  # noqa: S608 - fixed SQL, values bound
        " FROM adoption_attendance a JOIN adoption_session s ON s.id = a.session"
        " WHERE " + clause + " GROUP BY a.employee)"
        " SELECT att.emp, att.day, (SELECT MIN(" + logged + ") FROM activity x"
        " WHERE x.employee = att.emp AND " + COUNTED.replace("a.", "x.") + ""
        " AND " + logged + " >= att.day) AS started FROM att",
        args,
    )
    return {
        int(r["emp"]): (
            _as_date(r["day"]),
            None if r["started"] is None else _as_date(r["started"]),
        )
        for r in rows
    }


async def agg_activities(
    employee_ids: Sequence[int], lo: date | None, hi: date | None
) -> list[dict[str, Any]]:
    """The counted activities of employees (dated ``lo`` .. ``hi`` when given)."""
    if not employee_ids:
        return []
    clause, args = _in("a.employee", employee_ids)
    sql = (
        "SELECT a.employee AS emp, a.activity_date AS day,"  # noqa: S608 - fixed SQL, values bound
        f" {_local_date('a.logged_at')} AS logged, {_local_date('a.verified_at')} AS verified_on,"
        f" CASE WHEN {IS_VERIFIED} THEN 1 ELSE 0 END AS ok"
        f" FROM activity a WHERE {COUNTED} AND {clause}"
    )
    if lo is not None and hi is not None:
        sql += " AND a.activity_date >= {} AND a.activity_date <= {}"
        args += [lo, hi]
    return await _raw(sql, args)


async def agg_delete(
    table: str, employee_ids: Sequence[int], lo: date | None, hi: date | None
) -> None:
    """Delete rows of employees: all of them, or those of the weeks ``lo`` .. ``hi``."""
    if not employee_ids:
        return
    clause, args = _in("employee", employee_ids)
    sql = f"DELETE FROM {table} WHERE {clause}"  # noqa: S608 - fixed SQL, values bound
    if lo is not None and hi is not None:
        sql += " AND wk >= {} AND wk <= {}"
        args += [lo, hi]
    await _raw(sql, args)


async def agg_stale_employees(scope: Scope) -> tuple[list[int], list[int]]:
    """Employees in scope to recompute before reading: (whole, attendance only).

    Whole: no fact row, or another start day than the one stored. Attendance only: the first
    attendance day differs from the stored one (a check-in, a rescheduled or deleted session).
    """
    parts = ["e.active = {}"]
    args: list[Any] = [True]
    for column, values in (("e.opd", scope.opd_ids), ("e.unor", scope.unit_ids)):
        if values is not None:
            clause, more = _in(column, values)
            parts.append(clause)
            args += more
    start = f"COALESCE(e.hired_on, {_local_date('e.created_at')})"
    day = _local_date("s.starts_at")
    sql = (
        "WITH att AS (SELECT a.employee AS emp, MIN(" + day + ") AS day"  # noqa: S608 - fixed SQL, values bound
        " FROM adoption_attendance a JOIN adoption_session s ON s.id = a.session"
        " GROUP BY a.employee)"
        " SELECT e.id, CASE WHEN f.employee IS NULL OR f.start_on <> " + start + ""
        " THEN 1 ELSE 0 END AS whole"
        " FROM employee e LEFT JOIN adoption_employee_fact f ON f.employee = e.id"
        " LEFT JOIN att t ON t.emp = e.id"
        " WHERE " + " AND ".join(parts) + " AND (f.employee IS NULL OR f.start_on <> " + start + ""
        " OR f.att_on <> t.day OR (f.att_on IS NULL) <> (t.day IS NULL))"
    )
    rows = await _raw(sql, args)
    whole = [int(r["id"]) for r in rows if int(r["whole"])]
    attendance = [int(r["id"]) for r in rows if not int(r["whole"])]
    return whole, attendance


async def agg_all_employees() -> list[int]:
    """Every employee id, in order."""
    return [int(r["id"]) for r in await _raw("SELECT id FROM employee ORDER BY id", [])]


# --- cohorts by session day ----------------------------------------------------------------------


async def cohort_rows(
    program_id: int, today: date, opd_ids: Sequence[int] | None = None
) -> list[CohortRow]:
    """Cohorts of a program, grouped by the day of each member's first session of it.

    Members are everyone the program reached (in ``opd_ids`` when given).
    """
    bounds = await _raw(
        "SELECT MIN(" + _local_date("s.starts_at") + ") AS first,"  # noqa: S608 - fixed SQL, values bound
        " MAX(" + _local_date("s.starts_at") + ") AS last"
        " FROM adoption_session s WHERE s.program = {}",
        [program_id],
    )
    if not bounds or bounds[0]["first"] is None:
        return []
    first, last = _as_date(bounds[0]["first"]), _as_date(bounds[0]["last"])
    window = metrics.RETENTION_WEEKS + 1
    cal_end = max(metrics.week_start(last) + timedelta(days=7 * window + VERIFY_SLACK_DAYS), first)
    cal = calendar_json(metrics.week_start(first), cal_end)
    logged = _local_date("a.logged_at")
    verified = _local_date("a.verified_at")
    program_filter = "AND s.program = {}"
    opd_clause, opd_args = _in("e.opd", opd_ids) if opd_ids is not None else ("1 = 1", [])
    sql = (
        "WITH " + _cal_cte() + ", " + _first_days_ctes(program_filter) + ","  # noqa: S608 - fixed SQL, values bound
        " members AS (SELECT r.emp, r.day AS cohort_day, t.day AS att_day"
        " FROM reach r JOIN employee e ON e.id = r.emp LEFT JOIN att t ON t.emp = r.emp"
        " WHERE " + opd_clause + "),"  # noqa: S608 - fixed SQL, values bound
        " started AS (SELECT m.emp FROM members m"
        f" JOIN activity a ON a.employee = m.emp AND {COUNTED}"
        " WHERE " + logged + " >= m.att_day GROUP BY m.emp),"
        " post AS (SELECT m.emp, c.wkno - ca.wkno AS k,"
        " COUNT(DISTINCT a.activity_date) AS days, MAX(c.need) AS need,"
        " MAX(CASE WHEN " + IS_VERIFIED + " AND " + verified + " <= cl.deadline"
        " THEN 1 ELSE 0 END) AS engaged"
        " FROM members m JOIN cal ca ON ca.day = m.att_day"
        f" JOIN activity a ON a.employee = m.emp AND {COUNTED}"
        " JOIN cal c ON c.day = a.activity_date AND c.working = 1"
        " LEFT JOIN cal cl ON cl.day = " + logged + ""
        " WHERE c.wkno > ca.wkno AND c.wkno <= ca.wkno + {}"
        " GROUP BY m.emp, c.wkno - ca.wkno),"
        " active AS (SELECT emp, k, engaged FROM post WHERE need > 0 AND days >= need)"
        " SELECT m.cohort_day, NULL AS k, COUNT(DISTINCT m.emp) AS members,"
        " COUNT(DISTINCT CASE WHEN m.att_day IS NOT NULL THEN m.emp END) AS attended,"
        " COUNT(DISTINCT s.emp) AS started,"
        " COUNT(DISTINCT CASE WHEN ac.k <= {} THEN ac.emp END) AS weekly_active,"
        " COUNT(DISTINCT CASE WHEN ac.k <= {} AND ac.engaged = 1 THEN ac.emp END) AS engaged"
        " FROM members m LEFT JOIN started s ON s.emp = m.emp"
        " LEFT JOIN active ac ON ac.emp = m.emp"
        " GROUP BY m.cohort_day"
        " UNION ALL"
        " SELECT m.cohort_day, ac.k, COUNT(*), 0, 0, 0, 0"
        " FROM members m JOIN active ac ON ac.emp = m.emp GROUP BY m.cohort_day, ac.k"
    )
    args = [
        cal,
        program_id,
        program_id,
        program_id,
        *opd_args,
        metrics.RETENTION_WEEKS,
        metrics.ACTIVE_WINDOW_WEEKS,
        metrics.ACTIVE_WINDOW_WEEKS,
    ]
    rows = await _raw(sql, args)
    return _cohorts(rows, today)


def _cohorts(rows: list[dict[str, Any]], today: date) -> list[CohortRow]:
    heads = {_as_date(r["cohort_day"]): r for r in rows if r["k"] is None}
    by_week: dict[date, dict[int, int]] = {}
    for r in rows:
        if r["k"] is not None:
            by_week.setdefault(_as_date(r["cohort_day"]), {})[int(r["k"])] = int(r["members"])
    out = []
    for day in sorted(heads):
        r = heads[day]
        weeks = by_week.get(day, {})
        out.append(
            CohortRow(
                session_day=day,
                counts=CohortCounts(
                    members=int(r["members"]),
                    attended=int(r["attended"]),
                    started=int(r["started"]),
                    weekly_active=int(r["weekly_active"] or 0),
                    engaged=int(r["engaged"] or 0),
                    active_by_week=tuple(
                        weeks.get(k, 0) for k in range(1, metrics.RETENTION_WEEKS + 1)
                    ),
                ),
                weeks_observed=metrics.weeks_observed(day, today),
            )
        )
    return out


# --- surveys -------------------------------------------------------------------------------------


async def survey_cells(survey_ids: Sequence[int], *, by_unit: bool) -> list[SurveyCell]:
    """Answer sums per survey and OPD (and unit): aggregates only, never a response row."""
    clause, args = _in("r.survey", survey_ids)
    unit = ", r.unor" if by_unit else ""
    sql = (
        "SELECT r.survey AS survey_id, r.opd AS opd_id"  # noqa: S608 - fixed SQL, values bound
        + (", r.unor AS unit_id" if by_unit else "")
        + ", COUNT(*) AS n, SUM(r.comfort) AS comfort, SUM(r.stress) AS stress,"
        " SUM(r.understanding) AS understanding"
        " FROM adoption_survey_response r WHERE " + clause + " GROUP BY r.survey, r.opd" + unit
    )
    return [
        SurveyCell(
            survey_id=int(r["survey_id"]),
            opd_id=int(r["opd_id"]),
            unit_id=int(r["unit_id"]) if by_unit else None,
            sums=metrics.AnswerSums(
                int(r["n"]), int(r["comfort"]), int(r["stress"]), int(r["understanding"])
            ),
        )
        for r in await _raw(sql, args)
    ]


async def first_session_days() -> dict[int, date]:
    """Per OPD, the day of the first session any of its employees attended."""
    day = _local_date("s.starts_at")
    rows = await _raw(
        f"SELECT e.opd AS opd_id, MIN({day}) AS day FROM adoption_attendance a"  # noqa: S608 - fixed SQL, values bound
        " JOIN adoption_session s ON s.id = a.session"
        " JOIN employee e ON e.id = a.employee GROUP BY e.opd",
        [],
    )
    return {int(r["opd_id"]): _as_date(r["day"]) for r in rows}
