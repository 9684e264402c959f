"""Adoption metrics of the socialization program (DESIGN.md §7), defined on plain values.

This module is the definition; :mod:`portal.adoption.sql` computes the same numbers with SQL
aggregates over the whole city, and an integration test checks both agree on the same data.

Definitions (all days are local dates in Asia/Jakarta; weeks are ISO weeks, Monday-Sunday):

* **eligible** - an employee counts in a week from their start (``hired_on``, else the day their
  record was created) onwards: from the start's week when a working day of that week remains
  on or after the start, otherwise from the next week.
* **invited** - eligible and invited to a session (or registered late at one) held on or before
  the week's Sunday. Cumulative.
* **attended** - eligible and attended a session held on or before the week's Sunday. Cumulative.
* **started** - attended, and logged an activity on or after the day of their first attended
  session, by the week's Sunday (the logging day counts, not the activity date). Cumulative.
* **weekly active** - started by the week's Sunday, and activity dated on at least
  ``min(3, working days of the week)`` distinct working days of the week (weekends and public
  holidays of :mod:`ml.calendar` never count; a week with a holiday asks for the days that
  exist). In an employee's first week only the working days from their start count, and the
  threshold is ``min(3, those days)``. ``weekly_active_all`` is the same test for every eligible
  employee, attended or not - the basis of the lagging-OPD comparison.
* **supervisor engaged** - weekly active, and at least one activity dated on a working day of
  the week was verified within 3 working days of the day it was logged (verified on the day it
  was logged counts as 0).
* **logging latency** - days from an activity's date to the day it was logged (never below 0);
  the median is taken per group and week over activities dated in the week.
* **verified share** - verified activities / activities dated in the week.
* **lagging OPD** - an OPD whose weekly-active share is below the median of all OPDs' shares by
  more than ``margin`` (default 10 percentage points).

Survey anonymity: a group's answers are shown only when at least :data:`MIN_GROUP` people
answered; when a partition would let someone subtract the shown groups from a total and learn
a suppressed group of fewer than :data:`MIN_GROUP` people, the smallest shown groups are
suppressed as well (complementary suppression).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import TypeVar

from ml.calendar import is_working_day as _is_working_day

WEEKLY_ACTIVE_DAYS = 3
ENGAGED_WITHIN_WORKING_DAYS = 3
MIN_GROUP = 5
DEFAULT_LAG_MARGIN = 0.10

K = TypeVar("K", bound=Hashable)


@lru_cache(maxsize=8192)
def is_working_day(day: date) -> bool:
    """Monday to Friday and not an Indonesian public holidays (:mod:`ml.calendar`), memoised."""
    return _is_working_day(day)


# --- calendar ------------------------------------------------------------------------------------


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def iso_week_label(day: date) -> str:
    """ISO week of ``day`` as ``2026-W07``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def weeks_between(start: date, end: date) -> list[date]:
    """Mondays of every ISO week that overlaps ``start``..``end``."""
    monday = week_start(start)
    out = []
    while monday <= end:
        out.append(monday)
        monday += timedelta(days=7)
    return out


def working_days_from(day: date) -> int:
    """Working days from ``day`` to the Sunday of its week, inclusive."""
    sunday = week_start(day) + timedelta(days=6)
    return sum(1 for n in range((sunday - day).days + 1) if is_working_day(day + timedelta(n)))


def active_threshold(monday: date, starts_on: date | None = None) -> int:
    """Distinct working days needed to be weekly active in the week of ``monday``.

    ``min(3, working days that exist)``: for everyone, the week's working days; in the week an
    employee starts, only those from their start. 0 means nobody can be active that week.
    """
    first = monday if starts_on is None or starts_on <= monday else starts_on
    return min(WEEKLY_ACTIVE_DAYS, working_days_from(first))


def first_counted_week(starts_on: date) -> date:
    """The Monday of the first week an employee who starts on ``starts_on`` counts in."""
    monday = week_start(starts_on)
    return monday if active_threshold(monday, starts_on) > 0 else monday + timedelta(days=7)


def working_days_after(start: date, end: date) -> int:
    """Working days in ``start`` (exclusive) .. ``end`` (inclusive); 0 when ``end <= start``."""
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(n)))


