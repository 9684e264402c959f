"""Evaluations: the rater's periodic and annual rating of an SKP (issue 3 §5, DESIGN.md §3).

Workflow: the rater starts an evaluation (DRAFT) for an approved SKP and one of its periods;
realisations are prefilled from verified activities and the portal suggests a Rating Hasil
Kerja (:func:`portal.performance.rules.suggest_hasil`, explained in words). The rater enters
realisations, feedback, the seven BerAKHLAK notes and both ratings; choosing a hasil other than
the suggestion needs a written reason. Finalising (DRAFT -> FINAL) fixes the predikat from the
exact matrix; the employee then acknowledges, optionally with a response.

The head of a unit's hasil equals the unit's organisational result: for a JPT whose OPD has an
organisational predikat for the period, the suggestion follows it instead of the indicators.

State changes are compare-and-set updates, so a double click or two tabs never both win.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from portal.core import audit
from portal.core.auth import Viewer
from portal.core.db import id_in, is_unique_violation, row_columns, transaction, update_rows
from portal.core.errors import DomainError, FieldError, NotFoundError
from portal.core.pagination import Page, PageRequest, SortKey, keyset, page_of
from portal.people import visibility
from portal.people.enums import JabatanKind
from portal.performance import policy, rules
from portal.performance.enums import (
    Aspect,
    BerAkhlak,
    EvaluationStatus,
    OrgPredikat,
    PeriodStatus,
    Rating,
    RhkKind,
    SkpStatus,
)
from portal.performance.evaluation.services import combined, curve
from portal.performance.planning.services import periods, progress
from portal.performance.planning.services import skp as skp_service
from portal.performance.rows import PeriodRow, SkpRow
from portal.performance.tables import Evaluation, EvaluationBehaviour, EvaluationIndicator

MIN_OVERRIDE_REASON = 10
MAX_TEXT = 2000
MAX_FEEDBACK = 5000
MAX_REALISATION = 1e12

RATING_LABELS = {
    Rating.DI_ATAS_EKSPEKTASI: "Di Atas Ekspektasi",
    Rating.SESUAI_EKSPEKTASI: "Sesuai Ekspektasi",
    Rating.DI_BAWAH_EKSPEKTASI: "Di Bawah Ekspektasi",
}

# DESIGN.md §3: "The head of a unit's hasil rating equals the unit's organisational result."
ORG_TO_HASIL = {
    OrgPredikat.ISTIMEWA: Rating.DI_ATAS_EKSPEKTASI,
    OrgPredikat.BAIK: Rating.SESUAI_EKSPEKTASI,
}

# Activity quantities are counts of work done; for lower-is-better aspects (time, cost) a sum
# means nothing and 0 would read as "fully achieved", so the rater enters those realisations.
_NOT_PREFILLED = frozenset({Aspect.WAKTU, Aspect.BIAYA})


@dataclass(frozen=True, slots=True)
class EvaluationRow:
    """An evaluation header."""

    id: int
    skp_id: int
    period_id: int
    employee_id: int
    opd_id: int
    rater_id: int | None
    status: str
    suggested_hasil: str | None
    suggestion_explanation: str
    hasil_rating: str | None
    hasil_override_reason: str | None
    perilaku_rating: str | None
    predikat: str | None
    feedback: str
    finalised_at: datetime | None
    acknowledged_at: datetime | None
    employee_response: str | None
    created_at: datetime
    updated_at: datetime
    acting_rater_id: int | None = None
    combined_hasil: str | None = None
    combined_perilaku: str | None = None
    combined_predikat: str | None = None
    combined_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class EvaluationIndicatorRow:
    """Realisation and feedback of one indicator, with the indicator's target and aspect."""

    id: int
    evaluation_id: int
    indicator_id: int
    realisation: float | None
    evidence: str
    feedback: str
    target_value: float
    aspect: str
    description: str
    rhk_kind: str
    pace: float = 1.0  # share of the year elapsed at the end of the evaluation's period

    @property
    def achievement(self) -> float | None:
        """Achievement against the pro-rated target (:func:`rules.period_achievement`)."""
        if self.realisation is None:
            return None
        return rules.period_achievement(
            self.target_value, self.realisation, Aspect(self.aspect), self.pace
        )


