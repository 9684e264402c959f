"""A small random but seeded world for the adoption SQL tests (funnel, cohorts, aggregates).

Two OPDs, people who joined mid-period, sessions, invitations, late registrations, activities
logged late or verified late around public holidays, and the same facts as plain values
(``metrics.PersonFacts``) for the pure definitions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from portal.accounts.tables import UserAccount
from portal.adoption import metrics
from portal.adoption.metrics import ActivityFact, PersonFacts
from portal.adoption.tables import Attendance, Invitation, Program, Session
from portal.core.auth import Role
from portal.people.tables import Employee
from portal.performance.tables import Activity, Period
from support.factories import Factory

WIB = timedelta(hours=7)
START = date(2026, 4, 27)  # weeks with 1 May, 14 May, 27 May, 1 Jun and 16 Jun holidays
END = date(2026, 6, 21)


def wib(day: date, hour: int, minute: int = 0) -> datetime:
    """A local (WIB) time as an aware UTC datetime."""
    return datetime.combine(day, time(hour, minute), UTC) - WIB


@dataclass
class Built:
    facts: dict[int, PersonFacts] = field(default_factory=dict)
    opd_of: dict[int, int] = field(default_factory=dict)
    program_facts: dict[int, PersonFacts] = field(default_factory=dict)


async def build(factory: Factory, seed: int = 3) -> tuple[Built, int]:  # noqa: PLR0915
    rng = random.Random(seed)
    opds = [await factory.opd("DINKES"), await factory.opd("BAPENDA")]
    units = [await factory.unor(o) for o in opds]
    (period,) = await Period.insert(
        Period(
            year=2026,
            kind="ANNUAL",
            number=0,
            name="Tahun 2026",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31),
            submission_deadline=date(2026, 1, 31),
        )
    )
    account = await factory.admin("sosialisasi", Role.PENGELOLA_SOSIALISASI)
    query = UserAccount.select(UserAccount.id).where(UserAccount.username == account)
    manager = (await query)[0]["id"]
    (program,) = await Program.insert(
        Program(name="Sosialisasi", goal="", starts_on=START, ends_on=END, manager=manager)
    )
    session_days = [date(2026, 5, 6), date(2026, 5, 13), date(2026, 5, 29)]  # Wed, Wed, Fri
    sessions = []
    for i, day in enumerate(session_days):
        (s,) = await Session.insert(
            Session(
                program=program["id"],
                title=f"Sesi {i}",
                starts_at=wib(day, 9),
                ends_at=wib(day, 11),
                place="Aula",
                facilitator="Tim BKPSDM",
                capacity=100,
            )
        )
        sessions.append(s["id"])
    built = Built()
    for n in range(14):
        opd_index = n % 2
        person = await factory.employee(units[opd_index], account=False)
        hired = None
        created = datetime(2025, 1, 1, tzinfo=UTC)
        if n in (3, 4):  # joined mid-period: on a Thursday, and (no hired_on) on a Saturday
            hired = date(2026, 5, 21) if n == 3 else None
            created = wib(date(2026, 5, 23), 6) if n == 4 else created
        await Employee.update({Employee.hired_on: hired, Employee.created_at: created}).where(
            Employee.id == person.id
        )
        starts_on = metrics.employment_start(hired, (created + WIB).date())
        invited_on = attended_on = None
        choice = rng.random()
        session_index = rng.randrange(3)
        sid, sday = sessions[session_index], session_days[session_index]
        if n in (3, 4) or choice < 0.8:
            sid, sday = (sessions[2], session_days[2]) if n in (3, 4) else (sid, sday)
            if n != 5:  # n == 5 registers late (not invited)
                await Invitation.insert(Invitation(session=sid, employee=person.id))
                invited_on = sday
            if n == 5 or rng.random() < 0.75:
                await Attendance.insert(
                    Attendance(session=sid, employee=person.id, late_registration=n == 5)
                )
                attended_on = sday
                invited_on = invited_on or sday
        acts = []
        diligence = rng.uniform(0.2, 0.95)
        day = START - timedelta(days=3)
        while day <= END + timedelta(days=3):
            if rng.random() < diligence and (day.weekday() < 5 or rng.random() < 0.1):
                logged = wib(day, rng.choice((6, 16, 23)), rng.randrange(60)) + timedelta(
                    days=rng.choice((0, 0, 0, 1, 4))
                )
                verified = rng.random() < 0.7
                verified_at = (
                    logged + timedelta(days=rng.choice((0, 1, 3, 5, 8))) if verified else None
                )
                await Activity.insert(
                    Activity(
                        employee=person.id,
                        period=period["id"],
                        activity_date=day,
                        description="Kerja",
                        status="VERIFIED" if verified else rng.choice(("SUBMITTED", "REJECTED")),
                        idempotency_key=f"k-{person.id}-{day}",
                        verified_at=verified_at,
                        logged_at=logged,
                    )
                )
                acts.append(
                    ActivityFact(
                        activity_date=day,
                        logged_on=(logged + WIB).date(),
                        verified_on=(verified_at + WIB).date() if verified_at else None,
                    )
                )
            day += timedelta(days=1)
        facts = PersonFacts(
            starts_on=starts_on, invited_on=invited_on, attended_on=attended_on, activities=acts
        )
        built.facts[person.id] = facts
        built.opd_of[person.id] = opds[opd_index]
        if invited_on is not None:
            built.program_facts[person.id] = facts
    return built, program["id"]
