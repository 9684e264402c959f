"""Query fields of the performance cycle (periods, SKP, activities, team view) and its nodes."""

from __future__ import annotations

from datetime import date

import strawberry

from portal.core import clock
from portal.core.auth import Viewer
from portal.core.context import Info
from portal.core.errors import NotFoundError
from portal.core.graphql import (
    NULLABLE_PART,
    Connection,
    OrderDirection,
    OrderInput,
    ordered_page_request,
    register_node,
    to_connection,
    viewer_field,
    viewer_of,
)
from portal.core.ids import decode_id_of
from portal.core.pagination import BY_ID_DESC, page_request
from portal.people import visibility
from portal.people.loaders import PeopleLoaders
from portal.people.services import directory as people
from portal.performance import policy
from portal.performance.enums import (
    ActivityStatus,
    SkpStatus,
)
from portal.performance.planning.loaders import PerformanceLoaders
from portal.performance.planning.services import activities, periods, progress, skp
from portal.performance.planning.types import (
    ActivityType,
    IndicatorType,
    PeriodType,
    RhkType,
    SkpType,
    TeamMemberType,
)
from portal.performance.rows import PeriodRow, SkpRow


async def _readable(info: Info, employee_id: int) -> bool:
    viewer = info.context.viewer
    if viewer is None:
        return False
    employee = await PeopleLoaders.of(info).employee.load(employee_id)
    return employee is not None and await visibility.may_read(viewer, employee)


def _closed_skp_rater(info: Info, row: SkpRow) -> bool:
    viewer = info.context.viewer
    return viewer is not None and policy.is_closed_skp_rater(viewer, row)


async def _skp_node(info: Info, pk: int) -> SkpType | None:
    row = await PerformanceLoaders.of(info).skp.load(pk)
    if row is None:
        return None
    if _closed_skp_rater(info, row) or await _readable(info, row.employee_id):
        return SkpType.from_row(row)
    return None


async def _rhk_visible(info: Info, skp_id: int) -> bool:
    """An RHK is visible with its SKP, and to the SKP owner's direct reports (cascading)."""
    row = await PerformanceLoaders.of(info).skp.load(skp_id)
    if row is None:
        return False
    if _closed_skp_rater(info, row) or await _readable(info, row.employee_id):
        return True
    viewer = info.context.viewer
    if viewer is None or viewer.employee_id is None:
        return False
    me = await PeopleLoaders.of(info).employee.load(viewer.employee_id)
    return me is not None and me.supervisor_id == row.employee_id


async def _rhk_node(info: Info, pk: int) -> RhkType | None:
    row = await PerformanceLoaders.of(info).rhk.load(pk)
    return RhkType.from_row(row) if row and await _rhk_visible(info, row.skp_id) else None


async def _indicator_node(info: Info, pk: int) -> IndicatorType | None:
    row = await PerformanceLoaders.of(info).indicator.load(pk)
    return IndicatorType.from_row(row) if row and await _rhk_visible(info, row.skp_id) else None


async def _activity_node(info: Info, pk: int) -> ActivityType | None:
    row = await PerformanceLoaders.of(info).activity.load(pk)
    return ActivityType.from_row(row) if row and await _readable(info, row.employee_id) else None


async def _period_node(info: Info, pk: int) -> PeriodType | None:
    row = await PerformanceLoaders.of(info).period.load(pk)
    return PeriodType.from_row(row) if row else None


register_node("Skp", _skp_node)


register_node("Rhk", _rhk_node)


register_node("Indicator", _indicator_node)


register_node("Activity", _activity_node)


register_node("Period", _period_node)


@strawberry.input(description="Filters of the SKP list.")
class SkpFilter:
    """SKP filters."""

    employee_id: strawberry.ID | None = strawberry.field(default=None, description="Employee.")
    period_id: strawberry.ID | None = strawberry.field(default=None, description="Period.")
    status: SkpStatus | None = strawberry.field(default=None, description="Status.")
    to_rate: bool = strawberry.field(
        default=False, description="Only SKPs the viewer rates (pejabat penilai)."
    )


@strawberry.input(description="Filters of the activity list.")
class ActivityFilter:
    """Activity filters."""

    employee_id: strawberry.ID | None = strawberry.field(
        default=None, description="Whose activities (default: the viewer's)."
    )
    status: ActivityStatus | None = strawberry.field(default=None, description="Status.")
    date_from: date | None = strawberry.field(default=None, description="From this day.")
    date_to: date | None = strawberry.field(default=None, description="Up to this day.")
    pending_for_me: bool = strawberry.field(
        default=False, description="Submitted activities of the viewer's direct reports."
    )


@strawberry.input(description="Ordering of an activity list (default: newest logged first).")
class ActivityOrderInput(
    OrderInput,
    fields={"ACTIVITY_DATE": activities.ACTIVITY_BY_DATE},
    what="What an activity list can be ordered by (then by ID).",
    default=OrderDirection.DESC,
    direction="Descending (default) or ascending.",
):
    """``orderBy`` of ``activities``."""


# progress.sort_team sorts the members by the value's name
_TEAM_SORTS = (
    "NAME", "AVERAGE_PROGRESS", "INDICATORS_BEHIND", "PENDING_VERIFICATIONS", "LAST_ACTIVITY_DATE",
)  # fmt: skip


@strawberry.input(
    description="Ordering of the team overview (default: the directory's order); members "
    "without a value (no SKP or no activity yet) come last either way."
)
class TeamMemberOrderInput(
    OrderInput,
    fields=dict.fromkeys(_TEAM_SORTS),
    what="What the team overview can be ordered by (then by employee ID).",
    field="The sort value.",
):
    """``orderBy`` of ``teamProgress``."""


