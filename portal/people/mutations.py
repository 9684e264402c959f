"""Mutation fields of the people domain, with their inputs and payloads (thin).

The SIMPEG import (at once or as a background job) and Plt/Plh appointments.
"""

from __future__ import annotations

from datetime import date

import strawberry

from portal.core.auth import Role
from portal.core.context import Info
from portal.core.error_codes import checked
from portal.core.graphql import (
    ErrorCodeType,
    Input,
    UserError,
    has_role,
    mutate,
    viewer_mutation,
    viewer_of,
)
from portal.core.ids import decode_id_of
from portal.core.jobs import get_queue, viewer_snapshot
from portal.core.jobs_graphql import BackgroundJobType, StartJobPayload
from portal.people.enums import ActingKind
from portal.people.services import acting, importer
from portal.people.types import (
    ActingAppointmentType,
)

IMPORT_JOB = "people.import_employees"  # the job is registered in portal.ops.jobs


@strawberry.input(description="A SIMPEG CSV export to import.")
class ImportEmployeesInput:
    """Import input."""

    csv: str = strawberry.field(
        description="UTF-8 CSV with header nip,nama,jenis_pegawai,golongan,jenis_jabatan,"
        "nama_jabatan,kode_unor,nip_atasan."
    )
    partial: bool = strawberry.field(
        default=False, description="Import the good rows even when some rows are bad."
    )
    dry_run: bool = strawberry.field(
        default=False, description="Validate and report only; write nothing."
    )


@strawberry.type(description="A rejected CSV row.")
class ImportRowError:
    """A bad row."""

    line: int = strawberry.field(description="Line number in the file (the header is line 1).")
    nip: str | None = strawberry.field(description="NIP of the row, when readable.")
    code: ErrorCodeType = strawberry.field(
        description="Reason code from the `ErrorCode` catalogue, e.g. INVALID_NIP, UNKNOWN_UNIT."
    )
    message: str = strawberry.field(
        description="Explanation: Indonesian, or English when the request's Accept-Language "
        "prefers it (as for `UserError.message`)."
    )


@strawberry.type(description="Outcome of an employee import.")
class ImportEmployeesPayload:
    """Import payload."""

    applied: bool = strawberry.field(
        description="False when the import was refused (bad rows without `partial`) or was a "
        "dry run; true when the good rows were written."
    )
    created: int = strawberry.field(description="Employees created (or that would be).")
    updated: int = strawberry.field(
        description="Employees whose data or supervisor changed (or would)."
    )
    unchanged: int = strawberry.field(description="Rows identical to the stored employee.")
    mutasi_detected: int = strawberry.field(
        default=0,
        description="Employees whose unit or supervisor changed: recorded as detected mutasi.",
    )
    row_errors: list[ImportRowError] = strawberry.field(description="Every bad row.")
    user_errors: list[UserError] = strawberry.field(description="Business-rule failures.")


def _import_payload(
    report: importer.ImportReport | None, errors: list[UserError]
) -> ImportEmployeesPayload:
    if report is None:
        return ImportEmployeesPayload(
            applied=False, created=0, updated=0, unchanged=0, row_errors=[], user_errors=errors
        )
    return ImportEmployeesPayload(
        applied=report.applied,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        mutasi_detected=len(report.moves),
        row_errors=[
            ImportRowError(
                line=e.line, nip=e.nip, code=ErrorCodeType(checked(e.code)), message=e.text()
            )
            for e in report.errors
        ],
        user_errors=[],
    )


