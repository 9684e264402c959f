"""Features of the optional sources: realisation pace, feedback threads, training JP.

The three optional files of the data interface (:mod:`ml.schema`) are prepared once as
sorted arrays (:func:`prepare`), then :func:`columns_at` computes the features of every
employee at one reference date with ``searchsorted`` and ``bincount`` -- the same for the CSV
path and the database path. Leakage rules, like the activity features': only rows dated
strictly before ``as_of`` count (a progress snapshot ``measured_on`` the day before ``as_of``
describes the state at the end of that day; a thread ``opened_at`` before midnight starting
``as_of``; a course ``completed_on`` before ``as_of``).

An absent source (``None`` in the :class:`~ml.schema.Dataset`) gives NaN columns; a present
source without rows for an employee gives 0 threads and 0 JP, and a missing pace.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from ml.schema import FEEDBACK_KINDS, Dataset

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

JP_NORM: Final = 20.0  # JP per year (PP 11/2017 art. 203)
JP_CAP: Final = 3 * JP_NORM
PACE_CAP: Final = 3.0
PROGRESS_MAX_AGE_DAYS: Final = 14  # an older snapshot does not describe the pace at as_of
PACE_WINDOW_DAYS: Final = 28
_RECENT_DAYS: Final = 28
PACE_WINDOW_SLACK_DAYS: Final = 14
MIN_EXPECTED_SHARE: Final = 0.04  # about two weeks into the year
MIN_EXPECTED_GAIN: Final = 0.03  # the 4-week pace needs about 11 days the calendar expects
CONCERN_KINDS: Final = ("IMPROVEMENT", "QUESTION", "DIALOG_KINERJA")
_DAY_NS: Final = 86_400 * 10**9
_YEAR_DAYS: Final = 365

SIGNAL_FEATURES: Final = (
    "realisation_pace",
    "realisation_pace_4w",
    "feedback_threads_4w",
    "feedback_improvement_12w",
    "feedback_appreciation_12w",
    "feedback_threads_baseline",
    "training_jp_12w",
    "training_jp_12m",
)
SIGNAL_DETAILS: Final = (
    "realised_share",
    "expected_share",
    "training_jp_year",
    "training_jp_expected",
)


@dataclass(frozen=True, slots=True)
class Events:
    """Rows of one optional source as arrays sorted by day; ``pos`` indexes the employees."""

    pos: IntArray
    day: IntArray
    value: FloatArray  # JP of a course, kind code of a thread, realised share of a snapshot
    extra: FloatArray  # expected share of a snapshot (NaN for the other sources)
    first_day: int  # the first day in the source (of any employee): nothing before is observed


@dataclass(frozen=True, slots=True)
class Prepared:
    """The optional sources of a dataset, each ``None`` when absent."""

    progress: Events | None
    feedback: Events | None
    training: Events | None


def _day_numbers(values: pd.Series, *, timestamps: bool = False) -> IntArray:
    raw = np.asarray(values.to_numpy(), dtype="datetime64[ns]").astype(np.int64)
    if timestamps:  # the day of a timestamp is the day it falls on (floor)
        return np.floor_divide(raw, _DAY_NS)
    return (
        np.asarray(values.to_numpy(), dtype="datetime64[ns]")
        .astype("datetime64[D]")
        .astype(np.int64)
    )


def _events(
    ids: IntArray,
    employee_id: pd.Series,
    day: IntArray,
    value: FloatArray,
    extra: FloatArray | None = None,
) -> Events:
    emp = employee_id.to_numpy(dtype=np.int64)
    pos = np.searchsorted(ids, emp)
    known = (pos < ids.size) & (ids[np.minimum(pos, max(ids.size - 1, 0))] == emp)
    order = np.argsort(day[known], kind="stable")
    rest = np.full(value.size, np.nan) if extra is None else extra
    return Events(
        pos=pos[known][order].astype(np.int64),
        day=day[known][order],
        value=value[known][order],
        extra=rest[known][order],
        first_day=int(day.min()) if day.size else np.iinfo(np.int64).max,
    )


def prepare(data: Dataset, ids: IntArray) -> Prepared:
    """Sort the optional sources once for :func:`columns_at`.

    Parameters
    ----------
    data : Dataset
        Validated frames.
    ids : numpy.ndarray of int64
        Sorted employee ids; rows of other employees are dropped.

    Returns
    -------
    Prepared
        The arrays.
    """
    progress = feedback = training = None
    if data.progress is not None:
        frame = data.progress
        progress = _events(
            ids,
            frame["employee_id"],
            _day_numbers(frame["measured_on"]),
            frame["realised_share"].to_numpy(dtype=np.float64),
            frame["expected_share"].to_numpy(dtype=np.float64),
        )
    if data.feedback is not None:
        frame = data.feedback
        codes = pd.Categorical(frame["kind"], categories=FEEDBACK_KINDS).codes
        feedback = _events(
            ids,
            frame["employee_id"],
            _day_numbers(frame["opened_at"], timestamps=True),
            np.asarray(codes, dtype=np.float64),
        )
    if data.training is not None:
        frame = data.training
        training = _events(
            ids,
            frame["employee_id"],
            _day_numbers(frame["completed_on"]),
            frame["jp"].to_numpy(dtype=np.float64),
        )
    return Prepared(progress=progress, feedback=feedback, training=training)


def _window(events: Events, first: int, day: int) -> slice:
    lo, hi = np.searchsorted(events.day, [first, day], side="left")
    return slice(int(lo), int(hi))


def _latest(pos: IntArray, day: IntArray, n: int) -> IntArray:
    """Index of each employee's latest row (-1 when none); ties: the last row."""
    out = np.full(n, -1, dtype=np.int64)
    if pos.size == 0:
        return out
    order = np.lexsort((day, pos))
    last = np.r_[pos[order][1:] != pos[order][:-1], True]
    out[pos[order][last]] = order[last]
    return out


