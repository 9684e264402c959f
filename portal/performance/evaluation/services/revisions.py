"""Revising a FINAL evaluation's ratings after a granted keberatan (issue 20).

The decision belongs to the processes domain (who decides, by when, with what reason); the
evaluation is performance's record, so performance writes it. The predikat follows the exact
matrix of :func:`portal.performance.rules.predikat`, and because the distribution curve and
the incentive export read ``evaluation.predikat``, both follow the final decision. On the
carrier of a year split by a mutasi the combined result (``combined_*``) is what is revised.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from portal.core import audit
from portal.core.db import transaction
from portal.core.errors import DomainError
from portal.performance import rules
from portal.performance.enums import EvaluationStatus, Predikat, Rating
from portal.performance.tables import Evaluation


async def revise_after_objection(
    *,
    account_id: int | None,
    evaluation_id: int,
    objection_id: int,
    hasil: Rating,
    perilaku: Rating,
) -> Predikat:
    """Set the ratings (and so the predikat) of a FINAL evaluation, audited.

    Joins the caller's transaction.

    Raises:
        DomainError: INVALID_STATE when the evaluation is not FINAL (it cannot be: objections
            are filed on FINAL evaluations and the FINAL state is never left).
    """
    result = rules.predikat(hasil, perilaku)
    async with transaction():
        before = await (
            Evaluation.select(
                Evaluation.hasil_rating,
                Evaluation.perilaku_rating,
                Evaluation.predikat,
                Evaluation.combined_predikat,
            )
            .where(
                (Evaluation.id == evaluation_id)
                & (Evaluation.status == EvaluationStatus.FINAL.value)
            )
            .first()
        )
        if before is None:
            raise DomainError.single(
                "INVALID_STATE", "Hanya penilaian FINAL yang dapat direvisi", "evaluationId"
            )
        split = before["combined_predikat"] is not None
        values: dict[Any, str]
        if split:  # the combined result of a year split by a mutasi is what was objected to
            values = {
                Evaluation.combined_hasil: hasil.value,
                Evaluation.combined_perilaku: perilaku.value,
                Evaluation.combined_predikat: result.value,
            }
        else:
            values = {
                Evaluation.hasil_rating: hasil.value,
                Evaluation.perilaku_rating: perilaku.value,
                Evaluation.predikat: result.value,
            }
        await Evaluation.update({**values, Evaluation.updated_at: datetime.now(UTC)}).where(
            Evaluation.id == evaluation_id
        )
        await audit.record(
            account_id=account_id,
            action="EVALUATION_REVISED_BY_OBJECTION",
            entity_type="Evaluation",
            entity_id=evaluation_id,
            before=dict(before),
            after={
                "hasil_rating": hasil.value,
                "perilaku_rating": perilaku.value,
                "predikat": result.value,
                "combined": split,
                "objection_id": objection_id,
            },
        )
    return result