@dataclass(frozen=True, slots=True)
class EvaluationBehaviourRow:
    """The rater's note (and optional rating) on one BerAKHLAK value."""

    id: int
    evaluation_id: int
    value: str
    rating: str | None
    note: str


@dataclass(frozen=True, slots=True)
class IndicatorUpdate:
    """What the rater enters for one indicator (``None`` keeps the stored value)."""

    indicator_id: int
    realisation: float | None = None
    evidence: str | None = None
    feedback: str | None = None


@dataclass(frozen=True, slots=True)
class BehaviourUpdate:
    """What the rater enters for one BerAKHLAK value (``None`` keeps the stored value)."""

    value: BerAkhlak
    note: str | None = None
    rating: Rating | None = None


_COLUMNS = row_columns(Evaluation, EvaluationRow)
_INDICATOR_COLUMNS = (
    EvaluationIndicator.id,
    EvaluationIndicator.evaluation.as_alias("evaluation_id"),
    EvaluationIndicator.indicator.as_alias("indicator_id"),
    EvaluationIndicator.realisation,
    EvaluationIndicator.evidence,
    EvaluationIndicator.feedback,
    EvaluationIndicator.indicator.target_value.as_alias("target_value"),
    EvaluationIndicator.indicator.aspect.as_alias("aspect"),
    EvaluationIndicator.indicator.description.as_alias("description"),
    EvaluationIndicator.indicator._.rhk._.kind.as_alias("rhk_kind"),
    EvaluationIndicator.indicator._.rhk._.position.as_alias("rhk_position"),
    EvaluationIndicator.indicator.position.as_alias("position"),
)
_BEHAVIOUR_ORDER = {v.value: n for n, v in enumerate(BerAkhlak)}


def _now() -> datetime:
    return datetime.now(UTC)


def _row(r: dict[str, Any]) -> EvaluationRow:
    return EvaluationRow(**r)


def _invalid_state(current: EvaluationRow, what: str) -> DomainError:
    return DomainError.single(
        "INVALID_STATE", f"Penilaian berstatus {current.status}; {what}", "evaluationId"
    )


# --- reads ---------------------------------------------------------------------------------


async def evaluations_by_ids(ids: Sequence[int]) -> list[EvaluationRow | None]:
    """Evaluations in the order of ``ids`` (dataloader batch; no scoping)."""
    rows = await Evaluation.select(*_COLUMNS).where(id_in(Evaluation.id, ids))
    by_id = {r["id"]: _row(r) for r in rows}
    return [by_id.get(i) for i in ids]


async def _get(evaluation_id: int) -> EvaluationRow:
    (row,) = await evaluations_by_ids([evaluation_id])
    if row is None:
        raise NotFoundError("Evaluation", "evaluationId")
    return row


async def get_evaluation(viewer: Viewer, evaluation_id: int) -> EvaluationRow:
    """An evaluation the viewer may read (the employee's private scope); NOT_FOUND otherwise.

    The rater of an SKP a mutasi closed reads its evaluations too (see ``skp.get_skp``).
    """
    row = await _get(evaluation_id)
    if row.rater_id is not None and viewer.employee_id == row.rater_id:
        (skp,) = await skp_service.skps_by_ids([row.skp_id])
        if skp is not None and policy.is_closed_skp_rater(viewer, skp):
            return row
    try:
        await visibility.readable_employee(viewer, row.employee_id, "Evaluation")
    except NotFoundError as exc:
        raise NotFoundError("Evaluation", "evaluationId") from exc
    return row


async def evaluation_of(skp_id: int, period_id: int) -> EvaluationRow | None:
    """The evaluation of an SKP for a period, if any (no scoping: callers check)."""
    return await _find(skp_id, period_id)


async def _find(skp_id: int, period_id: int) -> EvaluationRow | None:
    rows = await Evaluation.select(*_COLUMNS).where(
        (Evaluation.skp == skp_id) & (Evaluation.period == period_id)
    )
    return _row(rows[0]) if rows else None


async def scope_clause(viewer: Viewer) -> Any:  # noqa: ANN401 - a piccolo WHERE clause
    """Evaluations the viewer may read (the employee's private scope); None = all."""
    return await visibility.where(viewer, visibility.PRIVATE, Evaluation.employee, Evaluation.opd)


