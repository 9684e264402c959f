"""Coaching, mentoring and counselling through GraphQL: who assigns, the status workflow,
sessions with shared and private notes, notifications, and what being a coach does NOT open.

The organisation (``support.performance_builders.build_org`` plus one person): Kepala Dinas
(``head``) -> Kepala Puskesmas (``boss``) -> Perawat Satu (``staff``, the mentee) and Perawat
Dua (``peer``); ``mentor`` works in another unit of Dinas Kesehatan; ``outsider`` works at
Bapenda. Admins: ``admin_opd`` (Dinas Kesehatan), ``admin_other_opd`` (Bapenda), ``bkpsdm``.
The staff member has an approved SKP and a verified activity.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from portal.people.tables import Employee
from support.api import Api
from support.factories import PASSWORD, Factory, Person
from support.performance_builders import (
    Org,
    build_org,
    codes,
    gid,
    insert_activities,
    insert_approved_skp,
    past_day,
)

GOAL = "Mempercepat waktu respon layanan pendaftaran menjadi di bawah 10 menit."
PRIVATE = "Tampak kelelahan; perlu dicek beban kerja shift malam."


@dataclass
class World:
    org: Org
    people: dict[str, Person]
    tokens: dict[str, str]
    skp: str
    activity: str
    indicator: str

    def employee(self, label: str) -> str:
        return gid("Employee", self.people[label].id)


@pytest.fixture
async def world(api: Api, factory: Factory) -> World:
    org = await build_org(api, factory)
    people = dict(org.people)
    tokens = dict(org.tokens)
    other_unit = await factory.unor(org.opd_id, "DINKES.LAB")
    people["mentor"] = await factory.employee(other_unit, name="Analis Senior")
    tokens["mentor"] = await api.login(people["mentor"].username, PASSWORD)
    skp_id, indicators = await insert_approved_skp(
        people["staff"], org.period_id, rater_id=people["boss"].id
    )
    (activity,) = await insert_activities(
        people["staff"].id,
        org.period_id,
        indicators[0],
        [past_day(2)],
        verifier_id=people["boss"].id,
    )
    return World(
        org=org,
        people=people,
        tokens=tokens,
        skp=gid("Skp", skp_id),
        activity=gid("Activity", activity),
        indicator=gid("Indicator", indicators[0]),
    )


# --- helpers ---------------------------------------------------------------------------------


async def assign(
    api: Api, world: World, by: str, *, coach: str = "mentor", employee: str = "staff", **extra: Any
) -> dict[str, Any]:
    """Run AssignCoaching; return the payload."""
    fields = {
        "employeeId": world.employee(employee),
        "coachId": world.employee(coach),
        "kind": "COACHING",
        "goal": GOAL,
        **extra,
    }
    data = await api.data("AssignCoaching", {"input": fields}, token=world.tokens[by])
    payload: dict[str, Any] = data["assignCoaching"]
    return payload


async def assigned(api: Api, world: World, by: str = "boss", **extra: Any) -> str:
    payload = await assign(api, world, by, **extra)
    assert payload["userErrors"] == [], payload["userErrors"]
    assignment: str = payload["assignment"]["id"]
    return assignment


async def set_status(
    api: Api, world: World, by: str, assignment: str, status: str, *, outcome: str | None = None
) -> dict[str, Any]:
    fields: dict[str, Any] = {"assignmentId": assignment, "status": status}
    if outcome is not None:
        fields["outcome"] = outcome
    data = await api.data("SetCoachingStatus", {"input": fields}, token=world.tokens[by])
    payload: dict[str, Any] = data["setCoachingStatus"]
    return payload


async def schedule(api: Api, world: World, by: str, assignment: str) -> dict[str, Any]:
    when = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    data = await api.data(
        "ScheduleCoachingSession",
        {"input": {"assignmentId": assignment, "scheduledAt": when.isoformat()}},
        token=world.tokens[by],
    )
    payload: dict[str, Any] = data["scheduleCoachingSession"]
    return payload


async def record_session(api: Api, world: World, by: str, session: str) -> dict[str, Any]:
    data = await api.data(
        "RecordCoachingSession",
        {
            "input": {
                "sessionId": session,
                "notes": "Membahas alur pendaftaran dan antrian.",
                "privateNotes": PRIVATE,
                "nextSteps": "Uji coba nomor antrian daring selama dua minggu.",
            }
        },
        token=world.tokens[by],
    )
    payload: dict[str, Any] = data["recordCoachingSession"]
    return payload


async def node(api: Api, world: World, viewer: str, assignment: str) -> dict[str, Any] | None:
    found: dict[str, Any] | None = (
        await api.data("CoachingAssignmentById", {"id": assignment}, token=world.tokens[viewer])
    )["node"]
    return found


async def notification_kinds(api: Api, world: World, viewer: str) -> list[tuple[str, str]]:
    data = await api.data("Notifications", {"first": 50}, token=world.tokens[viewer])
    return [(e["node"]["kind"], e["node"]["subjectId"]) for e in data["notifications"]["edges"]]


# --- assigning -------------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["boss", "head", "admin_opd", "bkpsdm"])
async def test_the_supervisor_chain_and_admins_assign_a_coach(
    api: Api, world: World, by: str
) -> None:
    # when a supervisor in the chain or an admin of the OPD assigns a mentor
    payload = await assign(api, world, by, kind="MENTORING")

    # then the assignment is PLANNED, MANUAL, between the two
    assert payload["userErrors"] == []
    assignment = payload["assignment"]
    assert assignment["kind"] == "MENTORING"
    assert assignment["goal"] == GOAL
    assert assignment["origin"] == "MANUAL"
    assert assignment["status"] == "PLANNED"
    assert assignment["employee"]["id"] == world.employee("staff")
    assert assignment["coach"]["id"] == world.employee("mentor")

    # and both the employee and the coach are notified, pointing at the assignment
    for viewer in ("staff", "mentor"):
        assert ("COACHING_ASSIGNED", assignment["id"]) in await notification_kinds(
            api, world, viewer
        ), viewer


async def test_origin_and_kind_are_kept(api: Api, world: World) -> None:
    payload = await assign(api, world, "boss", kind="KONSELING", origin="MENTORING_ALERT")
    assert payload["userErrors"] == []
    assert payload["assignment"]["kind"] == "KONSELING"
    assert payload["assignment"]["origin"] == "MENTORING_ALERT"


@pytest.mark.parametrize("by", ["peer", "mentor", "outsider", "staff", "admin_other_opd"])
async def test_nobody_else_assigns(api: Api, world: World, by: str) -> None:
    payload = await assign(api, world, by, coach="head" if by == "mentor" else "mentor")
    assert payload["assignment"] is None
    assert codes(payload["userErrors"]) == ["FORBIDDEN"]
    listing = await api.data("CoachingAssignments", {"first": 10}, token=world.tokens["staff"])
    assert listing["coachingAssignments"]["totalCount"] == 0


async def test_the_coach_must_be_someone_else(api: Api, world: World) -> None:
    payload = await assign(api, world, "boss", coach="staff")
    assert payload["assignment"] is None
    assert [(e["code"], ".".join(e["path"] or ()) or None) for e in payload["userErrors"]] == [
        ("INVALID_COACH", "coachId")
    ]
    short_goal = await assign(api, world, "boss", goal="ok")
    assert [(e["code"], ".".join(e["path"] or ()) or None) for e in short_goal["userErrors"]] == [
        ("INVALID_LENGTH", "goal")
    ]


async def test_the_coach_must_exist_and_be_active(api: Api, world: World) -> None:
    unknown = await api.data(
        "AssignCoaching",
        {
            "input": {
                "employeeId": world.employee("staff"),
                "coachId": gid("Employee", 999_999),
                "kind": "COACHING",
                "goal": GOAL,
            }
        },
        token=world.tokens["boss"],
    )
    assert codes(unknown["assignCoaching"]["userErrors"]) == ["NOT_FOUND"]
    await Employee.update({Employee.active: False}).where(Employee.id == world.people["mentor"].id)
    inactive = await assign(api, world, "boss")
    assert [(e["code"], ".".join(e["path"] or ()) or None) for e in inactive["userErrors"]] == [
        ("INVALID_COACH", "coachId")
    ]


@pytest.mark.parametrize("reference", ["unknown_dialog", "unknown_evaluation", "peers_dialog"])
async def test_a_reference_to_a_missing_or_foreign_dialog_or_evaluation_is_a_user_error(
    api: Api, world: World, reference: str
) -> None:
    # given a reference that does not concern the staff member
    if reference == "peers_dialog":
        dialog = await api.data(
            "RecordDialogKinerja",
            {
                "input": {
                    "employeeId": world.employee("peer"),
                    "heldOn": past_day(1).isoformat(),
                    "toImprove": "Kelengkapan laporan",
                }
            },
            token=world.tokens["boss"],
        )
        extra = {"dialogId": dialog["recordDialogKinerja"]["dialog"]["id"]}
    elif reference == "unknown_dialog":
        extra = {"dialogId": gid("DialogKinerja", 999_999)}
    else:
        extra = {"evaluationId": gid("Evaluation", 999_999)}

    # when the supervisor assigns coaching citing it
    body = await api.op(
        "AssignCoaching",
        {
            "input": {
                "employeeId": world.employee("staff"),
                "coachId": world.employee("mentor"),
                "kind": "COACHING",
                "goal": GOAL,
                **extra,
            }
        },
        token=world.tokens["boss"],
    )

    # then a userError INVALID_REFERENCE on that field, no internal error, nothing assigned
    assert body.get("errors") is None, body["errors"]
    payload = body["data"]["assignCoaching"]
    assert payload["assignment"] is None
    assert [(e["code"], ".".join(e["path"] or ()) or None) for e in payload["userErrors"]] == [
        ("INVALID_REFERENCE", next(iter(extra)))
    ]


async def test_a_coach_from_another_opd_is_allowed(api: Api, world: World) -> None:
    payload = await assign(api, world, "boss", coach="outsider")
    assert payload["userErrors"] == []
    assert payload["assignment"]["coach"]["id"] == world.employee("outsider")


# --- status workflow -------------------------------------------------------------------------


async def test_planned_active_completed_with_an_outcome(api: Api, world: World) -> None:
    assignment = await assigned(api, world)

    # when the coach starts it, then ACTIVE with a start time
    started = await set_status(api, world, "mentor", assignment, "ACTIVE")
    assert started["userErrors"] == []
    assert started["assignment"]["status"] == "ACTIVE"
    assert started["assignment"]["startedAt"] is not None

    # when the coach completes it without an outcome, then OUTCOME_REQUIRED, still ACTIVE
    missing = await set_status(api, world, "mentor", assignment, "COMPLETED")
    assert [(e["code"], ".".join(e["path"] or ()) or None) for e in missing["userErrors"]] == [
        ("OUTCOME_REQUIRED", "outcome")
    ]
    blank = await set_status(api, world, "mentor", assignment, "COMPLETED", outcome="  ")
    assert codes(blank["userErrors"]) == ["OUTCOME_REQUIRED"]
    still = await node(api, world, "staff", assignment)
    assert still is not None
    assert still["status"] == "ACTIVE"

    # when a manager tries to complete it, then FORBIDDEN (completing is the coach's)
    by_boss = await set_status(api, world, "boss", assignment, "COMPLETED", outcome="Selesai")
    assert codes(by_boss["userErrors"]) == ["FORBIDDEN"]

    # when the coach completes it with an outcome, then COMPLETED with the outcome
    outcome = "Waktu respon turun menjadi 8 menit."
    done = await set_status(api, world, "mentor", assignment, "COMPLETED", outcome=outcome)
    assert done["userErrors"] == []
    assert done["assignment"]["status"] == "COMPLETED"
    assert done["assignment"]["outcome"] == outcome
    assert done["assignment"]["endedAt"] is not None

    # and nothing moves a completed assignment any more
    for by, target in (("mentor", "ACTIVE"), ("boss", "CANCELLED"), ("mentor", "COMPLETED")):
        refused = await set_status(api, world, by, assignment, target, outcome="lagi")
        assert codes(refused["userErrors"]) == ["INVALID_STATE"], (by, target)


async def test_a_manager_starts_and_cancels(api: Api, world: World) -> None:
    planned = await assigned(api, world)
    assert (await set_status(api, world, "boss", planned, "ACTIVE"))["userErrors"] == []
    cancelled = await set_status(api, world, "head", planned, "CANCELLED")
    assert cancelled["userErrors"] == []
    assert cancelled["assignment"]["status"] == "CANCELLED"
    assert cancelled["assignment"]["endedAt"] is not None
    again = await set_status(api, world, "boss", planned, "CANCELLED")
    assert codes(again["userErrors"]) == ["INVALID_STATE"]
    restart = await set_status(api, world, "boss", planned, "ACTIVE")
    assert codes(restart["userErrors"]) == ["INVALID_STATE"]

    # a planned one can be cancelled by an admin of the OPD directly
    other = await assigned(api, world, by="admin_opd")
    by_admin = await set_status(api, world, "admin_opd", other, "CANCELLED")
    assert by_admin["assignment"]["status"] == "CANCELLED"


async def test_invalid_transitions_and_roles(api: Api, world: World) -> None:
    assignment = await assigned(api, world)
    # PLANNED -> COMPLETED skips ACTIVE
    skip = await set_status(api, world, "mentor", assignment, "COMPLETED", outcome="Terlalu cepat")
    assert codes(skip["userErrors"]) == ["INVALID_STATE"]
    # PLANNED is not a target
    back = await set_status(api, world, "boss", assignment, "PLANNED")
    assert codes(back["userErrors"]) == ["INVALID_VALUE"]
    # the coach cannot cancel, the employee cannot start
    assert codes(
        (await set_status(api, world, "mentor", assignment, "CANCELLED"))["userErrors"]
    ) == ["FORBIDDEN"]
    assert codes((await set_status(api, world, "staff", assignment, "ACTIVE"))["userErrors"]) == [
        "FORBIDDEN"
    ]
    # somebody who may not read it gets NOT_FOUND
    for outsider in ("peer", "outsider", "admin_other_opd"):
        attempt = await set_status(api, world, outsider, assignment, "ACTIVE")
        assert codes(attempt["userErrors"]) == ["NOT_FOUND"], outsider
    # ACTIVE -> ACTIVE is refused too
    assert (await set_status(api, world, "mentor", assignment, "ACTIVE"))["userErrors"] == []
    twice = await set_status(api, world, "boss", assignment, "ACTIVE")
    assert codes(twice["userErrors"]) == ["INVALID_STATE"]


# --- sessions --------------------------------------------------------------------------------


async def test_the_coach_schedules_a_session_and_the_employee_is_notified(
    api: Api, world: World
) -> None:
    assignment = await assigned(api, world)

    # when the coach schedules a session
    payload = await schedule(api, world, "mentor", assignment)
    assert payload["userErrors"] == []
    assert payload["session"]["id"]

    # then the employee is told, pointing at the assignment; the coach is not
    assert ("SESSION_SCHEDULED", assignment) in await notification_kinds(api, world, "staff")
    assert "SESSION_SCHEDULED" not in [k for k, _ in await notification_kinds(api, world, "mentor")]
    # and the session shows on the assignment
    staff_view = await node(api, world, "staff", assignment)
    assert staff_view is not None
    sessions = staff_view["sessions"]
    assert [s["id"] for s in sessions] == [payload["session"]["id"]]
    assert sessions[0]["heldAt"] is None


@pytest.mark.parametrize("by", ["boss", "staff", "admin_opd"])
async def test_only_the_coach_schedules(api: Api, world: World, by: str) -> None:
    assignment = await assigned(api, world)
    payload = await schedule(api, world, by, assignment)
    assert payload["session"] is None
    assert codes(payload["userErrors"]) == ["FORBIDDEN"]


async def test_no_sessions_on_a_finished_assignment(api: Api, world: World) -> None:
    assignment = await assigned(api, world)
    await set_status(api, world, "boss", assignment, "CANCELLED")
    payload = await schedule(api, world, "mentor", assignment)
    assert codes(payload["userErrors"]) == ["INVALID_STATE"]


async def test_private_notes_are_the_coachs_alone(api: Api, world: World) -> None:
    # given a recorded session with shared and private notes
    assignment = await assigned(api, world)
    await set_status(api, world, "mentor", assignment, "ACTIVE")
    session = (await schedule(api, world, "mentor", assignment))["session"]["id"]
    recorded = await record_session(api, world, "mentor", session)
    assert recorded["userErrors"] == []
    assert recorded["session"]["privateNotes"] == PRIVATE
    assert recorded["session"]["heldAt"] is not None

    # then the coach reads the private notes
    coach_view = await node(api, world, "mentor", assignment)
    assert coach_view is not None
    assert coach_view["sessions"][0]["privateNotes"] == PRIVATE
    as_coach = await api.data(
        "CoachingAssignments", {"first": 10, "asCoach": True}, token=world.tokens["mentor"]
    )
    edges = as_coach["coachingAssignments"]["edges"]
    assert edges[0]["node"]["sessions"][0]["privateNotes"] == PRIVATE

    # and everybody else who may read the assignment sees the shared notes but not the private
    for viewer in ("staff", "boss", "head", "admin_opd", "bkpsdm"):
        body = await api.op(
            "CoachingAssignmentById", {"id": assignment}, token=world.tokens[viewer]
        )
        assert body.get("errors") is None, viewer
        sessions = body["data"]["node"]["sessions"]
        assert sessions[0]["notes"] == "Membahas alur pendaftaran dan antrian.", viewer
        assert sessions[0]["nextSteps"].startswith("Uji coba"), viewer
        assert sessions[0]["privateNotes"] is None, viewer
        assert PRIVATE not in json.dumps(body), viewer
    for viewer, variables in (
        ("staff", {}),
        ("boss", {"employeeId": world.employee("staff")}),
    ):
        listing = await api.op(
            "CoachingAssignments", {"first": 10, **variables}, token=world.tokens[viewer]
        )
        assert listing.get("errors") is None
        assert PRIVATE not in json.dumps(listing), viewer


@pytest.mark.parametrize("by", ["staff", "boss"])
async def test_only_the_coach_records_a_session(api: Api, world: World, by: str) -> None:
    assignment = await assigned(api, world)
    session = (await schedule(api, world, "mentor", assignment))["session"]["id"]
    payload = await record_session(api, world, by, session)
    assert payload["session"] is None
    assert codes(payload["userErrors"]) == ["FORBIDDEN"]


# --- visibility ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("viewer", "visible"),
    [
        ("staff", True),
        ("mentor", True),
        ("boss", True),
        ("head", True),
        ("admin_opd", True),
        ("bkpsdm", True),
        ("peer", False),
        ("outsider", False),
        ("admin_other_opd", False),
        ("sosialisasi", False),
    ],
)
async def test_who_reads_an_assignment(
    api: Api, world: World, viewer: str, *, visible: bool
) -> None:
    assignment = await assigned(api, world)
    found = await node(api, world, viewer, assignment)
    assert (found is not None) == visible
    if found is not None:
        assert found["goal"] == GOAL


async def test_lists_of_assignments(api: Api, world: World) -> None:
    assignment = await assigned(api, world)
    # the employee's own list, the coach's list, the supervisor's list about the employee
    mine = await api.data("CoachingAssignments", {"first": 10}, token=world.tokens["staff"])
    assert [e["node"]["id"] for e in mine["coachingAssignments"]["edges"]] == [assignment]
    coached = await api.data(
        "CoachingAssignments", {"first": 10, "asCoach": True}, token=world.tokens["mentor"]
    )
    assert [e["node"]["id"] for e in coached["coachingAssignments"]["edges"]] == [assignment]
    managed = await api.data(
        "CoachingAssignments",
        {"first": 10, "employeeId": world.employee("staff")},
        token=world.tokens["boss"],
    )
    assert managed["coachingAssignments"]["totalCount"] == 1
    # the coach's own list (as an employee) is empty; the employee's as-coach list too
    assert (await api.data("CoachingAssignments", {"first": 10}, token=world.tokens["mentor"]))[
        "coachingAssignments"
    ]["totalCount"] == 0
    # the coach may not list the mentee's assignments as if managing them, nor may a peer
    for viewer in ("mentor", "peer"):
        body = await api.op(
            "CoachingAssignments",
            {"first": 10, "employeeId": world.employee("staff")},
            token=world.tokens[viewer],
        )
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND", viewer


async def test_a_coach_does_not_get_the_mentees_file(api: Api, world: World) -> None:
    # given the mentor coaches the staff member (and sees the assignment)
    assignment = await assigned(api, world)
    assert await node(api, world, "mentor", assignment) is not None
    token = world.tokens["mentor"]

    # then the mentee's private profile stays hidden
    employee = (await api.data("EmployeeById", {"id": world.employee("staff")}, token=token))[
        "node"
    ]
    assert employee["name"] == "Perawat Satu"
    assert employee["profile"] is None
    # and so do their SKP, indicator and activities
    for target in (world.skp, world.indicator, world.activity):
        assert (await api.data("PerformanceNode", {"id": target}, token=token))["node"] is None
    body = await api.op(
        "Activities",
        {"first": 10, "filter": {"employeeId": world.employee("staff")}},
        token=token,
    )
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert body["data"] is None


async def test_a_coach_who_is_also_in_the_chain_keeps_that_access(api: Api, world: World) -> None:
    # given the head of the department coaches the staff member themself
    assignment = await assigned(api, world, coach="head")
    token = world.tokens["head"]
    assert await node(api, world, "head", assignment) is not None
    # then, being in the supervisor chain, they read the profile and the SKP as before
    employee = (await api.data("EmployeeById", {"id": world.employee("staff")}, token=token))[
        "node"
    ]
    assert employee["profile"] is not None
    assert (await api.data("PerformanceNode", {"id": world.skp}, token=token))["node"] is not None
