"""Time-based splits and the evaluation report (overall, per subgroup, lead time, baselines).

Splits are by reference date only: train on ``as_of < t1``, calibrate on
``t1 <= as_of < t2``, test on ``as_of >= t2``. Because a label looks ``horizon`` ahead, a row
used for fitting is only honest if its label was observable when the test period starts:
``embargo`` drops the rows with ``as_of > t2 - embargo`` from training and calibration.

Capacity metrics flag the top ``capacity_share`` of scores **per reference date** (the
mentoring capacity applies to each scoring run): recall is the share of positives flagged,
precision the share of flagged rows that are positive. Lead time (synthetic data only) is,
per struggling episode whose onset falls in the evaluated period, the weeks from the latent
onset to the first flag between ``onset - horizon`` and the episode's end; negative values
are flags before the onset, episodes never flagged count as missed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from ml.features import GROUP_COLUMNS

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
DatetimeArray = npt.NDArray[np.datetime64]

MIN_GROUP_ROWS: Final = 200
MIN_GROUP_POSITIVES: Final = 20
GAP_METRICS: Final = ("roc_auc", "pr_auc", "recall_at_capacity", "precision_at_capacity", "brier")


def to_day(value: object) -> np.datetime64:
    """A date-like value as ``datetime64[D]``.

    Parameters
    ----------
    value : date-like
        ``datetime.date``, ``numpy.datetime64``, ``pandas.Timestamp`` or an ISO string.

    Returns
    -------
    numpy.datetime64
        The day.
    """
    return np.datetime64(pd.Timestamp(value).date(), "D")


@dataclass(frozen=True, slots=True)
class TimeSplit:
    """Boundaries of a time-based split.

    Attributes
    ----------
    t1 : numpy.datetime64
        First reference date of the calibration slice.
    t2 : numpy.datetime64
        First reference date of the test slice.
    embargo_days : int
        Rows with ``as_of > t2 - embargo_days`` are not used for fitting.
    """

    t1: np.datetime64
    t2: np.datetime64
    embargo_days: int = 0

    def masks(self, as_of: npt.ArrayLike) -> tuple[BoolArray, BoolArray, BoolArray]:
        """Boolean masks of the train, calibration and test rows.

        Parameters
        ----------
        as_of : array-like of datetime64
            Reference date of each row.

        Returns
        -------
        tuple of numpy.ndarray
            ``(train, calibration, test)``; rows in the embargo are in none.
        """
        days = np.asarray(as_of).astype("datetime64[D]")
        t1, t2 = to_day(self.t1), to_day(self.t2)
        fit_until = t2 - np.timedelta64(self.embargo_days, "D")
        usable = days <= fit_until
        return (days < t1) & usable, (days >= t1) & (days < t2) & usable, days >= t2

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form.

        Returns
        -------
        dict
            ISO dates and the embargo.
        """
        return {
            "calibrate_from": str(to_day(self.t1)),
            "test_from": str(to_day(self.t2)),
            "embargo_days": self.embargo_days,
        }


def time_split(
    as_of: npt.ArrayLike,
    t1: date | np.datetime64,
    t2: date | np.datetime64,
    *,
    embargo: timedelta = timedelta(0),
) -> tuple[BoolArray, BoolArray, BoolArray]:
    """Masks of ``as_of < t1`` (train), ``t1 <= as_of < t2`` (calibrate), ``as_of >= t2`` (test).

    Parameters
    ----------
    as_of : array-like of datetime64
        Reference date of each row.
    t1, t2 : datetime.date or numpy.datetime64
        Split boundaries, ``t1 < t2``.
    embargo : datetime.timedelta, default 0
        Train and calibration rows must satisfy ``as_of <= t2 - embargo``.

    Returns
    -------
    tuple of numpy.ndarray
        ``(train, calibration, test)`` boolean masks.
    """
    start, stop = to_day(t1), to_day(t2)
    if start >= stop:
        raise ValueError(f"t1 ({start}) must be before t2 ({stop})")
    return TimeSplit(start, stop, embargo.days).masks(as_of)


