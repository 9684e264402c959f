"""People service: the directory, the org tree and the viewer's team.

The public directory (name, jabatan, unit) is open to every logged-in user; who may read the
rest of an employee's data is decided in :mod:`portal.people.visibility`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from piccolo.query.functions.aggregate import Count

from portal.core.auth import Viewer
from portal.core.db import contains_ci, id_in, row_columns
from portal.core.errors import NotFoundError
from portal.core.pagination import Page, PageRequest, SortKey, keyset, page_of
from portal.people import sql, visibility
from portal.people.rows import EmployeeRow, OpdRow, UnorRow
from portal.people.tables import Employee, Opd, Unor


@dataclass(frozen=True, slots=True)
class EmployeeFilter:
    """Directory filters; all optional and combined with AND."""

    opd_id: int | None = None
    unor_id: int | None = None
    search: str | None = None
    supervisor_id: int | None = None
    active: bool | None = True


def _unor(row: dict[str, Any]) -> UnorRow:
    return UnorRow(**row)


_UNOR_COLUMNS = row_columns(Unor, UnorRow)


# --- the supervisor relation ----------------------------------------------------------------


async def has_subordinates(employee_id: int) -> bool:
    """Whether anyone reports to ``employee_id`` (the ATASAN role)."""
    return bool(
        await Employee.exists().where(
            (Employee.supervisor == employee_id) & (Employee.active == True)  # noqa: E712
        )
    )


# --- reads ---------------------------------------------------------------------------------


async def employees_by_ids(ids: Sequence[int]) -> list[EmployeeRow | None]:
    """Employees in the order of ``ids`` (None where missing); the dataloader's batch."""
    return await sql.employees_by_ids(ids)


async def get_employee(pk: int) -> EmployeeRow:
    """One employee (directory lookup; every logged-in user may see the public part)."""
    (row,) = await employees_by_ids([pk])
    if row is None:
        raise NotFoundError("Employee")
    return row


async def get_private_employee(viewer: Viewer, pk: int) -> EmployeeRow:
    """One employee whose private data the viewer may read; NOT_FOUND otherwise."""
    return await visibility.readable_employee(viewer, pk)


async def employee_by_nip(nip: str) -> EmployeeRow | None:
    """Employee with this NIP, if any."""
    rows = await Employee.select(*sql.EMPLOYEE_COLUMNS).where(Employee.nip == nip)
    return sql.employee(rows[0]) if rows else None


def _filter_clause(flt: EmployeeFilter) -> list[Any]:
    clauses: list[Any] = []
    if flt.opd_id is not None:
        clauses.append(Employee.opd == flt.opd_id)
    if flt.unor_id is not None:
        clauses.append(Employee.unor == flt.unor_id)
    if flt.supervisor_id is not None:
        clauses.append(Employee.supervisor == flt.supervisor_id)
    if flt.active is not None:
        clauses.append(Employee.active == flt.active)
    if flt.search:
        clauses.append(contains_ci(Employee.name, flt.search.strip()))
    return clauses


async def _page(
    clauses: list[Any], request: PageRequest, extra_ids: Iterable[int] | None = None
) -> Page[EmployeeRow]:
    if extra_ids is not None:
        clauses = [*clauses, id_in(Employee.id, extra_ids)]
    count_query = Employee.count()
    query = Employee.select(*sql.EMPLOYEE_COLUMNS)
    for clause in clauses:
        count_query = count_query.where(clause)
        query = query.where(clause)
    rows = [sql.employee(r) for r in await keyset(query, Employee.id, request)]
    total = await count_query
    return page_of(rows, request, total)


EMPLOYEE_BY_NAME = SortKey("NAME", Employee.name, lambda row: row.name)
"""Employees by name (then ID), for ``orderBy``."""
EMPLOYEE_BY_NIP = SortKey("NIP", Employee.nip, lambda row: row.nip)
"""Employees by NIP, for ``orderBy``."""


async def list_employees(flt: EmployeeFilter, request: PageRequest) -> Page[EmployeeRow]:
    """The public directory, filtered, in the request's order (default: ID)."""
    return await _page(_filter_clause(flt), request)


