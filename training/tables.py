"""Tables of the training module: competencies, courses, assignments, ratings, dismissals.

Composite keys (one live assignment per employee and course, one rating per assignment, one
dismissal per employee and course) are unique indexes in the second migration.
"""

from __future__ import annotations

from piccolo.columns import (
    JSON,
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

from portal.core.piccolo import WithId
from portal.people.tables import Employee


class Competency(WithId, Table, tablename="competency"):
    """A competency of the ASN standard, linked to BerAKHLAK values and indicator themes.

    ``berakhlak`` holds names of :class:`portal.performance.enums.BerAkhlak`; ``themes`` holds
    free lower-case tags matched against indicator texts (e.g. "imunisasi", "perizinan").
    """

    code = Varchar(length=40, unique=True)
    kind = Varchar(length=16, index=True)
    name = Varchar(length=200)
    description = Text(default="")
    berakhlak = JSON(default="[]")
    themes = JSON(default="[]")


class Course(WithId, Table, tablename="course"):
    """A course of the catalogue; ``capacity`` null means unlimited seats."""

    title = Varchar(length=200)
    provider = Varchar(length=200)
    description = Text(default="")
    location = Varchar(length=200, default="")
    mode = Varchar(length=12, index=True)
    form = Varchar(length=24, index=True)
    jp_hours = Integer()
    schedule_kind = Varchar(length=12)
    starts_on = Date(null=True, default=None)
    ends_on = Date(null=True, default=None)
    enrolment_opens = Date(null=True, default=None)
    enrolment_closes = Date(null=True, default=None)
    capacity = Integer(null=True, default=None)
    status = Varchar(length=12, default="DRAFT", index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class CourseCompetency(WithId, Table, tablename="course_competency"):
    """Link between a course and a competency it develops."""

    course = ForeignKey(references=Course, on_delete=OnDelete.cascade, null=False, index=True)
    competency = ForeignKey(
        references=Competency, on_delete=OnDelete.restrict, null=False, index=True
    )


class CourseSession(WithId, Table, tablename="course_session"):
    """One scheduled session of a course (optional; self-paced courses have none)."""

    course = ForeignKey(references=Course, on_delete=OnDelete.cascade, null=False, index=True)
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    topic = Varchar(length=200, default="")
    location = Varchar(length=200, default="")


class TrainingAssignment(WithId, Table, tablename="training_assignment"):
    """An employee taking a course: assigned, self-enrolled or from a recommendation.

    ``year`` is the year whose 20 JP the course counts toward: the planned year on creation,
    the year of ``completed_on`` once completed.
    """

    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    course = ForeignKey(references=Course, on_delete=OnDelete.restrict, null=False, index=True)
    origin = Varchar(length=16)
    assigned_by_account = Integer(null=True, default=None)
    reason = Text(default="")
    due_on = Date(null=True, default=None)
    status = Varchar(length=12, default="ASSIGNED", index=True)
    completed_on = Date(null=True, default=None)
    score = Float(null=True, default=None)
    certificate_url = Varchar(length=500, null=True, default=None)
    cancel_reason = Text(null=True, default=None)
    year = Integer(index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class CourseRating(WithId, Table, tablename="course_rating"):
    """The participant's rating (1-5) and comment after completing a course; one per assignment."""

    assignment = ForeignKey(
        references=TrainingAssignment, on_delete=OnDelete.cascade, null=False, unique=True
    )
    course = ForeignKey(references=Course, on_delete=OnDelete.cascade, null=False, index=True)
    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    rating = Integer()
    comment = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class RecommendationDismissal(WithId, Table, tablename="recommendation_dismissal"):
    """A recommended course the employee declined, with the reason; never recommended again."""

    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    course = ForeignKey(references=Course, on_delete=OnDelete.cascade, null=False, index=True)
    reason = Text()
    created_at = Timestamptz(default=TimestamptzNow())
