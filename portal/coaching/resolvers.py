"""GraphQL of coaching, mentoring and counselling assignments."""

from __future__ import annotations

import strawberry

from portal.coaching import service
from portal.coaching.service import SessionRow
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
    Input,
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
    async def assign_coaching(
        self, info: Info, data: Input[AssignCoachingInput]
    ) -> AssignmentPayload:
        """Assign."""
        return await mutate(
            info,
            lambda viewer: service.assign(
                viewer,
                employee_id=decode_id_of(data.employee_id, "Employee", "employeeId"),
                coach_id=decode_id_of(data.coach_id, "Employee", "coachId"),
                kind=data.kind.value,
                goal=data.goal,
                origin=data.origin.value,
                dialog_id=decode_optional_id(data.dialog_id, "DialogKinerja", "dialogId"),
                evaluation_id=decode_optional_id(data.evaluation_id, "Evaluation", "evaluationId"),
            ),
            AssignmentPayload.of,
        )

    @viewer_mutation("Start, complete (coach, with outcome) or cancel an assignment.")
    async def set_coaching_status(
        self, info: Info, data: Input[SetCoachingStatusInput]
    ) -> AssignmentPayload:
        """Change status."""
        return await mutate_node(
            info,
            (data.assignment_id, "CoachingAssignment", "assignmentId"),
            lambda viewer, assignment_id: service.change_status(
                viewer, assignment_id, data.status.value, data.outcome
            ),
            AssignmentPayload.of,
        )

    @viewer_mutation("Schedule a session (the coach); the employee is notified.")
    async def schedule_coaching_session(
        self, info: Info, data: Input[ScheduleSessionInput]
    ) -> SessionPayload:
        """Schedule."""
        viewer = viewer_of(info)
        assignment_id = decode_id_of(data.assignment_id, "CoachingAssignment", "assignmentId")
        return await _session_payload(
            *await run_payload(
                lambda: service.schedule_session(viewer, assignment_id, data.scheduled_at)
            )
        )

    @viewer_mutation("Record notes, private notes and next steps of a session (the coach).")
    async def record_coaching_session(
        self, info: Info, data: Input[RecordSessionInput]
    ) -> SessionPayload:
        """Record."""
        viewer = viewer_of(info)
        return await _session_payload(
            *await run_payload(
                lambda: service.record_session(
                    viewer,
                    decode_id_of(data.session_id, "CoachingSession", "sessionId"),
                    notes=data.notes,
                    private_notes=data.private_notes,
                    next_steps=data.next_steps,
                    held=data.held,
                )
            )
        )
