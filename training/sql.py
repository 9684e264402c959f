"""The training module's raw SQL: JP roll-ups and the at-risk list as single aggregates.

The rules inside the SQL are generated from :mod:`training.ledger`'s constants (the 20 JP right
:data:`~training.ledger.JP_RIGHT`, the at-risk rule of :func:`~training.ledger.is_at_risk`);
``tests/unit/training/test_ledger_sql.py`` checks that the SQL and the Python rule agree.
Statements are composed of fixed fragments and ``{}`` placeholders; every value is bound.
Which employees a statement covers comes in as an :class:`EmployeeScope` over the employee
table (alias ``e``), built by the service from the people domain's visibility and org tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from training.enums import AssignmentStatus, CourseMode
from training.ledger import JP_RIGHT, expected_by
from training.tables import Course


@dataclass(frozen=True, slots=True)
class EmployeeScope:
    """A condition on the employee table ``e``, and the recursive CTE it may need.

    ``cte`` is ``""`` or one ``name(id) AS (…)`` of a ``WITH RECURSIVE``; ``cte_params`` and
    ``params`` are bound to its placeholders and to those of ``where``, in that order.
    """

    where: str
    params: tuple[Any, ...] = ()
    cte: str = ""
    cte_params: tuple[Any, ...] = field(default=())


def _sum(mode: CourseMode, *statuses: AssignmentStatus) -> str:
    listed = ", ".join(f"'{s.value}'" for s in statuses)
    return (
        f"COALESCE(SUM(CASE WHEN a.status IN ({listed}) AND c.mode = '{mode.value}'"
        " THEN c.jp_hours ELSE 0 END), 0)"
    )


_DONE = (AssignmentStatus.COMPLETED,)
_PLANNED = (AssignmentStatus.ASSIGNED, AssignmentStatus.ENROLLED)

# Per-employee JP of one year (ck/cn: completed klasikal/nonklasikal, pk/pn: planned ones);
# {scope} narrows the employees; the year and the "active" flag are bound, in that order.
_PER_EMPLOYEE = (
    "SELECT e.id AS employee_id, e.opd AS opd_id, e.unor AS unor_id,"  # noqa: S608 - fixed SQL, values bound
    f" {_sum(CourseMode.KLASIKAL, *_DONE)} AS ck,"
    f" {_sum(CourseMode.NONKLASIKAL, *_DONE)} AS cn,"
    f" {_sum(CourseMode.KLASIKAL, *_PLANNED)} AS pk,"
    f" {_sum(CourseMode.NONKLASIKAL, *_PLANNED)} AS pn"
    " FROM employee e"
    " LEFT JOIN training_assignment a ON a.employee = e.id AND a.year = {}"
    " LEFT JOIN course c ON c.id = a.course"
    " WHERE e.active = {} AND ({scope})"
    " GROUP BY e.id, e.opd, e.unor"
)

REACHED = f"(ck + cn >= {JP_RIGHT})"
"""The 20 JP right is fulfilled (:attr:`training.ledger.Ledger.reached`)."""

AT_RISK = (
    f"(ck + cn < {JP_RIGHT} AND ck + cn + (pk + pn) * CAST({{}} AS INTEGER) < {JP_RIGHT}"
    " AND ck + cn < CAST({} AS DOUBLE PRECISION))"
)
""":func:`training.ledger.is_at_risk` on the per-employee columns; bind :func:`at_risk_params`."""


def at_risk_params(year: int, today: date) -> tuple[int, float]:
    """The values :data:`AT_RISK` binds: whether plans still count, and the JP expected by now."""
    return (1 if year >= today.year else 0, expected_by(year, today))


def _with(scope: EmployeeScope, year: int) -> tuple[str, list[Any]]:
    """``WITH [RECURSIVE …,] per AS (…)`` and its parameters."""
    head, _, tail = _PER_EMPLOYEE.partition("{scope}")
    prefix = f"WITH RECURSIVE {scope.cte}, " if scope.cte else "WITH "
    sql = prefix + "per AS (" + head + scope.where + tail + ")"
    return sql, [*scope.cte_params, year, True, *scope.params]


async def rollup_rows(
    scope: EmployeeScope, *, year: int, today: date, group: str
) -> list[dict[str, Any]]:
    """JP figures per ``group`` (``"opd_id"`` or ``"unor_id"``) of the scope's employees."""
    if group not in {"opd_id", "unor_id"}:
        raise ValueError(group)
    with_sql, params = _with(scope, year)
    sql = (
        with_sql + f" SELECT {group} AS grp, COUNT(*) AS employees,"  # noqa: S608 - fixed SQL, values bound
        f" SUM(CASE WHEN {REACHED} THEN 1 ELSE 0 END) AS reached,"
        f" SUM(CASE WHEN {AT_RISK} THEN 1 ELSE 0 END) AS at_risk,"
        " SUM(CASE WHEN ck + cn + pk + pn = 0 THEN 1 ELSE 0 END) AS without_training,"
        " SUM(ck) AS ck, SUM(cn) AS cn, SUM(pk + pn) AS planned"
        f" FROM per GROUP BY {group} ORDER BY {group}"
    )
    rows: list[dict[str, Any]] = await Course.raw(sql, *params, *at_risk_params(year, today))
    return rows


async def at_risk_rows(
    scope: EmployeeScope, *, year: int, today: date, after: int | None, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of the scope's at-risk employees by id (their JP columns), and how many in all."""
    with_sql, params = _with(scope, year)
    risk = at_risk_params(year, today)
    page_sql = with_sql + f" SELECT * FROM per WHERE {AT_RISK}"  # noqa: S608 - fixed SQL, values bound
    page_params = [*params, *risk]
    if after is not None:
        page_sql += " AND employee_id > {}"
        page_params.append(after)
    rows: list[dict[str, Any]] = await Course.raw(
        page_sql + " ORDER BY employee_id LIMIT {}", *page_params, limit
    )
    count_sql = with_sql + f" SELECT COUNT(*) AS n FROM per WHERE {AT_RISK}"  # noqa: S608 - as above
    count = await Course.raw(count_sql, *params, *risk)
    return rows, int(count[0]["n"])
