"""GraphQL types of the people domain."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.types import Info
from strawberry.types.field import StrawberryField

from portal.core import clock
from portal.core.context import Context
from portal.core.graphql import Node, OrderInput
from portal.core.ids import encode_global_id
from portal.core.row_types import FromRow
from portal.people import visibility
from portal.people.enums import (
    PANGKAT,
    ActingKind,
    EmployeeKind,
    Gender,
    Golongan,
    JabatanKind,
)
from portal.people.loaders import PeopleLoaders
from portal.people.rows import EmployeeRow, OpdRow, UnorRow
from portal.people.services import directory
from portal.people.services.acting import ActingRow
from portal.people.services.moves import MoveRow

strawberry.enum(EmployeeKind, description="PNS or PPPK.")
strawberry.enum(Gender, description="Gender, decoded from the NIP for PNS.")
strawberry.enum(
    JabatanKind, description="Position kind (JPT, Administrator, Pengawas, Pelaksana, Fungsional)."
)

_GOLONGAN_BY_VALUE = {g.value: g for g in Golongan}


@strawberry.input(description="Ordering of an employee list (default: ID order).")
class EmployeeOrderInput(
    OrderInput,
    fields={"NAME": directory.EMPLOYEE_BY_NAME, "NIP": directory.EMPLOYEE_BY_NIP},
    what="What an employee list can be ordered by (then by ID).",
):
    """``orderBy`` of the employee lists."""


# Fields of the employee, OPD or unit whose id a type's row holds in ``column`` (null for none)


def employee_field(column: str, *, description: str) -> StrawberryField:
    """The employee of ``row.<column>``."""

    async def employee(root: Any, info: Info[Context, None]) -> EmployeeType | None:  # noqa: ANN401
        return await load_employee(info, getattr(root.row, column))

    field: StrawberryField = strawberry.field(resolver=employee, description=description)
    return field


def opd_field(column: str, *, description: str) -> StrawberryField:
    """The OPD of ``row.<column>``."""

    async def opd(root: Any, info: Info[Context, None]) -> OpdType | None:  # noqa: ANN401
        return await load_opd(info, getattr(root.row, column))

    field: StrawberryField = strawberry.field(resolver=opd, description=description)
    return field


def unit_field(column: str, *, description: str) -> StrawberryField:
    """The unit of ``row.<column>``."""

    async def unit(root: Any, info: Info[Context, None]) -> UnorType | None:  # noqa: ANN401
        return await load_unit(info, getattr(root.row, column))

    field: StrawberryField = strawberry.field(resolver=unit, description=description)
    return field


@strawberry.type(name="Opd", description="OPD (Organisasi Perangkat Daerah): a regional agency.")
class OpdType(Node, FromRow[OpdRow]):
    """An OPD."""

    row: strawberry.Private[OpdRow]
    code: str = strawberry.field(description="Stable short code, e.g. DINKES.")
    name: str = strawberry.field(description="Full name, e.g. Dinas Kesehatan.")
    short_name: str = strawberry.field(description="Short name, e.g. Dinkes.")

    @strawberry.field(description="Top-level units of this OPD.")
    async def units(self, info: Info[Context, None]) -> list[UnorType]:
        """Root units."""
        rows = await PeopleLoaders.of(info).root_unors.load(self.row.id)
        return [UnorType.from_row(r) for r in rows]


@strawberry.type(name="Unor", description="Unit organisasi: a node of an OPD's org tree.")
class UnorType(Node, FromRow[UnorRow]):
    """An org unit."""

    row: strawberry.Private[UnorRow]
    code: str = strawberry.field(description="Stable code, e.g. DINKES.PKM.PAMULANG.")
    name: str = strawberry.field(description="Unit name, e.g. UPTD Puskesmas Pamulang.")

    @strawberry.field(description="The OPD this unit belongs to.")
    async def opd(self, info: Info[Context, None]) -> OpdType:
        """Owning OPD."""
        row = await PeopleLoaders.of(info).opd.load(self.row.opd_id)
        assert row is not None  # noqa: S101 - enforced by a NOT NULL foreign key
        return OpdType.from_row(row)

    parent = unit_field("parent_id", description="Parent unit, or null for a top-level unit.")

    @strawberry.field(description="Child units, by name.")
    async def children(self, info: Info[Context, None]) -> list[UnorType]:
        """Child units."""
        rows = await PeopleLoaders.of(info).unor_children.load(self.row.id)
        return [UnorType.from_row(r) for r in rows]

    @strawberry.field(description="Number of active employees placed directly in this unit.")
    async def employee_count(self, info: Info[Context, None]) -> int:
        """Active employees in the unit."""
        count: int = await PeopleLoaders.of(info).unor_employee_count.load(self.row.id)
        return count


@strawberry.type(
    description="Private part of an employee's record: visible to the employee, their "
    "supervisor chain, an admin of their OPD and BKPSDM admins."
)
class EmployeeProfile:
    """Scoped employee fields."""

    row: strawberry.Private[EmployeeRow]
    nip: str = strawberry.field(description="NIP (PNS) or NI PPPK, 18 digits.")
    kind: EmployeeKind = strawberry.field(description="PNS or PPPK.")
    gender: Gender | None = strawberry.field(description="Gender (from the NIP for PNS).")
    birth_date: date | None = strawberry.field(description="Birth date (from the NIP for PNS).")
    tmt_cpns: date | None = strawberry.field(description="TMT CPNS: start of civil service.")
    hired_on: date | None = strawberry.field(description="Date the employee joined.")
    golongan: str | None = strawberry.field(description="Golongan/ruang, e.g. III/a.")
    active: bool = strawberry.field(description="False once the employee has left.")

    @strawberry.field(
        description="Opaque ID of the profile: stable per employee, for client caches "
        "(node(id:) does not fetch it; the employee's own id does)."
    )
    def id(self) -> strawberry.ID:
        """Profile identity (the employee's)."""
        return strawberry.ID(encode_global_id("EmployeeProfile", self.row.id))

    @strawberry.field(description="Pangkat (rank title) of a PNS golongan, e.g. Penata Muda.")
    def pangkat(self) -> str | None:
        """Rank title."""
        golongan = _GOLONGAN_BY_VALUE.get(self.row.golongan or "")
        return PANGKAT[golongan] if golongan else None

    @strawberry.field(description="Supervisor (pejabat penilai), or null at the top.")
    async def supervisor(self, info: Info[Context, None]) -> EmployeeType | None:
        """Direct supervisor."""
        if self.row.supervisor_id is None:
            return None
        row = await PeopleLoaders.of(info).employee.load(self.row.supervisor_id)
        return EmployeeType.from_row(row) if row else None

    @strawberry.field(description="Number of active direct reports.")
    async def direct_report_count(self, info: Info[Context, None]) -> int:
        """Direct reports."""
        count: int = await PeopleLoaders.of(info).direct_report_count.load(self.row.id)
        return count


@strawberry.type(
    name="Employee",
    description="An ASN employee. Directory fields are public to logged-in users; the rest "
    "is in `profile`, which is null when the viewer may not read it.",
)
class EmployeeType(Node, FromRow[EmployeeRow]):
    """An employee."""

    row: strawberry.Private[EmployeeRow]
    name: str = strawberry.field(description="Full name with titles.")
    jabatan_name: str = strawberry.field(description="Position name, e.g. Perawat Terampil.")
    jabatan_kind: JabatanKind = strawberry.field(description="Position kind.")

    @strawberry.field(description="The unit the employee is placed in.")
    async def unor(self, info: Info[Context, None]) -> UnorType:
        """Placement unit."""
        row = await PeopleLoaders.of(info).unor.load(self.row.unor_id)
        assert row is not None  # noqa: S101 - enforced by a NOT NULL foreign key
        return UnorType.from_row(row)

    @strawberry.field(description="The employee's OPD.")
    async def opd(self, info: Info[Context, None]) -> OpdType:
        """OPD."""
        row = await PeopleLoaders.of(info).opd.load(self.row.opd_id)
        assert row is not None  # noqa: S101 - enforced by a NOT NULL foreign key
        return OpdType.from_row(row)

    @strawberry.field(description="Private fields, or null when the viewer may not read them.")
    async def profile(self, info: Info[Context, None]) -> EmployeeProfile | None:
        """Scoped profile."""
        viewer = info.context.viewer
        if viewer is None:
            return None
        if not await visibility.may_read(viewer, self.row):
            return None
        r = self.row
        return EmployeeProfile(
            row=r,
            nip=r.nip,
            kind=EmployeeKind(r.kind),
            gender=Gender(r.gender) if r.gender else None,
            birth_date=r.birth_date,
            tmt_cpns=r.tmt_cpns,
            hired_on=r.hired_on,
            golongan=r.golongan,
            active=r.active,
        )


async def load_employee(info: Info[Context, None], employee_id: int | None) -> EmployeeType | None:
    """The employee with this id through the request's dataloader (None for None or missing)."""
    if employee_id is None:
        return None
    row = await PeopleLoaders.of(info).employee.load(employee_id)
    return EmployeeType.from_row(row) if row else None


async def load_opd(info: Info[Context, None], opd_id: int | None) -> OpdType | None:
    """The OPD with this id through the request's dataloader (None for None or missing)."""
    if opd_id is None:
        return None
    row = await PeopleLoaders.of(info).opd.load(opd_id)
    return OpdType.from_row(row) if row else None


async def load_unit(info: Info[Context, None], unor_id: int | None) -> UnorType | None:
    """The unit with this id through the request's dataloader (None for None or missing)."""
    if unor_id is None:
        return None
    row = await PeopleLoaders.of(info).unor.load(unor_id)
    return UnorType.from_row(row) if row else None


strawberry.enum(ActingKind, description="PLT (pelaksana tugas) or PLH (pelaksana harian).")


@strawberry.type(
    name="ActingAppointment",
    description="A Plt/Plh: an acting official who stands in for a pejabat penilai for a date "
    "range (verification, feedback and evaluation of the principal's staff).",
)
class ActingAppointmentType(Node):
    """An acting appointment."""

    row: strawberry.Private[ActingRow]
    kind: ActingKind = strawberry.field(description="PLT or PLH.")
    kind_label: str = strawberry.field(description="Indonesian label of the kind.")
    starts_on: date = strawberry.field(description="First day (city calendar).")
    ends_on: date = strawberry.field(description="Last day (city calendar), inclusive.")
    reason: str = strawberry.field(description="Why (e.g. cuti, jabatan kosong).")
    revoked_at: datetime | None = strawberry.field(description="When it was revoked.")
    created_at: datetime = strawberry.field(description="When it was made.")

    @classmethod
    def from_row(cls, row: ActingRow) -> ActingAppointmentType:
        """Build from a service row."""
        return cls(
            id=strawberry.ID(encode_global_id("ActingAppointment", row.id)),
            row=row,
            kind=ActingKind(row.kind),
            kind_label=ActingKind(row.kind).label,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            reason=row.reason,
            revoked_at=row.revoked_at,
            created_at=row.created_at,
        )

    principal = employee_field("principal_id", description="The pejabat penilai stood in for.")

    acting = employee_field("acting_id", description="The acting official (Plt/Plh).")

    @strawberry.field(description="Whether it is in force today (city calendar).")
    def active_today(self) -> bool:
        """In force today."""
        return self.row.runs_on(clock.today())


@strawberry.type(
    name="DetectedMutasi",
    description="A mutasi detected by the SIMPEG import: the employee's unit or supervisor "
    "changed (recorded instead of moving history silently).",
)
class DetectedMutasiType(FromRow[MoveRow]):
    """A detected move."""

    row: strawberry.Private[MoveRow]
    id: strawberry.ID = strawberry.field(
        description="Opaque global ID of the mutasi (for `applyMutasi`)."
    )
    effective_on: date = strawberry.field(description="Date of detection (city calendar).")
    source: str = strawberry.field(description="Where it was detected (SIMPEG).")
    status: str = strawberry.field(description="DETECTED until the mutasi flow handles it.")
    detected_at: datetime = strawberry.field(description="When it was recorded.")

    employee = employee_field("employee_id", description="The employee who moved.")

    old_supervisor = employee_field(
        "old_supervisor_id", description="The previous supervisor (rater)."
    )

    new_supervisor = employee_field("new_supervisor_id", description="The new supervisor (rater).")

    old_unit = unit_field("old_unor_id", description="The previous unit.")

    new_unit = unit_field("new_unor_id", description="The new unit.")
