"""Builds test data straight into the database (fast, explicit, no GraphQL round trips)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from functools import cache

from portal.accounts.tables import RoleGrant, UserAccount
from portal.core.auth import Role
from portal.core.security import hash_password
from portal.people.enums import EmployeeKind, Gender, JabatanKind
from portal.people.nip import make_nip
from portal.people.tables import Employee, Opd, Unor

PASSWORD = "Rahasia#Tangsel1"


@cache
def password_hash() -> str:
    """One Argon2 hash of PASSWORD shared by every factory account (hashing is slow)."""
    return hash_password(PASSWORD)


@dataclass(frozen=True, slots=True)
class Person:
    """A created employee with their login."""

    id: int
    nip: str
    username: str
    opd_id: int
    unor_id: int


class Factory:
    """Creates OPDs, units, employees and accounts with unique, valid values."""

    def __init__(self) -> None:
        self._seq = itertools.count(1)

    async def opd(self, code: str | None = None, name: str | None = None) -> int:
        """Create an OPD; return its id."""
        n = next(self._seq)
        code = code or f"OPD{n}"
        result = await Opd.insert(Opd(code=code, name=name or f"Dinas {n}", short_name=code))
        return int(result[0]["id"])

    async def unor(self, opd_id: int, code: str | None = None, parent_id: int | None = None) -> int:
        """Create a unit; return its id."""
        n = next(self._seq)
        result = await Unor.insert(
            Unor(code=code or f"UNIT{n}", name=f"Unit {n}", opd=opd_id, parent=parent_id)
        )
        return int(result[0]["id"])

    def nip(self, gender: Gender = Gender.PEREMPUAN) -> str:
        """A fresh valid NIP."""
        n = next(self._seq)
        return make_nip(date(1985, 1 + n % 12, 1 + n % 28), date(2010, 3, 1), gender, n % 999 + 1)

    async def employee(
        self,
        unor_id: int,
        *,
        supervisor: Person | None = None,
        name: str | None = None,
        jabatan_kind: JabatanKind = JabatanKind.PELAKSANA,
        account: bool = True,
    ) -> Person:
        """Create a PNS employee (and their account, username = NIP)."""
        unit = await Unor.select(Unor.opd).where(Unor.id == unor_id).first()
        assert unit is not None
        nip = self.nip()
        result = await Employee.insert(
            Employee(
                nip=nip,
                name=name or f"Pegawai {nip[-3:]}",
                kind=EmployeeKind.PNS.value,
                gender=Gender.PEREMPUAN.value,
                birth_date=date(1985, 1, 1),
                golongan="III/a",
                jabatan_kind=jabatan_kind.value,
                jabatan_name="Pengadministrasi Umum",
                unor=unor_id,
                opd=unit["opd"],
                supervisor=supervisor.id if supervisor else None,
            )
        )
        employee_id = int(result[0]["id"])
        if account:
            await UserAccount.insert(
                UserAccount(username=nip, password_hash=password_hash(), employee=employee_id)
            )
        return Person(id=employee_id, nip=nip, username=nip, opd_id=unit["opd"], unor_id=unor_id)

    async def admin(self, username: str, role: Role, opd_id: int | None = None) -> str:
        """Create an admin account holding ``role``; return the username."""
        result = await UserAccount.insert(
            UserAccount(username=username, password_hash=password_hash())
        )
        await RoleGrant.insert(RoleGrant(account=result[0]["id"], role=role.value, opd=opd_id))
        return username
