"""GraphQL of coaching, mentoring and counselling assignments."""

from __future__ import annotations

import strawberry

from portal.coaching import service
from portal.coaching.service import AssignmentRow, SessionRow
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
from portal.core.context import Info
from portal.core.graphql import (
    Connection,
    UserError,
    mutate,
    mutate_node,
    run_payload,
    to_connection,
    viewer_field,
    viewer_mutation,
    viewer_of,
)
from portal.core.ids import decode_id_of, decode_optional_id
from portal.core.pagination import page_request


def _assignment_payload(row: AssignmentRow | None, errors: list[UserError]) -> AssignmentPayload:
    return AssignmentPayload(
        assignment=AssignmentType.from_row(row) if row else None, user_errors=errors
    )


async def _session_payload(row: SessionRow | None, errors: list[UserError]) -> SessionPayload:
    """The session payload; the session type needs the coach of its assignment."""
    if row is None:
        return SessionPayload(session=None, user_errors=errors)
    (assignment,) = await service.assignments_by_ids([row.assignment_id])
    coach = assignment.coach_id if assignment else -1
    return SessionPayload(session=SessionType.from_row(row, coach), user_errors=[])


@strawberry.type
class CoachingQuery:
    """Assignments."""

    @viewer_field(
        "Coaching assignments of an employee (default: the viewer), or those the "
        "viewer coaches (`asCoach`)."
    )
    async def coaching_assignments(
        self,
        info: Info,
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

    @viewer_mutation("Assign a coach (the employee's supervisor chain or an admin of the OPD).")
    async def assign_coaching(self, info: Info, input: AssignCoachingInput) -> AssignmentPayload:  # noqa: A002
        """Assign."""
        return await mutate(
            info,
            lambda viewer: service.assign(
                viewer,
                employee_id=decode_id_of(input.employee_id, "Employee", "employeeId"),
                coach_id=decode_id_of(input.coach_id, "Employee", "coachId"),
                kind=input.kind.value,
                goal=input.goal,
                origin=input.origin.value,
                dialog_id=decode_optional_id(input.dialog_id, "DialogKinerja", "dialogId"),
                evaluation_id=decode_optional_id(input.evaluation_id, "Evaluation", "evaluationId"),
            ),
            _assignment_payload,
        )

    @viewer_mutation("Start, complete (coach, with outcome) or cancel an assignment.")
    async def set_coaching_status(
        self,
        info: Info,
        input: SetCoachingStatusInput,  # noqa: A002
    ) -> AssignmentPayload:
        """Change status."""
        return await mutate_node(
            info,
            (input.assignment_id, "CoachingAssignment", "assignmentId"),
            lambda viewer, assignment_id: service.change_status(
                viewer, assignment_id, input.status.value, input.outcome
            ),
            _assignment_payload,
        )

    @viewer_mutation("Schedule a session (the coach); the employee is notified.")
    async def schedule_coaching_session(
        self,
        info: Info,
        input: ScheduleSessionInput,  # noqa: A002
    ) -> SessionPayload:
        """Schedule."""
        viewer = viewer_of(info)
        assignment_id = decode_id_of(input.assignment_id, "CoachingAssignment", "assignmentId")
        return await _session_payload(
            *await run_payload(
                lambda: service.schedule_session(viewer, assignment_id, input.scheduled_at)
            )
        )

    @viewer_mutation("Record notes, private notes and next steps of a session (the coach).")
    async def record_coaching_session(
        self,
        info: Info,
        input: RecordSessionInput,  # noqa: A002
    ) -> SessionPayload:
        """Record."""
        viewer = viewer_of(info)
        return await _session_payload(
            *await run_payload(
                lambda: service.record_session(
                    viewer,
                    decode_id_of(input.session_id, "CoachingSession", "sessionId"),
                    notes=input.notes,
                    private_notes=input.private_notes,
                    next_steps=input.next_steps,
                    held=input.held,
                )
            )
        )
