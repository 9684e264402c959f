"""The distribution curve of an OPD's predikat for a period (SE MenPANRB 3/2023, issue 3 §6).

BKPSDM sets each OPD's organisational predikat per period. The report compares the actual
curve (FINAL evaluations, counted with one GROUP BY) with the bounds of that predikat
(:func:`portal.performance.rules.check_curve`). Finalising the OPD's evaluations for the period
is refused while DRAFT evaluations remain or while the curve breaks its rules; only an
ADMIN_BKPSDM may override violations, and the override's reason and account are recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from piccolo.query.functions.aggregate import Count

from portal.core import audit
from portal.core.auth import Viewer
from portal.core.db import is_sqlite, is_unique_violation, transaction
from portal.core.errors import DomainError, FieldError, NotFoundError
from portal.people.services import directory as people
from portal.performance import policy, rules
from portal.performance.enums import EvaluationStatus, OrgPredikat, Predikat
from portal.performance.evaluation.services import combined
from portal.performance.planning.services import periods
from portal.performance.tables import Evaluation, OpdCurve

MIN_OVERRIDE_REASON = 10
MAX_OVERRIDE_REASON = 2000


@dataclass(frozen=True, slots=True)
class CurveReport:
    """An OPD's actual curve for a period against the rules of its organisational predikat."""

    opd_id: int
    period_id: int
    org_predikat: OrgPredikat | None
    counts: dict[Predikat, int]
    shares: dict[Predikat, float]
    violations: list[rules.CurveViolation] = field(default_factory=list)
    draft_count: int = 0
    finalised_at: datetime | None = None
    override_reason: str | None = None
    override_account_id: int | None = None

    @property
    def total(self) -> int:
        """FINAL evaluations counted."""
        return sum(self.counts.values())

    @property
    def missing_org_predikat(self) -> bool:
        """No organisational predikat set yet: the curve cannot be checked."""
        return self.org_predikat is None


async def _curve_row(opd_id: int, period_id: int, *, lock: bool = False) -> dict[str, Any] | None:
    """The curve row; ``lock`` holds it until the transaction ends (PostgreSQL).

    Finalising the OPD and starting or finalising one of its evaluations all lock this row
    first, so a new DRAFT cannot slip in while the period is being finalised. SQLite needs no
    row lock: its IMMEDIATE write transactions already run one at a time.
    """
    query = OpdCurve.select(
        OpdCurve.id,
        OpdCurve.org_predikat,
        OpdCurve.override_reason,
        OpdCurve.override_account_id,
        OpdCurve.finalised_at,
    ).where((OpdCurve.opd == opd_id) & (OpdCurve.period == period_id))
    if lock and not is_sqlite():
        query = query.lock_rows()
    rows = await query
    return rows[0] if rows else None


async def org_predikat_for(opd_id: int, period_id: int) -> OrgPredikat | None:
    """The OPD's organisational predikat for the period, if BKPSDM has set it."""
    row = await _curve_row(opd_id, period_id)
    return OrgPredikat(row["org_predikat"]) if row else None


async def is_finalised(opd_id: int, period_id: int, *, lock: bool = False) -> bool:
    """Whether the OPD's evaluations of the period have been finalised (``lock``: see above)."""
    row = await _curve_row(opd_id, period_id, lock=lock)
    return row is not None and row["finalised_at"] is not None


async def predikat_counts(opd_id: int, period_id: int) -> dict[Predikat, int]:
    """FINAL evaluations of the OPD and period per predikat (one GROUP BY).

    One per employee: a year split by a mutasi counts once, with its combined predikat
    (:mod:`~portal.performance.evaluation.services.combined`).
    """
    rows = await (
        Evaluation.select(
            Evaluation.predikat, Evaluation.combined_predikat, Count(Evaluation.id, alias="n")
        )
        .where(
            (Evaluation.opd == opd_id)
            & (Evaluation.period == period_id)
            & (Evaluation.status == EvaluationStatus.FINAL.value)
            & Evaluation.predikat.is_not_null()
            & combined.counted()
        )
        .group_by(Evaluation.predikat, Evaluation.combined_predikat)
    )
    counts = dict.fromkeys(Predikat, 0)
    for r in rows:
        predikat = combined.effective_predikat(r["predikat"], r["combined_predikat"])
        counts[Predikat(predikat)] += int(r["n"])
    return counts


