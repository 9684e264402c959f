"""What the ``portal ml`` commands and the portal's scoring job call.

* :func:`train` -- data directory -> a new registry version, returns hold-out metrics;
* :func:`score` -- data directory + model -> ``employee_id,score,band,reasons`` CSV;
* :func:`evaluate_dir` -- data directory + model -> metrics (JSON-able dict);
* :func:`score_frames` -- the database path: the three frames the portal builds from its
  tables (same columns as the CSV files) -> a scores frame.

Nothing here prints; callers decide how to show results.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from ml import registry
from ml.drift import drift_report
from ml.drift import profile as drift_profile
from ml.evaluate import choose_split, evaluate, to_day
from ml.explain import explain
from ml.features import AsOf, as_of_days, build_features, features_for_labels
from ml.model import (
    BAND_HIGH,
    BAND_LOW,
    BAND_MEDIUM,
    LogisticBaseline,
    MentoringModel,
    RuleBaseline,
    band_shares,
)
from ml.model import bands as to_bands
from ml.outcomes import read_outcomes, with_outcome_labels
from ml.schema import Dataset, read_dir
from ml.synth import read_episodes

REASON_SEPARATOR: Final = " | "
SCORE_COLUMNS: Final = ("employee_id", "score", "band", "reasons")
DEFAULT_HORIZON_WEEKS: Final = 8

ModelSource = MentoringModel | str | Path


def _day(value: np.datetime64) -> str:
    return str(to_day(value))


def train(
    data_dir: str | Path,
    out_dir: str | Path,
    *,
    capacity_share: float = 0.05,
    seed: int = 0,
    horizon_weeks: int = DEFAULT_HORIZON_WEEKS,
    model_params: Mapping[str, Any] | None = None,
    label_source: str = "given",
) -> dict[str, Any]:
    """Measure on a time-based split, then refit on every labelled date; save the refit model.

    **Measure.** The labelled reference dates are split in time (see
    :func:`ml.evaluate.choose_split`): a model is fitted on the oldest slice, calibrated (and
    its band thresholds chosen) on the next one, and evaluated on the newest, together with
    the logistic baseline (fitted on the same training slice) and the rule baseline. Rows
    whose label was not yet observable when the test slice begins (``horizon_weeks``) are not
    used for fitting. **Refit.** The model that is saved is the same model class fitted on
    every labelled date but the latest fifth, which calibrates it (:func:`final_masks`); the
    hold-out metrics describe how this recipe does on dates it has not seen.

    Parameters
    ----------
    data_dir : str or pathlib.Path
        Data directory with labels (``episodes.csv`` adds the lead time when present).
    out_dir : str or pathlib.Path
        Registry root for the new version.
    capacity_share : float, default 0.05
        Share of employees the mentoring capacity allows (HIGH band).
    seed : int, default 0
        ``random_state`` of the model.
    horizon_weeks : int, default 8
        Label horizon, used as the embargo before the test slice.
    model_params : mapping, optional
        Extra :class:`~ml.model.MentoringModel` parameters (e.g. ``max_iter``).
    label_source : {"given", "outcomes", "both"}, default "given"
        ``labels.csv`` as given; or labels learned from supervisors' responses to alerts
        (``outcomes.csv``, see :mod:`ml.outcomes`) instead of it, or added to it.

    Returns
    -------
    dict
        The evaluation report of :func:`ml.evaluate.evaluate` (the hold-out) plus
        ``version``, ``model_dir``, ``split``, ``rows`` (of the measuring split),
        ``final_fit`` (dates and rows the saved model was fitted and calibrated on) and
        ``timings_seconds``.
    """
    started = time.perf_counter()
    data = read_dir(data_dir)
    outcomes = None if label_source == "given" else read_outcomes(data_dir)
    data = with_outcome_labels(data, outcomes, label_source)
    read_s = time.perf_counter() - started
    tick = time.perf_counter()
    features, y = features_for_labels(data)
    features_s = time.perf_counter() - tick
    as_of = features.keys["as_of"].to_numpy()
    split = choose_split(as_of, embargo=timedelta(weeks=horizon_weeks))
    fit_rows, cal_rows, test_rows = split.masks(as_of)
    X = features.X
    tick = time.perf_counter()
    params = {"capacity_share": capacity_share, "random_state": seed, **(model_params or {})}
    # 1. measure: fit on the oldest slice, calibrate on the next, test on the newest
    measured = MentoringModel(**params).fit(
        X[fit_rows], y[fit_rows], X_calib=X[cal_rows], y_calib=y[cal_rows]
    )
    logistic = LogisticBaseline().fit(X[fit_rows], y[fit_rows])
    rule = RuleBaseline().fit(X[fit_rows])
    measure_s = time.perf_counter() - tick
    tick = time.perf_counter()
    test_scores = measured.score_samples(X[test_rows])
    score_s = time.perf_counter() - tick
    report = evaluate(
        y[test_rows],
        test_scores,
        keys=features.keys.loc[test_rows].reset_index(drop=True),
        capacity_share=capacity_share,
        baselines={
            "logistic": logistic.predict_proba(X[test_rows])[:, 1],
            "rule": rule.predict_proba(X[test_rows])[:, 1],
        },
        episodes=read_episodes(data_dir),
        horizon_weeks=horizon_weeks,
    )
    # 2. refit: the shipped model learns from every labelled date, calibrated on the latest
    tick = time.perf_counter()
    final_fit, final_cal = final_masks(as_of)
    model = MentoringModel(**params).fit(
        X[final_fit], y[final_fit], X_calib=X[final_cal], y_calib=y[final_cal]
    )
    fit_s = time.perf_counter() - tick
    rows = {
        "train": int(fit_rows.sum()),
        "calibration": int(cal_rows.sum()),
        "test": int(test_rows.sum()),
    }
    final = {
        "fit": _date_range(as_of[final_fit]),
        "calibration": _date_range(as_of[final_cal]),
        "rows": {"fit": int(final_fit.sum()), "calibration": int(final_cal.sum())},
        "labelled_dates": int(np.unique(as_of).size),
    }
    timings = {
        "read": round(read_s, 2),
        "features": round(features_s, 2),
        "measure": round(measure_s, 2),
        "fit": round(fit_s, 2),
        "score_test": round(score_s, 3),
    }
    metadata = {
        "training_data_range": {"from": _day(as_of.min()), "to": _day(as_of.max())},
        "split": split.as_dict(),
        "rows": rows,
        "final_fit": final,
        "horizon_weeks": horizon_weeks,
        "label_source": label_source,
        "seed": seed,
        "data_source": str(data_dir),
        "optional_sources": {
            name: getattr(data, name) is not None for name in ("progress", "feedback", "training")
        },
        "metrics": report,
        "timings_seconds": timings,
        "model_params": model.get_params(),
        "training_profile": drift_profile(X[final_fit | final_cal]),
    }
    version = registry.save(model, metadata, out_dir)
    timings["total"] = round(time.perf_counter() - started, 2)
    return {
        "version": version,
        "model_dir": str(Path(out_dir) / version),
        "split": split.as_dict(),
        "rows": rows,
        "final_fit": final,
        **report,
        "timings_seconds": timings,
    }


def _date_range(days: npt.NDArray[np.datetime64]) -> dict[str, Any]:
    return {"from": _day(days.min()), "to": _day(days.max()), "dates": int(np.unique(days).size)}


def final_masks(
    as_of: npt.ArrayLike, *, calibration_share: float = 0.2
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Rows of the shipped model: fit on every labelled date but the latest, calibrate on those.

    The time-based split (:func:`ml.evaluate.choose_split`) *measures* the model; the model
    that is shipped is then refitted on all labelled reference dates, the latest
    ``calibration_share`` of them (at least one) held for calibration and band thresholds.

    Parameters
    ----------
    as_of : array-like of datetime64
        Reference date of each labelled row.
    calibration_share : float, default 0.2
        Approximate share of the distinct dates used for calibration.

    Returns
    -------
    tuple of numpy.ndarray
        ``(fit, calibration)`` boolean masks covering every row.

    Raises
    ------
    ValueError
        Fewer than two distinct reference dates.
    """
    days = np.asarray(as_of).astype("datetime64[D]")
    dates = np.unique(days)
    if dates.size < 2:  # noqa: PLR2004
        raise ValueError("at least two labelled reference dates are needed to fit and calibrate")
    n_cal = min(dates.size - 1, max(1, round(calibration_share * dates.size)))
    first_cal = dates[dates.size - n_cal]
    return days < first_cal, days >= first_cal


