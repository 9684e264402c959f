"""GraphQL of the BKPSDM processes."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from portal.core.auth import Role
from portal.core.context import Context
from portal.core.errors import DomainError, NotFoundError
from portal.core.graphql import (
    Connection,
    IsAuthenticated,
    UserError,
    has_role,
    run_payload,
    to_connection,
    viewer_of,
)
from portal.core.ids import decode_id_of
from portal.core.pagination import page_of, page_request
from portal.processes.enums import DocumentKind, ObjectionStatus
from portal.processes.services import documents, objections, reports
from portal.processes.services.documents import IssuedDocument
from portal.processes.services.objections import ObjectionRow
from portal.processes.types import (
    CompletionGapType,
    CompletionRowType,
    DecideObjectionInput,
    FileObjectionInput,
    IssueOfficialDocumentInput,
    ObjectionPayload,
    ObjectionType,
    ObjectionWindowType,
    OfficialDocumentPayload,
    OfficialDocumentType,
    PredikatRecapRowType,
)

REPORTERS = has_role(Role.ADMIN_BKPSDM, Role.ADMIN_OPD)


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

    @strawberry.field(
        description="The keberatan window of an evaluation the viewer may read (null "
        "otherwise): its deadline, whether the viewer may file now, the objection filed.",
        permission_classes=[IsAuthenticated],
    )
    async def objection_window(
        self, info: Info[Context, None], evaluation_id: strawberry.ID
    ) -> ObjectionWindowType | None:
        """Window."""
        pk = decode_id_of(evaluation_id, "Evaluation", "evaluationId")
        try:
            window = await objections.objection_window(viewer_of(info), pk)
        except NotFoundError:
            return None
        return ObjectionWindowType.from_window(window)

    @strawberry.field(
        description="Rekap predikat of a period: per OPD (counts, shares, curve violations) "
        "and the total (ADMIN_BKPSDM: the city; ADMIN_OPD: their OPDs).",
        permission_classes=[IsAuthenticated, REPORTERS],
    )
    async def predikat_recap(
        self, info: Info[Context, None], period_id: strawberry.ID
    ) -> list[PredikatRecapRowType]:
        """Recap."""
        rows = await reports.predikat_recap(
            viewer_of(info), decode_id_of(period_id, "Period", "periodId")
        )
        return [PredikatRecapRowType.from_row(r) for r in rows]

    @strawberry.field(
        description="Completion monitoring of a period per OPD and in total: no approved SKP, "
        "no activity in seven days, not evaluated (ADMIN_BKPSDM, ADMIN_OPD).",
        permission_classes=[IsAuthenticated, REPORTERS],
    )
    async def completion_monitoring(
        self, info: Info[Context, None], period_id: strawberry.ID
    ) -> list[CompletionRowType]:
        """Completion."""
        rows = await reports.completion(
            viewer_of(info), decode_id_of(period_id, "Period", "periodId")
        )
        return [
            CompletionRowType(
                opd_name=r.opd_name,
                employees=r.employees,
                without_skp=r.without_skp,
                not_logging=r.not_logging,
                not_evaluated=r.not_evaluated,
            )
            for r in rows
        ]

    @strawberry.field(
        description="Employees with a completion gap in a period (one OPD, or the viewer's "
        "scope), by employee id (ADMIN_BKPSDM, ADMIN_OPD).",
        permission_classes=[IsAuthenticated, REPORTERS],
    )
    async def completion_gaps(
        self,
        info: Info[Context, None],
        period_id: strawberry.ID,
        first: int,
        after: str | None = None,
        opd_id: strawberry.ID | None = None,
    ) -> Connection[CompletionGapType]:
        """Gaps."""
        request = page_request(first, after)
        rows = await reports.completion_gaps(
            viewer_of(info),
            decode_id_of(period_id, "Period", "periodId"),
            decode_id_of(opd_id, "Opd", "opdId") if opd_id else None,
        )
        ordered = sorted(
            (r for r in rows if request.after_pk is None or r.id > request.after_pk),
            key=lambda r: r.id,
        )
        page = page_of(ordered[: request.first + 1], request, len(rows))
        return to_connection(page, CompletionGapType.from_row)


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

    @strawberry.mutation(
        description="Issue (or find) the official PDF document of an SKP or a FINAL evaluation "
        "the viewer may read; returns its number, verification code and download path.",
        permission_classes=[IsAuthenticated],
    )
    async def issue_official_document(
        self,
        info: Info[Context, None],
        input: IssueOfficialDocumentInput,  # noqa: A002
    ) -> OfficialDocumentPayload:
        """Issue."""
        viewer = viewer_of(info)

        async def go() -> tuple[IssuedDocument, str]:
            if (input.skp_id is None) == (input.evaluation_id is None):
                raise DomainError.single(
                    "INVALID_VALUE", "Isi salah satu: skpId atau evaluationId", "skpId"
                )
            if input.skp_id is not None:
                pk = decode_id_of(input.skp_id, "Skp", "skpId")
                issued, _ = await documents.issue_skp(viewer, pk)
                return issued, f"/documents/skp/{input.skp_id}"
            assert input.evaluation_id is not None  # noqa: S101 - checked above
            pk = decode_id_of(input.evaluation_id, "Evaluation", "evaluationId")
            issued, _ = await documents.issue_evaluation(viewer, pk)
            return issued, f"/documents/evaluation/{input.evaluation_id}"

        result, errors = await run_payload(go)
        if result is None:
            return OfficialDocumentPayload(document=None, user_errors=errors)
        issued, path = result
        kind = DocumentKind(issued.kind)
        return OfficialDocumentPayload(
            document=OfficialDocumentType(
                kind=kind,
                title=kind.label,
                number=issued.number,
                verification_code=issued.verification_code,
                verify_url=issued.verify_url,
                download_path=path,
                issued_at=issued.issued_at,
            ),
            user_errors=[],
        )