async def _draft_count(opd_id: int, period_id: int) -> int:
    count: int = await Evaluation.count().where(
        (Evaluation.opd == opd_id)
        & (Evaluation.period == period_id)
        & (Evaluation.status == EvaluationStatus.DRAFT.value)
    )
    return count


async def _check_targets(opd_id: int, period_id: int) -> None:
    (opd,) = await people.opds_by_ids([opd_id])
    if opd is None:
        raise NotFoundError("Opd", "opdId")
    try:
        await periods.get_period(period_id)
    except NotFoundError as exc:
        raise NotFoundError("Period", "periodId") from exc


async def _report(opd_id: int, period_id: int) -> CurveReport:
    row = await _curve_row(opd_id, period_id)
    counts = await predikat_counts(opd_id, period_id)
    org = OrgPredikat(row["org_predikat"]) if row else None
    return CurveReport(
        opd_id=opd_id,
        period_id=period_id,
        org_predikat=org,
        counts=counts,
        shares=rules.curve_shares(counts),
        violations=rules.check_curve(org, counts) if org else [],
        draft_count=await _draft_count(opd_id, period_id),
        finalised_at=row["finalised_at"] if row else None,
        override_reason=row["override_reason"] if row else None,
        override_account_id=row["override_account_id"] if row else None,
    )


async def curve_report(viewer: Viewer, opd_id: int, period_id: int) -> CurveReport:
    """The OPD's curve for the period (an ADMIN_OPD of the OPD, or BKPSDM)."""
    policy.require_admin_of(viewer, opd_id)
    await _check_targets(opd_id, period_id)
    return await _report(opd_id, period_id)


async def set_org_predikat(
    viewer: Viewer, opd_id: int, period_id: int, org_predikat: OrgPredikat
) -> CurveReport:
    """Set (or change) the OPD's organisational predikat for the period (BKPSDM)."""
    policy.require_bkpsdm(viewer)
    await _check_targets(opd_id, period_id)
    try:
        async with transaction():
            row = await _curve_row(opd_id, period_id, lock=True)
            if row is not None and row["finalised_at"] is not None:
                raise DomainError.single(
                    "OPD_FINALISED",
                    "Penilaian OPD untuk periode ini sudah difinalkan",
                    "periodId",
                )
            now = datetime.now(UTC)
            if row is None:
                inserted = await OpdCurve.insert(
                    OpdCurve(
                        opd=opd_id,
                        period=period_id,
                        org_predikat=org_predikat.value,
                        updated_at=now,
                    )
                )
                curve_id = inserted[0]["id"]
            else:
                curve_id = row["id"]
                await OpdCurve.update(
                    {OpdCurve.org_predikat: org_predikat.value, OpdCurve.updated_at: now}
                ).where(OpdCurve.id == curve_id)
            await audit.record(
                account_id=viewer.account_id,
                action="ORG_PREDIKAT_SET",
                entity_type="OpdCurve",
                entity_id=curve_id,
                before={"org_predikat": row["org_predikat"]} if row else None,
                after={
                    "opd_id": opd_id,
                    "period_id": period_id,
                    "org_predikat": org_predikat.value,
                },
            )
    except Exception as exc:
        if not is_unique_violation(exc):
            raise
        raise DomainError.single(
            "CONFLICT", "Predikat organisasi sedang diubah bersamaan; coba lagi", "periodId"
        ) from exc
    return await _report(opd_id, period_id)


