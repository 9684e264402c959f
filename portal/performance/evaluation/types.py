"""GraphQL types of evaluations, the distribution curve, incentives and the audit log."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from portal.core.audit import AuditEntryRow
from portal.core.auth import Role
from portal.core.context import Context
from portal.core.graphql import (
    Node,
    has_role,
)
from portal.core.ids import encode_global_id
from portal.core.row_types import FromRow
from portal.people.loaders import PeopleLoaders
from portal.people.types import EmployeeType, OpdType, employee_field, load_employee
from portal.performance.enums import (
    BerAkhlak,
    EvaluationStatus,
    OrgPredikat,
    Predikat,
    Rating,
)
from portal.performance.evaluation.loaders import EvaluationLoaders
from portal.performance.evaluation.services.curve import CurveReport
from portal.performance.evaluation.services.evaluations import (
    EvaluationBehaviourRow,
    EvaluationIndicatorRow,
    EvaluationRow,
)
from portal.performance.evaluation.services.incentives import (
    DevelopmentCandidate,
    IncentiveRow,
    IncentiveRuleRow,
)
from portal.performance.evaluation.services.pro_rata import AnnualResult
from portal.performance.planning.loaders import PerformanceLoaders
from portal.performance.planning.types import IndicatorType, PeriodType, SkpType
from portal.performance.rules import curve_rule_checks

strawberry.enum(
    Rating,
    description="Rating Hasil Kerja or Rating Perilaku Kerja: DI_ATAS_EKSPEKTASI, "
    "SESUAI_EKSPEKTASI or DI_BAWAH_EKSPEKTASI.",
)
strawberry.enum(
    Predikat,
    description="Predikat kinerja pegawai, from the exact matrix of hasil and perilaku.",
)
strawberry.enum(
    OrgPredikat,
    description="Organisational predikat of an OPD for a period (SE MenPANRB 3/2023); it "
    "bounds the distribution curve of its employees' predikat.",
)
strawberry.enum(EvaluationStatus, description="DRAFT while the rater works, FINAL once final.")


async def _period(info: Info[Context, None], period_id: int) -> PeriodType:
    row = await PerformanceLoaders.of(info).period.load(period_id)
    assert row is not None  # noqa: S101 - enforced by a NOT NULL foreign key
    return PeriodType.from_row(row)


async def _evaluation(info: Info[Context, None], evaluation_id: int) -> EvaluationType:
    row = await EvaluationLoaders.of(info).evaluation.load(evaluation_id)
    assert row is not None  # noqa: S101 - read in the same request
    return EvaluationType.from_row(row)


@strawberry.type(
    name="EvaluationIndicator",
    description="Realisation and feedback of one indicator in an evaluation.",
)
class EvaluationIndicatorType(FromRow[EvaluationIndicatorRow]):
    """An indicator line."""

    row: strawberry.Private[EvaluationIndicatorRow]
    realisation: float | None = strawberry.field(
        description="Realisation: prefilled with the verified activity quantity from the start "
        "of the year to the end of the period (not for WAKTU/BIAYA), then as the rater enters."
    )
    evidence: str = strawberry.field(description="Bukti dukung the rater relied on.")
    feedback: str = strawberry.field(description="The rater's feedback on this indicator.")
    achievement: float | None = strawberry.field(
        description="Achievement against the target due by the end of the period: the annual "
        "KUANTITAS target pro-rated by the share of the year elapsed (other aspects whole); "
        "1.0 = on target, target / realisation for WAKTU and BIAYA; the same ratio the hasil "
        "suggestion judges. Null without realisation."
    )

    @strawberry.field(
        description="Opaque ID of this line: stable per evaluation and indicator, for client "
        "caches (node(id:) does not fetch it)."
    )
    def id(self) -> strawberry.ID:
        """Identity: the stored line."""
        return strawberry.ID(encode_global_id("EvaluationIndicator", self.row.id))

    @strawberry.field(description="The SKP indicator (target, unit, aspect).")
    async def indicator(self, info: Info[Context, None]) -> IndicatorType:
        """Indicator."""
        row = await PerformanceLoaders.of(info).indicator.load(self.row.indicator_id)
        assert row is not None  # noqa: S101 - enforced by a NOT NULL foreign key
        return IndicatorType.from_row(row)


@strawberry.type(
    name="EvaluationBehaviour",
    description="The rater's note and optional rating on one BerAKHLAK value.",
)
class EvaluationBehaviourType:
    """A behaviour line."""

    value: BerAkhlak = strawberry.field(description="The BerAKHLAK value.")
    label: str = strawberry.field(description="Indonesian label of the value.")
    rating: Rating | None = strawberry.field(description="Rating of this value, if given.")
    note: str = strawberry.field(description="The rater's note (required to finalise).")

    @classmethod
    def from_row(cls, row: EvaluationBehaviourRow) -> EvaluationBehaviourType:
        """Build from a service row."""
        value = BerAkhlak(row.value)
        return cls(
            value=value,
            label=value.label,
            rating=Rating(row.rating) if row.rating else None,
            note=row.note,
        )


@strawberry.type(
    name="Evaluation",
    description="A periodic or annual evaluation of an SKP by its rater (pejabat penilai). "
    "Visible to the employee, their supervisor chain and admins of their OPD.",
)
class EvaluationType(Node):
    """An evaluation."""

    row: strawberry.Private[EvaluationRow]
    status: EvaluationStatus = strawberry.field(description="DRAFT or FINAL.")
    suggested_hasil: Rating | None = strawberry.field(
        description="The portal's suggested Rating Hasil Kerja."
    )
    suggestion_explanation: str = strawberry.field(
        description="Why the portal suggests that rating (Indonesian, with the counts)."
    )
    hasil_rating: Rating | None = strawberry.field(description="Rating Hasil Kerja chosen.")
    hasil_override_reason: str | None = strawberry.field(
        description="The rater's reason when the hasil rating differs from the suggestion."
    )
    perilaku_rating: Rating | None = strawberry.field(description="Rating Perilaku Kerja.")
    predikat: Predikat | None = strawberry.field(
        description="Predikat from the matrix, once both ratings are set."
    )
    predikat_label: str | None = strawberry.field(
        description="Indonesian label of the predikat, e.g. Butuh Perbaikan."
    )
    feedback: str = strawberry.field(description="The rater's overall feedback.")
    finalised_at: datetime | None = strawberry.field(description="When it became FINAL.")
    acknowledged_at: datetime | None = strawberry.field(
        description="When the employee acknowledged it."
    )
    employee_response: str | None = strawberry.field(
        description="The employee's response when acknowledging."
    )

    @classmethod
    def from_row(cls, row: EvaluationRow) -> EvaluationType:
        """Build from a service row."""
        predikat = Predikat(row.predikat) if row.predikat else None
        return cls(
            id=strawberry.ID(encode_global_id("Evaluation", row.id)),
            row=row,
            status=EvaluationStatus(row.status),
            suggested_hasil=Rating(row.suggested_hasil) if row.suggested_hasil else None,
            suggestion_explanation=row.suggestion_explanation,
            hasil_rating=Rating(row.hasil_rating) if row.hasil_rating else None,
            hasil_override_reason=row.hasil_override_reason,
            perilaku_rating=Rating(row.perilaku_rating) if row.perilaku_rating else None,
            predikat=predikat,
            predikat_label=predikat.label if predikat else None,
            feedback=row.feedback,
            finalised_at=row.finalised_at,
            acknowledged_at=row.acknowledged_at,
            employee_response=row.employee_response,
        )

    @strawberry.field(description="The SKP evaluated.")
    async def skp(self, info: Info[Context, None]) -> SkpType:
        """SKP."""
        row = await PerformanceLoaders.of(info).skp.load(self.row.skp_id)
        assert row is not None  # noqa: S101 - enforced by a NOT NULL foreign key
        return SkpType.from_row(row)

    @strawberry.field(description="The evaluation period (annual or a sub-period).")
    async def period(self, info: Info[Context, None]) -> PeriodType:
        """Period."""
        return await _period(info, self.row.period_id)

    @strawberry.field(description="The employee evaluated.")
    async def employee(self, info: Info[Context, None]) -> EmployeeType:
        """Employee."""
        employee = await load_employee(info, self.row.employee_id)
        assert employee is not None  # noqa: S101 - enforced by a NOT NULL foreign key
        return employee

    rater = employee_field("rater_id", description="The rater (pejabat penilai).")

    acting_rater = employee_field(
        "acting_rater_id",
        description="The Plt/Plh who last worked on it in the rater's place (null: the rater).",
    )

    @strawberry.field(description="Realisation and feedback per indicator, UTAMA first.")
    async def indicators(self, info: Info[Context, None]) -> list[EvaluationIndicatorType]:
        """Indicator lines."""
        rows = await EvaluationLoaders.of(info).indicators.load(self.row.id)
        return [EvaluationIndicatorType.from_row(r) for r in rows]

    @strawberry.field(description="The seven BerAKHLAK values with notes, in order.")
    async def behaviours(self, info: Info[Context, None]) -> list[EvaluationBehaviourType]:
        """Behaviour lines."""
        rows = await EvaluationLoaders.of(info).behaviours.load(self.row.id)
        return [EvaluationBehaviourType.from_row(r) for r in rows]


@strawberry.type(description="Employees with one predikat in a distribution curve.")
class CurveCount:
    """One bar of the curve."""

    predikat: Predikat = strawberry.field(description="The predikat.")
    label: str = strawberry.field(description="Indonesian label.")
    count: int = strawberry.field(description="FINAL evaluations with this predikat.")
    share: float = strawberry.field(description="Share of all FINAL evaluations (0-1).")


@strawberry.type(name="CurveViolation", description="A distribution-curve rule the OPD breaks.")
class CurveViolationType:
    """A violation."""

    code: str = strawberry.field(description="Rule code, e.g. SANGAT_BAIK_TOO_HIGH.")
    message: str = strawberry.field(description="Explanation with actual and required share.")


@strawberry.type(name="CurveRule", description="A rule of the OPD's curve with its actual share.")
class CurveRuleType:
    """A curve rule and whether it holds."""

    code: str = strawberry.field(description="Rule code, e.g. BAIK_TOO_HIGH.")
    predikats: list[Predikat] = strawberry.field(
        description="The employee predikat whose combined share the rule bounds."
    )
    kind: str = strawberry.field(
        description="MAX (share at most percent), MIN (at least percent) or SOME (at least one)."
    )
    percent: int = strawberry.field(description="The bound in percent (0 for SOME).")
    count: int = strawberry.field(description="FINAL evaluations in the group.")
    share: float = strawberry.field(description="The group's share (0-1).")
    holds: bool = strawberry.field(description="Whether the rule holds.")
    text: str = strawberry.field(description="The rule in Indonesian.")


@strawberry.type(
    name="DistributionCurve",
    description="An OPD's actual predikat distribution for a period against the rules of its "
    "organisational predikat (SE MenPANRB 3/2023).",
)
class DistributionCurveType:
    """A curve report."""

    report: strawberry.Private[CurveReport]
    org_predikat: OrgPredikat | None = strawberry.field(
        description="Organisational predikat set by BKPSDM; null while not set."
    )
    total: int = strawberry.field(description="FINAL evaluations counted.")
    counts: list[CurveCount] = strawberry.field(description="Count and share per predikat.")
    violations: list[CurveViolationType] = strawberry.field(
        description="Rules broken (empty when the curve holds or no org predikat is set)."
    )
    missing_org_predikat: bool = strawberry.field(
        description="True while no organisational predikat is set: the curve is not checked."
    )
    draft_count: int = strawberry.field(
        description="DRAFT evaluations still open (they block finalising)."
    )
    finalised_at: datetime | None = strawberry.field(
        description="When the OPD's evaluations of the period were finalised."
    )
    override_reason: str | None = strawberry.field(
        description="Recorded reason when BKPSDM finalised despite violations."
    )

    @strawberry.field(
        description="Every rule of the organisational predikat's curve with the actual share "
        "(empty while no organisational predikat is set)."
    )
    def rules(self) -> list[CurveRuleType]:
        """The rules, checked."""
        if self.report.org_predikat is None:
            return []
        return [
            CurveRuleType(
                code=c.code,
                predikats=list(c.predikats),
                kind=c.kind.upper(),
                percent=c.percent,
                count=c.count,
                share=c.share,
                holds=c.holds,
                text=c.text,
            )
            for c in curve_rule_checks(self.report.org_predikat, self.report.counts)
        ]

    @classmethod
    def from_report(cls, report: CurveReport) -> DistributionCurveType:
        """Build from a service report."""
        return cls(
            report=report,
            org_predikat=report.org_predikat,
            total=report.total,
            counts=[
                CurveCount(
                    predikat=p, label=p.label, count=report.counts[p], share=report.shares[p]
                )
                for p in Predikat
            ],
            violations=[
                CurveViolationType(code=v.code, message=v.message) for v in report.violations
            ],
            missing_org_predikat=report.missing_org_predikat,
            draft_count=report.draft_count,
            finalised_at=report.finalised_at,
            override_reason=report.override_reason,
        )

    @strawberry.field(description="The OPD.")
    async def opd(self, info: Info[Context, None]) -> OpdType:
        """OPD."""
        row = await PeopleLoaders.of(info).opd.load(self.report.opd_id)
        assert row is not None  # noqa: S101 - checked by the service
        return OpdType.from_row(row)

    @strawberry.field(description="The period.")
    async def period(self, info: Info[Context, None]) -> PeriodType:
        """Period."""
        return await _period(info, self.report.period_id)


@strawberry.type(
    name="IncentiveRule",
    description="A rule of the incentive table: predikat (and a minimum share of verified "
    "activity) to a TPP performance factor and award eligibility.",
)
class IncentiveRuleType:
    """An incentive rule."""

    predikat: Predikat = strawberry.field(description="The predikat the rule applies to.")
    predikat_label: str = strawberry.field(description="Indonesian label of the predikat.")
    min_verified_share: float = strawberry.field(
        description="Minimum share of verified activities (0-1); the highest one reached wins."
    )
    tpp_factor: float = strawberry.field(description="TPP performance factor (0-2).")
    award_eligible: bool = strawberry.field(description="Eligible for an award.")
    note: str = strawberry.field(description="Free note for payroll.")

    @classmethod
    def from_row(cls, row: IncentiveRuleRow) -> IncentiveRuleType:
        """Build from a service row."""
        return cls(
            predikat=row.predikat,
            predikat_label=row.predikat.label,
            min_verified_share=row.min_verified_share,
            tpp_factor=row.tpp_factor,
            award_eligible=row.award_eligible,
            note=row.note,
        )


@strawberry.type(
    name="IncentiveRow", description="One employee's line of the payroll (TPP) export."
)
class IncentiveRowType:
    """A payroll line."""

    row: strawberry.Private[IncentiveRow]
    nip: str = strawberry.field(description="NIP / NI PPPK.")
    name: str = strawberry.field(description="Employee name.")
    jabatan: str = strawberry.field(description="Position name.")
    unit: str = strawberry.field(description="Unit (unor) name.")
    predikat: Predikat = strawberry.field(description="FINAL predikat of the period.")
    predikat_label: str = strawberry.field(description="Indonesian label of the predikat.")
    verified_share: float | None = strawberry.field(
        description="Verified / all activities logged in the period; null when none logged."
    )
    tpp_factor: float | None = strawberry.field(
        description="TPP performance factor from the incentive table; null if no rule applies."
    )
    award_eligible: bool = strawberry.field(description="Eligible for an award.")

    @classmethod
    def from_row(cls, row: IncentiveRow) -> IncentiveRowType:
        """Build from a service row."""
        return cls(
            row=row,
            nip=row.nip,
            name=row.name,
            jabatan=row.jabatan,
            unit=row.unit,
            predikat=row.predikat,
            predikat_label=row.predikat.label,
            verified_share=row.verified_share,
            tpp_factor=row.tpp_factor,
            award_eligible=row.award_eligible,
        )

    @strawberry.field(description="The employee.")
    async def employee(self, info: Info[Context, None]) -> EmployeeType:
        """Employee."""
        employee = await load_employee(info, self.row.employee_id)
        assert employee is not None  # noqa: S101 - read by the service
        return employee

    @strawberry.field(description="The FINAL evaluation behind this line.")
    async def evaluation(self, info: Info[Context, None]) -> EvaluationType:
        """Evaluation."""
        return await _evaluation(info, self.row.evaluation_id)


@strawberry.type(
    name="DevelopmentCandidate",
    description="An employee rated Butuh Perbaikan or worse, who gets a development plan "
    "(coaching, mentoring, training).",
)
class DevelopmentCandidateType:
    """A development candidate."""

    item: strawberry.Private[DevelopmentCandidate]
    predikat: Predikat = strawberry.field(description="FINAL predikat of the period.")
    predikat_label: str = strawberry.field(description="Indonesian label of the predikat.")
    hasil_rating: Rating | None = strawberry.field(description="Rating Hasil Kerja.")
    perilaku_rating: Rating | None = strawberry.field(description="Rating Perilaku Kerja.")
    plan: str = strawberry.field(description="Suggested kind of development plan.")

    @strawberry.field(
        description="Opaque ID of the candidate: stable per FINAL evaluation, for client caches "
        "(node(id:) does not fetch it)."
    )
    def id(self) -> strawberry.ID:
        """Identity: the evaluation that makes the employee a candidate."""
        return strawberry.ID(encode_global_id("DevelopmentCandidate", self.item.evaluation_id))

    @classmethod
    def from_item(cls, item: DevelopmentCandidate) -> DevelopmentCandidateType:
        """Build from a service result."""
        return cls(
            item=item,
            predikat=item.predikat,
            predikat_label=item.predikat.label,
            hasil_rating=item.hasil_rating,
            perilaku_rating=item.perilaku_rating,
            plan=item.plan,
        )

    @strawberry.field(description="The employee.")
    async def employee(self, info: Info[Context, None]) -> EmployeeType:
        """Employee."""
        employee = await load_employee(info, self.item.employee_id)
        assert employee is not None  # noqa: S101 - enforced by a NOT NULL foreign key
        return employee

    @strawberry.field(description="The FINAL evaluation.")
    async def evaluation(self, info: Info[Context, None]) -> EvaluationType:
        """Evaluation."""
        return await _evaluation(info, self.item.evaluation_id)

    @strawberry.field(description="The evaluation period.")
    async def period(self, info: Info[Context, None]) -> PeriodType:
        """Period."""
        return await _period(info, self.item.period_id)


@strawberry.type(
    name="AuditEntry",
    description="One entry of the audit log: who did what, when, with before and after.",
)
class AuditEntryType:
    """An audit entry."""

    id: strawberry.ID = strawberry.field(
        description="Sequence number of the entry (not a global ID; not usable with `node`)."
    )
    at: datetime = strawberry.field(description="When it happened.")
    action: str = strawberry.field(description="What happened, e.g. EVALUATION_FINALISED.")
    entity_type: str = strawberry.field(description="Kind of object changed, e.g. Evaluation.")
    entity_id: str | None = strawberry.field(description="Database id of the object changed.")
    account_id: int | None = strawberry.field(description="Account that did it (null: system).")
    before: JSON | None = strawberry.field(description="State before the change.")
    after: JSON | None = strawberry.field(description="State after the change.")
    request_id: str | None = strawberry.field(description="Request id, to match server logs.")

    @classmethod
    def from_row(cls, row: AuditEntryRow) -> AuditEntryType:
        """Build from a service row."""
        return cls(
            id=strawberry.ID(str(row.id)),
            at=row.at,
            action=row.action,
            entity_type=row.entity_type,
            entity_id=row.entity_id,
            account_id=row.account_id,
            before=row.before,
            after=row.after,
            request_id=row.request_id,
        )


ADMINS = has_role(Role.ADMIN_BKPSDM, Role.ADMIN_OPD)


BKPSDM = has_role(Role.ADMIN_BKPSDM)


@strawberry.type(
    name="AnnualPart",
    description="One SKP's part of an annual period (a mutasi splits the year): the SKP, its "
    "annual evaluation and the months served under it.",
)
class AnnualPartType:
    """A part of the year."""

    skp: SkpType = strawberry.field(description="The SKP of this part.")
    evaluation: EvaluationType | None = strawberry.field(
        description="The part's annual evaluation by its rater (null until started)."
    )
    months: float = strawberry.field(
        description="Months served (a partly served month counts the share of its days)."
    )


@strawberry.type(
    name="AnnualResult",
    description="An employee's annual result: the parts of the year and, once every part's "
    "evaluation is FINAL, their combination pro rata by months served (issue 20).",
)
class AnnualResultType:
    """The annual result."""

    parts: list[AnnualPartType] = strawberry.field(description="The parts, in date order.")
    hasil_rating: Rating | None = strawberry.field(
        description="Combined Rating Hasil Kerja (null until every part is FINAL)."
    )
    perilaku_rating: Rating | None = strawberry.field(
        description="Combined Rating Perilaku Kerja (null until every part is FINAL)."
    )
    predikat: Predikat | None = strawberry.field(
        description="Predikat of the combined ratings (null until every part is FINAL)."
    )

    @classmethod
    def from_result(cls, result: AnnualResult) -> AnnualResultType:
        """Build from the service's result."""
        combined = result.combined
        return cls(
            parts=[
                AnnualPartType(
                    skp=SkpType.from_row(p.skp),
                    evaluation=EvaluationType.from_row(p.evaluation) if p.evaluation else None,
                    months=float(p.months),
                )
                for p in result.parts
            ],
            hasil_rating=combined.hasil if combined else None,
            perilaku_rating=combined.perilaku if combined else None,
            predikat=combined.predikat if combined else None,
        )
