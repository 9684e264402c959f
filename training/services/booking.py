"""Booking courses: assign, self-enrol, accept; bulk by unit. The capacity-safe core.

**Capacity.** Seats (ASSIGNED, ENROLLED and COMPLETED assignments) are counted and the new
assignment inserted in ONE transaction that first serialises on the course: SQLite write
transactions are BEGIN IMMEDIATE (one writer at a time); on PostgreSQL the course row is locked
with ``SELECT ... FOR UPDATE``. Many simultaneous enrolments therefore never over-book; the
losers get ``COURSE_FULL``. A partial unique index keeps one live assignment per employee and
course even when the same person clicks twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from portal.core import audit, clock
from portal.core.auth import Viewer
from portal.core.db import id_in, insert_returning, is_unique_violation, transaction
from portal.core.errors import DomainError, FieldError, NotFoundError, PermissionDeniedError
from portal.core.ids import encode_global_id
from portal.notifications.services import inbox as notifications
from portal.people import facts as people_facts
from portal.people import visibility
from portal.people.rows import EmployeeRow
from portal.people.services import directory as people
from training import policy, sql
from training.enums import SEAT_STATUSES, AssignmentOrigin, AssignmentStatus, CourseStatus
from training.rows import AssignmentRow, CourseRow
from training.services import assignments, catalogue
from training.services.assignments import clean_reason
from training.tables import TrainingAssignment


@dataclass(frozen=True, slots=True)
class BulkResult:
    """Outcome of a unit assignment for one employee."""

    employee_id: int
    assignment_id: int | None
    created: bool
    reason: str | None = None


@dataclass(slots=True)
class BulkReport:
    """Outcome of :func:`assign_unit`; ``error`` says why nothing was assigned, if so."""

    course_id: int
    results: list[BulkResult] = field(default_factory=list)
    seats_left: int | None = None
    error: FieldError | None = None

    @property
    def applied(self) -> bool:
        """Whether the assignments were written."""
        return self.error is None

    @property
    def created(self) -> list[BulkResult]:
        """Employees who received the course."""
        return [r for r in self.results if r.created]

    @property
    def skipped(self) -> list[BulkResult]:
        """Employees left out, with the reason."""
        return [r for r in self.results if not r.created]


# --- booking (the capacity-safe core) ------------------------------------------------------


async def _lock_course(course_id: int) -> CourseRow:
    """Serialise bookings of one course for the rest of the transaction; return it fresh."""
    await sql.lock_course(course_id)
    return await catalogue.course_row(course_id)


async def _taken(course_id: int) -> int:
    count: int = await TrainingAssignment.count().where(
        (TrainingAssignment.course == course_id)
        & TrainingAssignment.status.is_in(sorted(SEAT_STATUSES))
    )
    return count


async def _live(employee_ids: Sequence[int], course_id: int) -> dict[int, str]:
    """Status of each employee's live (not cancelled) assignment to the course."""
    rows = await TrainingAssignment.select(
        TrainingAssignment.employee.as_alias("employee_id"), TrainingAssignment.status
    ).where(
        id_in(TrainingAssignment.employee, employee_ids)
        & (TrainingAssignment.course == course_id)
        & (TrainingAssignment.status != AssignmentStatus.CANCELLED.value)
    )
    return {r["employee_id"]: r["status"] for r in rows}


def _already(status: str) -> DomainError:
    if status == AssignmentStatus.COMPLETED:
        return DomainError.single(
            "ALREADY_COMPLETED", "Pegawai sudah menyelesaikan pelatihan ini", "courseId"
        )
    return DomainError.single(
        "ALREADY_ASSIGNED", "Pegawai sudah terdaftar pada pelatihan ini", "courseId"
    )


def _full(course: CourseRow) -> DomainError:
    return DomainError.single(
        "COURSE_FULL", f"Kuota pelatihan penuh ({course.capacity} kursi)", "courseId"
    )


def _check_bookable(course: CourseRow, on: date, *, window: bool) -> None:
    if course.status != CourseStatus.PUBLISHED:
        raise DomainError.single(
            "COURSE_NOT_OPEN", f"Pelatihan berstatus {course.status}", "courseId"
        )
    if course.ends_on is not None and course.ends_on < on:
        raise DomainError.single("COURSE_NOT_OPEN", "Pelatihan sudah berakhir", "courseId")
    if window and not course.enrolment_open(on):
        raise DomainError.single(
            "ENROLMENT_CLOSED", "Pendaftaran pelatihan ini sedang tidak dibuka", "courseId"
        )


