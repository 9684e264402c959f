"""The reads behind recommendations: few statements, the same answers as the per-course readers.

Runs on SQLite and PostgreSQL alike (the suite picks the engine from PORTAL_DATABASE_URL).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from portal.core import clock, response_cache
from portal.core.db import count_queries
from portal.core.store import MemoryStore
from portal.people.services import directory as people
from portal.performance.enums import Aspect, BerAkhlak, RhkKind
from support import performance_factory as pf
from support.factories import Factory, Person
from support.training_builders import competency, course
from training.enums import CourseStatus
from training.recommend import Catalogue
from training.services import catalogue, signals
from training.services import recommendations as service
from training.tables import (
    Course,
    CourseCompetency,
    CourseRating,
    RecommendationDismissal,
    TrainingAssignment,
)

TODAY = clock.today()


async def _people(factory: Factory, n: int) -> list[Person]:
    opd = await factory.opd()
    unit = await factory.unor(opd)
    return [await factory.employee(unit) for _ in range(n)]


async def _assign(
    employee: Person, course_id: int, status: str, year: int = TODAY.year, rating: int | None = None
) -> None:
    inserted = await TrainingAssignment.insert(
        TrainingAssignment(
            employee=employee.id, course=course_id, origin="ASSIGNED", status=status, year=year
        )
    )
    if rating is not None:
        await CourseRating.insert(
            CourseRating(
                assignment=inserted[0]["id"],
                course=course_id,
                employee=employee.id,
                rating=rating,
            )
        )


async def _catalogue_ids(on: date) -> list[int]:
    return [c.id for c in (await service.load_catalogue(on)).courses]


async def test_the_catalogue_facts_agree_with_the_per_course_readers(factory: Factory) -> None:
    assert await catalogue.published_catalogue(TODAY) == []  # no course: nothing, no error
    # given courses with and without competencies, ratings, participants and capacity, one
    # with a capacity that is over, and a draft
    a, b, c = await _people(factory, 3)
    teamwork = await competency("KOLAB", "Kerja Sama", berakhlak=(BerAkhlak.KOLABORATIF,))
    vaccine = await competency("IMUN", "Imunisasi", themes=("vaksin",))
    capped = await course("Terbatas", capacity=5, competency_ids=(teamwork, vaccine))
    open_ = await course("Terbuka", competency_ids=(vaccine,))
    bare = await course("Tanpa kompetensi", capacity=3)
    over = await course("Selesai", capacity=4, ends_on=TODAY - timedelta(days=1))
    await course("Draf", capacity=2, status=CourseStatus.DRAFT)
    await _assign(a, capped, "COMPLETED", rating=5)
    await _assign(b, capped, "COMPLETED", rating=2)
    await _assign(c, capped, "CANCELLED")
    await _assign(c, open_, "ENROLLED")
    await _assign(a, open_, "COMPLETED", rating=4)
    await _assign(b, over, "COMPLETED", rating=3)
    ids = [capped, open_, bare, over]

    # when the published catalogue is read with its facts in one statement
    with count_queries() as counter:
        published = await catalogue.published_catalogue(TODAY)

    # then it holds the published courses by id, with what the dataloaders' readers say, and
    # seats only where a capacity is set and the course is not over
    assert counter[0] == 1
    assert [row.id for row, _ in published] == ids
    facts = [f for _, f in published]
    assert [f.competencies for f in facts] == await catalogue.competencies_by_course(ids)
    assert [f.rating for f in facts] == await catalogue.rating_summaries(ids)
    assert [f.rating.average for f in facts] == [3.5, 4.0, None, 3.0]
    seats = await catalogue.seats_taken(ids)
    assert [f.seats_taken for f in facts] == [seats[0], None, seats[2], None] == [2, None, 0, None]


async def test_the_catalogue_holds_only_courses_open_with_a_seat_left(factory: Factory) -> None:
    (a,) = await _people(factory, 1)
    open_ = await course("Terbuka")
    seats_left = await course("Sisa kursi", capacity=2)
    full = await course("Penuh", capacity=1)
    await course("Draf", status=CourseStatus.DRAFT)
    await course("Belum dibuka", enrolment_opens=TODAY + timedelta(days=3))
    await course("Sudah ditutup", enrolment_closes=TODAY - timedelta(days=1))
    await course("Selesai", ends_on=TODAY - timedelta(days=1))
    await _assign(a, full, "ENROLLED")
    await _assign(a, seats_left, "COMPLETED")

    found = {c.id: c for c in (await service.load_catalogue(TODAY)).courses}

    assert sorted(found) == [open_, seats_left]
    assert (found[open_].seats_left, found[seats_left].seats_left) == (None, 1)
    # and a course closing after today is there until its last day
    await Course.update({Course.enrolment_closes: TODAY}).where(Course.id == full)
    await TrainingAssignment.delete().where(TrainingAssignment.course == full)
    assert await _catalogue_ids(TODAY) == [open_, seats_left, full]
    assert full not in await _catalogue_ids(TODAY + timedelta(days=1))


async def test_own_courses_agree_with_the_ledger(factory: Factory) -> None:
    # given completed, planned, cancelled and last year's courses, and a dismissed one
    a, b, c = await _people(factory, 3)
    done, planned, cancelled, old, declined = [
        await course(title, jp=jp)
        for title, jp in (
            ("Selesai", 8),
            ("Rencana", 4),
            ("Batal", 6),
            ("Tahun lalu", 10),
            ("Ditolak", 2),
        )
    ]
    await _assign(a, done, "COMPLETED")
    await _assign(a, planned, "ENROLLED")
    await _assign(a, cancelled, "CANCELLED")
    await _assign(a, old, "COMPLETED", year=TODAY.year - 1)
    await RecommendationDismissal.insert(
        RecommendationDismissal(employee=a.id, course=declined, reason="Tidak relevan"),
        RecommendationDismissal(employee=b.id, course=done, reason="Sudah pernah"),
    )

    # when they are read in one statement
    with count_queries() as counter:
        own = await signals.read_own_courses([a.id, b.id, c.id], TODAY.year)

    # then the JP totals are the ledger's and taken/dismissed courses are listed per employee
    assert counter[0] == 1
    ledger = await signals.read_ledger_entries([a.id], TODAY.year)
    assert (own[a.id].jp_completed, own[a.id].jp_planned) == signals.jp_totals(ledger[a.id])
    assert (own[a.id].jp_completed, own[a.id].jp_planned) == (8, 4)
    assert own[a.id].taken_course_ids == {done, planned, old}
    assert own[a.id].dismissed_course_ids == {declined}
    assert (own[b.id].taken_course_ids, own[b.id].dismissed_course_ids) == (set(), {done})
    assert c.id not in own


async def _statements(employees: Sequence[Person]) -> int:
    rows = [e for e in await people.employees_by_ids([e.id for e in employees]) if e]
    with count_queries() as counter:
        await service.recommendations_for(rows, TODAY, limit=5)
    return counter[0]


async def test_recommendations_cost_a_fixed_number_of_statements(factory: Factory) -> None:
    # given employees with an approved SKP of this year and an open catalogue
    crowd = await _people(factory, 3)
    year = await pf.year(TODAY.year)
    for person in crowd:
        await pf.approved_skp(person, None, year.annual, [(RhkKind.UTAMA, 100.0, Aspect.KUANTITAS)])
    vaccine = await competency("IMUN", "Imunisasi", themes=("vaksin",))
    for i in range(3):
        await course(f"Kursus {i}", capacity=10, competency_ids=(vaccine,))

    # then one employee costs 9 statements: mentoring alerts, the catalogue (1), the latest
    # evaluations, the SKP indicators with their progress (5), own courses with the peers (1);
    # and as many for the three
    assert await _statements(crowd[:1]) == 9
    assert await _statements(crowd) == 9


async def test_a_worker_keeps_the_catalogue_until_a_write_moves_the_data_version(
    factory: Factory,
) -> None:
    # given a store this process moves the data versions of, and a catalogue read through it
    store = MemoryStore()
    response_cache.register(store)
    try:
        a, b = await _people(factory, 2)
        vaccine = await competency("IMUN", "Imunisasi", themes=("vaksin",))
        capped = await course("Terbatas", capacity=2, competency_ids=(vaccine,))
        open_ = await course("Terbuka")
        first = await service.load_catalogue(TODAY, store=store)

        # when it is read again with no write in between, it costs no statement
        with count_queries() as counter:
            again = await service.load_catalogue(TODAY, store=store)
        assert counter[0] == 0
        assert again is first

        # then after every kind of write the catalogue reads (a seat taken, a rating, a course
        # published, a competency linked, the last seat taken: the course drops out) the kept
        # catalogue is the one read afresh
        async def publish() -> None:
            await course("Baru", competency_ids=(vaccine,))

        async def link() -> None:
            await CourseCompetency.insert(CourseCompetency(course=open_, competency=vaccine))

        writes = (
            lambda: _assign(a, capped, "ENROLLED"),
            lambda: _assign(a, open_, "COMPLETED", rating=2),
            publish,
            link,
            lambda: _assign(b, capped, "ENROLLED"),
        )
        seen = [_summary(first)]
        for write in writes:
            await write()
            kept = await service.load_catalogue(TODAY, store=store)
            fresh = await service.load_catalogue(TODAY)
            assert kept.courses == fresh.courses
            seen.append(_summary(kept))
        # (each write changed what the catalogue holds: none of them was missed by luck)
        assert len(set(seen)) == len(seen)
        assert capped not in {c.id for c in fresh.courses}  # full
    finally:
        response_cache.unregister(store)
        await store.close()


def _summary(catalogue_: Catalogue) -> tuple[tuple[object, ...], ...]:
    return tuple(
        (c.id, c.seats_left, c.rating_average, c.rating_count, tuple(sorted(c.competencies)))
        for c in catalogue_.courses
    )
