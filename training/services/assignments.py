"""Training assignments: reads, scoping, and the status workflow after booking.

Status: ASSIGNED -> ENROLLED -> COMPLETED, or CANCELLED before completion. Every change is a
compare-and-set update, so a double click or two managers never both win. Creating assignments
(capacity-safe booking, bulk by unit) lives in :mod:`training.services.booking`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlparse

from portal.core import audit, clock
from portal.core.auth import Viewer
from portal.core.db import id_in, is_unique_violation, newest_first, row_columns, transaction
from portal.core.errors import DomainError, FieldError, NotFoundError, PermissionDeniedError
from portal.core.pagination import Page, PageRequest
from portal.people import visibility
from portal.people.services import directory as people
from training import policy
from training.enums import OPEN_STATUSES, AssignmentOrigin, AssignmentStatus
from training.rows import AssignmentRow, CourseRatingRow
from training.services import catalogue
from training.tables import CourseRating, TrainingAssignment

MAX_REASON = 2000
MAX_COMMENT = 2000
MAX_URL = 500

_COLUMNS = row_columns(TrainingAssignment, AssignmentRow)
_RATING_COLUMNS = (
    CourseRating.id,
    CourseRating.assignment.as_alias("assignment_id"),
    CourseRating.course.as_alias("course_id"),
    CourseRating.employee.as_alias("employee_id"),
    CourseRating.rating,
    CourseRating.comment,
    CourseRating.created_at,
)


def _now() -> datetime:
    return datetime.now(UTC)


def _row(r: dict[str, Any]) -> AssignmentRow:
    return AssignmentRow(**r)


# --- reads ---------------------------------------------------------------------------------


async def assignments_by_ids(ids: Sequence[int]) -> list[AssignmentRow | None]:
    """Assignments in the order of ``ids`` (dataloader batch; no scoping)."""
    rows = await TrainingAssignment.select(*_COLUMNS).where(id_in(TrainingAssignment.id, ids))
    by_id = {r["id"]: _row(r) for r in rows}
    return [by_id.get(i) for i in ids]


async def assignment_row(assignment_id: int) -> AssignmentRow:
    """One assignment (no scoping)."""
    (row,) = await assignments_by_ids([assignment_id])
    if row is None:
        raise NotFoundError("TrainingAssignment", "assignmentId")
    return row


_WORKFLOW = audit.Workflow(TrainingAssignment, "Penugasan", "assignmentId", assignment_row)


async def can_read(viewer: Viewer, row: AssignmentRow) -> bool:
    """The employee, their supervisor chain, admins of their OPD, BKPSDM."""
    return await visibility.reaches(viewer, visibility.PRIVATE, row.employee_id)


async def get_assignment(viewer: Viewer, assignment_id: int) -> AssignmentRow:
    """An assignment the viewer may read; NOT_FOUND otherwise."""
    row = await assignment_row(assignment_id)
    if not await can_read(viewer, row):
        raise NotFoundError("TrainingAssignment", "assignmentId")
    return row


async def list_assignments(
    viewer: Viewer,
    request: PageRequest,
    *,
    employee_id: int | None = None,
    course_id: int | None = None,
    status: AssignmentStatus | None = None,
    year: int | None = None,
) -> Page[AssignmentRow]:
    """Assignments, newest first: of one employee (default: the viewer), or of a course.

    With ``course_id`` and no ``employee_id`` every participant the viewer may see is listed.
    """
    clauses: list[Any] = []
    if employee_id is not None:
        await visibility.readable_employee(viewer, employee_id, "Employee", "employeeId")
        clauses.append(TrainingAssignment.employee == employee_id)
    elif course_id is not None:
        scope = await visibility.where(viewer, visibility.PRIVATE, TrainingAssignment.employee)
        if scope is not None:
            clauses.append(scope)
    else:
        clauses.append(TrainingAssignment.employee == policy.own_employee_id(viewer))
    if course_id is not None:
        clauses.append(TrainingAssignment.course == course_id)
    if status is not None:
        clauses.append(TrainingAssignment.status == status.value)
    if year is not None:
        clauses.append(TrainingAssignment.year == year)
    return await newest_first(TrainingAssignment, _COLUMNS, clauses, request, _row)


async def ratings_by_assignment(ids: Sequence[int]) -> list[CourseRatingRow | None]:
    """The rating given after each assignment, if any."""
    rows = await CourseRating.select(*_RATING_COLUMNS).where(id_in(CourseRating.assignment, ids))
    by_id = {r["assignment_id"]: CourseRatingRow(**r) for r in rows}
    return [by_id.get(i) for i in ids]


def clean_reason(text: str, *, required: bool) -> str:
    """A trimmed reason; 3 characters at least when ``required``."""
    text = text.strip()
    if len(text) > MAX_REASON or (required and len(text) < 3):  # noqa: PLR2004
        raise DomainError.single(
            "INVALID_LENGTH", f"Alasan {3 if required else 0}-{MAX_REASON} karakter", "reason"
        )
    return text


# --- transitions ---------------------------------------------------------------------------


async def _transition(
    viewer: Viewer,
    row: AssignmentRow,
    sources: frozenset[AssignmentStatus],
    values: dict[Any, Any],
    action: str,
) -> AssignmentRow:
    await audit.record_move(_WORKFLOW, viewer, row, sources, values, action=action)
    return await assignment_row(row.id)


async def enrol_assigned(viewer: Viewer, assignment_id: int) -> AssignmentRow:
    """The employee confirms an assigned course (ASSIGNED -> ENROLLED)."""
    row = await get_assignment(viewer, assignment_id)
    policy.require_self(viewer, row.employee_id)
    return await _transition(
        viewer,
        row,
        frozenset({AssignmentStatus.ASSIGNED}),
        {TrainingAssignment.status: AssignmentStatus.ENROLLED.value},
        "TRAINING_ENROLLED",
    )


def _certificate(url: str | None) -> str | None:
    if url is None or not url.strip():
        return None
    url = url.strip()
    parsed = urlparse(url)
    if len(url) > MAX_URL or parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise DomainError.single(
            "INVALID_URL", "Tautan sertifikat harus berupa URL http(s)", "certificateUrl"
        )
    return url


async def complete(
    viewer: Viewer,
    assignment_id: int,
    *,
    completed_on: date,
    score: float | None = None,
    certificate_url: str | None = None,
    today: date | None = None,
) -> AssignmentRow:
    """Record completion (the employee or a manager): date, score 0-100, certificate link."""
    on = today or clock.today()
    row = await get_assignment(viewer, assignment_id)
    employee = await people.get_employee(row.employee_id)
    if viewer.employee_id != row.employee_id and not await visibility.may_manage(viewer, employee):
        raise PermissionDeniedError("Hanya peserta, atasan atau admin OPD yang dapat mencatat")
    course = await catalogue.course_row(row.course_id)
    errors: list[FieldError] = []
    if completed_on > on:
        errors.append(
            FieldError("INVALID_DATE", "Tanggal selesai tidak boleh di masa depan", "completedOn")
        )
    if course.starts_on is not None and completed_on < course.starts_on:
        errors.append(
            FieldError("INVALID_DATE", "Tanggal selesai sebelum pelatihan dimulai", "completedOn")
        )
    if score is not None and not 0 <= score <= 100:  # noqa: PLR2004
        errors.append(FieldError("INVALID_SCORE", "Nilai harus 0-100", "score"))
    try:
        url = _certificate(certificate_url)
    except DomainError as exc:
        errors.extend(exc.errors)
        url = None
    if errors:
        raise DomainError(*errors)
    return await _transition(
        viewer,
        row,
        OPEN_STATUSES,
        {
            TrainingAssignment.status: AssignmentStatus.COMPLETED.value,
            TrainingAssignment.completed_on: completed_on,
            TrainingAssignment.score: score,
            TrainingAssignment.certificate_url: url,
            TrainingAssignment.year: completed_on.year,
        },
        "TRAINING_COMPLETED",
    )


async def cancel(viewer: Viewer, assignment_id: int, reason: str) -> AssignmentRow:
    """Cancel before completion: managers always; the employee only what they chose."""
    row = await get_assignment(viewer, assignment_id)
    employee = await people.get_employee(row.employee_id)
    manager = viewer.employee_id != row.employee_id and await visibility.may_manage(
        viewer, employee
    )
    own_choice = viewer.employee_id == row.employee_id and row.origin != AssignmentOrigin.ASSIGNED
    if not (manager or own_choice):
        raise PermissionDeniedError("Pelatihan yang ditugaskan hanya dapat dibatalkan oleh atasan")
    return await _transition(
        viewer,
        row,
        OPEN_STATUSES,
        {
            TrainingAssignment.status: AssignmentStatus.CANCELLED.value,
            TrainingAssignment.cancel_reason: clean_reason(reason, required=True),
        },
        "TRAINING_CANCELLED",
    )


async def rate(viewer: Viewer, assignment_id: int, rating: int, comment: str) -> CourseRatingRow:
    """The participant rates a completed course once (1-5, optional comment)."""
    row = await get_assignment(viewer, assignment_id)
    policy.require_self(viewer, row.employee_id)
    errors: list[FieldError] = []
    if row.status != AssignmentStatus.COMPLETED:
        errors.append(
            FieldError("NOT_COMPLETED", "Penilaian diberikan setelah pelatihan selesai", None)
        )
    if not 1 <= rating <= 5:  # noqa: PLR2004
        errors.append(FieldError("INVALID_RATING", "Rating harus 1-5", "rating"))
    if len(comment.strip()) > MAX_COMMENT:
        errors.append(
            FieldError("INVALID_LENGTH", f"Komentar maksimal {MAX_COMMENT} karakter", "comment")
        )
    if errors:
        raise DomainError(*errors)
    rated = DomainError.single("ALREADY_RATED", "Pelatihan ini sudah Anda nilai", "assignmentId")
    async with transaction():
        if await CourseRating.exists().where(CourseRating.assignment == assignment_id):
            raise rated
        try:
            inserted = await CourseRating.insert(
                CourseRating(
                    assignment=assignment_id,
                    course=row.course_id,
                    employee=row.employee_id,
                    rating=rating,
                    comment=comment.strip(),
                )
            )
        except Exception as exc:
            if is_unique_violation(exc):
                raise rated from exc
            raise
        await audit.record(
            account_id=viewer.account_id,
            action="COURSE_RATED",
            entity_type="CourseRating",
            entity_id=inserted[0]["id"],
            after={"assignment_id": assignment_id, "rating": rating},
        )
    (saved,) = await ratings_by_assignment([assignment_id])
    assert saved is not None  # noqa: S101 - written in this transaction
    return saved
