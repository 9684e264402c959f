"""Per-request dataloaders of the performance domain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from strawberry.dataloader import DataLoader

from portal.core.context import LoaderSet
from portal.performance.planning.services import activities, periods, progress, skp
from portal.performance.planning.services.progress import RangeKey, Tally, YearTree
from portal.performance.rows import ActivityRow, IndicatorRow, PeriodRow, RhkRow, SkpRow

SkpKey = tuple[int, int]  # (employee id, annual period id)
YearKey = tuple[int, date]  # (employee id, a day)


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
        # what an employee's own screens share: the year of a day and an employee's SKP of it,
        # read once per request (mySkp and the training recommendations both need them)
        self.annual_on: DataLoader[date, PeriodRow | None] = DataLoader(self._annuals_on)
        self.skp_of: DataLoader[SkpKey, SkpRow | None] = DataLoader(self._skps_of)
        # an employee's year of a day and their SKP tree in it, in one statement (mySkp and
        # the recommendations' indicator gaps); primes every loader above with what it read
        self.year_of: DataLoader[YearKey, YearTree] = DataLoader(self._years_of)

    async def _annuals_on(self, days: Sequence[date]) -> list[PeriodRow | None]:
        """The annual period of each day (a request asks for one: today); primes ``period``."""
        found = [await periods.annual_for(d) for d in days]
        for row in found:
            if row is not None:
                self.period.prime(row.id, row)
        return found

    async def _years_of(self, keys: Sequence[YearKey]) -> list[YearTree]:
        """Each (employee, day)'s year and SKP tree (a request asks for one: the viewer's)."""
        found = []
        for employee_id, day in keys:
            tree = await progress.year_tree(employee_id, day)
            self._prime(employee_id, day, tree)
            found.append(tree)
        return found

    def _prime(self, employee_id: int, day: date, tree: YearTree) -> None:
        """Prime the year, SKP, RHK, indicator and tally loaders with what ``tree`` holds."""
        self.annual_on.prime(day, tree.annual)
        if tree.annual is None:
            return
        self.period.prime(tree.annual.id, tree.annual)
        self.skp_of.prime((employee_id, tree.annual.id), tree.skp)
        if tree.skp is None:
            return
        self.skp.prime(tree.skp.id, tree.skp)
        self.rhks_by_skp.prime(tree.skp.id, list(tree.rhks))
        for rhk in tree.rhks:
            self.rhk.prime(rhk.id, rhk)
            self.indicators_by_rhk.prime(rhk.id, tree.indicators[rhk.id])
            for indicator in tree.indicators[rhk.id]:
                self.indicator.prime(indicator.id, indicator)
        if tree.window is not None:
            first, last = tree.window
            for indicator_id, tally in tree.tallies.items():
                self.tally.prime((indicator_id, first, last), tally)

    async def _skps_of(self, keys: Sequence[SkpKey]) -> list[SkpRow | None]:
        """Active SKPs of (employee, annual period) pairs, one query per period; primes ``skp``."""
        by_period: dict[int, list[int]] = {}
        for employee_id, period_id in keys:
            by_period.setdefault(period_id, []).append(employee_id)
        found: dict[SkpKey, SkpRow] = {}
        for period_id, employee_ids in by_period.items():
            rows = await skp.skps_for_employees(sorted(set(employee_ids)), period_id)
            for employee_id, row in rows.items():
                found[(employee_id, period_id)] = row
                self.skp.prime(row.id, row)
        return [found.get(k) for k in keys]

    async def indicators_of_skp(self, skp_id: int) -> list[IndicatorRow]:
        """Indicators of an SKP by RHK id, then position (``skp.indicators_by_skp``'s order).

        Read through the RHK and indicator loaders the SKP's own fields use.
        """
        rhks = await self.rhks_by_skp.load(skp_id)
        for rhk in rhks:
            self.rhk.prime(rhk.id, rhk)
        lists = await self.indicators_by_rhk.load_many(sorted(r.id for r in rhks))
        return [i for lst in lists for i in lst]