async def list_team(
    viewer: Viewer, request: PageRequest, *, direct_only: bool
) -> Page[EmployeeRow]:
    """The viewer's subordinates (direct, or the whole chain below them)."""
    if viewer.employee_id is None:
        return Page(items=[], keys=[], total_count=0, has_next_page=False, has_previous_page=False)
    if direct_only:
        return await _page([await _direct_clause(viewer.employee_id, viewer)], request)
    return await _page([], request, extra_ids=await visibility.supervised_ids(viewer))


async def _direct_clause(employee_id: int, viewer: Viewer) -> Any:  # noqa: ANN401 - piccolo
    """Direct reports of the viewer and of whom they act for today (Plt/Plh), not themself."""
    clause: Any = Employee.supervisor == employee_id
    if principals := await visibility.acting_principals(viewer):
        clause |= id_in(Employee.supervisor, principals) & (Employee.id != employee_id)
    return clause


async def team_members(viewer: Viewer, *, direct_only: bool) -> list[EmployeeRow]:
    """Every subordinate of the viewer in ID order, for team overviews (no page, no count)."""
    if viewer.employee_id is None:
        return []
    if direct_only:
        mine = await sql.direct_reports(viewer.employee_id)
        for principal in sorted(await visibility.acting_principals(viewer)):
            mine += [e for e in await sql.direct_reports(principal) if e.id != viewer.employee_id]
        return sorted({e.id: e for e in mine}.values(), key=lambda e: e.id)
    return await sql.employees_in(await visibility.supervised_ids(viewer))


async def list_opds() -> list[OpdRow]:
    """Every OPD by name (about 40 in a city; no pagination needed)."""
    rows = await Opd.select(Opd.id, Opd.code, Opd.name, Opd.short_name).order_by(Opd.name)
    return [OpdRow(**r) for r in rows]


async def opds_by_ids(ids: Sequence[int]) -> list[OpdRow | None]:
    """OPDs in the order of ``ids``."""
    rows = await Opd.select(Opd.id, Opd.code, Opd.name, Opd.short_name).where(id_in(Opd.id, ids))
    by_id = {r["id"]: OpdRow(**r) for r in rows}
    return [by_id.get(i) for i in ids]


async def unors_by_ids(ids: Sequence[int]) -> list[UnorRow | None]:
    """Units in the order of ``ids``."""
    rows = await Unor.select(*_UNOR_COLUMNS).where(id_in(Unor.id, ids))
    by_id = {r["id"]: _unor(r) for r in rows}
    return [by_id.get(i) for i in ids]


async def unor_children(parent_ids: Sequence[int]) -> list[list[UnorRow]]:
    """Child units of each parent, by name."""
    rows = await Unor.select(*_UNOR_COLUMNS).where(id_in(Unor.parent, parent_ids))
    grouped: dict[int, list[UnorRow]] = {}
    for r in sorted(rows, key=lambda r: r["name"]):
        grouped.setdefault(r["parent_id"], []).append(_unor(r))
    return [grouped.get(p, []) for p in parent_ids]


async def root_unors(opd_ids: Sequence[int]) -> list[list[UnorRow]]:
    """Top-level units of each OPD."""
    rows = await Unor.select(*_UNOR_COLUMNS).where(id_in(Unor.opd, opd_ids) & Unor.parent.is_null())
    grouped: dict[int, list[UnorRow]] = {}
    for r in sorted(rows, key=lambda r: r["name"]):
        grouped.setdefault(r["opd_id"], []).append(_unor(r))
    return [grouped.get(o, []) for o in opd_ids]


async def employee_counts_by_unor(unor_ids: Sequence[int]) -> list[int]:
    """Active employees directly in each unit."""
    rows = await (
        Employee.select(Employee.unor.as_alias("unor_id"), Count(Employee.id, alias="n"))
        .where(id_in(Employee.unor, unor_ids) & (Employee.active == True))  # noqa: E712
        .group_by(Employee.unor)
    )
    counts = {r["unor_id"]: r["n"] for r in rows}
    return [counts.get(u, 0) for u in unor_ids]


async def direct_report_counts(employee_ids: Sequence[int]) -> list[int]:
    """Number of active direct reports of each employee."""
    rows = await (
        Employee.select(Employee.supervisor.as_alias("sid"), Count(Employee.id, alias="n"))
        .where(
            id_in(Employee.supervisor, employee_ids) & (Employee.active == True)  # noqa: E712
        )
        .group_by(Employee.supervisor)
    )
    counts = {r["sid"]: r["n"] for r in rows}
    return [counts.get(e, 0) for e in employee_ids]