async def _current_annual(
    viewer: Viewer, period_id: strawberry.ID | None
) -> tuple[PeriodRow, PeriodRow | None]:
    """The annual period (and sub-period) a view is about; default: the year of today."""
    del viewer
    if period_id is None:
        annual = await periods.annual_for(clock.today())
        if annual is None:
            raise NotFoundError("Period", "periodId")
        return annual, None
    period = await periods.get_period(decode_id_of(period_id, "Period", "periodId"))
    annual = await periods.annual_of(period)
    return annual, (period if period.id != annual.id else None)


@strawberry.type
class PerformanceQuery:
    """Periods, SKPs, activities and the team overview."""

    @viewer_field(
        "Every period in one flat list, newest year first: each annual period "
        "followed by its evaluation (quarterly or monthly) periods, which also appear under "
        "the annual period's `children` (optionally one year); keep the entries with "
        "`kind: ANNUAL` for annual periods only."
    )
    async def periods(self, year: int | None = None) -> list[PeriodType]:
        """Periods."""
        return [PeriodType.from_row(r) for r in await periods.list_periods(year)]

    @viewer_field("The annual period covering today, if any.")
    async def current_period(self) -> PeriodType | None:
        """Current annual period."""
        row = await periods.annual_for(clock.today())
        return PeriodType.from_row(row) if row else None

    @viewer_field("SKPs the viewer may read: own, subordinates', the OPD's for admins.")
    async def skps(
        self,
        info: Info,
        first: int,
        after: str | None = None,
        filter: SkpFilter | None = None,  # noqa: A002
    ) -> Connection[SkpType]:
        """SKP list."""
        flt = filter or SkpFilter()
        page = await skp.list_skps(
            viewer_of(info),
            page_request(first, after),
            employee_id=decode_id_of(flt.employee_id, "Employee", "employeeId")
            if flt.employee_id
            else None,
            period_id=decode_id_of(flt.period_id, "Period", "periodId") if flt.period_id else None,
            status=flt.status,
            to_rate=flt.to_rate,
        )
        return to_connection(page, SkpType.from_row)

    @viewer_field("The viewer's SKP for an annual period (default: this year).")
    async def my_skp(self, info: Info, period_id: strawberry.ID | None = None) -> SkpType | None:
        """Own SKP."""
        viewer = viewer_of(info)
        loaders = PerformanceLoaders.of(info)
        if period_id is None:  # the request's year, shared with other fields (recommendations)
            today = clock.today()
            if viewer.employee_id is not None:  # the year and the SKP tree: one statement
                annual = (await loaders.year_of.load((viewer.employee_id, today))).annual
            else:
                annual = await loaders.annual_on.load(today)
            if annual is None:
                raise NotFoundError("Period", "periodId")
        else:
            annual, _ = await _current_annual(viewer, period_id)
        if viewer.employee_id is None:
            return None
        row = await loaders.skp_of.load((viewer.employee_id, annual.id))
        return SkpType.from_row(row) if row else None

    @viewer_field(
        "RHKs of the viewer's supervisor's approved SKP: what the viewer's UTAMA "
        "RHKs can intervene in."
    )
    async def cascadable_rhks(
        self, info: Info, period_id: strawberry.ID | None = None
    ) -> list[RhkType]:
        """Supervisor's RHKs."""
        viewer = viewer_of(info)
        annual, _ = await _current_annual(viewer, period_id)
        if viewer.employee_id is None:
            return []
        me = await people.get_employee(viewer.employee_id)
        if me.supervisor_id is None:
            return []
        boss_skp = await skp.skp_for(me.supervisor_id, annual.id)
        if boss_skp is None or boss_skp.status != SkpStatus.APPROVED:
            return []
        (rows,) = await skp.rhks_by_skp([boss_skp.id])
        return [RhkType.from_row(r) for r in rows]

    @viewer_field(
        "Activities, newest first: the viewer's, a visible employee's, or those "
        "awaiting the viewer's verification (`pendingForMe`)."
    )
    async def activities(  # noqa: PLR0917 - the Relay arguments, filter and ordering
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: ActivityFilter | None = None,  # noqa: A002
        last: int | None = None,
        before: str | None = None,
        order_by: ActivityOrderInput | None = None,
    ) -> Connection[ActivityType]:
        """Activity list."""
        flt = filter or ActivityFilter()
        request = ordered_page_request(first, after, last, before, order_by, default=BY_ID_DESC)
        page = await activities.list_activities(
            viewer_of(info),
            request,
            employee_id=decode_id_of(flt.employee_id, "Employee", "employeeId")
            if flt.employee_id
            else None,
            status=flt.status,
            date_from=flt.date_from,
            date_to=flt.date_to,
            pending_for_me=flt.pending_for_me,
        )
        return to_connection(page, ActivityType.from_row)

    @viewer_field(
        "Every subordinate's SKP progress and pending verifications for a period "
        "(default: this year up to today)." + NULLABLE_PART
    )
    async def team_progress(
        self,
        info: Info,
        period_id: strawberry.ID | None = None,
        direct_only: bool = True,
        order_by: TeamMemberOrderInput | None = None,
    ) -> list[TeamMemberType] | None:
        """Team overview."""
        viewer = viewer_of(info)
        annual, period = await _current_annual(viewer, period_id)
        members = await progress.team_overview(viewer, annual, period, direct_only=direct_only)
        if order_by is not None:
            members = progress.sort_team(
                members,
                order_by.field.value,
                descending=order_by.direction == OrderDirection.DESC,
            )
        return [TeamMemberType.from_member(m) for m in members]
