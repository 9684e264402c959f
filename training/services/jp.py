"""JP ledger queries: an employee's ledger, roll-ups and the at-risk list.

The arithmetic is pure in :mod:`training.ledger`. Roll-ups and the at-risk list are single SQL
aggregates that apply the same at-risk rule as the ledger (see
:func:`training.ledger.is_at_risk`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.core import clock
from portal.core.auth import Viewer
from portal.core.errors import DomainError, NotFoundError, PermissionDeniedError
from portal.core.pagination import Page, PageRequest
from portal.people import facts as people_facts
from portal.people import visibility
from portal.people.rows import EmployeeRow
from portal.people.services import directory as people
from training import ledger, policy, sql
from training.services import signals

MAX_YEAR_OFFSET = 5


@dataclass(frozen=True, slots=True)
class EmployeeLedger:
    """An employee's JP ledger of one year."""

    employee: EmployeeRow
    ledger: ledger.Ledger


@dataclass(frozen=True, slots=True)
class RollupLine:
    """JP figures of a group of employees (a unit, an OPD, or the whole scope)."""

    opd_id: int | None
    unor_id: int | None
    employees: int
    reached: int
    at_risk: int
    without_training: int
    completed_klasikal: int
    completed_nonklasikal: int
    planned: int

    @property
    def completed(self) -> int:
        """JP completed in the group."""
        return self.completed_klasikal + self.completed_nonklasikal

    @property
    def average_completed(self) -> float:
        """Mean JP completed per employee."""
        return round(self.completed / self.employees, 1) if self.employees else 0.0


@dataclass(frozen=True, slots=True)
class Rollup:
    """A roll-up: the total of the scope and one line per unit (or per OPD, city-wide)."""

    year: int
    opd_id: int | None
    unor_id: int | None
    total: RollupLine
    lines: list[RollupLine]


def _check_year(year: int, today: date) -> None:
    if abs(year - today.year) > MAX_YEAR_OFFSET:
        raise DomainError.single("INVALID_VALUE", "Tahun di luar jangkauan", "year")


async def employee_ledger(
    viewer: Viewer, employee_id: int | None, year: int | None = None, today: date | None = None
) -> EmployeeLedger:
    """The JP ledger of an employee (default: the viewer) the viewer may read."""
    on = today or clock.today()
    year = year or on.year
    _check_year(year, on)
    target = employee_id if employee_id is not None else policy.own_employee_id(viewer)
    employee = await visibility.readable_employee(viewer, target, "Employee", "employeeId")
    entries = await signals.read_ledger_entries([employee.id], year)
    return EmployeeLedger(
        employee, ledger.compute(entries.get(employee.id, []), year=year, today=on)
    )


async def rollup(
    viewer: Viewer,
    *,
    opd_id: int | None,
    unor_id: int | None,
    year: int | None = None,
    today: date | None = None,
) -> Rollup:
    """JP roll-up of an OPD (lines per unit), a unit with its sub-units, or the city (per OPD).

    One SQL aggregate. ADMIN_OPD of the OPD or ADMIN_BKPSDM; the city only for BKPSDM.
    """
    on = today or clock.today()
    year = year or on.year
    _check_year(year, on)
    if unor_id is not None:
        (unit,) = await people.unors_by_ids([unor_id])
        if unit is None or (opd_id is not None and unit.opd_id != opd_id):
            raise NotFoundError("Unor", "unorId")
        opd_id = unit.opd_id
    if opd_id is None:
        if not viewer.is_bkpsdm:
            raise PermissionDeniedError("Rekap seluruh kota hanya untuk admin BKPSDM")
    elif not viewer.administers_opd(opd_id):
        raise PermissionDeniedError("Anda bukan admin OPD ini")
    if unor_id is not None:
        scope = sql.EmployeeScope(
            "e.unor IN (SELECT id FROM sub)",
            cte=people_facts.unit_subtree_cte(),
            cte_params=(unor_id,),
        )
    elif opd_id is not None:
        scope = sql.EmployeeScope("e.opd = {}", (opd_id,))
    else:
        scope = sql.EmployeeScope("1 = 1")
    group = "opd_id" if opd_id is None else "unor_id"
    rows = await sql.rollup_rows(scope, year=year, today=on, group=group)
    lines = [
        RollupLine(
            opd_id=int(r["grp"]) if group == "opd_id" else opd_id,
            unor_id=int(r["grp"]) if group == "unor_id" else None,
            employees=int(r["employees"]),
            reached=int(r["reached"] or 0),
            at_risk=int(r["at_risk"] or 0),
            without_training=int(r["without_training"] or 0),
            completed_klasikal=int(r["ck"] or 0),
            completed_nonklasikal=int(r["cn"] or 0),
            planned=int(r["planned"] or 0),
        )
        for r in rows
    ]
    total = RollupLine(
        opd_id=opd_id,
        unor_id=unor_id,
        employees=sum(x.employees for x in lines),
        reached=sum(x.reached for x in lines),
        at_risk=sum(x.at_risk for x in lines),
        without_training=sum(x.without_training for x in lines),
        completed_klasikal=sum(x.completed_klasikal for x in lines),
        completed_nonklasikal=sum(x.completed_nonklasikal for x in lines),
        planned=sum(x.planned for x in lines),
    )
    return Rollup(year=year, opd_id=opd_id, unor_id=unor_id, total=total, lines=lines)


async def _risk_scope(viewer: Viewer, opd_id: int | None) -> sql.EmployeeScope:
    """The employees the viewer oversees (of one OPD when ``opd_id`` is given)."""
    if opd_id is not None and viewer.administers_opd(opd_id):
        return sql.EmployeeScope("e.opd = {}", (opd_id,))
    overseen = await visibility.sql_clause(viewer, visibility.OVERSIGHT, "e.id", "e.opd")
    if opd_id is None:
        return sql.EmployeeScope(overseen.sql, overseen.params)
    return sql.EmployeeScope(f"{overseen.sql} AND e.opd = {{}}", (*overseen.params, opd_id))


async def at_risk(
    viewer: Viewer,
    request: PageRequest,
    *,
    opd_id: int | None = None,
    year: int | None = None,
    today: date | None = None,
) -> Page[EmployeeLedger]:
    """Active employees at risk of missing 20 JP (no training at all included), by id.

    BKPSDM sees the city, an ADMIN_OPD their OPDs, a supervisor their whole chain.
    """
    on = today or clock.today()
    year = year or on.year
    _check_year(year, on)
    scope = await _risk_scope(viewer, opd_id)
    rows, total = await sql.at_risk_rows(
        scope, year=year, today=on, after=request.after_pk, limit=request.first + 1
    )
    items = rows[: request.first]
    employees = await people.employees_by_ids([int(r["employee_id"]) for r in items])
    ledgers = [
        EmployeeLedger(
            employee,
            ledger.from_totals(
                year=year,
                today=on,
                completed_klasikal=int(r["ck"]),
                completed_nonklasikal=int(r["cn"]),
                planned_klasikal=int(r["pk"]),
                planned_nonklasikal=int(r["pn"]),
            ),
        )
        for r, employee in zip(items, employees, strict=True)
        if employee is not None
    ]
    return Page(
        items=ledgers,
        keys=[x.employee.id for x in ledgers],
        total_count=total,
        has_next_page=len(rows) > request.first,
        has_previous_page=request.after_pk is not None,
    )
