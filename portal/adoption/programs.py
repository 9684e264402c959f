"""Socialization programs and sessions: planning, bulk invitations, attendance and feedback.

Managers (PENGELOLA_SOSIALISASI, ADMIN_BKPSDM) write; visibility follows ``policy.py``. Every
write runs in one transaction with an audit entry and invalidates the metrics cache once it
commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

from piccolo.query.functions.aggregate import Count

from portal.adoption import cache, policy, sql
from portal.adoption.tables import (
    Attendance,
    Invitation,
    Program,
    ProgramOpd,
    ProgramUnit,
    Session,
    SessionFeedback,
    SessionUnit,
)
from portal.core import audit
from portal.core.auth import Viewer
from portal.core.db import is_unique_violation, transaction
from portal.core.errors import DomainError, FieldError, NotFoundError
from portal.core.pagination import Page, PageRequest, page_of
from portal.core.store import Store
from portal.people import service as people

MAX_BULK = 500
MAX_CAPACITY = 5000
CHECK_IN_EARLY = timedelta(hours=2)


@dataclass(frozen=True, slots=True)
class ProgramRow:
    """A socialization program."""

    id: int
    name: str
    goal: str
    starts_on: date
    ends_on: date
    manager_id: int


@dataclass(frozen=True, slots=True)
class SessionRow:
    """A session of a program."""

    id: int
    program_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str | None
    online_url: str | None
    facilitator: str
    capacity: int


@dataclass(frozen=True, slots=True)
class ParticipantRow:
    """One employee's invitation to and/or attendance at one session."""

    session_id: int
    employee_id: int
    invited_at: datetime | None
    checked_in_at: datetime | None
    late_registration: bool


@dataclass(frozen=True, slots=True)
class SessionCounts:
    """Headcounts of a session."""

    invited: int
    attended: int
    late_registrations: int


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


_PROGRAM = (
    Program.id,
    Program.name,
    Program.goal,
    Program.starts_on,
    Program.ends_on,
    Program.manager.as_alias("manager_id"),
)
_SESSION = (
    Session.id,
    Session.program.as_alias("program_id"),
    Session.title,
    Session.starts_at,
    Session.ends_at,
    Session.place,
    Session.online_url,
    Session.facilitator,
    Session.capacity,
)


def _now() -> datetime:
    return datetime.now(UTC)


def _text(value: str, field: str, low: int, high: int, label: str) -> str:
    value = value.strip()
    if not low <= len(value) <= high:
        raise DomainError.single("INVALID_LENGTH", f"{label} harus {low}-{high} karakter", field)
    return value


# --- reads ---------------------------------------------------------------------------------------


async def programs_by_ids(ids: Sequence[int]) -> list[ProgramRow | None]:
    """Programs in the order of ``ids`` (no scoping; the dataloader's batch)."""
    rows = await Program.select(*_PROGRAM).where(Program.id.is_in(list(set(ids)) or [-1]))
    by_id = {r["id"]: ProgramRow(**r) for r in rows}
    return [by_id.get(i) for i in ids]


async def sessions_by_ids(ids: Sequence[int]) -> list[SessionRow | None]:
    """Sessions in the order of ``ids`` (no scoping)."""
    rows = await Session.select(*_SESSION).where(Session.id.is_in(list(set(ids)) or [-1]))
    by_id = {r["id"]: SessionRow(**r) for r in rows}
    return [by_id.get(i) for i in ids]


async def sessions_by_program(program_ids: Sequence[int]) -> list[list[SessionRow]]:
    """Sessions of each program, by start time."""
    rows = await (
        Session.select(*_SESSION)
        .where(Session.program.is_in(list(set(program_ids)) or [-1]))
        .order_by(Session.starts_at)
    )
    grouped: dict[int, list[SessionRow]] = {}
    for r in rows:
        grouped.setdefault(r["program_id"], []).append(SessionRow(**r))
    return [grouped.get(p, []) for p in program_ids]


