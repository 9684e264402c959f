"""Keberatan: an employee's objection to a FINAL annual evaluation (issue 20, DESIGN.md §4).

The employee files it within ``Settings.objection_days`` days of the evaluation becoming final,
counted in the city's calendar (:mod:`portal.core.clock`), with a written reason. The
atasan of the pejabat penilai (the SKP's ``rater_superior``, else the rater's supervisor)
decides: UPHOLD the predikat or CHANGE the ratings, with reasons. The decision is final (a
compare-and-set from SUBMITTED), audited, notified to the employee and the rater, and a change
rewrites the evaluation's predikat, which the curve and the incentives read. On a year split
by a mutasi the objection is about the year's combined result (recorded on the carrier
evaluation, :mod:`portal.performance.evaluation.services.combined`), and a change rewrites it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from piccolo.columns.combination import WhereRaw

from portal.core import audit, clock
from portal.core.auth import Viewer
from portal.core.db import id_in, is_unique_violation, newest_first, row_columns, transaction
from portal.core.errors import DomainError, FieldError, NotFoundError
from portal.core.ids import encode_global_id
from portal.core.pagination import Page, PageRequest
from portal.notifications.services import inbox as notifications
from portal.people import visibility
from portal.people.services import directory as people
from portal.performance import policy as performance_policy
from portal.performance import rules
from portal.performance.enums import EvaluationStatus, PeriodKind, Predikat, Rating
from portal.performance.evaluation.services import combined, evaluations, revisions
from portal.performance.planning.services import periods
from portal.performance.planning.services import skp as skp_service
from portal.processes import policy
from portal.processes.enums import ObjectionDecision, ObjectionStatus
from portal.processes.tables import Objection
from portal.settings import get_settings

MIN_REASON = 20
MAX_REASON = 4000


@dataclass(frozen=True, slots=True)
class ObjectionRow:
    """A keberatan and, once decided, its decision."""

    id: int
    evaluation_id: int
    employee_id: int
    opd_id: int
    rater_id: int | None
    decider_id: int | None
    status: str
    reason: str
    original_hasil: str
    original_perilaku: str
    original_predikat: str
    deadline: date
    decided_hasil: str | None
    decided_perilaku: str | None
    decided_predikat: str | None
    decision_reason: str | None
    filed_at: datetime
    decided_at: datetime | None


_COLUMNS = row_columns(
    Objection,
    ObjectionRow,
    evaluation_id=Objection.evaluation.as_alias("evaluation_id"),
    employee_id=Objection.employee.as_alias("employee_id"),
    opd_id=Objection.opd.as_alias("opd_id"),
    rater_id=Objection.rater.as_alias("rater_id"),
    decider_id=Objection.decider.as_alias("decider_id"),
)


def deadline_for(finalised_at: datetime, days: int | None = None) -> date:
    """The last day (city calendar) to object to an evaluation final at ``finalised_at``."""
    span = get_settings().objection_days if days is None else days
    return clock.local_date(finalised_at) + timedelta(days=span)


def _reason(value: str, field: str, errors: list[FieldError]) -> str:
    text = value.strip()
    if len(text) < MIN_REASON:
        errors.append(FieldError("TEXT_TOO_SHORT", f"Alasan minimal {MIN_REASON} karakter", field))
    elif len(text) > MAX_REASON:
        errors.append(FieldError("TEXT_TOO_LONG", f"Alasan maksimal {MAX_REASON} karakter", field))
    return text


# --- reads ---------------------------------------------------------------------------------


async def objections_by_ids(ids: Sequence[int]) -> list[ObjectionRow | None]:
    """Objections by id, in order (None for a missing id); no scoping: callers check."""
    rows = await Objection.select(*_COLUMNS).where(id_in(Objection.id, ids))
    found = {r["id"]: ObjectionRow(**r) for r in rows}
    return [found.get(i) for i in ids]


async def objections_by_evaluation(evaluation_ids: Sequence[int]) -> list[ObjectionRow | None]:
    """The objection of each evaluation (None when none was filed)."""
    rows = await Objection.select(*_COLUMNS).where(id_in(Objection.evaluation, evaluation_ids))
    found = {r["evaluation_id"]: ObjectionRow(**r) for r in rows}
    return [found.get(i) for i in evaluation_ids]


async def can_read(viewer: Viewer, row: ObjectionRow) -> bool:
    """The employee's private audience, and the one who decides it."""
    return policy.is_decider(viewer, row.decider_id) or await visibility.allows(
        viewer, visibility.PRIVATE, row.employee_id, row.opd_id
    )


async def get_objection(viewer: Viewer, objection_id: int) -> ObjectionRow:
    """One objection the viewer may read, or NOT_FOUND."""
    (row,) = await objections_by_ids([objection_id])
    if row is None or not await can_read(viewer, row):
        raise NotFoundError("Objection", "objectionId")
    return row


async def _scope(viewer: Viewer) -> WhereRaw | None:
    clause = await visibility.sql_clause(
        viewer, visibility.PRIVATE, '"objection"."employee"', '"objection"."opd"'
    )
    if clause is visibility.EVERYTHING:
        return None
    if viewer.employee_id is None:
        return clause.where()
    return WhereRaw(
        f'({clause.sql} OR "objection"."decider" = {{}})', *clause.params, viewer.employee_id
    )


