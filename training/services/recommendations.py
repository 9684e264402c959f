"""Recommendations: the catalogue as the ranking sees it, ranked lists, accept and dismiss.

Signal readers are in :mod:`training.services.signals`; the ranking is pure in
:mod:`training.recommend`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from portal.core import audit, clock, response_cache
from portal.core.auth import Viewer
from portal.core.db import is_unique_violation, one_connection, row_columns, transaction
from portal.core.errors import DomainError
from portal.core.store import Store
from portal.people import visibility
from portal.people.rows import EmployeeRow
from portal.people.services import directory as people
from portal.performance.enums import BerAkhlak
from training import policy, recommend
from training.enums import AssignmentOrigin, CompetencyKind, CourseForm, CourseMode
from training.recommend import Catalogue, CatalogueCourse, Recommendation
from training.rows import AssignmentRow, CourseRow, DismissalRow
from training.services import assignments, booking, catalogue, signals
from training.tables import RecommendationDismissal

MAX_RECOMMENDATIONS = 50

CoursesRead = Callable[[Sequence[CourseRow]], None]
"""Told the published courses the catalogue read (a request primes its course loader)."""


def _bookable(course: CourseRow, today: date) -> bool:
    """Open for enrolment and not over (seats aside): the courses recommendations consider."""
    return course.enrolment_open(today) and (course.ends_on is None or course.ends_on >= today)


@dataclass(frozen=True, slots=True)
class _Kept:
    """The catalogue one worker computed, and when and at which data version."""

    key: tuple[date, str]
    at: float
    courses: Sequence[CourseRow]
    catalogue: Catalogue


_kept: _Kept | None = None
KEEP_SECONDS = 300
"""At most this long, whatever the versions say (bounds a bump lost in a store outage)."""


async def load_catalogue(
    today: date, courses_read: CoursesRead | None = None, store: Store | None = None
) -> Catalogue:
    """The published catalogue as the ranking sees it (one query, or none).

    Courses closed for enrolment on ``today`` are dropped (the ranking never shows them);
    seats are counted only where a capacity makes them matter. ``courses_read`` is told the
    published courses read.

    With ``store``, the worker keeps the catalogue while the store's data version is the one
    it was read at (:func:`portal.core.response_cache.data_version`): every write to courses,
    competencies, ratings or assignments moves that version, and the catalogue is the same
    for every employee of the day. On the 13 000-employee city its statement aggregates the
    ratings and the seats held, 10 ms of PostgreSQL for each home screen before.
    """
    global _kept  # noqa: PLW0603 - one catalogue per worker, replaced when the data moves
    # the version carries the store's epoch: two stores (or one emptied) never share one
    version = await response_cache.data_version(store) if store is not None else None
    kept = _kept
    if (
        version is None
        or kept is None
        or kept.key != (today, version)
        or time.monotonic() - kept.at > KEEP_SECONDS
    ):
        courses, catalogue_ = await _read_catalogue(today)
        kept = _Kept((today, version or ""), time.monotonic(), courses, catalogue_)
        if version is not None:
            _kept = kept
    if courses_read is not None:
        courses_read(kept.courses)
    return kept.catalogue


async def _read_catalogue(today: date) -> tuple[list[CourseRow], Catalogue]:
    """The published courses and the ranking's catalogue of ``today`` (one query)."""
    published = await catalogue.published_catalogue(today)
    known = {v.value: v for v in BerAkhlak}
    items = []
    for course, fact in published:
        if not _bookable(course, today):
            continue
        comps = fact.competencies
        seats_left = None
        if course.capacity is not None:
            seats_left = max(0, course.capacity - (fact.seats_taken or 0))
        items.append(
            CatalogueCourse(
                id=course.id,
                title=course.title,
                mode=CourseMode(course.mode),
                form=CourseForm(course.form),
                jp_hours=course.jp_hours,
                berakhlak=frozenset(known[v] for c in comps for v in c.berakhlak if v in known),
                competencies={c.code: frozenset(t.casefold() for t in c.themes) for c in comps},
                teknis=frozenset(c.code for c in comps if c.kind == CompetencyKind.TEKNIS),
                competency_kinds=frozenset(CompetencyKind(c.kind) for c in comps),
                rating_average=fact.rating.average,
                rating_count=fact.rating.count,
                seats_left=seats_left,
                open_for_enrolment=True,
            )
        )
    return [course for course, _ in published], Catalogue(items)


