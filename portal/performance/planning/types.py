"""GraphQL types of the performance domain: periods, SKP, RHK, indicators, activities."""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

import strawberry
from strawberry.types import Info

from portal.core import clock
from portal.core.context import Context
from portal.core.graphql import Node
from portal.core.ids import encode_global_id
from portal.core.row_types import FromRow
from portal.people.enums import JabatanKind
from portal.people.types import EmployeeType, employee_field, load_employee
from portal.performance.enums import (
    ActivityStatus,
    Aspect,
    BerAkhlak,
    PeriodKind,
    PeriodStatus,
    Perspective,
    RhkKind,
    SkpStatus,
)
from portal.performance.planning.loaders import PerformanceLoaders
from portal.performance.planning.services import progress as progress_service
from portal.performance.planning.services.progress import IndicatorProgress, TeamMember
from portal.performance.rows import ActivityRow, IndicatorRow, PeriodRow, RhkRow, SkpRow

strawberry.enum(PeriodKind, description="ANNUAL, or the QUARTERLY/MONTHLY evaluation periods.")
strawberry.enum(PeriodStatus, description="OPEN, EVALUATION or CLOSED.")
strawberry.enum(SkpStatus, description="SKP workflow state.")
strawberry.enum(RhkKind, description="UTAMA (main) or TAMBAHAN (additional) planned result.")
strawberry.enum(Aspect, description="What an indicator measures.")
strawberry.enum(Perspective, description="Perspective of a JPT's RHK.")
strawberry.enum(BerAkhlak, description="The seven BerAKHLAK core values.")
strawberry.enum(
    ActivityStatus, description="SUBMITTED, VERIFIED, REJECTED or WITHDRAWN (by its author)."
)


async def _period(info: Info[Context, None], period_id: int) -> PeriodType:
    row = await PerformanceLoaders.of(info).period.load(period_id)
    assert row is not None  # noqa: S101 - enforced by a NOT NULL foreign key
    return PeriodType.from_row(row)


@strawberry.type(name="Period", description="An annual period or one of its evaluation periods.")
class PeriodType(Node):
    """A period."""

    row: strawberry.Private[PeriodRow]
    year: int = strawberry.field(description="Calendar year.")
    kind: PeriodKind = strawberry.field(description="ANNUAL, QUARTERLY or MONTHLY.")
    number: int = strawberry.field(description="0 for the year, 1-4 or 1-12 for sub-periods.")
    name: str = strawberry.field(description="Label, e.g. Triwulan II 2026.")
    starts_on: date = strawberry.field(description="First day.")
    ends_on: date = strawberry.field(description="Last day.")
    submission_deadline: date = strawberry.field(
        description="SKP deadline (annual) or evaluation deadline (sub-period)."
    )
    status: PeriodStatus = strawberry.field(description="OPEN, EVALUATION or CLOSED.")
    evaluation_frequency: PeriodKind | None = strawberry.field(
        description="For an annual period: QUARTERLY or MONTHLY evaluations."
    )

    @classmethod
    def from_row(cls, row: PeriodRow) -> PeriodType:
        """Build from a service row."""
        return cls(
            id=strawberry.ID(encode_global_id("Period", row.id)),
            row=row,
            year=row.year,
            kind=PeriodKind(row.kind),
            number=row.number,
            name=row.name,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            submission_deadline=row.submission_deadline,
            status=PeriodStatus(row.status),
            evaluation_frequency=(
                PeriodKind(row.evaluation_frequency) if row.evaluation_frequency else None
            ),
        )

    @strawberry.field(description="The annual period of an evaluation period.")
    async def parent(self, info: Info[Context, None]) -> PeriodType | None:
        """Parent period."""
        return await _period(info, self.row.parent_id) if self.row.parent_id else None

    @strawberry.field(description="Evaluation periods of an annual period, in order.")
    async def children(self, info: Info[Context, None]) -> list[PeriodType]:
        """Sub-periods."""
        rows = await PerformanceLoaders.of(info).children.load(self.row.id)
        return [PeriodType.from_row(r) for r in rows]


