"""Who may see whom: the one place every domain asks (DESIGN.md §5, README "Visibility").

An employee's data is reachable from four relations of a viewer to that employee:

* ``SELF``: the viewer is the employee;
* ``SUPERVISOR``: the viewer is anywhere above the employee in the supervisor chain, or acts
  today (Plt/Plh, :class:`portal.people.tables.ActingAppointment`) for someone who is: the
  acting official stands in the principal's place for the appointment's dates;
* ``OPD_ADMIN``: the viewer is an ADMIN_OPD of the employee's OPD;
* ``BKPSDM``: the viewer is a city-wide administrator (ADMIN_BKPSDM).

Each kind of data names the relations that reach it, once, as an :class:`Audience`:

* :data:`PRIVATE` (all four): the private profile, SKP, activities, evaluations, training
  record, coaching, feedback metadata;
* :data:`OVERSIGHT` (all but ``SELF``): who may manage an employee (assign coaching or
  training, apply RHK templates);
* :data:`CONVERSATION` (``SELF`` and ``SUPERVISOR``): who may read and write feedback threads;
* :data:`SCORES` (``SUPERVISOR`` and ``BKPSDM``): who may see mentoring scores and alerts;
* :data:`RECORDS` (all but ``SUPERVISOR``): invitations and attendance of the socialization
  program.

The same audience answers both questions: :func:`allows` ("may this viewer reach that
employee?") and :func:`sql_clause` / :func:`where` ("which employees may this viewer reach?",
as a SQL condition every list query composes, with bound parameters). The supervisor chain is
read once per request (:func:`supervised_ids`) with the recursive query of :mod:`portal.people.sql`.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import WhereRaw

from portal.core import clock
from portal.core.auth import Viewer
from portal.core.db import column_sql, ids_match, ids_param
from portal.core.errors import NotFoundError, PermissionDeniedError
from portal.people import sql
from portal.people.rows import EmployeeRow


class Audience(enum.Flag):
    """The relations of a viewer to an employee that reach a kind of data."""

    SELF = enum.auto()
    SUPERVISOR = enum.auto()
    OPD_ADMIN = enum.auto()
    BKPSDM = enum.auto()


PRIVATE = Audience.SELF | Audience.SUPERVISOR | Audience.OPD_ADMIN | Audience.BKPSDM
"""The employee, their supervisor chain, an ADMIN_OPD of their OPD, ADMIN_BKPSDM."""
OVERSIGHT = Audience.SUPERVISOR | Audience.OPD_ADMIN | Audience.BKPSDM
"""Those who manage the employee: everyone of :data:`PRIVATE` but the employee."""
CONVERSATION = Audience.SELF | Audience.SUPERVISOR
"""The participants of the employee's feedback threads."""
SCORES = Audience.SUPERVISOR | Audience.BKPSDM
"""Who sees mentoring scores and alerts (never peers, never the OPD admin, never the employee)."""
RECORDS = Audience.SELF | Audience.OPD_ADMIN | Audience.BKPSDM
"""The employee and their administrators, not the supervisor chain (program attendance)."""


@dataclass(frozen=True, slots=True)
class SqlClause:
    """A SQL condition with ``{}`` placeholders and the values bound to them, in order."""

    sql: str
    params: tuple[Any, ...]

    def where(self) -> WhereRaw:
        """The clause for a Piccolo ``where``."""
        return WhereRaw(self.sql, *self.params)


EVERYTHING = SqlClause("1 = 1", ())
"""What :func:`sql_clause` answers for a viewer the audience reaches city-wide."""


async def supervised_ids(viewer: Viewer) -> frozenset[int]:
    """Every direct and indirect subordinate of the viewer, read once per request.

    The acting relation is part of it: on a day the viewer acts (Plt/Plh) for a principal, the
    principal's subordinates are the viewer's too. Resolvers of one request may race for it;
    they share one query.
    """
    if viewer.subordinate_ids is not None:
        return viewer.subordinate_ids
    if viewer.employee_id is None:
        viewer.subordinate_ids = frozenset()
        return viewer.subordinate_ids
    if viewer.scope_task is None:
        viewer.scope_task = asyncio.ensure_future(
            sql.subordinate_ids(viewer.employee_id, clock.today())
        )
    viewer.subordinate_ids = await asyncio.shield(viewer.scope_task)
    return viewer.subordinate_ids


async def acting_principals(viewer: Viewer) -> frozenset[int]:
    """Whom the viewer acts for (Plt/Plh) today (city calendar)."""
    if viewer.employee_id is None:
        return frozenset()
    return await sql.acting_principal_ids(viewer.employee_id, clock.today())


async def acts_for(viewer: Viewer, principal_id: int) -> bool:
    """Whether the viewer acts (Plt/Plh) for ``principal_id`` today (city calendar)."""
    return principal_id in await acting_principals(viewer)


async def stands_in_for(viewer: Viewer, employee_id: int) -> int | None:
    """The principal the viewer stands in for (Plt/Plh, today) when reaching ``employee_id``.

    None when the viewer is the employee, reaches them through their own supervisor chain, or
    acts for no principal above them; otherwise the principal whose chain reaches the employee
    (the lowest id when several do), so that what the viewer writes records both names.
    """
    if viewer.employee_id is None or viewer.employee_id == employee_id:
        return None
    principals = await acting_principals(viewer)
    if not principals or employee_id in await sql.subordinate_ids(viewer.employee_id):
        return None
    for principal_id in sorted(principals):
        if employee_id in await sql.subordinate_ids(principal_id):
            return principal_id
    return None


