"""The training module's raw SQL: catalogue hot reads, signal readers, JP roll-ups, locks.

The rules inside the SQL are generated from :mod:`training.ledger`'s constants (the 20 JP right
:data:`~training.ledger.JP_RIGHT`, the at-risk rule of :func:`~training.ledger.is_at_risk`);
``tests/unit/training/test_ledger_sql.py`` checks that the SQL and the Python rule agree.
Statements are composed of fixed fragments and ``{}`` placeholders; every value is bound.
Which employees a statement covers comes in as an :class:`EmployeeScope` over the employee
table (alias ``e``), built by the service from the people domain's visibility and org tree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from portal.core.db import ids_match, ids_param, is_sqlite, row_columns, select_list, texts_param
from training.enums import SEAT_STATUSES, AssignmentStatus, CourseMode, CourseStatus
from training.ledger import JP_RIGHT, expected_by
from training.rows import CompetencyRow, CourseRow
from training.tables import Competency, Course, CourseCompetency, TrainingAssignment


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


# --- the catalogue's hot reads -----------------------------------------------------------------

COURSE_COLUMNS = row_columns(Course, CourseRow)
COMPETENCY_COLUMNS = row_columns(Competency, CompetencyRow)
# Hot reads (dataloaders, the recommendations' catalogue) run raw SQL composed once at import:
# building a Piccolo select walks every column on each call (see core.db.select_list).
_COURSE_SELECT = select_list(*COURSE_COLUMNS)
_COMPETENCY_SELECT = select_list(*COMPETENCY_COLUMNS)
_RATINGS = (
    'SELECT "course" AS "course_id", AVG("rating") AS "average", COUNT("id") AS "n"'
    ' FROM "course_rating" WHERE {match} GROUP BY "course"'
)
_SEATS = (
    'SELECT "course" AS "course_id", COUNT("id") AS "n" FROM "training_assignment"'  # noqa: S608 - fixed SQL, values bound
    ' WHERE {match} AND "status" IN ('
    + ", ".join(f"'{s.value}'" for s in sorted(SEAT_STATUSES))
    + ') GROUP BY "course"'
)
Rows = list[dict[str, Any]]


async def courses_by_ids(ids: Sequence[int]) -> Rows:
    """Courses of ``ids`` (in no order)."""
    match = ids_match('"course"."id"')
    rows: Rows = await Course.raw(
        f'SELECT {_COURSE_SELECT} FROM "course" WHERE {match}',  # noqa: S608 - fixed SQL, values bound
        ids_param(ids),
    )
    return rows


async def competencies_by_ids(ids: Sequence[int]) -> Rows:
    """Competencies of ``ids`` (in no order)."""
    match = ids_match('"competency"."id"')
    rows: Rows = await Competency.raw(
        f'SELECT {_COMPETENCY_SELECT} FROM "competency" WHERE {match}',  # noqa: S608 - fixed SQL, values bound
        ids_param(ids),
    )
    return rows


async def competencies_of_courses(course_ids: Sequence[int]) -> Rows:
    """Competency rows of the courses, each with its ``link_course``."""
    match = ids_match('"course_competency"."course"')
    rows: Rows = await CourseCompetency.raw(
        f'SELECT "course_competency"."course" AS "link_course", {_COMPETENCY_SELECT}'  # noqa: S608 - fixed SQL, values bound
        ' FROM "course_competency"'
        ' JOIN "competency" ON "competency"."id" = "course_competency"."competency"'
        f" WHERE {match}",
        ids_param(course_ids),
    )
    return rows


async def seat_counts(course_ids: Sequence[int]) -> Rows:
    """Seats held per course (courses with any)."""
    rows: Rows = await Course.raw(_SEATS.format(match=ids_match('"course"')), ids_param(course_ids))
    return rows


async def rating_rows(course_ids: Sequence[int]) -> Rows:
    """Average rating and count per course (courses with any)."""
    rows: Rows = await Course.raw(
        _RATINGS.format(match=ids_match('"course"')), ids_param(course_ids)
    )
    return rows


# The published catalogue with its ranking facts, one statement: every PUBLISHED course by id,
# a row per competency (or one without any; competency columns prefixed "k_"). Ratings are
# read for published courses; seats only for those with a capacity that are not over on the
# bound day (the recommendations count the seats of open courses with a capacity, a subset of
# these).
_PUBLISHED = f"'{CourseStatus.PUBLISHED.value}'"
_PREFIXED_COMPETENCY = _COMPETENCY_SELECT.replace(' AS "', ' AS "k_')
_PUBLISHED_IDS = f'SELECT p."id" FROM "course" p WHERE p."status" = {_PUBLISHED}'  # noqa: S608 - fixed SQL
_CATALOGUE = (
    f'SELECT {_COURSE_SELECT}, r."average" AS "f_average", r."n" AS "f_ratings",'  # noqa: S608 - fixed SQL, values bound
    f' s."n" AS "f_seats", {_PREFIXED_COMPETENCY} FROM "course"'
    " LEFT JOIN ("
    + _RATINGS.format(match=f'"course" IN ({_PUBLISHED_IDS})')
    + ') r ON r."course_id" = "course"."id"'
    " LEFT JOIN ("
    + _SEATS.format(
        match=f'"course" IN ({_PUBLISHED_IDS} AND p."capacity" IS NOT NULL'
        ' AND (p."ends_on" IS NULL OR p."ends_on" >= {}))'
    )
    + ') s ON s."course_id" = "course"."id"'
    ' LEFT JOIN "course_competency" ON "course_competency"."course" = "course"."id"'
    ' LEFT JOIN "competency" ON "competency"."id" = "course_competency"."competency"'
    f' WHERE "course"."status" = {_PUBLISHED} ORDER BY "course"."id"'
)


async def published_catalogue(today: date) -> Rows:
    """Every PUBLISHED course by id, a row per competency (or one without any), with the facts.

    The course's columns, ``f_average``/``f_ratings`` (its ratings), ``f_seats`` (seats held,
    counted where a capacity is set and the course is not over on ``today``) and the
    competency's columns prefixed ``k_`` (NULL without any).
    """
    rows: Rows = await Course.raw(_CATALOGUE, today)
    return rows


async def lock_course(course_id: int) -> None:
    """Serialise bookings of one course for the rest of the transaction (PostgreSQL).

    SQLite's BEGIN IMMEDIATE already serialises every writer.
    """
    if not is_sqlite():
        await Course.raw("SELECT id FROM course WHERE id = {} FOR UPDATE", course_id)


# --- the recommendation signals' readers -------------------------------------------------------

# The readers run raw SQL built from constants: composing Piccolo selects cost more than the
# queries themselves on a single employee's home screen. "{match}" is core.db.ids_match.
_LEDGER = (
    'SELECT a."employee" AS "employee_id", a."status" AS "status", c."mode" AS "mode",'
    ' SUM(c."jp_hours") AS "jp" FROM "training_assignment" a'
    ' JOIN "course" c ON c."id" = a."course" WHERE {match} AND a."year" = {{}}'
    ' GROUP BY a."employee", a."status", c."mode"'
)
# Live assignments, then dismissals (no status): the employees' own relation to courses.
# "{peers}" is empty, or the peer columns (NULL here) when _PEERS comes first in one statement.
_OWN_COURSES = (
    'SELECT a."employee" AS "employee_id", a."course" AS "course_id", a."status" AS "status",'
    ' a."year" AS "year", c."mode" AS "mode", c."jp_hours" AS "jp"{peers}'
    ' FROM "training_assignment" a'
    ' JOIN "course" c ON c."id" = a."course" WHERE {assigned} AND a."status" <> {{}}'
    ' UNION ALL SELECT d."employee", d."course", NULL, NULL, NULL, NULL{peers}'
    ' FROM "recommendation_dismissal" d WHERE {dismissed}'
)
# Completions and mean rating of each course per jabatan name, as rows of _OWN_COURSES with
# its columns NULL (but the course): first, so that its types type the union (PostgreSQL).
_PEERS = (
    'SELECT NULL AS "employee_id", a."course" AS "course_id", NULL AS "status", NULL AS "year",'  # noqa: S608 - fixed SQL, values bound
    ' NULL AS "mode", NULL AS "jp", e."jabatan_name" AS "jabatan", COUNT(a."id") AS "n",'
    ' AVG(r."rating") AS "average" FROM "training_assignment" a'
    ' JOIN "employee" e ON e."id" = a."employee"'
    ' LEFT JOIN "course_rating" r ON r."assignment" = a."id"'
    f" WHERE a.\"status\" = '{AssignmentStatus.COMPLETED.value}' AND {{match}}"
    ' GROUP BY e."jabatan_name", a."course"'
)
_PEER_COLUMNS = ", NULL, NULL, NULL"


async def ledger_rows(employee_ids: Sequence[int], year: int) -> Rows:
    """JP per employee, assignment status and course mode of ``year``."""
    rows: Rows = await TrainingAssignment.raw(
        _LEDGER.format(match=ids_match('a."employee"')), ids_param(employee_ids), year
    )
    return rows


async def own_course_rows(employee_ids: Sequence[int], jabatan_names: Sequence[str] = ()) -> Rows:
    """The employees' live assignments (any year), then their dismissals (status NULL).

    With ``jabatan_names``, first the completions and mean rating of each course per jabatan
    name (``jabatan``, ``course_id``, ``n``, ``average``; ``employee_id`` NULL) in the same
    statement.
    """
    ids = ids_param(employee_ids)
    if not jabatan_names:
        own = _OWN_COURSES.format(
            peers="", assigned=ids_match('a."employee"'), dismissed=ids_match('d."employee"')
        )
        rows: Rows = await TrainingAssignment.raw(own, ids, AssignmentStatus.CANCELLED.value, ids)
        return rows
    both = (
        _PEERS.format(match=ids_match('e."jabatan_name"', "text"))
        + " UNION ALL "
        + _OWN_COURSES.format(
            peers=_PEER_COLUMNS,
            assigned=ids_match('a."employee"'),
            dismissed=ids_match('d."employee"'),
        )
    )
    rows = await TrainingAssignment.raw(
        both, texts_param(jabatan_names), ids, AssignmentStatus.CANCELLED.value, ids
    )
    return list(rows)
