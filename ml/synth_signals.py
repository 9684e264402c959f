"""The optional sources of a synthetic world: SKP progress, feedback threads, training JP.

:func:`ml.synth.generate` calls :func:`optional_sources` after drawing the activities, with
the latent struggle intensities, so the three optional files of the data interface
(``progress.csv``, ``feedback.csv``, ``training.csv``) are consistent with the same episodes.
The process is documented in :mod:`ml.synth` (step 8). A separate random generator draws them,
so a world's employees, activities and labels do not depend on whether they are generated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from ml.calendar import working_day_mask
from ml.schema import FEEDBACK_KINDS

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

TRAINING_HISTORY_DAYS: Final = 365
NO_SKP_SHARE: Final = 0.04
TARGET_NOISE: Final = 0.15
LEAVE_FACTOR: Final = 0.95
# threads per employee-year at an average supervisor, and how a noticed struggle changes them
FEEDBACK_RATES: Final = {
    "APPRECIATION": 1.0,
    "IMPROVEMENT": 0.5,
    "QUESTION": 0.8,
    "DIALOG_KINERJA": 0.4,
}
FEEDBACK_STRUGGLE: Final = {
    "APPRECIATION": -0.6,
    "IMPROVEMENT": 4.0,
    "QUESTION": 1.5,
    "DIALOG_KINERJA": 3.0,
}
SILENT_SUPERVISORS: Final = 0.2
COURSE_JP: Final = (2, 4, 8, 12, 16, 24, 32, 40)
COURSE_P: Final = (0.10, 0.20, 0.25, 0.10, 0.15, 0.10, 0.05, 0.05)
TRAINING_STRUGGLE: Final = 0.6
_SUNDAY: Final = 6


@dataclass(frozen=True, slots=True)
class VerifiedOutput:
    """Activities that end up verified: who, the day of the work and of the decision, how much.

    Days are relative to the world's ``start``.
    """

    emp: IntArray
    day: IntArray
    decided_day: IntArray
    quantity: FloatArray


def _year_starts(start: date, n_days: int) -> tuple[IntArray, IntArray]:
    """Day index of each calendar year's 1 January (may be negative) and year of each day."""
    base = np.datetime64(start, "D")
    years = (base + np.arange(n_days)).astype("datetime64[Y]").astype(np.int64) + 1970
    first = np.unique(years)
    starts = np.array(
        [(np.datetime64(f"{y}-01-01", "D") - base).astype(np.int64) for y in first],
        dtype=np.int64,
    )
    return starts, years


def _days_in_year(year: int) -> int:
    return int((np.datetime64(f"{year + 1}-01-01") - np.datetime64(f"{year}-01-01")).astype(int))


def progress(
    rng: np.random.Generator,
    *,
    ids: IntArray,
    hire_day: IntArray,
    start: date,
    n_days: int,
    expected_daily: FloatArray,
    verified: VerifiedOutput,
) -> pd.DataFrame:
    """Weekly (Sunday) snapshots of realisation over the annual target."""
    n = ids.size
    year_start, year_of = _year_starts(start, n_days)
    grid = np.zeros((n, n_days))
    same_year = (verified.decided_day < n_days) & (
        year_of[np.minimum(verified.decided_day, n_days - 1)] == year_of[verified.day]
    )
    np.add.at(
        grid,
        (verified.emp[same_year], verified.decided_day[same_year]),
        verified.quantity[same_year],
    )
    has_skp = rng.random(n) >= NO_SKP_SHARE
    base = np.datetime64(start, "D")
    weekday = (base.astype(np.int64) + np.arange(n_days) + 3) % 7  # 1970-01-01 was a Thursday
    frames = []
    for first in year_start:  # one or two calendar years
        year = int(year_of[max(first, 0)])
        lo, hi = max(int(first), 0), min(int(first) + _days_in_year(year), n_days)
        work_days = int(
            working_day_mask(base + np.arange(first, first + _days_in_year(year))).sum()
        )
        target = expected_daily * work_days * LEAVE_FACTOR * rng.lognormal(0.0, TARGET_NOISE, n)
        elapsed_before = max(lo - int(first), 0) / _days_in_year(year)
        carried = target * elapsed_before * rng.uniform(0.85, 1.1, n)  # before the window
        realised = carried[:, None] + np.cumsum(grid[:, lo:hi], axis=1)
        days = np.arange(lo, hi)
        sunday = weekday[lo:hi] == _SUNDAY
        eligible = has_skp & (hire_day <= first) & (target > 0)
        emp, col = np.nonzero(eligible[:, None] & sunday[None, :])
        frames.append(
            pd.DataFrame(
                {
                    "employee_id": ids[emp],
                    "measured_on": (base + days[col]).astype("datetime64[ns]"),
                    "realised_share": realised[emp, col] / target[emp],
                    "expected_share": (days[col] - first + 1) / _days_in_year(year),
                }
            )
        )
    return pd.concat(frames, ignore_index=True).sort_values(
        ["measured_on", "employee_id"], ignore_index=True
    )


