"""GraphQL types of the socialization program and adoption analytics.

Survey answers have no type here on purpose: results are :class:`PulseAggregate` values of
groups, never a respondent's row.
"""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.types import Info

from portal.adoption import metrics, policy
from portal.adoption.enums import CheckInStatus, GroupBy, SurveyQuestion
from portal.adoption.loaders import AdoptionLoaders
from portal.adoption.metrics import GroupResult
from portal.adoption.services import attendance
from portal.adoption.services.attendance import FeedbackSummary, ParticipantRow
from portal.adoption.services.dashboard import LaggingRow
from portal.adoption.services.programs import ProgramRow, SessionCounts, SessionRow
from portal.adoption.services.surveys import SurveyGroup, SurveyRow, TrendRow
from portal.adoption.sql import CohortRow, FunnelRow
from portal.core import clock
from portal.core.context import Context
from portal.core.graphql import Connection, Node, to_connection, viewer_of
from portal.core.ids import encode_global_id
from portal.core.pagination import page_request
from portal.core.row_types import FromRow, from_attributes
from portal.people.loaders import PeopleLoaders
from portal.people.types import EmployeeType, OpdType, UnorType, load_opd, load_unit

strawberry.enum(GroupBy, description="How survey results are grouped: per OPD, per unit or city.")


strawberry.enum(
    SurveyQuestion, description="The fixed questions of every pulse survey (Likert 1-5)."
)


strawberry.enum(CheckInStatus, description="Outcome of one person in a bulk check-in.")


QUESTION_LABELS = {
    SurveyQuestion.COMFORT: "Saya nyaman menggunakan aplikasi e-Kinerja",
    SurveyQuestion.STRESS: "Penilaian kinerja membuat saya tertekan",
    SurveyQuestion.UNDERSTANDING: "Saya memahami aturan penilaian kinerja",
}


async def _units(info: Info[Context, None], unit_ids: list[int]) -> list[UnorType]:
    """The units (those that exist), in one loader batch."""
    rows = await PeopleLoaders.of(info).unor.load_many(unit_ids)
    return [UnorType.from_row(r) for r in rows if r is not None]


@strawberry.type(name="Program", description="A socialization program run by its manager.")
class ProgramType(Node, FromRow[ProgramRow]):
    """A program."""

    row: strawberry.Private[ProgramRow]
    name: str = strawberry.field(description="Name, e.g. Sosialisasi e-Kinerja 2026.")
    goal: str = strawberry.field(description="What the program wants to achieve.")
    starts_on: date = strawberry.field(description="First day of the program.")
    ends_on: date = strawberry.field(description="Last day of the program.")

    @strawberry.field(description="OPDs the program targets.")
    async def target_opds(self, info: Info[Context, None]) -> list[OpdType]:
        """Target OPDs."""
        ids = await AdoptionLoaders.of(info).program_opds.load(self.row.id)
        rows = await PeopleLoaders.of(info).opd.load_many(ids)
        return [OpdType.from_row(r) for r in rows if r is not None]

    @strawberry.field(description="Units the program targets.")
    async def target_units(self, info: Info[Context, None]) -> list[UnorType]:
        """Target units."""
        ids = await AdoptionLoaders.of(info).program_units.load(self.row.id)
        return await _units(info, ids)

    @strawberry.field(
        description="Sessions by start time (an employee sees only those they are invited to)."
    )
    async def sessions(self, info: Info[Context, None]) -> list[SessionType]:
        """Sessions."""
        viewer = viewer_of(info)
        rows = await AdoptionLoaders.of(info).sessions_by_program.load(self.row.id)
        if not policy.is_manager(viewer) and not viewer.admin_opd_ids:
            mine, _ = await AdoptionLoaders.of(info).participation(viewer)
            rows = [r for r in rows if r.id in mine]
        return [SessionType.from_row(r) for r in rows]


@strawberry.type(description="Attendees' feedback on a session (for program managers).")
class SessionFeedbackSummary:
    """Feedback summary."""

    responses: int = strawberry.field(description="Number of feedback forms received.")
    average_rating: float | None = strawberry.field(
        description="Mean rating 1-5, null without feedback."
    )
    comments: list[str] = strawberry.field(description="Non-empty comments, without names.")

    @classmethod
    def from_row(cls, row: FeedbackSummary) -> SessionFeedbackSummary:
        """Build from a service row."""
        return cls(
            responses=row.responses, average_rating=row.average_rating, comments=row.comments
        )


