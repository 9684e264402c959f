"""GraphQL types, inputs and payloads of the mentoring domain."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from portal.core.context import Context
from portal.core.graphql import (
    Node,
    UserError,
    register_node,
    viewer_of,
)
from portal.core.ids import encode_global_id
from portal.core.row_types import FromRow
from portal.mentoring import policy
from portal.mentoring.enums import AlertAction, AlertStatus
from portal.mentoring.loaders import MentoringLoaders
from portal.mentoring.services.alerts import (
    AlertRow,
    FeatureDriftRow,
    OutcomeCountsRow,
    ScoringRunRow,
)
from portal.people.loaders import PeopleLoaders
from portal.people.types import EmployeeType, opd_field

strawberry.enum(
    AlertStatus, description="OPEN, ACKNOWLEDGED, ACTED (coaching or training) or DISMISSED."
)


strawberry.enum(AlertAction, description="How a supervisor responds to an alert.")


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
        row = await PeopleLoaders.of(info).employee.load(self.row.employee_id)
        return EmployeeType.from_row(row) if row else None

    @strawberry.field(
        description="Calibrated probability of needing support; null for the employee "
        "themself and anyone outside the supervisor chain and BKPSDM."
    )
    async def score(self, info: Info[Context, None]) -> float | None:
        """Score."""
        viewer = viewer_of(info)
        return self.row.score if await policy.can_see_scores(viewer, self.row.employee_id) else None

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
    row = await MentoringLoaders.of(info).alert.load(pk)
    if row is None:
        return None
    visible = await policy.can_see_alert(viewer, row.employee_id, row.status)
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
    course_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="For RECOMMEND_TRAINING: a course from the employee's recommendations "
        "(`trainingRecommendations(employeeId:)`); it is assigned and both are notified.",
    )


@strawberry.type(description="Result of responding to an alert.")
class MentoringAlertPayload:
    """Act payload."""

    alert: AlertType | None = strawberry.field(description="The alert after the response.")
    user_errors: list[UserError] = strawberry.field(description="Why it failed.")


@strawberry.input(
    description="Record that the need behind an alert was addressed (after support was given)."
)
class ResolveMentoringAlertInput:
    """Resolve input."""

    alert_id: strawberry.ID = strawberry.field(description="The alert.")
    note: str | None = strawberry.field(default=None, description="What helped (optional).")


@strawberry.type(description="How far one model input moved from the training data in a run.")
class FeatureDriftType:
    """A feature's drift (aggregate)."""

    feature: str = strawberry.field(description="Feature name.")
    psi: float | None = strawberry.field(
        description="Population stability index against training (>0.25: a shift worth a look)."
    )
    missing_share: float = strawberry.field(description="Share of employees without a value.")

    @classmethod
    def from_row(cls, row: FeatureDriftRow) -> FeatureDriftType:
        """Build from a service row."""
        return cls(feature=row.feature, psi=row.psi, missing_share=row.missing_share)


@strawberry.type(description="How long one phase of a scoring run took.")
class ScoringPhase:
    """A phase time."""

    name: str = strawberry.field(
        description="db_read, validate, features, predict, explain or write."
    )
    seconds: float = strawberry.field(description="Wall-clock seconds.")


@strawberry.type(
    description="A scoring run of the mentoring model with its input drift (aggregates only)."
)
class MentoringScoringRunType:
    """A scoring run."""

    id: strawberry.ID = strawberry.field(
        description="Opaque ID of the run, for client caches (node(id:) does not fetch it)."
    )
    as_of: date = strawberry.field(description="Reference date scored.")
    model_version: str = strawberry.field(description="Model version that scored it.")
    scored: int = strawberry.field(description="Employees scored.")
    high: int = strawberry.field(description="Employees in the HIGH band.")
    missing_share: float = strawberry.field(description="Share of missing model inputs.")
    training_missing_share: float | None = strawberry.field(
        description="The same share in the model's training data."
    )
    max_psi: float | None = strawberry.field(description="Largest feature drift (PSI).")
    drifted: bool = strawberry.field(
        description="A behavioural input drifted beyond the threshold, or missing inputs rose."
    )
    drifted_features: list[str] = strawberry.field(description="Inputs beyond the threshold.")
    features: list[FeatureDriftType] = strawberry.field(
        description="The inputs that moved most, largest PSI first."
    )
    phases: list[ScoringPhase] = strawberry.field(
        description="Seconds per phase, in the order they ran (empty for runs before they "
        "were kept)."
    )
    created_at: datetime = strawberry.field(description="When the run happened.")

    @classmethod
    def from_row(cls, row: ScoringRunRow) -> MentoringScoringRunType:
        """Build from a service row."""
        return cls(
            id=strawberry.ID(encode_global_id("MentoringScoringRun", row.id)),
            as_of=row.as_of,
            model_version=row.model_version,
            scored=row.scored,
            high=row.high,
            missing_share=row.missing_share,
            training_missing_share=row.training_missing_share,
            max_psi=row.max_psi,
            drifted=row.drifted,
            drifted_features=row.drifted_features,
            features=[FeatureDriftType.from_row(f) for f in row.features],
            phases=[ScoringPhase(name=k, seconds=v) for k, v in row.phases.items()],
            created_at=row.created_at,
        )


@strawberry.type(
    description="What supervisors did with the mentoring alerts about one OPD's employees: "
    "counts only, never a person or a score (ADMIN_BKPSDM)."
)
class MentoringOutcomeCounts(FromRow[OutcomeCountsRow]):
    """Alert outcomes of an OPD."""

    row: strawberry.Private[OutcomeCountsRow]
    alerts: int = strawberry.field(description="Alerts raised.")
    open: int = strawberry.field(description="Still open: no response yet.")
    acknowledged: int = strawberry.field(description="Read by the supervisor, nothing decided.")
    coached: int = strawberry.field(description="Coaching or mentoring assigned.")
    training_recommended: int = strawberry.field(description="A course assigned.")
    dismissed: int = strawberry.field(description="Dismissed with a reason.")
    resolved: int = strawberry.field(
        description="The need was recorded as addressed (also counted under the response "
        "before it)."
    )

    opd = opd_field("opd_id", description="The OPD of the employees (as they are now).")