@strawberry.type(description="Cumulative realisation of an indicator and its pace.")
class IndicatorProgressType:
    """Progress of one indicator."""

    item: strawberry.Private[IndicatorProgress]
    verified_quantity: float = strawberry.field(description="Sum of verified activities.")
    submitted_quantity: float = strawberry.field(description="Sum awaiting verification.")
    verified_count: int = strawberry.field(description="Verified activities.")
    submitted_count: int = strawberry.field(description="Activities awaiting verification.")
    rejected_count: int = strawberry.field(description="Rejected activities.")
    progress: float | None = strawberry.field(
        description="Verified quantity / annual target (1.0 = target reached). KUANTITAS "
        "indicators only (quality, time and cost are levels measured at evaluation); null for "
        "the others and without a target."
    )
    expected_pace: float = strawberry.field(
        description="Share of the year elapsed at the window end: where progress should be."
    )
    behind_pace: bool = strawberry.field(
        description="Progress trails the expected pace (never for an indicator without progress)."
    )
    achievement: float | None = strawberry.field(
        description="Achievement by the rule evaluations use: verified quantity against the "
        "annual target pro-rated to the window end (1.0 = on pace; the hasil suggestion's ratio). "
        "KUANTITAS indicators only; null for the others and without a target."
    )
    window_start: date = strawberry.field(description="Start of the counted window.")
    window_end: date = strawberry.field(description="End of the counted window.")
    # plain attributes, not resolvers: strawberry reads them without building an Info, which
    # matters in team views that return hundreds of these
    indicator: IndicatorType = strawberry.field(description="The indicator.")

    @classmethod
    def from_item(cls, item: IndicatorProgress) -> IndicatorProgressType:
        """Build from a service result."""
        return cls(
            item=item,
            indicator=IndicatorType.from_row(item.indicator),
            verified_quantity=item.tally.verified_quantity,
            submitted_quantity=item.tally.submitted_quantity,
            verified_count=item.tally.verified_count,
            submitted_count=item.tally.submitted_count,
            rejected_count=item.tally.rejected_count,
            progress=item.progress,
            expected_pace=item.expected_pace,
            behind_pace=item.behind_pace,
            achievement=item.achievement,
            window_start=item.window_start,
            window_end=item.window_end,
        )


async def indicator_progress(
    info: Info[Context, None], indicator: IndicatorRow, period_id: int | None
) -> IndicatorProgressType:
    """Progress of an indicator up to the end of a period (default: up to today)."""
    loaders = PerformanceLoaders.of(info)
    skp_row = await loaders.skp.load(indicator.skp_id)
    assert skp_row is not None  # noqa: S101 - enforced by a NOT NULL foreign key
    annual = await loaders.period.load(skp_row.period_id)
    assert annual is not None  # noqa: S101
    period = await loaders.period.load(period_id) if period_id else None
    window = progress_service.progress_window(annual, period, clock.today())
    tally = await loaders.tally.load((indicator.id, window[0], window[1]))
    return IndicatorProgressType.from_item(
        progress_service.indicator_progress(indicator, annual, window, tally)
    )


@strawberry.type(name="Indicator", description="Indikator Kinerja Individu (IKI) with its target.")
class IndicatorType(Node, FromRow[IndicatorRow]):
    """An indicator."""

    row: strawberry.Private[IndicatorRow]
    aspect: Aspect = strawberry.field(description="KUANTITAS, KUALITAS, WAKTU or BIAYA.")
    description: str = strawberry.field(description="What is measured.")
    target_value: float = strawberry.field(description="Annual target, e.g. 12000.")
    unit: str = strawberry.field(description="Unit of the target, e.g. dosis vaksin.")

    @strawberry.field(description="Progress up to the end of `periodId` (default: today).")
    async def progress(
        self, info: Info[Context, None], period_id: strawberry.ID | None = None
    ) -> IndicatorProgressType:
        """Progress."""
        from portal.core.ids import decode_id_of  # noqa: PLC0415

        pk = decode_id_of(period_id, "Period", "periodId") if period_id else None
        return await indicator_progress(info, self.row, pk)

    @strawberry.field(description="The RHK this indicator measures.")
    async def rhk(self, info: Info[Context, None]) -> RhkType:
        """Owning RHK."""
        row = await PerformanceLoaders.of(info).rhk.load(self.row.rhk_id)
        assert row is not None  # noqa: S101
        return RhkType.from_row(row)


