"""GraphQL of the BKPSDM processes."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from portal.core.context import Context
from portal.core.graphql import (
    Connection,
    IsAuthenticated,
    UserError,
    run_payload,
    to_connection,
    viewer_of,
)
from portal.core.ids import decode_id_of
from portal.core.pagination import page_request
from portal.processes.enums import ObjectionStatus
from portal.processes.services import objections
from portal.processes.services.objections import ObjectionRow
from portal.processes.types import (
    DecideObjectionInput,
    FileObjectionInput,
    ObjectionPayload,
    ObjectionType,
)


def _payload(row: ObjectionRow | None, errors: list[UserError]) -> ObjectionPayload:
    return ObjectionPayload(
        objection=ObjectionType.from_row(row) if row else None, user_errors=errors
    )


@strawberry.type
class ProcessesQuery:
    """Keberatan."""

    @strawberry.field(
        description="Objections the viewer may read (their own, their subordinates', their "
        "OPD's or the city's), newest first; `toDecide`: those the viewer must decide.",
        permission_classes=[IsAuthenticated],
    )
    async def objections(
        self,
        info: Info[Context, None],
        first: int,
        after: str | None = None,
        status: ObjectionStatus | None = None,
        to_decide: bool = False,
    ) -> Connection[ObjectionType]:
        """Objections."""
        page = await objections.list_objections(
            viewer_of(info), page_request(first, after), status=status, to_decide=to_decide
        )
        return to_connection(page, ObjectionType.from_row)


@strawberry.type
class ProcessesMutation:
    """Keberatan writes."""

    @strawberry.mutation(
        description="File a keberatan against one's own FINAL annual evaluation, within the "
        "configured number of days (city calendar).",
        permission_classes=[IsAuthenticated],
    )
    async def file_objection(
        self,
        info: Info[Context, None],
        input: FileObjectionInput,  # noqa: A002
    ) -> ObjectionPayload:
        """File."""
        viewer = viewer_of(info)
        evaluation_id = decode_id_of(input.evaluation_id, "Evaluation", "evaluationId")
        return _payload(
            *await run_payload(
                lambda: objections.file_objection(viewer, evaluation_id, input.reason)
            )
        )

    @strawberry.mutation(
        description="Decide a keberatan (the atasan of the pejabat penilai): final; a CHANGE "
        "rewrites the evaluation's predikat.",
        permission_classes=[IsAuthenticated],
    )
    async def decide_objection(
        self,
        info: Info[Context, None],
        input: DecideObjectionInput,  # noqa: A002
    ) -> ObjectionPayload:
        """Decide."""
        viewer = viewer_of(info)
        objection_id = decode_id_of(input.objection_id, "Objection", "objectionId")
        return _payload(
            *await run_payload(
                lambda: objections.decide_objection(
                    viewer,
                    objection_id,
                    input.decision,
                    input.reason,
                    hasil=input.hasil,
                    perilaku=input.perilaku,
                )
            )
        )
