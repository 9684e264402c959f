"""The 20 JP ledger: pure arithmetic over one employee's training of one year.

PP 11/2017 art. 203 gives every PNS the right to at least 20 JP (jam pelajaran) of competence
development a year. Per employee and year the ledger counts:

- ``completed``: JP of COMPLETED courses whose completion falls in the year;
- ``planned``: JP of ASSIGNED or ENROLLED courses planned for the year (CANCELLED never counts);
- ``remaining``: ``max(0, 20 - completed)``, what the right still asks for;
- ``unplanned``: ``max(0, 20 - completed - planned)``, the part nobody has planned yet;
- the same completed/planned split by mode (KLASIKAL, NONKLASIKAL).

**At-risk rule.** An employee is at risk of missing the 20 JP of ``year`` when

1. a past year: ``completed < 20`` (the year is over; plans no longer help);
2. the current year: ``completed < 20`` **and** ``completed + planned < 20`` (even finishing
   everything planned would not reach 20) **and** ``completed < 20 * elapsed`` where
   ``elapsed`` is the share of the year gone by (behind a straight-line pace). Someone ahead of
   pace with nothing planned yet is not flagged in spring, but is once the calendar overtakes
   them; an employee with no training at all is flagged from the first day;
3. a future year: never.

The same rule runs in SQL for the roll-ups (see :func:`expected_by`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from training.enums import OPEN_STATUSES, AssignmentStatus, CourseMode

JP_RIGHT = 20


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One assignment as the ledger sees it."""

    jp_hours: int
    mode: CourseMode
    status: AssignmentStatus


@dataclass(frozen=True, slots=True)
class ModeTally:
    """Completed and planned JP of one mode."""

    mode: CourseMode
    completed: int
    planned: int


@dataclass(frozen=True, slots=True)
class Ledger:
    """JP of one employee in one year against the 20 JP right."""

    year: int
    completed: int
    planned: int
    by_mode: tuple[ModeTally, ...]
    expected_by_now: float
    at_risk: bool

    @property
    def remaining(self) -> int:
        """JP still missing to reach 20 (0 once reached or exceeded)."""
        return max(0, JP_RIGHT - self.completed)

    @property
    def unplanned(self) -> int:
        """JP missing even if everything planned is completed."""
        return max(0, JP_RIGHT - self.completed - self.planned)

    @property
    def reached(self) -> bool:
        """Whether the 20 JP right is fulfilled."""
        return self.completed >= JP_RIGHT


def elapsed_share(year: int, today: date) -> float:
    """Share of ``year`` gone by on ``today`` (0 before it starts, 1 after it ends)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    if today < start:
        return 0.0
    if today >= end:
        return 1.0
    return (today - start).days / ((end - start).days + 1)


def expected_by(year: int, today: date) -> float:
    """JP a straight-line pace to 20 expects by ``today`` (20 for a finished year)."""
    return JP_RIGHT * elapsed_share(year, today)


def is_at_risk(completed: int, planned: int, year: int, today: date) -> bool:
    """The at-risk rule of the module docstring."""
    if completed >= JP_RIGHT or year > today.year:
        return False
    if year < today.year:
        return True
    return completed + planned < JP_RIGHT and completed < expected_by(year, today)


def compute(entries: Iterable[LedgerEntry], *, year: int, today: date) -> Ledger:
    """The ledger of one employee's assignments of ``year`` as of ``today``."""
    completed = dict.fromkeys(CourseMode, 0)
    planned = dict.fromkeys(CourseMode, 0)
    for entry in entries:
        if entry.jp_hours < 0:
            raise ValueError("jp_hours must not be negative")
        if entry.status is AssignmentStatus.COMPLETED:
            completed[entry.mode] += entry.jp_hours
        elif entry.status in OPEN_STATUSES:
            planned[entry.mode] += entry.jp_hours
    total_completed = sum(completed.values())
    total_planned = sum(planned.values())
    return Ledger(
        year=year,
        completed=total_completed,
        planned=total_planned,
        by_mode=tuple(ModeTally(m, completed[m], planned[m]) for m in CourseMode),
        expected_by_now=round(expected_by(year, today), 2),
        at_risk=is_at_risk(total_completed, total_planned, year, today),
    )


def from_totals(
    *,
    year: int,
    today: date,
    completed_klasikal: int,
    completed_nonklasikal: int,
    planned_klasikal: int,
    planned_nonklasikal: int,
) -> Ledger:
    """A ledger from SQL sums per mode (roll-ups and at-risk lists)."""
    entries = [
        LedgerEntry(completed_klasikal, CourseMode.KLASIKAL, AssignmentStatus.COMPLETED),
        LedgerEntry(completed_nonklasikal, CourseMode.NONKLASIKAL, AssignmentStatus.COMPLETED),
        LedgerEntry(planned_klasikal, CourseMode.KLASIKAL, AssignmentStatus.ASSIGNED),
        LedgerEntry(planned_nonklasikal, CourseMode.NONKLASIKAL, AssignmentStatus.ASSIGNED),
    ]
    return compute(entries, year=year, today=today)