def _resolve(model: ModelSource) -> MentoringModel:
    if isinstance(model, MentoringModel):
        return model
    loaded, _ = registry.load(model)
    return loaded


def _top_share_bands(
    scores: npt.NDArray[np.float64],
    ids: npt.NDArray[np.int64],
    capacity_share: float,
    medium_share: float | None = None,
) -> npt.NDArray[np.str_]:
    high_share, medium_share = band_shares(capacity_share, medium_share)
    rank = np.empty(scores.size, dtype=np.int64)
    rank[np.lexsort((ids, -scores))] = np.arange(scores.size)
    high = math.ceil(high_share * scores.size - 1e-9)
    medium = math.ceil(medium_share * scores.size - 1e-9)
    return np.where(rank < high, BAND_HIGH, np.where(rank < medium, BAND_MEDIUM, BAND_LOW))


def score_frames(
    frames: Dataset | Mapping[str, pd.DataFrame] | Sequence[pd.DataFrame],
    model: ModelSource,
    as_of: AsOf,
    *,
    capacity_share: float | None = None,
    top_reasons: int = 3,
    timings: dict[str, float] | None = None,
    training_profile: Mapping[str, Any] | None = None,
    drift: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Score every employee hired by ``as_of`` (the database path).

    Parameters
    ----------
    frames : Dataset or mapping or sequence of pandas.DataFrame
        ``employees`` and ``activities`` with the interface's columns (see
        :mod:`ml.schema`); labels are not needed.
    model : MentoringModel or str or pathlib.Path
        A fitted model, a registry root (latest version) or a version directory.
    as_of : date-like
        The reference date; only what was logged before it counts.
    capacity_share : float, optional
        When given, HIGH is exactly the top ``ceil(share * n)`` of *this* population (ties
        broken by employee id) and MEDIUM the next slice, by the model's own rule (up to its
        ``medium_share``, by default three times the capacity: :func:`ml.model.band_shares`);
        the portal's scoring runs band this way with the model's ``capacity_share``. Without
        it the thresholds stored with the model are used: a population that drifted from the
        training data may then flag far more (or fewer) employees than supervisors can support.
    top_reasons : int, default 3
        Reasons per employee (only HIGH and MEDIUM get reasons).
    timings : dict, optional
        When given, the wall-clock seconds of the steps are stored in it under
        ``features``, ``predict`` and ``explain`` (for benchmarks and the CLI).
    training_profile : mapping, optional
        The model's ``training_profile`` (``metadata.json``); with ``drift``, the run's input
        drift against it is computed (:func:`ml.drift.drift_report`).
    drift : dict, optional
        Filled with the drift report (aggregates only) when ``training_profile`` is given.

    Returns
    -------
    pandas.DataFrame
        ``employee_id``, ``score`` (calibrated probability), ``band``
        (LOW/MEDIUM/HIGH) and ``reasons`` (list of Indonesian sentences), ordered by
        descending score.
    """
    if as_of_days(as_of).size != 1:
        raise ValueError("score one reference date at a time")
    fitted = _resolve(model)
    clock = {} if timings is None else timings
    tick = time.perf_counter()
    features = build_features(frames, as_of)
    clock["features"] = time.perf_counter() - tick
    if training_profile is not None and drift is not None and len(features):
        drift.update(drift_report(training_profile, features.X))
    tick = time.perf_counter()
    scores = fitted.score_samples(features.X) if len(features) else np.empty(0)
    if capacity_share is None or not len(features):
        band = to_bands(scores, fitted.threshold_high_, fitted.threshold_medium_)
    else:  # exactly the top share of this population, ties broken by employee id
        medium = fitted.medium_share
        band = _top_share_bands(
            scores,
            features.keys["employee_id"].to_numpy(),
            capacity_share,
            None if medium is None else max(medium, capacity_share),
        )
    clock["predict"] = time.perf_counter() - tick
    tick = time.perf_counter()
    reasons: list[list[str]] = [[] for _ in range(len(features))]
    flagged = np.flatnonzero((band == BAND_HIGH) | (band == BAND_MEDIUM))
    if flagged.size:
        for row, text in zip(
            flagged,
            explain(
                fitted,
                features.X[flagged],
                details=features.details[flagged],
                top=top_reasons,
                at_least_one=True,  # every HIGH / MEDIUM employee is told why
            ),
            strict=True,
        ):
            reasons[row] = text
    clock["explain"] = time.perf_counter() - tick
    out = pd.DataFrame(
        {
            "employee_id": features.keys["employee_id"].to_numpy(),
            "score": scores,
            "band": band,
            "reasons": pd.Series(reasons, dtype=object),
        }
    )
    return out.sort_values(["score", "employee_id"], ascending=[False, True], ignore_index=True)


def score(
    data_dir: str | Path,
    model_dir: str | Path,
    as_of: AsOf,
    out_csv: str | Path,
    *,
    capacity_share: float | None = None,
) -> pd.DataFrame:
    """Score a data directory and write ``employee_id,score,band,reasons``.

    Parameters
    ----------
    data_dir : str or pathlib.Path
        Data directory (``labels.csv`` is not needed).
    model_dir : str or pathlib.Path
        Registry root (latest version) or a version directory.
    as_of : date-like
        Reference date.
    out_csv : str or pathlib.Path
        Output file; reasons are joined with ``" | "``, scores rounded to 4 decimals.
    capacity_share : float, optional
        See :func:`score_frames`.

    Returns
    -------
    pandas.DataFrame
        The scores as written (reasons as lists).
    """
    scores = score_frames(read_dir(data_dir), model_dir, as_of, capacity_share=capacity_share)
    written = scores.assign(
        score=scores["score"].round(4), reasons=scores["reasons"].map(REASON_SEPARATOR.join)
    )
    Path(out_csv).parent.mkdir(parents=True, exist_ok=True)
    written.loc[:, list(SCORE_COLUMNS)].to_csv(out_csv, index=False)
    return scores


def _unseen_from(metadata: Mapping[str, Any], horizon_weeks: int) -> str | None:
    """First reference date whose label the saved model cannot have learned from."""
    final = metadata.get("final_fit")
    if final:
        last = np.datetime64(final["calibration"]["to"], "D")
        return str(last + np.timedelta64(7 * horizon_weeks, "D"))
    test_from = (metadata.get("split") or {}).get("test_from")
    return None if test_from is None else str(test_from)


def evaluate_dir(
    data_dir: str | Path, model_dir: str | Path, *, version: str | None = None
) -> dict[str, Any]:
    """Evaluate a saved model on a labelled data directory.

    Only rows the saved model has never learned from are evaluated when the data has any:
    reference dates at least one label horizon after the last date it was fitted on (a model
    of the older recipe, fitted on its training slice only: on or after ``split.test_from``).
    Otherwise all labelled rows are, the fitted ones included (``scope`` says which). The rule
    baseline (which needs no training) is compared on the same rows.

    Parameters
    ----------
    data_dir : str or pathlib.Path
        Data directory with labels.
    model_dir : str or pathlib.Path
        Registry root or version directory.
    version : str, optional
        Version under a registry root; default the latest.

    Returns
    -------
    dict
        The report of :func:`ml.evaluate.evaluate` plus ``model_version`` and ``scope``.
    """
    model, metadata = registry.load(model_dir, version)
    data = read_dir(data_dir)
    features, y = features_for_labels(data)
    as_of = features.keys["as_of"].to_numpy()
    horizon = int(metadata.get("horizon_weeks", DEFAULT_HORIZON_WEEKS))
    unseen_from = _unseen_from(metadata, horizon)
    rows = np.ones(len(features), dtype=bool)
    scope = "all_labelled_rows (including rows the model was fitted on)"
    if unseen_from is not None and (as_of >= np.datetime64(unseen_from)).any():
        rows = as_of >= np.datetime64(unseen_from)
        scope = f"as_of >= {unseen_from}"
    X = features.X[rows]
    rule = RuleBaseline().fit(X)
    report = evaluate(
        y[rows],
        model.score_samples(X),
        keys=features.keys.loc[rows].reset_index(drop=True),
        capacity_share=float(metadata.get("capacity_share", model.capacity_share)),
        baselines={"rule": rule.predict_proba(X)[:, 1]},
        episodes=read_episodes(data_dir),
        horizon_weeks=horizon,
    )
    return {"model_version": metadata.get("version"), "scope": scope, **report}