def choose_split(
    as_of: npt.ArrayLike,
    *,
    embargo: timedelta = timedelta(weeks=8),
    test_share: float = 0.3,
    calibration_share: float = 0.2,
) -> TimeSplit:
    """Split dates from the distinct reference dates (the last ones are the test slice).

    Parameters
    ----------
    as_of : array-like of datetime64
        Reference dates of the labelled rows.
    embargo : datetime.timedelta, default 8 weeks
        The label horizon; see :class:`TimeSplit`.
    test_share, calibration_share : float
        Approximate shares of the distinct dates for the test and calibration slices.

    Returns
    -------
    TimeSplit
        The boundaries.

    Raises
    ------
    ValueError
        Too few distinct dates for non-empty train, calibration and test slices.
    """
    dates = np.unique(np.asarray(as_of).astype("datetime64[D]"))
    n_test = max(1, round(test_share * dates.size))
    t2 = dates[dates.size - n_test]
    fit_dates = dates[dates <= t2 - np.timedelta64(embargo.days, "D")]
    n_cal = max(1, round(calibration_share * dates.size))
    if fit_dates.size < n_cal + 1:
        raise ValueError(
            f"{dates.size} reference dates are too few for a time-based split with a "
            f"{embargo.days}-day embargo"
        )
    t1 = fit_dates[fit_dates.size - n_cal]
    return TimeSplit(t1, t2, embargo.days)


def flag_top_share(scores: npt.ArrayLike, as_of: npt.ArrayLike, share: float) -> BoolArray:
    """Flag the top ``share`` of scores within each reference date (ties broken by order).

    Parameters
    ----------
    scores : array-like of shape (n,)
        Scores.
    as_of : array-like of shape (n,)
        Reference date of each row.
    share : float
        Capacity share in ``(0, 1]``.

    Returns
    -------
    numpy.ndarray of bool
        True for the ``ceil(share * n_date)`` highest scores of each date.
    """
    if not 0.0 < share <= 1.0:
        raise ValueError(f"share must be in (0, 1], got {share}")
    values = np.asarray(scores, dtype=np.float64)
    _, date_index = np.unique(np.asarray(as_of), return_inverse=True)
    order = np.lexsort((-values, date_index))  # by date, best score first
    sorted_dates = date_index[order]
    starts = np.searchsorted(sorted_dates, sorted_dates, side="left")
    rank = np.arange(values.size) - starts
    size = np.bincount(date_index)[sorted_dates]
    flags = np.zeros(values.size, dtype=bool)
    flags[order] = rank < np.ceil(share * size - 1e-9)
    return flags


def _finite(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 4)


def score_metrics(
    y: npt.ArrayLike, scores: npt.ArrayLike, flags: npt.ArrayLike
) -> dict[str, float | int | None]:
    """ROC-AUC, PR-AUC, recall and precision of the flags, Brier score.

    Parameters
    ----------
    y : array-like of 0/1
        Labels.
    scores : array-like of float
        Scores in ``[0, 1]``.
    flags : array-like of bool
        Rows flagged within the capacity.

    Returns
    -------
    dict
        ``n``, ``positives``, ``roc_auc``, ``pr_auc`` (None with a single class),
        ``recall_at_capacity``, ``precision_at_capacity``, ``flagged_share``, ``brier``.
    """
    target = np.asarray(y).astype(np.int64)
    values = np.asarray(scores, dtype=np.float64)
    flagged = np.asarray(flags, dtype=bool)
    both = 0 < target.sum() < target.size
    positives = int(target.sum())
    return {
        "n": int(target.size),
        "positives": positives,
        "roc_auc": _finite(roc_auc_score(target, values)) if both else None,
        "pr_auc": _finite(average_precision_score(target, values)) if both else None,
        "recall_at_capacity": _finite(flagged[target == 1].mean()) if positives else None,
        "precision_at_capacity": _finite(target[flagged].mean()) if flagged.any() else None,
        "flagged_share": _finite(flagged.mean()) if target.size else None,
        "brier": _finite(brier_score_loss(target, np.clip(values, 0, 1))) if target.size else None,
    }


