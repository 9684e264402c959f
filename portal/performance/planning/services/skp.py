"""SKP service: planning with cascading RHKs, the approval workflow, revisions, bulk templates.

Workflow: DRAFT -> SUBMITTED -> APPROVED, or SUBMITTED -> RETURNED (with a note) -> SUBMITTED.
An approved SKP changes only through :func:`revise_skp`, which records a snapshot and a reason
and reopens it as a draft. State changes are compare-and-set updates, so two raters (or a
double click) can never both win.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from portal.core import audit
from portal.core.auth import Viewer
from portal.core.db import id_in, insert_returning, transaction
from portal.core.errors import DomainError, FieldError, NotFoundError, PermissionDeniedError
from portal.core.ids import encode_global_id
from portal.core.pagination import Page, PageRequest, page_of
from portal.notifications.services import inbox as notifications
from portal.people import facts as people_facts
from portal.people import visibility
from portal.people.enums import JabatanKind
from portal.people.rows import EmployeeRow
from portal.people.services import directory as people
from portal.performance import policy, sql
from portal.performance.enums import (
    Aspect,
    BerAkhlak,
    PeriodKind,
    PeriodStatus,
    Perspective,
    RhkKind,
    SkpStatus,
)
from portal.performance.planning.services import periods
from portal.performance.rows import IndicatorRow, RhkRow, SkpRow
from portal.performance.tables import Indicator, Rhk, Skp, SkpExpectation, SkpRevision

EDITABLE = frozenset({SkpStatus.DRAFT.value, SkpStatus.RETURNED.value})
MAX_INDICATORS = 10
MAX_RHK = 30

_RHK_COLUMNS = sql.RHK_COLUMNS


@dataclass(frozen=True, slots=True)
class IndicatorInput:
    """An indicator to create or update (``id`` set to keep an existing one)."""

    aspect: Aspect
    description: str
    target_value: float
    unit: str
    id: int | None = None


@dataclass(frozen=True, slots=True)
class RhkInput:
    """An RHK with its indicators; ``rhk_id`` set to replace an existing one."""

    kind: RhkKind
    description: str
    indicators: tuple[IndicatorInput, ...]
    parent_rhk_id: int | None = None
    perspective: Perspective | None = None
    rhk_id: int | None = None


@dataclass(frozen=True, slots=True)
class TemplateResult:
    """Outcome of a bulk template for one employee."""

    employee_id: int
    skp_id: int | None
    rhk_id: int | None
    created: bool
    reason: str | None = None


@dataclass(slots=True)
class TemplateReport:
    """Outcome of :func:`apply_template`."""

    results: list[TemplateResult] = field(default_factory=list)

    @property
    def created(self) -> list[TemplateResult]:
        """Employees who received the RHK."""
        return [r for r in self.results if r.created]

    @property
    def skipped(self) -> list[TemplateResult]:
        """Employees left as they were, with the reason."""
        return [r for r in self.results if not r.created]


def _skp(r: dict[str, Any]) -> SkpRow:
    return SkpRow(**r)


def _now() -> datetime:
    return datetime.now(UTC)


# --- reads ---------------------------------------------------------------------------------


async def skps_by_ids(ids: Sequence[int]) -> list[SkpRow | None]:
    """SKPs in the order of ``ids`` (dataloader batch; no scoping)."""
    rows = await Skp.select(*sql.SKP_COLUMNS).where(id_in(Skp.id, ids))
    by_id = {r["id"]: _skp(r) for r in rows}
    return [by_id.get(i) for i in ids]


async def _get(skp_id: int) -> SkpRow:
    (row,) = await skps_by_ids([skp_id])
    if row is None:
        raise NotFoundError("SKP")
    return row


_WORKFLOW = audit.Workflow(Skp, "SKP", "skpId", _get)


async def get_skp(viewer: Viewer, skp_id: int) -> SkpRow:
    """An SKP the viewer may read (owner, supervisor chain, admins of the OPD).

    An SKP closed by a mutasi is also read by the rater it captured: they evaluate the months
    served under them after the employee has left their chain.
    """
    row = await _get(skp_id)
    if policy.is_closed_skp_rater(viewer, row):
        return row
    await visibility.readable_employee(viewer, row.employee_id, "SKP")
    return row


async def skp_for(employee_id: int, period_id: int) -> SkpRow | None:
    """The employee's SKP of an annual period, if any (no scoping)."""
    rows = await sql.skp_of(employee_id, period_id)
    return _skp(rows[0]) if rows else None