def _override_errors(
    viewer: Viewer, violations: list[rules.CurveViolation], reason: str | None
) -> list[FieldError]:
    """Errors left once an override (if any) is weighed; empty when finalising may go on."""
    listed = [FieldError("CURVE_VIOLATIONS", v.message, None) for v in violations]
    if not violations:
        return []
    if reason is None:
        return listed
    if not viewer.is_bkpsdm:
        return [
            *listed,
            FieldError(
                "OVERRIDE_NOT_ALLOWED",
                "Hanya admin BKPSDM yang dapat mengesampingkan pelanggaran kurva distribusi",
                "overrideReason",
            ),
        ]
    if len(reason) < MIN_OVERRIDE_REASON:
        return [
            *listed,
            FieldError(
                "OVERRIDE_REASON_REQUIRED",
                f"Alasan pengecualian minimal {MIN_OVERRIDE_REASON} karakter",
                "overrideReason",
            ),
        ]
    return []


async def finalise_opd_period(
    viewer: Viewer, opd_id: int, period_id: int, override_reason: str | None
) -> CurveReport:
    """Finalise the OPD's evaluations of the period (an admin of the OPD, or BKPSDM).

    Requires an organisational predikat and no DRAFT evaluation left. Curve violations refuse
    it (CURVE_VIOLATIONS, one error per violation) unless an ADMIN_BKPSDM gives an override
    reason of at least ten characters; the reason and the account are stored and audited.
    """
    policy.require_admin_of(viewer, opd_id)
    reason = (override_reason or "").strip() or None
    if reason is not None and len(reason) > MAX_OVERRIDE_REASON:
        raise DomainError.single(
            "INVALID_LENGTH",
            f"Alasan paling banyak {MAX_OVERRIDE_REASON} karakter",
            "overrideReason",
        )
    await _check_targets(opd_id, period_id)
    async with transaction():
        row = await _curve_row(opd_id, period_id, lock=True)
        if row is None:
            raise DomainError.single(
                "ORG_PREDIKAT_REQUIRED",
                "Predikat organisasi untuk periode ini belum ditetapkan",
                "periodId",
            )
        if row["finalised_at"] is not None:
            raise DomainError.single(
                "ALREADY_FINALISED", "Penilaian OPD untuk periode ini sudah difinalkan", "periodId"
            )
        drafts = await _draft_count(opd_id, period_id)
        if drafts:
            raise DomainError.single(
                "DRAFTS_REMAIN",
                f"Masih ada {drafts} penilaian berstatus DRAFT di OPD ini untuk periode ini",
                "periodId",
            )
        org = OrgPredikat(row["org_predikat"])
        counts = await predikat_counts(opd_id, period_id)
        violations = rules.check_curve(org, counts)
        errors = _override_errors(viewer, violations, reason)
        if errors:
            raise DomainError(*errors)
        overridden = bool(violations)
        updated = (
            await OpdCurve.update(
                {
                    OpdCurve.finalised_at: datetime.now(UTC),
                    OpdCurve.override_reason: reason if overridden else None,
                    OpdCurve.override_account_id: viewer.account_id if overridden else None,
                    OpdCurve.updated_at: datetime.now(UTC),
                }
            )
            .where((OpdCurve.id == row["id"]) & OpdCurve.finalised_at.is_null())
            .returning(OpdCurve.id)
        )
        if not updated:
            raise DomainError.single(
                "ALREADY_FINALISED", "Penilaian OPD untuk periode ini sudah difinalkan", "periodId"
            )
        await audit.record(
            account_id=viewer.account_id,
            action="CURVE_OVERRIDDEN" if overridden else "OPD_PERIOD_FINALISED",
            entity_type="OpdCurve",
            entity_id=row["id"],
            before={"finalised_at": None},
            after={
                "opd_id": opd_id,
                "period_id": period_id,
                "org_predikat": org.value,
                "counts": {p.value: n for p, n in counts.items()},
                "violations": [v.code for v in violations],
                "override_reason": reason if overridden else None,
            },
        )
    return await _report(opd_id, period_id)