async def program_opds(program_ids: Sequence[int]) -> list[list[int]]:
    """Target OPD ids of each program."""
    rows = await ProgramOpd.select(
        ProgramOpd.program.as_alias("p"), ProgramOpd.opd.as_alias("o")
    ).where(ProgramOpd.program.is_in(list(set(program_ids)) or [-1]))
    grouped: dict[int, list[int]] = {}
    for r in rows:
        grouped.setdefault(r["p"], []).append(r["o"])
    return [sorted(grouped.get(p, [])) for p in program_ids]


async def program_units(program_ids: Sequence[int]) -> list[list[int]]:
    """Target unit ids of each program."""
    rows = await ProgramUnit.select(
        ProgramUnit.program.as_alias("p"), ProgramUnit.unor.as_alias("u")
    ).where(ProgramUnit.program.is_in(list(set(program_ids)) or [-1]))
    grouped: dict[int, list[int]] = {}
    for r in rows:
        grouped.setdefault(r["p"], []).append(r["u"])
    return [sorted(grouped.get(p, [])) for p in program_ids]


async def session_units(session_ids: Sequence[int]) -> list[list[int]]:
    """Target unit ids of each session."""
    rows = await SessionUnit.select(
        SessionUnit.session.as_alias("s"), SessionUnit.unor.as_alias("u")
    ).where(SessionUnit.session.is_in(list(set(session_ids)) or [-1]))
    grouped: dict[int, list[int]] = {}
    for r in rows:
        grouped.setdefault(r["s"], []).append(r["u"])
    return [sorted(grouped.get(s, [])) for s in session_ids]


async def session_counts(session_ids: Sequence[int]) -> list[SessionCounts]:
    """Invited, attended and late-registered headcounts of each session (two grouped queries)."""
    ids = list(set(session_ids)) or [-1]
    invited = await (
        Invitation.select(Invitation.session.as_alias("s"), Count(Invitation.id, alias="n"))
        .where(Invitation.session.is_in(ids))
        .group_by(Invitation.session)
    )
    attended = await (
        Attendance.select(
            Attendance.session.as_alias("s"),
            Attendance.late_registration,
            Count(Attendance.id, alias="n"),
        )
        .where(Attendance.session.is_in(ids))
        .group_by(Attendance.session, Attendance.late_registration)
    )
    inv = {r["s"]: int(r["n"]) for r in invited}
    att: dict[int, list[int]] = {}
    for r in attended:
        pair = att.setdefault(r["s"], [0, 0])
        pair[0] += int(r["n"])
        if r["late_registration"]:
            pair[1] += int(r["n"])
    return [
        SessionCounts(inv.get(s, 0), att.get(s, [0, 0])[0], att.get(s, [0, 0])[1])
        for s in session_ids
    ]


async def participation(viewer: Viewer) -> tuple[set[int], set[int]]:
    """Sessions the viewer (as an employee) was invited to or attended, and their programs."""
    if viewer.employee_id is None:
        return set(), set()
    rows = await Invitation.select(
        Invitation.session.as_alias("s"), Invitation.session.program.as_alias("p")
    ).where(Invitation.employee == viewer.employee_id)
    rows += await Attendance.select(
        Attendance.session.as_alias("s"), Attendance.session.program.as_alias("p")
    ).where(Attendance.employee == viewer.employee_id)
    return {r["s"] for r in rows}, {r["p"] for r in rows}


async def visible_program_ids(viewer: Viewer) -> set[int] | None:
    """Programs the viewer may see; None means all of them."""
    if policy.is_manager(viewer):
        return None
    _, programs = await participation(viewer)
    if viewer.admin_opd_ids:
        opds = list(viewer.admin_opd_ids)
        rows = await ProgramOpd.select(ProgramOpd.program.as_alias("p")).where(
            ProgramOpd.opd.is_in(opds)
        )
        rows += await ProgramUnit.select(ProgramUnit.program.as_alias("p")).where(
            ProgramUnit.unor.opd.is_in(opds)
        )
        programs |= {r["p"] for r in rows}
    return programs


async def can_see_program(viewer: Viewer, program_id: int) -> bool:
    """Managers; admins of an OPD the program targets; employees invited to one of its sessions."""
    visible = await visible_program_ids(viewer)
    return visible is None or program_id in visible