async def skps_for_employees(employee_ids: Sequence[int], period_id: int) -> dict[int, SkpRow]:
    """SKPs of many employees for one annual period (team views; SQL built once)."""
    if not employee_ids:
        return {}
    return {r["employee_id"]: _skp(r) for r in await sql.skps_of_employees(employee_ids, period_id)}


async def list_skps(
    viewer: Viewer,
    request: PageRequest,
    *,
    employee_id: int | None = None,
    period_id: int | None = None,
    status: SkpStatus | None = None,
    to_rate: bool = False,
) -> Page[SkpRow]:
    """SKPs the viewer may read, filtered; ``to_rate`` lists those the viewer rates."""
    clauses: list[Any] = []
    if to_rate:
        clauses.append(Skp.rater == (viewer.employee_id or -1))
    elif employee_id is not None:
        await visibility.readable_employee(viewer, employee_id, "Employee")
        clauses.append(Skp.employee == employee_id)
    elif scope := await visibility.where(viewer, visibility.PRIVATE, Skp.employee, Skp.opd):
        clauses.append(scope)
    if period_id is not None:
        clauses.append(Skp.period == period_id)
    if status is not None:
        clauses.append(Skp.status == status.value)
    query = Skp.select(*sql.SKP_COLUMNS).order_by(Skp.id).limit(request.first + 1)
    count = Skp.count()
    for clause in clauses:
        query = query.where(clause)
        count = count.where(clause)
    if request.after_pk is not None:
        query = query.where(Skp.id > request.after_pk)
    rows = [_skp(r) for r in await query]
    return page_of(rows, request, await count)


async def rhks_by_skp(skp_ids: Sequence[int]) -> list[list[RhkRow]]:
    """RHKs of each SKP, UTAMA first then by position."""
    rows = await sql.rhks_of_skps(skp_ids)
    grouped: dict[int, list[RhkRow]] = {}
    for r in sorted(rows, key=rhk_order):
        grouped.setdefault(r.skp_id, []).append(r)
    return [grouped.get(s, []) for s in skp_ids]


def rhk_order(rhk: RhkRow) -> tuple[bool, int, int]:
    """The order of an SKP's RHKs: UTAMA first, then by position."""
    return (rhk.kind != RhkKind.UTAMA, rhk.position, rhk.id)


async def rhks_by_ids(ids: Sequence[int]) -> list[RhkRow | None]:
    """RHKs in the order of ``ids``."""
    rows = await Rhk.select(*_RHK_COLUMNS).where(id_in(Rhk.id, ids))
    by_id = {r["id"]: RhkRow(**r) for r in rows}
    return [by_id.get(i) for i in ids]


async def indicators_by_rhk(rhk_ids: Sequence[int]) -> list[list[IndicatorRow]]:
    """Indicators of each RHK by position."""
    rows = await sql.indicators_of_rhks(rhk_ids)
    grouped: dict[int, list[IndicatorRow]] = {}
    for r in sorted(rows, key=lambda r: (r.position, r.id)):
        grouped.setdefault(r.rhk_id, []).append(r)
    return [grouped.get(i, []) for i in rhk_ids]


async def indicators_by_skp(skp_ids: Sequence[int]) -> list[list[IndicatorRow]]:
    """Indicators of each SKP."""
    rows = await sql.indicators_of_skps(skp_ids)
    grouped: dict[int, list[IndicatorRow]] = {}
    for r in sorted(rows, key=lambda r: (r["rhk_id"], r["position"], r["id"])):
        grouped.setdefault(r["skp_id"], []).append(IndicatorRow(**r))
    return [grouped.get(s, []) for s in skp_ids]


async def indicators_by_ids(ids: Sequence[int]) -> list[IndicatorRow | None]:
    """Indicators in the order of ``ids``."""
    rows = await Indicator.select(*sql.INDICATOR_COLUMNS).where(id_in(Indicator.id, ids))
    by_id = {r["id"]: IndicatorRow(**r) for r in rows}
    return [by_id.get(i) for i in ids]