async def recommendations_for(
    employees: Sequence[EmployeeRow],
    today: date,
    *,
    limit: int = recommend.DEFAULT_LIMIT,
    catalogue_: Catalogue | None = None,
    performance: signals.PerformanceReader | None = None,
    courses_read: CoursesRead | None = None,
    mentoring: signals.MentoringReader | None = None,
    store: Store | None = None,
) -> dict[int, list[Recommendation]]:
    """Recommendations of many employees (no scoping: jobs, benchmarks).

    ``performance``: where the indicator gaps read the SKPs (a request's loaders);
    ``courses_read`` and ``store``: see :func:`load_catalogue`; ``mentoring``: who has an open
    alert (default: the mentoring facts).
    """
    # Read first and on its own: a failing mentoring read is tolerated, which a PostgreSQL
    # transaction would not survive (every later statement of it would fail).
    ids = [e.id for e in employees]
    alerts = await signals.read_mentoring_alerts(ids, mentoring)
    # Also before the block: a request's loaders batch in tasks of their own, each taking a
    # pooled connection, so reading through them while holding one made a pool full of such
    # requests wait on itself until the time limit (EmployeeHome at 15 concurrent requests).
    indicators = await signals.read_indicator_gaps(ids, today, performance)
    async with one_connection():
        cat = catalogue_ or await load_catalogue(today, courses_read, store)
        found = await signals.signals_for(employees, today, alerts=alerts, indicators=indicators)
    return {e.id: recommend.rank(found[e.id], cat, limit) for e in employees}


async def recommendations(
    viewer: Viewer,
    employee_id: int | None,
    *,
    limit: int = recommend.DEFAULT_LIMIT,
    today: date | None = None,
    performance: signals.PerformanceReader | None = None,
    courses_read: CoursesRead | None = None,
    mentoring: signals.MentoringReader | None = None,
    store: Store | None = None,
) -> list[Recommendation]:
    """Ranked, explained recommendations of an employee (default: the viewer) in scope.

    ``performance``, ``courses_read``, ``mentoring`` and ``store``: see
    :func:`recommendations_for`.
    """
    if not 1 <= limit <= MAX_RECOMMENDATIONS:
        raise DomainError.single("INVALID_VALUE", f"limit harus 1-{MAX_RECOMMENDATIONS}", "limit")
    target = employee_id if employee_id is not None else policy.own_employee_id(viewer)
    employee = await visibility.readable_employee(viewer, target, "Employee", "employeeId")
    found = await recommendations_for(
        [employee],
        today or clock.today(),
        limit=limit,
        performance=performance,
        courses_read=courses_read,
        mentoring=mentoring,
        store=store,
    )
    return found[employee.id]


async def accept_recommendation(
    viewer: Viewer, course_id: int, today: date | None = None
) -> AssignmentRow:
    """The employee accepts a recommended course: it becomes an assignment (ENROLLED).

    The assignment's reason records the explanations shown, so the choice stays explained.
    """
    on = today or clock.today()
    employee = await people.get_employee(policy.own_employee_id(viewer))
    found = await recommendations_for([employee], on, limit=MAX_RECOMMENDATIONS)
    chosen = next((r for r in found[employee.id] if r.course_id == course_id), None)
    reason = (
        "; ".join(r.explanation for r in chosen.reasons)
        if chosen
        else "Dipilih dari rekomendasi pelatihan"
    )
    return await booking.self_enrol(
        viewer,
        course_id,
        origin=AssignmentOrigin.RECOMMENDATION,
        reason=reason[: assignments.MAX_REASON],
        today=on,
    )


_DISMISSAL_COLUMNS = row_columns(RecommendationDismissal, DismissalRow)


async def dismiss_recommendation(viewer: Viewer, course_id: int, reason: str) -> DismissalRow:
    """The employee declines a recommended course with a reason; it is not recommended again."""
    employee_id = policy.own_employee_id(viewer)
    await catalogue.get_course(viewer, course_id)
    text = reason.strip()
    if not 3 <= len(text) <= 500:  # noqa: PLR2004
        raise DomainError.single("INVALID_LENGTH", "Alasan 3-500 karakter", "reason")
    where = (RecommendationDismissal.employee == employee_id) & (
        RecommendationDismissal.course == course_id
    )
    async with transaction():
        if await RecommendationDismissal.exists().where(where):
            await RecommendationDismissal.update({RecommendationDismissal.reason: text}).where(
                where
            )
        else:
            try:
                await RecommendationDismissal.insert(
                    RecommendationDismissal(employee=employee_id, course=course_id, reason=text)
                )
            except Exception as exc:
                if not is_unique_violation(exc):
                    raise
                raise DomainError.single(
                    "ALREADY_DISMISSED", "Rekomendasi ini sudah diabaikan", "courseId"
                ) from exc
        await audit.record(
            account_id=viewer.account_id,
            action="RECOMMENDATION_DISMISSED",
            entity_type="Course",
            entity_id=course_id,
            after={"employee_id": employee_id, "reason": text},
        )
    rows = await RecommendationDismissal.select(*_DISMISSAL_COLUMNS).where(where)
    return DismissalRow(**rows[0])
