"""Query fields of evaluations, curves, incentives and the audit log, and their nodes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, TypeVar

import strawberry

from portal.accounts import facts as accounts_facts
from portal.core import audit
from portal.core.context import Info
from portal.core.graphql import (
    Connection,
    OrderDirection,
    OrderInput,
    ordered_page_request,
    register_node,
    to_connection,
    viewer_field,
    viewer_of,
)
from portal.core.ids import decode_id_of, decode_optional_id
from portal.core.pagination import BY_ID_DESC
from portal.people import visibility
from portal.people.loaders import PeopleLoaders
from portal.performance import policy
from portal.performance.evaluation.loaders import EvaluationLoaders
from portal.performance.evaluation.services import curve, evaluations, incentives, pro_rata
from portal.performance.evaluation.types import (
    ADMINS,
    BKPSDM,
    AnnualResultType,
    AuditEntryType,
    DevelopmentCandidateType,
    DistributionCurveType,
    EvaluationType,
    IncentiveRowType,
    IncentiveRuleType,
)
from portal.performance.planning.loaders import PerformanceLoaders


async def _evaluation_node(info: Info, pk: int) -> EvaluationType | None:
    viewer = info.context.viewer
    row = await EvaluationLoaders.of(info).evaluation.load(pk)
    if viewer is None or row is None:
        return None
    if row.rater_id is not None and row.rater_id == viewer.employee_id:
        skp = await PerformanceLoaders.of(info).skp.load(row.skp_id)
        if skp is not None and policy.is_closed_skp_rater(viewer, skp):
            return EvaluationType.from_row(row)  # the old rater of a mutasi's closed SKP
    employee = await PeopleLoaders.of(info).employee.load(row.employee_id)
    if employee is None or not await visibility.may_read(viewer, employee):
        return None
    return EvaluationType.from_row(row)


register_node("Evaluation", _evaluation_node)


@strawberry.input(description="Filters of the evaluation list (combined with AND).")
class EvaluationFilterInput:
    """Evaluation filters."""

    employee_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this employee's evaluations."
    )
    period_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this period."
    )
    to_rate: bool = strawberry.field(
        default=False, description="Only evaluations the viewer rates as pejabat penilai."
    )


@strawberry.input(description="Filters of the audit log (combined with AND).")
class AuditLogFilterInput:
    """Audit filters."""

    entity_type: str | None = strawberry.field(
        default=None, description="Kind of object, e.g. Evaluation, OpdCurve, IncentiveRule."
    )
    action: str | None = strawberry.field(
        default=None, description="Action, e.g. EVALUATION_FINALISED or CURVE_OVERRIDDEN."
    )
    entity_id: str | None = strawberry.field(
        default=None, description="Database id of the object (as shown in `entityId`)."
    )
    username: str | None = strawberry.field(
        default=None, description="Who acted: the account's username (an employee's NIP)."
    )
    since: datetime | None = strawberry.field(
        default=None, description="Entries at or after this moment."
    )
    until: datetime | None = strawberry.field(
        default=None, description="Entries before this moment."
    )


@strawberry.input(description="Ordering of an evaluation list (default: newest first).")
class EvaluationOrderInput(
    OrderInput,
    fields={"STATUS": evaluations.EVALUATION_BY_STATUS},
    what="What an evaluation list can be ordered by (then by ID).",
    direction="Ascending (default: drafts first) or descending.",
):
    """``orderBy`` of ``evaluations``."""


@strawberry.input(description="Ordering of the audit log (default: newest first).")
class AuditEntryOrderInput(
    OrderInput,
    fields={"AT": audit.AUDIT_BY_AT, "ACTION": audit.AUDIT_BY_ACTION},
    what="What the audit log can be ordered by (then by ID).",
    default=OrderDirection.DESC,
    direction="Descending (default) or ascending.",
):
    """``orderBy`` of ``auditLog``."""


_PeriodArg = Annotated[strawberry.ID, strawberry.argument(description="The period.")]


_OpdArg = Annotated[strawberry.ID, strawberry.argument(description="The OPD.")]


_Filter = TypeVar("_Filter")
_Filters = Annotated[_Filter | None, strawberry.argument(name="filter", description="Filters.")]


_FirstArg = Annotated[int | None, strawberry.argument(description="Page size (1-100).")]


_AfterArg = Annotated[
    str | None, strawberry.argument(description="Cursor to continue after (`endCursor`).")
]


@strawberry.type
class EvaluationQuery:
    """Evaluations, distribution curves, incentives and the audit log."""

    @viewer_field(
        "Evaluations the viewer may read (own, supervisor chain, administered OPDs), newest first."
    )
    async def evaluations(  # noqa: PLR0917 - the Relay arguments, filter and ordering
        self,
        info: Info,
        first: _FirstArg = None,
        after: _AfterArg = None,
        filters: _Filters[EvaluationFilterInput] = None,
        last: int | None = None,
        before: str | None = None,
        order_by: EvaluationOrderInput | None = None,
    ) -> Connection[EvaluationType]:
        """Paginated evaluations."""
        flt = filters or EvaluationFilterInput()
        request = ordered_page_request(first, after, last, before, order_by, default=BY_ID_DESC)
        page = await evaluations.list_evaluations(
            viewer_of(info),
            request,
            employee_id=decode_optional_id(flt.employee_id, "Employee", "employeeId"),
            period_id=decode_optional_id(flt.period_id, "Period", "periodId"),
            to_rate=flt.to_rate,
        )
        return to_connection(page, EvaluationType.from_row)

    @viewer_field(
        "An employee's annual result for an annual period: the parts of the year "
        "(one per SKP after a mutasi) and their pro rata combination once all are FINAL (the "
        "employee's private scope)."
    )
    async def annual_result(
        self,
        info: Info,
        employee_id: Annotated[strawberry.ID, strawberry.argument(description="The employee.")],
        period_id: _PeriodArg,
    ) -> AnnualResultType:
        """Annual result."""
        result = await pro_rata.annual_result(
            viewer_of(info),
            decode_id_of(employee_id, "Employee", "employeeId"),
            decode_id_of(period_id, "Period", "periodId"),
        )
        return AnnualResultType.from_result(result)

    @viewer_field(
        "An OPD's predikat distribution for a period against its organisational "
        "predikat (ADMIN_OPD of the OPD, or ADMIN_BKPSDM).",
        ADMINS,
    )
    async def distribution_curve(
        self, info: Info, opd_id: _OpdArg, period_id: _PeriodArg
    ) -> DistributionCurveType:
        """Curve report."""
        report = await curve.curve_report(
            viewer_of(info),
            decode_id_of(opd_id, "Opd", "opdId"),
            decode_id_of(period_id, "Period", "periodId"),
        )
        return DistributionCurveType.from_report(report)

    @viewer_field("The incentive table in force (the city's defaults until BKPSDM sets one).")
    async def incentive_rules(self) -> list[IncentiveRuleType]:
        """Incentive table."""
        return [IncentiveRuleType.from_row(r) for r in await incentives.list_rules()]

    @viewer_field(
        "Payroll lines of an OPD's FINAL evaluations for a period (also as "
        "/exports/incentives.csv and .xlsx).",
        ADMINS,
    )
    async def incentive_rows(
        self, info: Info, period_id: _PeriodArg, opd_id: _OpdArg
    ) -> list[IncentiveRowType]:
        """Payroll lines."""
        rows = await incentives.incentive_rows(
            viewer_of(info),
            decode_id_of(period_id, "Period", "periodId"),
            decode_id_of(opd_id, "Opd", "opdId"),
        )
        return [IncentiveRowType.from_row(r) for r in rows]

    @viewer_field(
        "Employees rated Butuh Perbaikan or worse in a period, within the "
        "viewer's scope, for a development plan."
    )
    async def development_candidates(
        self,
        info: Info,
        period_id: _PeriodArg,
        opd_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this OPD.")
        ] = None,
    ) -> list[DevelopmentCandidateType]:
        """Development candidates."""
        items = await incentives.development_candidates(
            viewer_of(info),
            decode_id_of(period_id, "Period", "periodId"),
            decode_optional_id(opd_id, "Opd", "opdId"),
        )
        return [DevelopmentCandidateType.from_item(i) for i in items]

    @viewer_field("The audit log, newest first (ADMIN_BKPSDM only).", BKPSDM)
    async def audit_log(  # noqa: PLR0917 - the Relay arguments, filter and ordering
        self,
        info: Info,
        first: _FirstArg = None,
        after: _AfterArg = None,
        filters: _Filters[AuditLogFilterInput] = None,
        last: int | None = None,
        before: str | None = None,
        order_by: AuditEntryOrderInput | None = None,
    ) -> Connection[AuditEntryType]:
        """Audit entries."""
        flt = filters or AuditLogFilterInput()
        viewer = viewer_of(info)
        account_id = None
        if flt.username and flt.username.strip():
            # an unknown username matches nothing (-1 is never an account id)
            account_id = await accounts_facts.account_id_by_username(flt.username) or -1
        request = ordered_page_request(first, after, last, before, order_by, default=BY_ID_DESC)
        page = await audit.entries(
            viewer,
            request,
            entity_type=flt.entity_type,
            action=flt.action,
            entity_id=flt.entity_id,
            account_id=account_id,
            since=flt.since,
            until=flt.until,
        )
        return to_connection(page, AuditEntryType.from_row)