def engagement_deadline(logged_on: date) -> date:
    """The last day a verification counts as within 3 working days of ``logged_on``.

    The day before the 4th working day after it (so a weekend after the 3rd still counts).
    """
    day, seen = logged_on, 0
    while seen <= ENGAGED_WITHIN_WORKING_DAYS:
        day += timedelta(days=1)
        seen += int(is_working_day(day))
    return day - timedelta(days=1)


def verified_in_time(logged_on: date, verified_on: date | None) -> bool:
    """Whether a verification came within 3 working days of the logging day."""
    if verified_on is None:
        return False
    return working_days_after(logged_on, verified_on) <= ENGAGED_WITHIN_WORKING_DAYS


def logging_latency(activity_date: date, logged_on: date) -> int:
    """Days between the work and its log (0 when logged the same day or, by clock skew, before)."""
    return max(0, (logged_on - activity_date).days)


def employment_start(hired_on: date | None, created_on: date) -> date:
    """The day an employee starts counting: hired_on, else when their record was created."""
    return hired_on or created_on


# --- plain statistics ----------------------------------------------------------------------------


def median(values: Iterable[float]) -> float | None:
    """Median (mean of the two middle values for an even count); None for no values.

    Equal to PostgreSQL's ``percentile_cont(0.5)`` and to the window-function median of SQLite.
    """
    data = sorted(values)
    return float(statistics.median(data)) if data else None


def share(part: int, whole: int) -> float | None:
    """``part / whole``, or None when ``whole`` is 0 (no one to measure)."""
    return part / whole if whole else None


# --- the funnel ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActivityFact:
    """One logged activity as the metrics see it."""

    activity_date: date
    logged_on: date
    verified_on: date | None = None  # set only for VERIFIED activities


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """What the funnel needs to know about one employee."""

    starts_on: date
    invited_on: date | None = None  # first session invited to or registered late at
    attended_on: date | None = None  # first session attended
    activities: Sequence[ActivityFact] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class FunnelCounts:
    """The funnel of one group (an OPD or unit) in one week."""

    employees: int
    invited: int
    attended: int
    started: int
    weekly_active: int
    engaged: int
    weekly_active_all: int
    activities: int
    verified: int
    median_latency_days: float | None

    @property
    def weekly_active_share(self) -> float | None:
        """Weekly-active employees (attended or not) / eligible employees."""
        return share(self.weekly_active_all, self.employees)

    @property
    def verified_share(self) -> float | None:
        """Verified activities / activities dated in the week."""
        return share(self.verified, self.activities)

    @property
    def attendance_rate(self) -> float | None:
        """Attended / invited."""
        return share(self.attended, self.invited)


def person_week(person: PersonFacts, monday: date) -> dict[str, bool] | None:
    """The funnel stages one employee reaches in a week; None when they do not count yet."""
    sunday = monday + timedelta(days=6)
    if first_counted_week(person.starts_on) > monday:
        return None
    threshold = active_threshold(monday, person.starts_on)
    in_week = [
        a
        for a in person.activities
        if monday <= a.activity_date <= sunday
        and a.activity_date >= person.starts_on
        and is_working_day(a.activity_date)
    ]
    active_all = threshold > 0 and len({a.activity_date for a in in_week}) >= threshold
    attended = person.attended_on is not None and person.attended_on <= sunday
    started = attended and any(
        person.attended_on is not None and person.attended_on <= a.logged_on <= sunday
        for a in person.activities
    )
    active = started and active_all
    return {
        "invited": person.invited_on is not None and person.invited_on <= sunday,
        "attended": attended,
        "started": started,
        "weekly_active": active,
        "engaged": active and any(verified_in_time(a.logged_on, a.verified_on) for a in in_week),
        "weekly_active_all": active_all,
    }


def funnel(people: Iterable[PersonFacts], monday: date) -> FunnelCounts:
    """The funnel of a group of employees in the week starting ``monday``."""
    sunday = monday + timedelta(days=6)
    stages = dict.fromkeys(("invited", "attended", "started", "weekly_active", "engaged"), 0)
    stages["weekly_active_all"] = 0
    employees = activities = verified = 0
    latencies: list[int] = []
    for person in people:
        reached = person_week(person, monday)
        if reached is None:
            continue
        employees += 1
        for stage, yes in reached.items():
            stages[stage] += int(yes)
        for a in person.activities:
            if monday <= a.activity_date <= sunday and a.activity_date >= person.starts_on:
                activities += 1
                verified += int(a.verified_on is not None)
                latencies.append(logging_latency(a.activity_date, a.logged_on))
    return FunnelCounts(
        employees=employees,
        activities=activities,
        verified=verified,
        median_latency_days=median(latencies),
        **stages,
    )


