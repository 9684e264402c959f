"""What other domains may read of the performance domain, besides its services (plain values).

The performance domain owns the period, SKP, activity and evaluation tables; other domains
never import them. Bulk frames for the mentoring model are in :mod:`portal.performance.analytics`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from piccolo.query.functions.aggregate import Count

from portal.performance import sql
from portal.performance.enums import EvaluationStatus
from portal.performance.evaluation.services import combined
from portal.performance.tables import Activity, Evaluation, Indicator, OpdCurve, Skp


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


# --- period reports of the BKPSDM processes (issue 20) ---------------------------------------


async def final_predikat_counts(period_id: int) -> dict[int, dict[str, int]]:
    """FINAL evaluations of the period per OPD and predikat (one GROUP BY).

    One per employee: a year split by a mutasi counts once, in the OPD of the part active at
    the period's end, with its combined predikat (:mod:`.evaluation.services.combined`).
    """
    rows = await (
        Evaluation.select(
            Evaluation.opd,
            Evaluation.predikat,
            Evaluation.combined_predikat,
            Count(Evaluation.id, alias="n"),
        )
        .where(
            (Evaluation.period == period_id)
            & (Evaluation.status == EvaluationStatus.FINAL.value)
            & Evaluation.predikat.is_not_null()
            & combined.counted()
        )
        .group_by(Evaluation.opd, Evaluation.predikat, Evaluation.combined_predikat)
    )
    counts: dict[int, dict[str, int]] = {}
    for r in rows:
        predikat = str(combined.effective_predikat(r["predikat"], r["combined_predikat"]))
        mine = counts.setdefault(int(r["opd"]), {})
        mine[predikat] = mine.get(predikat, 0) + int(r["n"])
    return counts


async def org_predikats(period_id: int) -> dict[int, str]:
    """The organisational predikat of each OPD that has one for the period."""
    rows = await OpdCurve.select(OpdCurve.opd, OpdCurve.org_predikat).where(
        OpdCurve.period == period_id
    )
    return {int(r["opd"]): str(r["org_predikat"]) for r in rows}


async def skp_statuses(annual_period_id: int) -> dict[int, str]:
    """The status of each employee's active SKP for the annual period."""
    rows = await Skp.select(Skp.employee, Skp.status).where(
        (Skp.period == annual_period_id) & Skp.served_until.is_null()
    )
    return {int(r["employee"]): str(r["status"]) for r in rows}


async def employees_logging_since(since: datetime) -> set[int]:
    """Employees who logged an activity at or after ``since``."""
    rows = await Activity.select(Activity.employee).where(Activity.logged_at >= since).distinct()
    return {int(r["employee"]) for r in rows}


async def final_evaluation_employees(period_id: int) -> set[int]:
    """Employees whose evaluation for the period is done: the one that counts is FINAL.

    One evaluation counts per employee (:func:`combined.counted`); for a year split by a mutasi
    that is the last part's, and the year is done only once every part is FINAL (its combined
    result is stored), not when the last part alone is.
    """
    rows = await Evaluation.select(Evaluation.employee, Evaluation.combined_predikat).where(
        (Evaluation.period == period_id)
        & (Evaluation.status == EvaluationStatus.FINAL.value)
        & combined.counted()
    )
    split = await combined.split_year_employees(period_id)
    return {
        int(r["employee"])
        for r in rows
        if int(r["employee"]) not in split or r["combined_predikat"] is not None
    }
