"""Coaching, mentoring and counselling assignments with their sessions."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from portal.core.piccolo import WithId
from portal.feedback.tables import DialogKinerja
from portal.people.tables import Employee
from portal.performance.tables import Evaluation


class CoachingAssignment(WithId, Table, tablename="coaching_assignment"):
    """An employee paired with a coach/mentor/counsellor for a goal."""

    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    coach = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    assigned_by_account = Integer(null=True, default=None)
    kind = Varchar(length=12)
    goal = Text()
    origin = Varchar(length=20, default="MANUAL")
    status = Varchar(length=12, default="PLANNED", index=True)
    outcome = Text(null=True, default=None)
    dialog = ForeignKey(references=DialogKinerja, on_delete=OnDelete.set_null, null=True)
    evaluation = ForeignKey(references=Evaluation, on_delete=OnDelete.set_null, null=True)
    created_at = Timestamptz(default=TimestamptzNow())
    started_at = Timestamptz(null=True, default=None)
    ended_at = Timestamptz(null=True, default=None)


class CoachingSession(WithId, Table, tablename="coaching_session"):
    """A scheduled or held session; ``private_notes`` are the coach's alone."""

    assignment = ForeignKey(
        references=CoachingAssignment, on_delete=OnDelete.cascade, null=False, index=True
    )
    scheduled_at = Timestamptz()
    held_at = Timestamptz(null=True, default=None)
    notes = Text(default="")
    private_notes = Text(default="")
    next_steps = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
