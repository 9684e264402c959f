"""GraphQL types, inputs and payloads of the BKPSDM processes."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.types import Info

from portal.core.context import Context
from portal.core.graphql import Node, UserError, register_node
from portal.core.ids import encode_global_id
from portal.core.row_types import FromRow
from portal.people.types import employee_field, opd_field
from portal.performance.enums import OrgPredikat, Predikat, Rating
from portal.processes.enums import DocumentKind, ObjectionDecision, ObjectionStatus
from portal.processes.loaders import ProcessLoaders
from portal.processes.services import objections
from portal.processes.services.objections import ObjectionRow, ObjectionWindow
from portal.processes.services.reports import GapRow, RecapRow

strawberry.enum(
    ObjectionStatus,
    description="SUBMITTED (waiting for the decision), UPHELD (predikat kept) or CHANGED.",
)
strawberry.enum(
    ObjectionDecision,
    description="UPHOLD the predikat, or CHANGE the ratings (and so the predikat).",
)


@strawberry.type(
    name="Objection",
    description="A keberatan: an employee's objection to a FINAL annual evaluation, decided "
    "finally by the atasan of the pejabat penilai.",
)
class ObjectionType(Node):
    """An objection."""

    row: strawberry.Private[ObjectionRow]
    evaluation_id: strawberry.ID = strawberry.field(
        description="Global ID of the evaluation objected to."
    )
    status: ObjectionStatus = strawberry.field(description="Where the objection stands.")
    status_label: str = strawberry.field(description="Indonesian label of the status.")
    reason: str = strawberry.field(description="The employee's reason.")
    original_hasil: Rating = strawberry.field(description="Rating Hasil Kerja objected to.")
    original_perilaku: Rating = strawberry.field(description="Rating Perilaku objected to.")
    original_predikat: Predikat = strawberry.field(description="Predikat objected to.")
    deadline: date = strawberry.field(
        description="Last day (city calendar) on which it could be filed."
    )
    decided_hasil: Rating | None = strawberry.field(description="Rating Hasil Kerja decided.")
    decided_perilaku: Rating | None = strawberry.field(description="Rating Perilaku decided.")
    decided_predikat: Predikat | None = strawberry.field(description="Final predikat.")
    decision_reason: str | None = strawberry.field(description="The decider's reasons.")
    filed_at: datetime = strawberry.field(description="When it was filed.")
    decided_at: datetime | None = strawberry.field(description="When it was decided.")

    @classmethod
    def from_row(cls, row: ObjectionRow) -> ObjectionType:
        """Build from a service row."""
        return cls(
            id=strawberry.ID(encode_global_id("Objection", row.id)),
            row=row,
            evaluation_id=strawberry.ID(encode_global_id("Evaluation", row.evaluation_id)),
            status=ObjectionStatus(row.status),
            status_label=ObjectionStatus(row.status).label,
            reason=row.reason,
            original_hasil=Rating(row.original_hasil),
            original_perilaku=Rating(row.original_perilaku),
            original_predikat=Predikat(row.original_predikat),
            deadline=row.deadline,
            decided_hasil=Rating(row.decided_hasil) if row.decided_hasil else None,
            decided_perilaku=Rating(row.decided_perilaku) if row.decided_perilaku else None,
            decided_predikat=Predikat(row.decided_predikat) if row.decided_predikat else None,
            decision_reason=row.decision_reason,
            filed_at=row.filed_at,
            decided_at=row.decided_at,
        )

    employee = employee_field("employee_id", description="The employee who objects.")

    rater = employee_field(
        "rater_id", description="The pejabat penilai whose evaluation is objected to."
    )

    decider = employee_field(
        "decider_id",
        description="The atasan of the pejabat penilai, who decides (null: ADMIN_BKPSDM).",
    )


async def _objection_node(info: Info[Context, None], pk: int) -> ObjectionType | None:
    viewer = info.context.viewer
    row = await ProcessLoaders.of(info).objection.load(pk)
    if row is None or viewer is None or not await objections.can_read(viewer, row):
        return None
    return ObjectionType.from_row(row)


register_node("Objection", _objection_node)


@strawberry.input(description="File a keberatan against one's own FINAL annual evaluation.")
class FileObjectionInput:
    """File input."""

    evaluation_id: strawberry.ID = strawberry.field(description="The evaluation.")
    reason: str = strawberry.field(description="Why (20-4000 characters).")


@strawberry.input(description="Decide a keberatan (the atasan of the pejabat penilai).")
class DecideObjectionInput:
    """Decide input."""

    objection_id: strawberry.ID = strawberry.field(description="The objection.")
    decision: ObjectionDecision = strawberry.field(description="UPHOLD or CHANGE.")
    reason: str = strawberry.field(description="The reasons (20-4000 characters).")
    hasil: Rating | None = strawberry.field(
        default=None, description="New Rating Hasil Kerja (CHANGE only)."
    )
    perilaku: Rating | None = strawberry.field(
        default=None, description="New Rating Perilaku Kerja (CHANGE only)."
    )


@strawberry.type(description="The objection filed or decided, or why not.")
class ObjectionPayload:
    """Objection payload."""

    objection: ObjectionType | None = strawberry.field(description="The objection.")
    user_errors: list[UserError] = strawberry.field(description="Business-rule failures.")


strawberry.enum(DocumentKind, description="SKP, or EVALUATION (Dokumen Evaluasi Kinerja).")


@strawberry.type(
    name="OfficialDocument",
    description="An issued official document: its number, verification code and where to "
    "download it (PDF, with the same bearer token) or check it (public page).",
)
class OfficialDocumentType:
    """An issued document."""

    kind: DocumentKind = strawberry.field(description="SKP or EVALUATION.")
    title: str = strawberry.field(description="Indonesian title of the document.")
    number: str = strawberry.field(description="Document number, e.g. 800/EKP/2026/000012.")
    verification_code: str = strawberry.field(description="Code printed on the document.")
    verify_url: str = strawberry.field(description="The public verification page (the QR).")
    download_path: str = strawberry.field(description="Path of the PDF download.")
    issued_at: datetime = strawberry.field(description="When it was first issued.")


@strawberry.input(
    description="Issue (or find) the official document of an SKP or a FINAL evaluation; give "
    "exactly one of the two ids."
)
class IssueOfficialDocumentInput:
    """Issue input."""

    skp_id: strawberry.ID | None = strawberry.field(default=None, description="An SKP.")
    evaluation_id: strawberry.ID | None = strawberry.field(
        default=None, description="A FINAL evaluation."
    )


@strawberry.type(description="The issued document, or why not.")
class OfficialDocumentPayload:
    """Document payload."""

    document: OfficialDocumentType | None = strawberry.field(description="The document.")
    user_errors: list[UserError] = strawberry.field(description="Business-rule failures.")


@strawberry.type(name="RecapCount", description="One predikat of a recap row.")
class RecapCountType:
    """Count and share."""

    predikat: Predikat = strawberry.field(description="The predikat.")
    label: str = strawberry.field(description="Indonesian label.")
    count: int = strawberry.field(description="FINAL evaluations with it.")
    share: float = strawberry.field(description="Share of the row's FINAL evaluations (0-1).")


@strawberry.type(
    name="PredikatRecapRow",
    description="One OPD's predikat distribution for a period, or the total (opd null).",
)
class PredikatRecapRowType:
    """A recap row."""

    row: strawberry.Private[RecapRow]
    opd_name: str = strawberry.field(description="OPD name, or 'Seluruh OPD' for the total.")
    total: int = strawberry.field(description="FINAL evaluations.")
    counts: list[RecapCountType] = strawberry.field(description="Per predikat, best first.")
    org_predikat: OrgPredikat | None = strawberry.field(
        description="The OPD's organisational predikat, when set."
    )
    violations: list[str] = strawberry.field(
        description="Codes of the distribution-curve rules the OPD breaks."
    )

    @classmethod
    def from_row(cls, row: RecapRow) -> PredikatRecapRowType:
        """Build from a service row."""
        return cls(
            row=row,
            opd_name=row.opd_name,
            total=row.total,
            counts=[
                RecapCountType(predikat=p, label=p.label, count=row.counts[p], share=row.shares[p])
                for p in Predikat
            ],
            org_predikat=row.org_predikat,
            violations=row.violations,
        )

    opd = opd_field("opd_id", description="The OPD (null for the total).")


@strawberry.type(
    name="CompletionRow",
    description="One OPD's completion for a period, or the total (opd null).",
)
class CompletionRowType:
    """Completion counts."""

    opd_name: str = strawberry.field(description="OPD name, or 'Seluruh OPD'.")
    employees: int = strawberry.field(description="Active employees.")
    without_skp: int = strawberry.field(description="Without an APPROVED SKP for the year.")
    not_logging: int = strawberry.field(
        description="Without an activity logged in the last seven days (city calendar)."
    )
    not_evaluated: int = strawberry.field(description="Without a FINAL evaluation for the period.")


@strawberry.type(name="CompletionGap", description="An employee with at least one gap.")
class CompletionGapType(FromRow[GapRow]):
    """A gap row."""

    row: strawberry.Private[GapRow]
    nip: str = strawberry.field(description="NIP.")
    name: str = strawberry.field(description="Name.")
    opd_name: str = strawberry.field(description="OPD name.")
    skp_status: str | None = strawberry.field(description="SKP status (null: no SKP).")
    logged_recently: bool = strawberry.field(description="Logged an activity in seven days.")
    evaluated: bool = strawberry.field(description="Has a FINAL evaluation for the period.")

    employee = employee_field("employee_id", description="The employee.")


@strawberry.type(
    name="ObjectionWindow",
    description="Whether a keberatan can be filed against an evaluation: the deadline and the "
    "objection already filed.",
)
class ObjectionWindowType:
    """The keberatan window of an evaluation."""

    deadline: date | None = strawberry.field(
        description="Last day (city calendar) to file; null unless the evaluation is a FINAL "
        "annual one."
    )
    can_file: bool = strawberry.field(
        description="True when the viewer (the employee) may file now: none filed yet and the "
        "deadline not passed."
    )
    objection: ObjectionType | None = strawberry.field(
        description="The objection filed against the evaluation, if any."
    )

    @classmethod
    def from_window(cls, window: ObjectionWindow) -> ObjectionWindowType:
        """Build from the service's window."""
        return cls(
            deadline=window.deadline,
            can_file=window.can_file,
            objection=ObjectionType.from_row(window.objection) if window.objection else None,
        )