async def can_see_session(viewer: Viewer, session: SessionRow) -> bool:
    """Managers; admins of an OPD the program targets; employees invited to the session."""
    visible = await visible_program_ids(viewer)
    if visible is None:
        return True
    sessions, _ = await participation(viewer)
    if session.id in sessions:
        return True
    return bool(viewer.admin_opd_ids) and session.program_id in visible


async def get_program(viewer: Viewer, program_id: int, field: str = "programId") -> ProgramRow:
    """A program the viewer may see."""
    (row,) = await programs_by_ids([program_id])
    visible = await visible_program_ids(viewer)
    if row is None or (visible is not None and row.id not in visible):
        raise NotFoundError("Program", field)
    return row


async def get_session(viewer: Viewer, session_id: int, field: str = "sessionId") -> SessionRow:
    """A session the viewer may see."""
    (row,) = await sessions_by_ids([session_id])
    if row is None or not await can_see_session(viewer, row):
        raise NotFoundError("Session", field)
    return row


async def list_programs(viewer: Viewer, request: PageRequest) -> Page[ProgramRow]:
    """Programs visible to the viewer, newest first by ID order (keyset on ID)."""
    visible = await visible_program_ids(viewer)
    query = Program.select(*_PROGRAM).order_by(Program.id).limit(request.first + 1)
    count = Program.count()
    if visible is not None:
        ids = sorted(visible) or [-1]
        query = query.where(Program.id.is_in(ids))
        count = count.where(Program.id.is_in(ids))
    if request.after_pk is not None:
        query = query.where(Program.id > request.after_pk)
    rows = [ProgramRow(**r) for r in await query]
    return page_of(rows, request, await count)


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
        opds = list(viewer.admin_opd_ids)
        mine = viewer.employee_id or -1
        inv = inv.where(Invitation.employee.opd.is_in(opds or [-1]) | (Invitation.employee == mine))
        att = att.where(Attendance.employee.opd.is_in(opds or [-1]) | (Attendance.employee == mine))
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


# --- writes --------------------------------------------------------------------------------------


async def _check_opds(opd_ids: Sequence[int]) -> None:
    if not opd_ids:
        return
    found = [o for o in await people.opds_by_ids(list(opd_ids)) if o is not None]
    if len(found) != len(set(opd_ids)):
        raise NotFoundError("Opd", "targetOpdIds")


async def _check_units(unit_ids: Sequence[int], field: str) -> None:
    if not unit_ids:
        return
    found = [u for u in await people.unors_by_ids(list(unit_ids)) if u is not None]
    if len(found) != len(set(unit_ids)):
        raise NotFoundError("Unor", field)


async def create_program(
    viewer: Viewer,
    store: Store,
    *,
    name: str,
    goal: str,
    starts_on: date,
    ends_on: date,
    opd_ids: Sequence[int] = (),
    unit_ids: Sequence[int] = (),
) -> ProgramRow:
    """Plan a program targeting OPDs and/or units (managers)."""
    policy.require_manager(viewer)
    name = _text(name, "name", 3, 200, "Nama program")
    goal = _text(goal, "goal", 0, 4000, "Tujuan")
    if ends_on < starts_on:
        raise DomainError.single(
            "INVALID_RANGE", "Tanggal selesai tidak boleh sebelum tanggal mulai", "endsOn"
        )
    await _check_opds(opd_ids)
    await _check_units(unit_ids, "targetUnitIds")
    async with transaction():
        (inserted,) = await Program.insert(
            Program(
                name=name,
                goal=goal,
                starts_on=starts_on,
                ends_on=ends_on,
                manager=viewer.account_id,
            )
        )
        program_id = int(inserted["id"])
        if opd_ids:
            await ProgramOpd.insert(*(ProgramOpd(program=program_id, opd=o) for o in set(opd_ids)))
        if unit_ids:
            await ProgramUnit.insert(
                *(ProgramUnit(program=program_id, unor=u) for u in set(unit_ids))
            )
        await audit.record(
            account_id=viewer.account_id,
            action="ADOPTION_PROGRAM_CREATED",
            entity_type="Program",
            entity_id=program_id,
            after={
                "name": name,
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
                "opd_ids": sorted(set(opd_ids)),
                "unit_ids": sorted(set(unit_ids)),
            },
        )
        await cache.bump_after_commit(store)
    (row,) = await programs_by_ids([program_id])
    assert row is not None  # noqa: S101 - inserted above
    return row


