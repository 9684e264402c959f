"""No named operation's SQL grows with its result (no N+1 on any list field).

Every query of graphql/operations/ runs as five roles on the security world (tests/support/
security_world.py) after it grew by one more employee per team with a full year of data, and
again after it grew by two more: no statement count may grow, role by role, while the lists in
the answers got longer. Growing by one first means every list already holds rows at
the first measurement, so a query skipped for an empty list is not mistaken for an N+1.
Operations whose lists cannot grow in this world are named in :data:`NOT_GROWN`, with why.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from graphql import OperationDefinitionNode, parse
from litestar import Litestar

from portal.adoption import cache as adoption_cache
from portal.adoption.tables import Invitation, Program, Session, Survey
from portal.coaching.tables import CoachingAssignment
from portal.core import clock, response_cache
from portal.core.db import count_queries, transaction
from portal.core.ids import decode_global_id, encode_global_id
from portal.feedback.tables import DialogKinerja, FeedbackMessage, FeedbackThread
from portal.mentoring.services import alerts as mentoring
from portal.notifications.tables import Notification
from portal.people.tables import ActingAppointment, Employee, EmployeeMove
from portal.performance.enums import Predikat
from portal.performance.planning.services import periods
from portal.performance.rows import PeriodRow
from portal.performance.tables import Activity, Evaluation, Period, Skp
from portal.processes.tables import Objection
from support.api import Api, operations
from support.factories import Factory
from support.performance_factory import approved_skp, evaluation, verified_activity, year
from support.security_world import SecurityWorld, build_security_world
from support.training_builders import competency, course, gid
from training.tables import Competency, Course, TrainingAssignment

ROLES = ("employee", "supervisor", "admin_opd", "bkpsdm", "sosialisasi")
# Dataloader batches of two paths (an SKP's owner, an activity's owner) meet in one event-loop
# tick or in two, as the timing falls: the fewest statements of a few runs is the stable figure,
# and an operation fetching nodes of several types may still differ by one batch (an N+1 over
# the two more employees per team would add at least two statements).
RUNS = 3
TICK_TOLERANCE = {"PerformanceNodes": 1}

# lists that stay as they are when teams grow (what they list is not made by _grow)
NOT_GROWN = {
    "Viewer": "no list of rows (the viewer's own roles)",
    "AdoptionCohorts": "one row per session date of the program",
    "AdoptionLagging": "one row per OPD (the world has two)",
    "SurveyResults": "one row per OPD, below the anonymity threshold of five answers",
    "SurveyTrend": "one row per OPD",
    "AdoptionNode": "a program's fields",
    "MentoringModels": "the model registry's versions (files, no SQL)",
    "IncentiveRules": "the city's incentive table",
    "CascadableRhks": "the RHKs of the supervisor's own SKP",
    "DistributionCurve": "one row per predikat",
    "JpRollup": "one line per unit of the OPD",
    "MySupportOffers": "the employee's own open offer (one per employee)",
    "DialogKinerjaById": "one dialog's actions",
    "FeedbackNode": "one message",
    "EmployeeById": "one employee",
    "ActivityById": "one activity (evidence links are a JSON value, not rows)",
    "NotificationById": "one notification",
    "EvaluationById": "one evaluation's lines, fixed by the SKP",
    "ActingRecord": "one evaluation's rater and acting rater",
    "PerformanceNode": "one SKP's RHKs, fixed",
    "SkpById": "one SKP's RHKs, fixed",
    "TrainingNode": "one assignment",
    "JpLedger": "one employee's ledger",
    "MySkp": "the employee's own SKP",
    "AdoptionFunnel": "one row per OPD and week; the counts inside grow",
    "BackgroundJob": "one job's state, read from the queue (no SQL)",
    "NotificationChannels": "the viewer's own channel choices",
    "MentoringMonitoring": "the scoring runs (growth scores nobody) and one row per OPD",
    "ObjectionWindow": "one evaluation's keberatan window",
    "AnnualResult": "one employee's parts of the year (one SKP unless a mutasi split it)",
}


def _queries() -> dict[str, OperationDefinitionNode]:
    found = {}
    for name, text in operations().items():
        for node in parse(text).definitions:  # an operation, maybe with fragments
            if isinstance(node, OperationDefinitionNode) and node.operation.value == "query":
                found[name] = node
    return found


async def _first_id(table: Any, type_name: str, *where: Any) -> str:
    query = table.select(table.id).order_by(table.id)
    for clause in where:
        query = query.where(clause)
    (row, *_) = await query
    return encode_global_id(type_name, row["id"])


async def _ids(table: Any, type_name: str) -> list[str]:
    return [encode_global_id(type_name, r["id"]) for r in await table.select(table.id)]


async def _variables(world: SecurityWorld) -> dict[str, dict[str, Any]]:
    """The required arguments of each query, from the world as it is now."""
    staff = world.people["staff_a"].id
    opd = encode_global_id("Opd", world.opds["a"])
    quarter = encode_global_id("Period", world.quarter_id)
    monday = clock.today() - timedelta(days=clock.today().weekday())
    return {
        "AdoptionCohorts": {"programId": await _first_id(Program, "Program")},
        "AdoptionLagging": {"week": monday.isoformat()},
        "MentoringMonitoring": {"runs": 5},
        "AdoptionNode": {"id": await _first_id(Program, "Program")},
        "SessionById": {"id": await _first_id(Session, "Session")},
        "SurveyResults": {"surveyId": await _first_id(Survey, "Survey")},
        "CoachingAssignmentById": {
            "id": await _first_id(
                CoachingAssignment, "CoachingAssignment", CoachingAssignment.employee == staff
            )
        },
        "DialogKinerjaById": {"id": await _first_id(DialogKinerja, "DialogKinerja")},
        "FeedbackNode": {"id": await _first_id(FeedbackMessage, "FeedbackMessage")},
        "FeedbackThreadMessages": {
            "id": await _first_id(
                FeedbackThread, "FeedbackThread", FeedbackThread.employee == staff
            )
        },
        "NotificationById": {"id": await _first_id(Notification, "Notification")},
        "EmployeeById": {"id": world.gid("staff_a")},
        "ActivityById": {"id": await _first_id(Activity, "Activity", Activity.employee == staff)},
        "EmployeesByIds": {"ids": [world.gid(label) for label in world.people]},
        "PerformanceNode": {"id": await _first_id(Skp, "Skp", Skp.employee == staff)},
        "PerformanceNodes": {
            "ids": [*await _ids(Skp, "Skp"), *await _ids(Activity, "Activity")][:100]
        },
        "SkpById": {"id": await _first_id(Skp, "Skp", Skp.employee == staff)},
        "DevelopmentCandidates": {"periodId": quarter, "opdId": opd},
        "DistributionCurve": {"periodId": quarter, "opdId": opd},
        "IncentiveRows": {"periodId": quarter, "opdId": opd},
        "EvaluationById": {"id": await _first_id(Evaluation, "Evaluation")},
        "ActingRecord": {"id": await _first_id(Evaluation, "Evaluation")},
        "PredikatRecap": {"periodId": quarter},
        "CompletionMonitoring": {"periodId": quarter},
        "ObjectionWindow": {"evaluationId": await _first_id(Evaluation, "Evaluation")},
        "AnnualResult": {
            "employeeId": world.gid("staff_a"),
            "periodId": encode_global_id("Period", world.period_id),
        },
        "JpRollup": {"opdId": opd},
        "TrainingNode": {"id": await _first_id(TrainingAssignment, "TrainingAssignment")},
        "BackgroundJob": {"id": "no-such-job"},
    }


def _list_rows(value: Any) -> int:
    """How many list items the answer holds, at any depth."""
    if isinstance(value, list):
        return len(value) + sum(_list_rows(v) for v in value)
    if isinstance(value, dict):
        return sum(_list_rows(v) for v in value.values())
    return 0


async def _measure(world: SecurityWorld) -> dict[tuple[str, str], tuple[int, int]]:
    """(operation, role) -> (SQL statements, list items) of every query as every role."""
    queries, required = _queries(), await _variables(world)
    found = {}
    for name, node in queries.items():
        variables = dict(required.get(name, {}))
        for definition in node.variable_definitions or ():
            if definition.variable.name.value == "first":
                variables["first"] = 100
        for role in ROLES:
            counts = []
            for _ in range(RUNS):
                await response_cache.bump_all()  # plain execution, not a cached answer
                with count_queries() as counter:
                    body = await world.api.op(name, variables, token=world.tokens[role])
                counts.append(counter[0])
            codes = [e.get("extensions", {}).get("code") for e in body.get("errors") or []]
            assert "INTERNAL_ERROR" not in codes, (name, role, body["errors"])
            found[name, role] = (min(counts), _list_rows(body.get("data")))
    return found


async def _grow(world: SecurityWorld, factory: Factory, size: int) -> None:
    """``size`` more staff per team with an SKP, an activity, an evaluation, a thread, a dialog,
    coaching, training, an alert and an invitation each, more of the same about staff_a, and
    more OPDs, units, competencies and surveys."""
    annual = await periods.get_period(world.period_id)
    quarter = await periods.get_period(world.quarter_id)
    published = Course.select(Course.id).where(Course.status == "PUBLISHED").order_by(Course.id)
    course_id = int((await published.first() or {})["id"])
    sessions = {r["id"] for r in await Session.select(Session.id)}
    start = len(world.people)
    for side, unit in (("a", world.units["pkm_a"]), ("b", world.units["b"])):
        boss_label = f"boss_{side}"
        boss = world.people[boss_label]
        for i in range(size):
            label = f"extra_{side}{start + i}"
            person = await factory.employee(unit, supervisor=boss, name=f"Tambahan {label}")
            world.people[label] = person
            skp = await approved_skp(person, boss, annual)
            await verified_activity(
                person, annual, quarter.starts_on + timedelta(days=4), 3,
                indicator_id=skp.indicator_ids[0], verifier=boss,
            )  # fmt: skip
            evaluation_id = await evaluation(
                person, boss, skp.skp_id, quarter, Predikat.BUTUH_PERBAIKAN,
                indicator_ids=skp.indicator_ids,
            )  # fmt: skip
            await _objection(evaluation_id, person.id, person.opd_id, boss.id)
            await _move(person.id, person.unor_id, person.opd_id, boss.id)
            await _team_objects(world, label, boss_label, course_id)
            async with transaction():
                await mentoring.raise_alert(person.id, clock.today(), 0.9, ["Turun"], "v0001")
            for session in sessions:
                await Invitation.insert(Invitation(session=session, employee=person.id))
    for i in range(size):  # the employee's own lists grow too
        await _own_objects(world, annual, quarter.starts_on + timedelta(days=5 + i))
    # and the city's: an OPD with two levels of units, a year, a competency, a survey
    for _ in range(size):
        await _city_objects(world, factory)


async def _city_objects(world: SecurityWorld, factory: Factory) -> None:
    """One more OPD (a unit with a sub-unit), past year of periods, competency and open survey."""
    opd = await factory.opd()
    await year(2000 + await Period.count())
    await factory.unor(opd, parent_id=await factory.unor(opd))
    n = await Competency.count()
    await competency(f"TK{n + 1}", f"Kompetensi {n + 1}")
    await world.call(
        "CreateSurvey",
        {
            "title": f"Survei {n + 1}",
            "opensOn": (clock.today() - timedelta(days=1)).isoformat(),
            "closesOn": (clock.today() + timedelta(days=14)).isoformat(),
            "programId": await _first_id(Program, "Program"),
        },
        "sosialisasi",
    )


async def _objection(evaluation_id: int, employee: int, opd: int, rater: int) -> None:
    """A keberatan on the evaluation (decided by the rater's supervisor), a past Plh."""
    (rater_row,) = await Employee.select(Employee.supervisor).where(Employee.id == rater)
    await Objection.insert(
        Objection(
            evaluation=evaluation_id,
            employee=employee,
            opd=opd,
            rater=rater,
            decider=rater_row["supervisor"],
            reason="Bukti dukung belum diperhitungkan",
            original_hasil="SESUAI_EKSPEKTASI",
            original_perilaku="DI_BAWAH_EKSPEKTASI",
            original_predikat="KURANG_MISCONDUCT",
            deadline=clock.today(),
        )
    )
    await ActingAppointment.insert(  # a Plh that ended: listed, but reaching no one today
        ActingAppointment(
            principal=rater,
            acting=employee,
            opd=opd,
            kind="PLH",
            starts_on=clock.today() - timedelta(days=30),
            ends_on=clock.today() - timedelta(days=20),
        )
    )


async def _move(employee: int, unit: int, opd: int, supervisor: int) -> None:
    """A mutasi the SIMPEG import detected (a new supervisor in the same unit)."""
    await EmployeeMove.insert(
        EmployeeMove(
            employee=employee,
            old_unor=unit,
            new_unor=unit,
            old_opd=opd,
            new_opd=opd,
            old_supervisor=None,
            new_supervisor=supervisor,
            effective_on=clock.today(),
        )
    )


async def _own_objects(world: SecurityWorld, annual: PeriodRow, day: date) -> None:
    """One more activity, thread, message, coaching session, course and invitation of staff_a."""
    staff = world.people["staff_a"]
    await verified_activity(staff, annual, day, 1)
    await _team_objects(world, "staff_a", "boss_a", None)
    thread = await _first_id(FeedbackThread, "FeedbackThread", FeedbackThread.employee == staff.id)
    await world.call("PostFeedbackMessage", {"threadId": thread, "body": "Satu lagi"}, "boss_a")
    coaching = await _first_id(
        CoachingAssignment, "CoachingAssignment", CoachingAssignment.employee == staff.id
    )
    when = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    await world.call(
        "ScheduleCoachingSession", {"assignmentId": coaching, "scheduledAt": when}, "peer_a"
    )
    course_id = await course(f"Kursus {day.isoformat()}")
    await world.call(
        "AssignTraining",
        {
            "employeeId": world.gid("staff_a"),
            "courseId": gid("Course", course_id),
            "reason": "Kurang JP",
        },
        "boss_a",
    )
    start = datetime.now(UTC) + timedelta(days=1)
    session = await world.call(
        "CreateSession",
        {
            "programId": await _first_id(Program, "Program"),
            "title": f"Sesi {day.isoformat()}",
            "startsAt": start.isoformat(),
            "endsAt": (start + timedelta(hours=2)).isoformat(),
            "facilitator": "Tim BKPSDM",
            "capacity": 30,
            "place": "Aula",
        },
        "sosialisasi",
    )
    session_id = decode_global_id(session["session"]["id"])[1]
    await Invitation.insert(Invitation(session=session_id, employee=staff.id))


async def _team_objects(world: SecurityWorld, label: str, boss: str, course_id: int | None) -> None:
    """A thread with a reply, a dialog kinerja, a coaching and (given a course) a training."""
    employee = world.gid(label)
    thread = (
        await world.call(
            "OpenFeedbackThread",
            {"employeeId": employee, "topic": "Laporan", "kind": "IMPROVEMENT", "body": "Ayo"},
            boss,
        )
    )["thread"]
    await world.call("PostFeedbackMessage", {"threadId": thread["id"], "body": "Lagi"}, boss)
    await world.call(
        "RecordDialogKinerja",
        {
            "employeeId": employee,
            "heldOn": (clock.today() - timedelta(days=2)).isoformat(),
            "wentWell": "Baik",
            "toImprove": "Waktu",
            "actions": [{"description": "Lapor tepat waktu", "dueOn": clock.today().isoformat()}],
        },
        boss,
    )
    coach = "peer_a" if boss == "boss_a" else "boss_b"
    coach = "boss_a" if label == coach else coach
    await world.call(
        "AssignCoaching",
        {"employeeId": employee, "coachId": world.gid(coach), "kind": "COACHING", "goal": "Lapor"},
        boss,
    )
    if course_id is not None:
        await world.call(
            "AssignTraining",
            {
                "employeeId": employee,
                "courseId": encode_global_id("Course", course_id),
                "reason": "Kesenjangan",
            },
            boss,
        )


@pytest.fixture
async def world(api: Api, factory: Factory) -> SecurityWorld:
    return await build_security_world(api, factory)


async def test_no_named_query_grows_its_sql_with_its_result(
    world: SecurityWorld, factory: Factory, app: Litestar
) -> None:
    # given the security world grown by one more of everything per team (adoption metrics
    # recomputed, not served from their cache, at each measurement)
    await _grow(world, factory, 1)
    await adoption_cache.bump_after_commit(app.state.store)
    before = await _measure(world)

    # when it grows by two more and every query runs again as every role
    await _grow(world, factory, 2)
    await adoption_cache.bump_after_commit(app.state.store)
    after = await _measure(world)

    # then no statement count grew (one may shrink: dataloader batches that met in one tick)
    grown = {
        key: (before[key][0], after[key][0])
        for key in before
        if after[key][0] > before[key][0] + TICK_TOLERANCE.get(key[0], 0)
    }
    assert grown == {}
    # and every query with a list saw longer lists for some role (or says why not)
    grew = {name for (name, role), (_, rows) in after.items() if rows > before[name, role][1]}
    silent = sorted(set(_queries()) - grew - set(NOT_GROWN))
    assert silent == []
    # and NOT_GROWN names only lists that did not grow (the others are measured above)
    assert sorted(grew & set(NOT_GROWN)) == []
    assert set(NOT_GROWN) <= set(_queries())
