"""Periods: an annual period with quarterly or monthly evaluation periods, managed by BKPSDM."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from portal.core import audit
from portal.core.auth import Viewer
from portal.core.db import id_in, transaction
from portal.core.errors import DomainError, NotFoundError
from portal.performance import policy, sql
from portal.performance.enums import PeriodKind, PeriodStatus
from portal.performance.rows import PeriodRow
from portal.performance.tables import Period

QUARTER_NAMES = ("I", "II", "III", "IV")
MONTH_NAMES = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip
SUBMISSION_GRACE_DAYS = 10


def _row(r: dict[str, Any]) -> PeriodRow:
    return PeriodRow(**r)


def sub_period_bounds(year: int, frequency: PeriodKind) -> list[tuple[int, str, date, date]]:
    """(number, name, start, end) of each evaluation period of ``year``."""
    if frequency is PeriodKind.QUARTERLY:
        return [
            (
                q + 1,
                f"Triwulan {QUARTER_NAMES[q]} {year}",
                date(year, 3 * q + 1, 1),
                date(year, 3 * q + 3, calendar.monthrange(year, 3 * q + 3)[1]),
            )
            for q in range(4)
        ]
    if frequency is PeriodKind.MONTHLY:
        return [
            (
                m,
                f"{MONTH_NAMES[m - 1]} {year}",
                date(year, m, 1),
                date(year, m, calendar.monthrange(year, m)[1]),
            )
            for m in range(1, 13)
        ]
    raise DomainError.single("INVALID_VALUE", "Frekuensi penilaian: QUARTERLY atau MONTHLY")


async def create_year(
    viewer: Viewer | None, year: int, frequency: PeriodKind, *, skp_deadline: date | None = None
) -> PeriodRow:
    """Create the annual period of ``year`` and its evaluation periods (BKPSDM)."""
    if viewer is not None:
        policy.require_bkpsdm(viewer)
    if not 2000 <= year <= 2100:  # noqa: PLR2004
        raise DomainError.single("INVALID_VALUE", "Tahun tidak valid", "year")
    bounds = sub_period_bounds(year, frequency)
    async with transaction():
        if await Period.exists().where((Period.year == year) & (Period.kind == PeriodKind.ANNUAL)):
            raise DomainError.single("DUPLICATE", f"Periode {year} sudah ada", "year")
        inserted = await Period.insert(
            Period(
                year=year,
                kind=PeriodKind.ANNUAL.value,
                number=0,
                name=f"Tahun {year}",
                starts_on=date(year, 1, 1),
                ends_on=date(year, 12, 31),
                submission_deadline=skp_deadline or date(year, 1, 31),
                status=PeriodStatus.OPEN.value,
                evaluation_frequency=frequency.value,
            )
        )
        annual_id = inserted[0]["id"]
        await Period.insert(
            *(
                Period(
                    year=year,
                    kind=frequency.value,
                    number=number,
                    name=name,
                    parent=annual_id,
                    starts_on=start,
                    ends_on=end,
                    submission_deadline=end + timedelta(days=SUBMISSION_GRACE_DAYS),
                    status=PeriodStatus.OPEN.value,
                )
                for number, name, start, end in bounds
            )
        )
        await audit.record(
            account_id=viewer.account_id if viewer else None,
            action="PERIOD_CREATED",
            entity_type="Period",
            entity_id=annual_id,
            after={"year": year, "frequency": frequency.value},
        )
    return await get_period(annual_id)


async def set_status(viewer: Viewer, period_id: int, status: PeriodStatus) -> PeriodRow:
    """Move a period to OPEN, EVALUATION or CLOSED (BKPSDM)."""
    policy.require_bkpsdm(viewer)
    async with transaction():
        before = await get_period(period_id)
        await Period.update({Period.status: status.value}).where(Period.id == period_id)
        await audit.record(
            account_id=viewer.account_id,
            action="PERIOD_STATUS",
            entity_type="Period",
            entity_id=period_id,
            before={"status": before.status},
            after={"status": status.value},
        )
    return await get_period(period_id)


async def get_period(period_id: int) -> PeriodRow:
    """One period."""
    rows = await Period.select(*sql.PERIOD_COLUMNS).where(Period.id == period_id)
    if not rows:
        raise NotFoundError("Period")
    return _row(rows[0])


async def periods_by_ids(ids: Sequence[int]) -> list[PeriodRow | None]:
    """Periods in the order of ``ids`` (dataloader batch)."""
    rows = await Period.select(*sql.PERIOD_COLUMNS).where(id_in(Period.id, ids))
    by_id = {r["id"]: _row(r) for r in rows}
    return [by_id.get(i) for i in ids]


async def list_periods(year: int | None = None) -> list[PeriodRow]:
    """Annual periods and their evaluation periods, newest year first."""
    query = (
        Period.select(*sql.PERIOD_COLUMNS)
        .order_by(Period.year, ascending=False)
        .order_by(Period.number)
    )
    if year is not None:
        query = query.where(Period.year == year)
    return [_row(r) for r in await query]


async def annual_for(on: date) -> PeriodRow | None:
    """The annual period covering ``on``, if any."""
    rows = await sql.annual_period_on(on)
    return _row(rows[0]) if rows else None


async def overlapping(first: date, last: date) -> list[PeriodRow]:
    """Every period whose dates meet the range ``first``..``last``."""
    rows = await sql.periods_meeting(first, last)
    return [_row(r) for r in rows]


async def children(annual_id: int) -> list[PeriodRow]:
    """Evaluation periods of an annual period, in order."""
    (found,) = await children_by_parents([annual_id])
    return found


async def children_by_parents(annual_ids: Sequence[int]) -> list[list[PeriodRow]]:
    """Evaluation periods of each annual period of ``annual_ids``, in order (dataloader batch)."""
    rows = (
        await Period.select(*sql.PERIOD_COLUMNS)
        .where(id_in(Period.parent, annual_ids))
        .order_by(Period.number)
    )
    by_parent: dict[int, list[PeriodRow]] = {}
    for row in map(_row, rows):
        if row.parent_id is not None:
            by_parent.setdefault(row.parent_id, []).append(row)
    return [by_parent.get(i, []) for i in annual_ids]


async def annual_of(period: PeriodRow) -> PeriodRow:
    """The annual period itself, or the parent of an evaluation period."""
    return period if period.parent_id is None else await get_period(period.parent_id)