@strawberry.type(name="Session", description="A socialization session of a program.")
class SessionType(Node, FromRow[SessionRow]):
    """A session."""

    row: strawberry.Private[SessionRow]
    title: str = strawberry.field(description="Title, e.g. Pengenalan pencatatan aktivitas.")
    starts_at: datetime = strawberry.field(description="Start time.")
    ends_at: datetime = strawberry.field(description="End time.")
    place: str | None = strawberry.field(description="Room or venue, when held in person.")
    online_url: str | None = strawberry.field(description="Meeting link, when held online.")
    facilitator: str = strawberry.field(description="Who leads the session.")
    capacity: int = strawberry.field(description="Seats available.")

    @strawberry.field(description="The program this session belongs to.")
    async def program(self, info: Info[Context, None]) -> ProgramType:
        """Program."""
        row = await AdoptionLoaders.of(info).program.load(self.row.program_id)
        assert row is not None  # noqa: S101 - enforced by a NOT NULL foreign key
        return ProgramType.from_row(row)

    @strawberry.field(description="Units the session is meant for.")
    async def target_units(self, info: Info[Context, None]) -> list[UnorType]:
        """Target units."""
        ids = await AdoptionLoaders.of(info).session_units.load(self.row.id)
        return await _units(info, ids)

    @strawberry.field(description="Number of employees invited.")
    async def invited_count(self, info: Info[Context, None]) -> int:
        """Invited."""
        counts: SessionCounts = await AdoptionLoaders.of(info).session_counts.load(self.row.id)
        return counts.invited

    @strawberry.field(description="Number of employees who attended (late registrations too).")
    async def attended_count(self, info: Info[Context, None]) -> int:
        """Attended."""
        counts: SessionCounts = await AdoptionLoaders.of(info).session_counts.load(self.row.id)
        return counts.attended

    @strawberry.field(description="Attendees who registered on the spot without an invitation.")
    async def late_registration_count(self, info: Info[Context, None]) -> int:
        """Late registrations."""
        counts: SessionCounts = await AdoptionLoaders.of(info).session_counts.load(self.row.id)
        return counts.late_registrations

    @strawberry.field(
        description="Invitations and attendance: everyone for managers, the OPD's employees for "
        "an ADMIN_OPD, only oneself for other employees."
    )
    async def participants(
        self,
        info: Info[Context, None],
        first: int,
        after: str | None = None,
    ) -> Connection[InvitationType]:
        """Participants."""
        page = await attendance.list_participants(
            viewer_of(info), self.row.id, page_request(first, after)
        )
        return to_connection(page, InvitationType.from_row)

    @strawberry.field(description="Attendees' feedback; null for everyone but program managers.")
    async def feedback(self, info: Info[Context, None]) -> SessionFeedbackSummary | None:
        """Feedback summary."""
        viewer = viewer_of(info)
        if not policy.is_manager(viewer):
            return None
        return SessionFeedbackSummary.from_row(
            await attendance.feedback_summary(viewer, self.row.id)
        )