EVALUATION_BY_STATUS = SortKey("STATUS", Evaluation.status, lambda row: row.status)
"""Evaluations by status (DRAFT before FINAL ascending; then ID), for ``orderBy``."""


async def list_evaluations(
    viewer: Viewer,
    request: PageRequest,
    *,
    employee_id: int | None = None,
    period_id: int | None = None,
    to_rate: bool = False,
) -> Page[EvaluationRow]:
    """Evaluations the viewer may read, newest first unless the request orders them.

    ``to_rate``: only those the viewer rates.
    """
    clauses: list[Any] = []
    if to_rate:
        clauses.append(Evaluation.rater == (viewer.employee_id or -1))
    if employee_id is not None:
        await visibility.readable_employee(viewer, employee_id, "Employee")
        clauses.append(Evaluation.employee == employee_id)
    elif not to_rate:
        scope = await scope_clause(viewer)
        if scope is not None:
            clauses.append(scope)
    if period_id is not None:
        clauses.append(Evaluation.period == period_id)
    query = Evaluation.select(*_COLUMNS)
    count = Evaluation.count()
    for clause in clauses:
        query = query.where(clause)
        count = count.where(clause)
    rows = [_row(r) for r in await keyset(query, Evaluation.id, request)]
    return page_of(rows, request, await count)


async def indicator_rows_by_evaluation(
    evaluation_ids: Sequence[int],
) -> list[list[EvaluationIndicatorRow]]:
    """Indicator lines of each evaluation, UTAMA RHKs first, in SKP order (dataloader batch)."""
    rows = await EvaluationIndicator.select(*_INDICATOR_COLUMNS).where(
        id_in(EvaluationIndicator.evaluation, evaluation_ids)
    )
    grouped: dict[int, list[EvaluationIndicatorRow]] = {}
    ordered = sorted(
        rows,
        key=lambda r: (r["rhk_kind"] != RhkKind.UTAMA, r["rhk_position"], r["position"], r["id"]),
    )
    paces = await _paces(sorted({r["evaluation_id"] for r in rows}))
    for r in ordered:
        r.pop("rhk_position")
        r.pop("position")
        pace = paces.get(r["evaluation_id"], 1.0)
        grouped.setdefault(r["evaluation_id"], []).append(EvaluationIndicatorRow(**r, pace=pace))
    return [grouped.get(e, []) for e in evaluation_ids]


def skp_pace(skp: SkpRow | None, annual: PeriodRow, period: PeriodRow) -> float:
    """Share of an SKP's targets due at the end of ``period``.

    The share of the year elapsed; after a mutasi (issue 20) an SKP covers part of the year:
    the old SKP's annual targets are due in the share of the year served under it (measured at
    ``served_until``), the new SKP's targets over its own months (from ``served_from``).
    """
    served_from = skp.served_from if skp else None
    served_until = skp.served_until if skp else None
    measured_on = min(period.ends_on, served_until or period.ends_on)
    return rules.expected_pace(served_from or annual.starts_on, annual.ends_on, measured_on)


async def _paces(evaluation_ids: Sequence[int]) -> dict[int, float]:
    """Share of its SKP's targets due at the end of each evaluation's period (three queries)."""
    if not evaluation_ids:
        return {}
    rows = await Evaluation.select(Evaluation.id, Evaluation.period, Evaluation.skp).where(
        id_in(Evaluation.id, evaluation_ids)
    )
    by_id = {p.id: p for p in await periods.list_periods()}
    skp_ids = sorted({int(r["skp"]) for r in rows})
    skps = {s.id: s for s in await skp_service.skps_by_ids(skp_ids) if s is not None}
    result: dict[int, float] = {}
    for r in rows:
        period = by_id[r["period"]]
        annual = by_id.get(period.parent_id) if period.parent_id else period
        if annual is not None:
            result[r["id"]] = skp_pace(skps.get(int(r["skp"])), annual, period)
    return result