@strawberry.type(name="Rhk", description="Rencana Hasil Kerja: a planned result with indicators.")
class RhkType(Node):
    """An RHK."""

    row: strawberry.Private[RhkRow]
    kind: RhkKind = strawberry.field(description="UTAMA or TAMBAHAN.")
    description: str = strawberry.field(description="The planned result.")
    perspective: Perspective | None = strawberry.field(description="JPT perspective, if any.")

    @classmethod
    def from_row(cls, row: RhkRow) -> RhkType:
        """Build from a service row."""
        return cls(
            id=strawberry.ID(encode_global_id("Rhk", row.id)),
            row=row,
            kind=RhkKind(row.kind),
            description=row.description,
            perspective=Perspective(row.perspective) if row.perspective else None,
        )

    @strawberry.field(description="The supervisor's RHK this one intervenes in (cascading).")
    async def parent_rhk(self, info: Info[Context, None]) -> RhkType | None:
        """Intervened RHK."""
        if self.row.parent_rhk_id is None:
            return None
        row = await PerformanceLoaders.of(info).rhk.load(self.row.parent_rhk_id)
        return RhkType.from_row(row) if row else None

    @strawberry.field(description="Indicators of this RHK.")
    async def indicators(self, info: Info[Context, None]) -> list[IndicatorType]:
        """Indicators."""
        rows = await PerformanceLoaders.of(info).indicators_by_rhk.load(self.row.id)
        return [IndicatorType.from_row(r) for r in rows]


@strawberry.type(description="Ekspektasi khusus pimpinan for one BerAKHLAK value.")
class SkpExpectationType:
    """A leader's expectation."""

    value: BerAkhlak = strawberry.field(description="The BerAKHLAK value.")
    label: str = strawberry.field(description="Indonesian label of the value.")
    expectation: str = strawberry.field(description="What the leader expects.")


@strawberry.type(description="A recorded revision of an approved SKP.")
class SkpRevisionType:
    """A revision."""

    revision: int = strawberry.field(description="Revision number (1 = first revision).")
    reason: str = strawberry.field(description="Why the approved SKP was reopened.")
    created_at: datetime = strawberry.field(description="When.")


@strawberry.type(name="Skp", description="Sasaran Kinerja Pegawai: an employee's yearly plan.")
class SkpType(Node, FromRow[SkpRow]):
    """An SKP."""

    row: strawberry.Private[SkpRow]
    status: SkpStatus = strawberry.field(description="DRAFT, SUBMITTED, APPROVED or RETURNED.")
    return_note: str | None = strawberry.field(description="The rater's note when RETURNED.")
    revision: int = strawberry.field(description="Number of recorded revisions.")
    jabatan_name: str = strawberry.field(description="Position when the SKP was created.")
    jabatan_kind: JabatanKind = strawberry.field(description="Position kind at creation.")
    resources: str = strawberry.field(description="Annex: resources (dukungan sumber daya).")
    accountability: str = strawberry.field(description="Annex: accountability scheme.")
    consequences: str = strawberry.field(description="Annex: consequences.")
    submitted_at: datetime | None = strawberry.field(description="Last submission.")
    approved_at: datetime | None = strawberry.field(description="Last approval.")
    served_from: date | None = strawberry.field(
        description="First day this SKP covers after a mutasi (null: the period's start)."
    )
    served_until: date | None = strawberry.field(
        description="Last day served under this SKP when a mutasi closed it (null: active)."
    )

    @strawberry.field(description="The employee.")
    async def employee(self, info: Info[Context, None]) -> EmployeeType:
        """Owner."""
        employee = await load_employee(info, self.row.employee_id)
        assert employee is not None  # noqa: S101
        return employee

    rater = employee_field(
        "rater_id", description="The rater (pejabat penilai) captured at creation."
    )

    rater_superior = employee_field(
        "rater_superior_id", description="The rater's superior (atasan pejabat penilai)."
    )

    @strawberry.field(description="The annual period.")
    async def period(self, info: Info[Context, None]) -> PeriodType:
        """Period."""
        return await _period(info, self.row.period_id)

    @strawberry.field(description="Planned results, UTAMA first.")
    async def rhks(self, info: Info[Context, None]) -> list[RhkType]:
        """RHKs."""
        rows = await PerformanceLoaders.of(info).rhks_by_skp.load(self.row.id)
        return [RhkType.from_row(r) for r in rows]

    @strawberry.field(description="Ekspektasi khusus pimpinan, per BerAKHLAK value.")
    async def expectations(self, info: Info[Context, None]) -> list[SkpExpectationType]:
        """Leader's expectations."""
        found = await PerformanceLoaders.of(info).expectations.load(self.row.id)
        return [
            SkpExpectationType(value=v, label=v.label, expectation=found[v.value])
            for v in BerAkhlak
            if v.value in found
        ]

    @strawberry.field(description="Recorded revisions, oldest first.")
    async def revisions(self, info: Info[Context, None]) -> list[SkpRevisionType]:
        """Revisions."""
        rows = await PerformanceLoaders.of(info).revisions.load(self.row.id)
        return [
            SkpRevisionType(
                revision=int(str(r["revision"])),
                reason=str(r["reason"]),
                created_at=cast("datetime", r["created_at"]),
            )
            for r in rows
        ]


