"""Invitations, check-in, late registration and session feedback of the socialization program.

Programs and sessions themselves (and who may see them) are in
:mod:`portal.adoption.services.programs`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from portal.adoption import cache, policy
from portal.adoption.services.programs import (
    SessionRow,
    check_units,
    clean_text,
    get_session,
    session_counts,
    utc_now,
)
from portal.adoption.tables import (
    Attendance,
    Invitation,
    SessionFeedback,
)
from portal.core import audit
from portal.core.auth import Viewer
from portal.core.db import id_in, is_unique_violation, transaction
from portal.core.errors import DomainError, NotFoundError
from portal.core.pagination import Page, PageRequest
from portal.core.store import Store
from portal.people import facts as people_facts
from portal.people import visibility
from portal.people.services import directory as people

MAX_BULK = 500
CHECK_IN_EARLY = timedelta(hours=2)


@dataclass(frozen=True, slots=True)
class ParticipantRow:
    """One employee's invitation to and/or attendance at one session."""

    session_id: int
    employee_id: int
    invited_at: datetime | None
    checked_in_at: datetime | None
    late_registration: bool


@dataclass(frozen=True, slots=True)
class FeedbackSummary:
    """Attendees' feedback on a session."""

    responses: int
    average_rating: float | None
    comments: list[str]


@dataclass(frozen=True, slots=True)
class CheckInOutcome:
    """What happened to one identifier of a bulk check-in."""

    identifier: str
    employee_id: int | None
    status: str  # CHECKED_IN, ALREADY_CHECKED_IN, NOT_INVITED, UNKNOWN


@dataclass(frozen=True, slots=True)
class InviteOutcome:
    """Result of inviting a unit."""

    session: SessionRow
    invited: int
    already_invited: int


def _page_of(rows: list[ParticipantRow], key: str, request: PageRequest) -> Page[ParticipantRow]:
    ordered = sorted(rows, key=lambda r: int(getattr(r, key)))
    after = [r for r in ordered if request.after_pk is None or getattr(r, key) > request.after_pk]
    items = after[: request.first]
    return Page(
        items=items,
        keys=[int(getattr(r, key)) for r in items],
        total_count=len(ordered),
        has_next_page=len(after) > request.first,
        has_previous_page=request.after_pk is not None,
    )


def _merge(
    invitations: list[dict[str, Any]], attendance: list[dict[str, Any]]
) -> list[ParticipantRow]:
    merged: dict[tuple[int, int], dict[str, Any]] = {}
    for r in invitations:
        merged[(r["s"], r["e"])] = {"invited_at": r["at"], "checked_in_at": None, "late": False}
    for r in attendance:
        item = merged.setdefault((r["s"], r["e"]), {"invited_at": None})
        item.update(checked_in_at=r["at"], late=bool(r["late"]))
    return [
        ParticipantRow(
            session_id=s,
            employee_id=e,
            invited_at=v["invited_at"],
            checked_in_at=v["checked_in_at"],
            late_registration=v["late"],
        )
        for (s, e), v in merged.items()
    ]


async def list_participants(
    viewer: Viewer, session_id: int, request: PageRequest
) -> Page[ParticipantRow]:
    """Invitations and attendance of a session, scoped.

    Managers see everyone, an ADMIN_OPD their OPD's employees, an employee only themself.
    """
    session = await get_session(viewer, session_id)
    inv = Invitation.select(
        Invitation.session.as_alias("s"),
        Invitation.employee.as_alias("e"),
        Invitation.invited_at.as_alias("at"),
    ).where(Invitation.session == session.id)
    att = Attendance.select(
        Attendance.session.as_alias("s"),
        Attendance.employee.as_alias("e"),
        Attendance.checked_in_at.as_alias("at"),
        Attendance.late_registration.as_alias("late"),
    ).where(Attendance.session == session.id)
    if not policy.is_manager(viewer):
        inv_scope = await visibility.where(viewer, visibility.RECORDS, Invitation.employee)
        att_scope = await visibility.where(viewer, visibility.RECORDS, Attendance.employee)
        if inv_scope is not None and att_scope is not None:
            inv, att = inv.where(inv_scope), att.where(att_scope)
    return _page_of(_merge(await inv, await att), "employee_id", request)


async def my_invitations(viewer: Viewer, request: PageRequest) -> Page[ParticipantRow]:
    """The viewer's own invitations and attendance, one row per session."""
    me = viewer.employee_id or -1
    inv = await Invitation.select(
        Invitation.session.as_alias("s"),
        Invitation.employee.as_alias("e"),
        Invitation.invited_at.as_alias("at"),
    ).where(Invitation.employee == me)
    att = await Attendance.select(
        Attendance.session.as_alias("s"),
        Attendance.employee.as_alias("e"),
        Attendance.checked_in_at.as_alias("at"),
        Attendance.late_registration.as_alias("late"),
    ).where(Attendance.employee == me)
    return _page_of(_merge(inv, att), "session_id", request)