async def behaviours_by_evaluation(
    evaluation_ids: Sequence[int],
) -> list[list[EvaluationBehaviourRow]]:
    """The seven BerAKHLAK lines of each evaluation, in the order of the values."""
    rows = await EvaluationBehaviour.select(
        EvaluationBehaviour.id,
        EvaluationBehaviour.evaluation.as_alias("evaluation_id"),
        EvaluationBehaviour.value,
        EvaluationBehaviour.rating,
        EvaluationBehaviour.note,
    ).where(id_in(EvaluationBehaviour.evaluation, evaluation_ids))
    grouped: dict[int, list[EvaluationBehaviourRow]] = {}
    for r in sorted(rows, key=lambda r: _BEHAVIOUR_ORDER.get(r["value"], 99)):
        grouped.setdefault(r["evaluation_id"], []).append(EvaluationBehaviourRow(**r))
    return [grouped.get(e, []) for e in evaluation_ids]


# --- the hasil suggestion --------------------------------------------------------------------


async def _suggest(
    skp: SkpRow, period_id: int, items: Sequence[rules.IndicatorAchievement], missing: int
) -> tuple[Rating, str]:
    """Suggested hasil and its explanation (the JPT rule first, else indicator achievement)."""
    if JabatanKind(skp.jabatan_kind).is_jpt:
        org = await curve.org_predikat_for(skp.opd_id, period_id)
        if org is not None:
            rating = ORG_TO_HASIL.get(org, Rating.DI_BAWAH_EKSPEKTASI)
            return rating, (
                "Pegawai adalah pimpinan unit kerja (JPT): rating hasil kerja mengikuti "
                f"predikat organisasi {org.label} untuk periode ini. "
                f"Saran: {RATING_LABELS[rating]}."
            )
    suggestion = rules.suggest_hasil(items)
    explanation = suggestion.explanation
    if missing:
        explanation = (
            f"{missing} indikator belum diisi realisasinya dan belum dinilai. {explanation}"
        )
    return suggestion.rating, explanation


async def _pace(skp: SkpRow, period_id: int) -> float:
    """Share of the SKP's targets due at the end of a period (:func:`skp_pace`)."""
    period = await periods.get_period(period_id)
    annual = await periods.annual_of(period)
    return skp_pace(skp, annual, period)


def _achievement(
    line: EvaluationIndicatorRow, realisation: float, pace: float
) -> rules.IndicatorAchievement:
    aspect = Aspect(line.aspect)
    return rules.IndicatorAchievement(
        indicator_id=line.indicator_id,
        rhk_kind=RhkKind(line.rhk_kind),
        target=rules.period_target(line.target_value, aspect, pace),
        realisation=realisation,
        label=line.description,
        aspect=aspect,
    )


# --- writes ----------------------------------------------------------------------------------


async def _evaluation_period(skp: SkpRow, period_id: int) -> PeriodRow:
    try:
        period = await periods.get_period(period_id)
    except NotFoundError as exc:
        raise NotFoundError("Period", "periodId") from exc
    if skp.period_id not in (period.id, period.parent_id):
        raise DomainError.single(
            "PERIOD_MISMATCH",
            "Periode penilaian harus periode tahunan SKP atau salah satu periodenya",
            "periodId",
        )
    if period.status == PeriodStatus.CLOSED:
        raise DomainError.single("PERIOD_CLOSED", "Periode sudah ditutup", "periodId")
    return period


