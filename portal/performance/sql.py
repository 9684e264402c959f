"""The performance domain's raw SQL: the hot reads, the aggregates and the locks.

The hot reads (every dashboard, every log) skip Piccolo's per-call select building: their
SELECT lists are composed once from the column tuples below, which the services' Piccolo
selects use too. Statements are built from fixed names and ``{}`` placeholders; lists are
bound as one parameter (:func:`portal.core.db.ids_match`). Rows come back as dicts; the
services map them to their row types.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from portal.core.db import (
    fetch_rows,
    get_engine,
    ids_match,
    ids_param,
    is_sqlite,
    row_columns,
    select_list,
    texts_param,
)
from portal.performance.enums import ActivityStatus, EvaluationStatus, PeriodKind
from portal.performance.rows import ActivityRow, IndicatorRow, PeriodRow, RhkRow, SkpRow
from portal.performance.tables import (
    Activity,
    Evaluation,
    IncentiveRule,
    Indicator,
    Period,
    Rhk,
    Skp,
)

SKP_COLUMNS = row_columns(Skp, SkpRow)
RHK_COLUMNS = row_columns(Rhk, RhkRow)
INDICATOR_COLUMNS = row_columns(Indicator, IndicatorRow)
PERIOD_COLUMNS = row_columns(Period, PeriodRow)
ACTIVITY_COLUMNS = row_columns(Activity, ActivityRow)
RHK_COLUMNS = row_columns(Rhk, RhkRow)

_SKP_SELECT = "SELECT " + select_list(*SKP_COLUMNS) + ' FROM "skp"'  # noqa: S608 - fixed SQL
_RHK_SELECT = "SELECT " + select_list(*RHK_COLUMNS) + ' FROM "rhk"'  # noqa: S608 - fixed SQL
_INDICATOR_SELECT = "SELECT " + select_list(*INDICATOR_COLUMNS) + ' FROM "indicator"'  # noqa: S608 - fixed SQL
_PERIOD_SELECT = "SELECT " + select_list(*PERIOD_COLUMNS) + ' FROM "period"'  # noqa: S608 - fixed SQL
_WITHDRAWN = f"'{ActivityStatus.WITHDRAWN.value}'"  # withdrawn activities count nowhere
_ACTIVITY_SELECT = "SELECT " + select_list(*ACTIVITY_COLUMNS) + ' FROM "activity"'  # noqa: S608 - fixed SQL
Rows = list[dict[str, Any]]


async def skp_of(employee_id: int, period_id: int) -> Rows:
    """The employee's active SKP of an annual period (zero or one row; see mutasi)."""
    rows: Rows = await Skp.raw(
        f'{_SKP_SELECT} WHERE "skp"."employee" = {{}} AND "skp"."period" = {{}}'
        ' AND "skp"."served_until" IS NULL',
        employee_id,
        period_id,
    )
    return rows


async def skps_of_employees(employee_ids: Sequence[int], period_id: int) -> Rows:
    """Active SKPs of many employees for one annual period."""
    match = ids_match('"skp"."employee"')
    rows: Rows = await Skp.raw(
        f'{_SKP_SELECT} WHERE {match} AND "skp"."period" = {{}} AND "skp"."served_until" IS NULL',
        ids_param(employee_ids),
        period_id,
    )
    return rows


async def indicators_of_skps(skp_ids: Sequence[int]) -> Rows:
    """Indicators of the SKPs."""
    match = ids_match('"indicator"."skp"')
    rows: Rows = await Indicator.raw(f"{_INDICATOR_SELECT} WHERE {match}", ids_param(skp_ids))
    return rows


async def rhks_of_skps(skp_ids: Sequence[int]) -> list[RhkRow]:
    """RHKs of the SKPs (in no order), each row read as a tuple straight into its row type."""
    match = ids_match('"rhk"."skp"')
    rows = await fetch_rows(f"{_RHK_SELECT} WHERE {match}", ids_param(skp_ids))
    return [RhkRow(*row) for row in rows]


async def indicators_of_rhks(rhk_ids: Sequence[int]) -> list[IndicatorRow]:
    """Indicators of the RHKs (in no order), read as :func:`rhks_of_skps` reads RHKs."""
    match = ids_match('"indicator"."rhk"')
    rows = await fetch_rows(f"{_INDICATOR_SELECT} WHERE {match}", ids_param(rhk_ids))
    return [IndicatorRow(*row) for row in rows]


