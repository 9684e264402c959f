"""GraphQL types, inputs and payloads of the coaching domain."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from portal.coaching import policy
from portal.coaching.enums import CoachingKind, CoachingOrigin, CoachingStatus
from portal.coaching.loaders import CoachingLoaders
from portal.coaching.service import AssignmentRow, SessionRow
from portal.core.context import Context
from portal.core.graphql import (
    Node,
    RowPayload,
    UserError,
    register_node,
)
from portal.core.ids import encode_global_id
from portal.core.row_types import FromRow
from portal.people.types import employee_field

strawberry.enum(CoachingKind, description="COACHING, MENTORING or KONSELING (counselling).")


strawberry.enum(CoachingOrigin, description="Why the assignment exists.")


strawberry.enum(CoachingStatus, description="PLANNED -> ACTIVE -> COMPLETED, or CANCELLED.")


@strawberry.type(name="CoachingSession", description="A coaching session.")
class SessionType:
    """A session."""

    row: strawberry.Private[SessionRow]
    coach_id: strawberry.Private[int]
    id: strawberry.ID = strawberry.field(description="Global ID of the session.")
    scheduled_at: datetime = strawberry.field(description="When it is planned.")
    held_at: datetime | None = strawberry.field(description="When it was held.")
    notes: str = strawberry.field(description="Notes shared by coach and employee.")
    next_steps: str = strawberry.field(description="Agreed next steps.")

    @classmethod
    def from_row(cls, row: SessionRow, coach_id: int) -> SessionType:
        """Build from a service row."""
        return cls(
            row=row,
            coach_id=coach_id,
            id=strawberry.ID(encode_global_id("CoachingSession", row.id)),
            scheduled_at=row.scheduled_at,
            held_at=row.held_at,
            notes=row.notes,
            next_steps=row.next_steps,
        )

    @strawberry.field(description="The coach's private notes; null for everyone but the coach.")
    def private_notes(self, info: Info[Context, None]) -> str | None:
        """Private notes."""
        viewer = info.context.viewer
        return self.row.private_notes if viewer and viewer.employee_id == self.coach_id else None


@strawberry.type(
    name="CoachingAssignment",
    description="An employee paired with a coach, mentor or counsellor for a goal.",
)
class AssignmentType(Node, FromRow[AssignmentRow]):
    """An assignment."""

    row: strawberry.Private[AssignmentRow]
    kind: CoachingKind = strawberry.field(description="COACHING, MENTORING or KONSELING.")
    goal: str = strawberry.field(description="What the pairing aims at.")
    origin: CoachingOrigin = strawberry.field(description="MANUAL, EVALUATION or MENTORING_ALERT.")
    status: CoachingStatus = strawberry.field(description="Workflow state.")
    outcome: str | None = strawberry.field(description="Outcome, once completed.")
    created_at: datetime = strawberry.field(description="When it was assigned.")
    started_at: datetime | None = strawberry.field(description="When it started.")
    ended_at: datetime | None = strawberry.field(description="When it completed or was cancelled.")

    employee = employee_field("employee_id", description="The employee being supported.")

    coach = employee_field("coach_id", description="The coach, mentor or counsellor.")

    @strawberry.field(description="Sessions in schedule order.")
    async def sessions(self, info: Info[Context, None]) -> list[SessionType]:
        """Sessions (one query for every assignment of the response)."""
        rows = await CoachingLoaders.of(info).sessions.load(self.row.id)
        return [SessionType.from_row(s, self.row.coach_id) for s in rows]


async def _assignment_node(info: Info[Context, None], pk: int) -> AssignmentType | None:
    viewer = info.context.viewer
    row = await CoachingLoaders.of(info).assignment.load(pk)
    if row is None or viewer is None or not await policy.can_read(viewer, row):
        return None
    return AssignmentType.from_row(row)


register_node("CoachingAssignment", _assignment_node)


@strawberry.input(description="Assign a coach, mentor or counsellor to an employee.")
class AssignCoachingInput:
    """Assign input."""

    employee_id: strawberry.ID = strawberry.field(description="The employee.")
    coach_id: strawberry.ID = strawberry.field(description="The coach (any other employee).")
    kind: CoachingKind = strawberry.field(description="Kind of support.")
    goal: str = strawberry.field(description="Goal (3-2000 characters).")
    origin: CoachingOrigin = strawberry.field(
        default=CoachingOrigin.MANUAL, description="Why it is assigned."
    )
    dialog_id: strawberry.ID | None = strawberry.field(
        default=None, description="The dialog kinerja that led to it."
    )
    evaluation_id: strawberry.ID | None = strawberry.field(
        default=None, description="The evaluation that led to it."
    )


@strawberry.input(description="Change an assignment's status.")
class SetCoachingStatusInput:
    """Status input."""

    assignment_id: strawberry.ID = strawberry.field(description="The assignment.")
    status: CoachingStatus = strawberry.field(description="ACTIVE, COMPLETED or CANCELLED.")
    outcome: str | None = strawberry.field(
        default=None, description="Required when completing: what came of it."
    )


@strawberry.input(description="Schedule a session (the coach).")
class ScheduleSessionInput:
    """Schedule input."""

    assignment_id: strawberry.ID = strawberry.field(description="The assignment.")
    scheduled_at: datetime = strawberry.field(description="When.")


@strawberry.input(description="Record a session (the coach).")
class RecordSessionInput:
    """Record input."""

    session_id: strawberry.ID = strawberry.field(description="The session.")
    notes: str = strawberry.field(default="", description="Notes shared with the employee.")
    private_notes: str = strawberry.field(default="", description="The coach's private notes.")
    next_steps: str = strawberry.field(default="", description="Agreed next steps.")
    held: bool = strawberry.field(default=True, description="Whether the session took place.")


@strawberry.type(description="Result of an assignment mutation.")
class AssignmentPayload(RowPayload[AssignmentRow], assignment=(AssignmentType, "The assignment.")):
    """Assignment payload."""


@strawberry.type(description="Result of a session mutation.")
class SessionPayload:
    """Session payload."""

    session: SessionType | None = strawberry.field(description="The session.")
    user_errors: list[UserError] = strawberry.field(description="Why it failed.")
