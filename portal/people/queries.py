"""Query fields of the people domain: the directory, Plt/Plh appointments, detected mutasi.

Thin: unpack, call the service, map. Node resolution of Employee, Opd, Unor and
ActingAppointment is registered here; the writes are in :mod:`portal.people.mutations`.
"""

from __future__ import annotations

from datetime import date

import strawberry

from portal.core.auth import Role
from portal.core.context import Info
from portal.core.graphql import (
    Connection,
    has_role,
    ordered_page_request,
    register_node,
    to_connection,
    viewer_field,
    viewer_of,
)
from portal.core.ids import decode_id_of
from portal.core.pagination import page_request
from portal.people.loaders import PeopleLoaders
from portal.people.services import acting, directory, moves
from portal.people.services.directory import EmployeeFilter
from portal.people.types import (
    ActingAppointmentType,
    DetectedMutasiType,
    EmployeeOrderInput,
    EmployeeType,
    OpdType,
    UnorType,
)


async def _employee_node(info: Info, pk: int) -> EmployeeType | None:
    rows = await PeopleLoaders.of(info).employee.load(pk)
    return EmployeeType.from_row(rows) if rows else None


async def _opd_node(info: Info, pk: int) -> OpdType | None:
    row = await PeopleLoaders.of(info).opd.load(pk)
    return OpdType.from_row(row) if row else None


async def _unor_node(info: Info, pk: int) -> UnorType | None:
    row = await PeopleLoaders.of(info).unor.load(pk)
    return UnorType.from_row(row) if row else None


# Directory objects are public to logged-in users; private parts are scoped in the type.
register_node("Employee", _employee_node)
register_node("Opd", _opd_node)
register_node("Unor", _unor_node)


async def _acting_node(info: Info, pk: int) -> ActingAppointmentType | None:
    viewer = info.context.viewer
    (row,) = await acting.appointments_by_ids([pk])
    if row is None or viewer is None or not acting.can_read(viewer, row):
        return None
    return ActingAppointmentType.from_row(row)


register_node("ActingAppointment", _acting_node)


@strawberry.input(description="Filters of the employee directory (combined with AND).")
class EmployeeFilterInput:
    """Directory filters."""

    opd_id: strawberry.ID | None = strawberry.field(default=None, description="Only this OPD.")
    unor_id: strawberry.ID | None = strawberry.field(default=None, description="Only this unit.")
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive part of the name."
    )


@strawberry.type
class PeopleQuery:
    """Directory and org-tree queries."""

    @viewer_field("Employee directory (public fields; `profile` is scoped).")
    async def employees(  # noqa: PLR0917 - the Relay arguments, filter and ordering
        self,
        first: int | None = None,
        after: str | None = None,
        filter: EmployeeFilterInput | None = None,  # noqa: A002 - GraphQL argument name
        last: int | None = None,
        before: str | None = None,
        order_by: EmployeeOrderInput | None = None,
    ) -> Connection[EmployeeType]:
        """Paginated directory."""
        flt = EmployeeFilter()
        if filter is not None:
            flt = EmployeeFilter(
                opd_id=decode_id_of(filter.opd_id, "Opd", "opdId") if filter.opd_id else None,
                unor_id=(
                    decode_id_of(filter.unor_id, "Unor", "unorId") if filter.unor_id else None
                ),
                search=(filter.search or "")[:100] or None,
            )
        request = ordered_page_request(first, after, last, before, order_by)
        page = await directory.list_employees(flt, request)
        return to_connection(page, EmployeeType.from_row)

    @viewer_field("Every OPD of the city, by name.")
    async def opds(self) -> list[OpdType]:
        """All OPDs."""
        return [OpdType.from_row(r) for r in await directory.list_opds()]


@strawberry.type
class ActingQuery:
    """Plt/Plh appointments."""

    @viewer_field(
        "Plt/Plh appointments the viewer may read (as principal, as acting "
        "official, as admin of the OPD, or BKPSDM), newest first."
    )
    async def acting_appointments(
        self,
        info: Info,
        first: int,
        after: str | None = None,
        active_on: date | None = None,
    ) -> Connection[ActingAppointmentType]:
        """Appointments."""
        page = await acting.list_appointments(
            viewer_of(info), page_request(first, after), active_on=active_on
        )
        return to_connection(page, ActingAppointmentType.from_row)


@strawberry.type
class MoveQuery:
    """Mutasi detected by the SIMPEG import."""

    @viewer_field(
        "Mutasi detected by the SIMPEG import, newest first (ADMIN_BKPSDM: all; "
        "ADMIN_OPD: moves out of or into their OPDs).",
        has_role(Role.ADMIN_BKPSDM, Role.ADMIN_OPD),
    )
    async def detected_mutasi(
        self, info: Info, first: int, after: str | None = None
    ) -> Connection[DetectedMutasiType]:
        """Detected moves."""
        page = await moves.list_moves(viewer_of(info), page_request(first, after))
        return to_connection(page, DetectedMutasiType.from_row)
