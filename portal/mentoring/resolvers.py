"""GraphQL of mentoring alerts: supervisors act on them, employees see support offered."""

from __future__ import annotations

import enum
from collections.abc import AsyncGenerator
from datetime import date, datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from portal.context import Context
from portal.core.auth import Role
from portal.core.graphql import (
    Connection,
    IsAuthenticated,
    Node,
    UserError,
    has_role,
    register_node,
    run_payload,
    to_connection,
    viewer_of,
)
from portal.core.ids import decode_id_of, encode_global_id
from portal.core.pagination import page_request
from portal.mentoring import service
from portal.mentoring.service import AlertRow
from portal.people.types import EmployeeType


@strawberry.enum(description="OPEN, ACKNOWLEDGED, ACTED (coaching or training) or DISMISSED.")
class AlertStatus(enum.StrEnum):
    """Alert statuses."""

    OPEN = "OPEN"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    ACTED = "ACTED"
    DISMISSED = "DISMISSED"


@strawberry.enum(description="How a supervisor responds to an alert.")
class AlertAction(enum.StrEnum):
    """Alert actions."""

    ACKNOWLEDGE = "ACKNOWLEDGE"
    CREATE_COACHING = "CREATE_COACHING"
    RECOMMEND_TRAINING = "RECOMMEND_TRAINING"
    DISMISS = "DISMISS"


@strawberry.type(
    name="MentoringAlert",
    description="An early, private signal to offer an employee support. The score is shown "
    "only to the supervisor chain and BKPSDM; the employee sees the offer and its reasons.",
)
class AlertType(Node):
    """A mentoring alert."""

    row: strawberry.Private[AlertRow]
    status: AlertStatus = strawberry.field(description="Workflow state.")
    reasons: list[str] = strawberry.field(description="Why, in plain Indonesian with numbers.")
    as_of: date = strawberry.field(description="Date of the scoring run.")
    raised_at: datetime = strawberry.field(description="When it was raised.")
    action: AlertAction | None = strawberry.field(description="The supervisor's response.")
    dismiss_reason: str | None = strawberry.field(description="Why it was dismissed.")

    @classmethod
    def from_row(cls, row: AlertRow) -> AlertType:
        """Build from a service row."""
        return cls(
            id=strawberry.ID(encode_global_id("MentoringAlert", row.id)),
            row=row,
            status=AlertStatus(row.status),
            reasons=row.reasons,
            as_of=row.as_of,
            raised_at=row.raised_at,
            action=AlertAction(row.action) if row.action else None,
            dismiss_reason=row.dismiss_reason,
        )

    @strawberry.field(description="The employee to support.")
    async def employee(self, info: Info[Context, None]) -> EmployeeType | None:
        """Employee."""
        row = await info.context.loaders.people.employee.load(self.row.employee_id)
        return EmployeeType.from_row(row) if row else None

    @strawberry.field(
        description="Calibrated probability of needing support; null for the employee "
        "themself and anyone outside the supervisor chain and BKPSDM."
    )
    async def score(self, info: Info[Context, None]) -> float | None:
        """Score."""
        viewer = viewer_of(info)
        return (
            self.row.score if await service.can_see_scores(viewer, self.row.employee_id) else None
        )

    @strawberry.field(description="The coaching assignment created in response, if any.")
    def coaching_assignment_id(self) -> strawberry.ID | None:
        """Coaching link."""
        if self.row.coaching_id is None:
            return None
        return strawberry.ID(encode_global_id("CoachingAssignment", self.row.coaching_id))


async def _alert_node(info: Info[Context, None], pk: int) -> AlertType | None:
    viewer = info.context.viewer
    if viewer is None:
        return None
    (row,) = await service.alerts_by_ids([pk])
    if row is None:
        return None
    visible = (viewer.employee_id == row.employee_id and row.status != "DISMISSED") or (
        await service.can_see_scores(viewer, row.employee_id)
    )
    return AlertType.from_row(row) if visible else None


register_node("MentoringAlert", _alert_node)


@strawberry.type(description="A model version with its metrics and model card.")
class ModelVersionType:
    """A registry version."""

    version: str = strawberry.field(description="Version directory, e.g. v0003.")
    metadata: JSON = strawberry.field(
        description="Training data range, features, metrics, thresholds, capacity share."
    )
    model_card: str = strawberry.field(description="Markdown model card (intended use, limits).")


@strawberry.type(description="Result of a scoring run.")
class ScoringRunPayload:
    """Scoring payload."""

    scored: int = strawberry.field(description="Employees scored.")
    high: int = strawberry.field(description="Employees in the HIGH band.")
    alerts_raised: int = strawberry.field(description="New alerts (no repeats while one is open).")
    model_version: str | None = strawberry.field(description="Model used.")
    seconds: float = strawberry.field(description="Run time.")
    user_errors: list[UserError] = strawberry.field(description="Why it failed.")


@strawberry.input(description="Run the mentoring model over every active employee.")
class RunMentoringScoringInput:
    """Scoring input."""

    as_of: date | None = strawberry.field(default=None, description="Reference date (today).")


