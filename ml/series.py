"""Row-wise statistics of weekly series with missing weeks, vectorised over employees.

Every function takes an ``(n_employees, n_weeks)`` array where NaN marks a week that was not
observed (before the hire date or the start of the data) and works on all rows at once.
"""

from __future__ import annotations

from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

RATIO_CAP: Final = 3.0
MIN_WEEKS: Final = 3
MIN_SIDE_WEEKS: Final = 2
_INT_KEY_LIMIT: Final = 1 << 20


def safe_ratio(recent: FloatArray, before: FloatArray) -> FloatArray:
    """``recent / before`` that is defined when ``before`` is 0.

    Parameters
    ----------
    recent, before : numpy.ndarray
        Non-negative rates.

    Returns
    -------
    numpy.ndarray
        The ratio clipped to ``[0, 3]``; 1 when both are 0; 3 when only ``before`` is 0; NaN
        when either is NaN.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(before > 0, recent / np.where(before > 0, before, 1.0), RATIO_CAP)
    ratio = np.where((before == 0) & (recent == 0), 1.0, ratio)
    ratio = np.clip(ratio, 0.0, RATIO_CAP)
    return np.where(np.isnan(recent) | np.isnan(before), np.nan, ratio)


def nanmean(values: FloatArray, axis: int = 1) -> FloatArray:
    """Mean over the observed entries (NaN when none), without warnings."""
    valid = ~np.isnan(values)
    count = valid.sum(axis=axis)
    total = np.where(valid, values, 0.0).sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def nanstd(values: FloatArray) -> FloatArray:
    """Population standard deviation per row over the observed weeks (NaN when none)."""
    mean = nanmean(values)
    valid = ~np.isnan(values)
    count = valid.sum(axis=1)
    var = np.where(valid, (values - mean[:, None]) ** 2, 0.0).sum(axis=1) / np.maximum(count, 1)
    return np.where(count > 0, np.sqrt(var), np.nan)


def slope(series: FloatArray) -> FloatArray:
    """Least-squares slope per row over the non-missing weeks (NaN with fewer than 3)."""
    valid = ~np.isnan(series)
    t = np.broadcast_to(np.arange(series.shape[1], dtype=np.float64), series.shape)
    count = valid.sum(axis=1)
    n = np.maximum(count, 1)
    t_mean = np.where(valid, t, 0.0).sum(axis=1) / n
    y_mean = np.where(valid, series, 0.0).sum(axis=1) / n
    dt = np.where(valid, t - t_mean[:, None], 0.0)
    dy = np.where(valid, series - y_mean[:, None], 0.0)
    sxx = (dt * dt).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = (dt * dy).sum(axis=1) / sxx
    return np.where(count >= MIN_WEEKS, value, np.nan)


def volatility(series: FloatArray) -> FloatArray:
    """Coefficient of variation per row (0 when the mean is 0)."""
    mean = nanmean(series)
    std = nanstd(series)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(mean > 0, std / mean, np.where(np.isnan(mean), np.nan, 0.0))


class ChangePoint(NamedTuple):
    """The strongest drop of each row's series (NaN where too few weeks are observed)."""

    drop: FloatArray
    weeks_since: FloatArray
    before: FloatArray
    after: FloatArray


def change_point(series: FloatArray, *, min_side: int = MIN_SIDE_WEEKS) -> ChangePoint:
    """The strongest single drop in level and how many weeks ago it happened.

    For every split of the observed weeks into "before" and "after" (each side at least
    ``min_side`` weeks) the drop is ``mean(before) - mean(after)`` weighted by
    ``sqrt(n_before * n_after / n)`` (a CUSUM-style statistic: a long sustained drop beats
    one bad week). A rise gives a negative value.

    Parameters
    ----------
    series : numpy.ndarray of shape (n, weeks)
        Weekly values, NaN where not observed; oldest week first.
    min_side : int, default 2
        Fewest observed weeks on each side of the split.

    Returns
    -------
    ChangePoint
        ``drop`` (the largest weighted drop), ``weeks_since`` (weeks from the split to the
        end of the series), ``before`` and ``after`` (the means on either side).
    """
    valid = ~np.isnan(series)
    values = np.where(valid, series, 0.0)
    count = np.cumsum(valid, axis=1)[:, :-1].astype(np.float64)  # observed weeks before split
    total = np.cumsum(values, axis=1)[:, :-1]
    n = valid.sum(axis=1, keepdims=True).astype(np.float64)
    whole = values.sum(axis=1, keepdims=True)
    after_n = n - count
    with np.errstate(invalid="ignore", divide="ignore"):
        before_mean = total / count
        after_mean = (whole - total) / after_n
        stat = (before_mean - after_mean) * np.sqrt(count * after_n / n)
    ok = (count >= min_side) & (after_n >= min_side)
    stat = np.where(ok, stat, -np.inf)
    best = np.argmax(stat, axis=1)
    rows = np.arange(series.shape[0])
    found = np.isfinite(stat[rows, best])

    def pick(values: FloatArray) -> FloatArray:
        return np.where(found, values[rows, best], np.nan)

    return ChangePoint(
        drop=pick(stat),
        weeks_since=np.where(found, (series.shape[1] - 1 - best).astype(np.float64), np.nan),
        before=pick(before_mean),
        after=pick(after_mean),
    )


def group_median(groups: IntArray, values: FloatArray, n: int) -> FloatArray:
    """Median of ``values`` per group id in ``0..n-1`` (NaN for empty groups), by sorting.

    Small non-negative whole numbers (days of latency) are sorted as one integer key, which
    is several times faster than a two-key ``lexsort``; other values take the general path.
    """
    out = np.full(n, np.nan)
    if groups.size == 0:
        return out
    whole = (
        values.min() >= 0 and values.max() < _INT_KEY_LIMIT and (values == np.floor(values)).all()
    )
    if whole:
        key = np.sort(groups.astype(np.int64) * _INT_KEY_LIMIT + values.astype(np.int64))
        g, v = key // _INT_KEY_LIMIT, (key % _INT_KEY_LIMIT).astype(np.float64)
    else:
        order = np.lexsort((values, groups))
        g, v = groups[order], values[order]
    starts = np.searchsorted(g, np.arange(n), side="left")
    ends = np.searchsorted(g, np.arange(n), side="right")
    size = ends - starts
    has = size > 0
    lo = starts[has] + (size[has] - 1) // 2
    hi = starts[has] + size[has] // 2
    out[has] = (v[lo] + v[hi]) / 2.0
    return out


def longest_run(inactive: npt.NDArray[np.bool_]) -> IntArray:
    """Longest run of True per row."""
    counts = np.cumsum(inactive, axis=1)
    reset = np.maximum.accumulate(np.where(inactive, 0, counts), axis=1)
    runs: IntArray = counts - reset
    return np.asarray(runs.max(axis=1, initial=0), dtype=np.int64)


def run_lengths(flags: npt.NDArray[np.bool_]) -> IntArray:
    """Length of the run of True each entry belongs to (0 for False), per row."""

    def so_far(values: npt.NDArray[np.bool_]) -> IntArray:
        counts = np.cumsum(values, axis=1)
        reset = np.maximum.accumulate(np.where(values, 0, counts), axis=1)
        return np.asarray(counts - reset, dtype=np.int64)

    forward = so_far(flags)
    backward = so_far(flags[:, ::-1])[:, ::-1]
    return np.where(flags, forward + backward - 1, 0)
