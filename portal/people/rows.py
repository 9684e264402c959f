"""Plain rows the people domain hands out (no ORM objects leave the domain)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class OpdRow:
    """An OPD."""

    id: int
    code: str
    name: str
    short_name: str


@dataclass(frozen=True, slots=True)
class UnorRow:
    """An org unit."""

    id: int
    code: str
    name: str
    opd_id: int
    parent_id: int | None


@dataclass(frozen=True, slots=True)
class EmployeeRow:
    """An employee, every column."""

    id: int
    nip: str
    name: str
    kind: str
    gender: str | None
    birth_date: date | None
    tmt_cpns: date | None
    hired_on: date | None
    golongan: str | None
    jabatan_kind: str
    jabatan_name: str
    unor_id: int
    opd_id: int
    supervisor_id: int | None
    active: bool
