"""The training catalogue: competencies and courses, run by ADMIN_BKPSDM.

Every logged-in user browses PUBLISHED and CLOSED courses; admins also see DRAFT and ARCHIVED
ones. Status changes are compare-and-set updates: DRAFT -> PUBLISHED -> CLOSED (-> PUBLISHED
again), anything -> ARCHIVED, ARCHIVED -> DRAFT.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from portal.core import audit
from portal.core.auth import Viewer
from portal.core.db import contains_ci, id_in, transaction
from portal.core.errors import DomainError, FieldError, NotFoundError
from portal.core.pagination import Page, PageRequest, page_of
from portal.performance.enums import BerAkhlak
from training import policy, sql
from training.enums import (
    CompetencyKind,
    CourseForm,
    CourseMode,
    CourseStatus,
    ScheduleKind,
)
from training.rows import (
    CompetencyRow,
    CourseRow,
    CourseSessionRow,
    RatingSummary,
    json_list,
)
from training.tables import (
    Competency,
    Course,
    CourseCompetency,
    CourseSession,
)

MAX_JP = 1000
MAX_CAPACITY = 100_000
MAX_SESSIONS = 60
MAX_COMPETENCIES = 12

_SESSION_COLUMNS = (
    CourseSession.id,
    CourseSession.course.as_alias("course_id"),
    CourseSession.starts_at,
    CourseSession.ends_at,
    CourseSession.topic,
    CourseSession.location,
)
_SOURCES = {
    CourseStatus.PUBLISHED: frozenset({CourseStatus.DRAFT, CourseStatus.CLOSED}),
    CourseStatus.CLOSED: frozenset({CourseStatus.PUBLISHED}),
    CourseStatus.ARCHIVED: frozenset(
        {CourseStatus.DRAFT, CourseStatus.PUBLISHED, CourseStatus.CLOSED}
    ),
    CourseStatus.DRAFT: frozenset({CourseStatus.ARCHIVED}),
}


@dataclass(frozen=True, slots=True)
class SessionData:
    """A session to schedule."""

    starts_at: datetime
    ends_at: datetime
    topic: str = ""
    location: str = ""


@dataclass(frozen=True, slots=True)
class CourseData:
    """Everything an admin enters about a course."""

    title: str
    provider: str
    mode: CourseMode
    form: CourseForm
    jp_hours: int
    schedule_kind: ScheduleKind
    description: str = ""
    location: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    enrolment_opens: date | None = None
    enrolment_closes: date | None = None
    capacity: int | None = None
    competency_ids: tuple[int, ...] = ()
    sessions: tuple[SessionData, ...] = ()


@dataclass(frozen=True, slots=True)
class CourseFilter:
    """Catalogue filters, combined with AND."""

    search: str | None = None
    mode: CourseMode | None = None
    form: CourseForm | None = None
    competency_id: int | None = None
    status: CourseStatus | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _course(r: dict[str, Any]) -> CourseRow:
    return CourseRow(**r)


def _competency(r: dict[str, Any]) -> CompetencyRow:
    return CompetencyRow(
        **{**r, "berakhlak": json_list(r["berakhlak"]), "themes": json_list(r["themes"])}
    )


# --- reads ---------------------------------------------------------------------------------


async def courses_by_ids(ids: Sequence[int]) -> list[CourseRow | None]:
    """Courses in the order of ``ids`` (dataloader batch; no visibility check)."""
    if not ids:
        return []
    rows = await sql.courses_by_ids(ids)
    by_id = {r["id"]: _course(r) for r in rows}
    return [by_id.get(i) for i in ids]


async def course_row(course_id: int, field: str = "courseId") -> CourseRow:
    """One course, whatever its status."""
    (row,) = await courses_by_ids([course_id])
    if row is None:
        raise NotFoundError("Course", field)
    return row


async def get_course(viewer: Viewer | None, course_id: int, field: str = "courseId") -> CourseRow:
    """A course the viewer may see (DRAFT/ARCHIVED only for admins); NOT_FOUND otherwise."""
    row = await course_row(course_id, field)
    if not policy.course_visible(viewer, row.status):
        raise NotFoundError("Course", field)
    return row


async def list_courses(viewer: Viewer, flt: CourseFilter, request: PageRequest) -> Page[CourseRow]:
    """The catalogue, filtered, newest first."""
    clauses: list[Any] = []
    if not policy.sees_unpublished(viewer):
        clauses.append(Course.status.is_in(sorted(policy.PUBLIC_STATUSES)))
    if flt.status is not None:
        clauses.append(Course.status == flt.status.value)
    if flt.mode is not None:
        clauses.append(Course.mode == flt.mode.value)
    if flt.form is not None:
        clauses.append(Course.form == flt.form.value)
    if flt.search:
        text = flt.search.strip()[:100]
        clauses.append(contains_ci(Course.title, text) | contains_ci(Course.provider, text))
    if flt.competency_id is not None:
        linked = await CourseCompetency.select(CourseCompetency.course).where(
            CourseCompetency.competency == flt.competency_id
        )
        clauses.append(id_in(Course.id, [r["course"] for r in linked]))
    query = Course.select(*sql.COURSE_COLUMNS).order_by(Course.id, ascending=False)
    count = Course.count()
    for clause in clauses:
        query = query.where(clause)
        count = count.where(clause)
    if request.after_pk is not None:
        query = query.where(Course.id < request.after_pk)
    rows = [_course(r) for r in await query.limit(request.first + 1)]
    return page_of(rows, request, await count)


async def list_competencies(kind: CompetencyKind | None = None) -> list[CompetencyRow]:
    """Every competency (a few dozen), by kind and name."""
    query = Competency.select(*sql.COMPETENCY_COLUMNS).order_by(Competency.kind, Competency.name)
    if kind is not None:
        query = query.where(Competency.kind == kind.value)
    return [_competency(r) for r in await query]


async def competencies_by_ids(ids: Sequence[int]) -> list[CompetencyRow | None]:
    """Competencies in the order of ``ids``."""
    if not ids:
        return []
    rows = await sql.competencies_by_ids(ids)
    by_id = {r["id"]: _competency(r) for r in rows}
    return [by_id.get(i) for i in ids]


async def competencies_by_course(course_ids: Sequence[int]) -> list[list[CompetencyRow]]:
    """Competencies of each course, by name (one join)."""
    if not course_ids:
        return []
    rows = await sql.competencies_of_courses(course_ids)
    grouped: dict[int, list[CompetencyRow]] = {}
    for r in rows:
        course_id = r.pop("link_course")
        grouped.setdefault(course_id, []).append(_competency(r))
    return [sorted(grouped.get(c, []), key=lambda x: (x.name, x.id)) for c in course_ids]


async def sessions_by_course(course_ids: Sequence[int]) -> list[list[CourseSessionRow]]:
    """Sessions of each course in time order."""
    rows = await CourseSession.select(*_SESSION_COLUMNS).where(
        id_in(CourseSession.course, course_ids)
    )
    grouped: dict[int, list[CourseSessionRow]] = {}
    for r in sorted(rows, key=lambda r: (r["starts_at"], r["id"])):
        grouped.setdefault(r["course_id"], []).append(CourseSessionRow(**r))
    return [grouped.get(c, []) for c in course_ids]


async def seats_taken(course_ids: Sequence[int]) -> list[int]:
    """Seats held (ASSIGNED, ENROLLED or COMPLETED) in each course."""
    if not course_ids:
        return []
    rows = await sql.seat_counts(course_ids)
    counts = {r["course_id"]: int(r["n"]) for r in rows}
    return [counts.get(c, 0) for c in course_ids]


def _summary(course_id: int, average: Any, count: Any) -> RatingSummary:  # noqa: ANN401 - driver values
    if not count:
        return RatingSummary(course_id, None, 0)
    return RatingSummary(course_id, round(float(average), 2), int(count))


async def rating_summaries(course_ids: Sequence[int]) -> list[RatingSummary]:
    """Average rating and count of each course."""
    if not course_ids:
        return []
    rows = await sql.rating_rows(course_ids)
    found = {r["course_id"]: _summary(r["course_id"], r["average"], r["n"]) for r in rows}
    return [found.get(c, RatingSummary(c, None, 0)) for c in course_ids]


@dataclass(frozen=True, slots=True)
class RankingFacts:
    """What recommendations read about a course beside its row."""

    competencies: list[CompetencyRow]
    rating: RatingSummary
    seats_taken: int | None  # None when not counted


async def published_catalogue(today: date) -> list[tuple[CourseRow, RankingFacts]]:
    """Every PUBLISHED course by id with its :class:`RankingFacts`, in one statement.

    Competencies come by name, as :func:`competencies_by_course` gives them; the rating as
    :func:`rating_summaries`; seats as :func:`seats_taken`, counted (else None) only for the
    courses with a capacity that are not over on ``today`` (``ends_on`` before it): the
    recommendations count those of open courses, and counting seats in courses with thousands
    of participants would cost more than everything else a recommendation reads.
    """
    # a row per competency (or one without any): the course's columns, its facts ("f_") and
    # the competency's columns ("k_")
    courses: dict[int, tuple[CourseRow, RatingSummary, int | None]] = {}
    competencies: dict[int, list[CompetencyRow]] = {}
    for r in await sql.published_catalogue(today):
        course_id = r["id"]
        if course_id not in courses:
            course = _course({k: v for k, v in r.items() if not k.startswith(("f_", "k_"))})
            counted = course.capacity is not None and (
                course.ends_on is None or course.ends_on >= today
            )
            seats = int(r["f_seats"] or 0) if counted else None
            rating = _summary(course_id, r["f_average"], r["f_ratings"])
            courses[course_id] = (course, rating, seats)
        if r["k_id"] is not None:
            competency = _competency({k[2:]: v for k, v in r.items() if k.startswith("k_")})
            competencies.setdefault(course_id, []).append(competency)
    return [
        (
            course,
            RankingFacts(
                sorted(competencies.get(course_id, []), key=lambda x: (x.name, x.id)),
                rating,
                seats,
            ),
        )
        for course_id, (course, rating, seats) in courses.items()
    ]


# --- validation ----------------------------------------------------------------------------


def _length(value: str, name: str, low: int, high: int, errors: list[FieldError]) -> str:
    value = value.strip()
    if not low <= len(value) <= high:
        errors.append(
            FieldError("INVALID_LENGTH", f"Panjang teks harus {low}-{high} karakter", name)
        )
    return value


def _check_dates(data: CourseData, errors: list[FieldError]) -> None:
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        errors.append(
            FieldError("INVALID_DATES", "Tanggal selesai sebelum tanggal mulai", "endsOn")
        )
    if (
        data.enrolment_opens
        and data.enrolment_closes
        and data.enrolment_closes < data.enrolment_opens
    ):
        errors.append(
            FieldError("INVALID_DATES", "Pendaftaran ditutup sebelum dibuka", "enrolmentCloses")
        )
    if data.enrolment_closes and data.ends_on and data.enrolment_closes > data.ends_on:
        errors.append(
            FieldError(
                "INVALID_DATES",
                "Pendaftaran harus ditutup paling lambat saat pelatihan berakhir",
                "enrolmentCloses",
            )
        )


def _check_schedule(data: CourseData, errors: list[FieldError]) -> None:
    if data.schedule_kind is ScheduleKind.SELF_PACED and data.sessions:
        errors.append(
            FieldError("INVALID_SCHEDULE", "Pelatihan mandiri tidak memiliki sesi", "sessions")
        )
    if len(data.sessions) > MAX_SESSIONS:
        errors.append(FieldError("INVALID_SCHEDULE", f"Maksimal {MAX_SESSIONS} sesi", "sessions"))
    for i, session in enumerate(data.sessions):
        if session.ends_at <= session.starts_at:
            errors.append(
                FieldError(
                    "INVALID_SCHEDULE", "Sesi harus berakhir setelah dimulai", f"sessions.{i}"
                )
            )
        if len(session.topic) > 200 or len(session.location) > 200:  # noqa: PLR2004
            errors.append(
                FieldError("INVALID_LENGTH", "Topik/lokasi maksimal 200 karakter", f"sessions.{i}")
            )


def validate(data: CourseData) -> CourseData:
    """Check a course; return it with texts trimmed.

    Raises:
        DomainError: every failed check at once.
    """
    errors: list[FieldError] = []
    title = _length(data.title, "title", 3, 200, errors)
    provider = _length(data.provider, "provider", 2, 200, errors)
    description = _length(data.description, "description", 0, 5000, errors)
    location = _length(data.location, "location", 0, 200, errors)
    if data.mode not in data.form.modes:
        errors.append(
            FieldError(
                "INVALID_FORM",
                f"Bentuk {data.form.value} tidak dapat diselenggarakan secara {data.mode.value}",
                "form",
            )
        )
    if not 1 <= data.jp_hours <= MAX_JP:
        errors.append(FieldError("INVALID_JP", f"JP harus 1-{MAX_JP}", "jpHours"))
    if data.capacity is not None and not 1 <= data.capacity <= MAX_CAPACITY:
        errors.append(
            FieldError(
                "INVALID_CAPACITY", "Kapasitas minimal 1 (kosongkan bila tanpa batas)", "capacity"
            )
        )
    if len(set(data.competency_ids)) > MAX_COMPETENCIES:
        errors.append(
            FieldError(
                "TOO_MANY_COMPETENCIES", f"Maksimal {MAX_COMPETENCIES} kompetensi", "competencyIds"
            )
        )
    _check_dates(data, errors)
    _check_schedule(data, errors)
    if errors:
        raise DomainError(*errors)
    return dataclasses.replace(
        data,
        title=title,
        provider=provider,
        description=description,
        location=location,
        competency_ids=tuple(sorted(set(data.competency_ids))),
    )


async def _check_competencies(ids: Sequence[int]) -> None:
    found = await competencies_by_ids(ids)
    if any(c is None for c in found):
        raise NotFoundError("Competency", "competencyIds")


# --- writes --------------------------------------------------------------------------------


def _values(data: CourseData) -> dict[str, Any]:
    return {
        "title": data.title,
        "provider": data.provider,
        "description": data.description,
        "location": data.location,
        "mode": data.mode.value,
        "form": data.form.value,
        "jp_hours": data.jp_hours,
        "schedule_kind": data.schedule_kind.value,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "enrolment_opens": data.enrolment_opens,
        "enrolment_closes": data.enrolment_closes,
        "capacity": data.capacity,
    }


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


async def _replace_links(course_id: int, data: CourseData) -> None:
    await CourseCompetency.delete().where(CourseCompetency.course == course_id)
    if data.competency_ids:
        await CourseCompetency.insert(
            *(CourseCompetency(course=course_id, competency=c) for c in data.competency_ids)
        )
    await CourseSession.delete().where(CourseSession.course == course_id)
    if data.sessions:
        await CourseSession.insert(
            *(
                CourseSession(
                    course=course_id,
                    starts_at=s.starts_at,
                    ends_at=s.ends_at,
                    topic=s.topic.strip(),
                    location=s.location.strip(),
                )
                for s in data.sessions
            )
        )


async def create_course(viewer: Viewer | None, data: CourseData) -> CourseRow:
    """Add a DRAFT course to the catalogue (BKPSDM; ``viewer`` None for the demo seed)."""
    if viewer is not None:
        policy.require_bkpsdm(viewer)
    data = validate(data)
    await _check_competencies(data.competency_ids)
    async with transaction():
        inserted = await Course.insert(Course(status=CourseStatus.DRAFT.value, **_values(data)))
        course_id = int(inserted[0]["id"])
        await _replace_links(course_id, data)
        await audit.record(
            account_id=viewer.account_id if viewer else None,
            action="COURSE_CREATED",
            entity_type="Course",
            entity_id=course_id,
            after={**_jsonable(_values(data)), "competency_ids": list(data.competency_ids)},
        )
    return await course_row(course_id)


async def course_data(course: CourseRow) -> CourseData:
    """The editable data of a stored course (the base an update patches)."""
    (competencies,) = await competencies_by_course([course.id])
    (sessions,) = await sessions_by_course([course.id])
    return CourseData(
        title=course.title,
        provider=course.provider,
        mode=CourseMode(course.mode),
        form=CourseForm(course.form),
        jp_hours=course.jp_hours,
        schedule_kind=ScheduleKind(course.schedule_kind),
        description=course.description,
        location=course.location,
        starts_on=course.starts_on,
        ends_on=course.ends_on,
        enrolment_opens=course.enrolment_opens,
        enrolment_closes=course.enrolment_closes,
        capacity=course.capacity,
        competency_ids=tuple(c.id for c in competencies),
        sessions=tuple(SessionData(s.starts_at, s.ends_at, s.topic, s.location) for s in sessions),
    )


async def update_course(viewer: Viewer, course_id: int, changes: dict[str, Any]) -> CourseRow:
    """Change some fields of a course (``changes`` maps CourseData field names to new values).

    Capacity never drops below the seats already taken; an ARCHIVED course is read-only.
    """
    policy.require_bkpsdm(viewer)
    unknown = set(changes) - {f.name for f in dataclasses.fields(CourseData)}
    if unknown:
        raise DomainError.single("INVALID_VALUE", f"Kolom tidak dikenal: {sorted(unknown)}")
    async with transaction():
        current = await course_row(course_id)
        if current.status == CourseStatus.ARCHIVED:
            raise DomainError.single(
                "COURSE_ARCHIVED", "Pelatihan yang diarsipkan tidak dapat diubah", "courseId"
            )
        before = await course_data(current)
        data = validate(dataclasses.replace(before, **changes))
        await _check_competencies(data.competency_ids)
        if data.capacity is not None:
            (taken,) = await seats_taken([course_id])
            if data.capacity < taken:
                raise DomainError.single(
                    "CAPACITY_BELOW_BOOKED",
                    f"Kapasitas tidak boleh kurang dari {taken} kursi yang sudah terisi",
                    "capacity",
                )
        values: dict[Any, Any] = {**_values(data), "updated_at": _now()}
        await Course.update(values).where(Course.id == course_id)
        await _replace_links(course_id, data)
        await audit.record(
            account_id=viewer.account_id,
            action="COURSE_UPDATED",
            entity_type="Course",
            entity_id=course_id,
            before=_jsonable(_values(before)),
            after=_jsonable(_values(data)),
        )
    return await course_row(course_id)


async def set_status(viewer: Viewer, course_id: int, status: CourseStatus) -> CourseRow:
    """Publish, close, archive or restore a course (compare-and-set on the current status)."""
    policy.require_bkpsdm(viewer)
    current = await course_row(course_id)
    sources = _SOURCES[status]
    async with transaction():
        updated = (
            await Course.update({Course.status: status.value, Course.updated_at: _now()})
            .where((Course.id == course_id) & Course.status.is_in(sorted(sources)))
            .returning(Course.id)
        )
        if not updated:
            latest = await course_row(course_id)
            raise DomainError.single(
                "INVALID_STATE",
                f"Pelatihan berstatus {latest.status}; tidak dapat diubah menjadi {status.value}",
                "status",
            )
        await audit.record(
            account_id=viewer.account_id,
            action="COURSE_STATUS",
            entity_type="Course",
            entity_id=course_id,
            before={"status": current.status},
            after={"status": status.value},
        )
    return await course_row(course_id)


async def create_competency(
    viewer: Viewer | None,
    *,
    code: str,
    kind: CompetencyKind,
    name: str,
    description: str = "",
    berakhlak: Sequence[BerAkhlak] = (),
    themes: Sequence[str] = (),
) -> CompetencyRow:
    """Add a competency (BKPSDM; ``viewer`` None for the demo seed)."""
    if viewer is not None:
        policy.require_bkpsdm(viewer)
    errors: list[FieldError] = []
    code = _length(code, "code", 2, 40, errors).upper()
    name = _length(name, "name", 3, 200, errors)
    description = _length(description, "description", 0, 2000, errors)
    tags = sorted({t.strip().casefold() for t in themes if t.strip()})
    if len(tags) > 30 or any(len(t) > 60 for t in tags):  # noqa: PLR2004
        errors.append(
            FieldError("INVALID_THEMES", "Maksimal 30 tema, masing-masing 60 karakter", "themes")
        )
    if errors:
        raise DomainError(*errors)
    values = sorted({v.value for v in berakhlak}, key=lambda v: list(BerAkhlak).index(BerAkhlak(v)))
    async with transaction():
        if await Competency.exists().where(Competency.code == code):
            raise DomainError.single("DUPLICATE", f"Kode kompetensi {code} sudah ada", "code")
        inserted = await Competency.insert(
            Competency(
                code=code,
                kind=kind.value,
                name=name,
                description=description,
                berakhlak=values,
                themes=tags,
            )
        )
        competency_id = int(inserted[0]["id"])
        await audit.record(
            account_id=viewer.account_id if viewer else None,
            action="COMPETENCY_CREATED",
            entity_type="Competency",
            entity_id=competency_id,
            after={
                "code": code,
                "kind": kind.value,
                "name": name,
                "berakhlak": values,
                "themes": tags,
            },
        )
    (row,) = await competencies_by_ids([competency_id])
    assert row is not None  # noqa: S101 - written in this transaction
    return row
