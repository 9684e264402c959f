"""What other domains may read of the people domain, besides its service (plain rows only).

The people domain owns the employee, OPD and unit tables; other domains never import them.
They read the org tree (:func:`unit_subtree_ids`, and :func:`unit_subtree_cte` to compose it
into their own statement), employees in bulk, and analytics facts (:func:`active_employees`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from portal.core.db import id_in
from portal.people import sql
from portal.people.enums import JabatanKind
from portal.people.rows import EmployeeRow
from portal.people.tables import Employee, Opd, Unor

unit_subtree_cte = sql.unit_subtree_cte
unit_subtree_ids = sql.unit_subtree_ids
active_ids_in_units = sql.active_ids_in_units
active_ids_by_nip = sql.active_ids_by_nip


@dataclass(frozen=True, slots=True)
class EmployeeStanding:
    """What a login's roles derive from: the OPD, whether active, whether anyone reports."""

    opd_id: int
    active: bool
    has_subordinates: bool


standing_columns = sql.standing_columns
direct_reports_sql = sql.direct_reports_sql
STANDING_ACTIVE = sql.ACTIVE


def standing_of(columns: Sequence[Any]) -> EmployeeStanding | None:
    """The standing in the three columns of :func:`standing_columns`, in their order.

    None when no employee was joined.
    """
    opd, active, leads = columns
    if opd is None:
        return None
    return EmployeeStanding(opd_id=int(opd), active=bool(active), has_subordinates=bool(leads))


async def employee_standing(employee_id: int) -> EmployeeStanding | None:
    """The standing of one employee (one statement; read on every authenticated request)."""
    found = await sql.standing(employee_id)
    if found is None:
        return None
    opd_id, active, leads = found
    return EmployeeStanding(opd_id=opd_id, active=active, has_subordinates=leads)


async def active_employees_in_units(
    unit_ids: Sequence[int],
    *,
    jabatan_name: str | None = None,
    jabatan_kind: JabatanKind | None = None,
) -> list[EmployeeRow]:
    """Active employees placed in any of the units (optionally of one jabatan), by id."""
    found = await sql.employees_in(await sql.active_ids_in_units(unit_ids))
    if jabatan_name:
        found = [e for e in found if e.jabatan_name == jabatan_name.strip()]
    if jabatan_kind:
        found = [e for e in found if e.jabatan_kind == jabatan_kind.value]
    return found


@dataclass(frozen=True, slots=True)
class EmployeeFact:
    """What analytics may know of an active employee (no name, NIP or contact)."""

    employee_id: int
    hired_on: date | None
    tmt_cpns: date | None
    created_at: datetime
    gender: str | None
    golongan: str | None
    jabatan_kind: str
    opd_code: str


async def active_employees() -> list[EmployeeFact]:
    """Every active employee with the code of their OPD (``""`` if it cannot be found)."""
    opd_codes = {r["id"]: r["code"] for r in await Opd.select(Opd.id, Opd.code)}
    rows = await Employee.select(
        Employee.id,
        Employee.hired_on,
        Employee.tmt_cpns,
        Employee.created_at,
        Employee.gender,
        Employee.golongan,
        Employee.jabatan_kind,
        Employee.opd,
    ).where(Employee.active == True)  # noqa: E712
    return [
        EmployeeFact(
            employee_id=r["id"],
            hired_on=r["hired_on"],
            tmt_cpns=r["tmt_cpns"],
            created_at=r["created_at"],
            gender=r["gender"],
            golongan=r["golongan"],
            jabatan_kind=r["jabatan_kind"],
            opd_code=opd_codes.get(r["opd"], ""),
        )
        for r in rows
    ]


async def opd_id_by_code(code: str) -> int | None:
    """The OPD with this code, if any."""
    row = await Opd.select(Opd.id).where(Opd.code == code).first()
    return None if row is None else int(row["id"])


async def unit_ids_of_opds(opd_ids: Iterable[int]) -> list[int]:
    """Every unit of the OPDs."""
    return [int(r["id"]) for r in await Unor.select(Unor.id).where(id_in(Unor.opd, opd_ids))]


async def employee_ids_of_opds(opd_ids: Iterable[int]) -> list[int]:
    """Every employee (active or not) placed in one of the OPDs."""
    rows = await Employee.select(Employee.id).where(id_in(Employee.opd, opd_ids))
    return [int(r["id"]) for r in rows]
