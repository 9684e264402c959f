"""Per-request dataloaders of evaluations (created lazily by ``portal.context.Loaders``)."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from portal.core.context import LoaderSet
from portal.performance.evaluation.services import evaluations
from portal.performance.evaluation.services.evaluations import (
    EvaluationBehaviourRow,
    EvaluationIndicatorRow,
    EvaluationRow,
)


class EvaluationLoaders(LoaderSet):
    """Batches evaluation lookups and their indicator and behaviour lines within a request."""

    def __init__(self) -> None:
        self.evaluation: DataLoader[int, EvaluationRow | None] = DataLoader(
            evaluations.evaluations_by_ids
        )
        self.indicators: DataLoader[int, list[EvaluationIndicatorRow]] = DataLoader(
            evaluations.indicator_rows_by_evaluation
        )
        self.behaviours: DataLoader[int, list[EvaluationBehaviourRow]] = DataLoader(
            evaluations.behaviours_by_evaluation
        )
