"""Coaching, mentoring and counselling: assignments, sessions, outcomes.

Who sees what: the employee, the coach, the employee's supervisor chain and admins of the
employee's OPD see an assignment and its shared session notes; the coach alone sees their
private notes. Being someone's coach gives no access to the rest of their file.
Status: PLANNED -> ACTIVE -> COMPLETED, or CANCELLED from PLANNED or ACTIVE.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from portal.coaching import policy
from portal.coaching.enums import CoachingKind, CoachingOrigin, CoachingStatus
from portal.coaching.tables import CoachingAssignment, CoachingSession
from portal.core import audit
from portal.core.auth import Viewer
from portal.core.db import id_in, row_columns, transaction
from portal.core.errors import DomainError, NotFoundError, PermissionDeniedError
from portal.core.ids import encode_global_id
from portal.core.pagination import Page, PageRequest, page_of
from portal.feedback import facts as feedback_facts
from portal.feedback.service import check_reference
from portal.notifications.services import inbox as notifications
from portal.people import visibility
from portal.people.services import directory as people
from portal.performance import facts as performance_facts

KINDS = frozenset(CoachingKind)
ORIGINS = frozenset(CoachingOrigin)
KIND_LABELS = {kind: kind.value.lower() for kind in CoachingKind}


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    """A coaching assignment."""

    id: int
    employee_id: int
    coach_id: int
    kind: str
    goal: str
    origin: str
    status: str
    outcome: str | None
    dialog_id: int | None
    evaluation_id: int | None
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None


@dataclass(frozen=True, slots=True)
class SessionRow:
    """A coaching session."""

    id: int
    assignment_id: int
    scheduled_at: datetime
    held_at: datetime | None
    notes: str
    private_notes: str
    next_steps: str


_ASSIGNMENT = row_columns(CoachingAssignment, AssignmentRow)
_SESSION = row_columns(CoachingSession, SessionRow)


def _now() -> datetime:
    return datetime.now(UTC)


async def assignments_by_ids(ids: Sequence[int]) -> list[AssignmentRow | None]:
    """Assignments in the order of ``ids`` (no scoping)."""
    rows = await CoachingAssignment.select(*_ASSIGNMENT).where(id_in(CoachingAssignment.id, ids))
    by_id = {r["id"]: AssignmentRow(**r) for r in rows}
    return [by_id.get(i) for i in ids]


async def get_assignment(viewer: Viewer, assignment_id: int) -> AssignmentRow:
    """An assignment the viewer may read."""
    (row,) = await assignments_by_ids([assignment_id])
    if row is None or not await policy.can_read(viewer, row):
        raise NotFoundError("Assignment", "assignmentId")
    return row


async def assign(
    viewer: Viewer,
    *,
    employee_id: int,
    coach_id: int,
    kind: str,
    goal: str,
    origin: str = CoachingOrigin.MANUAL,
    dialog_id: int | None = None,
    evaluation_id: int | None = None,
) -> AssignmentRow:
    """Pair an employee with a coach (their supervisor chain or an admin decides)."""
    if not await policy.can_manage(viewer, employee_id):
        raise PermissionDeniedError("Hanya atasan atau admin OPD yang dapat menugaskan")
    if kind not in KINDS:
        raise DomainError.single("INVALID_VALUE", "Jenis pendampingan tidak dikenal", "kind")
    if origin not in ORIGINS:
        raise DomainError.single("INVALID_VALUE", "Asal penugasan tidak dikenal", "origin")
    if coach_id == employee_id:
        raise DomainError.single("INVALID_COACH", "Pendamping harus orang lain", "coachId")
    try:
        coach = await people.get_employee(coach_id)
    except NotFoundError as exc:
        raise NotFoundError("Coach", "coachId") from exc
    if not coach.active:
        raise DomainError.single("INVALID_COACH", "Pendamping tidak aktif", "coachId")
    goal = goal.strip()
    if not 3 <= len(goal) <= 2000:  # noqa: PLR2004
        raise DomainError.single("INVALID_LENGTH", "Tujuan 3-2000 karakter", "goal")
    await check_reference(employee_id, feedback_facts.dialog_employee, dialog_id, "dialogId")
    await check_reference(
        employee_id, performance_facts.evaluation_employee, evaluation_id, "evaluationId"
    )
    async with transaction():
        inserted = await CoachingAssignment.insert(
            CoachingAssignment(
                employee=employee_id,
                coach=coach_id,
                assigned_by_account=viewer.account_id,
                kind=kind,
                goal=goal,
                origin=origin,
                dialog=dialog_id,
                evaluation=evaluation_id,
            )
        )
        assignment_id = int(inserted[0]["id"])
        subject = encode_global_id("CoachingAssignment", assignment_id)
        await notifications.notify_employees(
            [employee_id, coach_id],
            "COACHING_ASSIGNED",
            f"Pendampingan {KIND_LABELS[CoachingKind(kind)]} dijadwalkan",
            goal[:140],
            subject,
        )
        await audit.record(
            account_id=viewer.account_id,
            action="COACHING_ASSIGNED",
            entity_type="CoachingAssignment",
            entity_id=assignment_id,
            after={
                "employee_id": employee_id,
                "coach_id": coach_id,
                "kind": kind,
                "origin": origin,
            },
        )
    (row,) = await assignments_by_ids([assignment_id])
    assert row is not None  # noqa: S101
    return row


_TRANSITIONS = {
    CoachingStatus.ACTIVE: frozenset({CoachingStatus.PLANNED}),
    CoachingStatus.COMPLETED: frozenset({CoachingStatus.ACTIVE}),
    CoachingStatus.CANCELLED: frozenset({CoachingStatus.PLANNED, CoachingStatus.ACTIVE}),
}


async def change_status(
    viewer: Viewer, assignment_id: int, target: str, outcome: str | None = None
) -> AssignmentRow:
    """Start (coach or managers), complete with an outcome (coach), or cancel (managers)."""
    row = await get_assignment(viewer, assignment_id)
    if target not in _TRANSITIONS:
        raise DomainError.single("INVALID_VALUE", "Status tidak dikenal", "status")
    target = CoachingStatus(target)
    is_coach = viewer.employee_id == row.coach_id
    manager = await policy.can_manage(viewer, row.employee_id)
    allowed = {
        CoachingStatus.ACTIVE: is_coach or manager,
        CoachingStatus.COMPLETED: is_coach,
        CoachingStatus.CANCELLED: manager,
    }
    if not allowed[target]:
        raise PermissionDeniedError("Anda tidak dapat mengubah status pendampingan ini")
    values: dict[Any, Any] = {CoachingAssignment.status: target}
    if target == CoachingStatus.ACTIVE:
        values[CoachingAssignment.started_at] = _now()
    else:
        values[CoachingAssignment.ended_at] = _now()
        text = (outcome or "").strip()
        if target == CoachingStatus.COMPLETED and not 3 <= len(text) <= 4000:  # noqa: PLR2004
            raise DomainError.single("OUTCOME_REQUIRED", "Tuliskan hasil pendampingan", "outcome")
        values[CoachingAssignment.outcome] = text or None
    async with transaction():
        updated = (
            await CoachingAssignment.update(values)
            .where(
                (CoachingAssignment.id == assignment_id)
                & CoachingAssignment.status.is_in(sorted(_TRANSITIONS[target]))
            )
            .returning(CoachingAssignment.id)
        )
        if not updated:
            raise DomainError.single("INVALID_STATE", f"Status saat ini {row.status}", None)
        await audit.record(
            account_id=viewer.account_id,
            action=f"COACHING_{target}",
            entity_type="CoachingAssignment",
            entity_id=assignment_id,
            before={"status": row.status},
            after={"status": target, "outcome": outcome},
        )
    (new,) = await assignments_by_ids([assignment_id])
    assert new is not None  # noqa: S101
    return new


async def list_assignments(
    viewer: Viewer, request: PageRequest, *, employee_id: int | None = None, as_coach: bool = False
) -> Page[AssignmentRow]:
    """Assignments of an employee (default: the viewer), or those the viewer coaches."""
    if as_coach:
        clause: Any = CoachingAssignment.coach == (viewer.employee_id or -1)
    else:
        target = employee_id if employee_id is not None else viewer.employee_id
        if target is None:
            raise NotFoundError("Employee", "employeeId")
        # an employee's coaching is private data: the one rule of people.visibility decides
        await visibility.readable_employee(viewer, target, "Employee", "employeeId")
        clause = CoachingAssignment.employee == target
    query = (
        CoachingAssignment.select(*_ASSIGNMENT)
        .where(clause)
        .order_by(CoachingAssignment.id, ascending=False)
    )
    if request.after_pk is not None:
        query = query.where(CoachingAssignment.id < request.after_pk)
    rows = [AssignmentRow(**r) for r in await query.limit(request.first + 1)]
    return page_of(rows, request, await CoachingAssignment.count().where(clause))


async def sessions_by_assignment(ids: Sequence[int]) -> list[list[SessionRow]]:
    """Sessions of each assignment by schedule."""
    rows = await CoachingSession.select(*_SESSION).where(id_in(CoachingSession.assignment, ids))
    grouped: dict[int, list[SessionRow]] = {}
    for r in sorted(rows, key=lambda r: (r["scheduled_at"], r["id"])):
        grouped.setdefault(r["assignment_id"], []).append(SessionRow(**r))
    return [grouped.get(i, []) for i in ids]


async def schedule_session(
    viewer: Viewer, assignment_id: int, scheduled_at: datetime
) -> SessionRow:
    """The coach schedules a session; the employee is told."""
    row = await get_assignment(viewer, assignment_id)
    if viewer.employee_id != row.coach_id:
        raise PermissionDeniedError("Hanya pendamping yang menjadwalkan sesi")
    if row.status not in (CoachingStatus.PLANNED, CoachingStatus.ACTIVE):
        raise DomainError.single("INVALID_STATE", f"Status saat ini {row.status}", None)
    when = scheduled_at if scheduled_at.tzinfo else scheduled_at.replace(tzinfo=UTC)
    async with transaction():
        inserted = await CoachingSession.insert(
            CoachingSession(assignment=assignment_id, scheduled_at=when)
        )
        session_id = int(inserted[0]["id"])
        await notifications.notify_employees(
            [row.employee_id],
            "SESSION_SCHEDULED",
            f"Sesi {KIND_LABELS[CoachingKind(row.kind)]} dijadwalkan {when:%d-%m-%Y %H:%M} UTC",
            row.goal[:140],
            encode_global_id("CoachingAssignment", assignment_id),
        )
        await audit.record(
            account_id=viewer.account_id,
            action="COACHING_SESSION_SCHEDULED",
            entity_type="CoachingSession",
            entity_id=session_id,
            after={"scheduled_at": when.isoformat()},
        )
    (sessions,) = await sessions_by_assignment([assignment_id])
    return next(s for s in sessions if s.id == session_id)


async def record_session(
    viewer: Viewer,
    session_id: int,
    *,
    notes: str,
    private_notes: str,
    next_steps: str,
    held: bool,
) -> SessionRow:
    """The coach records what happened (shared notes, private notes, next steps)."""
    rows = await CoachingSession.select(*_SESSION).where(CoachingSession.id == session_id)
    if not rows:
        raise NotFoundError("Session", "sessionId")
    session = SessionRow(**rows[0])
    row = await get_assignment(viewer, session.assignment_id)
    if viewer.employee_id != row.coach_id:
        raise PermissionDeniedError("Hanya pendamping yang mencatat sesi")
    for name, text in (
        ("notes", notes),
        ("privateNotes", private_notes),
        ("nextSteps", next_steps),
    ):
        if len(text) > 8000:  # noqa: PLR2004
            raise DomainError.single("INVALID_LENGTH", "Catatan maksimal 8000 karakter", name)
    async with transaction():
        await CoachingSession.update(
            {
                CoachingSession.notes: notes.strip(),
                CoachingSession.private_notes: private_notes.strip(),
                CoachingSession.next_steps: next_steps.strip(),
                CoachingSession.held_at: _now() if held else None,
            }
        ).where(CoachingSession.id == session_id)
        await audit.record(
            account_id=viewer.account_id,
            action="COACHING_SESSION_RECORDED",
            entity_type="CoachingSession",
            entity_id=session_id,
            after={"held": held},
        )
    rows = await CoachingSession.select(*_SESSION).where(CoachingSession.id == session_id)
    return SessionRow(**rows[0])
