"""Plain rows the training services return (no ORM objects leave the service layer)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from training.enums import CourseStatus


def json_list(value: Any) -> list[str]:  # noqa: ANN401 - a JSON column as the driver returns it
    """A JSON list column as a list of strings (SQLite returns text, PostgreSQL may too)."""
    if value is None:
        return []
    if isinstance(value, str):
        value = json.loads(value or "[]")
    return [str(v) for v in value]


@dataclass(frozen=True, slots=True)
class CompetencyRow:
    """A competency."""

    id: int
    code: str
    kind: str
    name: str
    description: str
    berakhlak: list[str]
    themes: list[str]


@dataclass(frozen=True, slots=True)
class CourseRow:
    """A course of the catalogue."""

    id: int
    title: str
    provider: str
    description: str
    location: str
    mode: str
    form: str
    jp_hours: int
    schedule_kind: str
    starts_on: date | None
    ends_on: date | None
    enrolment_opens: date | None
    enrolment_closes: date | None
    capacity: int | None
    status: str
    created_at: datetime
    updated_at: datetime

    def enrolment_open(self, on: date) -> bool:
        """PUBLISHED and ``on`` inside the enrolment window (open ends are unbounded)."""
        if self.status != CourseStatus.PUBLISHED:
            return False
        if self.enrolment_opens is not None and on < self.enrolment_opens:
            return False
        return self.enrolment_closes is None or on <= self.enrolment_closes


@dataclass(frozen=True, slots=True)
class CourseSessionRow:
    """A scheduled session of a course."""

    id: int
    course_id: int
    starts_at: datetime
    ends_at: datetime
    topic: str
    location: str


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    """An employee's assignment to a course."""

    id: int
    employee_id: int
    course_id: int
    origin: str
    assigned_by_account: int | None
    reason: str
    due_on: date | None
    status: str
    completed_on: date | None
    score: float | None
    certificate_url: str | None
    cancel_reason: str | None
    year: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class RatingSummary:
    """Ratings of a course: average (None when unrated) and count."""

    course_id: int
    average: float | None
    count: int


@dataclass(frozen=True, slots=True)
class CourseRatingRow:
    """One participant's rating of a course."""

    id: int
    assignment_id: int
    course_id: int
    employee_id: int
    rating: int
    comment: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DismissalRow:
    """A dismissed recommendation."""

    id: int
    employee_id: int
    course_id: int
    reason: str
    created_at: datetime