@strawberry.type(name="Activity", description="Aktivitas harian: a logged piece of daily work.")
class ActivityType(Node, FromRow[ActivityRow]):
    """An activity."""

    row: strawberry.Private[ActivityRow]
    activity_date: date = strawberry.field(description="Day the work was done.")
    description: str = strawberry.field(description="What was done.")
    quantity: float = strawberry.field(description="How much (in `unit`).")
    unit: str = strawberry.field(description="Unit, e.g. dosis vaksin.")
    duration_minutes: int | None = strawberry.field(description="Time spent, in minutes.")
    evidence_links: list[str] = strawberry.field(description="Links to bukti dukung.")
    status: ActivityStatus = strawberry.field(
        description="SUBMITTED, VERIFIED, REJECTED or WITHDRAWN."
    )
    rejection_note: str | None = strawberry.field(description="Why it was rejected.")
    verified_at: datetime | None = strawberry.field(description="When it was verified/rejected.")
    logged_at: datetime = strawberry.field(description="When it was logged.")
    idempotency_key: str = strawberry.field(description="The client's idempotency key.")

    @strawberry.field(description="Who did the work.")
    async def employee(self, info: Info[Context, None]) -> EmployeeType:
        """Employee."""
        employee = await load_employee(info, self.row.employee_id)
        assert employee is not None  # noqa: S101
        return employee

    @strawberry.field(description="The SKP indicator this work counts toward, if any.")
    async def indicator(self, info: Info[Context, None]) -> IndicatorType | None:
        """Indicator."""
        if self.row.indicator_id is None:
            return None
        row = await PerformanceLoaders.of(info).indicator.load(self.row.indicator_id)
        return IndicatorType.from_row(row) if row else None

    verifier = employee_field("verifier_id", description="Who verified or rejected it.")

    verified_for = employee_field(
        "verified_for_id",
        description="When the verifier acted as Plt/Plh: the supervisor they stood in for.",
    )


@strawberry.type(description="One subordinate in a supervisor's team overview.")
class TeamMemberType:
    """Team member progress."""

    member: strawberry.Private[TeamMember]
    average_progress: float | None = strawberry.field(
        description="Mean progress over the SKP's indicators (null without SKP/targets)."
    )
    indicators_behind: int = strawberry.field(description="Indicators trailing the pace.")
    pending_verification_count: int = strawberry.field(
        description="Activities awaiting the supervisor's verification."
    )
    last_activity_date: date | None = strawberry.field(description="Latest logged work day.")
    # plain attributes, not resolvers (see IndicatorProgressType)
    employee: EmployeeType = strawberry.field(description="The subordinate.")
    skp: SkpType | None = strawberry.field(description="Their SKP for the year, if they have one.")
    indicators: list[IndicatorProgressType] = strawberry.field(
        description="Progress of each indicator."
    )

    @strawberry.field(
        description="Opaque ID of this row: stable per employee and period, for client caches "
        "(node(id:) does not fetch it; `employee.id` is the employee's)."
    )
    def id(self) -> strawberry.ID:
        """Identity: the employee in the period the progress is measured over."""
        return strawberry.ID(encode_global_id("TeamMember", self.member.key))

    @classmethod
    def from_member(cls, member: TeamMember) -> TeamMemberType:
        """Build from a service result."""
        return cls(
            member=member,
            average_progress=member.average_progress,
            indicators_behind=member.indicators_behind,
            pending_verification_count=member.pending_verifications,
            last_activity_date=member.last_activity_date,
            employee=EmployeeType.from_row(member.employee),
            skp=SkpType.from_row(member.skp) if member.skp else None,
            indicators=[IndicatorProgressType.from_item(p) for p in member.indicators],
        )