async def start_evaluation(viewer: Viewer, skp_id: int, period_id: int) -> EvaluationRow:
    """Start (or reopen) the rater's DRAFT evaluation of an approved SKP for a period.

    Realisations are prefilled with the verified activity quantity from the start of the year
    to the end of the period (except WAKTU/BIAYA indicators, which the rater enters), and the
    hasil suggestion is stored with its explanation. Starting again returns the same evaluation.
    """
    try:
        skp = await skp_service.get_skp(viewer, skp_id)
    except NotFoundError as exc:
        raise NotFoundError("SKP", "skpId") from exc
    acting_rater = await policy.rater_acting(viewer, skp.rater_id)
    if skp.status != SkpStatus.APPROVED and not skp.ever_approved:
        raise DomainError.single("SKP_NOT_APPROVED", "SKP belum disetujui", "skpId")
    period = await _evaluation_period(skp, period_id)
    existing = await _find(skp.id, period.id)
    if existing is not None:
        return existing
    annual = await periods.annual_of(period)
    (indicators,) = await skp_service.indicators_by_skp([skp.id])
    (rhks,) = await skp_service.rhks_by_skp([skp.id])
    kinds = {r.id: r.kind for r in rhks}
    start, end = progress.progress_window(annual, period, period.ends_on)
    tallies = await progress.tallies([(i.id, start, end) for i in indicators])
    realisations = [
        None if Aspect(i.aspect) in _NOT_PREFILLED else t.verified_quantity
        for i, t in zip(indicators, tallies, strict=True)
    ]
    pace = skp_pace(skp, annual, period)
    achievements = [
        rules.IndicatorAchievement(
            indicator_id=i.id,
            rhk_kind=RhkKind(kinds.get(i.rhk_id, RhkKind.UTAMA)),
            target=rules.period_target(i.target_value, Aspect(i.aspect), pace),
            realisation=r,
            label=i.description,
            aspect=Aspect(i.aspect),
        )
        for i, r in zip(indicators, realisations, strict=True)
        if r is not None
    ]
    rating, explanation = await _suggest(
        skp, period.id, achievements, sum(1 for r in realisations if r is None)
    )
    try:
        async with transaction():
            if await curve.is_finalised(skp.opd_id, period.id, lock=True):
                raise DomainError.single(
                    "OPD_FINALISED", "Penilaian OPD untuk periode ini sudah difinalkan", "periodId"
                )
            inserted = await Evaluation.insert(
                Evaluation(
                    skp=skp.id,
                    period=period.id,
                    employee=skp.employee_id,
                    opd=skp.opd_id,
                    rater=skp.rater_id,
                    acting_rater=acting_rater,
                    status=EvaluationStatus.DRAFT.value,
                    suggested_hasil=rating.value,
                    suggestion_explanation=explanation,
                )
            )
            evaluation_id = int(inserted[0]["id"])
            if indicators:
                await EvaluationIndicator.insert(
                    *(
                        EvaluationIndicator(evaluation=evaluation_id, indicator=i.id, realisation=r)
                        for i, r in zip(indicators, realisations, strict=True)
                    )
                )
            await EvaluationBehaviour.insert(
                *(EvaluationBehaviour(evaluation=evaluation_id, value=v.value) for v in BerAkhlak)
            )
            await audit.record(
                account_id=viewer.account_id,
                action="EVALUATION_STARTED",
                entity_type="Evaluation",
                entity_id=evaluation_id,
                after={
                    "skp_id": skp.id,
                    "period_id": period.id,
                    "suggested_hasil": rating.value,
                    "indicators": len(indicators),
                    "rater_id": skp.rater_id,
                    "acting_rater": acting_rater,
                },
            )
    except Exception as exc:
        if not is_unique_violation(exc):
            raise
        winner = await _find(skp.id, period.id)  # a concurrent start won the race
        if winner is None:
            raise
        return winner
    return await _get(evaluation_id)


def _clean(
    text: str | None, field: str, limit: int, errors: list[FieldError], *, lower: int = 0
) -> str | None:
    if text is None:
        return None
    text = text.strip()
    if not lower <= len(text) <= limit:
        errors.append(
            FieldError("INVALID_LENGTH", f"Panjang teks harus {lower}-{limit} karakter", field)
        )
    return text


def _validate_updates(
    indicators: Sequence[IndicatorUpdate],
    behaviours: Sequence[BehaviourUpdate],
    errors: list[FieldError],
) -> tuple[list[IndicatorUpdate], list[BehaviourUpdate]]:
    seen: set[int] = set()
    cleaned_indicators = []
    for n, item in enumerate(indicators):
        prefix = f"indicators.{n}"
        if item.indicator_id in seen:
            errors.append(FieldError("DUPLICATE", "Indikator disebut dua kali", prefix))
        seen.add(item.indicator_id)
        value = item.realisation
        if value is not None and (not math.isfinite(value) or not 0 <= value <= MAX_REALISATION):
            errors.append(
                FieldError(
                    "INVALID_REALISATION",
                    "Realisasi harus angka tidak negatif",
                    f"{prefix}.realisation",
                )
            )
        cleaned_indicators.append(
            IndicatorUpdate(
                indicator_id=item.indicator_id,
                realisation=value,
                evidence=_clean(item.evidence, f"{prefix}.evidence", MAX_TEXT, errors),
                feedback=_clean(item.feedback, f"{prefix}.feedback", MAX_TEXT, errors),
            )
        )
    seen_values: set[BerAkhlak] = set()
    cleaned_behaviours = []
    for n, b in enumerate(behaviours):
        if b.value in seen_values:
            errors.append(FieldError("DUPLICATE", "Nilai BerAKHLAK disebut dua kali", "behaviours"))
        seen_values.add(b.value)
        cleaned_behaviours.append(
            BehaviourUpdate(
                value=b.value,
                note=_clean(b.note, f"behaviours.{n}.note", MAX_TEXT, errors),
                rating=b.rating,
            )
        )
    return cleaned_indicators, cleaned_behaviours


