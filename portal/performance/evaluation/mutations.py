"""Mutation fields of evaluations, curves and incentives, with their inputs and payloads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry

from portal.core.auth import Viewer
from portal.core.context import Info
from portal.core.graphql import (
    Input,
    UserError,
    mutate,
    mutate_node,
    viewer_mutation,
)
from portal.core.ids import decode_id_of
from portal.performance.enums import BerAkhlak, OrgPredikat, Predikat, Rating
from portal.performance.evaluation.services import curve, evaluations, incentives
from portal.performance.evaluation.services.evaluations import BehaviourUpdate, IndicatorUpdate
from portal.performance.evaluation.services.incentives import IncentiveRuleRow
from portal.performance.evaluation.types import (
    ADMINS,
    BKPSDM,
    DistributionCurveType,
    EvaluationType,
    IncentiveRuleType,
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


async def _on_evaluation(
    info: Info,
    evaluation_id: strawberry.ID,
    action: Callable[[Viewer, int], Awaitable[evaluations.EvaluationRow]],
) -> EvaluationPayload:
    """A write about one evaluation, answered with the evaluation after it."""
    node = (evaluation_id, "Evaluation", "evaluationId")
    return await mutate_node(info, node, action, _evaluation_payload)


async def _on_opd_period(
    info: Info,
    data: SetOrgPredikatInput | FinaliseOpdPeriodInput,
    action: Callable[[Viewer, int, int], Awaitable[curve.CurveReport]],
) -> DistributionCurvePayload:
    """A write about an OPD's period, answered with its distribution curve after it."""
    return await mutate(
        info,
        lambda viewer: action(
            viewer,
            decode_id_of(data.opd_id, "Opd", "opdId"),
            decode_id_of(data.period_id, "Period", "periodId"),
        ),
        _curve_payload,
    )


@strawberry.type
class EvaluationMutation:
    """Evaluation workflow, distribution curve and incentive table mutations."""

    @viewer_mutation(
        "The rater starts the DRAFT evaluation of an approved SKP for a period "
        "(returns the existing one when already started)."
    )
    async def start_evaluation(
        self, info: Info, data: Input[StartEvaluationInput]
    ) -> EvaluationPayload:
        """Start an evaluation."""
        return await mutate(
            info,
            lambda viewer: evaluations.start_evaluation(
                viewer,
                decode_id_of(data.skp_id, "Skp", "skpId"),
                decode_id_of(data.period_id, "Period", "periodId"),
            ),
            _evaluation_payload,
        )

    @viewer_mutation(
        "The rater fills in a DRAFT evaluation; the hasil suggestion and the "
        "predikat are recomputed."
    )
    async def update_evaluation(
        self, info: Info, data: Input[UpdateEvaluationInput]
    ) -> EvaluationPayload:
        """Update an evaluation."""

        async def update(viewer: Viewer) -> evaluations.EvaluationRow:
            indicators = [
                IndicatorUpdate(
                    indicator_id=decode_id_of(
                        i.indicator_id, "Indicator", f"indicators.{n}.indicatorId"
                    ),
                    realisation=i.realisation,
                    evidence=i.evidence,
                    feedback=i.feedback,
                )
                for n, i in enumerate(data.indicators or [])
            ]
            behaviours = [
                BehaviourUpdate(value=b.value, note=b.note, rating=b.rating)
                for b in data.behaviours or []
            ]
            return await evaluations.update_evaluation(
                viewer,
                decode_id_of(data.evaluation_id, "Evaluation", "evaluationId"),
                indicators=indicators,
                behaviours=behaviours,
                hasil_rating=data.hasil_rating,
                hasil_override_reason=data.hasil_override_reason,
                perilaku_rating=data.perilaku_rating,
                feedback=data.feedback,
            )

        return await mutate(info, update, _evaluation_payload)

    @viewer_mutation("The rater finalises a complete DRAFT evaluation (DRAFT -> FINAL).")
    async def finalise_evaluation(
        self, info: Info, data: Input[FinaliseEvaluationInput]
    ) -> EvaluationPayload:
        """Finalise an evaluation."""
        return await _on_evaluation(info, data.evaluation_id, evaluations.finalise_evaluation)

    @viewer_mutation(
        "The employee acknowledges their FINAL evaluation (once), optionally with a response."
    )
    async def acknowledge_evaluation(
        self, info: Info, data: Input[AcknowledgeEvaluationInput]
    ) -> EvaluationPayload:
        """Acknowledge an evaluation."""
        return await _on_evaluation(
            info,
            data.evaluation_id,
            lambda viewer, evaluation_id: evaluations.acknowledge_evaluation(
                viewer, evaluation_id, data.response
            ),
        )

    @viewer_mutation("Set an OPD's organisational predikat for a period (ADMIN_BKPSDM).", BKPSDM)
    async def set_org_predikat(
        self, info: Info, data: Input[SetOrgPredikatInput]
    ) -> DistributionCurvePayload:
        """Set the organisational predikat."""
        return await _on_opd_period(
            info,
            data,
            lambda viewer, opd_id, period_id: curve.set_org_predikat(
                viewer, opd_id, period_id, data.org_predikat
            ),
        )

    @viewer_mutation(
        "Finalise an OPD's evaluations of a period; refused while DRAFTs remain "
        "or the curve is violated (ADMIN_BKPSDM may override with a recorded reason).",
        ADMINS,
    )
    async def finalise_opd_period(
        self, info: Info, data: Input[FinaliseOpdPeriodInput]
    ) -> DistributionCurvePayload:
        """Finalise the OPD's period."""
        return await _on_opd_period(
            info,
            data,
            lambda viewer, opd_id, period_id: curve.finalise_opd_period(
                viewer, opd_id, period_id, data.override_reason
            ),
        )

    @viewer_mutation("Replace the incentive table atomically (ADMIN_BKPSDM).", BKPSDM)
    async def set_incentive_rules(
        self, info: Info, data: Input[SetIncentiveRulesInput]
    ) -> IncentiveRulesPayload:
        """Replace the incentive table."""
        rows = [
            IncentiveRuleRow(
                predikat=r.predikat,
                min_verified_share=r.min_verified_share,
                tpp_factor=r.tpp_factor,
                award_eligible=r.award_eligible,
                note=r.note,
            )
            for r in data.rules
        ]
        return await mutate(
            info,
            lambda viewer: incentives.replace_rules(viewer, rows),
            lambda result, errors: IncentiveRulesPayload(
                rules=[IncentiveRuleType.from_row(r) for r in result]
                if result is not None
                else None,
                user_errors=errors,
            ),
        )
