"""A world with two OPDs holding an object of every Node type, for the security tests.

DINKES: ``head_a`` (Kepala Dinas) -> ``boss_a`` (Kepala Puskesmas) -> ``staff_a`` and ``peer_a``.
BAPENDA: ``boss_b`` -> ``staff_b``. Admins: ``admin_a`` (ADMIN_OPD of DINKES), ``admin_b``
(ADMIN_OPD of BAPENDA), ``bkpsdm``, ``sosialisasi`` (program manager).

Each side has the staff's (and the boss's) SKP with RHKs and indicators, an activity, an
evaluation, a feedback thread with a message, a dialog kinerja with an action, a coaching
assignment, a training assignment and a mentoring alert; each OPD is targeted by a program
whose session invites the staff member. Notifications come from the API calls that built all
this. Private text fields carry unique canaries (``Kanari0001``...) so a leak through any field
shows up in the response text.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from portal.accounts.tables import UserAccount
from portal.adoption.tables import Invitation, Program, Session, Survey
from portal.coaching.tables import CoachingAssignment
from portal.core import clock
from portal.core.auth import Role
from portal.core.db import transaction
from portal.core.ids import decode_global_id, encode_global_id
from portal.feedback.tables import DialogAction, DialogKinerja, FeedbackMessage, FeedbackThread
from portal.mentoring.services import alerts as mentoring
from portal.mentoring.tables import MentoringAlert
from portal.notifications.tables import Notification
from portal.people import sql as people_sql
from portal.people.enums import JabatanKind
from portal.people.services import directory as people
from portal.people.tables import ActingAppointment, Employee, Opd, Unor
from portal.performance.enums import Predikat
from portal.performance.tables import Activity, Evaluation, Indicator, Period, Rhk, Skp
from portal.processes.tables import Objection
from support.api import Api
from support.factories import PASSWORD, Factory, Person
from support.performance_factory import approved_skp, evaluation, verified_activity, year
from support.security_scope import LeakDetector, Scope
from support.training_builders import competency, course
from training.enums import CourseStatus
from training.tables import Competency, Course, TrainingAssignment

# role label -> who logs in (None: anonymous)
ROLES: dict[str, str | None] = {
    "anonymous": None,
    "employee": "staff_a",
    "peer": "peer_a",
    "supervisor": "boss_a",
    "indirect_supervisor": "head_a",
    "other_team_supervisor": "boss_b",
    "admin_opd": "admin_a",
    "other_opd_admin": "admin_b",
    "bkpsdm": "bkpsdm",
    "sosialisasi": "sosialisasi",
}

# every table holding rows of a Node type; a new Node type needs an entry (and data) here
NODE_TABLES: dict[str, Any] = {
    "Opd": Opd,
    "Unor": Unor,
    "Employee": Employee,
    "Period": Period,
    "Skp": Skp,
    "Rhk": Rhk,
    "Indicator": Indicator,
    "Activity": Activity,
    "Evaluation": Evaluation,
    "FeedbackThread": FeedbackThread,
    "FeedbackMessage": FeedbackMessage,
    "DialogKinerja": DialogKinerja,
    "DialogAction": DialogAction,
    "CoachingAssignment": CoachingAssignment,
    "TrainingAssignment": TrainingAssignment,
    "MentoringAlert": MentoringAlert,
    "Notification": Notification,
    "Course": Course,
    "Competency": Competency,
    "Program": Program,
    "Session": Session,
    "Survey": Survey,
    "Objection": Objection,
    "ActingAppointment": ActingAppointment,
}


@dataclass(frozen=True, slots=True)
class WorldObject:
    """One object of the world, by global ID."""

    type_name: str
    pk: int

    @property
    def gid(self) -> str:
        """Its global ID."""
        return encode_global_id(self.type_name, self.pk)


@dataclass
class SecurityWorld:
    """The built world: people, logins, scopes, every object, and the canaries."""

    api: Api
    people: dict[str, Person]
    opds: dict[str, int]
    units: dict[str, int]
    period_id: int  # the annual period
    quarter_id: int  # its first evaluation period, where the evaluations are
    tokens: dict[str, str | None] = field(default_factory=dict)  # role -> token
    scopes: dict[str, Scope] = field(default_factory=dict)  # role -> scope
    objects: dict[str, list[WorldObject]] = field(default_factory=dict)
    detector: LeakDetector = field(default_factory=LeakDetector)
    _canary_seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __repr__(self) -> str:
        """Short: hypothesis prints the arguments of a failing example."""
        count = sum(len(objects) for objects in self.objects.values())
        return f"SecurityWorld(roles={sorted(self.tokens)}, objects={count})"

    def canary(self, what: str) -> str:
        """``what`` with a unique marker appended (tie it to its object with ``own``)."""
        return f"{what} Kanari{next(self._canary_seq):04d}"

    def own(self, text: str, type_name: str, pk: int) -> None:
        """Record that the canary in ``text`` belongs to ``type_name`` ``pk``."""
        marker = text.rsplit(" ", 1)[-1]
        self.detector.canaries[marker] = (type_name, pk)

    def gid(self, label: str) -> str:
        """Global ID of a person."""
        return encode_global_id("Employee", self.people[label].id)

    async def call(self, op: str, payload: dict[str, Any], who: str) -> dict[str, Any]:
        """Run a named mutation with ``input`` as a person or admin label; fail on errors."""
        token = self.tokens[_role_of(who)]
        data = await self.api.data(op, {"input": payload}, token=token)
        (result,) = data.values()
        assert result["userErrors"] == [], result["userErrors"]
        return dict(result)


def _role_of(login: str) -> str:
    """A role label logging in as ``login``, adding a hidden one for other people."""
    for role, who in ROLES.items():
        if who == login:
            return role
    return f"_{login}"


async def _org(factory: Factory) -> tuple[dict[str, int], dict[str, int], dict[str, Person]]:
    dinkes = await factory.opd("DINKES", "Dinas Kesehatan")
    bapenda = await factory.opd("BAPENDA", "Badan Pendapatan Daerah")
    head_unit = await factory.unor(dinkes, "DINKES")
    pkm = await factory.unor(dinkes, "DINKES.PKM", parent_id=head_unit)
    b_unit = await factory.unor(bapenda, "BAPENDA")
    head = await factory.employee(
        head_unit, name="Kepala Dinas", jabatan_kind=JabatanKind.JPT_PRATAMA
    )
    boss_a = await factory.employee(
        pkm, supervisor=head, name="Kepala Puskesmas", jabatan_kind=JabatanKind.ADMINISTRATOR
    )
    boss_b = await factory.employee(
        b_unit, name="Kepala Bidang Pajak", jabatan_kind=JabatanKind.ADMINISTRATOR
    )
    people_by_label = {
        "head_a": head,
        "boss_a": boss_a,
        "staff_a": await factory.employee(pkm, supervisor=boss_a, name="Perawat Satu"),
        "peer_a": await factory.employee(pkm, supervisor=boss_a, name="Perawat Dua"),
        "boss_b": boss_b,
        "staff_b": await factory.employee(b_unit, supervisor=boss_b, name="Pegawai Pajak"),
    }
    await Employee.update({Employee.hired_on: date(2020, 1, 6)}).where(Employee.id > 0)
    return (
        {"a": dinkes, "b": bapenda},
        {"head_a": head_unit, "pkm_a": pkm, "b": b_unit},
        people_by_label,
    )


async def _scopes(world: SecurityWorld, usernames: dict[str, str]) -> None:
    accounts = {
        r["username"]: r["id"]
        for r in await UserAccount.select(UserAccount.id, UserAccount.username)
    }
    for role, login in ROLES.items():
        if login is None:
            world.scopes[role] = Scope(label=role, authenticated=False)
            continue
        person = world.people.get(login)
        employee_row = await people.get_employee(person.id) if person else None
        world.scopes[role] = Scope(
            label=role,
            account_id=accounts[usernames[login]],
            employee_id=person.id if person else None,
            supervisor_id=employee_row.supervisor_id if employee_row else None,
            subordinate_ids=await people_sql.subordinate_ids(person.id) if person else frozenset(),
            admin_opd_ids=frozenset(
                {"admin_a": {world.opds["a"]}, "admin_b": {world.opds["b"]}}.get(login, set())
            ),
            bkpsdm=login == "bkpsdm",
            manager=login == "sosialisasi",
        )


async def _performance(world: SecurityWorld, side: str, the_year: Any) -> None:
    staff, boss = world.people[f"staff_{side}"], world.people[f"boss_{side}"]
    rater_of_boss = world.people.get("head_a") if side == "a" else None
    boss_skp = await approved_skp(boss, rater_of_boss, the_year.annual)
    skp = await approved_skp(staff, boss, the_year.annual)
    for skp_id in (boss_skp.skp_id, skp.skp_id):
        for row in await Rhk.select(Rhk.id, Rhk.description).where(Rhk.skp == skp_id):
            text = world.canary(row["description"])
            await Rhk.update({Rhk.description: text}).where(Rhk.id == row["id"])
            world.own(text, "Rhk", row["id"])
        for row in await Indicator.select(Indicator.id).where(Indicator.skp == skp_id):
            text = world.canary("Dosis vaksin")
            await Indicator.update({Indicator.description: text}).where(Indicator.id == row["id"])
            world.own(text, "Indicator", row["id"])
    activity_id = await verified_activity(
        staff,
        the_year.annual,
        the_year.q1.starts_on + timedelta(days=3),
        5,
        indicator_id=skp.indicator_ids[0],
        verifier=boss,
    )
    text = world.canary("Vaksinasi posyandu")
    await Activity.update({Activity.description: text}).where(Activity.id == activity_id)
    world.own(text, "Activity", activity_id)
    evaluation_id = await evaluation(  # rated low: a development candidate, on the payroll
        staff,
        boss,
        skp.skp_id,
        the_year.q1,
        Predikat.BUTUH_PERBAIKAN,
        indicator_ids=skp.indicator_ids,
    )
    await _processes(world, side, evaluation_id, rater_of_boss)


async def _processes(world: SecurityWorld, side: str, evaluation_id: int, decider: Any) -> None:
    """A keberatan on staff's evaluation, and a Plh of boss that ended last month (so the
    scopes stay those of the supervisor chain)."""
    staff, boss = world.people[f"staff_{side}"], world.people[f"boss_{side}"]
    reason = world.canary("Bukti dukung belum dihitung")
    (objection,) = await Objection.insert(
        Objection(
            evaluation=evaluation_id,
            employee=staff.id,
            opd=staff.opd_id,
            rater=boss.id,
            decider=decider.id if decider else None,
            reason=reason,
            original_hasil="SESUAI_EKSPEKTASI",
            original_perilaku="SESUAI_EKSPEKTASI",
            original_predikat="BAIK",
            deadline=clock.today(),
        )
    )
    world.own(reason, "Objection", objection["id"])
    why = world.canary("Cuti besar")
    (acting,) = await ActingAppointment.insert(
        ActingAppointment(
            principal=boss.id,
            acting=world.people.get(f"peer_{side}", staff).id,
            opd=boss.opd_id,
            kind="PLH",
            starts_on=clock.today() - timedelta(days=40),
            ends_on=clock.today() - timedelta(days=30),
            reason=why,
        )
    )
    world.own(why, "ActingAppointment", acting["id"])


async def _conversations(world: SecurityWorld, side: str) -> None:
    staff, boss = f"staff_{side}", f"boss_{side}"
    topic = world.canary("Waktu respon")
    body = world.canary("Mohon dipercepat")
    thread = (
        await world.call(
            "OpenFeedbackThread",
            {"employeeId": world.gid(staff), "topic": topic, "kind": "IMPROVEMENT", "body": body},
            boss,
        )
    )["thread"]
    world.own(topic, "FeedbackThread", decode_global_id(thread["id"])[1])
    reply = world.canary("Siap, akan saya perbaiki")
    message = (
        await world.call("PostFeedbackMessage", {"threadId": thread["id"], "body": reply}, staff)
    )["message"]
    world.own(reply, "FeedbackMessage", decode_global_id(message["id"])[1])
    for row in await FeedbackMessage.select(FeedbackMessage.id, FeedbackMessage.body):
        if row["body"] == body:
            world.own(body, "FeedbackMessage", row["id"])
    went_well = world.canary("Capaian vaksinasi baik")
    action = world.canary("Ikuti pelatihan pelaporan")
    dialog = (
        await world.call(
            "RecordDialogKinerja",
            {
                "employeeId": world.gid(staff),
                "heldOn": (clock.today() - timedelta(days=3)).isoformat(),
                "wentWell": went_well,
                "toImprove": "Ketepatan waktu laporan",
                "actions": [{"description": action, "dueOn": clock.today().isoformat()}],
            },
            boss,
        )
    )["dialog"]
    world.own(went_well, "DialogKinerja", decode_global_id(dialog["id"])[1])
    world.own(action, "DialogAction", decode_global_id(dialog["actions"][0]["id"])[1])
    goal = world.canary("Pendampingan pelaporan")
    coach = "peer_a" if side == "a" else "boss_b"
    assignment = (
        await world.call(
            "AssignCoaching",
            {
                "employeeId": world.gid(staff),
                "coachId": world.gid(coach),
                "kind": "MENTORING",
                "goal": goal,
            },
            boss,
        )
    )["assignment"]
    world.own(goal, "CoachingAssignment", decode_global_id(assignment["id"])[1])


async def _training(world: SecurityWorld, side: str, course_id: int) -> None:
    reason = world.canary("Kesenjangan kompetensi")
    assignment = (
        await world.call(
            "AssignTraining",
            {
                "employeeId": world.gid(f"staff_{side}"),
                "courseId": encode_global_id("Course", course_id),
                "reason": reason,
            },
            f"boss_{side}",
        )
    )["assignment"]
    world.own(reason, "TrainingAssignment", decode_global_id(assignment["id"])[1])


async def _alerts(world: SecurityWorld) -> None:
    today = clock.today()
    for label, dismissed in (("staff_a", False), ("peer_a", True), ("staff_b", False)):
        reason = world.canary("Aktivitas turun 40 %")
        async with transaction():
            await mentoring.raise_alert(world.people[label].id, today, 0.9, [reason], "v0001")
        (row,) = await MentoringAlert.select(MentoringAlert.id).where(
            MentoringAlert.employee == world.people[label].id
        )
        world.own(reason, "MentoringAlert", row["id"])
        if dismissed:
            await MentoringAlert.update(
                {MentoringAlert.status: "DISMISSED", MentoringAlert.dismiss_reason: "Sudah ok"}
            ).where(MentoringAlert.id == row["id"])


async def _adoption(world: SecurityWorld) -> None:
    today = clock.today()
    program_ids = {}
    for side in ("a", "b"):
        name = world.canary(f"Sosialisasi e-Kinerja {side.upper()}")
        program = (
            await world.call(
                "CreateProgram",
                {
                    "name": name,
                    "goal": "Semua pegawai mencatat aktivitas harian",
                    "startsOn": (today - timedelta(days=30)).isoformat(),
                    "endsOn": (today + timedelta(days=60)).isoformat(),
                    "targetOpdIds": [encode_global_id("Opd", world.opds[side])],
                },
                "sosialisasi",
            )
        )["program"]
        program_ids[side] = program["id"]
        world.own(name, "Program", decode_global_id(program["id"])[1])
        start = datetime.now(UTC) - timedelta(hours=1)
        title = world.canary("Pengenalan pencatatan aktivitas")
        session = (
            await world.call(
                "CreateSession",
                {
                    "programId": program["id"],
                    "title": title,
                    "startsAt": start.isoformat(),
                    "endsAt": (start + timedelta(hours=2)).isoformat(),
                    "facilitator": "Tim BKPSDM",
                    "capacity": 30,
                    "place": "Aula",
                },
                "sosialisasi",
            )
        )["session"]
        session_id = decode_global_id(session["id"])[1]
        world.own(title, "Session", session_id)
        await Invitation.insert(
            Invitation(session=session_id, employee=world.people[f"staff_{side}"].id)
        )
    # Surveys are public to logged-in users, so their title carries no canary.
    await world.call(
        "CreateSurvey",
        {
            "title": "Survei denyut",
            "opensOn": (today - timedelta(days=1)).isoformat(),
            "closesOn": (today + timedelta(days=14)).isoformat(),
            "programId": program_ids["a"],
        },
        "sosialisasi",
    )


async def build_security_world(api: Api, factory: Factory) -> SecurityWorld:
    """Build the world, log every role in, and collect every object by Node type."""
    the_year = await year()
    opds, units, people_by_label = await _org(factory)
    usernames = {label: p.username for label, p in people_by_label.items()}
    usernames["admin_a"] = await factory.admin("admin.dinkes", Role.ADMIN_OPD, opds["a"])
    usernames["admin_b"] = await factory.admin("admin.bapenda", Role.ADMIN_OPD, opds["b"])
    usernames["bkpsdm"] = await factory.admin("admin.bkpsdm", Role.ADMIN_BKPSDM)
    usernames["sosialisasi"] = await factory.admin("sosialisasi", Role.PENGELOLA_SOSIALISASI)
    world = SecurityWorld(
        api=api,
        people=people_by_label,
        opds=opds,
        units=units,
        period_id=the_year.annual.id,
        quarter_id=the_year.q1.id,
    )
    for login, username in usernames.items():
        world.tokens[_role_of(login)] = await api.login(username, PASSWORD)
    world.tokens["anonymous"] = None
    await _scopes(world, usernames)
    for person in people_by_label.values():
        world.detector.canaries[person.nip] = ("Employee", person.id)  # the profile's NIP
    await competency("KOM-01", "Pelayanan publik")
    published = await course("Pelaporan kinerja", status=CourseStatus.PUBLISHED)
    draft_title = world.canary("Draf kursus")
    draft = await course(draft_title, status=CourseStatus.DRAFT)
    world.own(draft_title, "Course", draft)
    for side in ("a", "b"):
        await _performance(world, side, the_year)
        await _conversations(world, side)
        await _training(world, side, published)
    await _alerts(world)
    await _adoption(world)
    for type_name, table in NODE_TABLES.items():
        rows = await table.select(table.id).order_by(table.id)
        world.objects[type_name] = [WorldObject(type_name, r["id"]) for r in rows]
    return world
