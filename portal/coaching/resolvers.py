"""GraphQL of coaching, mentoring and counselling assignments."""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry
from strawberry.types import Info

from portal.coaching import service
from portal.coaching.service import AssignmentRow, SessionRow
from portal.context import Context
from portal.core.graphql import (
    Connection,
    IsAuthenticated,
    Node,
    UserError,
    register_node,
    run_payload,
    to_connection,
    viewer_of,
)
from portal.core.ids import decode_id_of, encode_global_id
from portal.core.pagination import page_request
from portal.people.types import EmployeeType, load_employee


@strawberry.enum(description="COACHING, MENTORING or KONSELING (counselling).")
class CoachingKind(enum.StrEnum):
    """Kinds."""

    COACHING = "COACHING"
    MENTORING = "MENTORING"
    KONSELING = "KONSELING"


@strawberry.enum(description="Why the assignment exists.")
class CoachingOrigin(enum.StrEnum):
    """Origins."""

    MANUAL = "MANUAL"
    EVALUATION = "EVALUATION"
    MENTORING_ALERT = "MENTORING_ALERT"


@strawberry.enum(description="PLANNED -> ACTIVE -> COMPLETED, or CANCELLED.")
class CoachingStatus(enum.StrEnum):
    """Statuses."""

    PLANNED = "PLANNED"
    ACTIVE = "ACTIVE"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


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
class AssignmentType(Node):
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

    @classmethod
    def from_row(cls, row: AssignmentRow) -> AssignmentType:
        """Build from a service row."""
        return cls(
            id=strawberry.ID(encode_global_id("CoachingAssignment", row.id)),
            row=row,
            kind=CoachingKind(row.kind),
            goal=row.goal,
            origin=CoachingOrigin(row.origin),
            status=CoachingStatus(row.status),
            outcome=row.outcome,
            created_at=row.created_at,
            started_at=row.started_at,
            ended_at=row.ended_at,
        )

    @strawberry.field(description="The employee being supported.")
    async def employee(self, info: Info[Context, None]) -> EmployeeType | None:
        """Employee."""
        return await load_employee(info, self.row.employee_id)

    @strawberry.field(description="The coach, mentor or counsellor.")
    async def coach(self, info: Info[Context, None]) -> EmployeeType | None:
        """Coach."""
        return await load_employee(info, self.row.coach_id)

    @strawberry.field(description="Sessions in schedule order.")
    async def sessions(self) -> list[SessionType]:
        """Sessions."""
        (rows,) = await service.sessions_by_assignment([self.row.id])
        return [SessionType.from_row(s, self.row.coach_id) for s in rows]


