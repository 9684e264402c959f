"""Programs, sessions, invitations, attendance, feedback, surveys and who sees what.

Given in every test: DINKES (head unit and a puskesmas below it, five people) and BAPENDA
(two people), a program manager, a BKPSDM admin and an admin for each OPD.
"""

from __future__ import annotations

import pytest

from portal.core.audit import AuditEntry
from support.adoption_world import World, build_world, close_survey, program_with_session, today_iso
from support.api import Api
from support.factories import Factory

DINKES_STAFF = ["kadis", "kapus", "perawat1", "perawat2", "perawat3"]


@pytest.fixture
async def world(api: Api, factory: Factory) -> World:
    return await build_world(api, factory)


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def test_manager_runs_a_session_from_invitation_to_feedback(world: World) -> None:
    # given a program with a session for DINKES
    _, session = await program_with_session(world)

    # when the manager invites the DINKES head unit with its sub-units
    invited = await world.mutate(
        "InviteUnit",
        {"sessionId": session, "unitId": world.gid("Unor", world.units["head"])},
        "manager",
    )
    # then all five DINKES employees are invited, and inviting again adds nobody
    assert invited["userErrors"] == []
    assert (invited["invited"], invited["alreadyInvited"]) == (5, 0)
    assert invited["session"]["invitedCount"] == 5
    again = await world.mutate(
        "InviteUnit",
        {"sessionId": session, "unitId": world.gid("Unor", world.units["pkm"])},
        "manager",
    )
    assert (again["invited"], again["alreadyInvited"]) == (0, 4)

    # when checking in by ID and NIP, with an unknown NIP and someone not invited
    checked = await world.mutate(
        "CheckIn",
        {
            "sessionId": session,
            "employeeIds": [world.person_id("perawat1"), world.person_id("bapenda1")],
            "nips": [
                world.people["perawat2"].nip,
                "199001012015011999",
                world.people["perawat1"].nip,
            ],
        },
        "manager",
    )
    # then each identifier has its own outcome
    assert checked["checkedIn"] == 2
    assert [r["status"] for r in checked["results"]] == [
        "CHECKED_IN",
        "NOT_INVITED",
        "CHECKED_IN",
        "UNKNOWN",
        "ALREADY_CHECKED_IN",
    ]
    # when registering the walk-in from BAPENDA late, then they attend without an invitation
    late = await world.mutate(
        "RegisterLate", {"sessionId": session, "nip": world.people["bapenda1"].nip}, "manager"
    )
    assert late["userErrors"] == []
    assert late["invitation"]["lateRegistration"] is True
    assert late["invitation"]["invitedAt"] is None
    assert late["invitation"]["session"]["attendedCount"] == 3
    # an invited person cannot be registered late, nor anyone twice
    refused = await world.mutate(
        "RegisterLate", {"sessionId": session, "employeeId": world.person_id("perawat3")}, "manager"
    )
    assert codes(refused) == ["ALREADY_INVITED"]
    twice = await world.mutate(
        "RegisterLate", {"sessionId": session, "employeeId": world.person_id("bapenda1")}, "manager"
    )
    assert codes(twice) == ["ALREADY_CHECKED_IN"]

    # when attendees give feedback, then only attendees can, once
    ok = await world.mutate(
        "SubmitSessionFeedback", {"sessionId": session, "rating": 5, "comment": "Jelas"}, "perawat1"
    )
    assert ok["userErrors"] == []
    dup = await world.mutate(
        "SubmitSessionFeedback", {"sessionId": session, "rating": 4}, "perawat1"
    )
    assert codes(dup) == ["ALREADY_SUBMITTED"]
    absent = await world.mutate(
        "SubmitSessionFeedback", {"sessionId": session, "rating": 1}, "perawat3"
    )
    assert codes(absent) == ["NOT_ATTENDED"]
    bad = await world.mutate(
        "SubmitSessionFeedback", {"sessionId": session, "rating": 6}, "perawat2"
    )
    assert codes(bad) == ["INVALID_RATING"]

    # then the manager sees the headcounts and the feedback summary
    node = (await world.data("SessionById", {"id": session, "first": 50}, "manager"))["node"]
    assert (node["invitedCount"], node["attendedCount"], node["lateRegistrationCount"]) == (5, 3, 1)
    assert node["feedback"] == {"responses": 1, "averageRating": 5.0, "comments": ["Jelas"]}
    assert node["participants"]["totalCount"] == 6
    # and every write is audited
    actions = {r["action"] for r in await AuditEntry.select(AuditEntry.action)}
    assert {
        "ADOPTION_PROGRAM_CREATED",
        "ADOPTION_SESSION_CREATED",
        "ADOPTION_UNIT_INVITED",
        "ADOPTION_CHECKED_IN",
        "ADOPTION_LATE_REGISTERED",
        "ADOPTION_FEEDBACK_SUBMITTED",
    } <= actions


