"""Bulk read-only facts of the people domain for analytics (the mentoring model).

The people domain owns the employee and OPD tables; other domains that need every active
employee at once read them through :func:`active_employees` (plain rows, no pandas).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from portal.people.tables import Employee, Opd


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
