"""The people domain's raw SQL, and the shared recursive queries every domain reuses.

The supervisor chain (:func:`subordinate_ids`) and the unit subtree (:func:`unit_subtree_ids`,
:func:`unit_subtree_cte`) are written once, here; other domains compose them instead of
repeating ``WITH RECURSIVE``. Statements are built from fixed names and ``{}`` placeholders only:
every value is bound (lists as one parameter, :func:`portal.core.db.ids_match`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from portal.core.db import ids_match, ids_param, is_sqlite, row_columns, select_list, texts_param
from portal.people.rows import EmployeeRow
from portal.people.tables import Employee

EMPLOYEE_COLUMNS = row_columns(Employee, EmployeeRow)
"""Every column of :class:`EmployeeRow`, for Piccolo selects."""

_ACTIVE = True  # bound, as the boolean column stores it on either engine

# composed once for the hot raw reads (see portal.core.db.select_list)
_SELECT = "SELECT " + select_list(*EMPLOYEE_COLUMNS) + ' FROM "employee"'  # noqa: S608 - fixed SQL, values bound


def employee(row: dict[str, Any]) -> EmployeeRow:
    """An :class:`EmployeeRow` from a row of :data:`EMPLOYEE_COLUMNS`."""
    return EmployeeRow(**row)


_ACTING_PRINCIPALS = (
    'SELECT "principal" FROM "acting_appointment" WHERE "acting" = {}'
    ' AND "starts_on" <= {} AND "ends_on" >= {} AND "revoked_at" IS NULL'
)
"""The principals an employee acts for (Plt/Plh) on a date: employee, date, date."""


async def subordinate_ids(employee_id: int, on: date | None = None) -> frozenset[int]:
    """Every direct and indirect subordinate of ``employee_id`` (one recursive query).

    With ``on``, also those of every principal the employee acts for (Plt/Plh) that day, never
    the employee themself (a Plh is often one of the principal's own staff).
    """
    # PostgreSQL guesses ten rows per level and answered the plain join with a hash join over
    # the whole employee table (14 ms for 66 subordinates on the 13 000-employee bench city);
    # the LATERAL lookup (OFFSET 0 keeps it from being flattened into that join) walks the
    # supervisor index instead (3 ms). SQLite has no LATERAL and walks the index anyway.
    step = (
        "SELECT e.id FROM employee e JOIN sub ON e.supervisor = sub.id"
        if is_sqlite()
        else "SELECT e.id FROM sub CROSS JOIN LATERAL"
        " (SELECT id FROM employee WHERE supervisor = sub.id OFFSET 0) e"
    )
    if on is None:
        seed = "SELECT id FROM employee WHERE supervisor = {}"
        params: list[int | date] = [employee_id]
    else:
        # Two index scans, not "supervisor = x OR supervisor IN (...)": PostgreSQL answers that
        # OR with a scan of the whole employee table (3.6 ms against 0.3 ms on the 13 000-
        # employee bench city, for every supervisor's request that reads its team).
        seed = (
            "SELECT id FROM employee WHERE supervisor = {}"  # noqa: S608 - fixed SQL, values bound
            " UNION SELECT id FROM employee WHERE supervisor IN (" + _ACTING_PRINCIPALS + ")"
        )
        params = [employee_id, employee_id, on, on]
    rows = await Employee.raw(
        "WITH RECURSIVE sub(id) AS ("  # noqa: S608 - fixed SQL, values bound
        f" {seed} UNION {step}"
        ") SELECT id FROM sub WHERE id <> {}",
        *params,
        employee_id,
    )
    return frozenset(r["id"] for r in rows)


async def acting_principal_ids(employee_id: int, on: date) -> frozenset[int]:
    """The principals ``employee_id`` acts for (Plt/Plh) on ``on``."""
    rows = await Employee.raw(_ACTING_PRINCIPALS, employee_id, on, on)
    return frozenset(int(r["principal"]) for r in rows)


def unit_subtree_cte(name: str = "sub") -> str:
    """``name(id) AS (…)``: a unit (one ``{}`` parameter) and every unit below it.

    For a ``WITH RECURSIVE`` clause of a larger statement; :func:`unit_subtree_ids` runs it alone.
    """
    return (
        f"{name}(id) AS (SELECT id FROM unor WHERE id = {{}}"  # noqa: S608 - fixed SQL, values bound
        f" UNION SELECT u.id FROM unor u JOIN {name} ON u.parent = {name}.id)"
    )


async def unit_subtree_ids(unor_id: int) -> list[int]:
    """A unit and every unit below it, by id (one recursive query)."""
    sql = f"WITH RECURSIVE {unit_subtree_cte()} SELECT id FROM sub"  # noqa: S608 - fixed SQL
    rows = await Employee.raw(sql, unor_id)
    return sorted(int(r["id"]) for r in rows)


def employees_of_opds_sql() -> str:
    """``SELECT id FROM employee WHERE opd IN <one bound id list>`` (for ``x IN (…)``)."""
    return 'SELECT "employee"."id" FROM "employee" WHERE ' + ids_match('"employee"."opd"')  # noqa: S608 - fixed SQL, values bound


async def employees_by_ids(ids: Sequence[int]) -> list[EmployeeRow | None]:
    """Employees in the order of ``ids`` (None where missing); the dataloader's batch."""
    if not ids:
        return []
    match = ids_match('"employee"."id"')
    rows = await Employee.raw(f"{_SELECT} WHERE {match}", ids_param(ids))
    by_id = {r["id"]: employee(r) for r in rows}
    return [by_id.get(i) for i in ids]


async def direct_reports(supervisor_id: int) -> list[EmployeeRow]:
    """The direct reports of an employee, by id."""
    rows = await Employee.raw(
        f'{_SELECT} WHERE "employee"."supervisor" = {{}} ORDER BY "employee"."id"', supervisor_id
    )
    return [employee(r) for r in rows]


async def employees_in(ids: Iterable[int]) -> list[EmployeeRow]:
    """The employees of ``ids`` that exist, by id."""
    match = ids_match('"employee"."id"')
    rows = await Employee.raw(f'{_SELECT} WHERE {match} ORDER BY "employee"."id"', ids_param(ids))
    return [employee(r) for r in rows]


async def active_ids_in_units(unit_ids: Sequence[int]) -> list[int]:
    """Active employees placed in any of the units, by id."""
    rows = await Employee.raw(
        'SELECT "employee"."id" FROM "employee" WHERE "employee"."active" = {} AND '  # noqa: S608 - fixed SQL, values bound
        + ids_match('"employee"."unor"'),
        _ACTIVE,
        ids_param(unit_ids),
    )
    return sorted(int(r["id"]) for r in rows)


async def active_ids_by_nip(nips: Sequence[str]) -> dict[str, int]:
    """Active employees by NIP (unknown NIPs are absent)."""
    wanted = {n for n in nips if n}
    if not wanted:
        return {}
    rows = await Employee.raw(
        'SELECT "employee"."id", "employee"."nip" FROM "employee"'  # noqa: S608 - fixed SQL, values bound
        ' WHERE "employee"."active" = {} AND ' + ids_match('"employee"."nip"', "text"),
        _ACTIVE,
        texts_param(wanted),
    )
    return {str(r["nip"]): int(r["id"]) for r in rows}


def standing_columns(employee: str) -> str:
    """``opd``, ``active`` and ``leads`` of the employee row aliased ``employee``, as SQL columns.

    For a larger statement that joins the employee table (the session read of every
    authenticated request): the same standing as :func:`standing`, with one ``{}`` parameter
    (bind :data:`ACTIVE`) where the fragment stands.
    """
    return (
        f'{employee}."opd" AS standing_opd, {employee}."active" AS standing_active, EXISTS ('  # noqa: S608 - fixed SQL, values bound
        f' SELECT 1 FROM "employee" standing_report WHERE standing_report."supervisor" ='
        f' {employee}."id" AND standing_report."active" = {{}}) AS standing_leads'
    )


ACTIVE = _ACTIVE


def direct_reports_sql() -> str:
    """``SELECT id FROM employee WHERE supervisor = {}``: an employee's direct reports.

    For a larger statement (``x IN (…)``); one ``{}`` parameter, the supervisor's id.
    """
    return 'SELECT "id" FROM "employee" WHERE "supervisor" = {}'


"""The value to bind for :func:`standing_columns`' parameter."""


async def standing(employee_id: int) -> tuple[int, bool, bool] | None:
    """``(opd_id, active, has_active_subordinates)`` of one employee, in one statement."""
    rows = await Employee.raw(
        'SELECT "employee"."opd" AS opd, "employee"."active" AS active, EXISTS ('
        ' SELECT 1 FROM "employee" s WHERE s."supervisor" = "employee"."id" AND s."active" = {}'
        ') AS leads FROM "employee" WHERE "employee"."id" = {}',
        _ACTIVE,
        employee_id,
    )
    if not rows:
        return None
    row = rows[0]
    return int(row["opd"]), bool(row["active"]), bool(row["leads"])