async def feedback_summary(viewer: Viewer, session_id: int) -> FeedbackSummary:
    """Feedback of a session's attendees (managers only; comments without names)."""
    policy.require_manager(viewer)
    await get_session(viewer, session_id)
    rows = await SessionFeedback.select(SessionFeedback.rating, SessionFeedback.comment).where(
        SessionFeedback.session == session_id
    )
    ratings = [int(r["rating"]) for r in rows]
    return FeedbackSummary(
        responses=len(ratings),
        average_rating=round(sum(ratings) / len(ratings), 2) if ratings else None,
        comments=sorted(r["comment"] for r in rows if r["comment"]),
    )


async def _session_for_write(viewer: Viewer, session_id: int) -> SessionRow:
    policy.require_manager(viewer)
    return await get_session(viewer, session_id)


async def invite_unit(
    viewer: Viewer,
    store: Store,
    *,
    session_id: int,
    unit_id: int,
    include_subunits: bool = True,
) -> InviteOutcome:
    """Invite every active employee of a unit (and its sub-units) to a session (managers).

    Already-invited employees are skipped; the whole batch is refused when it would take the
    invitations past the session's capacity.
    """
    session = await _session_for_write(viewer, session_id)
    await check_units([unit_id], "unitId")
    units = await people_facts.unit_subtree_ids(unit_id) if include_subunits else [unit_id]
    targets = set(await people_facts.active_ids_in_units(units))
    existing = {
        r["e"]
        for r in await Invitation.select(Invitation.employee.as_alias("e")).where(
            Invitation.session == session.id
        )
    }
    new = sorted(targets - existing)
    if len(existing) + len(new) > session.capacity:
        raise DomainError.single(
            "CAPACITY_EXCEEDED",
            f"Undangan ({len(existing) + len(new)}) melebihi kapasitas sesi ({session.capacity})",
            "unitId",
        )
    if new:
        async with transaction():
            for start in range(0, len(new), MAX_BULK):
                await Invitation.insert(
                    *(
                        Invitation(session=session.id, employee=e)
                        for e in new[start : start + MAX_BULK]
                    )
                )
            await audit.record(
                account_id=viewer.account_id,
                action="ADOPTION_UNIT_INVITED",
                entity_type="Session",
                entity_id=session.id,
                after={"unit_id": unit_id, "subunits": include_subunits, "invited": len(new)},
            )
            await cache.bump_after_commit(store)
    return InviteOutcome(session=session, invited=len(new), already_invited=len(targets) - len(new))


async def _resolve(
    employee_ids: Sequence[int], nips: Sequence[str]
) -> list[tuple[str, int | None]]:
    """(identifier, employee id or None) for every ID and NIP, in the order given."""
    known_ids = {
        e.id
        for e in await people.employees_by_ids(list(employee_ids))
        if e is not None and e.active
    }
    by_nip = await people_facts.active_ids_by_nip([n.strip() for n in nips])
    out: list[tuple[str, int | None]] = [
        (str(i), i if i in known_ids else None) for i in employee_ids
    ]
    out += [(n.strip(), by_nip.get(n.strip())) for n in nips]
    return out


async def check_in(
    viewer: Viewer,
    store: Store,
    *,
    session_id: int,
    employee_ids: Sequence[int] = (),
    nips: Sequence[str] = (),
) -> tuple[SessionRow, list[CheckInOutcome]]:
    """Record the attendance of invited employees, by employee ID or NIP (managers).

    Each identifier gets its own outcome; people who were not invited are refused with
    NOT_INVITED (use :func:`register_late` for them).
    """
    session = await _session_for_write(viewer, session_id)
    if not employee_ids and not nips:
        raise DomainError.single("REQUIRED", "Isi ID pegawai atau NIP", "employeeIds")
    if len(employee_ids) + len(nips) > MAX_BULK:
        raise DomainError.single(
            "BATCH_TOO_LARGE", f"Maksimal {MAX_BULK} pegawai per check-in", "employeeIds"
        )
    if utc_now() < session.starts_at - CHECK_IN_EARLY:
        raise DomainError.single(
            "SESSION_NOT_STARTED", "Check-in dibuka dua jam sebelum sesi dimulai", "sessionId"
        )
    resolved = await _resolve(employee_ids, nips)
    ids = [e for _, e in resolved if e is not None]
    invited = {
        r["e"]
        for r in await Invitation.select(Invitation.employee.as_alias("e")).where(
            (Invitation.session == session.id) & id_in(Invitation.employee, ids)
        )
    }
    present = {
        r["e"]
        for r in await Attendance.select(Attendance.employee.as_alias("e")).where(
            (Attendance.session == session.id) & id_in(Attendance.employee, ids)
        )
    }
    outcomes = []
    new: list[int] = []
    for identifier, employee_id in resolved:
        if employee_id is None:
            status = "UNKNOWN"
        elif employee_id in present or employee_id in new:
            status = "ALREADY_CHECKED_IN"
        elif employee_id not in invited:
            status = "NOT_INVITED"
        else:
            status = "CHECKED_IN"
            new.append(employee_id)
        outcomes.append(CheckInOutcome(identifier, employee_id, status))
    if new:
        async with transaction():
            await Attendance.insert(*(Attendance(session=session.id, employee=e) for e in new))
            await audit.record(
                account_id=viewer.account_id,
                action="ADOPTION_CHECKED_IN",
                entity_type="Session",
                entity_id=session.id,
                after={"employee_ids": new},
            )
            await cache.bump_after_commit(store)
    return session, outcomes