def _override_error(
    hasil: Rating | None, suggested: str | None, reason: str | None
) -> FieldError | None:
    if hasil is None or suggested is None or hasil.value == suggested:
        return None
    if reason is not None and len(reason.strip()) >= MIN_OVERRIDE_REASON:
        return None
    return FieldError(
        "OVERRIDE_REASON_REQUIRED",
        f"Rating hasil kerja berbeda dari saran portal; tuliskan alasannya "
        f"(minimal {MIN_OVERRIDE_REASON} karakter)",
        "hasilOverrideReason",
    )


async def _editable(viewer: Viewer, evaluation_id: int) -> tuple[EvaluationRow, dict[Any, Any]]:
    """The DRAFT the viewer may edit, and the header values recording a Plt/Plh acting."""
    current = await get_evaluation(viewer, evaluation_id)
    acting_rater = await policy.rater_acting(viewer, current.rater_id)
    if current.status != EvaluationStatus.DRAFT:
        raise _invalid_state(current, "hanya penilaian DRAFT yang dapat diubah")
    return current, {} if acting_rater is None else {Evaluation.acting_rater: acting_rater}


async def _claim_draft(evaluation_id: int, values: dict[Any, Any]) -> None:
    """Compare-and-set the header of a DRAFT evaluation; fail if it moved on meanwhile."""
    updated = (
        await Evaluation.update({**values, Evaluation.updated_at: _now()})
        .where(
            (Evaluation.id == evaluation_id) & (Evaluation.status == EvaluationStatus.DRAFT.value)
        )
        .returning(Evaluation.id)
    )
    if not updated:
        current = await _get(evaluation_id)
        raise _invalid_state(current, "tindakan tidak dapat dilakukan")


def _rating_values(
    current: EvaluationRow,
    suggested: Rating,
    hasil_rating: Rating | None,
    perilaku_rating: Rating | None,
    reason_in: str | None,
) -> dict[Any, Any]:
    """Header columns for the ratings; refuses an override of the suggestion without reason."""
    hasil = hasil_rating or (Rating(current.hasil_rating) if current.hasil_rating else None)
    perilaku = perilaku_rating or (
        Rating(current.perilaku_rating) if current.perilaku_rating else None
    )
    reason = reason_in if reason_in is not None else current.hasil_override_reason
    override = _override_error(hasil, suggested.value, reason)
    if override is not None:
        raise DomainError(override)
    overridden = hasil is not None and hasil is not suggested
    return {
        Evaluation.suggested_hasil: suggested.value,
        Evaluation.hasil_rating: hasil.value if hasil else None,
        Evaluation.hasil_override_reason: (reason or None) if overridden else None,
        Evaluation.perilaku_rating: perilaku.value if perilaku else None,
        Evaluation.predikat: rules.predikat(hasil, perilaku).value if hasil and perilaku else None,
    }


async def _write_lines(
    evaluation_id: int,
    indicators: Sequence[IndicatorUpdate],
    behaviours: Sequence[BehaviourUpdate],
) -> None:
    """Store the changed indicator and behaviour lines (inside the caller's transaction).

    One statement for the indicator lines and one for the behaviours, however many are sent;
    a None value keeps the stored one.
    """
    await update_rows(
        (EvaluationIndicator.evaluation, EvaluationIndicator.indicator),
        (
            EvaluationIndicator.realisation,
            EvaluationIndicator.evidence,
            EvaluationIndicator.feedback,
        ),
        [
            (evaluation_id, i.indicator_id, i.realisation, i.evidence, i.feedback)
            for i in indicators
            if (i.realisation, i.evidence, i.feedback) != (None, None, None)
        ],
        null_keeps=True,
    )
    await update_rows(
        (EvaluationBehaviour.evaluation, EvaluationBehaviour.value),
        (EvaluationBehaviour.note, EvaluationBehaviour.rating),
        [
            (evaluation_id, b.value.value, b.note, b.rating.value if b.rating else None)
            for b in behaviours
            if (b.note, b.rating) != (None, None)
        ],
        null_keeps=True,
    )