async def list_objections(
    viewer: Viewer,
    request: PageRequest,
    *,
    status: ObjectionStatus | None = None,
    to_decide: bool = False,
) -> Page[ObjectionRow]:
    """Objections the viewer may read, newest first; ``to_decide``: those the viewer decides."""
    clauses: list[Any] = []
    if to_decide:
        clauses.append(
            Objection.decider.is_null()
            if viewer.is_bkpsdm and viewer.employee_id is None
            else Objection.decider == (viewer.employee_id or -1)
        )
    else:
        scope = await _scope(viewer)
        if scope is not None:
            clauses.append(scope)
    if status is not None:
        clauses.append(Objection.status == status.value)
    return await newest_first(Objection, _COLUMNS, clauses, request, lambda r: ObjectionRow(**r))


@dataclass(frozen=True, slots=True)
class ObjectionWindow:
    """Whether an evaluation can be objected to: the deadline, and the objection filed."""

    deadline: date | None
    can_file: bool
    objection: ObjectionRow | None


async def objection_window(viewer: Viewer, evaluation_id: int) -> ObjectionWindow:
    """The keberatan window of an evaluation the viewer may read (NOT_FOUND otherwise).

    ``deadline`` is None unless the evaluation is a FINAL annual one; ``can_file`` is whether
    the viewer (the employee) may file now: none filed yet and the deadline not passed.
    """
    evaluation = await evaluations.get_evaluation(viewer, evaluation_id)
    target_id = evaluation_id
    deadline: date | None = None
    if evaluation.status == EvaluationStatus.FINAL and evaluation.finalised_at is not None:
        period = await periods.get_period(evaluation.period_id)
        if period.kind == PeriodKind.ANNUAL:
            try:
                target = await combined.objection_target(evaluation_id)
            except DomainError:  # a split year whose combined result is not final yet
                target = None
            if target is not None and target.final_at is not None:
                target_id = target.evaluation_id
                deadline = deadline_for(target.final_at)
    (objection,) = await objections_by_evaluation([target_id])
    can_file = (
        deadline is not None
        and objection is None
        and viewer.employee_id == evaluation.employee_id
        and clock.today() <= deadline
    )
    return ObjectionWindow(deadline, can_file, objection)


# --- writes --------------------------------------------------------------------------------


async def _decider_of(rater_id: int | None, rater_superior_id: int | None) -> int | None:
    if rater_superior_id is not None:
        return rater_superior_id
    if rater_id is None:
        return None
    (rater,) = await people.employees_by_ids([rater_id])
    return rater.supervisor_id if rater else None


async def file_objection(viewer: Viewer, evaluation_id: int, reason: str) -> ObjectionRow:
    """The employee objects to their FINAL annual evaluation, within the deadline.

    Raises:
        DomainError: TOO_SHORT/TOO_LONG reason, INVALID_STATE (not FINAL), NOT_ANNUAL,
            DEADLINE_PASSED, ALREADY_FILED; NOT_FOUND / PERMISSION_DENIED as usual.
    """
    errors: list[FieldError] = []
    text = _reason(reason, "reason", errors)
    if errors:
        raise DomainError(*errors)
    evaluation = await evaluations.get_evaluation(viewer, evaluation_id)
    performance_policy.require_self(viewer, evaluation.employee_id)
    if (
        evaluation.status != EvaluationStatus.FINAL
        or evaluation.finalised_at is None
        or evaluation.predikat is None
        or evaluation.hasil_rating is None
        or evaluation.perilaku_rating is None
    ):
        raise DomainError.single(
            "INVALID_STATE", "Keberatan hanya atas penilaian yang sudah FINAL", "evaluationId"
        )
    period = await periods.get_period(evaluation.period_id)
    if period.kind != PeriodKind.ANNUAL:
        raise DomainError.single(
            "NOT_ANNUAL", "Keberatan hanya dapat diajukan atas penilaian tahunan", "evaluationId"
        )
    # a year split by a mutasi: the objection is about the combined result, on its carrier
    target = await combined.objection_target(evaluation_id)
    if target.final_at is None or target.hasil is None or target.perilaku is None:
        raise DomainError.single(  # pragma: no cover - combined results are complete
            "INVALID_STATE", "Keberatan hanya atas penilaian yang sudah FINAL", "evaluationId"
        )
    deadline = deadline_for(target.final_at)
    if clock.today() > deadline:
        raise DomainError.single(
            "DEADLINE_PASSED",
            f"Batas waktu keberatan sudah lewat ({deadline.isoformat()})",
            "evaluationId",
        )
    (skp,) = await skp_service.skps_by_ids([target.skp_id])
    decider_id = await _decider_of(target.rater_id, skp.rater_superior_id if skp else None)
    already = DomainError.single(
        "ALREADY_FILED", "Keberatan atas penilaian ini sudah diajukan", "evaluationId"
    )
    try:
        async with transaction():
            inserted = await Objection.insert(
                Objection(
                    evaluation=target.evaluation_id,
                    employee=evaluation.employee_id,
                    opd=skp.opd_id if skp else evaluation.opd_id,
                    rater=target.rater_id,
                    decider=decider_id,
                    status=ObjectionStatus.SUBMITTED.value,
                    reason=text,
                    original_hasil=target.hasil,
                    original_perilaku=target.perilaku,
                    original_predikat=target.predikat,
                    deadline=deadline,
                    filed_at=clock.now(),
                )
            )
            objection_id = int(inserted[0]["id"])
            await audit.record(
                account_id=viewer.account_id,
                action="OBJECTION_FILED",
                entity_type="Objection",
                entity_id=objection_id,
                after={
                    "evaluation_id": target.evaluation_id,
                    "predikat": target.predikat,
                    "combined": target.split,
                    "decider_id": decider_id,
                    "deadline": deadline.isoformat(),
                },
            )
            await notifications.notify_employees(
                [i for i in (decider_id, target.rater_id) if i is not None],
                "OBJECTION_FILED",
                "Keberatan atas penilaian kinerja diajukan",
                text[:300],
                encode_global_id("Objection", objection_id),
            )
    except Exception as exc:
        if is_unique_violation(exc):
            raise already from exc
        raise
    (row,) = await objections_by_ids([objection_id])
    assert row is not None  # noqa: S101 - written above
    return row


