"""The one result of a year split by a mutasi, and which evaluations count (issue 20).

A mutasi leaves one SKP per part of the annual period; each part's rater makes its own annual
evaluation. Once every part is FINAL, :func:`record_if_complete` (run in the transaction that
finalises the last part) stores the pro rata combination
(:func:`portal.performance.rules.combine_pro_rata`) on the annual evaluation of the part active
at the year's end, the **carrier**: ``combined_hasil``, ``combined_perilaku``,
``combined_predikat``, ``combined_at``; audited as ``ANNUAL_RESULT_COMBINED``.

Every reader of predikat (the distribution curve, the rekap predikat, the TPP incentives, the
development candidates) counts an employee once per period:

* **which evaluations count** (:data:`COUNTED`): an evaluation counts when its SKP was still
  active on the last day of the evaluated period. For the annual period that is the carrier
  only (the closed parts ended before 31 December); for the quarter or month containing the
  move it is the part active at the quarter's end (the new SKP), so the closed part's
  evaluation of that quarter is not counted; quarters before the move count the old part.
* **which predikat** (:func:`effective_predikat`): the carrier's combined predikat once stored,
  else its own (while an earlier part is not yet FINAL, the carrier's own result stands in).

Keberatan on a split year targets the combined result (:func:`objection_target`): the objection
is recorded on the carrier, with the combined ratings, and a granted one rewrites them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from piccolo.columns.combination import WhereRaw

from portal.core import audit
from portal.core.db import id_in
from portal.core.errors import DomainError
from portal.performance import rules
from portal.performance.enums import EvaluationStatus, PeriodKind, Rating
from portal.performance.planning.services import periods
from portal.performance.tables import Evaluation, Skp

# The evaluation's SKP was active on the last day of the evaluated period (see above).
COUNTED_SQL = (
    'NOT EXISTS (SELECT 1 FROM "skp" AS "counted_skp" JOIN "period" AS "counted_period"'
    ' ON "counted_period"."id" = "evaluation"."period"'
    ' WHERE "counted_skp"."id" = "evaluation"."skp"'
    ' AND "counted_skp"."served_until" IS NOT NULL'
    ' AND "counted_skp"."served_until" < "counted_period"."ends_on")'
)


def counted() -> WhereRaw:
    """The WHERE clause of the evaluations that count for a period (one per employee)."""
    return WhereRaw(COUNTED_SQL)


def effective_predikat(own: str, combined_predikat: str | None) -> str:
    """The predikat an evaluation counts with: the combined one of a split year, else its own."""
    return combined_predikat or own


async def split_year_employees(period_id: int) -> set[int]:
    """Employees whose year is split by a mutasi, when ``period_id`` is an annual period."""
    period = await periods.get_period(period_id)
    if period.kind != PeriodKind.ANNUAL:
        return set()
    # a split year has a closed part: an SKP served until the day before the move
    rows = await (
        Skp.select(Skp.employee)
        .where((Skp.period == period_id) & Skp.served_until.is_not_null())
        .distinct()
    )
    return {int(r["employee"]) for r in rows}


async def _skps(employee_id: int, period_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await Skp.select(Skp.id, Skp.served_from, Skp.served_until).where(
        (Skp.employee == employee_id) & (Skp.period == period_id)
    )
    return rows


async def record_if_complete(*, account_id: int | None, employee_id: int, period_id: int) -> None:
    """Store the combined result of a split annual period once every part is FINAL.

    Joins the caller's transaction (the one finalising a part); does nothing for an unsplit
    year, a sub-period, or while a part has no FINAL evaluation.
    """
    period = await periods.get_period(period_id)
    if period.kind != PeriodKind.ANNUAL:
        return
    skps = await _skps(employee_id, period_id)
    if len(skps) < 2:  # noqa: PLR2004 - a split year has at least two parts
        return
    evaluations = {
        int(r["skp"]): r
        for r in await Evaluation.select(
            Evaluation.id,
            Evaluation.skp,
            Evaluation.status,
            Evaluation.hasil_rating,
            Evaluation.perilaku_rating,
            Evaluation.combined_predikat,
        ).where(
            id_in(Evaluation.skp, [int(s["id"]) for s in skps]) & (Evaluation.period == period_id)
        )
    }
    served: list[rules.ServedPart] = []
    carrier: dict[str, Any] | None = None
    for skp in skps:
        row = evaluations.get(int(skp["id"]))
        if row is None or row["status"] != EvaluationStatus.FINAL.value:
            return
        if row["hasil_rating"] is None or row["perilaku_rating"] is None:
            return
        served.append(
            rules.ServedPart(
                skp["served_from"] or period.starts_on,
                skp["served_until"] or period.ends_on,
                Rating(row["hasil_rating"]),
                Rating(row["perilaku_rating"]),
            )
        )
        if skp["served_until"] is None:
            carrier = row
    if carrier is None or carrier["combined_predikat"] is not None:
        return
    result = rules.combine_pro_rata(served)
    await Evaluation.update(
        {
            Evaluation.combined_hasil: result.hasil.value,
            Evaluation.combined_perilaku: result.perilaku.value,
            Evaluation.combined_predikat: result.predikat.value,
            Evaluation.combined_at: datetime.now(UTC),
        }
    ).where((Evaluation.id == carrier["id"]) & Evaluation.combined_predikat.is_null())
    await audit.record(
        account_id=account_id,
        action="ANNUAL_RESULT_COMBINED",
        entity_type="Evaluation",
        entity_id=int(carrier["id"]),
        after={
            "employee_id": employee_id,
            "period_id": period_id,
            "parts": [
                {"evaluation_id": evaluations[int(s["id"])]["id"], "months": str(months)}
                for s, months in zip(skps, result.months, strict=True)
            ],
            "hasil_rating": result.hasil.value,
            "perilaku_rating": result.perilaku.value,
            "predikat": result.predikat.value,
        },
    )


@dataclass(frozen=True, slots=True)
class ObjectionTarget:
    """The result a keberatan on an evaluation is about: its own, or its split year's."""

    evaluation_id: int
    skp_id: int
    rater_id: int | None
    status: str
    hasil: str | None
    perilaku: str | None
    predikat: str | None
    final_at: datetime | None
    split: bool