async def _assignment_node(info: Info[Context, None], pk: int) -> AssignmentType | None:
    viewer = info.context.viewer
    (row,) = await service.assignments_by_ids([pk])
    if row is None or viewer is None or not await service.can_read(viewer, row):
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
class AssignmentPayload:
    """Assignment payload."""

    assignment: AssignmentType | None = strawberry.field(description="The assignment.")
    user_errors: list[UserError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of a session mutation.")
class SessionPayload:
    """Session payload."""

    session: SessionType | None = strawberry.field(description="The session.")
    user_errors: list[UserError] = strawberry.field(description="Why it failed.")


def _assignment_payload(row: AssignmentRow | None, errors: list[UserError]) -> AssignmentPayload:
    return AssignmentPayload(
        assignment=AssignmentType.from_row(row) if row else None, user_errors=errors
    )


@strawberry.type
class CoachingQuery:
    """Assignments."""

    @strawberry.field(
        description="Coaching assignments of an employee (default: the viewer), or those the "
        "viewer coaches (`asCoach`).",
        permission_classes=[IsAuthenticated],
    )
    async def coaching_assignments(
        self,
        info: Info[Context, None],
        first: int,
        after: str | None = None,
        employee_id: strawberry.ID | None = None,
        as_coach: bool = False,
    ) -> Connection[AssignmentType]:
        """Assignments."""
        page = await service.list_assignments(
            viewer_of(info),
            page_request(first, after),
            employee_id=decode_id_of(employee_id, "Employee", "employeeId")
            if employee_id
            else None,
            as_coach=as_coach,
        )
        return to_connection(page, AssignmentType.from_row)


@strawberry.type
class CoachingMutation:
    """Assignment and session writes."""

    @strawberry.mutation(
        description="Assign a coach (the employee's supervisor chain or an admin of the OPD).",
        permission_classes=[IsAuthenticated],
    )
    async def assign_coaching(
        self,
        info: Info[Context, None],
        input: AssignCoachingInput,  # noqa: A002
    ) -> AssignmentPayload:
        """Assign."""
        viewer = viewer_of(info)

        async def go() -> AssignmentRow:
            return await service.assign(
                viewer,
                employee_id=decode_id_of(input.employee_id, "Employee", "employeeId"),
                coach_id=decode_id_of(input.coach_id, "Employee", "coachId"),
                kind=input.kind.value,
                goal=input.goal,
                origin=input.origin.value,
                dialog_id=(
                    decode_id_of(input.dialog_id, "DialogKinerja", "dialogId")
                    if input.dialog_id
                    else None
                ),
                evaluation_id=(
                    decode_id_of(input.evaluation_id, "Evaluation", "evaluationId")
                    if input.evaluation_id
                    else None
                ),
            )

        return _assignment_payload(*await run_payload(go))

    @strawberry.mutation(
        description="Start, complete (coach, with outcome) or cancel an assignment.",
        permission_classes=[IsAuthenticated],
    )
    async def set_coaching_status(
        self,
        info: Info[Context, None],
        input: SetCoachingStatusInput,  # noqa: A002
    ) -> AssignmentPayload:
        """Change status."""
        viewer = viewer_of(info)
        return _assignment_payload(
            *await run_payload(
                lambda: service.change_status(
                    viewer,
                    decode_id_of(input.assignment_id, "CoachingAssignment", "assignmentId"),
                    input.status.value,
                    input.outcome,
                )
            )
        )

    @strawberry.mutation(
        description="Schedule a session (the coach); the employee is notified.",
        permission_classes=[IsAuthenticated],
    )
    async def schedule_coaching_session(
        self,
        info: Info[Context, None],
        input: ScheduleSessionInput,  # noqa: A002
    ) -> SessionPayload:
        """Schedule."""
        viewer = viewer_of(info)
        assignment_id = decode_id_of(input.assignment_id, "CoachingAssignment", "assignmentId")
        row, errors = await run_payload(
            lambda: service.schedule_session(viewer, assignment_id, input.scheduled_at)
        )
        if row is None:
            return SessionPayload(session=None, user_errors=errors)
        (assignment,) = await service.assignments_by_ids([assignment_id])
        coach = assignment.coach_id if assignment else -1
        return SessionPayload(session=SessionType.from_row(row, coach), user_errors=[])

    @strawberry.mutation(
        description="Record notes, private notes and next steps of a session (the coach).",
        permission_classes=[IsAuthenticated],
    )
    async def record_coaching_session(
        self,
        info: Info[Context, None],
        input: RecordSessionInput,  # noqa: A002
    ) -> SessionPayload:
        """Record."""
        viewer = viewer_of(info)
        row, errors = await run_payload(
            lambda: service.record_session(
                viewer,
                decode_id_of(input.session_id, "CoachingSession", "sessionId"),
                notes=input.notes,
                private_notes=input.private_notes,
                next_steps=input.next_steps,
                held=input.held,
            )
        )
        if row is None:
            return SessionPayload(session=None, user_errors=errors)
        (assignment,) = await service.assignments_by_ids([row.assignment_id])
        coach = assignment.coach_id if assignment else -1
        return SessionPayload(session=SessionType.from_row(row, coach), user_errors=[])
