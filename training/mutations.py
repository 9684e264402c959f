"""Mutation fields of the training module, with their inputs and payloads (thin)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.types.unset import UNSET

from portal.core.auth import Role, Viewer
from portal.core.context import Info
from portal.core.errors import DomainError
from portal.core.graphql import (
    Input,
    RowPayload,
    UserError,
    has_role,
    mutate,
    mutate_node,
    run_payload,
    viewer_mutation,
    viewer_of,
)
from portal.core.ids import decode_id_of
from portal.people.loaders import PeopleLoaders
from portal.people.types import EmployeeType
from training.enums import (
    CourseForm,
    CourseMode,
    CourseStatus,
    ScheduleKind,
)
from training.loaders import TrainingLoaders
from training.rows import AssignmentRow, CourseRow, DismissalRow
from training.services import assignments, booking, catalogue, recommendations
from training.services.booking import BulkReport
from training.services.catalogue import CourseData, SessionData
from training.types import (
    CourseRatingType,
    CourseType,
    DismissalType,
    TrainingAssignmentType,
)

_BKPSDM = has_role(Role.ADMIN_BKPSDM)


@strawberry.input(description="A scheduled session of a course.")
class CourseSessionInput:
    """Session input."""

    starts_at: datetime = strawberry.field(description="Start.")
    ends_at: datetime = strawberry.field(description="End (after the start).")
    topic: str = strawberry.field(default="", description="Topic (up to 200 characters).")
    location: str = strawberry.field(default="", description="Venue or meeting link.")


@strawberry.input(description="A new course of the catalogue (created as DRAFT).")
class CreateCourseInput:
    """Create input."""

    title: str = strawberry.field(description="Title (3-200 characters).")
    provider: str = strawberry.field(description="Organiser (2-200 characters).")
    mode: CourseMode = strawberry.field(description="KLASIKAL or NONKLASIKAL.")
    form: CourseForm = strawberry.field(description="Form; must suit the mode.")
    jp_hours: int = strawberry.field(description="Lesson hours (JP), 1-1000.")
    schedule_kind: ScheduleKind = strawberry.field(description="SESSIONS or SELF_PACED.")
    description: str = strawberry.field(default="", description="What it is about.")
    location: str = strawberry.field(default="", description="Venue, or `Daring`.")
    starts_on: date | None = strawberry.field(default=None, description="First day.")
    ends_on: date | None = strawberry.field(default=None, description="Last day.")
    enrolment_opens: date | None = strawberry.field(default=None, description="Enrolment opens.")
    enrolment_closes: date | None = strawberry.field(
        default=None, description="Enrolment closes (at the latest on the last day)."
    )
    capacity: int | None = strawberry.field(default=None, description="Seats; null: unlimited.")
    competency_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Competencies it develops (up to 12)."
    )
    sessions: list[CourseSessionInput] = strawberry.field(
        default_factory=list, description="Scheduled sessions (none when self-paced)."
    )


@strawberry.input(description="Change some fields of a course; omitted fields stay as they are.")
class UpdateCourseInput:
    """Update input (a patch)."""

    course_id: strawberry.ID = strawberry.field(description="The course.")
    title: str | None = strawberry.field(default=UNSET, description="Title.")
    provider: str | None = strawberry.field(default=UNSET, description="Organiser.")
    mode: CourseMode | None = strawberry.field(default=UNSET, description="Mode.")
    form: CourseForm | None = strawberry.field(default=UNSET, description="Form.")
    jp_hours: int | None = strawberry.field(default=UNSET, description="Lesson hours (JP).")
    schedule_kind: ScheduleKind | None = strawberry.field(default=UNSET, description="Schedule.")
    description: str | None = strawberry.field(default=UNSET, description="Description.")
    location: str | None = strawberry.field(default=UNSET, description="Venue.")
    starts_on: date | None = strawberry.field(default=UNSET, description="First day (null clears).")
    ends_on: date | None = strawberry.field(default=UNSET, description="Last day (null clears).")
    enrolment_opens: date | None = strawberry.field(
        default=UNSET, description="Enrolment opens (null clears)."
    )
    enrolment_closes: date | None = strawberry.field(
        default=UNSET, description="Enrolment closes (null clears)."
    )
    capacity: int | None = strawberry.field(
        default=UNSET, description="Seats (null: unlimited); never below the seats taken."
    )
    competency_ids: list[strawberry.ID] | None = strawberry.field(
        default=UNSET, description="Replaces the competencies."
    )
    sessions: list[CourseSessionInput] | None = strawberry.field(
        default=UNSET, description="Replaces the sessions."
    )


@strawberry.input(description="Publish, close, archive or restore a course.")
class SetCourseStatusInput:
    """Status input."""

    course_id: strawberry.ID = strawberry.field(description="The course.")
    status: CourseStatus = strawberry.field(description="The new status.")


@strawberry.input(description="A manager assigns a course to one employee.")
class AssignTrainingInput:
    """Assign input."""

    employee_id: strawberry.ID = strawberry.field(
        description="A subordinate (for admins: anyone in the OPD)."
    )
    course_id: strawberry.ID = strawberry.field(description="A PUBLISHED course.")
    reason: str = strawberry.field(description="Why (3-2000 characters); shown to the employee.")
    due_on: date | None = strawberry.field(default=None, description="Deadline, if any.")


@strawberry.input(description="Assign a course to every active employee of a unit, atomically.")
class AssignTrainingToUnitInput:
    """Bulk input."""

    course_id: strawberry.ID = strawberry.field(description="A PUBLISHED course.")
    unor_id: strawberry.ID = strawberry.field(description="The unit.")
    include_sub_units: bool = strawberry.field(
        default=False, description="Also everyone in the units below it."
    )
    reason: str = strawberry.field(description="Why (3-2000 characters).")
    due_on: date | None = strawberry.field(default=None, description="Deadline, if any.")


@strawberry.input(
    description="Self-enrol in an open course (`courseId`), or confirm an assigned one "
    "(`assignmentId`)."
)
class EnrolTrainingInput:
    """Enrol input; exactly one of the two."""

    course_id: strawberry.ID | None = strawberry.field(
        default=None, description="Course to enrol in (self-enrolment)."
    )
    assignment_id: strawberry.ID | None = strawberry.field(
        default=None, description="Assigned training to confirm (ASSIGNED -> ENROLLED)."
    )


@strawberry.input(description="Accept a recommended course; it becomes an assignment.")
class AcceptRecommendationInput:
    """Accept input."""

    course_id: strawberry.ID = strawberry.field(description="The recommended course.")


@strawberry.input(description="Decline a recommended course with a reason.")
class DismissRecommendationInput:
    """Dismiss input."""

    course_id: strawberry.ID = strawberry.field(description="The recommended course.")
    reason: str = strawberry.field(description="Why (3-500 characters).")


@strawberry.input(description="Record the completion of a training.")
class CompleteTrainingInput:
    """Complete input."""

    assignment_id: strawberry.ID = strawberry.field(description="The assignment.")
    completed_on: date = strawberry.field(description="Completion date (not in the future).")
    score: float | None = strawberry.field(default=None, description="Final score 0-100.")
    certificate_url: str | None = strawberry.field(
        default=None, description="Link to the certificate (http or https)."
    )


@strawberry.input(description="Cancel a training before completion.")
class CancelTrainingInput:
    """Cancel input."""

    assignment_id: strawberry.ID = strawberry.field(description="The assignment.")
    reason: str = strawberry.field(description="Why (3-2000 characters).")


@strawberry.input(description="Rate a completed course (once).")
class RateCourseInput:
    """Rating input."""

    assignment_id: strawberry.ID = strawberry.field(description="The completed assignment.")
    rating: int = strawberry.field(description="1 (poor) to 5 (excellent).")
    comment: str = strawberry.field(default="", description="Comment (up to 2000 characters).")


@strawberry.type(description="Result of a course mutation.")
class CoursePayload(RowPayload[CourseRow], course=(CourseType, "The course.")):
    """Course payload."""


@strawberry.type(description="Result of an assignment mutation.")
class TrainingAssignmentPayload(
    RowPayload[AssignmentRow], assignment=(TrainingAssignmentType, "The assignment.")
):
    """Assignment payload."""


@strawberry.type(description="Outcome of a unit assignment for one employee.")
class UnitAssignmentResult:
    """Per-person line of the bulk report."""

    employee_id: strawberry.Private[int]
    assignment_id: strawberry.Private[int | None]
    created: bool = strawberry.field(description="Whether the course was assigned.")
    reason: str | None = strawberry.field(description="Why not, when skipped.")

    @strawberry.field(description="The employee.")
    async def employee(self, info: Info) -> EmployeeType | None:
        """Employee."""
        row = await PeopleLoaders.of(info).employee.load(self.employee_id)
        return EmployeeType.from_row(row) if row else None

    @strawberry.field(description="The new assignment, when created.")
    async def assignment(self, info: Info) -> TrainingAssignmentType | None:
        """Assignment."""
        if self.assignment_id is None:
            return None
        row = await TrainingLoaders.of(info).assignment.load(self.assignment_id)
        return TrainingAssignmentType.from_row(row) if row else None


@strawberry.type(description="Result of assigning a course to a unit, with a per-person report.")
class AssignTrainingToUnitPayload:
    """Bulk payload."""

    applied: bool = strawberry.field(
        description="False when nothing was assigned (see `userErrors`, e.g. COURSE_FULL)."
    )
    created: int = strawberry.field(description="Employees who received the course.")
    skipped: int = strawberry.field(description="Employees left out.")
    seats_left: int | None = strawberry.field(
        description="Seats left afterwards (null: unlimited)."
    )
    results: list[UnitAssignmentResult] = strawberry.field(description="One line per employee.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was assigned.")


@strawberry.type(description="Result of rating a course.")
class RateCoursePayload:
    """Rating payload."""

    rating: CourseRatingType | None = strawberry.field(description="The rating.")
    assignment: TrainingAssignmentType | None = strawberry.field(
        description="The rated assignment."
    )
    user_errors: list[UserError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of dismissing a recommendation.")
class DismissRecommendationPayload(
    RowPayload[DismissalRow], dismissal=(DismissalType, "The stored dismissal.")
):
    """Dismiss payload."""


def _bulk_payload(
    report: BulkReport | None, errors: list[UserError]
) -> AssignTrainingToUnitPayload:
    if report is None:
        return AssignTrainingToUnitPayload(
            applied=False, created=0, skipped=0, seats_left=None, results=[], user_errors=errors
        )
    if report.error is not None:
        e = report.error
        errors = [UserError(field=e.field, message=e.message, code=e.code)]
    return AssignTrainingToUnitPayload(
        applied=report.applied,
        created=len(report.created),
        skipped=len(report.skipped),
        seats_left=report.seats_left,
        results=[
            UnitAssignmentResult(
                employee_id=r.employee_id,
                assignment_id=r.assignment_id,
                created=r.created,
                reason=r.reason,
            )
            for r in report.results
        ],
        user_errors=errors,
    )


def _sessions(items: list[CourseSessionInput]) -> tuple[SessionData, ...]:
    return tuple(SessionData(s.starts_at, s.ends_at, s.topic, s.location) for s in items)


def _competencies(ids: list[strawberry.ID]) -> tuple[int, ...]:
    return tuple(decode_id_of(i, "Competency", "competencyIds") for i in ids)


# the fields a course input carries as they are (the ids and sessions are converted)
_COURSE_FIELDS = (
    "title", "provider", "mode", "form", "jp_hours", "schedule_kind", "description",
    "location", "starts_on", "ends_on", "enrolment_opens", "enrolment_closes", "capacity",
)  # fmt: skip


def _changes(data: UpdateCourseInput) -> dict[str, Any]:
    """The fields the client sent; converted to the service's types."""
    changes: dict[str, Any] = {}
    for name in _COURSE_FIELDS:
        value = getattr(data, name)
        if value is not UNSET:
            changes[name] = value
    for name in ("title", "provider", "mode", "form", "jp_hours", "schedule_kind"):
        if name in changes and changes[name] is None:
            changes.pop(name)  # required columns: null means "leave it"
    for name in ("description", "location"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    if data.competency_ids is not UNSET:
        changes["competency_ids"] = _competencies(data.competency_ids or [])
    if data.sessions is not UNSET:
        changes["sessions"] = _sessions(data.sessions or [])
    return changes


def _course_data(data: CreateCourseInput) -> CourseData:
    return CourseData(
        **{name: getattr(data, name) for name in _COURSE_FIELDS},
        competency_ids=_competencies(data.competency_ids),
        sessions=_sessions(data.sessions),
    )


async def _enrol(viewer: Viewer, data: EnrolTrainingInput) -> AssignmentRow:
    """Confirm an assigned training, or self-enrol in a course: exactly one of the two."""
    if (data.course_id is None) == (data.assignment_id is None):
        raise DomainError.single(
            "INVALID_INPUT", "Isi tepat satu dari courseId atau assignmentId", "courseId"
        )
    if data.assignment_id is not None:
        return await assignments.enrol_assigned(
            viewer, decode_id_of(data.assignment_id, "TrainingAssignment", "assignmentId")
        )
    assert data.course_id is not None  # noqa: S101 - checked above
    return await booking.self_enrol(viewer, decode_id_of(data.course_id, "Course", "courseId"))


@strawberry.type
class TrainingMutation:
    """Catalogue management, assignments, completion, ratings and recommendations."""

    @viewer_mutation("Add a DRAFT course to the catalogue (ADMIN_BKPSDM).", _BKPSDM)
    async def create_course(self, info: Info, data: Input[CreateCourseInput]) -> CoursePayload:
        """Create a course."""
        return await mutate(
            info,
            lambda viewer: catalogue.create_course(viewer, _course_data(data)),
            CoursePayload.of,
        )

    @viewer_mutation("Change some fields of a course (ADMIN_BKPSDM).", _BKPSDM)
    async def update_course(self, info: Info, data: Input[UpdateCourseInput]) -> CoursePayload:
        """Update a course."""
        return await mutate_node(
            info,
            (data.course_id, "Course", "courseId"),
            lambda viewer, course_id: catalogue.update_course(viewer, course_id, _changes(data)),
            CoursePayload.of,
        )

    @viewer_mutation("Publish, close, archive or restore a course (ADMIN_BKPSDM).", _BKPSDM)
    async def set_course_status(
        self, info: Info, data: Input[SetCourseStatusInput]
    ) -> CoursePayload:
        """Change a course's status."""
        return await mutate_node(
            info,
            (data.course_id, "Course", "courseId"),
            lambda viewer, course_id: catalogue.set_status(viewer, course_id, data.status),
            CoursePayload.of,
        )

    @viewer_mutation(
        "Assign a course to an employee (their supervisor chain or an admin of the "
        "OPD); the employee is notified."
    )
    async def assign_training(
        self, info: Info, data: Input[AssignTrainingInput]
    ) -> TrainingAssignmentPayload:
        """Assign a course."""
        return await mutate(
            info,
            lambda viewer: booking.assign(
                viewer,
                employee_id=decode_id_of(data.employee_id, "Employee", "employeeId"),
                course_id=decode_id_of(data.course_id, "Course", "courseId"),
                reason=data.reason,
                due_on=data.due_on,
            ),
            TrainingAssignmentPayload.of,
        )

    @viewer_mutation(
        "Assign a course to every active employee of a unit (optionally with its "
        "sub-units) in one go; nothing is assigned when the seats left cannot take everyone."
    )
    async def assign_training_to_unit(
        self, info: Info, data: Input[AssignTrainingToUnitInput]
    ) -> AssignTrainingToUnitPayload:
        """Bulk assignment."""
        return await mutate_node(
            info,
            (data.course_id, "Course", "courseId"),
            lambda viewer, course_id: booking.assign_unit(
                viewer,
                course_id=course_id,
                unor_id=decode_id_of(data.unor_id, "Unor", "unorId"),
                include_sub_units=data.include_sub_units,
                reason=data.reason,
                due_on=data.due_on,
            ),
            _bulk_payload,
        )

    @viewer_mutation("Self-enrol in an open course, or confirm an assigned training.")
    async def enrol_training(
        self, info: Info, data: Input[EnrolTrainingInput]
    ) -> TrainingAssignmentPayload:
        """Enrol."""
        return await mutate(info, lambda viewer: _enrol(viewer, data), TrainingAssignmentPayload.of)

    @viewer_mutation(
        "Accept a recommended course: it becomes an ENROLLED assignment whose reason "
        "records the explanations."
    )
    async def accept_recommendation(
        self, info: Info, data: Input[AcceptRecommendationInput]
    ) -> TrainingAssignmentPayload:
        """Accept."""
        return await mutate_node(
            info,
            (data.course_id, "Course", "courseId"),
            recommendations.accept_recommendation,
            TrainingAssignmentPayload.of,
        )

    @viewer_mutation("Decline a recommended course with a reason; it is not recommended again.")
    async def dismiss_recommendation(
        self, info: Info, data: Input[DismissRecommendationInput]
    ) -> DismissRecommendationPayload:
        """Dismiss."""
        return await mutate_node(
            info,
            (data.course_id, "Course", "courseId"),
            lambda viewer, course_id: recommendations.dismiss_recommendation(
                viewer, course_id, data.reason
            ),
            DismissRecommendationPayload.of,
        )

    @viewer_mutation(
        "Record completion with date, score and certificate link (the participant, "
        "their supervisor chain or an admin of the OPD)."
    )
    async def complete_training(
        self, info: Info, data: Input[CompleteTrainingInput]
    ) -> TrainingAssignmentPayload:
        """Complete."""
        return await mutate_node(
            info,
            (data.assignment_id, "TrainingAssignment", "assignmentId"),
            lambda viewer, assignment_id: assignments.complete(
                viewer,
                assignment_id,
                completed_on=data.completed_on,
                score=data.score,
                certificate_url=data.certificate_url,
            ),
            TrainingAssignmentPayload.of,
        )

    @viewer_mutation(
        "Cancel a training before completion (managers; the participant only for "
        "what they chose themselves)."
    )
    async def cancel_training(
        self, info: Info, data: Input[CancelTrainingInput]
    ) -> TrainingAssignmentPayload:
        """Cancel."""
        return await mutate_node(
            info,
            (data.assignment_id, "TrainingAssignment", "assignmentId"),
            lambda viewer, assignment_id: assignments.cancel(viewer, assignment_id, data.reason),
            TrainingAssignmentPayload.of,
        )

    @viewer_mutation("Rate a completed course 1-5 with a comment (the participant, once).")
    async def rate_course(self, info: Info, data: Input[RateCourseInput]) -> RateCoursePayload:
        """Rate."""
        viewer = viewer_of(info)
        assignment_id = decode_id_of(data.assignment_id, "TrainingAssignment", "assignmentId")
        row, errors = await run_payload(
            lambda: assignments.rate(viewer, assignment_id, data.rating, data.comment)
        )
        if row is None:
            return RateCoursePayload(rating=None, assignment=None, user_errors=errors)
        assignment = await TrainingLoaders.of(info).assignment.load(assignment_id)
        return RateCoursePayload(
            rating=CourseRatingType.from_row(row),
            assignment=TrainingAssignmentType.from_row(assignment) if assignment else None,
            user_errors=[],
        )
