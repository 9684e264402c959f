"""The training module through GraphQL: catalogue, assignments, ledger, recommendations, scoping."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from portal.accounts.tables import UserAccount
from portal.core import clock
from portal.core.db import count_queries
from portal.mentoring.tables import MentoringAlert
from portal.notifications.tables import Notification
from portal.performance.enums import Aspect, BerAkhlak, Predikat, Rating, RhkKind
from portal.performance.tables import EvaluationBehaviour, Indicator, Rhk
from support import performance_factory as pf
from support.api import Api
from support.factories import Factory
from support.training_builders import (
    TrainingWorld,
    build_world,
    codes,
    competency,
    course,
    gid,
    login,
)
from training.enums import CompetencyKind, CourseForm, CourseMode, CourseStatus
from training.tables import TrainingAssignment

TODAY = clock.today()


@pytest.fixture
async def world(api: Api, factory: Factory) -> TrainingWorld:
    return await build_world(api, factory)


async def assign(
    api: Api, world: TrainingWorld, who: str, employee: str, course_id: int, **extra: Any
) -> dict[str, Any]:
    data = await api.data(
        "AssignTraining",
        {
            "input": {
                "employeeId": gid("Employee", world.people[employee].id),
                "courseId": gid("Course", course_id),
                "reason": "Penguatan kompetensi pelayanan",
                **extra,
            }
        },
        token=world.token(who),
    )
    payload: dict[str, Any] = data["assignTraining"]
    return payload


async def enrol(api: Api, token: str, course_id: int) -> dict[str, Any]:
    data = await api.data(
        "EnrolTraining", {"input": {"courseId": gid("Course", course_id)}}, token=token
    )
    payload: dict[str, Any] = data["enrolTraining"]
    return payload


async def complete(
    api: Api, token: str, assignment_id: str, on: date = TODAY, **extra: Any
) -> dict[str, Any]:
    data = await api.data(
        "CompleteTraining",
        {"input": {"assignmentId": assignment_id, "completedOn": on.isoformat(), **extra}},
        token=token,
    )
    payload: dict[str, Any] = data["completeTraining"]
    return payload


# --- catalogue -----------------------------------------------------------------------------


COURSE_INPUT = {
    "title": "Pelayanan Prima",
    "provider": "BPSDM Provinsi Banten",
    "mode": "KLASIKAL",
    "form": "DIKLAT",
    "jpHours": 24,
    "scheduleKind": "SESSIONS",
    "startsOn": "2026-08-03",
    "endsOn": "2026-08-05",
    "capacity": 30,
    "sessions": [
        {
            "startsAt": "2026-08-03T01:00:00Z",
            "endsAt": "2026-08-03T08:00:00Z",
            "topic": "Standar pelayanan publik",
            "location": "Serang",
        }
    ],
}


async def test_bkpsdm_runs_the_catalogue_and_drafts_stay_hidden(
    api: Api, world: TrainingWorld
) -> None:
    # given a competency
    service = await competency(
        "PELAYANAN", "Pelayanan Publik", berakhlak=(BerAkhlak.BERORIENTASI_PELAYANAN,)
    )
    admin = world.token("admin_bkpsdm")
    # when BKPSDM creates a course
    created = (
        await api.data(
            "CreateCourse",
            {"input": {**COURSE_INPUT, "competencyIds": [gid("Competency", service)]}},
            token=admin,
        )
    )["createCourse"]
    # then it is a DRAFT with its competency and session
    assert created["userErrors"] == []
    course_gid = created["course"]["id"]
    assert created["course"]["status"] == "DRAFT"
    assert [c["name"] for c in created["course"]["competencies"]] == ["Pelayanan Publik"]
    assert created["course"]["sessions"][0]["topic"] == "Standar pelayanan publik"

    # and an employee sees neither the list entry nor the node
    listing = (await api.data("Courses", {"first": 10}, token=world.token("staff1")))["courses"]
    assert listing["totalCount"] == 0
    node = await api.data("TrainingNode", {"id": course_gid}, token=world.token("staff1"))
    assert node["node"] is None
    # while an admin of an OPD does
    admin_view = await api.data("Courses", {"first": 10}, token=world.token("admin_dinkes"))
    assert admin_view["courses"]["totalCount"] == 1

    # when published, everyone sees it
    published = (
        await api.data(
            "SetCourseStatus",
            {"input": {"courseId": course_gid, "status": "PUBLISHED"}},
            token=admin,
        )
    )["setCourseStatus"]
    assert published["course"]["status"] == "PUBLISHED"
    listing = (await api.data("Courses", {"first": 10}, token=world.token("staff1")))["courses"]
    node = listing["edges"][0]["node"]
    assert node["title"] == "Pelayanan Prima"
    assert (node["capacity"], node["seatsTaken"], node["seatsLeft"]) == (30, 0, 30)
    assert node["competencies"][0]["berakhlak"] == ["BERORIENTASI_PELAYANAN"]

    # and an impossible transition is refused
    again = (
        await api.data(
            "SetCourseStatus", {"input": {"courseId": course_gid, "status": "DRAFT"}}, token=admin
        )
    )["setCourseStatus"]
    assert codes(again) == ["INVALID_STATE"]


async def test_only_bkpsdm_may_write_the_catalogue(api: Api, world: TrainingWorld) -> None:
    for who in ("staff1", "boss", "admin_dinkes"):
        body = await api.op("CreateCourse", {"input": COURSE_INPUT}, token=world.token(who))
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"form": "E_LEARNING"}, "INVALID_FORM", "form"),
        ({"jpHours": 0}, "INVALID_JP", "jpHours"),
        ({"endsOn": "2026-08-01"}, "INVALID_DATES", "endsOn"),
        ({"capacity": 0}, "INVALID_CAPACITY", "capacity"),
        ({"title": "x"}, "INVALID_LENGTH", "title"),
        ({"scheduleKind": "SELF_PACED"}, "INVALID_SCHEDULE", "sessions"),
        ({"competencyIds": [gid("Competency", 999)]}, "NOT_FOUND", "competencyIds"),
    ],
)
async def test_course_validation(
    api: Api, world: TrainingWorld, change: dict[str, Any], code: str, field: str
) -> None:
    body = await api.data(
        "CreateCourse", {"input": {**COURSE_INPUT, **change}}, token=world.token("admin_bkpsdm")
    )
    errors = body["createCourse"]["userErrors"]
    assert (errors[0]["code"], ".".join(errors[0]["path"] or ()) or None) == (code, field)
    assert body["createCourse"]["course"] is None


async def test_update_is_a_patch_and_capacity_never_drops_below_seats_taken(
    api: Api, world: TrainingWorld
) -> None:
    course_id = await course("Excel untuk ASN", capacity=3, form=CourseForm.E_LEARNING,
                             mode=CourseMode.NONKLASIKAL)  # fmt: skip
    for who in ("staff1", "staff2"):
        assert (await enrol(api, world.token(who), course_id))["userErrors"] == []
    admin = world.token("admin_bkpsdm")
    patched = (
        await api.data(
            "UpdateCourse",
            {"input": {"courseId": gid("Course", course_id), "jpHours": 6, "description": "Dasar"}},
            token=admin,
        )
    )["updateCourse"]
    assert patched["userErrors"] == []
    assert (patched["course"]["jpHours"], patched["course"]["title"]) == (6, "Excel untuk ASN")
    assert patched["course"]["capacity"] == 3
    too_small = (
        await api.data(
            "UpdateCourse", {"input": {"courseId": gid("Course", course_id), "capacity": 1}},
            token=admin,
        )
    )["updateCourse"]  # fmt: skip
    assert codes(too_small) == ["CAPACITY_BELOW_BOOKED"]
    unlimited = (
        await api.data(
            "UpdateCourse", {"input": {"courseId": gid("Course", course_id), "capacity": None}},
            token=admin,
        )
    )["updateCourse"]  # fmt: skip
    assert unlimited["course"]["capacity"] is None


async def test_catalogue_search_and_filters(api: Api, world: TrainingWorld) -> None:
    digital = await competency("DIGITAL", "Literasi Digital", kind=CompetencyKind.SOSIAL_KULTURAL)
    await course("Pelayanan Prima", provider="BPSDM Provinsi Banten")
    await course(
        "Literasi Digital ASN",
        provider="e-Learning LAN",
        mode=CourseMode.NONKLASIKAL,
        form=CourseForm.E_LEARNING,
        competency_ids=(digital,),
    )
    await course("Manajemen Kinerja ASN", provider="BKPSDM Tangsel")
    await course("Arsip", status=CourseStatus.ARCHIVED)
    token = world.token("staff1")

    async def titles(flt: dict[str, Any]) -> list[str]:
        data = await api.data("Courses", {"first": 10, "filter": flt}, token=token)
        return sorted(e["node"]["title"] for e in data["courses"]["edges"])

    assert await titles({"search": "lan"}) == ["Literasi Digital ASN"]  # provider match
    assert await titles({"search": "KINERJA"}) == ["Manajemen Kinerja ASN"]
    assert await titles({"mode": "NONKLASIKAL"}) == ["Literasi Digital ASN"]
    assert await titles({"form": "DIKLAT"}) == ["Manajemen Kinerja ASN", "Pelayanan Prima"]
    assert await titles({"competencyId": gid("Competency", digital)}) == ["Literasi Digital ASN"]
    assert await titles({"status": "ARCHIVED"}) == []  # not for employees
    competencies = await api.data("Competencies", {"kind": "SOSIAL_KULTURAL"}, token=token)
    assert [c["name"] for c in competencies["competencies"]] == ["Literasi Digital"]


async def test_catalogue_query_count_does_not_grow_with_the_page(
    api: Api, world: TrainingWorld
) -> None:
    skill = await competency("SKILL", "Keterampilan")
    counts = []
    for n in (2, 12):
        for i in range(n):
            await course(f"Kursus {n}-{i}", capacity=10, competency_ids=(skill,))
        with count_queries() as counter:
            await api.data("Courses", {"first": 100}, token=world.token("staff1"))
        counts.append(counter[0])
    assert counts[0] == counts[1]


async def test_assignment_and_recommendation_query_counts_do_not_grow(
    api: Api, world: TrainingWorld
) -> None:
    staff1 = world.people["staff1"].id
    counts = []
    for n in (2, 10):
        for i in range(n):
            await _completed(staff1, await course(f"Selesai {n}-{i}", jp=1), TODAY.year)
            await course(f"Terbuka {n}-{i}", jp=1)
        with count_queries() as counter:
            listed = await api.data(
                "TrainingAssignments", {"first": 100}, token=world.token("staff1")
            )
            recs = await api.data(
                "TrainingRecommendations", {"limit": 50}, token=world.token("staff1")
            )
        assert listed["trainingAssignments"]["totalCount"] == (2 if n == 2 else 12)
        assert len(recs["trainingRecommendations"]) == (2 if n == 2 else 12)
        counts.append(counter[0])
    assert counts[0] == counts[1]


# --- assignments ---------------------------------------------------------------------------


async def test_supervisor_assigns_the_employee_is_notified_and_enrols(
    api: Api, world: TrainingWorld
) -> None:
    course_id = await course(jp=24)
    due = (TODAY + timedelta(days=30)).isoformat()
    # when the supervisor assigns
    payload = await assign(api, world, "boss", "staff1", course_id, dueOn=due)
    # then an ASSIGNED assignment exists with the reason and due date
    assert payload["userErrors"] == []
    assignment = payload["assignment"]
    assert (assignment["status"], assignment["origin"]) == ("ASSIGNED", "ASSIGNED")
    assert assignment["dueOn"] == due
    assert assignment["reason"] == "Penguatan kompetensi pelayanan"
    # and the employee got a notification
    account = await UserAccount.select(UserAccount.id).where(
        UserAccount.employee == world.people["staff1"].id
    )
    notes = await Notification.select(Notification.kind, Notification.title).where(
        Notification.account == account[0]["id"]
    )
    assert [n["kind"] for n in notes] == ["TRAINING_ASSIGNED"]
    assert "Pelayanan Prima" in notes[0]["title"]
    # when assigned twice, then refused
    assert codes(await assign(api, world, "boss", "staff1", course_id)) == ["ALREADY_ASSIGNED"]
    # when the employee confirms, then ENROLLED
    data = await api.data(
        "EnrolTraining", {"input": {"assignmentId": assignment["id"]}}, token=world.token("staff1")
    )
    assert data["enrolTraining"]["assignment"]["status"] == "ENROLLED"
    # and confirming again is a clean state error
    again = await api.data(
        "EnrolTraining", {"input": {"assignmentId": assignment["id"]}}, token=world.token("staff1")
    )
    assert codes(again["enrolTraining"]) == ["INVALID_STATE"]


@pytest.mark.parametrize(
    ("who", "target", "allowed"),
    [
        ("boss", "staff1", True),
        ("top", "staff1", True),  # indirect supervisor
        ("admin_dinkes", "staff1", True),
        ("admin_bkpsdm", "other", True),
        ("staff2", "staff1", False),  # a peer
        ("staff1", "staff1", False),  # oneself: self-enrol instead
        ("admin_dinkes", "other", False),  # another OPD
        ("boss", "top", False),  # upward
    ],
)
async def test_who_may_assign(
    api: Api, world: TrainingWorld, who: str, target: str, allowed: bool
) -> None:
    course_id = await course()
    payload = await assign(api, world, who, target, course_id)
    if allowed:
        assert payload["userErrors"] == []
    else:
        assert codes(payload)[0] in ("FORBIDDEN", "NOT_FOUND")
        assert payload["assignment"] is None


async def test_self_enrolment_respects_status_and_the_enrolment_window(
    api: Api, world: TrainingWorld
) -> None:
    token = world.token("staff1")
    open_course = await course("Terbuka")
    draft = await course("Draf", status=CourseStatus.DRAFT)
    closed = await course("Ditutup", status=CourseStatus.CLOSED)
    later = await course("Nanti", enrolment_opens=TODAY + timedelta(days=3))
    past = await course(
        "Lewat",
        enrolment_opens=TODAY - timedelta(days=30),
        enrolment_closes=TODAY - timedelta(days=1),
    )
    enrolled = await enrol(api, token, open_course)
    assert enrolled["assignment"]["status"] == "ENROLLED"
    assert enrolled["assignment"]["origin"] == "SELF_ENROLLED"
    assert codes(await enrol(api, token, draft)) == ["NOT_FOUND"]
    assert codes(await enrol(api, token, closed)) == ["COURSE_NOT_OPEN"]
    assert codes(await enrol(api, token, later)) == ["ENROLMENT_CLOSED"]
    assert codes(await enrol(api, token, past)) == ["ENROLMENT_CLOSED"]
    assert codes(await enrol(api, token, open_course)) == ["ALREADY_ASSIGNED"]
    both = await api.data(
        "EnrolTraining",
        {
            "input": {
                "courseId": gid("Course", open_course),
                "assignmentId": gid("TrainingAssignment", 1),
            }
        },
        token=token,
    )  # fmt: skip
    assert codes(both["enrolTraining"]) == ["INVALID_INPUT"]


async def test_completion_rating_and_their_rules(api: Api, world: TrainingWorld) -> None:
    course_id = await course("Keselamatan Pasien", jp=16)
    token = world.token("staff1")
    assignment = (await enrol(api, token, course_id))["assignment"]["id"]
    # rating before completion is refused
    early = await api.data(
        "RateCourse", {"input": {"assignmentId": assignment, "rating": 5}}, token=token
    )
    assert codes(early["rateCourse"]) == ["NOT_COMPLETED"]
    # bad completion inputs are refused all at once
    bad = await complete(
        api,
        token,
        assignment,
        TODAY + timedelta(days=1),
        score=120,
        certificateUrl="javascript:alert(1)",
    )
    assert sorted(codes(bad)) == ["INVALID_DATE", "INVALID_SCORE", "INVALID_URL"]
    # a good completion
    done = await complete(
        api, token, assignment, score=88.5, certificateUrl="https://sertifikat.example/abc"
    )
    assert done["userErrors"] == []
    got = done["assignment"]
    assert (got["status"], got["score"], got["completedOn"]) == (
        "COMPLETED",
        88.5,
        TODAY.isoformat(),
    )
    assert got["year"] == TODAY.year
    assert codes(await complete(api, token, assignment)) == ["INVALID_STATE"]
    # rating once, feeding the summary
    rated = await api.data(
        "RateCourse",
        {"input": {"assignmentId": assignment, "rating": 4, "comment": "Materi aplikatif"}},
        token=token,
    )
    assert rated["rateCourse"]["rating"]["rating"] == 4
    assert rated["rateCourse"]["assignment"]["course"]["ratingSummary"] == {
        "average": 4.0,
        "count": 1,
    }
    twice = await api.data(
        "RateCourse", {"input": {"assignmentId": assignment, "rating": 1}}, token=token
    )
    assert codes(twice["rateCourse"]) == ["ALREADY_RATED"]
    # nobody else rates it
    boss = await api.data(
        "RateCourse",
        {"input": {"assignmentId": assignment, "rating": 1}},
        token=world.token("boss"),
    )
    assert codes(boss["rateCourse"]) == ["FORBIDDEN"]
    bad_rating = await api.data(
        "RateCourse", {"input": {"assignmentId": assignment, "rating": 6}}, token=token
    )
    assert "INVALID_RATING" in codes(bad_rating["rateCourse"])


async def test_a_manager_may_record_completion_but_not_a_peer(
    api: Api, world: TrainingWorld
) -> None:
    course_id = await course()
    assignment = (await assign(api, world, "boss", "staff1", course_id))["assignment"]["id"]
    assert codes(await complete(api, world.token("staff2"), assignment)) == ["NOT_FOUND"]
    done = await complete(api, world.token("admin_dinkes"), assignment)
    assert done["assignment"]["status"] == "COMPLETED"


async def test_cancellation_rules(api: Api, world: TrainingWorld) -> None:
    assigned_course, chosen_course = await course("Ditugaskan"), await course("Dipilih")
    assigned = (await assign(api, world, "boss", "staff1", assigned_course))["assignment"]["id"]
    chosen = (await enrol(api, world.token("staff1"), chosen_course))["assignment"]["id"]

    async def cancel(token: str, assignment_id: str) -> dict[str, Any]:
        data = await api.data(
            "CancelTraining",
            {"input": {"assignmentId": assignment_id, "reason": "Bentrok dengan jadwal dinas"}},
            token=token,
        )
        payload: dict[str, Any] = data["cancelTraining"]
        return payload

    # the employee cannot drop what the supervisor assigned, but can drop their own choice
    assert codes(await cancel(world.token("staff1"), assigned)) == ["FORBIDDEN"]
    own = await cancel(world.token("staff1"), chosen)
    assert own["assignment"]["status"] == "CANCELLED"
    assert own["assignment"]["cancelReason"] == "Bentrok dengan jadwal dinas"
    # the supervisor can cancel the assigned one; a cancelled one cannot be cancelled again
    assert (await cancel(world.token("boss"), assigned))["assignment"]["status"] == "CANCELLED"
    assert codes(await cancel(world.token("boss"), assigned)) == ["INVALID_STATE"]
    # a cancelled seat is free again: the employee may enrol anew
    assert (await enrol(api, world.token("staff1"), chosen_course))["userErrors"] == []


# --- visibility ----------------------------------------------------------------------------

VISIBLE = {
    "staff1": True,
    "boss": True,
    "top": True,
    "admin_dinkes": True,
    "admin_bkpsdm": True,
    "staff2": False,
    "other": False,
}


@pytest.mark.parametrize("viewer", sorted(VISIBLE))
async def test_assignment_visibility_per_role(api: Api, world: TrainingWorld, viewer: str) -> None:
    # given staff1's assignment
    course_id = await course()
    assignment = (await assign(api, world, "boss", "staff1", course_id))["assignment"]["id"]
    token = world.token(viewer)
    # when fetched by global ID, then null outside the scope
    node = (await api.data("TrainingNode", {"id": assignment}, token=token))["node"]
    assert (node is not None) == VISIBLE[viewer]
    if node is not None:
        assert node["assignmentStatus"] == "ASSIGNED"
    # and the list of staff1's assignments is NOT_FOUND outside the scope
    body = await api.op(
        "TrainingAssignments",
        {"first": 10, "employeeId": gid("Employee", world.people["staff1"].id)},
        token=token,
    )
    if VISIBLE[viewer]:
        assert body["data"]["trainingAssignments"]["totalCount"] == 1
    else:
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # and the same for the ledger and the recommendations
    ledger = await api.op(
        "JpLedger", {"employeeId": gid("Employee", world.people["staff1"].id)}, token=token
    )
    assert (ledger.get("errors") is None) == VISIBLE[viewer]
    recs = await api.op(
        "TrainingRecommendations",
        {"employeeId": gid("Employee", world.people["staff1"].id)},
        token=token,
    )
    assert (recs.get("errors") is None) == VISIBLE[viewer]


async def test_course_participants_list_is_scoped(api: Api, world: TrainingWorld) -> None:
    course_id = await course()
    await assign(api, world, "boss", "staff1", course_id)
    await assign(api, world, "admin_bkpsdm", "other", course_id)
    await enrol(api, world.token("staff2"), course_id)

    async def names(who: str) -> list[str]:
        data = await api.data(
            "TrainingAssignments",
            {"first": 10, "courseId": gid("Course", course_id)},
            token=world.token(who),
        )
        return sorted(e["node"]["employee"]["name"] for e in data["trainingAssignments"]["edges"])

    assert await names("boss") == ["Perawat Dua", "Perawat Satu"]
    assert await names("staff1") == ["Perawat Satu"]
    assert await names("admin_dinkes") == ["Perawat Dua", "Perawat Satu"]
    assert await names("admin_bkpsdm") == ["Pegawai Bapenda", "Perawat Dua", "Perawat Satu"]
    own = await api.data("TrainingAssignments", {"first": 10}, token=world.token("staff2"))
    assert own["trainingAssignments"]["totalCount"] == 1


# --- ledger, roll-ups, at risk ---------------------------------------------------------------


async def _completed(
    employee_id: int, course_id: int, year: int, status: str = "COMPLETED"
) -> None:
    await TrainingAssignment.insert(
        TrainingAssignment(
            employee=employee_id,
            course=course_id,
            origin="ASSIGNED",
            status=status,
            completed_on=date(year, 3, 1) if status == "COMPLETED" else None,
            year=year,
        )
    )


async def test_ledger_counts_completed_and_planned_by_mode(api: Api, world: TrainingWorld) -> None:
    staff1 = world.people["staff1"].id
    klasikal = await course("Klasikal", jp=12)
    elearning = await course(
        "E-learning", jp=6, mode=CourseMode.NONKLASIKAL, form=CourseForm.E_LEARNING
    )
    planned = await course("Direncanakan", jp=4)
    cancelled = await course("Batal", jp=40)
    last_year = await course("Tahun lalu", jp=20)
    await _completed(staff1, klasikal, TODAY.year)
    await _completed(staff1, elearning, TODAY.year)
    await _completed(staff1, planned, TODAY.year, "ENROLLED")
    await _completed(staff1, cancelled, TODAY.year, "CANCELLED")
    await _completed(staff1, last_year, TODAY.year - 1)
    ledger = (await api.data("JpLedger", {}, token=world.token("staff1")))["jpLedger"]
    assert (ledger["completedJp"], ledger["plannedJp"], ledger["remainingJp"]) == (18, 4, 2)
    assert ledger["unplannedJp"] == 0
    assert not ledger["atRisk"]
    assert {m["mode"]: (m["completedJp"], m["plannedJp"]) for m in ledger["byMode"]} == {
        "KLASIKAL": (12, 4),
        "NONKLASIKAL": (6, 0),
    }
    previous = (await api.data("JpLedger", {"year": TODAY.year - 1}, token=world.token("staff1")))[
        "jpLedger"
    ]
    assert (previous["completedJp"], previous["reached"], previous["atRisk"]) == (20, True, False)
    bad_year = await api.op("JpLedger", {"year": 1990}, token=world.token("staff1"))
    assert bad_year["errors"][0]["extensions"]["code"] == "INVALID_VALUE"


async def test_rollups_and_the_at_risk_list(api: Api, world: TrainingWorld) -> None:
    big = await course("Besar", jp=20)
    small = await course("Kecil", jp=4)
    p = world.people
    await _completed(p["staff1"].id, big, TODAY.year)  # reached
    await _completed(p["staff2"].id, small, TODAY.year)  # 4 JP, nothing planned
    await _completed(p["staff3"].id, big, TODAY.year, "ASSIGNED")  # planned 20
    # top and boss have nothing at all; other (Bapenda) too

    rollup = (
        await api.data(
            "JpRollup",
            {"opdId": gid("Opd", world.opds["dinkes"])},
            token=world.token("admin_dinkes"),
        )
    )["jpRollup"]
    total = rollup["total"]
    assert total["employees"] == 5
    assert (total["reachedTwenty"], total["withoutTraining"]) == (1, 2)
    assert (total["completedJp"], total["plannedJp"]) == (24, 20)
    assert total["completedKlasikalJp"] == 24
    assert total["averageCompletedJp"] == 4.8
    by_unit = {line["unit"]["name"]: line["employees"] for line in rollup["lines"]}
    assert sorted(by_unit.values()) == [1, 1, 3]
    behind = TODAY.timetuple().tm_yday > 80
    assert total["atRisk"] == 2 + (1 if behind else 0)  # top, boss (+ staff2)

    unit = (
        await api.data(
            "JpRollup",
            {"unorId": gid("Unor", world.units["pkm"])},
            token=world.token("admin_dinkes"),
        )
    )["jpRollup"]
    assert unit["total"]["employees"] == 4  # boss, staff1, staff2 and staff3 in the sub-unit

    denied = await api.op(
        "JpRollup", {"opdId": gid("Opd", world.opds["bapenda"])}, token=world.token("admin_dinkes")
    )
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    city = await api.op("JpRollup", {}, token=world.token("admin_dinkes"))
    assert city["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    city = (await api.data("JpRollup", {}, token=world.token("admin_bkpsdm")))["jpRollup"]
    assert {line["opd"]["shortName"]: line["employees"] for line in city["lines"]} == {
        "DINKES": 5,
        "BAPENDA": 1,
    }
    staff = await api.op("JpRollup", {}, token=world.token("staff1"))
    assert staff["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    async def at_risk(who: str, **variables: Any) -> list[str]:
        data = await api.data("JpAtRisk", {"first": 50, **variables}, token=world.token(who))
        return sorted(e["node"]["employee"]["name"] for e in data["jpAtRisk"]["edges"])

    expected_dinkes = ["Kepala Dinas", "Kepala Puskesmas"] + (["Perawat Dua"] if behind else [])
    assert await at_risk("admin_dinkes") == sorted(expected_dinkes)
    assert await at_risk("admin_bkpsdm") == sorted([*expected_dinkes, "Pegawai Bapenda"])
    assert await at_risk("admin_bkpsdm", opdId=gid("Opd", world.opds["bapenda"])) == [
        "Pegawai Bapenda"
    ]
    assert await at_risk("boss") == (["Perawat Dua"] if behind else [])  # the chain below only
    assert await at_risk("staff1") == []
    # walking the list page by page
    page = (await api.data("JpAtRisk", {"first": 1}, token=world.token("admin_bkpsdm")))["jpAtRisk"]
    assert page["totalCount"] == len(expected_dinkes) + 1
    assert page["pageInfo"]["hasNextPage"]
    rest = (
        await api.data(
            "JpAtRisk",
            {"first": 50, "after": page["pageInfo"]["endCursor"]},
            token=world.token("admin_bkpsdm"),
        )
    )["jpAtRisk"]
    assert len(rest["edges"]) == len(expected_dinkes)


# --- recommendations -----------------------------------------------------------------------


async def _gaps_for_staff1(world: TrainingWorld) -> None:
    """staff1: Kolaboratif below expectation in Q1, a vaccine indicator behind pace."""
    staff1, boss = world.people["staff1"], world.people["boss"]
    year = await pf.year(TODAY.year)
    skp = await pf.approved_skp(
        staff1, boss, year.annual, [(RhkKind.UTAMA, 1000, Aspect.KUANTITAS)]
    )
    await Indicator.update(
        {
            Indicator.description: "Jumlah dosis vaksin yang diberikan",
            Indicator.unit: "dosis vaksin",
        }
    ).where(Indicator.id == skp.indicator_ids[0])
    await Rhk.update({Rhk.description: "Terlaksananya pelayanan imunisasi"}).where(
        Rhk.skp == skp.skp_id
    )
    await pf.verified_activity(
        staff1, year.annual, date(TODAY.year, 1, 5), 10, indicator_id=skp.indicator_ids[0]
    )
    evaluation = await pf.evaluation(staff1, boss, skp.skp_id, year.q1, Predikat.BAIK)
    await EvaluationBehaviour.update(
        {EvaluationBehaviour.rating: Rating.DI_BAWAH_EKSPEKTASI.value}
    ).where(
        (EvaluationBehaviour.evaluation == evaluation)
        & (EvaluationBehaviour.value == BerAkhlak.KOLABORATIF.value)
    )


async def test_recommendations_are_explained_accepted_and_dismissed(
    api: Api, world: TrainingWorld
) -> None:
    # given gaps, a JP shortfall and a catalogue
    await _gaps_for_staff1(world)
    teamwork = await competency("KOLAB", "Kerja Sama", kind=CompetencyKind.SOSIAL_KULTURAL,
                                berakhlak=(BerAkhlak.KOLABORATIF,))  # fmt: skip
    vaccine = await competency("IMUN", "Pengelolaan Imunisasi", themes=("imunisasi", "vaksin"))
    collab = await course("Kolaborasi Lintas Unit", jp=8, competency_ids=(teamwork,))
    immunisation = await course("Teknis Imunisasi", jp=16, competency_ids=(vaccine,))
    full = await course("Penuh", jp=20, capacity=1, competency_ids=(vaccine,))
    done = await course("Sudah", jp=6, competency_ids=(teamwork,))
    await _completed(world.people["staff2"].id, full, TODAY.year)  # takes the only seat
    await _completed(world.people["staff1"].id, done, TODAY.year)
    token = world.token("staff1")

    # when the employee asks
    recs = (await api.data("TrainingRecommendations", {}, token=token))["trainingRecommendations"]
    by_title = {r["course"]["title"]: r for r in recs}
    # then full and completed courses are left out, the rest explained
    assert set(by_title) == {"Kolaborasi Lintas Unit", "Teknis Imunisasi"}
    collab_reasons = {
        r["code"]: r["explanation"] for r in by_title["Kolaborasi Lintas Unit"]["reasons"]
    }
    q1 = f"Triwulan I {TODAY.year}"
    assert (
        collab_reasons["BEHAVIOUR_GAP"]
        == f"Perilaku Kolaboratif dinilai di bawah ekspektasi pada {q1}"
    )
    assert collab_reasons["JP_SHORTFALL"].startswith("JP tahun ini baru 6 dari 20")
    imun_reasons = {r["code"]: r["explanation"] for r in by_title["Teknis Imunisasi"]["reasons"]}
    assert imun_reasons["INDICATOR_GAP"].startswith("Target dosis vaksin tercapai 1 %")
    assert [r["score"] for r in recs] == sorted((r["score"] for r in recs), reverse=True)
    # and the supervisor sees the same list
    boss_view = (
        await api.data(
            "TrainingRecommendations",
            {"employeeId": gid("Employee", world.people["staff1"].id)},
            token=world.token("boss"),
        )
    )["trainingRecommendations"]
    assert [r["course"]["id"] for r in boss_view] == [r["course"]["id"] for r in recs]

    # when the employee accepts one, then it becomes an explained assignment
    accepted = (
        await api.data(
            "AcceptRecommendation",
            {"input": {"courseId": gid("Course", immunisation)}},
            token=token,
        )
    )["acceptRecommendation"]
    assert accepted["userErrors"] == []
    assert (accepted["assignment"]["status"], accepted["assignment"]["origin"]) == (
        "ENROLLED",
        "RECOMMENDATION",
    )
    assert "Target dosis vaksin" in accepted["assignment"]["reason"]

    # when the employee dismisses the other with a reason
    dismissed = (
        await api.data(
            "DismissRecommendation",
            {"input": {"courseId": gid("Course", collab), "reason": "Sudah ikut kegiatan serupa"}},
            token=token,
        )
    )["dismissRecommendation"]
    assert dismissed["dismissal"]["reason"] == "Sudah ikut kegiatan serupa"
    # then neither is recommended any more
    recs = (await api.data("TrainingRecommendations", {}, token=token))["trainingRecommendations"]
    assert recs == []
    # and dismissing again only updates the reason; a short reason is refused
    again = (
        await api.data(
            "DismissRecommendation",
            {"input": {"courseId": gid("Course", collab), "reason": "Tidak relevan"}},
            token=token,
        )
    )["dismissRecommendation"]
    assert again["dismissal"]["reason"] == "Tidak relevan"
    short = (
        await api.data(
            "DismissRecommendation",
            {"input": {"courseId": gid("Course", collab), "reason": "x"}},
            token=token,
        )
    )["dismissRecommendation"]
    assert codes(short) == ["INVALID_LENGTH"]


async def test_recommendation_limit_and_accepting_a_full_course(
    api: Api, world: TrainingWorld
) -> None:
    for i in range(4):
        await course(f"Kursus {i}", jp=4)
    full = await course("Penuh", jp=4, capacity=1)
    await _completed(world.people["staff2"].id, full, TODAY.year)
    token = world.token("staff1")
    recs = await api.data("TrainingRecommendations", {"limit": 2}, token=token)
    assert len(recs["trainingRecommendations"]) == 2
    too_many = await api.op("TrainingRecommendations", {"limit": 51}, token=token)
    assert too_many["errors"][0]["extensions"]["code"] == "INVALID_VALUE"
    accepted = (
        await api.data(
            "AcceptRecommendation", {"input": {"courseId": gid("Course", full)}}, token=token
        )
    )["acceptRecommendation"]
    assert codes(accepted) == ["COURSE_FULL"]


async def test_an_open_mentoring_alert_points_to_coaching(api: Api, world: TrainingWorld) -> None:
    alerts = MentoringAlert
    staff1 = world.people["staff1"].id
    coaching = await course(
        "Coaching for Performance", jp=12, mode=CourseMode.NONKLASIKAL, form=CourseForm.COACHING
    )
    await _completed(staff1, await course("Dua puluh JP", jp=20), TODAY.year)  # no JP gap
    token = world.token("staff1")
    assert (await api.data("TrainingRecommendations", {}, token=token))[
        "trainingRecommendations"
    ] == []
    inserted = await alerts.insert(
        alerts(employee=staff1, supervisor=world.people["boss"].id, status="OPEN")
    )
    try:
        recs = (await api.data("TrainingRecommendations", {}, token=token))[
            "trainingRecommendations"
        ]
        assert [r["course"]["id"] for r in recs] == [gid("Course", coaching)]
        assert [r["code"] for r in recs[0]["reasons"]] == ["MENTORING_ALERT"]
    finally:
        await alerts.delete().where(alerts.id == inserted[0]["id"])


# --- bulk assignment -----------------------------------------------------------------------


async def _assignment_count(course_id: int) -> int:
    count: int = await TrainingAssignment.count().where(TrainingAssignment.course == course_id)
    return count


async def test_unit_assignment_reports_each_person(api: Api, world: TrainingWorld) -> None:
    course_id = await course(capacity=10)
    done = world.people["staff2"].id
    await _completed(done, course_id, TODAY.year)
    await assign(api, world, "boss", "staff1", course_id)
    payload = (
        await api.data(
            "AssignTrainingToUnit",
            {
                "input": {
                    "courseId": gid("Course", course_id),
                    "unorId": gid("Unor", world.units["pkm"]),
                    "includeSubUnits": True,
                    "reason": "Program peningkatan mutu layanan puskesmas",
                }
            },
            token=world.token("admin_dinkes"),
        )
    )["assignTrainingToUnit"]
    assert payload["userErrors"] == []
    assert (payload["applied"], payload["created"], payload["skipped"]) == (True, 2, 2)
    report = {r["employee"]["name"]: (r["created"], r["reason"]) for r in payload["results"]}
    assert report == {
        "Kepala Puskesmas": (True, None),
        "Perawat Satu": (False, "Sudah terdaftar pada pelatihan ini"),
        "Perawat Dua": (False, "Sudah menyelesaikan pelatihan ini"),
        "Bidan Pustu": (True, None),
    }
    assert payload["seatsLeft"] == 10 - 4
    assert all(r["assignment"]["status"] == "ASSIGNED" for r in payload["results"] if r["created"])


async def test_unit_assignment_is_all_or_nothing_when_seats_run_out(
    api: Api, world: TrainingWorld
) -> None:
    course_id = await course(capacity=2)
    payload = (
        await api.data(
            "AssignTrainingToUnit",
            {
                "input": {
                    "courseId": gid("Course", course_id),
                    "unorId": gid("Unor", world.units["pkm"]),
                    "includeSubUnits": True,
                    "reason": "Program peningkatan mutu layanan puskesmas",
                }
            },
            token=world.token("admin_dinkes"),
        )
    )["assignTrainingToUnit"]
    assert payload["applied"] is False
    assert codes(payload) == ["COURSE_FULL"]
    assert "Kursi tersisa 2, dibutuhkan 4" in payload["userErrors"][0]["message"]
    assert payload["created"] == 0
    assert {r["reason"] for r in payload["results"]} == {"Kursi tidak mencukupi"}
    assert await _assignment_count(course_id) == 0


async def test_unit_assignment_scope_for_supervisors(api: Api, world: TrainingWorld) -> None:
    course_id = await course()
    variables = {
        "input": {
            "courseId": gid("Course", course_id),
            "unorId": gid("Unor", world.units["pkm"]),
            "reason": "Penguatan tim puskesmas",
        }
    }
    # the boss reaches subordinates in the unit, not themself
    boss = await api.data("AssignTrainingToUnit", variables, token=world.token("boss"))
    names = {r["employee"]["name"] for r in boss["assignTrainingToUnit"]["results"]}
    assert names == {"Perawat Satu", "Perawat Dua"}
    # a peer has nobody there
    peer = await api.data("AssignTrainingToUnit", variables, token=world.token("staff1"))
    assert codes(peer["assignTrainingToUnit"]) == ["FORBIDDEN"]
    # an admin of another OPD neither
    other = await api.data(
        "AssignTrainingToUnit", variables, token=await login(api, world, "other")
    )
    assert codes(other["assignTrainingToUnit"]) == ["FORBIDDEN"]