async def update_evaluation(
    viewer: Viewer,
    evaluation_id: int,
    *,
    indicators: Sequence[IndicatorUpdate] = (),
    behaviours: Sequence[BehaviourUpdate] = (),
    hasil_rating: Rating | None = None,
    hasil_override_reason: str | None = None,
    perilaku_rating: Rating | None = None,
    feedback: str | None = None,
) -> EvaluationRow:
    """The rater fills in a DRAFT evaluation; ``None`` arguments keep the stored values.

    The hasil suggestion is recomputed from the realisations; a hasil rating other than the
    suggestion needs an override reason of at least ten characters. The predikat follows the
    matrix once both ratings are set.
    """
    errors: list[FieldError] = []
    indicators, behaviours = _validate_updates(indicators, behaviours, errors)
    reason_in = _clean(hasil_override_reason, "hasilOverrideReason", MAX_TEXT, errors)
    feedback = _clean(feedback, "feedback", MAX_FEEDBACK, errors)
    current, acting = await _editable(viewer, evaluation_id)
    (lines,) = await indicator_rows_by_evaluation([evaluation_id])
    by_indicator = {line.indicator_id: line for line in lines}
    errors.extend(
        FieldError(
            "NOT_FOUND", "Indikator tidak ada dalam penilaian ini", f"indicators.{n}.indicatorId"
        )
        for n, item in enumerate(indicators)
        if item.indicator_id not in by_indicator
    )
    if errors:
        raise DomainError(*errors)
    realisations = {line.indicator_id: line.realisation for line in lines}
    realisations.update(
        {i.indicator_id: i.realisation for i in indicators if i.realisation is not None}
    )
    (skp,) = await skp_service.skps_by_ids([current.skp_id])
    assert skp is not None  # noqa: S101 - enforced by a NOT NULL foreign key
    pace = await _pace(skp, current.period_id)
    achievements = [
        _achievement(line, value, pace)
        for line in lines
        if (value := realisations[line.indicator_id]) is not None
    ]
    missing = sum(1 for v in realisations.values() if v is None)
    suggested, explanation = await _suggest(skp, current.period_id, achievements, missing)
    values = _rating_values(current, suggested, hasil_rating, perilaku_rating, reason_in)
    values[Evaluation.suggestion_explanation] = explanation
    values.update(acting)
    if feedback is not None:
        values[Evaluation.feedback] = feedback
    async with transaction():
        await _claim_draft(evaluation_id, values)
        await _write_lines(evaluation_id, indicators, behaviours)
        await audit.record(
            account_id=viewer.account_id,
            action="EVALUATION_UPDATED",
            entity_type="Evaluation",
            entity_id=evaluation_id,
            before=_header_snapshot(current),
            after={
                **{c._meta.name: v for c, v in values.items()},  # noqa: SLF001
                "indicators": {
                    str(i.indicator_id): i.realisation
                    for i in indicators
                    if i.realisation is not None
                },
                "behaviours": sorted(b.value.value for b in behaviours),
            },
        )
    return await _get(evaluation_id)


def _header_snapshot(row: EvaluationRow) -> dict[str, Any]:
    return {
        "status": row.status,
        "suggested_hasil": row.suggested_hasil,
        "hasil_rating": row.hasil_rating,
        "hasil_override_reason": row.hasil_override_reason,
        "perilaku_rating": row.perilaku_rating,
        "predikat": row.predikat,
    }