@strawberry.input(description="Respond to an alert.")
class ActOnMentoringAlertInput:
    """Act input."""

    alert_id: strawberry.ID = strawberry.field(description="The alert.")
    action: AlertAction = strawberry.field(description="The response.")
    reason: str | None = strawberry.field(default=None, description="Required to dismiss.")
    coach_id: strawberry.ID | None = strawberry.field(
        default=None, description="Coach or mentor, for CREATE_COACHING."
    )
    goal: str | None = strawberry.field(default=None, description="Goal of the coaching.")


@strawberry.type(description="Result of responding to an alert.")
class MentoringAlertPayload:
    """Act payload."""

    alert: AlertType | None = strawberry.field(description="The alert after the response.")
    user_errors: list[UserError] = strawberry.field(description="Why it failed.")


@strawberry.type
class MentoringQuery:
    """Alerts and model versions."""

    @strawberry.field(
        description="Alerts about the viewer's subordinates (BKPSDM: all), newest first.",
        permission_classes=[IsAuthenticated],
    )
    async def mentoring_alerts(
        self,
        info: Info[Context, None],
        first: int,
        after: str | None = None,
        status: AlertStatus | None = None,
    ) -> Connection[AlertType]:
        """Alerts."""
        page = await service.list_alerts(
            viewer_of(info), page_request(first, after), status=status.value if status else None
        )
        return to_connection(page, AlertType.from_row)

    @strawberry.field(
        description="Support offered to the viewer and why (no scores).",
        permission_classes=[IsAuthenticated],
    )
    async def my_support_offers(self, info: Info[Context, None]) -> list[AlertType]:
        """Own offers."""
        return [AlertType.from_row(a) for a in await service.my_support_offers(viewer_of(info))]

    @strawberry.field(
        description="Model versions with metrics and model cards (ADMIN_BKPSDM).",
        permission_classes=[IsAuthenticated, has_role(Role.ADMIN_BKPSDM)],
    )
    def mentoring_models(self) -> list[ModelVersionType]:
        """Registry."""
        return [
            ModelVersionType(
                version=str(m["version"]),
                metadata=cast("JSON", m),
                model_card=str(m.get("model_card", "")),
            )
            for m in service.model_versions()
        ]


@strawberry.type
class MentoringMutation:
    """Scoring runs and alert responses."""

    @strawberry.mutation(
        description="Score every active employee now and raise alerts (ADMIN_BKPSDM).",
        permission_classes=[IsAuthenticated],
    )
    async def run_mentoring_scoring(
        self,
        info: Info[Context, None],
        input: RunMentoringScoringInput,  # noqa: A002
    ) -> ScoringRunPayload:
        """Run scoring."""
        # pandas and scikit-learn load here, on the first run, not when the app starts
        from portal.mentoring import scoring  # noqa: PLC0415

        viewer = viewer_of(info)
        summary, errors = await run_payload(lambda: scoring.score_db(viewer, as_of=input.as_of))
        if summary is None:
            return ScoringRunPayload(
                scored=0,
                high=0,
                alerts_raised=0,
                model_version=None,
                seconds=0.0,
                user_errors=errors,
            )
        return ScoringRunPayload(
            scored=summary.scored,
            high=summary.high,
            alerts_raised=summary.alerts_raised,
            model_version=summary.model_version,
            seconds=summary.seconds,
            user_errors=[],
        )

    @strawberry.mutation(
        description="Acknowledge, create coaching, recommend training, or dismiss (with a "
        "reason) an alert; the response teaches the next model.",
        permission_classes=[IsAuthenticated],
    )
    async def act_on_mentoring_alert(
        self,
        info: Info[Context, None],
        input: ActOnMentoringAlertInput,  # noqa: A002
    ) -> MentoringAlertPayload:
        """Act."""
        viewer = viewer_of(info)
        row, errors = await run_payload(
            lambda: service.act(
                viewer,
                decode_id_of(input.alert_id, "MentoringAlert", "alertId"),
                input.action.value,
                reason=input.reason,
                coach_id=decode_id_of(input.coach_id, "Employee", "coachId")
                if input.coach_id
                else None,
                goal=input.goal,
            )
        )
        return MentoringAlertPayload(
            alert=AlertType.from_row(row) if row else None, user_errors=errors
        )


@strawberry.type
class MentoringSubscription:
    """Live alerts."""

    @strawberry.subscription(
        description="Mentoring alerts addressed to the viewer (a supervisor), as they are raised.",
        permission_classes=[IsAuthenticated],
    )
    async def mentoring_alert_raised(
        self, info: Info[Context, None]
    ) -> AsyncGenerator[AlertType, None]:
        """Stream of alerts."""
        viewer = viewer_of(info)
        async for event in info.context.broker.subscribe(service.alert_channel(viewer.account_id)):
            (row,) = await service.alerts_by_ids([int(event["alert_id"])])
            if row is not None:
                yield AlertType.from_row(row)