async def annual_period_on(on: date) -> Rows:
    """The annual period covering ``on`` (zero or one row)."""
    rows: Rows = await Period.raw(
        f'{_PERIOD_SELECT} WHERE "period"."kind" = {{}} AND "period"."starts_on" <= {{}} '
        'AND "period"."ends_on" >= {}',
        PeriodKind.ANNUAL.value,
        on,
        on,
    )
    return rows


def _prefixed(columns: Sequence[Any], prefix: str) -> str:
    """``select_list`` of ``columns`` with every alias prefixed (one joined read of many tables)."""
    return select_list(*columns).replace(' AS "', f' AS "{prefix}')


# The year of a day and an employee's SKP tree in it, one joined read: a row per (indicator,
# activity status) of the active SKP's indicators (an RHK without indicators, an SKP without
# RHKs, or a year without an SKP still gives one row), with the activities of the progress
# window (the year's first day to the day: the year covers it) tallied per status. The tables'
# primary keys are grouped, so every other column of theirs may be selected (both engines).
_YEAR_TREE = (
    f"SELECT {_prefixed(PERIOD_COLUMNS, 'p_')}, {_prefixed(SKP_COLUMNS, 's_')},"  # noqa: S608 - fixed SQL, values bound
    f" {_prefixed(RHK_COLUMNS, 'r_')}, {_prefixed(INDICATOR_COLUMNS, 'i_')},"
    ' "activity"."status" AS "t_status", SUM("activity"."quantity") AS "t_quantity",'
    ' COUNT("activity"."id") AS "t_n" FROM "period"'
    ' LEFT JOIN "skp" ON "skp"."period" = "period"."id" AND "skp"."employee" = {}'
    ' AND "skp"."served_until" IS NULL'
    ' LEFT JOIN "rhk" ON "rhk"."skp" = "skp"."id"'
    ' LEFT JOIN "indicator" ON "indicator"."rhk" = "rhk"."id"'
    ' LEFT JOIN "activity" ON "activity"."indicator" = "indicator"."id"'
    ' AND "activity"."activity_date" >= "period"."starts_on" AND "activity"."activity_date" <= {}'
    ' WHERE "period"."kind" = {} AND "period"."starts_on" <= {} AND "period"."ends_on" >= {}'
    ' GROUP BY "period"."id", "skp"."id", "rhk"."id", "indicator"."id", "activity"."status"'
)


async def year_tree(employee_id: int, on: date) -> Rows:
    """The year covering ``on`` with the employee's SKP tree in it (see ``_YEAR_TREE``).

    The annual period joined to the employee's active SKP of it, its RHKs, indicators and their
    activities from the year's start to ``on``. Columns are the row types' prefixed ``p_``
    (period), ``s_`` (SKP), ``r_`` (RHK) and ``i_`` (indicator); ``t_status``, ``t_quantity``
    and ``t_n`` tally one activity status.
    """
    rows: Rows = await Period.raw(_YEAR_TREE, employee_id, on, PeriodKind.ANNUAL.value, on, on)
    return rows


async def periods_meeting(first: date, last: date) -> Rows:
    """Every period whose dates meet the range ``first``..``last``."""
    rows: Rows = await Period.raw(
        f'{_PERIOD_SELECT} WHERE "period"."starts_on" <= {{}} AND "period"."ends_on" >= {{}}',
        last,
        first,
    )
    return rows


async def activities_by_ids(ids: Sequence[int]) -> Rows:
    """Activities of ``ids`` (in no order)."""
    match = ids_match('"activity"."id"')
    rows: Rows = await Activity.raw(f"{_ACTIVITY_SELECT} WHERE {match}", ids_param(ids))
    return rows


async def activities_by_keys(employee_id: int, keys: set[str]) -> Rows:
    """The employee's activities logged under any of the idempotency ``keys``."""
    match = ids_match('"activity"."idempotency_key"', "text")
    rows: Rows = await Activity.raw(
        f'{_ACTIVITY_SELECT} WHERE "activity"."employee" = {{}} AND {match}',
        employee_id,
        texts_param(keys),
    )
    return rows


async def tally_rows(indicator_ids: Sequence[int], start: date, end: date) -> Rows:
    """Quantity and count of activities per indicator and status over a date range."""
    match = ids_match('"indicator"')
    rows: Rows = await Activity.raw(
        'SELECT "indicator" AS "indicator_id", "status", SUM("quantity") AS "quantity", '  # noqa: S608 - fixed SQL, values bound
        f'COUNT(*) AS "n" FROM "activity" WHERE {match} AND "activity_date" >= {{}} '
        'AND "activity_date" <= {} GROUP BY "indicator", "status"',
        ids_param(indicator_ids),
        start,
        end,
    )
    return rows


