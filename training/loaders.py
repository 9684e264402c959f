"""Per-request dataloaders of the training module (no N+1 on lists of courses or assignments)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from strawberry.dataloader import DataLoader

from portal.core.context import LoaderSet
from portal.performance.planning.loaders import PerformanceLoaders
from portal.performance.planning.services.progress import RangeKey, Tally
from portal.performance.rows import IndicatorRow, PeriodRow, RhkRow, SkpRow
from training.rows import (
    AssignmentRow,
    CompetencyRow,
    CourseRatingRow,
    CourseRow,
    CourseSessionRow,
    RatingSummary,
)
from training.services import assignments, catalogue


class TrainingLoaders(LoaderSet):
    """One set per request; each batches keys within a tick into one query."""

    def __init__(self) -> None:
        self.course: DataLoader[int, CourseRow | None] = DataLoader(catalogue.courses_by_ids)
        self.competency: DataLoader[int, CompetencyRow | None] = DataLoader(
            catalogue.competencies_by_ids
        )
        self.competencies_by_course: DataLoader[int, list[CompetencyRow]] = DataLoader(
            catalogue.competencies_by_course
        )
        self.sessions_by_course: DataLoader[int, list[CourseSessionRow]] = DataLoader(
            catalogue.sessions_by_course
        )
        self.seats_taken: DataLoader[int, int] = DataLoader(catalogue.seats_taken)
        self.rating_summary: DataLoader[int, RatingSummary] = DataLoader(catalogue.rating_summaries)
        self.assignment: DataLoader[int, AssignmentRow | None] = DataLoader(
            assignments.assignments_by_ids
        )
        self.rating_by_assignment: DataLoader[int, CourseRatingRow | None] = DataLoader(
            assignments.ratings_by_assignment
        )

    def prime_courses(self, rows: Sequence[CourseRow]) -> None:
        """Courses read otherwise (the recommendations' catalogue): their fields read no more."""
        for row in rows:
            self.course.prime(row.id, row)


class RequestPerformance:
    """The recommendations' performance reader over the request's performance loaders.

    The year, SKP, RHKs, indicators and tallies ``mySkp`` reads in the same request are read
    once (:class:`training.services.signals.PerformanceReader`).
    """

    __slots__ = ("_employee_id", "_loaders")

    def __init__(self, loaders: PerformanceLoaders, employee_id: int | None = None) -> None:
        self._loaders = loaders
        self._employee_id = employee_id

    async def annual_for(self, on: date) -> PeriodRow | None:
        """The annual period covering ``on``.

        With the employee the request recommends for, read with their SKP tree (primes what
        the other methods ask; ``mySkp`` reads the same tree).
        """
        if self._employee_id is not None:
            return (await self._loaders.year_of.load((self._employee_id, on))).annual
        return await self._loaders.annual_on.load(on)

    async def skps_for_employees(
        self, employee_ids: Sequence[int], period_id: int
    ) -> dict[int, SkpRow]:
        """Active SKPs of the employees for the annual period, by employee id."""
        rows = await self._loaders.skp_of.load_many([(e, period_id) for e in employee_ids])
        return {r.employee_id: r for r in rows if r is not None}

    async def indicators_by_skp(self, skp_ids: Sequence[int]) -> list[list[IndicatorRow]]:
        """Indicators of each SKP, by RHK id then position."""
        return [await self._loaders.indicators_of_skp(s) for s in skp_ids]

    async def rhks_by_ids(self, ids: Sequence[int]) -> list[RhkRow | None]:
        """RHKs in the order of ``ids``."""
        return await self._loaders.rhk.load_many(ids)

    async def tallies(self, keys: Sequence[RangeKey]) -> list[Tally]:
        """Verified work of each (indicator, first day, last day)."""
        return await self._loaders.tally.load_many(keys)