def feedback(
    rng: np.random.Generator,
    *,
    ids: IntArray,
    start: date,
    employed: BoolArray,
    absent: BoolArray,
    noticed: npt.NDArray[np.float32],
) -> pd.DataFrame:
    """Threads opened about each employee on working days, by kind."""
    n, n_days = employed.shape
    base = np.datetime64(start, "D")
    working = working_day_mask(base + np.arange(n_days))
    engaged = np.asarray(rng.gamma(2.0, 0.5, n) * (rng.random(n) >= SILENT_SUPERVISORS))
    open_days = employed & working[None, :] & ~absent
    per_day = engaged[:, None] * open_days / 240.0
    rows = []
    for code, kind in enumerate(FEEDBACK_KINDS):
        change = np.maximum(1.0 + FEEDBACK_STRUGGLE[kind] * noticed, 0.0)
        p = np.clip(FEEDBACK_RATES[kind] * per_day * change, 0.0, 1.0)
        emp, day = np.nonzero(rng.random((n, n_days)) < p)
        rows.append((emp, day, np.full(emp.size, code)))
    emp = np.concatenate([r[0] for r in rows])
    day = np.concatenate([r[1] for r in rows])
    kind_code = np.concatenate([r[2] for r in rows])
    seconds = rng.integers(8 * 3600, 17 * 3600, emp.size)
    opened = base.astype("datetime64[s]") + (day * 86_400 + seconds).astype("timedelta64[s]")
    frame = pd.DataFrame(
        {
            "employee_id": ids[emp],
            "opened_at": opened.astype("datetime64[ns]"),
            "kind": pd.Categorical.from_codes(kind_code, categories=list(FEEDBACK_KINDS)),
        }
    )
    return frame.sort_values(["opened_at", "employee_id"], ignore_index=True)


def training(
    rng: np.random.Generator,
    *,
    ids: IntArray,
    hire_day: IntArray,
    start: date,
    struggle: npt.NDArray[np.float32],
) -> pd.DataFrame:
    """Completed courses from a year before ``start``; ``struggle`` starts that year too."""
    n, n_days = struggle.shape
    history = TRAINING_HISTORY_DAYS
    appetite = np.asarray(rng.gamma(2.0, 12.0, n))  # JP per year; the norm is 20
    mean_jp = float(np.dot(COURSE_JP, COURSE_P))
    employed = (np.arange(n_days) - history)[None, :] >= hire_day[:, None]
    p = appetite[:, None] / mean_jp / 365.0 * (1.0 - TRAINING_STRUGGLE * struggle) * employed
    emp, day = np.nonzero(rng.random((n, n_days)) < p)
    jp = np.asarray(COURSE_JP)[rng.choice(len(COURSE_JP), emp.size, p=COURSE_P)]
    base = np.datetime64(start, "D") - history
    frame = pd.DataFrame(
        {
            "employee_id": ids[emp],
            "completed_on": (base + day).astype("datetime64[ns]"),
            "jp": jp.astype(np.int64),
        }
    )
    return frame.sort_values(["completed_on", "employee_id"], ignore_index=True)
