"""GraphQL of coaching, mentoring and counselling assignments."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from portal.coaching import service
from portal.coaching.service import AssignmentRow
from portal.coaching.types import (
    AssignCoachingInput,
    AssignmentPayload,
    AssignmentType,
    RecordSessionInput,
    ScheduleSessionInput,
    SessionPayload,
    SessionType,
    SetCoachingStatusInput,
)
from portal.core.context import Context
from portal.core.graphql import (
    Connection,
    IsAuthenticated,
    UserError,
    run_payload,
    to_connection,
    viewer_of,
)
from portal.core.ids import decode_id_of
from portal.core.pagination import page_request


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
