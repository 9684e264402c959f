"""Input drift of a scoring run against the training data: stability per feature, missing inputs.

At training time :func:`profile` stores, per feature, the decile edges of the training values
and the share of training rows in each bin, plus the share of missing values (the model
card's ``training_profile`` in ``metadata.json``). Each scoring run then calls
:func:`drift_report` on the features it scored:

* the **population stability index** of each feature,
  ``PSI = sum_b (a_b - e_b) ln(a_b / e_b)`` over the bins (``e`` training shares, ``a`` the
  run's, both floored at 1e-4), computed on the non-missing values -- under 0.1 is stable,
  0.1-0.25 a moderate shift, above :data:`PSI_THRESHOLD` (0.25) a shift worth a look;
* the **missing-input share**: the share of missing cells over all features, against the
  training share (an optional source that stopped arriving, a broken export).

A run is ``drifted`` when a behavioural feature's PSI exceeds the threshold or the missing
share rose by more than :data:`MISSING_RISE_THRESHOLD`. Only aggregates leave this module:
no employee's values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from ml.features import FEATURE_NAMES, FEATURES

PSI_THRESHOLD: Final = 0.25
MISSING_RISE_THRESHOLD: Final = 0.10
_BINS: Final = 10
_FLOOR: Final = 1e-4
_BEHAVIOURAL: Final = frozenset(f.name for f in FEATURES if f.behavioural)

FloatArray = npt.NDArray[np.float64]


def _edges(values: FloatArray, bins: int) -> list[float]:
    """Inner bin edges: the distinct deciles (a feature with few values gets fewer bins)."""
    quantiles = np.quantile(values, np.linspace(0.0, 1.0, bins + 1)[1:-1])
    return [float(v) for v in np.unique(quantiles)]


def _shares(values: FloatArray, edges: Sequence[float]) -> FloatArray:
    counts = np.bincount(
        np.searchsorted(np.asarray(edges), values, side="right"), minlength=len(edges) + 1
    )
    return np.asarray(counts / max(values.size, 1), dtype=np.float64)


def profile(
    X: npt.ArrayLike, feature_names: Sequence[str] = FEATURE_NAMES, *, bins: int = _BINS
) -> dict[str, Any]:
    """The training distribution of each feature (JSON-able).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Training features.
    feature_names : sequence of str
        Column names.
    bins : int, default 10
        Quantile bins per feature.

    Returns
    -------
    dict
        ``rows``, ``missing_share`` (all cells) and ``features``: per name ``edges``,
        ``shares`` and ``missing_share`` (features never observed have no edges).
    """
    values = np.asarray(X, dtype=np.float64)
    features: dict[str, Any] = {}
    for j, name in enumerate(feature_names):
        column = values[:, j]
        seen = column[np.isfinite(column)]
        entry: dict[str, Any] = {"missing_share": float(1.0 - seen.size / max(column.size, 1))}
        if seen.size:
            edges = _edges(seen, bins)
            entry |= {"edges": edges, "shares": _shares(seen, edges).round(6).tolist()}
        features[name] = entry
    return {
        "rows": int(values.shape[0]),
        "missing_share": float(np.isnan(values).mean()) if values.size else 0.0,
        "features": features,
    }


def psi(expected: npt.ArrayLike, actual: npt.ArrayLike) -> float:
    """Population stability index of two distributions over the same bins.

    Parameters
    ----------
    expected, actual : array-like of shape (n_bins,)
        Shares per bin (each summing to 1).

    Returns
    -------
    float
        ``sum((a - e) * ln(a / e))`` with both floored at 1e-4.
    """
    e = np.maximum(np.asarray(expected, dtype=np.float64), _FLOOR)
    a = np.maximum(np.asarray(actual, dtype=np.float64), _FLOOR)
    return float(np.sum((a - e) * np.log(a / e)))


def drift_report(
    training: Mapping[str, Any],
    X: npt.ArrayLike,
    feature_names: Sequence[str] = FEATURE_NAMES,
    *,
    psi_threshold: float = PSI_THRESHOLD,
    missing_rise_threshold: float = MISSING_RISE_THRESHOLD,
) -> dict[str, Any]:
    """How far a scored population's inputs moved from the training data.

    Parameters
    ----------
    training : mapping
        A :func:`profile` of the training features.
    X : array-like of shape (n_samples, n_features)
        The scored features.
    feature_names : sequence of str
        Column names.
    psi_threshold : float, default 0.25
        PSI above which a behavioural feature counts as drifted.
    missing_rise_threshold : float, default 0.10
        Rise of the missing-input share that counts as drift.

    Returns
    -------
    dict
        ``rows``, ``missing_share`` and ``training_missing_share``, ``max_psi`` and
        ``max_psi_feature``, ``features`` (per name ``psi`` -- ``None`` when it cannot be
        computed -- and ``missing_share``), ``drifted_features`` (names above the threshold,
        worst first), ``drifted`` and the thresholds.
    """
    values = np.asarray(X, dtype=np.float64)
    reference = training.get("features") or {}
    features: dict[str, Any] = {}
    for j, name in enumerate(feature_names):
        column = values[:, j]
        seen = column[np.isfinite(column)]
        entry: dict[str, Any] = {
            "psi": None,
            "missing_share": round(float(1.0 - seen.size / max(column.size, 1)), 4),
        }
        ref = reference.get(name) or {}
        if "edges" in ref and seen.size:
            entry["psi"] = round(psi(ref["shares"], _shares(seen, ref["edges"])), 4)
        features[name] = entry
    scored = {n: f["psi"] for n, f in features.items() if f["psi"] is not None}
    behavioural = {n: v for n, v in scored.items() if n in _BEHAVIOURAL}
    drifted = sorted(
        (n for n, v in behavioural.items() if v > psi_threshold), key=lambda n: -behavioural[n]
    )
    missing = float(np.isnan(values).mean()) if values.size else 0.0
    training_missing = float(training.get("missing_share", 0.0))
    worst = max(scored, key=scored.__getitem__) if scored else None
    missing_rise = missing - training_missing > missing_rise_threshold
    return {
        "rows": int(values.shape[0]),
        "missing_share": round(missing, 4),
        "training_missing_share": round(training_missing, 4),
        "max_psi": None if worst is None else scored[worst],
        "max_psi_feature": worst,
        "features": features,
        "drifted_features": drifted,
        "missing_share_rose": missing_rise,
        "drifted": bool(drifted) or missing_rise,
        "psi_threshold": psi_threshold,
        "missing_rise_threshold": missing_rise_threshold,
    }
