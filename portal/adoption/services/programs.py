"""Socialization programs and sessions: planning, bulk invitations, attendance and feedback.

Managers (PENGELOLA_SOSIALISASI, ADMIN_BKPSDM) write; visibility follows ``policy.py``. Every
write runs in one transaction with an audit entry and invalidates the metrics cache once it
commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlparse

from piccolo.query.functions.aggregate import Count

from portal.adoption import cache, policy
from portal.adoption.tables import (
    Attendance,
    Invitation,
    Program,
    ProgramOpd,
    ProgramUnit,
    Session,
    SessionUnit,
)
from portal.core import audit, clock
from portal.core.auth import Viewer
from portal.core.db import id_in, row_columns, transaction
from portal.core.errors import DomainError, FieldError, NotFoundError
from portal.core.pagination import Page, PageRequest, page_of
from portal.core.store import Store
from portal.people import facts as people_facts
from portal.people.services import directory as people

MAX_CAPACITY = 5000


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
class SessionCounts:
    """Headcounts of a session."""

    invited: int
    attended: int
    late_registrations: int


_PROGRAM = row_columns(Program, ProgramRow)


_SESSION = row_columns(Session, SessionRow)


def utc_now() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


def clean_text(value: str, field: str, low: int, high: int, label: str) -> str:
    """``value`` stripped, between ``low`` and ``high`` characters (INVALID_LENGTH otherwise)."""
    value = value.strip()
    if not low <= len(value) <= high:
        raise DomainError.single("INVALID_LENGTH", f"{label} harus {low}-{high} karakter", field)
    return value


async def programs_by_ids(ids: Sequence[int]) -> list[ProgramRow | None]:
    """Programs in the order of ``ids`` (no scoping; the dataloader's batch)."""
    rows = await Program.select(*_PROGRAM).where(id_in(Program.id, ids))
    by_id = {r["id"]: ProgramRow(**r) for r in rows}
    return [by_id.get(i) for i in ids]


async def sessions_by_ids(ids: Sequence[int]) -> list[SessionRow | None]:
    """Sessions in the order of ``ids`` (no scoping)."""
    rows = await Session.select(*_SESSION).where(id_in(Session.id, ids))
    by_id = {r["id"]: SessionRow(**r) for r in rows}
    return [by_id.get(i) for i in ids]


async def sessions_by_program(program_ids: Sequence[int]) -> list[list[SessionRow]]:
    """Sessions of each program, by start time."""
    rows = await (
        Session.select(*_SESSION)
        .where(id_in(Session.program, program_ids))
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
    ).where(id_in(ProgramOpd.program, program_ids))
    grouped: dict[int, list[int]] = {}
    for r in rows:
        grouped.setdefault(r["p"], []).append(r["o"])
    return [sorted(grouped.get(p, [])) for p in program_ids]


async def program_units(program_ids: Sequence[int]) -> list[list[int]]:
    """Target unit ids of each program."""
    rows = await ProgramUnit.select(
        ProgramUnit.program.as_alias("p"), ProgramUnit.unor.as_alias("u")
    ).where(id_in(ProgramUnit.program, program_ids))
    grouped: dict[int, list[int]] = {}
    for r in rows:
        grouped.setdefault(r["p"], []).append(r["u"])
    return [sorted(grouped.get(p, [])) for p in program_ids]


async def session_units(session_ids: Sequence[int]) -> list[list[int]]:
    """Target unit ids of each session."""
    rows = await SessionUnit.select(
        SessionUnit.session.as_alias("s"), SessionUnit.unor.as_alias("u")
    ).where(id_in(SessionUnit.session, session_ids))
    grouped: dict[int, list[int]] = {}
    for r in rows:
        grouped.setdefault(r["s"], []).append(r["u"])
    return [sorted(grouped.get(s, [])) for s in session_ids]


async def session_counts(session_ids: Sequence[int]) -> list[SessionCounts]:
    """Invited, attended and late-registered headcounts of each session (two grouped queries)."""
    invited = await (
        Invitation.select(Invitation.session.as_alias("s"), Count(Invitation.id, alias="n"))
        .where(id_in(Invitation.session, session_ids))
        .group_by(Invitation.session)
    )
    attended = await (
        Attendance.select(
            Attendance.session.as_alias("s"),
            Attendance.late_registration,
            Count(Attendance.id, alias="n"),
        )
        .where(id_in(Attendance.session, session_ids))
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
        rows = await ProgramOpd.select(ProgramOpd.program.as_alias("p")).where(
            id_in(ProgramOpd.opd, viewer.admin_opd_ids)
        )
        units = await people_facts.unit_ids_of_opds(viewer.admin_opd_ids)
        rows += await ProgramUnit.select(ProgramUnit.program.as_alias("p")).where(
            id_in(ProgramUnit.unor, units)
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
        query = query.where(id_in(Program.id, visible))
        count = count.where(id_in(Program.id, visible))
    if request.after_pk is not None:
        query = query.where(Program.id > request.after_pk)
    rows = [ProgramRow(**r) for r in await query]
    return page_of(rows, request, await count)


async def _check_opds(opd_ids: Sequence[int]) -> None:
    if not opd_ids:
        return
    found = [o for o in await people.opds_by_ids(list(opd_ids)) if o is not None]
    if len(found) != len(set(opd_ids)):
        raise NotFoundError("Opd", "targetOpdIds")


async def check_units(unit_ids: Sequence[int], field: str) -> None:
    """Every unit exists (NOT_FOUND otherwise)."""
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
    name = clean_text(name, "name", 3, 200, "Nama program")
    goal = clean_text(goal, "goal", 0, 4000, "Tujuan")
    if ends_on < starts_on:
        raise DomainError.single(
            "INVALID_RANGE", "Tanggal selesai tidak boleh sebelum tanggal mulai", "endsOn"
        )
    await _check_opds(opd_ids)
    await check_units(unit_ids, "targetUnitIds")
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
    title = clean_text(title, "title", 3, 200, "Judul sesi")
    facilitator = clean_text(facilitator, "facilitator", 3, 150, "Fasilitator")
    place = place.strip() if place and place.strip() else None
    online_url = _check_url(online_url)
    errors = []
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        errors.append(FieldError("INVALID_VALUE", "Waktu harus menyertakan zona waktu", "startsAt"))
    elif ends_at <= starts_at:
        errors.append(FieldError("INVALID_RANGE", "Sesi harus selesai setelah dimulai", "endsAt"))
    elif not program.starts_on <= clock.local_date(starts_at) <= program.ends_on:
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
    await check_units(unit_ids, "targetUnitIds")
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