async def expectations_by_skp(skp_ids: Sequence[int]) -> list[dict[str, str]]:
    """Ekspektasi khusus pimpinan of each SKP, BerAKHLAK value -> text."""
    rows = await SkpExpectation.select(
        SkpExpectation.skp.as_alias("skp_id"), SkpExpectation.value, SkpExpectation.expectation
    ).where(id_in(SkpExpectation.skp, skp_ids))
    grouped: dict[int, dict[str, str]] = {}
    for r in rows:
        grouped.setdefault(r["skp_id"], {})[r["value"]] = r["expectation"]
    return [grouped.get(s, {}) for s in skp_ids]


async def approved_indicator_ids(employee_id: int, period_id: int) -> set[int]:
    """Indicators of the employee's approved (or under-revision) SKP of an annual period."""
    skp = await skp_for(employee_id, period_id)
    if skp is None or not skp.ever_approved:
        return set()
    rows = await Indicator.select(Indicator.id).where(Indicator.skp == skp.id)
    return {r["id"] for r in rows}


# --- validation ------------------------------------------------------------------------------


def _text(value: str, field_name: str, low: int, high: int, errors: list[FieldError]) -> str:
    value = value.strip()
    if not low <= len(value) <= high:
        errors.append(
            FieldError("INVALID_LENGTH", f"Panjang teks harus {low}-{high} karakter", field_name)
        )
    return value


def _validate_indicators(items: Sequence[IndicatorInput], errors: list[FieldError]) -> None:
    if not 1 <= len(items) <= MAX_INDICATORS:
        errors.append(
            FieldError(
                "INVALID_INDICATORS",
                f"Setiap RHK memerlukan 1-{MAX_INDICATORS} indikator",
                "indicators",
            )
        )
    for i, item in enumerate(items):
        _text(item.description, f"indicators.{i}.description", 3, 500, errors)
        _text(item.unit, f"indicators.{i}.unit", 1, 50, errors)
        if not math.isfinite(item.target_value) or item.target_value <= 0:
            errors.append(
                FieldError(
                    "INVALID_TARGET", "Target harus lebih dari 0", f"indicators.{i}.targetValue"
                )
            )


async def _check_cascade(skp: SkpRow, data: RhkInput, errors: list[FieldError]) -> None:
    """Cascading: an RHK may only intervene in an RHK of the rater's approved SKP (same year)."""
    parent = rater_skp = None
    if data.parent_rhk_id is not None:
        (parent,) = await rhks_by_ids([data.parent_rhk_id])
        rater_skp = await skp_for(skp.rater_id, skp.period_id) if skp.rater_id else None
    errors += _cascade_errors(skp, data, parent, rater_skp)


def _cascade_errors(
    skp: SkpRow, data: RhkInput, parent: RhkRow | None, rater_skp: SkpRow | None
) -> list[FieldError]:
    """The cascading rule, given the parent RHK named and the rater's SKP (both read once).

    Non-JPT UTAMA RHKs must name one; JPT RHKs carry a perspective instead and may name one.
    """
    errors: list[FieldError] = []
    is_jpt = JabatanKind(skp.jabatan_kind).is_jpt
    if is_jpt and data.kind is RhkKind.UTAMA and data.perspective is None:
        errors.append(
            FieldError("PERSPECTIVE_REQUIRED", "RHK JPT memerlukan perspektif", "perspective")
        )
    if not is_jpt and data.perspective is not None:
        errors.append(
            FieldError("PERSPECTIVE_NOT_ALLOWED", "Perspektif hanya untuk JPT", "perspective")
        )
    if data.parent_rhk_id is None:
        if not is_jpt and data.kind is RhkKind.UTAMA and skp.rater_id is not None:
            errors.append(
                FieldError(
                    "PARENT_RHK_REQUIRED",
                    "RHK utama harus mengintervensi RHK atasan",
                    "parentRhkId",
                )
            )
    elif parent is None or rater_skp is None or parent.skp_id != rater_skp.id:
        errors.append(
            FieldError(
                "INVALID_PARENT_RHK", "RHK yang diintervensi bukan milik SKP atasan", "parentRhkId"
            )
        )
    elif rater_skp.status != SkpStatus.APPROVED:
        errors.append(
            FieldError(
                "RATER_SKP_NOT_APPROVED", "SKP atasan harus disetujui lebih dulu", "parentRhkId"
            )
        )
    return errors


# --- writes ----------------------------------------------------------------------------------