@strawberry.type
class PeopleMutation:
    """Admin mutations of the people domain."""

    @viewer_mutation(
        "Start a large employee import as a background job (same CSV and rules "
        "as importEmployees); follow its progress and result with `backgroundJob(id:)`.",
        has_role(Role.ADMIN_BKPSDM, Role.ADMIN_OPD),
    )
    async def start_employee_import(
        self, info: Info, data: Input[ImportEmployeesInput]
    ) -> StartJobPayload:
        """Queue the importer as the viewer."""
        viewer = viewer_of(info)
        key = await get_queue().enqueue(
            IMPORT_JOB,
            owner_account_id=viewer.account_id,
            csv=data.csv,
            partial=data.partial,
            dry_run=data.dry_run,
            viewer=viewer_snapshot(viewer),
        )
        await importer.record_import_queued(
            viewer,
            key,
            csv_bytes=len(data.csv.encode()),
            partial=data.partial,
            dry_run=data.dry_run,
        )
        state = await get_queue().state(key)
        return StartJobPayload(
            job=BackgroundJobType.from_state(state) if state else None, user_errors=[]
        )

    @viewer_mutation(
        "Import or update employees from a SIMPEG CSV export (upsert by NIP). "
        "Nothing is imported when any row is bad, unless `partial` is set.",
        has_role(Role.ADMIN_BKPSDM, Role.ADMIN_OPD),
    )
    async def import_employees(
        self, info: Info, data: Input[ImportEmployeesInput]
    ) -> ImportEmployeesPayload:
        """Run the importer as the viewer."""
        return await mutate(
            info,
            lambda viewer: importer.import_csv_text(
                data.csv, viewer=viewer, partial=data.partial, dry_run=data.dry_run
            ),
            _import_payload,
        )


@strawberry.input(description="Appoint a Plt/Plh for a pejabat penilai (ADMIN_OPD, BKPSDM).")
class AppointActingInput:
    """Appointment input."""

    principal_id: strawberry.ID = strawberry.field(description="The pejabat penilai.")
    acting_id: strawberry.ID = strawberry.field(description="The acting official.")
    kind: ActingKind = strawberry.field(description="PLT or PLH.")
    starts_on: date = strawberry.field(description="First day (city calendar).")
    ends_on: date = strawberry.field(description="Last day, inclusive (at most a year).")
    reason: str = strawberry.field(default="", description="Why (at most 1000 characters).")


@strawberry.input(description="Revoke a Plt/Plh appointment.")
class RevokeActingInput:
    """Revoke input."""

    appointment_id: strawberry.ID = strawberry.field(description="The appointment.")


@strawberry.type(description="The appointment made or revoked, or why not.")
class ActingPayload:
    """Acting payload."""

    appointment: ActingAppointmentType | None = strawberry.field(description="The appointment.")
    user_errors: list[UserError] = strawberry.field(description="Business-rule failures.")


def _acting_payload(row: acting.ActingRow | None, errors: list[UserError]) -> ActingPayload:
    return ActingPayload(
        appointment=ActingAppointmentType.from_row(row) if row else None, user_errors=errors
    )


@strawberry.type
class ActingMutation:
    """Plt/Plh writes."""

    @viewer_mutation(
        "Appoint a Plt/Plh for a date range (ADMIN_OPD of the principal's OPD, or "
        "ADMIN_BKPSDM); both are notified."
    )
    async def appoint_acting(self, info: Info, data: Input[AppointActingInput]) -> ActingPayload:
        """Appoint."""
        principal_id = decode_id_of(data.principal_id, "Employee", "principalId")
        acting_id = decode_id_of(data.acting_id, "Employee", "actingId")
        return await mutate(
            info,
            lambda viewer: acting.appoint(
                viewer,
                principal_id=principal_id,
                acting_id=acting_id,
                kind=data.kind,
                starts_on=data.starts_on,
                ends_on=data.ends_on,
                reason=data.reason,
            ),
            _acting_payload,
        )

    @viewer_mutation("Revoke a Plt/Plh appointment now.")
    async def revoke_acting(self, info: Info, data: Input[RevokeActingInput]) -> ActingPayload:
        """Revoke."""
        appointment_id = decode_id_of(data.appointment_id, "ActingAppointment", "appointmentId")
        return await mutate(
            info, lambda viewer: acting.revoke(viewer, appointment_id), _acting_payload
        )
