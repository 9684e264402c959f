"""Query fields of the socialization program and its nodes (thin: unpack, call, map)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from portal.adoption import metrics
from portal.adoption.enums import GroupBy
from portal.adoption.loaders import AdoptionLoaders
from portal.adoption.services import attendance, dashboard, programs, surveys
from portal.adoption.types import (
    AdoptionCohort,
    AdoptionCohorts,
    AdoptionFunnel,
    AdoptionFunnelRow,
    AdoptionLagging,
    InvitationType,
    LaggingOpd,
    ProgramType,
    PulseAggregate,
    SessionType,
    SurveyResult,
    SurveyResultGroup,
    SurveyTrend,
    SurveyTrendRow,
    SurveyType,
)
from portal.core import clock
from portal.core.context import Info
from portal.core.graphql import (
    Connection,
    register_node,
    to_connection,
    viewer_field,
    viewer_of,
)
from portal.core.ids import decode_id_of, decode_optional_id
from portal.core.pagination import page_request


async def _program_node(info: Info, pk: int) -> ProgramType | None:
    viewer = info.context.viewer
    if viewer is None:
        return None
    if not await programs.can_see_program(viewer, pk):
        return None
    row = await AdoptionLoaders.of(info).program.load(pk)
    return ProgramType.from_row(row) if row else None


async def _session_node(info: Info, pk: int) -> SessionType | None:
    viewer = info.context.viewer
    row = await AdoptionLoaders.of(info).session.load(pk)
    if row is None or viewer is None or not await programs.can_see_session(viewer, row):
        return None
    return SessionType.from_row(row)


async def _survey_node(info: Info, pk: int) -> SurveyType | None:
    row = await AdoptionLoaders.of(info).survey.load(pk)
    return SurveyType.from_row(row) if row else None


# Survey responses are deliberately not registered: no ID of an answer resolves to anything.
register_node("Program", _program_node)


register_node("Session", _session_node)


register_node("Survey", _survey_node)


_First = Annotated[int, strawberry.argument(description="Page size (1-100).")]
_After = Annotated[str | None, strawberry.argument(description="Cursor to continue after.")]


@strawberry.type
class AdoptionQuery:
    """Socialization programs, surveys and adoption metrics."""

    @viewer_field(
        "Programs visible to the viewer (managers: all; ADMIN_OPD: those targeting "
        "their OPD; employees: those they are invited to)."
    )
    async def programs(
        self, info: Info, first: _First, after: _After = None
    ) -> Connection[ProgramType]:
        """Programs."""
        page = await programs.list_programs(viewer_of(info), page_request(first, after))
        return to_connection(page, ProgramType.from_row)

    @viewer_field("The viewer's own invitations and attendance, one per session.")
    async def my_invitations(
        self, info: Info, first: _First, after: _After = None
    ) -> Connection[InvitationType]:
        """Own invitations."""
        page = await attendance.my_invitations(viewer_of(info), page_request(first, after))
        return to_connection(page, InvitationType.from_row)

    @viewer_field("Pulse surveys (every employee may list them to answer).")
    async def surveys(
        self,
        first: _First,
        after: _After = None,
        open_only: Annotated[
            bool, strawberry.argument(description="Only surveys accepting answers today.")
        ] = False,
    ) -> Connection[SurveyType]:
        """Surveys."""
        page = await surveys.list_surveys(
            page_request(first, after), open_on=clock.today() if open_only else None
        )
        return to_connection(page, SurveyType.from_row)

    @viewer_field(
        "Adoption funnel per OPD and ISO week (managers and BKPSDM: any OPD; "
        "ADMIN_OPD: their own). Defaults to the last 12 weeks."
    )
    async def adoption_funnel(
        self,
        info: Info,
        opd_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="One OPD; null for every OPD visible to you."),
        ] = None,
        from_: Annotated[
            date | None,
            strawberry.argument(name="from", description="First day (widened to Monday)."),
        ] = None,
        to: Annotated[
            date | None, strawberry.argument(description="Last day (widened to Sunday).")
        ] = None,
        unit_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only this unit and the units below it."),
        ] = None,
    ) -> AdoptionFunnel:
        """Funnel."""
        result = await dashboard.funnel(
            viewer_of(info),
            info.context.store,
            opd_id=decode_optional_id(opd_id, "Opd", "opdId"),
            unit_id=decode_optional_id(unit_id, "Unor", "unitId"),
            start=from_,
            end=to,
        )
        return AdoptionFunnel(
            rows=[AdoptionFunnelRow.from_row(r) for r in result.value],
            from_cache=result.from_cache,
            computed_at=result.computed_at,
        )

    @viewer_field("A program's cohorts by session date (ADMIN_OPD: their OPD's people).")
    async def adoption_cohorts(
        self,
        info: Info,
        program_id: Annotated[strawberry.ID, strawberry.argument(description="The program.")],
    ) -> AdoptionCohorts:
        """Cohorts."""
        result = await dashboard.cohorts(
            viewer_of(info),
            info.context.store,
            program_id=decode_id_of(program_id, "Program", "programId"),
        )
        return AdoptionCohorts(
            cohorts=[AdoptionCohort.from_row(r) for r in result.value],
            from_cache=result.from_cache,
            computed_at=result.computed_at,
        )

    @viewer_field(
        "OPDs whose weekly-active share is below the city median by more than "
        "`margin` in the week of `week`."
    )
    async def adoption_lagging(
        self,
        info: Info,
        week: Annotated[date, strawberry.argument(description="Any day of the ISO week.")],
        margin: Annotated[
            float,
            strawberry.argument(description="Margin below the median, 0-1 (0.1 = 10 points)."),
        ] = metrics.DEFAULT_LAG_MARGIN,
    ) -> AdoptionLagging:
        """Lagging OPDs."""
        result = await dashboard.lagging(
            viewer_of(info), info.context.store, week=week, margin=margin
        )
        lag = result.value
        return AdoptionLagging(
            week=lag.week,
            iso_week=metrics.iso_week_label(lag.week),
            margin=lag.margin,
            city_median=lag.city_median,
            opds=[LaggingOpd.from_row(r) for r in lag.opds],
            from_cache=result.from_cache,
            computed_at=result.computed_at,
        )

    @viewer_field("A closed survey's results as aggregates of groups of at least 5 people.")
    async def survey_results(
        self,
        info: Info,
        survey_id: Annotated[strawberry.ID, strawberry.argument(description="The survey.")],
        group_by: Annotated[
            GroupBy, strawberry.argument(description="OPD, UNIT or CITY.")
        ] = GroupBy.OPD,
    ) -> SurveyResult:
        """Survey results."""
        result = await surveys.survey_results(
            viewer_of(info),
            info.context.store,
            survey_id=decode_id_of(survey_id, "Survey", "surveyId"),
            group_by=group_by,
        )
        res = result.value
        survey = await surveys.get_survey(res.survey_id)
        return SurveyResult(
            survey=SurveyType.from_row(survey),
            group_by=GroupBy(res.group_by),
            published=res.published,
            min_group_size=metrics.MIN_GROUP,
            groups=[
                SurveyResultGroup(group=g, result=PulseAggregate.from_result(g.result))
                for g in res.groups
            ],
            from_cache=result.from_cache,
            computed_at=result.computed_at,
        )

    @viewer_field("Each OPD's pulse before vs after its first session (closed surveys).")
    async def survey_trend(
        self,
        info: Info,
        opd_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="One OPD; null for all.")
        ] = None,
    ) -> SurveyTrend:
        """Survey trend."""
        result = await surveys.survey_trend(
            viewer_of(info),
            info.context.store,
            opd_id=decode_optional_id(opd_id, "Opd", "opdId"),
        )
        return SurveyTrend(
            rows=[SurveyTrendRow.from_row(r) for r in result.value],
            from_cache=result.from_cache,
            computed_at=result.computed_at,
        )