async def pending_counts(employee_ids: Sequence[int]) -> Rows:
    """Activities waiting for verification, per employee."""
    # the status literal (a fixed enum value) lets PostgreSQL use the partial pending index
    rows: Rows = await Activity.raw(
        'SELECT "employee" AS "employee_id", COUNT(*) AS "n" FROM "activity" WHERE '  # noqa: S608 - fixed SQL, values bound
        + ids_match('"employee"')
        + f' AND "status" = \'{ActivityStatus.SUBMITTED.value}\' GROUP BY "employee"',
        ids_param(employee_ids),
    )
    return rows


async def last_activity_dates(employee_ids: Sequence[int]) -> Rows:
    """The latest activity date of each employee (text on SQLite)."""
    rows: Rows = await Activity.raw(
        'SELECT "employee" AS "employee_id", MAX("activity_date") AS "last" FROM "activity" '  # noqa: S608 - fixed SQL, values bound
        "WHERE "
        + ids_match('"employee"')
        + ' AND "status" <> '
        + _WITHDRAWN
        + ' GROUP BY "employee"',
        ids_param(employee_ids),
    )
    return rows


async def lock_incentive_rules() -> None:
    """Serialise replacements of the incentive table (PostgreSQL; SQLite has one writer)."""
    if not is_sqlite():
        await IncentiveRule.raw("LOCK TABLE incentive_rule IN SHARE ROW EXCLUSIVE MODE")


_LATEST_EVALUATIONS = (
    'WITH "latest" AS (SELECT "evaluation"."id" AS "id", "evaluation"."employee" AS "employee_id",'
    ' "evaluation"."perilaku_rating" AS "perilaku_rating", "period"."name" AS "period_name",'
    ' ROW_NUMBER() OVER (PARTITION BY "evaluation"."employee"'
    ' ORDER BY "period"."ends_on" DESC, "evaluation"."id" DESC) AS "position"'
    ' FROM "evaluation" LEFT JOIN "period" ON "period"."id" = "evaluation"."period"'
    ' WHERE {match} AND "evaluation"."status" = {{}})'
    ' SELECT l."employee_id", l."perilaku_rating", l."period_name",'
    ' b."value", b."rating", b."note" FROM "latest" l'
    ' LEFT JOIN "evaluation_behaviour" b ON b."evaluation" = l."id"'
    ' WHERE l."position" = 1'
)


async def latest_final_behaviour(employee_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Rows of each employee's latest FINAL evaluation joined to its behaviour lines."""
    sql = _LATEST_EVALUATIONS.format(match=ids_match('"evaluation"."employee"'))
    rows: list[dict[str, Any]] = await Evaluation.raw(
        sql, ids_param(employee_ids), EvaluationStatus.FINAL.value
    )
    return rows


_COPY_ACTIVITIES = (
    "SELECT employee, activity_date, (extract(epoch FROM logged_at) * 1000000)::int8, status, "  # noqa: S608 - fixed SQL
    f"quantity, duration_minutes FROM activity WHERE status <> {_WITHDRAWN}"
)


async def activities_csv(first: date | None, until: date | None) -> bytes:
    """Activities with ``first <= activity_date < until`` as CSV through COPY (PostgreSQL only).

    Columns: employee, activity_date, logged_at (microseconds since the epoch), status,
    quantity, duration_minutes; no header. Inside a transaction it reads what that sees.
    """
    engine: Any = get_engine()
    clauses, args = [], []
    for bound, clause in ((first, "activity_date >= ${}"), (until, "activity_date < ${}")):
        if bound is not None:
            args.append(bound)
            clauses.append(clause.format(len(args)))
    statement = _COPY_ACTIVITIES + "".join(" AND " + c for c in clauses)
    buffer = io.BytesIO()
    current = engine.current_transaction.get()
    if current is not None:
        await current.connection.copy_from_query(statement, *args, output=buffer, format="csv")
    elif engine.pool is not None:
        async with engine.pool.acquire() as connection:
            await connection.copy_from_query(statement, *args, output=buffer, format="csv")
    else:
        connection = await engine.get_new_connection()
        try:
            await connection.copy_from_query(statement, *args, output=buffer, format="csv")
        finally:
            await connection.close()
    return buffer.getvalue()
