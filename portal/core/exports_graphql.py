"""GraphQL of the exports run as jobs: ``startExport`` (poll it with ``backgroundJob``)."""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry

from portal.core.context import Info
from portal.core.exports import EXPORT_JOB, export_spec, record_export_queued
from portal.core.graphql import Input, run_payload, viewer_mutation, viewer_of
from portal.core.ids import decode_optional_id
from portal.core.jobs import JSON, get_queue, viewer_snapshot
from portal.core.jobs_graphql import BackgroundJobType, StartJobPayload


@strawberry.enum(description="What a background export contains.")
class ExportKind(Enum):
    """The exports offered as jobs."""

    INCENTIVES = "INCENTIVES"
    ADOPTION_FUNNEL = "ADOPTION_FUNNEL"


@strawberry.enum(description="The file format of an export.")
class ExportFormat(Enum):
    """File formats."""

    CSV = "CSV"
    XLSX = "XLSX"


@strawberry.input(description="What to export; which scope arguments apply depends on the kind.")
class StartExportInput:
    """Export input."""

    kind: ExportKind = strawberry.field(description="What to export.")
    format: ExportFormat = strawberry.field(
        default=ExportFormat.CSV, description="CSV (UTF-8) or XLSX."
    )
    period_id: strawberry.ID | None = strawberry.field(
        default=None, description="The period (INCENTIVES: required)."
    )
    opd_id: strawberry.ID | None = strawberry.field(
        default=None, description="The OPD (INCENTIVES: required; ADOPTION_FUNNEL: optional)."
    )
    unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="A unit and its subtree (ADOPTION_FUNNEL, optional)."
    )
    from_date: date | None = strawberry.field(
        default=None, name="from", description="First day (ADOPTION_FUNNEL; default 12 weeks)."
    )
    to_date: date | None = strawberry.field(
        default=None, name="to", description="Last day (ADOPTION_FUNNEL; default today)."
    )


def _params(data: StartExportInput) -> JSON:
    return {
        "period_id": decode_optional_id(data.period_id, "Period", "periodId"),
        "opd_id": decode_optional_id(data.opd_id, "Opd", "opdId"),
        "unit_id": decode_optional_id(data.unit_id, "Unor", "unitId"),
        "start": data.from_date.isoformat() if data.from_date else None,
        "end": data.to_date.isoformat() if data.to_date else None,
    }


@strawberry.type
class ExportMutation:
    """Exports as background jobs."""

    @viewer_mutation(
        "Build a large export as a background job. Poll it with `backgroundJob`; "
        "when complete, its `downloadUrl` serves the file to the viewer for an hour."
    )
    async def start_export(self, info: Info, data: Input[StartExportInput]) -> StartJobPayload:
        """Check the request now, then queue the job as the viewer."""
        viewer = viewer_of(info)
        kind = data.kind.value

        async def start() -> str:
            params = _params(data)
            await export_spec(kind).check(viewer, params)
            key = await get_queue().enqueue(
                EXPORT_JOB,
                owner_account_id=viewer.account_id,
                kind=kind,
                file_format=data.format.value,
                params=params,
                viewer=viewer_snapshot(viewer),
            )
            await record_export_queued(viewer, key, kind, params | {"format": data.format.value})
            return key

        key, errors = await run_payload(start)
        state = await get_queue().state(key) if key else None
        return StartJobPayload(
            job=BackgroundJobType.from_state(state) if state else None, user_errors=errors
        )