async def decide_objection(
    viewer: Viewer,
    objection_id: int,
    decision: ObjectionDecision,
    reason: str,
    *,
    hasil: Rating | None = None,
    perilaku: Rating | None = None,
) -> ObjectionRow:
    """The atasan of the pejabat penilai decides, once and finally.

    UPHOLD keeps the ratings; CHANGE sets new ratings (both required), whose predikat must
    differ from the original (otherwise it is an UPHOLD: UNCHANGED).
    """
    errors: list[FieldError] = []
    text = _reason(reason, "reason", errors)
    current = await get_objection(viewer, objection_id)
    policy.require_decider(viewer, current.decider_id)
    if decision is ObjectionDecision.CHANGE:
        if hasil is None:
            errors.append(FieldError("REQUIRED", "Rating hasil kerja baru wajib diisi", "hasil"))
        if perilaku is None:
            errors.append(
                FieldError("REQUIRED", "Rating perilaku kerja baru wajib diisi", "perilaku")
            )
    if errors:
        raise DomainError(*errors)
    if decision is ObjectionDecision.CHANGE:
        assert hasil is not None  # noqa: S101 - checked above
        assert perilaku is not None  # noqa: S101
        new_hasil, new_perilaku = hasil, perilaku
        if rules.predikat(hasil, perilaku).value == current.original_predikat:
            raise DomainError.single(
                "UNCHANGED",
                "Predikat baru sama dengan predikat semula; pilih 'kuatkan'",
                "hasil",
            )
        status = ObjectionStatus.CHANGED
    else:
        new_hasil = Rating(current.original_hasil)
        new_perilaku = Rating(current.original_perilaku)
        status = ObjectionStatus.UPHELD
    decided = DomainError.single("ALREADY_DECIDED", "Keberatan ini sudah diputus", "objectionId")
    if current.status != ObjectionStatus.SUBMITTED:
        raise decided
    predikat = rules.predikat(new_hasil, new_perilaku)
    async with transaction():
        updated = (
            await Objection.update(
                {
                    Objection.status: status.value,
                    Objection.decided_hasil: new_hasil.value,
                    Objection.decided_perilaku: new_perilaku.value,
                    Objection.decided_predikat: predikat.value,
                    Objection.decision_reason: text,
                    Objection.decided_by_account: viewer.account_id,
                    Objection.decided_at: clock.now(),
                }
            )
            .where(
                (Objection.id == objection_id)
                & (Objection.status == ObjectionStatus.SUBMITTED.value)
            )
            .returning(Objection.id)
        )
        if not updated:
            raise decided
        if status is ObjectionStatus.CHANGED:
            await revisions.revise_after_objection(
                account_id=viewer.account_id,
                evaluation_id=current.evaluation_id,
                objection_id=objection_id,
                hasil=new_hasil,
                perilaku=new_perilaku,
            )
        await audit.record(
            account_id=viewer.account_id,
            action="OBJECTION_DECIDED",
            entity_type="Objection",
            entity_id=objection_id,
            before={"status": current.status, "predikat": current.original_predikat},
            after={"status": status.value, "predikat": predikat.value, "reason": text},
        )
        title = (
            f"Keberatan diputus: predikat diubah menjadi {Predikat(predikat).label}"
            if status is ObjectionStatus.CHANGED
            else "Keberatan diputus: predikat dikuatkan"
        )
        await notifications.notify_employees(
            [i for i in (current.employee_id, current.rater_id) if i is not None],
            "OBJECTION_DECIDED",
            title,
            text[:300],
            encode_global_id("Objection", objection_id),
        )
    (row,) = await objections_by_ids([objection_id])
    assert row is not None  # noqa: S101 - written above
    return row
