"""The demo's course calendar: twelve months around the seeding day, about three ahead."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from training.demo import CALENDAR_AHEAD, COURSES, _dates

SCHEDULED = [c for c in COURSES if c.start is not None]


@pytest.mark.parametrize(
    "today", [date(2027, 1, 1), date(2027, 1, 2), date(2026, 6, 30), date(2026, 12, 7)]
)
def test_every_day_of_the_year_has_a_past_and_courses_ahead(today: date) -> None:
    starts = [_dates(c, today)[0] for c in SCHEDULED]
    assert all(s is not None for s in starts)
    days = [s for s in starts if s is not None]
    # each course once, within (today + ahead - 1 year, today + ahead]
    assert all(
        today + CALENDAR_AHEAD - timedelta(days=366) < s <= today + CALENDAR_AHEAD for s in days
    )
    ahead = [s for s in days if s > today]
    past = [s for s in days if s <= today]
    assert len(ahead) >= 3, ahead  # courses to enrol in, whatever the month
    assert len(past) >= len(SCHEDULED) // 2  # and a year of development behind


def test_a_course_keeps_its_day_of_the_year_and_its_length() -> None:
    course = SCHEDULED[0]
    assert course.start is not None
    start, end = _dates(course, date(2026, 12, 7))
    assert start is not None
    assert end is not None
    assert (start.month, start.day) == course.start
    assert (end - start).days == course.days - 1