@strawberry.type(
    name="Invitation",
    description="An employee's invitation to a session and their attendance (a late "
    "registration has attendance without an invitation).",
)
class InvitationType:
    """Invitation and attendance of one employee at one session."""

    row: strawberry.Private[ParticipantRow]
    invited_at: datetime | None = strawberry.field(description="When they were invited.")
    checked_in_at: datetime | None = strawberry.field(description="When they were checked in.")
    late_registration: bool = strawberry.field(
        description="Attended without an invitation (registered on the spot)."
    )
    attended: bool = strawberry.field(description="Whether they attended.")

    @strawberry.field(
        description="Opaque ID of the invitation: stable per session and employee, for client "
        "caches (node(id:) does not fetch it)."
    )
    def id(self) -> strawberry.ID:
        """Invitation identity."""
        return strawberry.ID(
            encode_global_id("Invitation", f"{self.row.session_id}-{self.row.employee_id}")
        )

    @classmethod
    def from_row(cls, row: ParticipantRow) -> InvitationType:
        """Build from a service row."""
        return cls(
            row=row,
            invited_at=row.invited_at,
            checked_in_at=row.checked_in_at,
            late_registration=row.late_registration,
            attended=row.checked_in_at is not None,
        )

    @strawberry.field(description="The session.")
    async def session(self, info: Info[Context, None]) -> SessionType:
        """Session."""
        row = await AdoptionLoaders.of(info).session.load(self.row.session_id)
        assert row is not None  # noqa: S101 - enforced by a NOT NULL foreign key
        return SessionType.from_row(row)

    @strawberry.field(description="The employee (directory fields).")
    async def employee(self, info: Info[Context, None]) -> EmployeeType | None:
        """Employee."""
        row = await PeopleLoaders.of(info).employee.load(self.row.employee_id)
        return EmployeeType.from_row(row) if row else None


@strawberry.type(description="The adoption funnel of one OPD in one ISO week (DESIGN.md §7).")
class AdoptionFunnelRow:
    """One funnel row."""

    opd_id: strawberry.Private[int]
    week: date = strawberry.field(description="Monday of the ISO week.")
    iso_week: str = strawberry.field(description="ISO week label, e.g. 2026-W23.")
    employees: int = strawberry.field(
        description="Eligible employees (counted from their hire date onwards)."
    )
    invited: int = strawberry.field(
        description="Invited to (or registered late at) a session by the end of the week."
    )
    attended: int = strawberry.field(description="Attended a session by the end of the week.")
    started: int = strawberry.field(
        description="Attendees who logged an activity after their first session, by week end."
    )
    weekly_active: int = strawberry.field(
        description="Attendees who started and logged activity on >= 3 working days this week "
        "(fewer when holidays leave fewer working days)."
    )
    engaged: int = strawberry.field(
        description="Weekly-active attendees with an activity verified within 3 working days."
    )
    weekly_active_all: int = strawberry.field(
        description="All eligible employees weekly active, attended or not."
    )
    weekly_active_share: float | None = strawberry.field(
        description="weeklyActiveAll / employees (0-1); null without employees."
    )
    activities: int = strawberry.field(description="Activities dated in the week.")
    verified: int = strawberry.field(description="Of those, verified ones.")
    verified_share: float | None = strawberry.field(
        description="verified / activities (0-1); null without activities."
    )
    median_latency_days: float | None = strawberry.field(
        description="Median days between an activity's date and its logging."
    )

    @classmethod
    def from_row(cls, row: FunnelRow) -> AdoptionFunnelRow:
        """Build from a query row: its week's counts, the OPD and the week."""
        return from_attributes(
            cls,
            row.counts,
            opd_id=row.opd_id,
            week=row.week,
            iso_week=metrics.iso_week_label(row.week),
        )

    @strawberry.field(description="The OPD.")
    async def opd(self, info: Info[Context, None]) -> OpdType | None:
        """OPD."""
        return await load_opd(info, self.opd_id)


@strawberry.type(description="Adoption funnel rows per OPD and week, with cache information.")
class AdoptionFunnel:
    """Funnel result."""

    rows: list[AdoptionFunnelRow] = strawberry.field(description="Rows by week, then OPD.")
    from_cache: bool = strawberry.field(description="Served from the metrics cache.")
    computed_at: datetime = strawberry.field(
        description=(
            "As of when the numbers hold: they count every activity, verification and "
            "attendance committed before this instant (a cached answer is at most 5 minutes "
            "old; the per-employee weekly aggregates they are summed from never lag)."
        )
    )


