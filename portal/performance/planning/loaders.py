"""Per-request dataloaders of the performance domain."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from portal.core.context import LoaderSet
from portal.performance.planning.services import activities, periods, progress, skp
from portal.performance.planning.services.progress import RangeKey, Tally
from portal.performance.rows import ActivityRow, IndicatorRow, PeriodRow, RhkRow, SkpRow


class PerformanceLoaders(LoaderSet):
    """Batches every list and lookup of the performance domain within a request."""

    def __init__(self) -> None:
        self.period: DataLoader[int, PeriodRow | None] = DataLoader(periods.periods_by_ids)
        self.children: DataLoader[int, list[PeriodRow]] = DataLoader(periods.children_by_parents)
        self.skp: DataLoader[int, SkpRow | None] = DataLoader(skp.skps_by_ids)
        self.rhk: DataLoader[int, RhkRow | None] = DataLoader(skp.rhks_by_ids)
        self.rhks_by_skp: DataLoader[int, list[RhkRow]] = DataLoader(skp.rhks_by_skp)
        self.indicator: DataLoader[int, IndicatorRow | None] = DataLoader(skp.indicators_by_ids)
        self.indicators_by_rhk: DataLoader[int, list[IndicatorRow]] = DataLoader(
            skp.indicators_by_rhk
        )
        self.expectations: DataLoader[int, dict[str, str]] = DataLoader(skp.expectations_by_skp)
        self.revisions: DataLoader[int, list[dict[str, object]]] = DataLoader(skp.revisions)
        self.activity: DataLoader[int, ActivityRow | None] = DataLoader(
            activities.activities_by_ids
        )
        self.tally: DataLoader[RangeKey, Tally] = DataLoader(progress.tallies)