async def _snapshot(skp_id: int) -> dict[str, Any]:
    skp = await _get(skp_id)
    (rhks,) = await rhks_by_skp([skp_id])
    inds = await indicators_by_rhk([r.id for r in rhks])
    (expectations,) = await expectations_by_skp([skp_id])
    return {
        "status": skp.status,
        "revision": skp.revision,
        "resources": skp.resources,
        "accountability": skp.accountability,
        "consequences": skp.consequences,
        "expectations": expectations,
        "rhk": [
            {
                "id": r.id,
                "kind": r.kind,
                "description": r.description,
                "parent_rhk_id": r.parent_rhk_id,
                "perspective": r.perspective,
                "indicators": [
                    {
                        "id": i.id,
                        "aspect": i.aspect,
                        "description": i.description,
                        "target_value": i.target_value,
                        "unit": i.unit,
                    }
                    for i in ind
                ],
            }
            for r, ind in zip(rhks, inds, strict=True)
        ],
    }


async def _create_skp_for(employee: EmployeeRow, period_id: int) -> int:
    return await create_skp_row(employee, period_id)


async def create_skp_row(
    employee: EmployeeRow,
    period_id: int,
    *,
    served_from: date | None = None,
    mutasi_id: int | None = None,
) -> int:
    """Insert a DRAFT SKP for the employee under their current supervisor; its id.

    No checks and no audit: the callers (:func:`create_skp`, the mutasi flow) do both.
    """
    rater_superior = None
    if employee.supervisor_id is not None:
        rater = await people.get_employee(employee.supervisor_id)
        rater_superior = rater.supervisor_id
    inserted = await Skp.insert(
        Skp(
            employee=employee.id,
            period=period_id,
            rater=employee.supervisor_id,
            rater_superior=rater_superior,
            opd=employee.opd_id,
            unor=employee.unor_id,
            jabatan_name=employee.jabatan_name,
            jabatan_kind=employee.jabatan_kind,
            status=SkpStatus.DRAFT.value,
            served_from=served_from,
            mutasi=mutasi_id,
        )
    )
    return int(inserted[0]["id"])


async def _annual_open(period_id: int) -> None:
    period = await periods.get_period(period_id)
    if period.kind != PeriodKind.ANNUAL:
        raise DomainError.single("NOT_ANNUAL", "SKP dibuat untuk periode tahunan", "periodId")
    if period.status == PeriodStatus.CLOSED:
        raise DomainError.single("PERIOD_CLOSED", "Periode sudah ditutup", "periodId")


async def create_skp(viewer: Viewer, period_id: int) -> SkpRow:
    """Start the viewer's own SKP for an annual period; rater and superior are captured now."""
    if viewer.employee_id is None:
        raise PermissionDeniedError("Akun ini tidak terhubung dengan data pegawai")
    await _annual_open(period_id)
    employee = await people.get_employee(viewer.employee_id)
    async with transaction():
        if await skp_for(employee.id, period_id) is not None:
            raise DomainError.single("DUPLICATE", "SKP untuk periode ini sudah ada", "periodId")
        skp_id = await _create_skp_for(employee, period_id)
        await audit.record(
            account_id=viewer.account_id,
            action="SKP_CREATED",
            entity_type="Skp",
            entity_id=skp_id,
            after={"employee_id": employee.id, "period_id": period_id},
        )
    return await _get(skp_id)


async def _editable_own(viewer: Viewer, skp_id: int) -> SkpRow:
    skp = await get_skp(viewer, skp_id)
    policy.require_self(viewer, skp.employee_id)
    if skp.status not in EDITABLE:
        raise DomainError.single(
            "SKP_LOCKED",
            "SKP hanya dapat diubah saat DRAFT atau RETURNED (gunakan revisi untuk SKP disetujui)",
            "skpId",
        )
    return skp


async def update_skp(
    viewer: Viewer,
    skp_id: int,
    *,
    resources: str | None = None,
    accountability: str | None = None,
    consequences: str | None = None,
) -> SkpRow:
    """Edit the annex (resources, accountability scheme, consequences) of a draft."""
    errors: list[FieldError] = []
    values: dict[Any, Any] = {}
    for name, column, text in (
        ("resources", Skp.resources, resources),
        ("accountability", Skp.accountability, accountability),
        ("consequences", Skp.consequences, consequences),
    ):
        if text is not None:
            values[column] = _text(text, name, 0, 5000, errors)
    if errors:
        raise DomainError(*errors)
    async with transaction():
        skp = await _editable_own(viewer, skp_id)
        if values:
            values[Skp.updated_at] = _now()
            await Skp.update(values).where(Skp.id == skp_id)
            await audit.record(
                account_id=viewer.account_id,
                action="SKP_UPDATED",
                entity_type="Skp",
                entity_id=skp_id,
                before={
                    "resources": skp.resources,
                    "accountability": skp.accountability,
                    "consequences": skp.consequences,
                },
                after={c._meta.name: v for c, v in values.items() if c is not Skp.updated_at},  # noqa: SLF001
            )
    return await _get(skp_id)


