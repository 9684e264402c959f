"""Mutation fields of the performance cycle, with their inputs and payloads (thin)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date

import strawberry

from portal.core.auth import Viewer
from portal.core.context import Info
from portal.core.errors import DomainError
from portal.core.graphql import (
    Input,
    RowPayload,
    UserError,
    mutate,
    mutate_node,
    run_payload,
    user_errors,
    viewer_mutation,
    viewer_of,
)
from portal.core.ids import decode_id_of
from portal.people.enums import JabatanKind
from portal.people.loaders import PeopleLoaders
from portal.people.types import EmployeeType
from portal.performance import rules
from portal.performance.enums import (
    Aspect,
    BerAkhlak,
    PeriodKind,
    PeriodStatus,
    Perspective,
    RhkKind,
)
from portal.performance.planning.loaders import PerformanceLoaders
from portal.performance.planning.services import activities, mutasi, periods, skp
from portal.performance.planning.types import (
    ActivityType,
    PeriodType,
    RhkType,
    SkpType,
)
from portal.performance.rows import ActivityRow, PeriodRow, RhkRow, SkpRow


@strawberry.input(description="An indicator (IKI) of an RHK.")
class IndicatorInput:
    """Indicator input."""

    aspect: Aspect = strawberry.field(description="What is measured.")
    description: str = strawberry.field(description="Indicator text (3-500 characters).")
    target_value: float = strawberry.field(description="Annual target (> 0).")
    unit: str = strawberry.field(description="Unit of the target (1-50 characters).")
    id: strawberry.ID | None = strawberry.field(
        default=None, description="Existing indicator to keep and update."
    )


@strawberry.input(description="An RHK with its indicators.")
class RhkFields:
    """RHK content."""

    kind: RhkKind = strawberry.field(description="UTAMA or TAMBAHAN.")
    description: str = strawberry.field(description="The planned result (3-1000 characters).")
    indicators: list[IndicatorInput] = strawberry.field(description="1-10 indicators.")
    parent_rhk_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The supervisor's RHK this one intervenes in (required for UTAMA, non-JPT).",
    )
    perspective: Perspective | None = strawberry.field(
        default=None, description="JPT only: the perspective."
    )


def _rhk_input(fields: RhkFields, rhk_id: int | None = None) -> skp.RhkInput:
    return skp.RhkInput(
        kind=fields.kind,
        description=fields.description,
        indicators=tuple(
            skp.IndicatorInput(
                aspect=i.aspect,
                description=i.description,
                target_value=i.target_value,
                unit=i.unit,
                id=decode_id_of(i.id, "Indicator", "indicators") if i.id else None,
            )
            for i in fields.indicators
        ),
        parent_rhk_id=(
            decode_id_of(fields.parent_rhk_id, "Rhk", "parentRhkId")
            if fields.parent_rhk_id
            else None
        ),
        perspective=fields.perspective,
        rhk_id=rhk_id,
    )


@strawberry.input(description="Create an annual period with its evaluation periods.")
class CreatePeriodInput:
    """Create-period input."""

    year: int = strawberry.field(description="Calendar year.")
    evaluation_frequency: PeriodKind = strawberry.field(description="QUARTERLY or MONTHLY.")
    skp_deadline: date | None = strawberry.field(
        default=None, description="SKP submission deadline (default 31 January)."
    )


@strawberry.input(description="Change a period's status.")
class SetPeriodStatusInput:
    """Set-status input."""

    period_id: strawberry.ID = strawberry.field(description="The period.")
    status: PeriodStatus = strawberry.field(description="New status.")


@strawberry.input(description="Start the viewer's SKP for an annual period.")
class CreateSkpInput:
    """Create-SKP input."""

    period_id: strawberry.ID = strawberry.field(description="Annual period.")


@strawberry.input(description="Edit the SKP annex (only the given fields change).")
class UpdateSkpInput:
    """Update-SKP input."""

    skp_id: strawberry.ID = strawberry.field(description="The SKP.")
    resources: str | None = strawberry.field(default=None, description="Dukungan sumber daya.")
    accountability: str | None = strawberry.field(default=None, description="Skema akuntabilitas.")
    consequences: str | None = strawberry.field(default=None, description="Konsekuensi.")


@strawberry.input(description="The leader's expectation for one BerAKHLAK value.")
class ExpectationInput:
    """Expectation input."""

    value: BerAkhlak = strawberry.field(description="The BerAKHLAK value.")
    expectation: str = strawberry.field(description="Expectation text (empty removes it).")


@strawberry.input(description="Set ekspektasi khusus pimpinan on a draft SKP.")
class SetSkpExpectationsInput:
    """Set-expectations input."""

    skp_id: strawberry.ID = strawberry.field(description="The SKP.")
    expectations: list[ExpectationInput] = strawberry.field(description="Values to set.")


@strawberry.input(description="Create an RHK on the viewer's draft SKP, or replace one.")
class SaveRhkInput:
    """Save-RHK input."""

    skp_id: strawberry.ID = strawberry.field(description="The SKP.")
    rhk: RhkFields = strawberry.field(description="The RHK content.")
    rhk_id: strawberry.ID | None = strawberry.field(
        default=None, description="Existing RHK to replace."
    )


@strawberry.input(description="Remove an RHK from the viewer's draft SKP.")
class RemoveRhkInput:
    """Remove-RHK input."""

    rhk_id: strawberry.ID = strawberry.field(description="The RHK.")


@strawberry.input(description="Act on an SKP (submit, approve).")
class SkpActionInput:
    """SKP action input."""

    skp_id: strawberry.ID = strawberry.field(description="The SKP.")


@strawberry.input(description="Return a submitted SKP with a note, or revise an approved one.")
class SkpNoteInput:
    """SKP note input."""

    skp_id: strawberry.ID = strawberry.field(description="The SKP.")
    note: str = strawberry.field(description="What to change, or why to revise (3-2000).")


@strawberry.input(description="Apply a detected mutasi to the annual period of its date.")
class ApplyMutasiInput:
    """Mutasi input."""

    move_id: strawberry.ID = strawberry.field(
        description="Global ID of the detected mutasi (`DetectedMutasi.id`)."
    )


@strawberry.type(description="Result of applying a mutasi: the SKP closed and the SKP opened.")
class ApplyMutasiPayload:
    """Mutasi payload."""

    closed_skp: SkpType | None = strawberry.field(
        description="The SKP closed on the day before the move (null when there was none)."
    )
    opened_skp: SkpType | None = strawberry.field(
        description="The new DRAFT SKP under the new rater, from the move's date."
    )
    user_errors: list[UserError] = strawberry.field(description="Why it failed.")


@strawberry.input(description="Apply one RHK template to every employee of a unit.")
class ApplyRhkTemplateInput:
    """Bulk template input."""

    period_id: strawberry.ID = strawberry.field(description="Annual period.")
    unor_id: strawberry.ID = strawberry.field(description="The unit.")
    rhk: RhkFields = strawberry.field(description="The RHK and indicators to add.")
    jabatan_name: str | None = strawberry.field(
        default=None, description="Only employees with this exact position name."
    )
    jabatan_kind: JabatanKind | None = strawberry.field(
        default=None, description="Only employees of this position kind."
    )


@strawberry.input(description="One daily activity.")
class ActivityFields:
    """Activity content."""

    activity_date: date = strawberry.field(description="Day of the work (not in the future).")
    description: str = strawberry.field(description="What was done (3-2000 characters).")
    quantity: float = strawberry.field(default=0.0, description="How much (>= 0).")
    unit: str = strawberry.field(default="", description="Unit of the quantity.")
    duration_minutes: int | None = strawberry.field(default=None, description="Minutes spent.")
    evidence_links: list[str] = strawberry.field(
        default_factory=list, description="Up to 5 http(s) links to evidence."
    )
    indicator_id: strawberry.ID | None = strawberry.field(
        default=None, description="Indicator of the approved SKP this counts toward."
    )


def _draft(fields: ActivityFields) -> rules.ActivityDraft:
    return rules.ActivityDraft(
        activity_date=fields.activity_date,
        description=fields.description,
        quantity=fields.quantity,
        unit=fields.unit,
        duration_minutes=fields.duration_minutes,
        evidence_links=tuple(fields.evidence_links),
        indicator_id=(
            decode_id_of(fields.indicator_id, "Indicator", "indicatorId")
            if fields.indicator_id
            else None
        ),
    )


@strawberry.input(description="Log an activity; retrying with the same key is safe.")
class LogActivityInput:
    """Log input."""

    idempotency_key: str = strawberry.field(
        description="Client-generated key (e.g. a UUID), unique per activity (1-80 characters)."
    )
    activity: ActivityFields = strawberry.field(description="The activity.")


@strawberry.input(description="Upload up to 100 offline-recorded activities.")
class LogActivitiesInput:
    """Batch input."""

    items: list[LogActivityInput] = strawberry.field(description="The activities (max 100).")


@strawberry.input(description="Fix one's own submitted or rejected activity (resubmits it).")
class UpdateActivityInput:
    """Update-activity input."""

    activity_id: strawberry.ID = strawberry.field(description="The activity.")
    activity: ActivityFields = strawberry.field(description="New content.")


@strawberry.input(description="Withdraw one's own activity that is still awaiting verification.")
class WithdrawActivityInput:
    """Withdraw-activity input."""

    activity_id: strawberry.ID = strawberry.field(description="The SUBMITTED activity.")


@strawberry.input(description="Verify or reject activities of direct reports.")
class VerifyActivitiesInput:
    """Verification input."""

    activity_ids: list[strawberry.ID] = strawberry.field(description="1-100 activities.")
    approve: bool = strawberry.field(description="True to verify, false to reject.")
    note: str | None = strawberry.field(
        default=None, description="Required when rejecting: what to fix."
    )


@strawberry.type(description="Result of a period mutation.")
class PeriodPayload(RowPayload[PeriodRow], period=(PeriodType, "The period.")):
    """Period payload."""


@strawberry.type(description="Result of an SKP mutation.")
class SkpPayload(RowPayload[SkpRow], skp=(SkpType, "The SKP after the change.")):
    """SKP payload."""


@strawberry.type(description="Result of saving an RHK.")
class RhkPayload(RowPayload[RhkRow], rhk=(RhkType, "The saved RHK.")):
    """RHK payload."""


@strawberry.type(description="What a bulk template did for one employee.")
class TemplateOutcome:
    """Per-employee outcome."""

    employee: EmployeeType = strawberry.field(description="The employee.")
    skp: SkpType | None = strawberry.field(description="Their SKP.")
    rhk: RhkType | None = strawberry.field(description="The created RHK, if created.")
    reason: str | None = strawberry.field(description="Why it was skipped.")


@strawberry.type(description="Result of a bulk RHK template.")
class ApplyRhkTemplatePayload:
    """Template payload."""

    created: list[TemplateOutcome] = strawberry.field(description="Employees who got the RHK.")
    skipped: list[TemplateOutcome] = strawberry.field(description="Employees skipped, why.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")


@strawberry.type(description="Result of logging one activity.")
class ActivityPayload:
    """Activity payload."""

    activity: ActivityType | None = strawberry.field(description="The activity.")
    replayed: bool = strawberry.field(
        description="True when this key was seen before: the first result is returned."
    )
    user_errors: list[UserError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of one item of a batch upload.")
class LogActivityResult:
    """Batch item result."""

    index: int = strawberry.field(description="Position in the input list.")
    idempotency_key: str = strawberry.field(description="The item's key.")
    activity: ActivityType | None = strawberry.field(description="The activity, if logged.")
    replayed: bool = strawberry.field(description="Seen before; first result returned.")
    user_errors: list[UserError] = strawberry.field(description="Why this item failed.")


@strawberry.type(description="Result of a batch upload.")
class LogActivitiesPayload:
    """Batch payload."""

    results: list[LogActivityResult] = strawberry.field(description="One per input item.")
    user_errors: list[UserError] = strawberry.field(description="Why the batch was refused.")


@strawberry.type(description="Result of verifying one activity.")
class VerifyActivityResult:
    """Verification item result."""

    activity_id: strawberry.ID = strawberry.field(description="The activity.")
    activity: ActivityType | None = strawberry.field(description="The activity after.")
    user_errors: list[UserError] = strawberry.field(description="Why this item failed.")


@strawberry.type(description="Result of a verification.")
class VerifyActivitiesPayload:
    """Verification payload."""

    results: list[VerifyActivityResult] = strawberry.field(description="One per activity.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")


async def _on_skp(
    info: Info, skp_id: strawberry.ID, action: Callable[[Viewer, int], Awaitable[SkpRow]]
) -> SkpPayload:
    """A write about one SKP, answered with the SKP after it."""
    return await mutate_node(info, (skp_id, "Skp", "skpId"), action, SkpPayload.of)


def _activity_payload(row: ActivityRow | None, errors: list[UserError]) -> ActivityPayload:
    activity = ActivityType.from_row(row) if row else None
    return ActivityPayload(activity=activity, replayed=False, user_errors=errors)


def _logged_payload(
    result: activities.LogResult | None, errors: list[UserError]
) -> ActivityPayload:
    if result is None:
        return ActivityPayload(activity=None, replayed=False, user_errors=errors)
    activity, item_errors = _activity_result(result)
    return ActivityPayload(activity=activity, replayed=result.replayed, user_errors=item_errors)


def _activity_result(result: activities.LogResult) -> tuple[ActivityType | None, list[UserError]]:
    activity = ActivityType.from_row(result.activity) if result.activity else None
    return activity, user_errors(DomainError(*result.errors)) if result.errors else []


async def _outcome(info: Info, result: skp.TemplateResult) -> TemplateOutcome:
    employee = await PeopleLoaders.of(info).employee.load(result.employee_id)
    assert employee is not None  # noqa: S101
    skp_row = await PerformanceLoaders.of(info).skp.load(result.skp_id) if result.skp_id else None
    rhk_row = await PerformanceLoaders.of(info).rhk.load(result.rhk_id) if result.rhk_id else None
    return TemplateOutcome(
        employee=EmployeeType.from_row(employee),
        skp=SkpType.from_row(skp_row) if skp_row else None,
        rhk=RhkType.from_row(rhk_row) if rhk_row else None,
        reason=result.reason,
    )


@strawberry.type
class PerformanceMutation:
    """Periods, SKP planning and approval, activity logging and verification."""

    @viewer_mutation("Create an annual period and its evaluation periods (ADMIN_BKPSDM).")
    async def create_period(self, info: Info, data: Input[CreatePeriodInput]) -> PeriodPayload:
        """Create a year."""
        return await mutate(
            info,
            lambda viewer: periods.create_year(
                viewer, data.year, data.evaluation_frequency, skp_deadline=data.skp_deadline
            ),
            PeriodPayload.of,
        )

    @viewer_mutation("Open, start evaluation of, or close a period (ADMIN_BKPSDM).")
    async def set_period_status(
        self, info: Info, data: Input[SetPeriodStatusInput]
    ) -> PeriodPayload:
        """Set status."""
        return await mutate_node(
            info,
            (data.period_id, "Period", "periodId"),
            lambda viewer, period_id: periods.set_status(viewer, period_id, data.status),
            PeriodPayload.of,
        )

    @viewer_mutation("Start the viewer's SKP; rater and rater's superior are captured now.")
    async def create_skp(self, info: Info, data: Input[CreateSkpInput]) -> SkpPayload:
        """Create SKP."""
        return await mutate_node(
            info, (data.period_id, "Period", "periodId"), skp.create_skp, SkpPayload.of
        )

    @viewer_mutation("Edit the annex of the viewer's draft SKP.")
    async def update_skp(self, info: Info, data: Input[UpdateSkpInput]) -> SkpPayload:
        """Update SKP."""
        return await _on_skp(
            info,
            data.skp_id,
            lambda viewer, skp_id: skp.update_skp(
                viewer,
                skp_id,
                resources=data.resources,
                accountability=data.accountability,
                consequences=data.consequences,
            ),
        )

    @viewer_mutation("Set ekspektasi khusus pimpinan (the rater or the owner, on a draft).")
    async def set_skp_expectations(
        self, info: Info, data: Input[SetSkpExpectationsInput]
    ) -> SkpPayload:
        """Set expectations."""
        values = {e.value: e.expectation for e in data.expectations}
        return await _on_skp(
            info, data.skp_id, lambda viewer, skp_id: skp.set_expectations(viewer, skp_id, values)
        )

    @viewer_mutation("Create or replace an RHK with its indicators on the viewer's draft SKP.")
    async def save_rhk(self, info: Info, data: Input[SaveRhkInput]) -> RhkPayload:
        """Save RHK."""

        async def save(viewer: Viewer) -> RhkRow:
            rhk_id = decode_id_of(data.rhk_id, "Rhk", "rhkId") if data.rhk_id else None
            return await skp.save_rhk(
                viewer, decode_id_of(data.skp_id, "Skp", "skpId"), _rhk_input(data.rhk, rhk_id)
            )

        return await mutate(info, save, RhkPayload.of)

    @viewer_mutation("Remove an RHK from the viewer's draft SKP.")
    async def remove_rhk(self, info: Info, data: Input[RemoveRhkInput]) -> SkpPayload:
        """Remove RHK."""
        return await mutate_node(info, (data.rhk_id, "Rhk", "rhkId"), skp.remove_rhk, SkpPayload.of)

    @viewer_mutation("Submit the viewer's SKP to the rater.")
    async def submit_skp(self, info: Info, data: Input[SkpActionInput]) -> SkpPayload:
        """Submit."""
        return await _on_skp(info, data.skp_id, skp.submit_skp)

    @viewer_mutation("Approve a submitted SKP (the rater).")
    async def approve_skp(self, info: Info, data: Input[SkpActionInput]) -> SkpPayload:
        """Approve."""
        return await _on_skp(info, data.skp_id, skp.approve_skp)

    @viewer_mutation("Return a submitted SKP with a note (the rater).")
    async def return_skp(self, info: Info, data: Input[SkpNoteInput]) -> SkpPayload:
        """Return."""
        return await _on_skp(
            info, data.skp_id, lambda viewer, skp_id: skp.return_skp(viewer, skp_id, data.note)
        )

    @viewer_mutation("Reopen an approved SKP as a draft, recording the reason and a snapshot.")
    async def revise_skp(self, info: Info, data: Input[SkpNoteInput]) -> SkpPayload:
        """Revise."""
        return await _on_skp(
            info, data.skp_id, lambda viewer, skp_id: skp.revise_skp(viewer, skp_id, data.note)
        )

    @viewer_mutation(
        "Apply a detected mutasi (admins of the old or new OPD, BKPSDM): close the "
        "employee's SKP on the day before the move and open a DRAFT SKP under the new rater "
        "for the rest of the annual period; the annual result combines both pro rata."
    )
    async def apply_mutasi(self, info: Info, data: Input[ApplyMutasiInput]) -> ApplyMutasiPayload:
        """Mutasi."""
        return await mutate_node(
            info,
            (data.move_id, "DetectedMutasi", "moveId"),
            mutasi.apply_mutasi,
            lambda result, errors: ApplyMutasiPayload(
                closed_skp=SkpType.from_row(result.closed) if result and result.closed else None,
                opened_skp=SkpType.from_row(result.opened) if result else None,
                user_errors=errors,
            ),
        )

    @viewer_mutation(
        "Add one RHK to the SKP of every employee of a unit, atomically, reporting "
        "who got it and who was skipped (admins of the OPD, or supervisors for their team)."
    )
    async def apply_rhk_template(
        self, info: Info, data: Input[ApplyRhkTemplateInput]
    ) -> ApplyRhkTemplatePayload:
        """Bulk template."""
        viewer = viewer_of(info)
        report, errors = await run_payload(
            lambda: skp.apply_template(
                viewer,
                period_id=decode_id_of(data.period_id, "Period", "periodId"),
                unor_id=decode_id_of(data.unor_id, "Unor", "unorId"),
                template=_rhk_input(data.rhk),
                jabatan_name=data.jabatan_name,
                jabatan_kind=data.jabatan_kind,
            )
        )
        if report is None:
            return ApplyRhkTemplatePayload(created=[], skipped=[], user_errors=errors)
        return ApplyRhkTemplatePayload(
            # gathered, so that the loaders batch every employee's rows (one read per kind)
            created=list(await asyncio.gather(*(_outcome(info, r) for r in report.created))),
            skipped=list(await asyncio.gather(*(_outcome(info, r) for r in report.skipped))),
            user_errors=[],
        )

    @viewer_mutation(
        "Log one of the viewer's activities; the same idempotency key returns the "
        "first result instead of creating a duplicate."
    )
    async def log_activity(self, info: Info, data: Input[LogActivityInput]) -> ActivityPayload:
        """Log activity."""
        return await mutate(
            info,
            lambda viewer: activities.log_activity(
                viewer, data.idempotency_key, _draft(data.activity)
            ),
            _logged_payload,
        )

    @viewer_mutation(
        "Upload up to 100 offline-recorded activities; each item succeeds or fails "
        "on its own (per-item results, idempotent per key)."
    )
    async def log_activities(
        self, info: Info, data: Input[LogActivitiesInput]
    ) -> LogActivitiesPayload:
        """Batch upload."""
        viewer = viewer_of(info)
        if len(data.items) > activities.MAX_BATCH:
            message = f"Maksimal {activities.MAX_BATCH} aktivitas per unggahan"
            return LogActivitiesPayload(
                results=[],
                user_errors=[UserError(field="items", message=message, code="BATCH_TOO_LARGE")],
            )
        prepared: list[tuple[int, str, rules.ActivityDraft]] = []
        pre_errors: dict[int, list[UserError]] = {}
        for index, item in enumerate(data.items):
            try:
                prepared.append((index, item.idempotency_key, _draft(item.activity)))
            except DomainError as exc:
                pre_errors[index] = user_errors(exc)
        outcomes = await activities.log_batch(viewer, [(k, d) for _, k, d in prepared])
        by_index = {i: o for (i, _, _), o in zip(prepared, outcomes, strict=True)}
        results = []
        for index, item in enumerate(data.items):
            if index in pre_errors:
                results.append(
                    LogActivityResult(
                        index=index,
                        idempotency_key=item.idempotency_key,
                        activity=None,
                        replayed=False,
                        user_errors=pre_errors[index],
                    )
                )
                continue
            outcome = by_index[index]
            activity, errs = _activity_result(outcome)
            results.append(
                LogActivityResult(
                    index=index,
                    idempotency_key=item.idempotency_key,
                    activity=activity,
                    replayed=outcome.replayed,
                    user_errors=errs,
                )
            )
        return LogActivitiesPayload(results=results, user_errors=[])

    @viewer_mutation("Fix one's own submitted or rejected activity; a rejected one is resubmitted.")
    async def update_activity(
        self, info: Info, data: Input[UpdateActivityInput]
    ) -> ActivityPayload:
        """Update activity."""
        return await mutate_node(
            info,
            (data.activity_id, "Activity", "activityId"),
            lambda viewer, activity_id: activities.update_activity(
                viewer, activity_id, _draft(data.activity)
            ),
            _activity_payload,
        )

    @viewer_mutation(
        "Withdraw one's own SUBMITTED activity (logged by mistake): it becomes "
        "WITHDRAWN, counts nowhere, and the supervisor is notified. Errors: NOT_FOUND, FORBIDDEN "
        "(not the author), INVALID_STATE (no longer SUBMITTED)."
    )
    async def withdraw_activity(
        self, info: Info, data: Input[WithdrawActivityInput]
    ) -> ActivityPayload:
        """Withdraw activity."""
        return await mutate_node(
            info,
            (data.activity_id, "Activity", "activityId"),
            activities.withdraw_activity,
            _activity_payload,
        )

    @viewer_mutation("Verify, or reject with a note, activities of the viewer's direct reports.")
    async def verify_activities(
        self, info: Info, data: Input[VerifyActivitiesInput]
    ) -> VerifyActivitiesPayload:
        """Verify."""
        viewer = viewer_of(info)

        async def go() -> list[activities.VerifyResult]:
            ids = [decode_id_of(i, "Activity", "activityIds") for i in data.activity_ids]
            return await activities.verify(viewer, ids, approve=data.approve, note=data.note)

        outcomes, errors = await run_payload(go)
        if outcomes is None:
            return VerifyActivitiesPayload(results=[], user_errors=errors)
        return VerifyActivitiesPayload(
            results=[
                VerifyActivityResult(
                    activity_id=strawberry.ID(gid),
                    activity=ActivityType.from_row(o.activity)
                    if o.activity and not o.errors
                    else None,
                    user_errors=user_errors(DomainError(*o.errors)) if o.errors else [],
                )
                for gid, o in zip(data.activity_ids, outcomes, strict=True)
            ],
            user_errors=[],
        )