async def objection_target(evaluation_id: int) -> ObjectionTarget:
    """The evaluation itself, or, for an annual part of a split year, the year's carrier.

    Raises:
        DomainError: INVALID_STATE for a split year whose combined result is not final yet.
    """
    row = await (
        Evaluation.select(
            Evaluation.id,
            Evaluation.skp,
            Evaluation.employee,
            Evaluation.period,
            Evaluation.rater,
            Evaluation.status,
            Evaluation.hasil_rating,
            Evaluation.perilaku_rating,
            Evaluation.predikat,
            Evaluation.finalised_at,
        )
        .where(Evaluation.id == evaluation_id)
        .first()
    )
    if row is None:  # pragma: no cover - callers read it first
        raise DomainError.single("NOT_FOUND", "Penilaian tidak ditemukan", "evaluationId")
    skps = await _skps(int(row["employee"]), int(row["period"]))
    if len(skps) < 2:  # noqa: PLR2004 - unsplit (or not an annual period: no SKP of it)
        return ObjectionTarget(
            int(row["id"]), int(row["skp"]), row["rater"], row["status"], row["hasil_rating"],
            row["perilaku_rating"], row["predikat"], row["finalised_at"], split=False,
        )  # fmt: skip
    active = [int(s["id"]) for s in skps if s["served_until"] is None]
    carrier = await (
        Evaluation.select(
            Evaluation.id,
            Evaluation.skp,
            Evaluation.rater,
            Evaluation.combined_hasil,
            Evaluation.combined_perilaku,
            Evaluation.combined_predikat,
            Evaluation.combined_at,
        )
        .where(id_in(Evaluation.skp, active) & (Evaluation.period == row["period"]))
        .first()
    )
    if carrier is None or carrier["combined_predikat"] is None:
        raise DomainError.single(
            "INVALID_STATE",
            "Hasil tahunan gabungan (mutasi) belum final: semua bagian tahun harus FINAL",
            "evaluationId",
        )
    return ObjectionTarget(
        int(carrier["id"]), int(carrier["skp"]), carrier["rater"],
        EvaluationStatus.FINAL.value, carrier["combined_hasil"], carrier["combined_perilaku"],
        carrier["combined_predikat"], carrier["combined_at"], split=True,
    )  # fmt: skip