async def test_business_rules_are_user_errors(world: World) -> None:
    program, session = await program_with_session(world, capacity=3)
    # staff and OPD admins cannot plan programs
    for who in ("perawat1", "admin_dinkes"):
        refused = await world.mutate(
            "CreateProgram",
            {"name": "Program", "startsOn": today_iso(), "endsOn": today_iso(1)},
            who,
        )
        assert codes(refused) == ["FORBIDDEN"], who
    reversed_range = await world.mutate(
        "CreateProgram",
        {"name": "Program", "startsOn": today_iso(), "endsOn": today_iso(-1)},
        "bkpsdm",
    )
    assert codes(reversed_range) == ["INVALID_RANGE"]
    nowhere = await world.mutate(
        "CreateSession",
        {
            "programId": program,
            "title": "Sesi tanpa tempat",
            "startsAt": f"{today_iso()}T09:00:00+07:00",
            "endsAt": f"{today_iso()}T08:00:00+07:00",
            "facilitator": "Tim",
            "capacity": 0,
            "onlineUrl": "javascript:alert(1)",
        },
        "manager",
    )
    assert set(codes(nowhere)) == {"INVALID_URL"}
    nowhere = await world.mutate(
        "CreateSession",
        {
            "programId": program,
            "title": "Sesi tanpa tempat",
            "startsAt": f"{today_iso()}T09:00:00+07:00",
            "endsAt": f"{today_iso()}T08:00:00+07:00",
            "facilitator": "Tim",
            "capacity": 0,
        },
        "manager",
    )
    assert set(codes(nowhere)) == {"INVALID_RANGE", "REQUIRED", "INVALID_VALUE"}
    # inviting five people into three seats is refused as a whole
    full = await world.mutate(
        "InviteUnit",
        {"sessionId": session, "unitId": world.gid("Unor", world.units["head"])},
        "manager",
    )
    assert codes(full) == ["CAPACITY_EXCEEDED"]
    bad_id = await world.mutate("InviteUnit", {"sessionId": "nonsense", "unitId": "x"}, "manager")
    assert codes(bad_id) == ["INVALID_ID"]


async def test_visibility_per_role(world: World) -> None:
    # given a DINKES program whose session invited the puskesmas and checked in one nurse
    program, session = await program_with_session(world)
    await world.mutate(
        "InviteUnit",
        {"sessionId": session, "unitId": world.gid("Unor", world.units["pkm"])},
        "manager",
    )
    await world.mutate(
        "CheckIn", {"sessionId": session, "employeeIds": [world.person_id("perawat1")]}, "manager"
    )

    # programs: managers and BKPSDM all; the DINKES admin (targeted); invited staff; no one else
    expected = {
        "manager": 1,
        "bkpsdm": 1,
        "admin_dinkes": 1,
        "admin_bapenda": 0,
        "perawat2": 1,
        "kadis": 0,
        "bapenda1": 0,
    }
    for who, count in expected.items():
        listed = (await world.data("Programs", {"first": 10}, who))["programs"]
        assert listed["totalCount"] == count, who
        node = (await world.data("AdoptionNode", {"id": program}, who))["node"]
        assert (node is not None) == bool(count), who

    # participants: managers everyone, the OPD admin their OPD, staff only themselves
    seen = {
        "manager": 4,
        "bkpsdm": 4,
        "admin_dinkes": 4,
        "perawat1": 1,
        "perawat2": 1,
    }
    for who, count in seen.items():
        node = (await world.data("SessionById", {"id": session, "first": 50}, who))["node"]
        assert node["participants"]["totalCount"] == count, who
        assert (node["feedback"] is not None) == (who in ("manager", "bkpsdm")), who
    for who in ("admin_bapenda", "kadis", "bapenda1"):
        assert (await world.data("SessionById", {"id": session, "first": 5}, who))["node"] is None

    # my invitations: one's own only
    mine = (await world.data("MyInvitations", {"first": 10}, "perawat1"))["myInvitations"]
    assert mine["totalCount"] == 1
    edge = mine["edges"][0]["node"]
    assert edge["attended"] is True
    assert edge["employee"]["id"] == world.person_id("perawat1")
    none = (await world.data("MyInvitations", {"first": 10}, "bapenda1"))["myInvitations"]
    assert none["totalCount"] == 0

    # metrics: managers and BKPSDM any OPD, OPD admins their own, staff none
    dinkes, bapenda = (
        world.gid("Opd", world.opds["dinkes"]),
        world.gid("Opd", world.opds["bapenda"]),
    )
    for who in ("manager", "bkpsdm"):
        rows = (await world.data("AdoptionFunnel", {}, who))["adoptionFunnel"]["rows"]
        assert {r["opd"]["id"] for r in rows} == {dinkes, bapenda}, who
    rows = (await world.data("AdoptionFunnel", {}, "admin_dinkes"))["adoptionFunnel"]["rows"]
    assert {r["opd"]["id"] for r in rows} == {dinkes}
    assert rows[-1]["invited"] == 4
    assert rows[-1]["attended"] == 1
    for who, opd in (("admin_dinkes", bapenda), ("perawat1", None), ("kadis", dinkes)):
        body = await world.api.op("AdoptionFunnel", {"opdId": opd}, token=world.tokens[who])
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", who