async def set_expectations(
    viewer: Viewer, skp_id: int, expectations: dict[BerAkhlak, str]
) -> SkpRow:
    """Set ekspektasi khusus pimpinan per BerAKHLAK value (the rater, or the owner, on drafts)."""
    skp = await get_skp(viewer, skp_id)
    if viewer.employee_id not in (skp.rater_id, skp.employee_id):
        raise PermissionDeniedError("Hanya pejabat penilai atau pemilik SKP")
    errors: list[FieldError] = []
    cleaned = {
        value: _text(text, f"expectations.{value.value}", 0, 2000, errors)
        for value, text in expectations.items()
    }
    if errors:
        raise DomainError(*errors)
    async with transaction():
        current = await _get(skp_id)
        if current.status not in EDITABLE:
            raise DomainError.single("SKP_LOCKED", "SKP tidak dalam status DRAFT/RETURNED", "skpId")
        (before,) = await expectations_by_skp([skp_id])
        for value, text in cleaned.items():
            await SkpExpectation.delete().where(
                (SkpExpectation.skp == skp_id) & (SkpExpectation.value == value.value)
            )
            if text:
                await SkpExpectation.insert(
                    SkpExpectation(skp=skp_id, value=value.value, expectation=text)
                )
        await audit.record(
            account_id=viewer.account_id,
            action="SKP_EXPECTATIONS",
            entity_type="Skp",
            entity_id=skp_id,
            before=before,
            after={v.value: t for v, t in cleaned.items()},
        )
    return await _get(skp_id)


async def save_rhk(viewer: Viewer, skp_id: int, data: RhkInput) -> RhkRow:
    """Create or replace an RHK and its indicators on the viewer's own draft SKP."""
    skp = await _editable_own(viewer, skp_id)
    return await _save_rhk(viewer, skp, data)


async def _save_rhk(viewer: Viewer | None, skp: SkpRow, data: RhkInput) -> RhkRow:
    errors: list[FieldError] = []
    description = _text(data.description, "description", 3, 1000, errors)
    _validate_indicators(data.indicators, errors)
    await _check_cascade(skp, data, errors)
    if errors:
        raise DomainError(*errors)
    async with transaction():
        existing = await rhks_by_skp([skp.id])
        values: dict[str, Any] = {
            "kind": data.kind.value,
            "description": description,
            "parent_rhk": data.parent_rhk_id,
            "perspective": data.perspective.value if data.perspective else None,
        }
        if data.rhk_id is None:
            if len(existing[0]) >= MAX_RHK:
                raise DomainError.single("TOO_MANY_RHK", f"Maksimal {MAX_RHK} RHK", "skpId")
            inserted = await Rhk.insert(Rhk(skp=skp.id, position=len(existing[0]), **values))
            rhk_id = int(inserted[0]["id"])
            before = None
        else:
            if data.rhk_id not in {r.id for r in existing[0]}:
                raise NotFoundError("RHK", "rhkId")
            rhk_id = data.rhk_id
            before = next(
                {"kind": r.kind, "description": r.description}
                for r in existing[0]
                if r.id == rhk_id
            )
            await Rhk.update(values).where(Rhk.id == rhk_id)  # type: ignore[arg-type]
        await _replace_indicators(skp.id, rhk_id, data.indicators)
        await audit.record(
            account_id=viewer.account_id if viewer else None,
            action="RHK_SAVED",
            entity_type="Rhk",
            entity_id=rhk_id,
            before=before,
            after={**values, "indicators": len(data.indicators)},
        )
    (row,) = await rhks_by_ids([rhk_id])
    assert row is not None  # noqa: S101 - written in this transaction
    return row


def _indicator_values(item: IndicatorInput, position: int) -> dict[str, Any]:
    return {
        "aspect": item.aspect.value,
        "description": item.description.strip(),
        "target_value": float(item.target_value),
        "unit": item.unit.strip(),
        "position": position,
    }