async def finalise_evaluation(viewer: Viewer, evaluation_id: int) -> EvaluationRow:
    """The rater finalises a complete DRAFT evaluation (DRAFT -> FINAL).

    Refused with INCOMPLETE (one error per missing field) without both ratings and a note on
    each BerAKHLAK value, and with OPD_FINALISED once the OPD's curve for the period is final.
    """
    current, acting = await _editable(viewer, evaluation_id)
    errors: list[FieldError] = []
    if current.hasil_rating is None:
        errors.append(FieldError("INCOMPLETE", "Rating hasil kerja belum diisi", "hasilRating"))
    if current.perilaku_rating is None:
        errors.append(
            FieldError("INCOMPLETE", "Rating perilaku kerja belum diisi", "perilakuRating")
        )
    (behaviours,) = await behaviours_by_evaluation([evaluation_id])
    notes = {b.value: b.note.strip() for b in behaviours}
    errors.extend(
        FieldError("INCOMPLETE", f"Catatan {value.label} belum diisi", f"behaviours.{value.value}")
        for value in BerAkhlak
        if not notes.get(value.value)
    )
    if current.hasil_rating is not None:
        override = _override_error(
            Rating(current.hasil_rating), current.suggested_hasil, current.hasil_override_reason
        )
        if override is not None:
            errors.append(override)
    if errors:
        raise DomainError(*errors)
    assert current.hasil_rating is not None  # noqa: S101 - checked above
    assert current.perilaku_rating is not None  # noqa: S101
    result = rules.predikat(Rating(current.hasil_rating), Rating(current.perilaku_rating))
    async with transaction():
        if await curve.is_finalised(current.opd_id, current.period_id, lock=True):
            raise DomainError.single(
                "OPD_FINALISED",
                "Penilaian OPD untuk periode ini sudah difinalkan; penilaian tidak dapat diubah",
                "evaluationId",
            )
        now = _now()
        await _claim_draft(
            evaluation_id,
            {
                Evaluation.status: EvaluationStatus.FINAL.value,
                Evaluation.predikat: result.value,
                Evaluation.finalised_at: now,
                **acting,
            },
        )
        await audit.record(
            account_id=viewer.account_id,
            action="EVALUATION_FINALISED",
            entity_type="Evaluation",
            entity_id=evaluation_id,
            before={"status": current.status},
            after={
                "status": EvaluationStatus.FINAL.value,
                "predikat": result.value,
                **{c._meta.name: v for c, v in acting.items()},  # noqa: SLF001
            },
        )
        # the last part of a year split by a mutasi: the year's one result (issue 20)
        await combined.record_if_complete(
            account_id=viewer.account_id,
            employee_id=current.employee_id,
            period_id=current.period_id,
        )
    return await _get(evaluation_id)


async def acknowledge_evaluation(
    viewer: Viewer, evaluation_id: int, response: str | None
) -> EvaluationRow:
    """The employee acknowledges their FINAL evaluation, once, optionally with a response."""
    errors: list[FieldError] = []
    response = _clean(response, "response", MAX_TEXT, errors) or None
    if errors:
        raise DomainError(*errors)
    current = await get_evaluation(viewer, evaluation_id)
    policy.require_self(viewer, current.employee_id)
    if current.status != EvaluationStatus.FINAL:
        raise _invalid_state(current, "hanya penilaian FINAL yang dapat ditanggapi")
    already = DomainError.single(
        "ALREADY_ACKNOWLEDGED", "Penilaian ini sudah ditanggapi", "evaluationId"
    )
    if current.acknowledged_at is not None:
        raise already
    async with transaction():
        now = _now()
        updated = (
            await Evaluation.update(
                {
                    Evaluation.acknowledged_at: now,
                    Evaluation.employee_response: response,
                    Evaluation.updated_at: now,
                }
            )
            .where(
                (Evaluation.id == evaluation_id)
                & (Evaluation.status == EvaluationStatus.FINAL.value)
                & Evaluation.acknowledged_at.is_null()
            )
            .returning(Evaluation.id)
        )
        if not updated:
            raise already
        await audit.record(
            account_id=viewer.account_id,
            action="EVALUATION_ACKNOWLEDGED",
            entity_type="Evaluation",
            entity_id=evaluation_id,
            after={"response": response},
        )
    return await _get(evaluation_id)


# --- audit log (issue 3 §8) ------------------------------------------------------------------
# Kept here because this module owns the performance writes it mostly shows; it belongs with
# portal.core.audit and should move there once that module grows a read side.