def planned_year(course: CourseRow, due_on: date | None, on: date) -> int:
    """The year whose 20 JP a new assignment counts toward."""
    for candidate in (course.ends_on, due_on):
        if candidate is not None and candidate >= on:
            return candidate.year
    return on.year


@dataclass(frozen=True, slots=True)
class _Booking:
    employee_id: int
    origin: AssignmentOrigin
    status: AssignmentStatus
    reason: str
    due_on: date | None


async def _insert(viewer: Viewer, course: CourseRow, booking: _Booking, on: date) -> int:
    (assignment_id,) = await _insert_many(viewer, course, [booking], on)
    return assignment_id


async def _insert_many(
    viewer: Viewer, course: CourseRow, bookings: Sequence[_Booking], on: date
) -> list[int]:
    """Insert the assignments (one statement per chunk of rows); their ids, in order."""
    rows = [
        TrainingAssignment(
            employee=b.employee_id,
            course=course.id,
            origin=b.origin.value,
            assigned_by_account=viewer.account_id,
            reason=b.reason,
            due_on=b.due_on,
            status=b.status.value,
            year=planned_year(course, b.due_on, on),
        )
        for b in bookings
    ]
    try:
        inserted = await insert_returning(
            TrainingAssignment, rows, TrainingAssignment.id, TrainingAssignment.employee
        )
    except Exception as exc:
        if is_unique_violation(exc):  # the same person, twice at once
            raise _already(AssignmentStatus.ASSIGNED) from exc
        raise
    by_employee = {int(r["employee"]): int(r["id"]) for r in inserted}
    return [by_employee[b.employee_id] for b in bookings]


async def _book(
    viewer: Viewer, course_id: int, booking: _Booking, *, window: bool, on: date
) -> AssignmentRow:
    """Count seats and insert in one transaction, serialised on the course."""
    async with transaction():
        course = await _lock_course(course_id)
        _check_bookable(course, on, window=window)
        live = await _live([booking.employee_id], course_id)
        if booking.employee_id in live:
            raise _already(live[booking.employee_id])
        if course.capacity is not None and await _taken(course_id) >= course.capacity:
            raise _full(course)
        assignment_id = await _insert(viewer, course, booking, on)
        if booking.origin is AssignmentOrigin.ASSIGNED:
            await notifications.notify_employees(
                [booking.employee_id],
                "TRAINING_ASSIGNED",
                f"Anda ditugaskan mengikuti pelatihan {course.title}",
                booking.reason[:280],
                encode_global_id("TrainingAssignment", assignment_id),
            )
        await audit.record(
            account_id=viewer.account_id,
            action=f"TRAINING_{booking.origin.value}",
            entity_type="TrainingAssignment",
            entity_id=assignment_id,
            after={
                "employee_id": booking.employee_id,
                "course_id": course_id,
                "status": booking.status.value,
                "reason": booking.reason,
            },
        )
    return await assignments.assignment_row(assignment_id)


def _due(due_on: date | None, on: date) -> date | None:
    if due_on is not None and due_on < on:
        raise DomainError.single("INVALID_DATE", "Tenggat tidak boleh di masa lalu", "dueOn")
    return due_on


async def assign(
    viewer: Viewer,
    *,
    employee_id: int,
    course_id: int,
    reason: str,
    due_on: date | None = None,
    today: date | None = None,
) -> AssignmentRow:
    """A supervisor (chain) or an admin of the OPD assigns a course; the employee is told."""
    on = today or clock.today()
    employee = await visibility.readable_employee(viewer, employee_id, "Employee", "employeeId")
    if employee.id == viewer.employee_id or not await visibility.may_manage(viewer, employee):
        raise PermissionDeniedError("Hanya atasan atau admin OPD yang dapat menugaskan pelatihan")
    if not employee.active:
        raise DomainError.single("EMPLOYEE_INACTIVE", "Pegawai tidak aktif", "employeeId")
    await catalogue.get_course(viewer, course_id)
    booking = _Booking(
        employee.id,
        AssignmentOrigin.ASSIGNED,
        AssignmentStatus.ASSIGNED,
        clean_reason(reason, required=True),
        _due(due_on, on),
    )
    return await _book(viewer, course_id, booking, window=False, on=on)


