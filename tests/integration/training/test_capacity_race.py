"""Capacity under concurrency: many simultaneous enrolments never over-book a course.

Runs on SQLite (BEGIN IMMEDIATE serialises writers) and PostgreSQL (the course row is locked
with SELECT ... FOR UPDATE) alike: the suite picks the engine from PORTAL_DATABASE_URL.
"""

from __future__ import annotations

import asyncio
from typing import Any

from portal.core.auth import Role
from portal.core.ids import encode_global_id
from support.api import Api
from support.factories import PASSWORD, Factory, Person
from support.training_builders import course
from training.enums import SEAT_STATUSES
from training.tables import TrainingAssignment

SEATS = 5
CROWD = 20


async def _seats(course_id: int) -> int:
    count: int = await TrainingAssignment.count().where(
        (TrainingAssignment.course == course_id)
        & TrainingAssignment.status.is_in(sorted(SEAT_STATUSES))
    )
    return count


async def _crowd(factory: Factory, size: int) -> tuple[int, list[Person]]:
    opd = await factory.opd()
    unit = await factory.unor(opd)
    return unit, [await factory.employee(unit) for _ in range(size)]


async def test_twenty_simultaneous_enrolments_fill_exactly_five_seats(
    api: Api, factory: Factory
) -> None:
    # given a course with 5 seats and 20 logged-in employees
    course_id = await course("Coaching for Performance", capacity=SEATS)
    _, people = await _crowd(factory, CROWD)
    tokens = [await api.login(p.username, PASSWORD) for p in people]
    variables = {"input": {"courseId": encode_global_id("Course", course_id)}}

    # when all of them enrol at the same moment
    bodies = await asyncio.gather(
        *(api.op("EnrolTraining", variables, token=token) for token in tokens)
    )

    # then exactly 5 succeed and every other one is told the course is full
    payloads: list[dict[str, Any]] = [b["data"]["enrolTraining"] for b in bodies]
    assert all(not b.get("errors") for b in bodies)
    winners = [p for p in payloads if p["assignment"] is not None]
    losers = [p for p in payloads if p["assignment"] is None]
    assert len(winners) == SEATS
    assert len(losers) == CROWD - SEATS
    assert {e["code"] for p in losers for e in p["userErrors"]} == {"COURSE_FULL"}
    assert await _seats(course_id) == SEATS
    assert winners[0]["assignment"]["course"]["seatsLeft"] in range(SEATS)


async def test_the_same_person_enrolling_twice_at_once_gets_one_seat(
    api: Api, factory: Factory
) -> None:
    course_id = await course("Excel untuk ASN", capacity=SEATS)
    _, (person,) = await _crowd(factory, 1)
    token = await api.login(person.username, PASSWORD)
    variables = {"input": {"courseId": encode_global_id("Course", course_id)}}
    bodies = await asyncio.gather(
        *(api.op("EnrolTraining", variables, token=token) for _ in range(6))
    )
    codes = sorted(e["code"] for b in bodies for e in b["data"]["enrolTraining"]["userErrors"])
    assert codes == ["ALREADY_ASSIGNED"] * 5
    assert await _seats(course_id) == 1


async def test_bulk_assignment_racing_enrolments_is_all_or_nothing(
    api: Api, factory: Factory
) -> None:
    # given a course with 5 seats, a unit of 4 and 4 outsiders who enrol at the same time
    course_id = await course("Pelayanan Prima", capacity=SEATS)
    unit, staff = await _crowd(factory, 4)
    _, outsiders = await _crowd(factory, 4)
    admin = await factory.admin("admin.bkpsdm", Role.ADMIN_BKPSDM)
    admin_token = await api.login(admin, PASSWORD)
    tokens = [await api.login(p.username, PASSWORD) for p in outsiders]
    course_gid = encode_global_id("Course", course_id)

    bulk = api.op(
        "AssignTrainingToUnit",
        {
            "input": {
                "courseId": course_gid,
                "unorId": encode_global_id("Unor", unit),
                "reason": "Penugasan serentak unit",
            }
        },
        token=admin_token,
    )
    enrolments = [
        api.op("EnrolTraining", {"input": {"courseId": course_gid}}, token=t) for t in tokens
    ]
    bulk_body, *enrol_bodies = await asyncio.gather(bulk, *enrolments)

    # then the unit got all four seats or none, and the course is never over-booked
    report = bulk_body["data"]["assignTrainingToUnit"]
    enrolled = sum(1 for b in enrol_bodies if b["data"]["enrolTraining"]["assignment"])
    unit_ids = [p.id for p in staff]
    unit_seats: int = await TrainingAssignment.count().where(
        (TrainingAssignment.course == course_id) & TrainingAssignment.employee.is_in(unit_ids)
    )
    if report["applied"]:
        assert (report["created"], unit_seats) == (4, 4)
        assert enrolled == 1
    else:
        assert [e["code"] for e in report["userErrors"]] == ["COURSE_FULL"]
        assert unit_seats == 0
        assert enrolled == 4
    assert await _seats(course_id) <= SEATS