async def _replace_indicators(skp_id: int, rhk_id: int, items: Sequence[IndicatorInput]) -> None:
    (current,) = await indicators_by_rhk([rhk_id])
    current_ids = {i.id for i in current}
    keep = {i.id for i in items if i.id is not None}
    if keep - current_ids:
        raise NotFoundError("Indicator", "indicators")
    removed = current_ids - keep
    if removed:
        await Indicator.delete().where(id_in(Indicator.id, removed))
    for position, item in enumerate(items):
        values = _indicator_values(item, position)
        if item.id is None:
            await Indicator.insert(Indicator(rhk=rhk_id, skp=skp_id, **values))
        else:
            await Indicator.update(values).where(Indicator.id == item.id)  # type: ignore[arg-type]


async def remove_rhk(viewer: Viewer, rhk_id: int) -> SkpRow:
    """Delete an RHK (and its indicators) from the viewer's own draft."""
    (rhk,) = await rhks_by_ids([rhk_id])
    if rhk is None:
        raise NotFoundError("RHK", "rhkId")
    skp = await _editable_own(viewer, rhk.skp_id)
    async with transaction():
        if await Rhk.exists().where(Rhk.parent_rhk == rhk_id):
            raise DomainError.single("RHK_IN_USE", "RHK ini diintervensi oleh RHK bawahan", "rhkId")
        await Rhk.delete().where(Rhk.id == rhk_id)
        await audit.record(
            account_id=viewer.account_id,
            action="RHK_REMOVED",
            entity_type="Rhk",
            entity_id=rhk_id,
            before={"kind": rhk.kind, "description": rhk.description},
        )
    return await _get(skp.id)


async def _transition(
    viewer: Viewer, skp: SkpRow, allowed: frozenset[str], values: dict[Any, Any], action: str
) -> SkpRow:
    """Compare-and-set the status; fails cleanly when someone else moved it first."""
    await audit.record_move(_WORKFLOW, viewer, skp, allowed, values, action=action)
    return await _get(skp.id)


async def submit_skp(viewer: Viewer, skp_id: int) -> SkpRow:
    """Submit a draft (or returned) SKP to the rater."""
    skp = await get_skp(viewer, skp_id)
    policy.require_self(viewer, skp.employee_id)
    (rhks,) = await rhks_by_skp([skp_id])
    indicators = await indicators_by_rhk([r.id for r in rhks])
    errors: list[FieldError] = []
    if not any(r.kind == RhkKind.UTAMA for r in rhks):
        errors.append(FieldError("NO_RHK_UTAMA", "SKP memerlukan minimal satu RHK utama", None))
    if any(not inds for inds in indicators):
        errors.append(FieldError("RHK_WITHOUT_INDICATOR", "Setiap RHK memerlukan indikator", None))
    if not JabatanKind(skp.jabatan_kind).is_jpt and skp.rater_id is not None:
        rater_skp = await skp_for(skp.rater_id, skp.period_id)
        if rater_skp is None or rater_skp.status != SkpStatus.APPROVED:
            errors.append(
                FieldError("RATER_SKP_NOT_APPROVED", "SKP atasan harus disetujui lebih dulu", None)
            )
    if errors:
        raise DomainError(*errors)
    return await _transition(
        viewer,
        skp,
        EDITABLE,
        {Skp.status: SkpStatus.SUBMITTED.value, Skp.submitted_at: _now()},
        "SKP_SUBMITTED",
    )


async def approve_skp(viewer: Viewer, skp_id: int) -> SkpRow:
    """The rater approves a submitted SKP."""
    skp = await get_skp(viewer, skp_id)
    policy.require_rater(viewer, skp.rater_id)
    async with transaction():
        row = await _transition(
            viewer,
            skp,
            frozenset({SkpStatus.SUBMITTED.value}),
            {Skp.status: SkpStatus.APPROVED.value, Skp.approved_at: _now(), Skp.return_note: None},
            "SKP_APPROVED",
        )
        await notifications.notify_employees(
            [skp.employee_id],
            "SKP_APPROVED",
            "SKP Anda disetujui",
            "",
            encode_global_id("Skp", skp.id),
        )
    return row