async def allows(
    viewer: Viewer, audience: Audience, employee_id: int, opd_id: int | None = None
) -> bool:
    """Whether ``audience`` reaches employee ``employee_id`` (of OPD ``opd_id``) for the viewer.

    ``opd_id`` is needed only when the audience includes ``OPD_ADMIN``.
    """
    if Audience.SELF in audience and viewer.employee_id == employee_id:
        return True
    if Audience.BKPSDM in audience and viewer.is_bkpsdm:
        return True
    if Audience.OPD_ADMIN in audience:
        if opd_id is None:
            raise ValueError("the OPD_ADMIN relation needs the employee's OPD")
        if opd_id in viewer.admin_opd_ids:
            return True
    return Audience.SUPERVISOR in audience and employee_id in await supervised_ids(viewer)


async def reaches(viewer: Viewer, audience: Audience, employee_id: int) -> bool:
    """:func:`allows` for an employee known by id (their OPD read only when the answer needs it)."""
    if Audience.OPD_ADMIN not in audience or not viewer.admin_opd_ids:
        return await allows(viewer, audience & ~Audience.OPD_ADMIN, employee_id)
    if (Audience.SELF in audience and viewer.employee_id == employee_id) or (
        Audience.BKPSDM in audience and viewer.is_bkpsdm
    ):
        return True
    (employee,) = await sql.employees_by_ids([employee_id])
    return employee is not None and await allows(viewer, audience, employee.id, employee.opd_id)


async def may_read(viewer: Viewer, employee: EmployeeRow, audience: Audience = PRIVATE) -> bool:
    """Whether the viewer may read ``employee``'s data of ``audience`` (default: private)."""
    return await allows(viewer, audience, employee.id, employee.opd_id)


async def may_manage(viewer: Viewer, employee: EmployeeRow) -> bool:
    """Whether the viewer oversees ``employee`` (:data:`OVERSIGHT`)."""
    return await allows(viewer, OVERSIGHT, employee.id, employee.opd_id)


async def readable_employee(
    viewer: Viewer,
    employee_id: int,
    what: str = "Employee",
    field: str | None = "id",
    audience: Audience = PRIVATE,
) -> EmployeeRow:
    """The employee whose data the viewer wants, or NOT_FOUND (never reveals existence)."""
    (employee,) = await sql.employees_by_ids([employee_id])
    if employee is None or not await may_read(viewer, employee, audience):
        raise NotFoundError(what, field)
    return employee


async def sql_clause(
    viewer: Viewer,
    audience: Audience,
    employee_column: str,
    opd_column: str | None = None,
) -> SqlClause:
    """The rows whose employee ``audience`` reaches, as one SQL condition.

    Args:
        viewer: who is asking.
        audience: the relations that reach the data.
        employee_column: the SQL of the row's employee id (e.g. ``'"skp"."employee"'``).
        opd_column: the SQL of the row's OPD, when the row records one; otherwise the
            employee's current OPD is looked up.

    Returns:
        :data:`EVERYTHING` for a viewer reached city-wide, else ``(… OR …)`` with bound ids.
    """
    if Audience.BKPSDM in audience and viewer.is_bkpsdm:
        return EVERYTHING
    parts: list[str] = []
    params: list[Any] = []
    if Audience.SELF in audience and viewer.employee_id is not None:
        parts.append(f"{employee_column} = {{}}")
        params.append(viewer.employee_id)
    if Audience.SUPERVISOR in audience and (subordinates := await supervised_ids(viewer)):
        parts.append(ids_match(employee_column))
        params.append(ids_param(subordinates))
    if Audience.OPD_ADMIN in audience and viewer.admin_opd_ids:
        parts.append(
            ids_match(opd_column)
            if opd_column is not None
            else f"{employee_column} IN ({sql.employees_of_opds_sql()})"
        )
        params.append(ids_param(viewer.admin_opd_ids))
    return SqlClause("(" + (" OR ".join(parts) or "1 = 0") + ")", tuple(params))


async def where(
    viewer: Viewer,
    audience: Audience,
    employee_column: Any,  # noqa: ANN401 - a piccolo column
    opd_column: Any = None,  # noqa: ANN401 - a piccolo column
) -> WhereRaw | None:
    """:func:`sql_clause` for a Piccolo query on the columns' table; None when it is everything."""
    clause = await sql_clause(
        viewer,
        audience,
        column_sql(employee_column),
        None if opd_column is None else column_sql(opd_column),
    )
    return None if clause is EVERYTHING else clause.where()


async def overseen_in_unit(
    viewer: Viewer, unit_opd_id: int, employees: Sequence[EmployeeRow]
) -> list[EmployeeRow]:
    """The employees of one unit (of OPD ``unit_opd_id``) the viewer may act on in bulk.

    An admin of the unit's OPD reaches all of them; anyone else only their own subordinates.

    Raises:
        PermissionDeniedError: when the viewer reaches none of them.
    """
    if viewer.administers_opd(unit_opd_id):
        return list(employees)
    mine = await supervised_ids(viewer)
    reached = [e for e in employees if e.id in mine]
    if not reached:
        raise PermissionDeniedError("Hanya admin OPD atau atasan pegawai di unit ini")
    return reached