async def self_enrol(
    viewer: Viewer,
    course_id: int,
    *,
    origin: AssignmentOrigin = AssignmentOrigin.SELF_ENROLLED,
    reason: str = "",
    today: date | None = None,
) -> AssignmentRow:
    """The employee enrols in an open course (also how an accepted recommendation books)."""
    on = today or clock.today()
    employee_id = policy.own_employee_id(viewer)
    await catalogue.get_course(viewer, course_id)
    booking = _Booking(
        employee_id,
        origin,
        AssignmentStatus.ENROLLED,
        clean_reason(reason, required=False),
        None,
    )
    return await _book(viewer, course_id, booking, window=True, on=on)


# --- bulk ----------------------------------------------------------------------------------


async def unit_employees(unor_id: int, *, include_sub_units: bool) -> list[EmployeeRow]:
    """Active employees of a unit (and, optionally, of every unit below it), by id."""
    units = await people_facts.unit_subtree_ids(unor_id) if include_sub_units else [unor_id]
    return await people_facts.active_employees_in_units(units)


async def assign_unit(
    viewer: Viewer,
    *,
    course_id: int,
    unor_id: int,
    include_sub_units: bool,
    reason: str,
    due_on: date | None = None,
    today: date | None = None,
) -> BulkReport:
    """Assign a course to every active employee of a unit, atomically, with a per-person report.

    Admins of the unit's OPD reach everyone there; a supervisor only their own subordinates.
    Employees already assigned or done are skipped with the reason. When the seats left
    cannot take everyone else, NOTHING is assigned and the report says so.
    """
    on = today or clock.today()
    (unit,) = await people.unors_by_ids([unor_id])
    if unit is None:
        raise NotFoundError("Unor", "unorId")
    employees = await unit_employees(unor_id, include_sub_units=include_sub_units)
    employees = await visibility.overseen_in_unit(viewer, unit.opd_id, employees)
    await catalogue.get_course(viewer, course_id)
    text = clean_reason(reason, required=True)
    due = _due(due_on, on)
    report = BulkReport(course_id=course_id)
    async with transaction():
        course = await _lock_course(course_id)
        _check_bookable(course, on, window=False)
        live = await _live([e.id for e in employees], course_id)
        todo = [e for e in employees if e.id not in live]
        for e in employees:
            if e.id in live:
                report.results.append(
                    BulkResult(e.id, None, created=False, reason=_skip(live[e.id]))
                )
        if course.capacity is not None:
            report.seats_left = max(0, course.capacity - await _taken(course_id))
            if len(todo) > report.seats_left:
                report.error = FieldError(
                    "COURSE_FULL",
                    f"Kursi tersisa {report.seats_left}, dibutuhkan {len(todo)}; "
                    "tidak ada pegawai yang ditugaskan",
                    "courseId",
                )
                report.results += [
                    BulkResult(e.id, None, created=False, reason="Kursi tidak mencukupi")
                    for e in todo
                ]
                report.results.sort(key=lambda r: r.employee_id)
                return report
        bookings = [
            _Booking(e.id, AssignmentOrigin.ASSIGNED, AssignmentStatus.ASSIGNED, text, due)
            for e in todo
        ]
        created = await _insert_many(viewer, course, bookings, on)
        report.results += [
            BulkResult(e.id, assignment_id, created=True)
            for e, assignment_id in zip(todo, created, strict=True)
        ]
        if todo:
            await notifications.notify_employees(
                [e.id for e in todo],
                "TRAINING_ASSIGNED",
                f"Anda ditugaskan mengikuti pelatihan {course.title}",
                text[:280],
                encode_global_id("Course", course_id),
            )
        if report.seats_left is not None:
            report.seats_left -= len(todo)
        await audit.record(
            account_id=viewer.account_id,
            action="TRAINING_ASSIGNED_TO_UNIT",
            entity_type="Course",
            entity_id=course_id,
            after={
                "unor_id": unor_id,
                "include_sub_units": include_sub_units,
                "created": len(report.created),
                "skipped": len(report.skipped),
            },
        )
    report.results.sort(key=lambda r: r.employee_id)
    return report


def _skip(status: str) -> str:
    if status == AssignmentStatus.COMPLETED:
        return "Sudah menyelesaikan pelatihan ini"
    return "Sudah terdaftar pada pelatihan ini"
