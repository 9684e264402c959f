"""Query and mutation fields of evaluations, curves, incentives and the audit log (thin)."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped under mypy 2; pyproject covers only `*.resolvers`.)

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from portal.context import Context
from portal.core.auth import Role
from portal.core.graphql import (
    Connection,
    IsAuthenticated,
    UserError,
    has_role,
    register_node,
    run_payload,
    to_connection,
    viewer_of,
)
from portal.core.ids import decode_id_of
from portal.core.pagination import page_request
from portal.performance import curve, evaluations, incentives, policy
from portal.performance.enums import BerAkhlak, OrgPredikat, Predikat, Rating
from portal.performance.evaluation_types import (
    AuditEntryType,
    DevelopmentCandidateType,
    DistributionCurveType,
    EvaluationType,
    IncentiveRowType,
    IncentiveRuleType,
)
from portal.performance.evaluations import BehaviourUpdate, IndicatorUpdate
from portal.performance.incentives import IncentiveRuleRow

_ADMINS = has_role(Role.ADMIN_BKPSDM, Role.ADMIN_OPD)
_BKPSDM = has_role(Role.ADMIN_BKPSDM)


async def _evaluation_node(info: Info[Context, None], pk: int) -> EvaluationType | None:
    viewer = info.context.viewer
    row = await info.context.loaders.evaluation.evaluation.load(pk)
    if viewer is None or row is None:
        return None
    employee = await info.context.loaders.people.employee.load(row.employee_id)
    if employee is None or not await policy.can_read_employee(viewer, employee):
        return None
    return EvaluationType.from_row(row)


register_node("Evaluation", _evaluation_node)


def _opt_id(value: strawberry.ID | None, type_name: str, field: str) -> int | None:
    return decode_id_of(value, type_name, field) if value else None


# --- inputs ----------------------------------------------------------------------------------


@strawberry.input(description="Filters of the evaluation list (combined with AND).")
class EvaluationFilterInput:
    """Evaluation filters."""

    employee_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this employee's evaluations."
    )
    period_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this period."
    )
    to_rate: bool = strawberry.field(
        default=False, description="Only evaluations the viewer rates as pejabat penilai."
    )


@strawberry.input(description="Filters of the audit log (combined with AND).")
class AuditLogFilterInput:
    """Audit filters."""

    entity_type: str | None = strawberry.field(
        default=None, description="Kind of object, e.g. Evaluation, OpdCurve, IncentiveRule."
    )
    action: str | None = strawberry.field(
        default=None, description="Action, e.g. EVALUATION_FINALISED or CURVE_OVERRIDDEN."
    )
    entity_id: str | None = strawberry.field(
        default=None, description="Database id of the object (as shown in `entityId`)."
    )


@strawberry.input(description="Start (or reopen) the evaluation of an approved SKP.")
class StartEvaluationInput:
    """Start input."""

    skp_id: strawberry.ID = strawberry.field(description="The approved SKP.")
    period_id: strawberry.ID = strawberry.field(
        description="The SKP's annual period or one of its evaluation periods."
    )


@strawberry.input(description="Realisation, evidence and feedback for one indicator.")
class EvaluationIndicatorInput:
    """Indicator line input; omitted fields keep their value."""

    indicator_id: strawberry.ID = strawberry.field(description="The SKP indicator.")
    realisation: float | None = strawberry.field(
        default=None, description="Realised value (finite, >= 0)."
    )
    evidence: str | None = strawberry.field(default=None, description="Bukti dukung.")
    feedback: str | None = strawberry.field(default=None, description="Feedback.")


@strawberry.input(description="Note and optional rating for one BerAKHLAK value.")
class EvaluationBehaviourInput:
    """Behaviour line input; omitted fields keep their value."""

    value: BerAkhlak = strawberry.field(description="The BerAKHLAK value.")
    note: str | None = strawberry.field(default=None, description="The rater's note.")
    rating: Rating | None = strawberry.field(default=None, description="Rating of this value.")


@strawberry.input(description="The rater fills in a DRAFT evaluation; omitted fields are kept.")
class UpdateEvaluationInput:
    """Update input."""

    evaluation_id: strawberry.ID = strawberry.field(description="The evaluation.")
    indicators: list[EvaluationIndicatorInput] | None = strawberry.field(
        default=None, description="Indicator lines to change."
    )
    behaviours: list[EvaluationBehaviourInput] | None = strawberry.field(
        default=None, description="BerAKHLAK lines to change."
    )
    hasil_rating: Rating | None = strawberry.field(
        default=None,
        description="Rating Hasil Kerja (a reason is needed if it differs from the suggestion).",
    )
    hasil_override_reason: str | None = strawberry.field(
        default=None,
        description="Why the hasil rating differs from the suggestion (>= 10 characters).",
    )
    perilaku_rating: Rating | None = strawberry.field(
        default=None, description="Rating Perilaku Kerja."
    )
    feedback: str | None = strawberry.field(default=None, description="Overall feedback.")


@strawberry.input(description="Finalise a complete DRAFT evaluation.")
class FinaliseEvaluationInput:
    """Finalise input."""

    evaluation_id: strawberry.ID = strawberry.field(description="The evaluation.")


@strawberry.input(description="The employee acknowledges their FINAL evaluation.")
class AcknowledgeEvaluationInput:
    """Acknowledge input."""

    evaluation_id: strawberry.ID = strawberry.field(description="The evaluation.")
    response: str | None = strawberry.field(
        default=None, description="Optional response of the employee."
    )


@strawberry.input(description="Set an OPD's organisational predikat for a period.")
class SetOrgPredikatInput:
    """Org predikat input."""

    opd_id: strawberry.ID = strawberry.field(description="The OPD.")
    period_id: strawberry.ID = strawberry.field(description="The period.")
    org_predikat: OrgPredikat = strawberry.field(description="The organisational predikat.")


@strawberry.input(description="Finalise an OPD's evaluations of a period.")
class FinaliseOpdPeriodInput:
    """Finalise OPD input."""

    opd_id: strawberry.ID = strawberry.field(description="The OPD.")
    period_id: strawberry.ID = strawberry.field(description="The period.")
    override_reason: str | None = strawberry.field(
        default=None,
        description="ADMIN_BKPSDM only: finalise despite curve violations, for this reason "
        "(>= 10 characters; recorded).",
    )


@strawberry.input(description="One rule of the incentive table.")
class IncentiveRuleInput:
    """Incentive rule input."""

    predikat: Predikat = strawberry.field(description="The predikat.")
    min_verified_share: float = strawberry.field(
        default=0.0, description="Minimum share of verified activities (0-1)."
    )
    tpp_factor: float = strawberry.field(description="TPP performance factor (0-2).")
    award_eligible: bool = strawberry.field(default=False, description="Eligible for an award.")
    note: str = strawberry.field(default="", description="Free note.")


@strawberry.input(description="Replace the whole incentive table.")
class SetIncentiveRulesInput:
    """Incentive table input."""

    rules: list[IncentiveRuleInput] = strawberry.field(
        description="The new table; every predikat needs a rule with minimum share 0."
    )


# --- payloads --------------------------------------------------------------------------------


@strawberry.type(description="Result of an evaluation mutation.")
class EvaluationPayload:
    """Evaluation payload."""

    evaluation: EvaluationType | None = strawberry.field(
        description="The evaluation after the change; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(description="Business-rule failures.")


@strawberry.type(description="Result of a distribution-curve mutation.")
class DistributionCurvePayload:
    """Curve payload."""

    curve: DistributionCurveType | None = strawberry.field(
        description="The curve after the change; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(description="Business-rule failures.")


@strawberry.type(description="Result of replacing the incentive table.")
class IncentiveRulesPayload:
    """Incentive table payload."""

    rules: list[IncentiveRuleType] | None = strawberry.field(
        description="The table now in force; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(description="Business-rule failures.")


def _evaluation_payload(
    row: evaluations.EvaluationRow | None, errors: list[UserError]
) -> EvaluationPayload:
    return EvaluationPayload(
        evaluation=EvaluationType.from_row(row) if row else None, user_errors=errors
    )


def _curve_payload(
    report: curve.CurveReport | None, errors: list[UserError]
) -> DistributionCurvePayload:
    return DistributionCurvePayload(
        curve=DistributionCurveType.from_report(report) if report else None, user_errors=errors
    )


# --- queries ---------------------------------------------------------------------------------

_PeriodArg = Annotated[strawberry.ID, strawberry.argument(description="The period.")]
_OpdArg = Annotated[strawberry.ID, strawberry.argument(description="The OPD.")]
_FirstArg = Annotated[int, strawberry.argument(description="Page size (1-100).")]
_AfterArg = Annotated[
    str | None, strawberry.argument(description="Cursor to continue after (`endCursor`).")
]


@strawberry.type
class EvaluationQuery:
    """Evaluations, distribution curves, incentives and the audit log."""

    @strawberry.field(
        description="Evaluations the viewer may read (own, supervisor chain, administered "
        "OPDs), newest first.",
        permission_classes=[IsAuthenticated],
    )
    async def evaluations(
        self,
        info: Info[Context, None],
        first: _FirstArg,
        after: _AfterArg = None,
        filter: Annotated[  # noqa: A002 - GraphQL argument name
            EvaluationFilterInput | None, strawberry.argument(description="Filters.")
        ] = None,
    ) -> Connection[EvaluationType]:
        """Paginated evaluations."""
        flt = filter or EvaluationFilterInput()
        page = await evaluations.list_evaluations(
            viewer_of(info),
            page_request(first, after),
            employee_id=_opt_id(flt.employee_id, "Employee", "employeeId"),
            period_id=_opt_id(flt.period_id, "Period", "periodId"),
            to_rate=flt.to_rate,
        )
        return to_connection(page, EvaluationType.from_row)

    @strawberry.field(
        description="An OPD's predikat distribution for a period against its organisational "
        "predikat (ADMIN_OPD of the OPD, or ADMIN_BKPSDM).",
        permission_classes=[IsAuthenticated, _ADMINS],
    )
    async def distribution_curve(
        self, info: Info[Context, None], opd_id: _OpdArg, period_id: _PeriodArg
    ) -> DistributionCurveType:
        """Curve report."""
        report = await curve.curve_report(
            viewer_of(info),
            decode_id_of(opd_id, "Opd", "opdId"),
            decode_id_of(period_id, "Period", "periodId"),
        )
        return DistributionCurveType.from_report(report)

    @strawberry.field(
        description="The incentive table in force (the city's defaults until BKPSDM sets one).",
        permission_classes=[IsAuthenticated],
    )
    async def incentive_rules(self) -> list[IncentiveRuleType]:
        """Incentive table."""
        return [IncentiveRuleType.from_row(r) for r in await incentives.list_rules()]

    @strawberry.field(
        description="Payroll lines of an OPD's FINAL evaluations for a period (also as "
        "/exports/incentives.csv and .xlsx).",
        permission_classes=[IsAuthenticated, _ADMINS],
    )
    async def incentive_rows(
        self, info: Info[Context, None], period_id: _PeriodArg, opd_id: _OpdArg
    ) -> list[IncentiveRowType]:
        """Payroll lines."""
        rows = await incentives.incentive_rows(
            viewer_of(info),
            decode_id_of(period_id, "Period", "periodId"),
            decode_id_of(opd_id, "Opd", "opdId"),
        )
        return [IncentiveRowType.from_row(r) for r in rows]

    @strawberry.field(
        description="Employees rated Butuh Perbaikan or worse in a period, within the "
        "viewer's scope, for a development plan.",
        permission_classes=[IsAuthenticated],
    )
    async def development_candidates(
        self,
        info: Info[Context, None],
        period_id: _PeriodArg,
        opd_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this OPD.")
        ] = None,
    ) -> list[DevelopmentCandidateType]:
        """Development candidates."""
        items = await incentives.development_candidates(
            viewer_of(info),
            decode_id_of(period_id, "Period", "periodId"),
            _opt_id(opd_id, "Opd", "opdId"),
        )
        return [DevelopmentCandidateType.from_item(i) for i in items]

    @strawberry.field(
        description="The audit log, newest first (ADMIN_BKPSDM only).",
        permission_classes=[IsAuthenticated, _BKPSDM],
    )
    async def audit_log(
        self,
        info: Info[Context, None],
        first: _FirstArg,
        after: _AfterArg = None,
        filter: Annotated[  # noqa: A002 - GraphQL argument name
            AuditLogFilterInput | None, strawberry.argument(description="Filters.")
        ] = None,
    ) -> Connection[AuditEntryType]:
        """Audit entries."""
        flt = filter or AuditLogFilterInput()
        page = await evaluations.audit_entries(
            viewer_of(info),
            page_request(first, after),
            entity_type=flt.entity_type,
            action=flt.action,
            entity_id=flt.entity_id,
        )
        return to_connection(page, AuditEntryType.from_row)


# --- mutations -------------------------------------------------------------------------------


@strawberry.type
class EvaluationMutation:
    """Evaluation workflow, distribution curve and incentive table mutations."""

    @strawberry.mutation(
        description="The rater starts the DRAFT evaluation of an approved SKP for a period "
        "(returns the existing one when already started).",
        permission_classes=[IsAuthenticated],
    )
    async def start_evaluation(
        self,
        info: Info[Context, None],
        input: StartEvaluationInput,  # noqa: A002
    ) -> EvaluationPayload:
        """Start an evaluation."""
        viewer = viewer_of(info)

        async def action() -> evaluations.EvaluationRow:
            return await evaluations.start_evaluation(
                viewer,
                decode_id_of(input.skp_id, "Skp", "skpId"),
                decode_id_of(input.period_id, "Period", "periodId"),
            )

        return _evaluation_payload(*await run_payload(action))

    @strawberry.mutation(
        description="The rater fills in a DRAFT evaluation; the hasil suggestion and the "
        "predikat are recomputed.",
        permission_classes=[IsAuthenticated],
    )
    async def update_evaluation(
        self,
        info: Info[Context, None],
        input: UpdateEvaluationInput,  # noqa: A002
    ) -> EvaluationPayload:
        """Update an evaluation."""
        viewer = viewer_of(info)

        async def action() -> evaluations.EvaluationRow:
            indicators = [
                IndicatorUpdate(
                    indicator_id=decode_id_of(
                        i.indicator_id, "Indicator", f"indicators.{n}.indicatorId"
                    ),
                    realisation=i.realisation,
                    evidence=i.evidence,
                    feedback=i.feedback,
                )
                for n, i in enumerate(input.indicators or [])
            ]
            behaviours = [
                BehaviourUpdate(value=b.value, note=b.note, rating=b.rating)
                for b in input.behaviours or []
            ]
            return await evaluations.update_evaluation(
                viewer,
                decode_id_of(input.evaluation_id, "Evaluation", "evaluationId"),
                indicators=indicators,
                behaviours=behaviours,
                hasil_rating=input.hasil_rating,
                hasil_override_reason=input.hasil_override_reason,
                perilaku_rating=input.perilaku_rating,
                feedback=input.feedback,
            )

        return _evaluation_payload(*await run_payload(action))

    @strawberry.mutation(
        description="The rater finalises a complete DRAFT evaluation (DRAFT -> FINAL).",
        permission_classes=[IsAuthenticated],
    )
    async def finalise_evaluation(
        self,
        info: Info[Context, None],
        input: FinaliseEvaluationInput,  # noqa: A002
    ) -> EvaluationPayload:
        """Finalise an evaluation."""
        viewer = viewer_of(info)

        async def action() -> evaluations.EvaluationRow:
            return await evaluations.finalise_evaluation(
                viewer, decode_id_of(input.evaluation_id, "Evaluation", "evaluationId")
            )

        return _evaluation_payload(*await run_payload(action))

    @strawberry.mutation(
        description="The employee acknowledges their FINAL evaluation (once), optionally "
        "with a response.",
        permission_classes=[IsAuthenticated],
    )
    async def acknowledge_evaluation(
        self,
        info: Info[Context, None],
        input: AcknowledgeEvaluationInput,  # noqa: A002
    ) -> EvaluationPayload:
        """Acknowledge an evaluation."""
        viewer = viewer_of(info)

        async def action() -> evaluations.EvaluationRow:
            return await evaluations.acknowledge_evaluation(
                viewer,
                decode_id_of(input.evaluation_id, "Evaluation", "evaluationId"),
                input.response,
            )

        return _evaluation_payload(*await run_payload(action))

    @strawberry.mutation(
        description="Set an OPD's organisational predikat for a period (ADMIN_BKPSDM).",
        permission_classes=[IsAuthenticated, _BKPSDM],
    )
    async def set_org_predikat(
        self,
        info: Info[Context, None],
        input: SetOrgPredikatInput,  # noqa: A002
    ) -> DistributionCurvePayload:
        """Set the organisational predikat."""
        viewer = viewer_of(info)

        async def action() -> curve.CurveReport:
            return await curve.set_org_predikat(
                viewer,
                decode_id_of(input.opd_id, "Opd", "opdId"),
                decode_id_of(input.period_id, "Period", "periodId"),
                input.org_predikat,
            )

        return _curve_payload(*await run_payload(action))

    @strawberry.mutation(
        description="Finalise an OPD's evaluations of a period; refused while DRAFTs remain "
        "or the curve is violated (ADMIN_BKPSDM may override with a recorded reason).",
        permission_classes=[IsAuthenticated, _ADMINS],
    )
    async def finalise_opd_period(
        self,
        info: Info[Context, None],
        input: FinaliseOpdPeriodInput,  # noqa: A002
    ) -> DistributionCurvePayload:
        """Finalise the OPD's period."""
        viewer = viewer_of(info)

        async def action() -> curve.CurveReport:
            return await curve.finalise_opd_period(
                viewer,
                decode_id_of(input.opd_id, "Opd", "opdId"),
                decode_id_of(input.period_id, "Period", "periodId"),
                input.override_reason,
            )

        return _curve_payload(*await run_payload(action))

    @strawberry.mutation(
        description="Replace the incentive table atomically (ADMIN_BKPSDM).",
        permission_classes=[IsAuthenticated, _BKPSDM],
    )
    async def set_incentive_rules(
        self,
        info: Info[Context, None],
        input: SetIncentiveRulesInput,  # noqa: A002
    ) -> IncentiveRulesPayload:
        """Replace the incentive table."""
        viewer = viewer_of(info)
        rows = [
            IncentiveRuleRow(
                predikat=r.predikat,
                min_verified_share=r.min_verified_share,
                tpp_factor=r.tpp_factor,
                award_eligible=r.award_eligible,
                note=r.note,
            )
            for r in input.rules
        ]
        result, errors = await run_payload(lambda: incentives.replace_rules(viewer, rows))
        return IncentiveRulesPayload(
            rules=[IncentiveRuleType.from_row(r) for r in result] if result is not None else None,
            user_errors=errors,
        )
