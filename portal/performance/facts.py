"""What other domains may read of the performance domain, besides its services (plain values).

The performance domain owns the period, SKP, activity and evaluation tables; other domains
never import them. Bulk frames for the mentoring model are in :mod:`portal.performance.analytics`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from portal.performance import sql
from portal.performance.tables import Activity, Evaluation, Indicator


async def activity_employee(activity_id: int) -> int | None:
    """Whose activity this is (None when it does not exist)."""
    row = await Activity.select(Activity.employee).where(Activity.id == activity_id).first()
    return None if row is None else int(row["employee"])


async def evaluation_employee(evaluation_id: int) -> int | None:
    """Whose evaluation this is (None when it does not exist)."""
    row = await Evaluation.select(Evaluation.employee).where(Evaluation.id == evaluation_id).first()
    return None if row is None else int(row["employee"])


async def indicator_employee(indicator_id: int) -> int | None:
    """Whose SKP this indicator belongs to (None when it does not exist)."""
    row = (
        await Indicator.select(Indicator.skp.employee.as_alias("employee"))
        .where(Indicator.id == indicator_id)
        .first()
    )
    return None if row is None else int(row["employee"])


@dataclass(frozen=True, slots=True)
class LatestBehaviour:
    """One line of an employee's latest FINAL evaluation: the perilaku and one BerAKHLAK value."""

    employee_id: int
    period_name: str
    perilaku_rating: str | None
    value: str | None
    rating: str | None
    note: str | None


async def latest_final_behaviour(employee_ids: Sequence[int]) -> list[LatestBehaviour]:
    """The behaviour lines of each employee's latest FINAL evaluation (by period end, then id)."""
    return [LatestBehaviour(**r) for r in await sql.latest_final_behaviour(employee_ids)]
