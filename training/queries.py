"""Query fields of the training module and its nodes (thin: unpack, call the service, map)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from portal.core.auth import Role
from portal.core.context import Info
from portal.core.graphql import (
    NULLABLE_PART,
    Connection,
    has_role,
    register_node,
    to_connection,
    viewer_field,
    viewer_of,
)
from portal.core.ids import decode_optional_id
from portal.core.pagination import page_request
from portal.mentoring.loaders import MentoringLoaders
from portal.performance.planning.loaders import PerformanceLoaders
from training import policy
from training.enums import (
    AssignmentStatus,
    CompetencyKind,
    CourseForm,
    CourseMode,
    CourseStatus,
)
from training.loaders import RequestPerformance, TrainingLoaders
from training.services import assignments, catalogue, jp, recommendations
from training.services.catalogue import CourseFilter
from training.types import (
    CompetencyType,
    CourseType,
    JpLedgerType,
    JpRollupType,
    TrainingAssignmentType,
    TrainingRecommendationType,
)

_ADMINS = has_role(Role.ADMIN_BKPSDM, Role.ADMIN_OPD)


_FirstArg = Annotated[int, strawberry.argument(description="Page size (1-100).")]


_AfterArg = Annotated[
    str | None, strawberry.argument(description="Cursor to continue after (`endCursor`).")
]


_YearArg = Annotated[
    int | None, strawberry.argument(description="Calendar year (default: the current year).")
]


async def _course_node(info: Info, pk: int) -> CourseType | None:
    row = await TrainingLoaders.of(info).course.load(pk)
    if row is None or not policy.course_visible(info.context.viewer, row.status):
        return None
    return CourseType.from_row(row)


async def _competency_node(info: Info, pk: int) -> CompetencyType | None:
    row = await TrainingLoaders.of(info).competency.load(pk)
    return CompetencyType.from_row(row) if row else None


async def _assignment_node(info: Info, pk: int) -> TrainingAssignmentType | None:
    viewer = info.context.viewer
    row = await TrainingLoaders.of(info).assignment.load(pk)
    if viewer is None or row is None or not await assignments.can_read(viewer, row):
        return None
    return TrainingAssignmentType.from_row(row)


register_node("Course", _course_node)


register_node("Competency", _competency_node)


register_node("TrainingAssignment", _assignment_node)


@strawberry.input(description="Filters of the course catalogue (combined with AND).")
class CourseFilterInput:
    """Catalogue filters."""

    search: str | None = strawberry.field(
        default=None, description="Case-insensitive part of the title or the provider."
    )
    mode: CourseMode | None = strawberry.field(default=None, description="Only this mode.")
    form: CourseForm | None = strawberry.field(default=None, description="Only this form.")
    competency_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only courses developing this competency."
    )
    status: CourseStatus | None = strawberry.field(
        default=None, description="Only this status (DRAFT and ARCHIVED: admins only)."
    )


@strawberry.type
class TrainingQuery:
    """Catalogue, assignments, the JP ledger and recommendations."""

    @viewer_field("The training catalogue, newest first (DRAFT and ARCHIVED: admins only).")
    async def courses(
        self,
        info: Info,
        first: _FirstArg,
        after: _AfterArg = None,
        filter: Annotated[  # noqa: A002 - GraphQL argument name
            CourseFilterInput | None, strawberry.argument(description="Filters.")
        ] = None,
    ) -> Connection[CourseType]:
        """Paginated catalogue."""
        flt = filter or CourseFilterInput()
        page = await catalogue.list_courses(
            viewer_of(info),
            CourseFilter(
                search=flt.search,
                mode=flt.mode,
                form=flt.form,
                competency_id=decode_optional_id(flt.competency_id, "Competency", "competencyId"),
                status=flt.status,
            ),
            page_request(first, after),
        )
        return to_connection(page, CourseType.from_row)

    @viewer_field("Every competency, by kind and name.")
    async def competencies(
        self,
        kind: Annotated[
            CompetencyKind | None, strawberry.argument(description="Only this kind.")
        ] = None,
    ) -> list[CompetencyType]:
        """Competencies."""
        return [CompetencyType.from_row(r) for r in await catalogue.list_competencies(kind)]

    @viewer_field(
        "Training assignments, newest first: of an employee (default: the viewer; "
        "supervisor chain and admins of the OPD for others), or every visible participant of "
        "a course (`courseId`)."
    )
    async def training_assignments(  # noqa: PLR0917 - one parameter per GraphQL argument
        self,
        info: Info,
        first: _FirstArg,
        after: _AfterArg = None,
        employee_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The employee.")
        ] = None,
        course_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this course.")
        ] = None,
        status: Annotated[
            AssignmentStatus | None, strawberry.argument(description="Only this status.")
        ] = None,
        year: _YearArg = None,
    ) -> Connection[TrainingAssignmentType]:
        """Assignments."""
        page = await assignments.list_assignments(
            viewer_of(info),
            page_request(first, after),
            employee_id=decode_optional_id(employee_id, "Employee", "employeeId"),
            course_id=decode_optional_id(course_id, "Course", "courseId"),
            status=status,
            year=year,
        )
        return to_connection(page, TrainingAssignmentType.from_row)

    @viewer_field("An employee's JP of a year against the 20 JP right (default: the viewer).")
    async def jp_ledger(
        self,
        info: Info,
        employee_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The employee.")
        ] = None,
        year: _YearArg = None,
    ) -> JpLedgerType:
        """Ledger."""
        item = await jp.employee_ledger(
            viewer_of(info), decode_optional_id(employee_id, "Employee", "employeeId"), year
        )
        return JpLedgerType.from_item(item)

    @viewer_field(
        "JP roll-up of an OPD (per unit), a unit with its sub-units, or the whole "
        "city per OPD (BKPSDM); ADMIN_OPD of the OPD or ADMIN_BKPSDM.",
        _ADMINS,
    )
    async def jp_rollup(
        self,
        info: Info,
        opd_id: Annotated[strawberry.ID | None, strawberry.argument(description="The OPD.")] = None,
        unor_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The unit (with sub-units).")
        ] = None,
        year: _YearArg = None,
    ) -> JpRollupType:
        """Roll-up."""
        rollup = await jp.rollup(
            viewer_of(info),
            opd_id=decode_optional_id(opd_id, "Opd", "opdId"),
            unor_id=decode_optional_id(unor_id, "Unor", "unorId"),
            year=year,
        )
        return JpRollupType.from_rollup(rollup)

    @viewer_field(
        "Active employees at risk of missing 20 JP this year (including those with "
        "no training at all), by employee: the city for BKPSDM, their OPDs for ADMIN_OPD, the "
        "whole chain below a supervisor."
    )
    async def jp_at_risk(
        self,
        info: Info,
        first: _FirstArg,
        after: _AfterArg = None,
        opd_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this OPD.")
        ] = None,
        year: _YearArg = None,
    ) -> Connection[JpLedgerType]:
        """At-risk list."""
        page = await jp.at_risk(
            viewer_of(info),
            page_request(first, after),
            opd_id=decode_optional_id(opd_id, "Opd", "opdId"),
            year=year,
        )
        return to_connection(page, JpLedgerType.from_item)

    @viewer_field(
        "Ranked, explained course recommendations for an employee (default: the "
        "viewer; their supervisor chain and admins of the OPD for others)." + NULLABLE_PART
    )
    async def training_recommendations(
        self,
        info: Info,
        employee_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The employee.")
        ] = None,
        limit: Annotated[int, strawberry.argument(description="How many (1-50).")] = 10,
    ) -> list[TrainingRecommendationType] | None:
        """Recommendations."""
        viewer = viewer_of(info)
        target = decode_optional_id(employee_id, "Employee", "employeeId")
        subject = target if target is not None else viewer.employee_id
        recs = await recommendations.recommendations(
            viewer,
            target,
            limit=limit,
            performance=RequestPerformance(PerformanceLoaders.of(info), subject),
            courses_read=TrainingLoaders.of(info).prime_courses,
            mentoring=MentoringLoaders.of(info).open_alert_employee_ids,
            store=info.context.store,
        )
        whose = target if target is not None else policy.own_employee_id(viewer)
        return [TrainingRecommendationType.from_recommendation(r, whose) for r in recs]