def subgroup_metrics(
    y: npt.ArrayLike,
    scores: npt.ArrayLike,
    flags: npt.ArrayLike,
    groups: pd.DataFrame,
    *,
    min_rows: int = MIN_GROUP_ROWS,
    min_positives: int = MIN_GROUP_POSITIVES,
) -> dict[str, Any]:
    """Metrics per value of each subgroup column, with the largest gap per metric.

    Parameters
    ----------
    y, scores, flags : array-like
        As in :func:`score_metrics`.
    groups : pandas.DataFrame
        One column per attribute (e.g. :data:`ml.features.GROUP_COLUMNS`), aligned with ``y``.
    min_rows, min_positives : int
        Groups smaller than this are reported but left out of the gaps (too noisy).

    Returns
    -------
    dict
        Per attribute: ``groups`` (value -> metrics) and ``gaps`` (metric -> ``gap``,
        ``lowest``, ``highest``); plus ``largest_gap`` over all attributes per metric.
    """
    target = np.asarray(y)
    values = np.asarray(scores, dtype=np.float64)
    flagged = np.asarray(flags, dtype=bool)
    report: dict[str, Any] = {}
    largest: dict[str, dict[str, Any]] = {}
    for column in groups.columns:
        labels = groups[column].astype(str).to_numpy()
        per_group = {}
        for value in np.unique(labels):  # a few dozen groups at most
            rows = labels == value
            per_group[str(value)] = score_metrics(target[rows], values[rows], flagged[rows])
        gaps: dict[str, Any] = {}
        for metric in GAP_METRICS:
            eligible = {
                name: m[metric]
                for name, m in per_group.items()
                if m[metric] is not None
                and int(m["n"] or 0) >= min_rows
                and int(m["positives"] or 0) >= min_positives
            }
            if len(eligible) < 2:  # noqa: PLR2004
                continue
            low = min(eligible, key=lambda k: float(eligible[k] or 0.0))
            high = max(eligible, key=lambda k: float(eligible[k] or 0.0))
            gap = round(float(eligible[high] or 0.0) - float(eligible[low] or 0.0), 4)
            gaps[metric] = {"gap": gap, "lowest": low, "highest": high}
            if gap > largest.get(metric, {}).get("gap", -1.0):
                largest[metric] = {"attribute": column, **gaps[metric]}
        report[str(column)] = {"groups": per_group, "gaps": gaps}
    report["largest_gap"] = largest
    return report


def lead_times(
    episodes: pd.DataFrame,
    keys: pd.DataFrame,
    flags: npt.ArrayLike,
    *,
    horizon_weeks: int = 8,
) -> dict[str, Any]:
    """Weeks from latent onset to the first flag, per episode starting in the period.

    Parameters
    ----------
    episodes : pandas.DataFrame
        ``employee_id``, ``onset``, ``end`` and optionally ``speed`` (synthetic truth).
    keys : pandas.DataFrame
        ``employee_id`` and ``as_of`` of the evaluated rows.
    flags : array-like of bool
        Which evaluated rows were flagged HIGH.
    horizon_weeks : int, default 8
        Flags up to this long before the onset count (the label horizon).

    Returns
    -------
    dict
        ``episodes`` (evaluated), ``detected_share``, ``median_weeks_onset_to_first_high``,
        ``flagged_before_onset_share`` (of detected), and the same per ``speed`` when present.
    """
    rows = keys.loc[:, ["employee_id", "as_of"]].assign(flag=np.asarray(flags, dtype=bool))
    first_date, last_date = rows["as_of"].min(), rows["as_of"].max()
    ep = episodes.loc[(episodes["onset"] >= first_date) & (episodes["onset"] <= last_date)]
    ep = ep.reset_index(drop=True).rename_axis("episode").reset_index()
    if "speed" not in ep.columns:
        ep["speed"] = "ALL"
    hits = ep.merge(rows.loc[rows["flag"]], on="employee_id", how="inner")
    window = (hits["as_of"] >= hits["onset"] - pd.Timedelta(weeks=horizon_weeks)) & (
        hits["as_of"] < hits["end"]
    )
    first = hits.loc[window].groupby("episode")["as_of"].min()
    ep["weeks"] = (
        first.reindex(ep["episode"]).to_numpy() - ep["onset"].to_numpy()
    ) / np.timedelta64(7, "D")

    def summary(frame: pd.DataFrame) -> dict[str, Any]:
        weeks = frame["weeks"].dropna().to_numpy(dtype=np.float64)
        return {
            "episodes": len(frame),
            "detected_share": _finite(weeks.size / len(frame)) if len(frame) else None,
            "median_weeks_onset_to_first_high": _finite(float(np.median(weeks)))
            if weeks.size
            else None,
            "flagged_before_onset_share": _finite(float((weeks < 0).mean()))
            if weeks.size
            else None,
        }

    report = summary(ep)
    report["by_speed"] = {str(speed): summary(frame) for speed, frame in ep.groupby("speed")}
    return report