def combined(counts: Sequence[FunnelCounts]) -> FunnelCounts:
    """The funnel of several groups together (the median latency cannot be combined: None)."""
    return FunnelCounts(
        employees=sum(c.employees for c in counts),
        invited=sum(c.invited for c in counts),
        attended=sum(c.attended for c in counts),
        started=sum(c.started for c in counts),
        weekly_active=sum(c.weekly_active for c in counts),
        engaged=sum(c.engaged for c in counts),
        weekly_active_all=sum(c.weekly_active_all for c in counts),
        activities=sum(c.activities for c in counts),
        verified=sum(c.verified for c in counts),
        median_latency_days=counts[0].median_latency_days if len(counts) == 1 else None,
    )


# --- cohorts by session day ----------------------------------------------------------------------

ACTIVE_WINDOW_WEEKS = 4
RETENTION_WEEKS = 8


@dataclass(frozen=True, slots=True)
class CohortCounts:
    """What the people a program first reached on one session day did afterwards.

    ``members``: everyone whose first session of the program (invited to or registered late
    at) was that day. ``attended``: those who attended any session of the program.
    ``started``: attendees who logged an activity on or after their first attended session.
    ``weekly_active``: attendees weekly active in at least one of the 4 weeks after the week of
    their first attended session; ``engaged``: of those, active in such a week with an activity
    verified within 3 working days. ``active_by_week[k-1]``: attendees weekly active in week
    ``k`` (1..8) after that week.
    """

    members: int
    attended: int
    started: int
    weekly_active: int
    engaged: int
    active_by_week: tuple[int, ...]


def weeks_observed(session_day: date, today: date) -> int:
    """Complete weeks after the session's week that have ended before ``today`` (at most 8)."""
    first_monday = week_start(session_day) + timedelta(days=7)
    done = 0
    while done < RETENTION_WEEKS and first_monday + timedelta(days=7 * done + 6) < today:
        done += 1
    return done


def _active_in(person: PersonFacts, monday: date) -> tuple[bool, bool]:
    sunday = monday + timedelta(days=6)
    in_week = [
        a
        for a in person.activities
        if monday <= a.activity_date <= sunday and is_working_day(a.activity_date)
    ]
    need = active_threshold(monday)
    active = need > 0 and len({a.activity_date for a in in_week}) >= need
    return active, active and any(verified_in_time(a.logged_on, a.verified_on) for a in in_week)


def cohort(members: Iterable[PersonFacts]) -> CohortCounts:
    """Counts of one cohort (``invited_on``/``attended_on`` are the program's first sessions)."""
    total = attended = started = active = engaged = 0
    by_week = [0] * RETENTION_WEEKS
    for person in members:
        total += 1
        if person.attended_on is None:
            continue
        attended += 1
        started += int(any(a.logged_on >= person.attended_on for a in person.activities))
        base = week_start(person.attended_on)
        was_active = was_engaged = False
        for k in range(1, RETENTION_WEEKS + 1):
            is_active, is_engaged = _active_in(person, base + timedelta(days=7 * k))
            by_week[k - 1] += int(is_active)
            if k <= ACTIVE_WINDOW_WEEKS:
                was_active |= is_active
                was_engaged |= is_engaged
        active += int(was_active)
        engaged += int(was_engaged)
    return CohortCounts(total, attended, started, active, engaged, tuple(by_week))


# --- lagging OPDs --------------------------------------------------------------------------------


def lagging(
    shares: Mapping[K, float | None], margin: float = DEFAULT_LAG_MARGIN
) -> tuple[float | None, list[K]]:
    """The city median of the groups' shares and the groups below it by more than ``margin``.

    Groups without a share (no eligible employee) neither count toward the median nor lag.
    """
    known = {k: v for k, v in shares.items() if v is not None}
    middle = median(known.values())
    if middle is None:
        return None, []
    behind = sorted((k for k, v in known.items() if v < middle - margin - 1e-12), key=known.get)  # type: ignore[arg-type]
    return middle, behind


