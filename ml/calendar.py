"""Work calendar of Indonesian regional government: weekends and national public holidays.

Shared by the synthetic world and the portal's demo data (``ml`` imports nothing from the
portal, so the portal takes it from here). Dates of the moving holidays follow the government's
joint decree (SKB) for each year; years not listed only have weekends and fixed holidays.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

FIXED_HOLIDAYS = ((1, 1), (5, 1), (6, 1), (8, 17), (12, 25))

MOVING_HOLIDAYS: dict[int, tuple[tuple[int, int], ...]] = {
    2024: (
        (2, 8), (2, 10), (3, 11), (3, 29), (3, 31), (4, 10), (4, 11), (5, 9), (5, 23),
        (6, 17), (7, 7), (9, 16),
    ),
    2025: (
        (1, 27), (1, 29), (3, 29), (3, 31), (4, 1), (4, 18), (4, 20), (5, 12), (5, 29),
        (6, 6), (6, 27), (9, 5),
    ),
    2026: (
        (1, 16), (2, 17), (3, 19), (3, 20), (3, 21), (4, 3), (4, 5), (5, 14), (5, 27),
        (5, 31), (6, 16), (8, 25),
    ),
    2027: (
        (1, 5), (2, 6), (3, 8), (3, 10), (3, 11), (3, 26), (3, 28), (5, 6), (5, 17),
        (5, 20), (6, 6), (8, 15),
    ),
}  # fmt: skip


def holidays(year: int) -> frozenset[date]:
    """National public holidays of ``year`` (fixed ones always, moving ones where known)."""
    days = {date(year, m, d) for m, d in FIXED_HOLIDAYS}
    days.update(date(year, m, d) for m, d in MOVING_HOLIDAYS.get(year, ()))
    return frozenset(days)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a public holiday."""
    return day.weekday() < 5 and day not in holidays(day.year)  # noqa: PLR2004


def working_days(start: date, end: date) -> list[date]:
    """Working days from ``start`` to ``end`` inclusive."""
    out = []
    day = start
    while day <= end:
        if is_working_day(day):
            out.append(day)
        day += timedelta(days=1)
    return out


def working_day_mask(days: npt.NDArray[np.datetime64]) -> npt.NDArray[np.bool_]:
    """Vectorised :func:`is_working_day` over an array of ``datetime64[D]`` days."""
    weekday = (days.astype("datetime64[D]").astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    years = np.unique(days.astype("datetime64[Y]").astype(int) + 1970)
    hol = np.array(
        [np.datetime64(d) for y in years for d in sorted(holidays(int(y)))], dtype="datetime64[D]"
    )
    return (weekday < 5) & ~np.isin(days.astype("datetime64[D]"), hol)  # noqa: PLR2004