@strawberry.type(
    description="People a program first reached on one session date, and what they did next."
)
class AdoptionCohort:
    """One cohort."""

    session_date: date = strawberry.field(description="Date of the cohort's first session.")
    invited: int = strawberry.field(
        description="Members: invited to or registered late at a first session that day."
    )
    attended: int = strawberry.field(description="Members who attended a program session.")
    started: int = strawberry.field(
        description="Attendees who logged an activity after their first attended session."
    )
    weekly_active: int = strawberry.field(
        description="Attendees weekly active in one of the 4 weeks after their session week."
    )
    engaged: int = strawberry.field(
        description="Of those, with an activity verified within 3 working days in such a week."
    )
    active_by_week: list[int] = strawberry.field(
        description="Attendees weekly active in week 1..8 after their session week."
    )
    weeks_observed: int = strawberry.field(
        description="How many of those 8 weeks have ended (later weeks read 0 for now)."
    )

    @classmethod
    def from_row(cls, row: CohortRow) -> AdoptionCohort:
        """Build from a query row."""
        c = row.counts
        return cls(
            session_date=row.session_day,
            invited=c.members,
            attended=c.attended,
            started=c.started,
            weekly_active=c.weekly_active,
            engaged=c.engaged,
            active_by_week=list(c.active_by_week),
            weeks_observed=row.weeks_observed,
        )


@strawberry.type(description="A program's cohorts by session date, with cache information.")
class AdoptionCohorts:
    """Cohorts result."""

    cohorts: list[AdoptionCohort] = strawberry.field(description="Cohorts by session date.")
    from_cache: bool = strawberry.field(description="Served from the metrics cache.")
    computed_at: datetime = strawberry.field(description="When the numbers were computed.")


@strawberry.type(description="An OPD whose weekly-active share lags the city median.")
class LaggingOpd(FromRow[LaggingRow]):
    """A lagging OPD."""

    opd_id: strawberry.Private[int]
    employees: int = strawberry.field(description="Eligible employees that week.")
    weekly_active: int = strawberry.field(description="Weekly-active employees that week.")
    share: float = strawberry.field(description="Weekly-active share (0-1).")
    gap: float = strawberry.field(description="Share minus the city median (negative: behind).")

    @strawberry.field(description="The OPD.")
    async def opd(self, info: Info[Context, None]) -> OpdType | None:
        """OPD."""
        return await load_opd(info, self.opd_id)


@strawberry.type(description="OPDs lagging the city median in one week.")
class AdoptionLagging:
    """Lagging result."""

    week: date = strawberry.field(description="Monday of the ISO week.")
    iso_week: str = strawberry.field(description="ISO week label.")
    margin: float = strawberry.field(description="Margin below the median (0.1 = 10 points).")
    city_median: float | None = strawberry.field(
        description="Median of the OPDs' weekly-active shares."
    )
    opds: list[LaggingOpd] = strawberry.field(description="Lagging OPDs, furthest behind first.")
    from_cache: bool = strawberry.field(description="Served from the metrics cache.")
    computed_at: datetime = strawberry.field(description="When the numbers were computed.")


@strawberry.type(name="Survey", description="A pulse survey; answers are anonymous.")
class SurveyType(Node, FromRow[SurveyRow]):
    """A survey."""

    row: strawberry.Private[SurveyRow]
    title: str = strawberry.field(description="Title, e.g. Survei denyut Juli 2026.")
    opens_on: date = strawberry.field(description="First day answers are accepted.")
    closes_on: date = strawberry.field(description="Last day; results are published after it.")

    @strawberry.field(description="The questions, each answered on a 1-5 scale.")
    def questions(self) -> list[SurveyQuestionItem]:
        """Questions."""
        return [SurveyQuestionItem(question=q, label=QUESTION_LABELS[q]) for q in SurveyQuestion]

    @strawberry.field(description="Whether answers are accepted today.")
    def is_open(self) -> bool:
        """Open today."""
        return self.row.opens_on <= clock.today() <= self.row.closes_on

    @strawberry.field(description="Whether the viewer has answered (only ever about oneself).")
    async def answered_by_me(self, info: Info[Context, None]) -> bool:
        """Own participation."""
        viewer = viewer_of(info)
        if viewer.employee_id is None:
            return False
        answered: bool = await AdoptionLoaders.of(info).answered.load(
            (viewer.employee_id, self.row.id)
        )
        return answered

    @strawberry.field(
        description="The program the survey belongs to; null when there is none or the viewer "
        "may not see it (surveys are public, programs are not)."
    )
    async def program(self, info: Info[Context, None]) -> ProgramType | None:
        """Program, under the program's own visibility rule."""
        if self.row.program_id is None:
            return None
        loaders = AdoptionLoaders.of(info)
        if not await loaders.sees_program(viewer_of(info), self.row.program_id):
            return None
        row = await loaders.program.load(self.row.program_id)
        return ProgramType.from_row(row) if row else None