def _take(values: FloatArray, index: IntArray) -> FloatArray:
    """``values[index]`` with NaN where ``index`` is -1 (no row)."""
    out = np.full(index.size, np.nan)
    has = index >= 0
    out[has] = values[index[has]]
    return out


def _snapshot(
    events: Events, first: int, day: int, n: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Realised share, expected share and day of each employee's latest snapshot in a window."""
    window = _window(events, first, day)
    pos, days = events.pos[window], events.day[window]
    index = _latest(pos, days, n)
    realised = _take(events.value[window], index)
    expected = _take(events.extra[window], index)
    when = _take(days.astype(np.float64), index)
    return realised, expected, when


def _pace(events: Events, day: int, n: int) -> dict[str, FloatArray]:
    realised, expected, when = _snapshot(events, day - PROGRESS_MAX_AGE_DAYS, day, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        pace = np.where(expected >= MIN_EXPECTED_SHARE, realised / expected, np.nan)
    # the snapshot about four weeks before each employee's own latest one
    before_r = np.full(n, np.nan)
    before_e = np.full(n, np.nan)
    has = ~np.isnan(when)
    if has.any():
        window = _window(
            events, day - PROGRESS_MAX_AGE_DAYS - PACE_WINDOW_DAYS - PACE_WINDOW_SLACK_DAYS, day
        )
        pos, days = events.pos[window], events.day[window]
        latest_day = np.where(has, when, -np.inf)[pos]
        early = (days <= latest_day - PACE_WINDOW_DAYS) & (
            days >= latest_day - PACE_WINDOW_DAYS - PACE_WINDOW_SLACK_DAYS
        )
        index = _latest(pos[early], days[early], n)
        before_r = _take(events.value[window][early], index)
        before_e = _take(events.extra[window][early], index)
    gain = expected - before_e
    with np.errstate(invalid="ignore", divide="ignore"):
        recent = np.where(gain >= MIN_EXPECTED_GAIN, (realised - before_r) / gain, np.nan)
    return {
        "realisation_pace": np.clip(pace, 0.0, PACE_CAP),
        "realisation_pace_4w": np.clip(recent, 0.0, PACE_CAP),
        "realised_share": realised,
        "expected_share": expected,
    }


def _counts(events: Events, first: int, day: int, n: int, kinds: tuple[str, ...]) -> FloatArray:
    window = _window(events, first, day)
    codes = [FEEDBACK_KINDS.index(k) for k in kinds]
    mask = np.isin(events.value[window], codes)
    return np.bincount(events.pos[window][mask], minlength=n).astype(np.float64)


def _jp(events: Events, first: int, day: int, n: int) -> FloatArray:
    window = _window(events, first, day)
    jp = np.bincount(events.pos[window], weights=events.value[window], minlength=n)
    return jp.astype(np.float64)


def _year_start(day: int) -> int:
    year = np.datetime64(day, "D").astype("datetime64[Y]")
    return int(year.astype("datetime64[D]").astype(np.int64))


def columns_at(
    prep: Prepared, day: int, n: int, *, weeks: int = 12, baseline_weeks: int = 26
) -> dict[str, FloatArray]:
    """Features and details of every employee at one reference day.

    Parameters
    ----------
    prep : Prepared
        From :func:`prepare`.
    day : int
        Reference day (days since 1970-01-01); only rows dated before it count.
    n : int
        Number of employees.
    weeks : int, default 12
        The trailing window of the ``*_12w`` counts.
    baseline_weeks : int, default 26
        The weeks before that window, for the supervisor's usual rate of threads.

    Returns
    -------
    dict of str to numpy.ndarray
        :data:`SIGNAL_FEATURES` and :data:`SIGNAL_DETAILS`, NaN for absent sources.
    """
    missing = np.full(n, np.nan)
    out = dict.fromkeys((*SIGNAL_FEATURES, *SIGNAL_DETAILS), missing)
    window = 7 * weeks
    if prep.progress is not None:
        out.update(_pace(prep.progress, day, n))
    if prep.feedback is not None:
        threads = prep.feedback
        out["feedback_threads_4w"] = _counts(threads, day - PACE_WINDOW_DAYS, day, n, CONCERN_KINDS)
        out["feedback_improvement_12w"] = _counts(threads, day - window, day, n, ("IMPROVEMENT",))
        out["feedback_appreciation_12w"] = _counts(threads, day - window, day, n, ("APPRECIATION",))
        # the supervisor's usual rate, over the part of the baseline weeks the file covers
        start = max(day - window - 7 * baseline_weeks, threads.first_day)
        seen = day - window - start
        usual = _counts(threads, start, day - window, n, CONCERN_KINDS)
        out["feedback_threads_baseline"] = (
            usual * _RECENT_DAYS / seen if seen >= _RECENT_DAYS else missing
        )
    if prep.training is not None:
        courses = prep.training
        january = _year_start(day)
        days_in_year = _year_start(january + 366) - january
        out["training_jp_12w"] = _jp(courses, day - window, day, n)
        out["training_jp_12m"] = np.minimum(_jp(courses, day - _YEAR_DAYS, day, n), JP_CAP)
        out["training_jp_year"] = _jp(courses, january, day, n)
        out["training_jp_expected"] = np.full(n, JP_NORM * (day - january) / days_in_year)
    return out