# --- survey aggregates and anonymity -------------------------------------------------------------

QUESTIONS = ("comfort", "stress", "understanding")


@dataclass(frozen=True, slots=True)
class AnswerSums:
    """Sums of one group's answers (never individual answers)."""

    respondents: int
    comfort: int
    stress: int
    understanding: int

    def __add__(self, other: AnswerSums) -> AnswerSums:
        """Pool two groups."""
        return AnswerSums(
            self.respondents + other.respondents,
            self.comfort + other.comfort,
            self.stress + other.stress,
            self.understanding + other.understanding,
        )


EMPTY_SUMS = AnswerSums(0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class GroupResult:
    """A group's published result: means only when not suppressed."""

    respondents: int | None  # None when suppressed: even the size of a small group is withheld
    comfort: float | None
    stress: float | None
    understanding: float | None
    suppressed: bool


SUPPRESSED = GroupResult(None, None, None, None, suppressed=True)


def publish(sums: AnswerSums) -> GroupResult:
    """Means of a group that may be shown (rounded to 2 decimals)."""
    n = sums.respondents
    return GroupResult(
        respondents=n,
        comfort=round(sums.comfort / n, 2),
        stress=round(sums.stress / n, 2),
        understanding=round(sums.understanding / n, 2),
        suppressed=False,
    )


def suppressed_keys(sizes: Mapping[K, int], min_group: int = MIN_GROUP) -> set[K]:
    """Groups of one partition to withhold so no group under ``min_group`` can be derived.

    Primary: every group with ``0 < size < min_group``. Complementary: while the withheld
    groups together hold fewer than ``min_group`` people (so "total minus the shown groups"
    would expose them), the smallest shown group is withheld too.
    """
    hidden = {k for k, n in sizes.items() if 0 < n < min_group}
    shown = sorted(
        (k for k, n in sizes.items() if n >= min_group), key=lambda k: (sizes[k], str(k))
    )
    while hidden and sum(sizes[k] for k in hidden) < min_group and shown:
        hidden.add(shown.pop(0))
    return hidden


def anonymised(
    groups: Mapping[K, AnswerSums],
    parent: Callable[[K], Hashable] | None = None,
    min_group: int = MIN_GROUP,
) -> dict[K, GroupResult]:
    """Publish each group's means or suppress it.

    ``parent`` maps a group to the larger group it partitions (a unit to its OPD), so the
    complementary suppression holds inside every parent whose total is shown elsewhere.
    """
    families: dict[Hashable, dict[K, int]] = {}
    for key, sums in groups.items():
        families.setdefault(parent(key) if parent else None, {})[key] = sums.respondents
    hidden: set[K] = set()
    for sizes in families.values():
        hidden |= suppressed_keys(sizes, min_group)
    return {
        key: SUPPRESSED if key in hidden or sums.respondents < min_group else publish(sums)
        for key, sums in groups.items()
    }


def survey_phase(opens_on: date, closes_on: date, first_session: date | None) -> str | None:
    """BEFORE or AFTER an OPD's first session for a whole survey; None when it spans the session.

    Whole surveys, not single answers, are assigned to a phase so the trend only pools cells
    that :func:`anonymised` already publishes per survey (pooling published cells reveals
    nothing new; splitting a cell by answer date could).
    """
    if first_session is None or closes_on < first_session:
        return "BEFORE"
    if opens_on >= first_session:
        return "AFTER"
    return None


def trend(
    cells: Iterable[tuple[str | None, AnswerSums, bool]],
) -> dict[str, GroupResult]:
    """Pool published (phase, sums, publishable) cells of one OPD into BEFORE and AFTER results."""
    pooled = {"BEFORE": EMPTY_SUMS, "AFTER": EMPTY_SUMS}
    for phase, sums, publishable in cells:
        if phase is not None and publishable:
            pooled[phase] = pooled[phase] + sums
    return {
        phase: publish(sums) if sums.respondents >= MIN_GROUP else SUPPRESSED
        for phase, sums in pooled.items()
    }
