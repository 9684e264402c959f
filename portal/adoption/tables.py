"""Tables of the socialization program: programs, sessions, attendance and pulse surveys.

Composite unique keys (one invitation, attendance, feedback or survey answer per person) are
indexes made in the raw migration, like the other domains do.
"""

from __future__ import annotations

from piccolo.columns import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from portal.accounts.tables import UserAccount
from portal.core.piccolo import WithId
from portal.people.tables import Employee, Opd, Unor


class Program(WithId, Table, tablename="adoption_program"):
    """A socialization program (e.g. "Sosialisasi e-Kinerja 2026") run by a manager."""

    name = Varchar(length=200)
    goal = Text(default="")
    starts_on = Date()
    ends_on = Date()
    manager = ForeignKey(
        references=UserAccount, on_delete=OnDelete.restrict, null=False, index=True
    )
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ProgramOpd(WithId, Table, tablename="adoption_program_opd"):
    """An OPD a program targets."""

    program = ForeignKey(references=Program, on_delete=OnDelete.cascade, null=False, index=True)
    opd = ForeignKey(references=Opd, on_delete=OnDelete.cascade, null=False, index=True)


class ProgramUnit(WithId, Table, tablename="adoption_program_unit"):
    """A unit a program targets (narrower than a whole OPD)."""

    program = ForeignKey(references=Program, on_delete=OnDelete.cascade, null=False, index=True)
    unor = ForeignKey(references=Unor, on_delete=OnDelete.cascade, null=False, index=True)


class Session(WithId, Table, tablename="adoption_session"):
    """One socialization session of a program: in a room or online."""

    program = ForeignKey(references=Program, on_delete=OnDelete.cascade, null=False, index=True)
    title = Varchar(length=200)
    starts_at = Timestamptz(index=True)
    ends_at = Timestamptz()
    place = Varchar(length=300, null=True, default=None)
    online_url = Varchar(length=500, null=True, default=None)
    facilitator = Varchar(length=150)
    capacity = Integer()
    created_at = Timestamptz(default=TimestamptzNow())


class SessionUnit(WithId, Table, tablename="adoption_session_unit"):
    """A unit a session is meant for."""

    session = ForeignKey(references=Session, on_delete=OnDelete.cascade, null=False, index=True)
    unor = ForeignKey(references=Unor, on_delete=OnDelete.cascade, null=False, index=True)


class Invitation(WithId, Table, tablename="adoption_invitation"):
    """An employee invited to a session (unique per session and employee)."""

    session = ForeignKey(references=Session, on_delete=OnDelete.cascade, null=False, index=True)
    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    invited_at = Timestamptz(default=TimestamptzNow())


class Attendance(WithId, Table, tablename="adoption_attendance"):
    """An employee present at a session; ``late_registration`` when they were not invited."""

    session = ForeignKey(references=Session, on_delete=OnDelete.cascade, null=False, index=True)
    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    checked_in_at = Timestamptz(default=TimestamptzNow())
    late_registration = Boolean(default=False)


class SessionFeedback(WithId, Table, tablename="adoption_session_feedback"):
    """An attendee's rating (1-5) and comment about a session; one per attendee."""

    session = ForeignKey(references=Session, on_delete=OnDelete.cascade, null=False, index=True)
    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    rating = Integer()
    comment = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Survey(WithId, Table, tablename="adoption_survey"):
    """A pulse survey with the fixed questions COMFORT, STRESS and UNDERSTANDING (Likert 1-5)."""

    program = ForeignKey(references=Program, on_delete=OnDelete.set_null, null=True, index=True)
    title = Varchar(length=200)
    opens_on = Date()
    closes_on = Date()
    created_by = ForeignKey(
        references=UserAccount, on_delete=OnDelete.set_null, null=True, index=False
    )
    created_at = Timestamptz(default=TimestamptzNow())


class SurveyResponse(WithId, Table, tablename="adoption_survey_response"):
    """One anonymous answer to a survey.

    ``respondent`` exists only so the unique index refuses a second answer; no query of the
    portal selects it together with the answers, and no API path returns a row of this table.
    ``opd`` and ``unor`` are snapshots at answer time, the only grouping keys of the results.
    """

    survey = ForeignKey(references=Survey, on_delete=OnDelete.cascade, null=False, index=True)
    respondent = ForeignKey(
        references=Employee, on_delete=OnDelete.cascade, null=False, index=False
    )
    opd = ForeignKey(references=Opd, on_delete=OnDelete.cascade, null=False, index=True)
    unor = ForeignKey(references=Unor, on_delete=OnDelete.cascade, null=False, index=False)
    answered_on = Date()
    comfort = Integer()
    stress = Integer()
    understanding = Integer()
    comment = Text(default="")


# --- maintained aggregates of the funnel (issue 22; see portal.adoption.aggregates) -------------


class EmployeeFact(WithId, Table, tablename="adoption_employee_fact"):
    """What the funnel knows of one employee beyond their weeks, kept with the writes.

    ``start_on`` and ``att_on`` are the start day and first attendance day the row (and the
    employee's week rows) were computed with: a reader that finds them different from the
    current ones recomputes the employee before answering. ``started_on``: the first day they
    logged an activity on or after ``att_on``.
    """

    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, unique=True)
    start_on = Date()
    first_wk = Date()  # the Monday of the first week they count in (metrics.first_counted_week)
    att_on = Date(null=True, default=None)
    started_on = Date(null=True, default=None)
    started_wk = Date(null=True, default=None)  # the Monday of started_on's week
    refreshed_at = Timestamptz(default=TimestamptzNow())


class EmployeeWeek(WithId, Table, tablename="adoption_employee_week"):
    """One employee's activities dated in one ISO week (on or after their start), aggregated.

    Only weeks the employee counts in (from ``EmployeeFact.first_wk``) have a row.

    ``days``: distinct working days with an activity; ``engaged``: 1 when one of them (on a
    working day) was verified within 3 working days of its logging day; ``lat0`` .. ``lat6``:
    how many activities were logged that many days late (more: :class:`LatencyTail`).
    """

    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=False)
    wk = Date()
    activities = Integer(default=0)
    verified = Integer(default=0)
    days = Integer(default=0)
    active = Integer(default=0)  # 1: days reach the week's threshold (from the start, if then)
    engaged = Integer(default=0)
    lat0 = Integer(default=0)
    lat1 = Integer(default=0)
    lat2 = Integer(default=0)
    lat3 = Integer(default=0)
    lat4 = Integer(default=0)
    lat5 = Integer(default=0)
    lat6 = Integer(default=0)


class LatencyTail(WithId, Table, tablename="adoption_latency_tail"):
    """Activities of one employee and week logged ``d`` >= 7 days late (rare), by ``d``."""

    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=False)
    wk = Date()
    d = Integer()
    n = Integer()
