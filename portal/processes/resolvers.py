"""GraphQL of the BKPSDM processes."""

from __future__ import annotations

import strawberry

from portal.core.auth import Role, Viewer
from portal.core.context import Info
from portal.core.errors import DomainError, NotFoundError
from portal.core.graphql import (
    Connection,
    Input,
    UserError,
    has_role,
    mutate,
    to_connection,
    viewer_field,
    viewer_mutation,
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

    @viewer_field(
        "Objections the viewer may read (their own, their subordinates', their "
        "OPD's or the city's), newest first; `toDecide`: those the viewer must decide."
    )
    async def objections(
        self,
        info: Info,
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

    @viewer_field(
        "The keberatan window of an evaluation the viewer may read (null "
        "otherwise): its deadline, whether the viewer may file now, the objection filed."
    )
    async def objection_window(
        self, info: Info, evaluation_id: strawberry.ID
    ) -> ObjectionWindowType | None:
        """Window."""
        pk = decode_id_of(evaluation_id, "Evaluation", "evaluationId")
        try:
            window = await objections.objection_window(viewer_of(info), pk)
        except NotFoundError:
            return None
        return ObjectionWindowType.from_window(window)

    @viewer_field(
        "Rekap predikat of a period: per OPD (counts, shares, curve violations) "
        "and the total (ADMIN_BKPSDM: the city; ADMIN_OPD: their OPDs).",
        REPORTERS,
    )
    async def predikat_recap(
        self, info: Info, period_id: strawberry.ID
    ) -> list[PredikatRecapRowType]:
        """Recap."""
        rows = await reports.predikat_recap(
            viewer_of(info), decode_id_of(period_id, "Period", "periodId")
        )
        return [PredikatRecapRowType.from_row(r) for r in rows]

    @viewer_field(
        "Completion monitoring of a period per OPD and in total: no approved SKP, "
        "no activity in seven days, not evaluated (ADMIN_BKPSDM, ADMIN_OPD).",
        REPORTERS,
    )
    async def completion_monitoring(
        self, info: Info, period_id: strawberry.ID
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

    @viewer_field(
        "Employees with a completion gap in a period (one OPD, or the viewer's "
        "scope), by employee id (ADMIN_BKPSDM, ADMIN_OPD).",
        REPORTERS,
    )
    async def completion_gaps(
        self,
        info: Info,
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

    @viewer_mutation(
        "File a keberatan against one's own FINAL annual evaluation, within the "
        "configured number of days (city calendar)."
    )
    async def file_objection(self, info: Info, data: Input[FileObjectionInput]) -> ObjectionPayload:
        """File."""
        evaluation_id = decode_id_of(data.evaluation_id, "Evaluation", "evaluationId")
        return await mutate(
            info,
            lambda viewer: objections.file_objection(viewer, evaluation_id, data.reason),
            _payload,
        )

    @viewer_mutation(
        "Decide a keberatan (the atasan of the pejabat penilai): final; a CHANGE "
        "rewrites the evaluation's predikat."
    )
    async def decide_objection(
        self, info: Info, data: Input[DecideObjectionInput]
    ) -> ObjectionPayload:
        """Decide."""
        objection_id = decode_id_of(data.objection_id, "Objection", "objectionId")
        return await mutate(
            info,
            lambda viewer: objections.decide_objection(
                viewer,
                objection_id,
                data.decision,
                data.reason,
                hasil=data.hasil,
                perilaku=data.perilaku,
            ),
            _payload,
        )

    @viewer_mutation(
        "Issue (or find) the official PDF document of an SKP or a FINAL evaluation "
        "the viewer may read; returns its number, verification code and download path."
    )
    async def issue_official_document(
        self, info: Info, data: Input[IssueOfficialDocumentInput]
    ) -> OfficialDocumentPayload:
        """Issue."""
        return await mutate(info, lambda viewer: _issue(viewer, data), _document_payload)


async def _issue(viewer: Viewer, data: IssueOfficialDocumentInput) -> tuple[IssuedDocument, str]:
    """Issue the document of the SKP or of the evaluation (exactly one); with its download path."""
    if (data.skp_id is None) == (data.evaluation_id is None):
        raise DomainError.single(
            "INVALID_VALUE", "Isi salah satu: skpId atau evaluationId", "skpId"
        )
    if data.skp_id is not None:
        pk = decode_id_of(data.skp_id, "Skp", "skpId")
        issued, _ = await documents.issue_skp(viewer, pk)
        return issued, f"/documents/skp/{data.skp_id}"
    assert data.evaluation_id is not None  # noqa: S101 - checked above
    pk = decode_id_of(data.evaluation_id, "Evaluation", "evaluationId")
    issued, _ = await documents.issue_evaluation(viewer, pk)
    return issued, f"/documents/evaluation/{data.evaluation_id}"


def _document_payload(
    result: tuple[IssuedDocument, str] | None, errors: list[UserError]
) -> OfficialDocumentPayload:
    if result is None:
        return OfficialDocumentPayload(document=None, user_errors=errors)
    issued, path = result
    kind = DocumentKind(issued.kind)
    return OfficialDocumentPayload(
        document=OfficialDocumentType(
            kind=kind,
            title=kind.document_title,
            number=issued.number,
            verification_code=issued.verification_code,
            verify_url=issued.verify_url,
            download_path=path,
            issued_at=issued.issued_at,
        ),
        user_errors=[],
    )
