"""The annual result of an employee transferred mid-year (mutasi, issue 20).

A mutasi leaves one SKP per rater for the same annual period, each covering a part of the year
(``served_from``..``served_until``; the period's bounds where null). Each part's annual
evaluation is made by its own rater; :func:`annual_result` combines the FINAL ones pro rata by
months served (:func:`portal.performance.rules.combine_pro_rata`), once every part is FINAL;
the stored combination (:mod:`.combined`, which a granted keberatan may change) wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from portal.core.auth import Viewer
from portal.core.errors import DomainError
from portal.people import visibility
from portal.performance import rules
from portal.performance.enums import EvaluationStatus, PeriodKind, Predikat, Rating
from portal.performance.evaluation.services.evaluations import EvaluationRow, evaluation_of
from portal.performance.planning.services import periods
from portal.performance.planning.services import skp as skp_service
from portal.performance.rows import SkpRow
from portal.performance.tables import Skp


@dataclass(frozen=True, slots=True)
class AnnualPart:
    """One SKP's part of the year, with its annual evaluation (if any) and months served."""

    skp: SkpRow
    evaluation: EvaluationRow | None
    months: Fraction


@dataclass(frozen=True, slots=True)
class AnnualResult:
    """The parts of the year and, once all are FINAL, their pro rata combination."""

    parts: tuple[AnnualPart, ...]
    combined: rules.ProRataResult | None


async def annual_result(viewer: Viewer, employee_id: int, period_id: int) -> AnnualResult:
    """The employee's parts of an annual period and their pro rata annual result.

    Raises:
        DomainError: NOT_ANNUAL for a period that is not annual; NOT_FOUND (employee outside
            the viewer's private scope).
    """
    await visibility.readable_employee(viewer, employee_id, "Employee")
    period = await periods.get_period(period_id)
    if period.kind != PeriodKind.ANNUAL:
        raise DomainError.single("NOT_ANNUAL", "Hasil tahunan untuk periode tahunan", "periodId")
    rows = await Skp.select(Skp.id).where((Skp.employee == employee_id) & (Skp.period == period_id))
    found = await skp_service.skps_by_ids([int(r["id"]) for r in rows])
    skps = sorted(
        (s for s in found if s is not None), key=lambda s: s.served_from or period.starts_on
    )
    parts: list[AnnualPart] = []
    served: list[rules.ServedPart] = []
    for skp in skps:
        first = skp.served_from or period.starts_on
        last = skp.served_until or period.ends_on
        evaluation = await evaluation_of(skp.id, period_id)
        parts.append(AnnualPart(skp, evaluation, rules.months_served(first, last)))
        if (
            evaluation is not None
            and evaluation.status == EvaluationStatus.FINAL
            and evaluation.hasil_rating is not None
            and evaluation.perilaku_rating is not None
        ):
            served.append(
                rules.ServedPart(
                    first, last, Rating(evaluation.hasil_rating), Rating(evaluation.perilaku_rating)
                )
            )
    combined = rules.combine_pro_rata(served) if served and len(served) == len(parts) else None
    stored = next((p.evaluation for p in parts if p.evaluation and p.evaluation.combined_at), None)
    if (
        combined is not None
        and stored is not None
        and stored.combined_hasil
        and stored.combined_perilaku
        and stored.combined_predikat
    ):
        # the stored result (``combined``), which a granted keberatan may have changed
        combined = rules.ProRataResult(
            Rating(stored.combined_hasil),
            Rating(stored.combined_perilaku),
            Predikat(stored.combined_predikat),
            combined.months,
        )
    return AnnualResult(tuple(parts), combined)