@strawberry.type(description="One survey question with its Indonesian wording.")
class SurveyQuestionItem:
    """A question."""

    question: SurveyQuestion = strawberry.field(description="Question code.")
    label: str = strawberry.field(description="Statement shown to the employee.")


@strawberry.type(
    description="Mean answers of a group; everything is null and `suppressed` true when fewer "
    "than 5 people answered, or when showing the group would let a smaller group be derived."
)
class PulseAggregate:
    """A group's aggregate."""

    respondents: int | None = strawberry.field(description="Respondents; null when suppressed.")
    comfort: float | None = strawberry.field(description="Mean comfort with the system (1-5).")
    stress: float | None = strawberry.field(description="Mean perceived stress (1-5).")
    understanding: float | None = strawberry.field(
        description="Mean understanding of the rules (1-5)."
    )
    suppressed: bool = strawberry.field(description="Withheld to protect anonymity.")

    @classmethod
    def from_result(cls, result: GroupResult) -> PulseAggregate:
        """Build from a metrics result."""
        return cls(
            respondents=result.respondents,
            comfort=result.comfort,
            stress=result.stress,
            understanding=result.understanding,
            suppressed=result.suppressed,
        )


@strawberry.type(description="A survey's aggregate for one group (OPD, unit or the city).")
class SurveyResultGroup:
    """A group result."""

    group: strawberry.Private[SurveyGroup]
    result: PulseAggregate = strawberry.field(description="The group's means (or suppressed).")

    @strawberry.field(description="The OPD; null for the whole city.")
    async def opd(self, info: Info[Context, None]) -> OpdType | None:
        """OPD."""
        return await load_opd(info, self.group.opd_id)

    @strawberry.field(description="The unit, when grouped by unit.")
    async def unit(self, info: Info[Context, None]) -> UnorType | None:
        """Unit."""
        return await load_unit(info, self.group.unit_id)


@strawberry.type(description="A survey's results: aggregates only, after the survey closed.")
class SurveyResult:
    """Survey results."""

    survey: SurveyType = strawberry.field(description="The survey.")
    group_by: GroupBy = strawberry.field(description="How the groups are formed.")
    published: bool = strawberry.field(
        description="False while the survey is open: results appear once it closes."
    )
    min_group_size: int = strawberry.field(description="Smallest group shown (5).")
    groups: list[SurveyResultGroup] = strawberry.field(description="Groups visible to you.")
    from_cache: bool = strawberry.field(description="Served from the metrics cache.")
    computed_at: datetime = strawberry.field(description="When the numbers were computed.")


@strawberry.type(description="An OPD's pulse before and after its first session.")
class SurveyTrendRow:
    """A trend row."""

    row: strawberry.Private[TrendRow]
    first_session_date: date | None = strawberry.field(
        description="Date of the first session any of the OPD's employees attended."
    )
    before: PulseAggregate = strawberry.field(
        description="Surveys closed before that date (pooled, published groups only)."
    )
    after: PulseAggregate = strawberry.field(description="Surveys opened on or after it.")

    @classmethod
    def from_row(cls, row: TrendRow) -> SurveyTrendRow:
        """Build from a service row."""
        return cls(
            row=row,
            first_session_date=row.first_session_day,
            before=PulseAggregate.from_result(row.before),
            after=PulseAggregate.from_result(row.after),
        )

    @strawberry.field(description="The OPD.")
    async def opd(self, info: Info[Context, None]) -> OpdType | None:
        """OPD."""
        return await load_opd(info, self.row.opd_id)


@strawberry.type(description="Pulse trend per OPD, with cache information.")
class SurveyTrend:
    """Trend result."""

    rows: list[SurveyTrendRow] = strawberry.field(description="One row per OPD with answers.")
    from_cache: bool = strawberry.field(description="Served from the metrics cache.")
    computed_at: datetime = strawberry.field(description="When the numbers were computed.")
