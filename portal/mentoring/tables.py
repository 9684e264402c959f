"""Mentoring scores, alerts to supervisors, their outcomes, and scoring runs with drift."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from portal.coaching.tables import CoachingAssignment
from portal.core.piccolo import WithId
from portal.people.tables import Employee


class MentoringScore(WithId, Table, tablename="mentoring_score"):
    """One employee's score on one scoring run (visible to their supervisor chain and BKPSDM)."""

    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    as_of = Date(index=True)
    score = Float()
    band = Varchar(length=8)
    reasons = JSON(default="[]")
    model_version = Varchar(length=20)
    created_at = Timestamptz(default=TimestamptzNow())


class MentoringAlert(WithId, Table, tablename="mentoring_alert"):
    """An offer-support signal to the direct supervisor; at most one open per employee."""

    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    supervisor = ForeignKey(references=Employee, on_delete=OnDelete.set_null, null=True, index=True)
    as_of = Date()
    score = Float()
    reasons = JSON(default="[]")
    model_version = Varchar(length=20)
    status = Varchar(length=14, default="OPEN", index=True)
    action = Varchar(length=20, null=True, default=None)
    dismiss_reason = Text(null=True, default=None)
    coaching = ForeignKey(references=CoachingAssignment, on_delete=OnDelete.set_null, null=True)
    acted_by_account = Integer(null=True, default=None)
    raised_at = Timestamptz(default=TimestamptzNow())
    acknowledged_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)


class MentoringOutcome(WithId, Table, tablename="mentoring_outcome"):
    """What a supervisor did about an alert: outcome data, and a label for retraining."""

    alert = ForeignKey(
        references=MentoringAlert, on_delete=OnDelete.cascade, null=False, index=True
    )
    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    as_of = Date()
    outcome = Varchar(length=24)
    reason = Text(null=True, default=None)
    recorded_by_account = Integer(null=True, default=None)
    recorded_at = Timestamptz(default=TimestamptzNow())


class MentoringScoringRun(WithId, Table, tablename="mentoring_scoring_run"):
    """One scoring run: the model, the population, and its input drift against training."""

    as_of = Date(index=True)
    model_version = Varchar(length=20)
    scored = Integer()
    high = Integer()
    missing_share = Float()
    max_psi = Float(null=True, default=None)
    drifted = Boolean(default=False)
    drift = JSON(default="{}")
    phases = JSON(default="{}")
    """Seconds per phase (db_read, validate, features, score, write; see ``score_db``)."""
    created_at = Timestamptz(default=TimestamptzNow())
