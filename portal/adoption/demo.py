"""Demo data of the socialization program, over the performance demo's six months of activity.

Two programs (Tahap I for half of the OPDs, Tahap II for the rest), one session per OPD on a
working day, invitations of every employee, attendance that depends on the OPD's readiness,
a few walk-ins, session feedback, and three closed pulse surveys (before, between and after
the sessions).

Adoption differs realistically between OPDs: each OPD gets a readiness between 0.3 and 0.95.
Before an employee adopts the system (at their session if they attended and the OPD is ready,
later or never otherwise) most of their demo activities are removed, leaving sporadic logging;
after it, their logging is kept as the performance demo generated it. This is the one place
where the demo edits the performance domain's rows (deletes only), so a lagging OPD shows as
one; evaluations of past quarters keep the realisation recorded when they were finalised.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from portal.accounts.tables import RoleGrant, UserAccount
from portal.adoption.metrics import is_working_day
from portal.adoption.tables import (
    Attendance,
    Invitation,
    Program,
    ProgramOpd,
    Session,
    SessionFeedback,
    Survey,
    SurveyResponse,
)
from portal.core import clock
from portal.core.auth import Role
from portal.core.db import id_in
from portal.people.tables import Employee, Opd
from portal.performance.tables import Activity

BATCH = 1000
HISTORY_DAYS = 183  # the program runs over the last six months of the activity history
KEEP_BEFORE_ADOPTION = 0.95  # before their session people log, a little less regularly
KEEP_NEVER_ADOPTED = 0.3  # who never adopts keeps logging sporadically


@dataclass(frozen=True, slots=True)
class _Person:
    id: int
    opd_id: int
    unor_id: int


async def _insert(table: Any, rows: Sequence[Any]) -> list[dict[str, Any]]:  # noqa: ANN401
    out: list[dict[str, Any]] = []
    for start in range(0, len(rows), BATCH):
        out += await table.insert(*rows[start : start + BATCH])
    return out


def _working_day(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


async def _manager_account() -> int:
    grant = await RoleGrant.select(RoleGrant.account).where(
        RoleGrant.role == Role.PENGELOLA_SOSIALISASI.value
    )
    if grant:
        return int(grant[0]["account"])
    first = await UserAccount.select(UserAccount.id).order_by(UserAccount.id).first()
    if first is None:
        raise RuntimeError("the adoption demo needs at least one account")
    return int(first["id"])


def _keep(activity_id: int, share: float) -> bool:
    """Deterministic thinning, independent of row order."""
    return (activity_id * 2654435761) % 1000 < share * 1000


async def _thin_activities(
    adopt_on: dict[int, date | None], end: date, invited_on: dict[int, date]
) -> int:
    """Remove activities dated before each employee adopted; return how many.

    Before their session a share (:data:`KEEP_BEFORE_ADOPTION`) stays, sporadic logging; from
    the session until they adopt nothing stays, so "started" trails "attended" by the days or
    weeks people really take (and never comes for some).
    """
    people = sorted(adopt_on)
    removed: list[int] = []
    for start in range(0, len(people), 500):
        chunk = people[start : start + 500]
        rows = await Activity.select(Activity.id, Activity.employee, Activity.activity_date).where(
            id_in(Activity.employee, chunk)
        )
        for r in rows:
            adopted = adopt_on[r["employee"]]
            cutoff = end if adopted is None else adopted
            session = invited_on.get(r["employee"], end)
            share = (
                KEEP_BEFORE_ADOPTION
                if r["activity_date"] < session
                else KEEP_NEVER_ADOPTED
                if adopted is None
                else 0.0
            )
            if r["activity_date"] < cutoff and not _keep(r["id"], share):
                removed.append(r["id"])
    for start in range(0, len(removed), 500):
        await Activity.delete().where(id_in(Activity.id, removed[start : start + 500]))
    return len(removed)


def _adoption_lag(rng: random.Random, *, came: bool) -> int:
    """Days from the session to adoption.

    Attendees start the same day, within two weeks, or after a month or more; those who missed
    the session start later.
    """
    if not came:
        return rng.randint(7, 60)
    spread = rng.random()
    if spread < 0.35:  # noqa: PLR2004
        return 0
    return rng.randint(1, 14) if spread < 0.8 else rng.randint(21, 45)  # noqa: PLR2004


def _likert(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.8))))


async def seed(  # noqa: PLR0915 - one generator, read top to bottom
    *,
    today: date,
    seed: int = 7,
    history_days: int = HISTORY_DAYS,
    keep_unanswered: frozenset[int] = frozenset(),
) -> dict[str, int]:
    """Seed programs, sessions, attendance, surveys and adoption; return counts."""
    rng = random.Random(seed * 31 + 7)  # noqa: S311 - demo data, not cryptography
    start = today - timedelta(days=history_days)  # the history spans the new year too
    opds = {r["id"]: r for r in await Opd.select(Opd.id, Opd.code, Opd.short_name)}
    people = [
        _Person(r["id"], r["opd"], r["unor"])
        for r in await Employee.select(Employee.id, Employee.opd, Employee.unor).where(
            Employee.active == True  # noqa: E712
        )
    ]
    by_opd: dict[int, list[_Person]] = {}
    for p in people:
        by_opd.setdefault(p.opd_id, []).append(p)
    opd_ids = sorted(by_opd, key=lambda o: (-len(by_opd[o]), o))
    if not opd_ids:
        return {"programs": 0, "sessions": 0, "attendance": 0, "responses": 0}
    readiness = {o: rng.uniform(0.3, 0.95) for o in opd_ids}
    manager = await _manager_account()
    phase_one, phase_two = opd_ids[::2], opd_ids[1::2]
    programs = await _insert(
        Program,
        [
            Program(
                name="Sosialisasi e-Kinerja Tahap I",
                goal="Pegawai memahami SKP dan mencatat aktivitas harian secara real time.",
                starts_on=start + timedelta(days=14),
                ends_on=start + timedelta(days=100),
                manager=manager,
            ),
            Program(
                name="Sosialisasi e-Kinerja Tahap II",
                goal="Menjangkau OPD berikutnya; pendampingan atasan untuk verifikasi tepat waktu.",
                starts_on=start + timedelta(days=70),
                ends_on=today + timedelta(days=30),
                manager=manager,
            ),
        ],
    )
    plan: list[tuple[int, int, date]] = []  # (program id, opd id, session day)
    latest = today - timedelta(days=21)
    for index, opd_id in enumerate(phase_one):
        day = start + timedelta(days=21 + (35 * index) // max(len(phase_one), 1))
        plan.append((programs[0]["id"], opd_id, _working_day(max(start, min(day, latest)))))
    for index, opd_id in enumerate(phase_two):
        span = max((latest - (start + timedelta(days=77))).days, 1)
        day = start + timedelta(days=77 + (span * index) // max(len(phase_two), 1))
        plan.append((programs[1]["id"], opd_id, _working_day(max(start, min(day, latest)))))
    await _insert(
        ProgramOpd,
        [ProgramOpd(program=p, opd=o) for p, o, _ in plan],
    )
    sessions = await _insert(
        Session,
        [
            Session(
                program=program_id,
                title=f"Sosialisasi e-Kinerja {opds[opd_id]['short_name']}",
                starts_at=clock.at_local(day, 9),
                ends_at=clock.at_local(day, 12),
                place=None if i % 4 == 3 else f"Aula {opds[opd_id]['short_name']}",  # noqa: PLR2004
                online_url="https://zoom.us/j/8123456789" if i % 4 == 3 else None,  # noqa: PLR2004
                facilitator="Tim Sosialisasi BKPSDM",
                capacity=len(by_opd[opd_id]) + 10,
            )
            for i, (program_id, opd_id, day) in enumerate(plan)
        ],
    )
    invitations, attendance, feedback = [], [], []
    adopt_on: dict[int, date | None] = {}
    invited_on: dict[int, date] = {}
    first_session: dict[int, date] = {}
    for (_, opd_id, day), session in zip(plan, sessions, strict=True):
        ready = readiness[opd_id]
        first_session[opd_id] = day
        invited_at = datetime.combine(day - timedelta(days=7), time(8), UTC)
        for p in by_opd[opd_id]:
            invitations.append(
                Invitation(session=session["id"], employee=p.id, invited_at=invited_at)
            )
            came = rng.random() < 0.45 + 0.5 * ready
            if came:
                checked = datetime.combine(day, time(1, rng.randint(30, 59)), UTC)
                attendance.append(
                    Attendance(session=session["id"], employee=p.id, checked_in_at=checked)
                )
                if rng.random() < 0.4:  # noqa: PLR2004
                    feedback.append(
                        SessionFeedback(
                            session=session["id"],
                            employee=p.id,
                            rating=max(1, min(5, round(rng.gauss(3.4 + ready, 0.7)))),
                            comment=rng.choice(
                                ("", "", "Materi jelas.", "Perlu sesi lanjutan untuk atasan.")
                            ),
                        )
                    )
            adopts = rng.random() < (0.4 + 0.6 * ready if came else 0.5 * ready)
            invited_on[p.id] = day
            lag = _adoption_lag(rng, came=came)
            adopt_on[p.id] = day + timedelta(days=lag) if adopts else None
        walk_ins = [q for q in rng.sample(people, min(2, len(people))) if q.opd_id != opd_id]
        attendance += [
            Attendance(
                session=session["id"],
                employee=q.id,
                checked_in_at=datetime.combine(day, time(2), UTC),
                late_registration=True,
            )
            for q in walk_ins
        ]
    await _insert(Invitation, invitations)
    await _insert(Attendance, attendance)
    await _insert(SessionFeedback, feedback)
    removed = await _thin_activities(adopt_on, today, invited_on)

    windows = [
        ("Survei denyut awal", start + timedelta(days=7)),
        ("Survei denyut tengah", start + timedelta(days=63)),
        ("Survei denyut akhir", today - timedelta(days=16)),
        ("Survei denyut pekan ini", today - timedelta(days=2)),  # open: pegawai can answer it
    ]
    surveys = await _insert(
        Survey,
        [
            Survey(
                program=programs[0]["id"] if i < 2 else programs[1]["id"],  # noqa: PLR2004
                title=title,
                opens_on=opens,
                closes_on=opens + timedelta(days=6),
                created_by=manager,
            )
            for i, (title, opens) in enumerate(windows)
        ],
    )
    responses = []
    for (_, opens), survey in zip(windows, surveys, strict=True):
        skip = keep_unanswered if opens + timedelta(days=6) >= today else frozenset()
        for p in people:
            answered = opens + timedelta(days=rng.randint(0, 6))
            if p.id in skip or rng.random() > 0.65 or answered > today:  # noqa: PLR2004
                continue
            session_day = first_session.get(p.opd_id)
            effect = readiness[p.opd_id] if session_day and answered >= session_day else 0.0
            responses.append(
                SurveyResponse(
                    survey=survey["id"],
                    respondent=p.id,
                    opd=p.opd_id,
                    unor=p.unor_id,
                    answered_on=answered,
                    comfort=_likert(rng, 2.6 + 1.3 * effect),
                    stress=_likert(rng, 3.7 - 1.1 * effect),
                    understanding=_likert(rng, 2.4 + 1.6 * effect),
                    comment="",
                )
            )
    await _insert(SurveyResponse, responses)
    return {
        "programs": len(programs),
        "sessions": len(sessions),
        "attendance": len(attendance),
        "responses": len(responses),
        "activities_removed": removed,
    }