async def return_skp(viewer: Viewer, skp_id: int, note: str) -> SkpRow:
    """The rater returns a submitted SKP with a note saying what to change."""
    skp = await get_skp(viewer, skp_id)
    policy.require_rater(viewer, skp.rater_id)
    errors: list[FieldError] = []
    note = _text(note, "note", 3, 2000, errors)
    if errors:
        raise DomainError(*errors)
    async with transaction():
        row = await _transition(
            viewer,
            skp,
            frozenset({SkpStatus.SUBMITTED.value}),
            {Skp.status: SkpStatus.RETURNED.value, Skp.return_note: note},
            "SKP_RETURNED",
        )
        await notifications.notify_employees(
            [skp.employee_id],
            "SKP_RETURNED",
            "SKP Anda dikembalikan untuk diperbaiki",
            note,
            encode_global_id("Skp", skp.id),
        )
    return row


async def revise_skp(viewer: Viewer, skp_id: int, reason: str) -> SkpRow:
    """Reopen an approved SKP as a draft, recording a snapshot and the reason."""
    skp = await get_skp(viewer, skp_id)
    if viewer.employee_id not in (skp.employee_id, skp.rater_id):
        raise PermissionDeniedError("Hanya pemilik SKP atau pejabat penilai")
    errors: list[FieldError] = []
    reason = _text(reason, "reason", 3, 2000, errors)
    if errors:
        raise DomainError(*errors)
    async with transaction():
        snapshot = await _snapshot(skp_id)
        row = await _transition(
            viewer,
            skp,
            frozenset({SkpStatus.APPROVED.value}),
            {Skp.status: SkpStatus.DRAFT.value, Skp.revision: skp.revision + 1},
            "SKP_REVISED",
        )
        await SkpRevision.insert(
            SkpRevision(
                skp=skp_id,
                revision=skp.revision + 1,
                reason=reason,
                snapshot=snapshot,
                account_id=viewer.account_id,
            )
        )
    return row


async def revisions(skp_ids: Sequence[int]) -> list[list[dict[str, Any]]]:
    """Recorded revisions of each SKP, oldest first."""
    rows = await SkpRevision.select(
        SkpRevision.skp.as_alias("skp_id"),
        SkpRevision.revision,
        SkpRevision.reason,
        SkpRevision.created_at,
    ).where(id_in(SkpRevision.skp, skp_ids))
    grouped: dict[int, list[dict[str, Any]]] = {}
    for r in sorted(rows, key=lambda r: r["revision"]):
        grouped.setdefault(r["skp_id"], []).append(r)
    return [grouped.get(s, []) for s in skp_ids]


# --- bulk templates --------------------------------------------------------------------------


async def apply_template(
    viewer: Viewer,
    *,
    period_id: int,
    unor_id: int,
    template: RhkInput,
    jabatan_name: str | None = None,
    jabatan_kind: JabatanKind | None = None,
) -> TemplateReport:
    """Add one RHK (with indicators) to the SKP of every active employee of a unit, atomically.

    Missing SKPs are created as drafts. An employee is skipped, with the reason, when their SKP
    is not editable, already has an RHK with the same description, or the template's parent
    RHK is not in their rater's approved SKP. Admins of the unit's OPD may apply templates to
    anyone in the unit; a supervisor only to their own subordinates. The statements do not
    grow with the unit: SKPs, RHKs, indicators and audit entries are read and written in bulk.
    """
    await _annual_open(period_id)
    (unit,) = await people.unors_by_ids([unor_id])
    if unit is None:
        raise NotFoundError("Unor", "unorId")
    employees = await people_facts.active_employees_in_units(
        [unor_id], jabatan_name=jabatan_name, jabatan_kind=jabatan_kind
    )
    employees = await visibility.overseen_in_unit(viewer, unit.opd_id, employees)
    errors: list[FieldError] = []
    _text(template.description, "description", 3, 1000, errors)
    _validate_indicators(template.indicators, errors)
    if errors:
        raise DomainError(*errors)
    report = TemplateReport()
    async with transaction():
        skps = await _skps_or_drafts(employees, period_id)
        refusals = await _template_refusals(list(skps.values()), template)
        todo = [e for e in employees if refusals[skps[e.id].id] is None]
        rhk_ids = await _insert_template_rhks(viewer, [skps[e.id] for e in todo], template)
        created = dict(zip((e.id for e in todo), rhk_ids, strict=True))
        for employee in employees:
            skp = skps[employee.id]
            rhk_id = created.get(employee.id)
            reason = None if rhk_id is not None else refusals[skp.id]
            report.results.append(
                TemplateResult(
                    employee.id, skp.id, rhk_id, created=rhk_id is not None, reason=reason
                )
            )
        await audit.record(
            account_id=viewer.account_id,
            action="RHK_TEMPLATE_APPLIED",
            entity_type="Unor",
            entity_id=unor_id,
            after={
                "description": template.description,
                "created": len(report.created),
                "skipped": len(report.skipped),
            },
        )
    return report


