"""GraphQL of mentoring alerts: supervisors act on them, employees see support offered."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING, Annotated, cast

import strawberry
from strawberry.scalars import JSON

from portal.core.auth import Role, Viewer
from portal.core.context import Info
from portal.core.graphql import (
    NULLABLE_PART,
    Connection,
    Input,
    IsAuthenticated,
    UserError,
    has_role,
    mutate,
    mutate_node,
    to_connection,
    viewer_field,
    viewer_mutation,
    viewer_of,
)
from portal.core.ids import decode_optional_id
from portal.core.pagination import page_request
from portal.mentoring.enums import AlertStatus
from portal.mentoring.loaders import MentoringLoaders
from portal.mentoring.services import alerts
from portal.mentoring.services.alerts import AlertRow
from portal.mentoring.types import (
    ActOnMentoringAlertInput,
    AlertType,
    MentoringAlertPayload,
    MentoringOutcomeCounts,
    MentoringScoringRunType,
    ModelVersionType,
    ResolveMentoringAlertInput,
    RunMentoringScoringInput,
    ScoringRunPayload,
)

if TYPE_CHECKING:  # scoring loads pandas and scikit-learn: only when a run is asked for
    from portal.mentoring.services.scoring import ScoringSummary


@strawberry.type
class MentoringQuery:
    """Alerts and model versions."""

    @viewer_field(
        "Alerts about the viewer's subordinates (BKPSDM: all), newest first." + NULLABLE_PART
    )
    async def mentoring_alerts(
        self,
        info: Info,
        first: int,
        after: str | None = None,
        status: AlertStatus | None = None,
    ) -> Connection[AlertType] | None:
        """Alerts."""
        page = await alerts.list_alerts(
            viewer_of(info), page_request(first, after), status=status.value if status else None
        )
        return to_connection(page, AlertType.from_row)

    @viewer_field("Support offered to the viewer and why (no scores)." + NULLABLE_PART)
    async def my_support_offers(self, info: Info) -> list[AlertType] | None:
        """Own offers."""
        viewer = viewer_of(info)
        if viewer.employee_id is None:
            return []
        offers = await MentoringLoaders.of(info).offers.load(viewer.employee_id)
        return [AlertType.from_row(a) for a in offers]

    @viewer_field(
        "Model versions with metrics and model cards (ADMIN_BKPSDM).", has_role(Role.ADMIN_BKPSDM)
    )
    def mentoring_models(self) -> list[ModelVersionType]:
        """Registry."""
        return [
            ModelVersionType(
                version=str(m["version"]),
                metadata=cast("JSON", m),
                model_card=str(m.get("model_card", "")),
            )
            for m in alerts.model_versions()
        ]

    @viewer_field(
        "Latest scoring runs with the drift of the model's inputs against its "
        "training data and the model version (ADMIN_BKPSDM; aggregates only).",
        has_role(Role.ADMIN_BKPSDM),
    )
    async def mentoring_scoring_runs(
        self, info: Info, first: int = 10, drifted_only: bool = False
    ) -> list[MentoringScoringRunType]:
        """Scoring runs and drift."""
        rows = await alerts.scoring_runs(viewer_of(info), first=first, drifted_only=drifted_only)
        return [MentoringScoringRunType.from_row(r) for r in rows]

    @viewer_field(
        "What supervisors did with the mentoring alerts, per OPD: raised, still "
        "open, acknowledged, and each outcome (ADMIN_BKPSDM; counts only, no person or score).",
        has_role(Role.ADMIN_BKPSDM),
    )
    async def mentoring_alert_outcomes(
        self,
        info: Info,
        date_from: Annotated[
            date | None, strawberry.argument(description="Alerts raised from this day.")
        ] = None,
        date_to: Annotated[
            date | None, strawberry.argument(description="Alerts raised up to this day.")
        ] = None,
    ) -> list[MentoringOutcomeCounts]:
        """Outcome counts per OPD."""
        rows = await alerts.outcome_counts(
            viewer_of(info), raised_from=date_from, raised_to=date_to
        )
        return [MentoringOutcomeCounts.from_row(r) for r in rows]


def _scoring_payload(summary: ScoringSummary | None, errors: list[UserError]) -> ScoringRunPayload:
    if summary is None:
        return ScoringRunPayload(
            scored=0, high=0, alerts_raised=0, model_version=None, seconds=0.0, user_errors=errors
        )
    return ScoringRunPayload(
        scored=summary.scored,
        high=summary.high,
        alerts_raised=summary.alerts_raised,
        model_version=summary.model_version,
        seconds=summary.seconds,
        user_errors=[],
    )


async def _on_alert(
    info: Info, alert_id: strawberry.ID, action: Callable[[Viewer, int], Awaitable[AlertRow]]
) -> MentoringAlertPayload:
    """A supervisor's response to one alert, answered with the alert after it."""
    return await mutate_node(
        info,
        (alert_id, "MentoringAlert", "alertId"),
        action,
        lambda row, errors: MentoringAlertPayload(
            alert=AlertType.from_row(row) if row else None, user_errors=errors
        ),
    )


@strawberry.type
class MentoringMutation:
    """Scoring runs and alert responses."""

    @viewer_mutation("Score every active employee now and raise alerts (ADMIN_BKPSDM).")
    async def run_mentoring_scoring(
        self, info: Info, data: Input[RunMentoringScoringInput]
    ) -> ScoringRunPayload:
        """Run scoring."""
        # pandas and scikit-learn load here, on the first run, not when the app starts
        from portal.mentoring.services import scoring  # noqa: PLC0415

        return await mutate(
            info, lambda viewer: scoring.score_db(viewer, as_of=data.as_of), _scoring_payload
        )

    @viewer_mutation(
        "Acknowledge, create coaching, recommend training, or dismiss (with a "
        "reason) an alert; the response teaches the next model."
    )
    async def act_on_mentoring_alert(
        self, info: Info, data: Input[ActOnMentoringAlertInput]
    ) -> MentoringAlertPayload:
        """Act."""
        return await _on_alert(
            info,
            data.alert_id,
            lambda viewer, alert_id: alerts.act(
                viewer,
                alert_id,
                data.action.value,
                reason=data.reason,
                coach_id=decode_optional_id(data.coach_id, "Employee", "coachId"),
                goal=data.goal,
                course_id=decode_optional_id(data.course_id, "Course", "courseId"),
            ),
        )

    @viewer_mutation(
        "Record that the need behind an alert was addressed (an outcome the next "
        "model can learn from); after coaching or training, or once acknowledged."
    )
    async def resolve_mentoring_alert(
        self, info: Info, data: Input[ResolveMentoringAlertInput]
    ) -> MentoringAlertPayload:
        """Resolve."""
        return await _on_alert(
            info,
            data.alert_id,
            lambda viewer, alert_id: alerts.resolve(viewer, alert_id, note=data.note),
        )


@strawberry.type
class MentoringSubscription:
    """Live alerts."""

    @strawberry.subscription(
        description="Mentoring alerts addressed to the viewer (a supervisor), as they are raised.",
        permission_classes=[IsAuthenticated],
    )
    async def mentoring_alert_raised(self, info: Info) -> AsyncGenerator[AlertType, None]:
        """Stream of alerts."""
        viewer = viewer_of(info)
        async for event in info.context.broker.subscribe(alerts.alert_channel(viewer.account_id)):
            (row,) = await alerts.alerts_by_ids([int(event["alert_id"])])
            if row is not None:
                yield AlertType.from_row(row)