async def register_late(
    viewer: Viewer,
    store: Store,
    *,
    session_id: int,
    employee_id: int | None = None,
    nip: str | None = None,
) -> ParticipantRow:
    """Record a walk-in: someone who was not invited attended (managers; within capacity)."""
    session = await _session_for_write(viewer, session_id)
    if (employee_id is None) == (nip is None):
        raise DomainError.single("REQUIRED", "Isi salah satu: ID pegawai atau NIP", "employeeId")
    ((identifier, resolved),) = await _resolve(
        [employee_id] if employee_id is not None else [], [nip] if nip is not None else []
    )
    field = "employeeId" if employee_id is not None else "nip"
    if resolved is None:
        raise NotFoundError("Employee", field)
    if await Attendance.exists().where(
        (Attendance.session == session.id) & (Attendance.employee == resolved)
    ):
        raise DomainError.single("ALREADY_CHECKED_IN", "Pegawai sudah tercatat hadir", field)
    if await Invitation.exists().where(
        (Invitation.session == session.id) & (Invitation.employee == resolved)
    ):
        raise DomainError.single(
            "ALREADY_INVITED", "Pegawai ini diundang: catat kehadirannya dengan check-in", field
        )
    (counts,) = await session_counts([session.id])
    if counts.attended >= session.capacity:
        raise DomainError.single("CAPACITY_EXCEEDED", "Kapasitas sesi sudah penuh", "sessionId")
    try:
        async with transaction():
            await Attendance.insert(
                Attendance(session=session.id, employee=resolved, late_registration=True)
            )
            await audit.record(
                account_id=viewer.account_id,
                action="ADOPTION_LATE_REGISTERED",
                entity_type="Session",
                entity_id=session.id,
                after={"employee_id": resolved, "identifier": identifier},
            )
            await cache.bump_after_commit(store)
    except Exception as exc:
        if is_unique_violation(exc):
            raise DomainError.single(
                "ALREADY_CHECKED_IN", "Pegawai sudah tercatat hadir", field
            ) from exc
        raise
    return ParticipantRow(
        session_id=session.id,
        employee_id=resolved,
        invited_at=None,
        checked_in_at=utc_now(),
        late_registration=True,
    )


async def submit_feedback(
    viewer: Viewer, store: Store, *, session_id: int, rating: int, comment: str = ""
) -> SessionRow:
    """An attendee rates a session (1-5) with an optional comment, once."""
    session = await get_session(viewer, session_id)
    me = viewer.employee_id
    attended = me is not None and await Attendance.exists().where(
        (Attendance.session == session.id) & (Attendance.employee == me)
    )
    if not attended:
        raise DomainError.single(
            "NOT_ATTENDED", "Hanya peserta yang hadir yang dapat memberi umpan balik", "sessionId"
        )
    if not 1 <= rating <= 5:  # noqa: PLR2004
        raise DomainError.single("INVALID_RATING", "Nilai harus 1-5", "rating")
    comment = clean_text(comment, "comment", 0, 2000, "Komentar")
    try:
        async with transaction():
            await SessionFeedback.insert(
                SessionFeedback(session=session.id, employee=me, rating=rating, comment=comment)
            )
            await audit.record(
                account_id=viewer.account_id,
                action="ADOPTION_FEEDBACK_SUBMITTED",
                entity_type="Session",
                entity_id=session.id,
                after={"rating": rating},
            )
            await cache.bump_after_commit(store)
    except Exception as exc:
        if is_unique_violation(exc):
            raise DomainError.single(
                "ALREADY_SUBMITTED", "Umpan balik untuk sesi ini sudah dikirim", "sessionId"
            ) from exc
        raise
    return session
