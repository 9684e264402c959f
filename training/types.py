"""GraphQL types of the training module."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.types import Info

from portal.core import clock
from portal.core.context import Context
from portal.core.graphql import Node
from portal.core.ids import encode_global_id
from portal.core.row_types import FromRow
from portal.people.types import (
    EmployeeType,
    employee_field,
    opd_field,
    unit_field,
)
from portal.performance.enums import BerAkhlak
from portal.performance.planning.types import PeriodType  # noqa: F401 - registers the BerAkhlak enum
from training import ledger as ledger_rules
from training.enums import (
    AssignmentOrigin,
    AssignmentStatus,
    CompetencyKind,
    CourseForm,
    CourseMode,
    CourseStatus,
    ReasonCode,
    ScheduleKind,
)
from training.loaders import TrainingLoaders
from training.recommend import Reason, Recommendation
from training.rows import (
    AssignmentRow,
    CompetencyRow,
    CourseRatingRow,
    CourseRow,
    CourseSessionRow,
    DismissalRow,
    RatingSummary,
)
from training.services.jp import EmployeeLedger, Rollup, RollupLine

strawberry.enum(CompetencyKind, description="TEKNIS, MANAJERIAL or SOSIAL_KULTURAL competency.")
strawberry.enum(CourseMode, description="KLASIKAL (classroom) or NONKLASIKAL development.")
strawberry.enum(
    CourseForm,
    description="Form of development, e.g. DIKLAT, E_LEARNING, COACHING, MENTORING, MAGANG.",
)
strawberry.enum(ScheduleKind, description="SESSIONS (scheduled dates) or SELF_PACED.")
strawberry.enum(
    CourseStatus, description="DRAFT (admins only) -> PUBLISHED -> CLOSED; ARCHIVED hides it."
)
strawberry.enum(
    AssignmentOrigin, description="ASSIGNED by a manager, SELF_ENROLLED, or from a RECOMMENDATION."
)
strawberry.enum(AssignmentStatus, description="ASSIGNED -> ENROLLED -> COMPLETED, or CANCELLED.")
strawberry.enum(
    ReasonCode,
    description="Why a course is recommended: BEHAVIOUR_GAP, INDICATOR_GAP, JP_SHORTFALL, "
    "MENTORING_ALERT or PEER_POPULAR.",
)

_VALUES = {v.value: v for v in BerAkhlak}


@strawberry.type(
    name="Competency",
    description="A competency of the ASN standard with its BerAKHLAK links and indicator themes.",
)
class CompetencyType(Node):
    """A competency."""

    row: strawberry.Private[CompetencyRow]
    code: str = strawberry.field(description="Stable code, e.g. TEK-IMUNISASI.")
    kind: CompetencyKind = strawberry.field(description="TEKNIS, MANAJERIAL or SOSIAL_KULTURAL.")
    name: str = strawberry.field(description="Name, e.g. Pengelolaan Imunisasi.")
    description: str = strawberry.field(description="What the competency covers.")
    berakhlak: list[BerAkhlak] = strawberry.field(
        description="BerAKHLAK values this competency develops."
    )
    themes: list[str] = strawberry.field(
        description="Indicator themes (lower-case tags matched against SKP indicator texts)."
    )

    @classmethod
    def from_row(cls, row: CompetencyRow) -> CompetencyType:
        """Build from a service row."""
        return cls(
            id=strawberry.ID(encode_global_id("Competency", row.id)),
            row=row,
            code=row.code,
            kind=CompetencyKind(row.kind),
            name=row.name,
            description=row.description,
            berakhlak=[_VALUES[v] for v in row.berakhlak if v in _VALUES],
            themes=list(row.themes),
        )


@strawberry.type(name="CourseSession", description="A scheduled session of a course.")
class CourseSessionType:
    """A session."""

    starts_at: datetime = strawberry.field(description="Start.")
    ends_at: datetime = strawberry.field(description="End.")
    topic: str = strawberry.field(description="Topic of the session.")
    location: str = strawberry.field(description="Where it takes place (or the meeting link).")

    @classmethod
    def from_row(cls, row: CourseSessionRow) -> CourseSessionType:
        """Build from a service row."""
        return cls(
            starts_at=row.starts_at, ends_at=row.ends_at, topic=row.topic, location=row.location
        )


@strawberry.type(name="CourseRatingSummary", description="How participants rated a course.")
class RatingSummaryType:
    """Rating summary."""

    average: float | None = strawberry.field(description="Average rating 1-5, null if unrated.")
    count: int = strawberry.field(description="Number of ratings.")

    @classmethod
    def from_row(cls, row: RatingSummary) -> RatingSummaryType:
        """Build from a service row."""
        return cls(average=row.average, count=row.count)


@strawberry.type(
    name="Course",
    description="A course of the training catalogue (BPSDM, BKPSDM, LAN, e-learning ASN...).",
)
class CourseType(Node, FromRow[CourseRow]):
    """A course."""

    row: strawberry.Private[CourseRow]
    title: str = strawberry.field(description="Title, e.g. Pelayanan Prima.")
    provider: str = strawberry.field(description="Organiser, e.g. BPSDM Provinsi Banten.")
    description: str = strawberry.field(description="What the course is about.")
    location: str = strawberry.field(description="Venue, or `Daring` for online courses.")
    mode: CourseMode = strawberry.field(description="KLASIKAL or NONKLASIKAL.")
    form: CourseForm = strawberry.field(description="Form of development.")
    jp_hours: int = strawberry.field(description="Lesson hours (JP) it counts toward the 20 JP.")
    schedule_kind: ScheduleKind = strawberry.field(description="SESSIONS or SELF_PACED.")
    starts_on: date | None = strawberry.field(description="First day, if scheduled.")
    ends_on: date | None = strawberry.field(description="Last day, if scheduled.")
    enrolment_opens: date | None = strawberry.field(description="First day of enrolment.")
    enrolment_closes: date | None = strawberry.field(description="Last day of enrolment.")
    capacity: int | None = strawberry.field(description="Seats, or null for unlimited.")
    status: CourseStatus = strawberry.field(description="Catalogue state.")

    @strawberry.field(description="Competencies the course develops.")
    async def competencies(self, info: Info[Context, None]) -> list[CompetencyType]:
        """Competencies."""
        rows = await TrainingLoaders.of(info).competencies_by_course.load(self.row.id)
        return [CompetencyType.from_row(r) for r in rows]

    @strawberry.field(description="Scheduled sessions in time order (empty when self-paced).")
    async def sessions(self, info: Info[Context, None]) -> list[CourseSessionType]:
        """Sessions."""
        rows = await TrainingLoaders.of(info).sessions_by_course.load(self.row.id)
        return [CourseSessionType.from_row(r) for r in rows]

    @strawberry.field(description="Seats held by assigned, enrolled and completed participants.")
    async def seats_taken(self, info: Info[Context, None]) -> int:
        """Seats taken."""
        taken: int = await TrainingLoaders.of(info).seats_taken.load(self.row.id)
        return taken

    @strawberry.field(description="Seats still free, or null for unlimited capacity.")
    async def seats_left(self, info: Info[Context, None]) -> int | None:
        """Seats left."""
        if self.row.capacity is None:
            return None
        taken: int = await TrainingLoaders.of(info).seats_taken.load(self.row.id)
        return max(0, self.row.capacity - taken)

    @strawberry.field(description="Whether employees can enrol today (published, window open).")
    def enrolment_open(self) -> bool:
        """Enrolment open."""
        return self.row.enrolment_open(clock.today())

    @strawberry.field(description="Participants' ratings.")
    async def rating_summary(self, info: Info[Context, None]) -> RatingSummaryType:
        """Rating summary."""
        row = await TrainingLoaders.of(info).rating_summary.load(self.row.id)
        return RatingSummaryType.from_row(row)


@strawberry.type(name="CourseRating", description="A participant's rating of a completed course.")
class CourseRatingType(FromRow[CourseRatingRow]):
    """A rating."""

    id: strawberry.ID = strawberry.field(
        description="Opaque ID of the rating, for client caches (node(id:) does not fetch it)."
    )
    rating: int = strawberry.field(description="1 (poor) to 5 (excellent).")
    comment: str = strawberry.field(description="Comment, possibly empty.")
    created_at: datetime = strawberry.field(description="When it was given.")


@strawberry.type(
    name="TrainingAssignment",
    description="An employee taking a course. Visible to the employee, their supervisor chain "
    "and admins of their OPD.",
)
class TrainingAssignmentType(Node, FromRow[AssignmentRow]):
    """An assignment."""

    row: strawberry.Private[AssignmentRow]
    origin: AssignmentOrigin = strawberry.field(description="How the employee came to take it.")
    status: AssignmentStatus = strawberry.field(description="Workflow state.")
    reason: str = strawberry.field(description="Why: the manager's reason or the explanations.")
    due_on: date | None = strawberry.field(description="Deadline set by the manager.")
    completed_on: date | None = strawberry.field(description="Completion date.")
    score: float | None = strawberry.field(description="Final score 0-100, if graded.")
    certificate_url: str | None = strawberry.field(description="Link to the certificate.")
    cancel_reason: str | None = strawberry.field(description="Why it was cancelled.")
    year: int = strawberry.field(description="Year whose 20 JP it counts toward.")
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="Last change.")

    employee = employee_field("employee_id", description="The participant.")

    @strawberry.field(description="The course.")
    async def course(self, info: Info[Context, None]) -> CourseType:
        """Course."""
        row = await TrainingLoaders.of(info).course.load(self.row.course_id)
        assert row is not None  # noqa: S101 - enforced by a NOT NULL foreign key
        return CourseType.from_row(row)

    @strawberry.field(description="The participant's rating, once given.")
    async def rating(self, info: Info[Context, None]) -> CourseRatingType | None:
        """Rating."""
        row = await TrainingLoaders.of(info).rating_by_assignment.load(self.row.id)
        return CourseRatingType.from_row(row) if row else None


@strawberry.type(name="JpByMode", description="Completed and planned JP of one mode.")
class JpByModeType:
    """JP of a mode."""

    mode: CourseMode = strawberry.field(description="KLASIKAL or NONKLASIKAL.")
    completed_jp: int = strawberry.field(description="JP completed.")
    planned_jp: int = strawberry.field(description="JP assigned or enrolled, not yet completed.")


@strawberry.type(
    name="JpLedger",
    description="An employee's lesson hours (JP) of a year against the 20 JP right "
    "(PP 11/2017 art. 203).",
)
class JpLedgerType:
    """A JP ledger."""

    employee_row: strawberry.Private[EmployeeLedger]
    year: int = strawberry.field(description="Calendar year.")
    completed_jp: int = strawberry.field(description="JP of courses completed in the year.")
    planned_jp: int = strawberry.field(description="JP assigned or enrolled, not yet completed.")
    remaining_jp: int = strawberry.field(description="JP still missing to reach 20.")
    unplanned_jp: int = strawberry.field(
        description="JP missing even if everything planned is completed."
    )
    expected_by_now: float = strawberry.field(
        description="JP a straight-line pace to 20 expects by today."
    )
    reached: bool = strawberry.field(description="Whether 20 JP are completed.")
    at_risk: bool = strawberry.field(
        description="At risk of missing 20 JP: not reached, the plan does not reach 20, and "
        "behind the straight-line pace (a past year: simply not reached)."
    )
    by_mode: list[JpByModeType] = strawberry.field(description="The same split by mode.")

    @classmethod
    def from_item(cls, item: EmployeeLedger) -> JpLedgerType:
        """Build from a service item."""
        led = item.ledger
        return cls(
            employee_row=item,
            year=led.year,
            completed_jp=led.completed,
            planned_jp=led.planned,
            remaining_jp=led.remaining,
            unplanned_jp=led.unplanned,
            expected_by_now=led.expected_by_now,
            reached=led.reached,
            at_risk=led.at_risk,
            by_mode=[
                JpByModeType(mode=m.mode, completed_jp=m.completed, planned_jp=m.planned)
                for m in led.by_mode
            ],
        )

    @strawberry.field(description="The employee.")
    def employee(self) -> EmployeeType:
        """Employee."""
        return EmployeeType.from_row(self.employee_row.employee)


@strawberry.type(name="JpRollupLine", description="JP figures of a unit, an OPD or a whole scope.")
class JpRollupLineType(FromRow[RollupLine]):
    """A roll-up line."""

    row: strawberry.Private[RollupLine]
    employees: int = strawberry.field(description="Active employees.")
    reached_twenty: int = strawberry.field(description="Employees with 20 JP or more completed.")
    at_risk: int = strawberry.field(description="Employees at risk of missing 20 JP.")
    without_training: int = strawberry.field(
        description="Employees with nothing completed or planned this year."
    )
    completed_jp: int = strawberry.field(description="JP completed in total.")
    completed_klasikal_jp: int = strawberry.field(description="JP completed in classroom courses.")
    completed_nonklasikal_jp: int = strawberry.field(
        description="JP completed in non-classroom development."
    )
    planned_jp: int = strawberry.field(description="JP assigned or enrolled, not yet completed.")
    average_completed_jp: float = strawberry.field(description="Mean JP completed per employee.")

    @classmethod
    def from_line(cls, line: RollupLine) -> JpRollupLineType:
        """Build from a service line (its JP sums named ``*_jp`` here)."""
        return cls.from_row(
            line,
            reached_twenty=line.reached,
            completed_jp=line.completed,
            completed_klasikal_jp=line.completed_klasikal,
            completed_nonklasikal_jp=line.completed_nonklasikal,
            planned_jp=line.planned,
            average_completed_jp=line.average_completed,
        )

    opd = opd_field("opd_id", description="The OPD of this line (null for the city total).")

    unit = unit_field("unor_id", description="The unit of this line (null for OPD and city lines).")


@strawberry.type(
    name="JpRollup",
    description="JP roll-up of a scope: the total and one line per unit (per OPD city-wide).",
)
class JpRollupType:
    """A roll-up."""

    year: int = strawberry.field(description="Calendar year.")
    total: JpRollupLineType = strawberry.field(description="The whole scope.")
    lines: list[JpRollupLineType] = strawberry.field(
        description="One line per unit with active employees (per OPD for the city)."
    )
    jp_right: int = strawberry.field(description="The yearly right in JP (20).")

    @classmethod
    def from_rollup(cls, rollup: Rollup) -> JpRollupType:
        """Build from a service roll-up."""
        return cls(
            year=rollup.year,
            total=JpRollupLineType.from_line(rollup.total),
            lines=[JpRollupLineType.from_line(x) for x in rollup.lines],
            jp_right=ledger_rules.JP_RIGHT,
        )


@strawberry.type(name="RecommendationReason", description="One reason behind a recommendation.")
class RecommendationReasonType:
    """A reason."""

    code: ReasonCode = strawberry.field(description="Machine-readable reason code.")
    explanation: str = strawberry.field(
        description="Indonesian explanation, e.g. `JP tahun ini baru 6 dari 20`."
    )
    weight: float = strawberry.field(description="This reason's share of the score.")

    @classmethod
    def from_reason(cls, reason: Reason) -> RecommendationReasonType:
        """Build from a ranking reason."""
        return cls(code=reason.code, explanation=reason.explanation, weight=round(reason.weight, 3))


@strawberry.type(
    name="TrainingRecommendation",
    description="A recommended course with its score and the reasons behind it.",
)
class TrainingRecommendationType:
    """A recommendation."""

    course_id: strawberry.Private[int]
    employee_id: strawberry.Private[int]
    score: float = strawberry.field(description="Ranking score (higher first; see the docs).")
    reasons: list[RecommendationReasonType] = strawberry.field(
        description="Reasons, strongest first."
    )

    @strawberry.field(
        description="Opaque ID of the recommendation: stable per employee and course, for "
        "client caches (node(id:) does not fetch it; `course.id` is the course's)."
    )
    def id(self) -> strawberry.ID:
        """Identity: the course recommended to the employee."""
        return strawberry.ID(
            encode_global_id("TrainingRecommendation", f"{self.employee_id}-{self.course_id}")
        )

    @classmethod
    def from_recommendation(
        cls, rec: Recommendation, employee_id: int
    ) -> TrainingRecommendationType:
        """Build from a ranking result for ``employee_id``."""
        return cls(
            course_id=rec.course_id,
            employee_id=employee_id,
            score=rec.score,
            reasons=[RecommendationReasonType.from_reason(r) for r in rec.reasons],
        )

    @strawberry.field(description="The recommended course.")
    async def course(self, info: Info[Context, None]) -> CourseType:
        """Course."""
        row = await TrainingLoaders.of(info).course.load(self.course_id)
        assert row is not None  # noqa: S101 - ranked from stored courses
        return CourseType.from_row(row)


@strawberry.type(
    name="RecommendationDismissal",
    description="A recommended course the employee declined; it is not recommended again.",
)
class DismissalType:
    """A dismissal."""

    row: strawberry.Private[DismissalRow]
    reason: str = strawberry.field(description="Why it was declined.")
    created_at: datetime = strawberry.field(description="When.")

    @strawberry.field(
        description="Opaque ID of the dismissal, for client caches (node(id:) does not fetch it)."
    )
    def id(self) -> strawberry.ID:
        """Identity: the stored dismissal."""
        return strawberry.ID(encode_global_id("RecommendationDismissal", self.row.id))

    @classmethod
    def from_row(cls, row: DismissalRow) -> DismissalType:
        """Build from a service row."""
        return cls(row=row, reason=row.reason, created_at=row.created_at)

    @strawberry.field(description="The declined course.")
    async def course(self, info: Info[Context, None]) -> CourseType:
        """Course."""
        row = await TrainingLoaders.of(info).course.load(self.row.course_id)
        assert row is not None  # noqa: S101 - enforced by a NOT NULL foreign key
        return CourseType.from_row(row)