async def _skps_or_drafts(employees: Sequence[EmployeeRow], period_id: int) -> dict[int, SkpRow]:
    """Each employee's SKP of the period, creating the missing ones as drafts (in bulk)."""
    found = await skps_for_employees([e.id for e in employees], period_id)
    missing = [e for e in employees if e.id not in found]
    if missing:
        raters = await people.employees_by_ids(
            sorted({e.supervisor_id for e in missing if e.supervisor_id is not None})
        )
        superior = {r.id: r.supervisor_id for r in raters if r is not None}
        inserted = await insert_returning(
            Skp,
            [
                Skp(
                    employee=e.id,
                    period=period_id,
                    rater=e.supervisor_id,
                    rater_superior=superior.get(e.supervisor_id) if e.supervisor_id else None,
                    opd=e.opd_id,
                    unor=e.unor_id,
                    jabatan_name=e.jabatan_name,
                    jabatan_kind=e.jabatan_kind,
                    status=SkpStatus.DRAFT.value,
                )
                for e in missing
            ],
            Skp.id,
        )
        new = await skps_by_ids([int(r["id"]) for r in inserted])
        found |= {s.employee_id: s for s in new if s is not None}
    return found


async def _template_refusals(skps: Sequence[SkpRow], template: RhkInput) -> dict[int, str | None]:
    """Why the template cannot go on each SKP (None: it can), by SKP id; four reads in all."""
    rhks = dict(zip((s.id for s in skps), await rhks_by_skp([s.id for s in skps]), strict=True))
    parent = rater_skps = None
    if template.parent_rhk_id is not None:
        (parent,) = await rhks_by_ids([template.parent_rhk_id])
        rater_ids = sorted({s.rater_id for s in skps if s.rater_id is not None})
        rater_skps = await skps_for_employees(rater_ids, skps[0].period_id) if skps else {}
    wanted = template.description.strip().casefold()
    refusals: dict[int, str | None] = {}
    for skp in skps:
        rater_skp = rater_skps.get(skp.rater_id) if rater_skps and skp.rater_id else None
        cascade = _cascade_errors(skp, template, parent, rater_skp)
        if skp.status not in EDITABLE:
            refusals[skp.id] = f"SKP berstatus {skp.status}"
        elif any(r.description.strip().casefold() == wanted for r in rhks[skp.id]):
            refusals[skp.id] = "RHK yang sama sudah ada"
        elif cascade:
            refusals[skp.id] = cascade[0].message
        elif len(rhks[skp.id]) >= MAX_RHK:
            refusals[skp.id] = f"Maksimal {MAX_RHK} RHK"
        else:
            refusals[skp.id] = None
    return refusals


async def _insert_template_rhks(
    viewer: Viewer, skps: Sequence[SkpRow], template: RhkInput
) -> list[int]:
    """The template's RHK and indicators on each SKP, audited as saved RHKs; the RHK ids."""
    if not skps:
        return []
    positions = {
        s.id: len(rhks)
        for s, rhks in zip(skps, await rhks_by_skp([s.id for s in skps]), strict=True)
    }
    values: dict[str, Any] = {
        "kind": template.kind.value,
        "description": template.description.strip(),
        "parent_rhk": template.parent_rhk_id,
        "perspective": template.perspective.value if template.perspective else None,
    }
    inserted = await insert_returning(
        Rhk, [Rhk(skp=s.id, position=positions[s.id], **values) for s in skps], Rhk.id, Rhk.skp
    )
    rhk_of = {int(r["skp"]): int(r["id"]) for r in inserted}
    await insert_returning(
        Indicator,
        [
            Indicator(rhk=rhk_of[s.id], skp=s.id, **_indicator_values(item, position))
            for s in skps
            for position, item in enumerate(template.indicators)
        ],
        Indicator.id,
    )
    after = {**values, "indicators": len(template.indicators)}
    await audit.record_many(
        [
            {
                "account_id": viewer.account_id,
                "action": "RHK_SAVED",
                "entity_type": "Rhk",
                "entity_id": str(rhk_of[s.id]),
                "before": None,
                "after": after,
            }
            for s in skps
        ]
    )
    return [rhk_of[s.id] for s in skps]