def _check_url(url: str | None) -> str | None:
    if url is None or not url.strip():
        return None
    url = url.strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("https", "http") or not parsed.netloc or len(url) > 500:  # noqa: PLR2004
        raise DomainError.single("INVALID_URL", "Tautan daring harus URL http(s)", "onlineUrl")
    return url


async def create_session(
    viewer: Viewer,
    store: Store,
    *,
    program_id: int,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    facilitator: str,
    capacity: int,
    place: str | None = None,
    online_url: str | None = None,
    unit_ids: Sequence[int] = (),
) -> SessionRow:
    """Schedule a session of a program, in a place and/or online (managers)."""
    policy.require_manager(viewer)
    program = await get_program(viewer, program_id)
    title = _text(title, "title", 3, 200, "Judul sesi")
    facilitator = _text(facilitator, "facilitator", 3, 150, "Fasilitator")
    place = place.strip() if place and place.strip() else None
    online_url = _check_url(online_url)
    errors = []
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        errors.append(FieldError("INVALID_VALUE", "Waktu harus menyertakan zona waktu", "startsAt"))
    elif ends_at <= starts_at:
        errors.append(FieldError("INVALID_RANGE", "Sesi harus selesai setelah dimulai", "endsAt"))
    elif not program.starts_on <= (starts_at + policy.WIB).date() <= program.ends_on:
        errors.append(
            FieldError("OUTSIDE_PROGRAM", "Tanggal sesi di luar masa program", "startsAt")
        )
    if place is None and online_url is None:
        errors.append(FieldError("REQUIRED", "Isi tempat atau tautan daring", "place"))
    if place is not None and len(place) > 300:  # noqa: PLR2004
        errors.append(FieldError("INVALID_LENGTH", "Tempat maksimal 300 karakter", "place"))
    if not 1 <= capacity <= MAX_CAPACITY:
        errors.append(FieldError("INVALID_VALUE", f"Kapasitas harus 1-{MAX_CAPACITY}", "capacity"))
    if errors:
        raise DomainError(*errors)
    await _check_units(unit_ids, "targetUnitIds")
    async with transaction():
        (inserted,) = await Session.insert(
            Session(
                program=program.id,
                title=title,
                starts_at=starts_at,
                ends_at=ends_at,
                place=place,
                online_url=online_url,
                facilitator=facilitator,
                capacity=capacity,
            )
        )
        session_id = int(inserted["id"])
        if unit_ids:
            await SessionUnit.insert(
                *(SessionUnit(session=session_id, unor=u) for u in set(unit_ids))
            )
        await audit.record(
            account_id=viewer.account_id,
            action="ADOPTION_SESSION_CREATED",
            entity_type="Session",
            entity_id=session_id,
            after={
                "program_id": program.id,
                "title": title,
                "starts_at": starts_at.isoformat(),
                "capacity": capacity,
            },
        )
        await cache.bump_after_commit(store)
    (row,) = await sessions_by_ids([session_id])
    assert row is not None  # noqa: S101 - inserted above
    return row


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
    await _check_units([unit_id], "unitId")
    units = await sql.unit_subtree(unit_id) if include_subunits else [unit_id]
    targets = set(await sql.active_employees_in_units(units))
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
    by_nip = await sql.employee_ids_by_nip([n.strip() for n in nips])
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
    if _now() < session.starts_at - CHECK_IN_EARLY:
        raise DomainError.single(
            "SESSION_NOT_STARTED", "Check-in dibuka dua jam sebelum sesi dimulai", "sessionId"
        )
    resolved = await _resolve(employee_ids, nips)
    ids = [e for _, e in resolved if e is not None]
    invited = {
        r["e"]
        for r in await Invitation.select(Invitation.employee.as_alias("e")).where(
            (Invitation.session == session.id) & Invitation.employee.is_in(ids or [-1])
        )
    }
    present = {
        r["e"]
        for r in await Attendance.select(Attendance.employee.as_alias("e")).where(
            (Attendance.session == session.id) & Attendance.employee.is_in(ids or [-1])
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
        checked_in_at=_now(),
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
    comment = _text(comment, "comment", 0, 2000, "Komentar")
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