async def test_metrics_are_cached_and_invalidated_by_writes(world: World) -> None:
    _, session = await program_with_session(world)
    first = (await world.data("AdoptionFunnel", {}, "manager"))["adoptionFunnel"]
    second = (await world.data("AdoptionFunnel", {}, "manager"))["adoptionFunnel"]
    assert (first["fromCache"], second["fromCache"]) == (False, True)
    assert first["rows"] == second["rows"]
    # when a write of the domain commits, then the next read is fresh and sees it
    await world.mutate(
        "InviteUnit",
        {"sessionId": session, "unitId": world.gid("Unor", world.units["bapenda"])},
        "manager",
    )
    third = (await world.data("AdoptionFunnel", {}, "manager"))["adoptionFunnel"]
    assert third["fromCache"] is False
    assert sum(r["invited"] for r in third["rows"] if r["week"] == third["rows"][-1]["week"]) == 2


async def test_cohorts_and_lagging_answer_for_managers(world: World) -> None:
    program, session = await program_with_session(world)
    await world.mutate(
        "InviteUnit",
        {"sessionId": session, "unitId": world.gid("Unor", world.units["pkm"])},
        "manager",
    )
    await world.mutate(
        "CheckIn", {"sessionId": session, "employeeIds": [world.person_id("perawat1")]}, "manager"
    )
    cohorts = (await world.data("AdoptionCohorts", {"programId": program}, "manager"))[
        "adoptionCohorts"
    ]
    (cohort,) = cohorts["cohorts"]
    assert (cohort["invited"], cohort["attended"], cohort["weeksObserved"]) == (4, 1, 0)
    assert cohort["activeByWeek"] == [0] * 8
    lagging = (await world.data("AdoptionLagging", {"week": today_iso()}, "bkpsdm"))[
        "adoptionLagging"
    ]
    assert lagging["cityMedian"] == 0.0
    assert lagging["opds"] == []
    body = await world.api.op(
        "AdoptionCohorts", {"programId": program}, token=world.tokens["perawat1"]
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_surveys_are_answered_once_while_open(world: World) -> None:
    created = await world.mutate(
        "CreateSurvey",
        {"title": "Survei denyut", "opensOn": today_iso(-1), "closesOn": today_iso(6)},
        "manager",
    )
    assert created["userErrors"] == []
    survey = created["survey"]["id"]
    assert [q["question"] for q in created["survey"]["questions"]] == [
        "COMFORT",
        "STRESS",
        "UNDERSTANDING",
    ]
    refused = await world.mutate(
        "CreateSurvey",
        {"title": "Survei", "opensOn": today_iso(), "closesOn": today_iso(1)},
        "perawat1",
    )
    assert codes(refused) == ["FORBIDDEN"]

    answer = {"surveyId": survey, "comfort": 4, "stress": 2, "understanding": 5, "comment": "Baik"}
    ok = await world.mutate("AnswerSurvey", answer, "perawat1")
    assert ok == {
        "accepted": True,
        "survey": {"id": survey, "answeredByMe": True},
        "userErrors": [],
    }
    again = await world.mutate("AnswerSurvey", answer, "perawat1")
    assert codes(again) == ["ALREADY_ANSWERED"]
    invalid = await world.mutate("AnswerSurvey", {**answer, "comfort": 0, "stress": 9}, "perawat2")
    assert codes(invalid) == ["INVALID_VALUE", "INVALID_VALUE"]
    listed = (await world.data("Surveys", {"first": 10, "openOnly": True}, "perawat2"))["surveys"]
    assert [(s["node"]["id"], s["node"]["answeredByMe"]) for s in listed["edges"]] == [
        (survey, False)
    ]
    # an admin account without an employee record cannot answer
    no_employee = await world.mutate("AnswerSurvey", answer, "manager")
    assert codes(no_employee) == ["FORBIDDEN"]

    await close_survey(survey)
    closed = await world.mutate("AnswerSurvey", answer, "perawat2")
    assert codes(closed) == ["SURVEY_CLOSED"]