def evaluate(
    y: npt.ArrayLike,
    scores: npt.ArrayLike,
    *,
    keys: pd.DataFrame,
    capacity_share: float = 0.05,
    baselines: Mapping[str, npt.ArrayLike] | None = None,
    episodes: pd.DataFrame | None = None,
    horizon_weeks: int = 8,
) -> dict[str, Any]:
    """The evaluation report of a model's scores (JSON-able).

    Parameters
    ----------
    y : array-like of 0/1
        Labels of the evaluated rows.
    scores : array-like of float
        The model's calibrated scores.
    keys : pandas.DataFrame
        ``employee_id``, ``as_of`` and the subgroup columns :data:`ml.features.GROUP_COLUMNS`
        of each row (``FeatureFrame.keys``).
    capacity_share : float, default 0.05
        Share flagged per reference date.
    baselines : mapping of str to array-like, optional
        Scores of baselines on the same rows, compared with the model.
    episodes : pandas.DataFrame, optional
        Latent episodes (synthetic data) for the lead time.
    horizon_weeks : int, default 8
        Label horizon, for the lead time.

    Returns
    -------
    dict
        ``rows``, ``period``, ``capacity_share``, ``model`` (metrics), ``subgroups``,
        ``lead_time`` (or None), ``baselines`` (name -> metrics) and ``comparison``
        (``beats_baselines`` on ROC-AUC and PR-AUC).
    """
    as_of = keys["as_of"].to_numpy()
    flags = flag_top_share(scores, as_of, capacity_share)
    group_columns = [c for c in GROUP_COLUMNS if c in keys.columns]
    report: dict[str, Any] = {
        "period": {"from": str(as_of.min())[:10], "to": str(as_of.max())[:10]},
        "reference_dates": int(np.unique(as_of).size),
        "capacity_share": capacity_share,
        "model": score_metrics(y, scores, flags),
        "subgroups": subgroup_metrics(y, scores, flags, keys.loc[:, group_columns]),
        "lead_time": None
        if episodes is None
        else lead_times(episodes, keys, flags, horizon_weeks=horizon_weeks),
    }
    compared: dict[str, Any] = {}
    for name, values in (baselines or {}).items():
        compared[name] = score_metrics(y, values, flag_top_share(values, as_of, capacity_share))
        if episodes is not None:
            compared[name]["lead_time"] = lead_times(
                episodes,
                keys,
                flag_top_share(values, as_of, capacity_share),
                horizon_weeks=horizon_weeks,
            )
    report["baselines"] = compared
    model = report["model"]
    report["comparison"] = {
        "beats_baselines": bool(compared)
        and all(
            (model[m] or 0.0) > (other[m] or 0.0)
            for other in compared.values()
            for m in ("roc_auc", "pr_auc")
        ),
        "metrics": ["roc_auc", "pr_auc"],
    }
    return report
