"""The mentoring-support model, its two baselines, and bands from a mentoring capacity.

* :class:`MentoringModel` -- gradient boosting (``HistGradientBoostingClassifier`` in a
  ``Pipeline``) whose probabilities are calibrated on a **later** time slice than the one it
  was trained on: the fitted pipeline is wrapped in ``sklearn.frozen.FrozenEstimator`` and
  handed to ``CalibratedClassifierCV`` (``cv="prefit"`` is gone from scikit-learn >= 1.8).
  Its scores blend (in log-odds) the small-tree boosting over every feature with
  :class:`TrendBlend`'s second member: a default ``HistGradientBoostingClassifier`` over the
  eleven simple activity-trend features :data:`TREND_FEATURES`, the plain model that held up
  best on worlds the features were not designed on (issue 21).
* :class:`TrendBaseline` -- that plain model alone, the number a shipped model must match.
* :class:`LogisticBaseline` -- median imputation, ``StandardScaler``, ``LogisticRegression``.
* :class:`RuleBaseline` -- "active days in the last 4 weeks fell to half or less of the
  previous 8 weeks' rate": ``score = clip(1 - ratio, 0, 1)``, so the rule fires exactly when
  ``score >= 0.5``.
* :func:`choose_threshold` and :func:`bands` -- HIGH is the top ``capacity_share`` of scores
  (what the mentoring capacity allows), MEDIUM the next slice, LOW the rest;
  :func:`band_shares` gives the two shares (MEDIUM or above: 3x capacity by default).

All three estimators follow scikit-learn's conventions: ``__init__`` only stores its
arguments, ``fit`` validates and learns attributes ending in ``_``, randomness comes from
``random_state``. Inputs are the feature matrices of :mod:`ml.features`.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, ClassVar, Final, Literal, Self

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted, check_X_y, validate_data

from ml.features import FEATURE_INDEX, FEATURE_NAMES

FloatArray = npt.NDArray[np.float64]
ArrayLike = npt.ArrayLike

TREND_FEATURES: Final[tuple[str, ...]] = (
    "active_days_4w",
    "active_days_prev8w",
    "active_days_ratio",
    "active_days_last_week",
    "active_days_slope",
    "active_days_volatility",
    "activities_ratio",
    "quantity_ratio",
    "rejected_share_4w",
    "latency_median_4w",
    "days_since_last_log",
)
"""Eleven simple activity-trend features: levels and ratios of logging, output, rejections,
latency and silence over the trailing 12 weeks."""
TREND_COLUMNS: Final[tuple[int, ...]] = tuple(FEATURE_INDEX[name] for name in TREND_FEATURES)
DEFAULT_TREND_WEIGHT: Final = 0.25
_EPS: Final = 1e-6

BAND_HIGH: Final = "HIGH"
BAND_MEDIUM: Final = "MEDIUM"
BAND_LOW: Final = "LOW"
DEFAULT_CAPACITY_SHARE: Final = 0.05
MEDIUM_FACTOR: Final = 3.0


def _check_share(name: str, share: float) -> None:
    if not 0.0 < share <= 1.0:
        raise ValueError(f"{name} must be in (0, 1], got {share}")


def _fit_ready(X: FloatArray) -> FloatArray:
    """``X`` with every column that has no observed value set to 0, for fitting the trees.

    A feature source that is absent altogether (an optional file not given) leaves its
    columns entirely missing. HistGradientBoosting's binning fails on such a column under
    scikit-learn 1.9 ("window shape cannot be larger than input array shape"). A constant
    column can never be split on, so the fitted trees are those of a model without it, and
    scoring still accepts NaN there (unsplit features are never read).
    """
    empty = np.isnan(X).all(axis=0)
    if not empty.any():
        return X
    filled = X.copy()
    filled[:, empty] = 0.0
    return filled


def _binary_target(y: ArrayLike) -> npt.NDArray[np.int64]:
    target = np.asarray(y)
    if target.ndim != 1:
        raise ValueError("y must be one-dimensional")
    values = np.unique(target)
    if not np.isin(values, (0, 1)).all():
        raise ValueError(f"y must contain only 0 and 1, got {values.tolist()}")
    if values.size < 2:  # noqa: PLR2004
        raise ValueError("y must contain both classes 0 and 1")
    return target.astype(np.int64)


def band_shares(capacity_share: float, medium_share: float | None = None) -> tuple[float, float]:
    """The share of a population at HIGH and the share at MEDIUM or above.

    Parameters
    ----------
    capacity_share : float
        Share at HIGH: what the mentoring capacity allows, in ``(0, 1]``.
    medium_share : float or None, default None
        Share at MEDIUM or above; by default ``3 * capacity_share`` (at most 1).

    Returns
    -------
    tuple of float
        ``(capacity_share, medium_share)``.

    Raises
    ------
    ValueError
        A share outside ``(0, 1]``, or ``medium_share`` below ``capacity_share``.
    """
    _check_share("capacity_share", capacity_share)
    share = min(1.0, MEDIUM_FACTOR * capacity_share) if medium_share is None else medium_share
    _check_share("medium_share", share)
    if share < capacity_share:
        raise ValueError("medium_share must be at least capacity_share")
    return capacity_share, share


def choose_threshold(scores: ArrayLike, capacity_share: float = DEFAULT_CAPACITY_SHARE) -> float:
    """Score threshold that puts the top ``capacity_share`` of ``scores`` at or above it.

    Parameters
    ----------
    scores : array-like of shape (n,)
        Scores of a population (e.g. all employees on one date, or a calibration slice).
    capacity_share : float, default 0.05
        Share of employees the supervisors can mentor, in ``(0, 1]``.

    Returns
    -------
    float
        The ``k``-th largest score with ``k = ceil(capacity_share * n)``; ties at the
        threshold may put slightly more than ``k`` at or above it.
    """
    _check_share("capacity_share", capacity_share)
    values = np.asarray(scores, dtype=np.float64).ravel()
    if values.size == 0 or not np.isfinite(values).all():
        raise ValueError("scores must be a non-empty array of finite numbers")
    k = max(1, math.ceil(capacity_share * values.size - 1e-9))
    return float(np.partition(values, values.size - k)[values.size - k])


def bands(
    scores: ArrayLike, threshold_high: float, threshold_medium: float
) -> npt.NDArray[np.str_]:
    """LOW / MEDIUM / HIGH of each score.

    Parameters
    ----------
    scores : array-like of shape (n,)
        Scores.
    threshold_high : float
        Scores at or above it are ``HIGH``.
    threshold_medium : float
        Scores at or above it (and below ``threshold_high``) are ``MEDIUM``; must not exceed
        ``threshold_high``.

    Returns
    -------
    numpy.ndarray of str
        The band of each score.
    """
    if threshold_medium > threshold_high:
        raise ValueError(
            f"threshold_medium ({threshold_medium}) must not exceed threshold_high "
            f"({threshold_high})"
        )
    values = np.asarray(scores, dtype=np.float64)
    return np.where(
        values >= threshold_high,
        BAND_HIGH,
        np.where(values >= threshold_medium, BAND_MEDIUM, BAND_LOW),
    )


def _logit(p: FloatArray) -> FloatArray:
    q = np.clip(p, _EPS, 1.0 - _EPS)
    return np.asarray(np.log(q / (1.0 - q)), dtype=np.float64)


def _training_data(estimator: BaseEstimator, X: ArrayLike, y: ArrayLike) -> tuple[FloatArray, Any]:
    """Checked training rows (NaN allowed); records ``n_features_in_`` and the classes 0/1."""
    X_arr, y_arr = check_X_y(X, y, ensure_all_finite="allow-nan", dtype=np.float64)
    estimator.n_features_in_ = X_arr.shape[1]
    estimator.classes_ = np.array([0, 1])
    return X_arr, y_arr


def _scoring_data(estimator: BaseEstimator, X: ArrayLike, fitted: str) -> FloatArray:
    """Rows to score by a fitted estimator (``fitted`` names an attribute ``fit`` sets)."""
    check_is_fitted(estimator, fitted)
    X_arr: FloatArray = validate_data(
        estimator, X, reset=False, ensure_all_finite="allow-nan", dtype=np.float64
    )
    return X_arr


class _Classifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Base of the classifiers below.

    ``fit`` checks ``(X, y)`` and hands the arrays to ``_fit``; ``predict_proba`` checks the
    rows (the estimator is fitted once its ``_fitted`` attribute is set) and hands them to
    ``_proba``; ``score_samples`` is its P(need) column; ``predict`` is 1 where ``_need(X)``
    (the score unless overridden) reaches ``_cut()`` (0.5 unless overridden).
    """

    _fitted: ClassVar[str] = "classes_"

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Fit on the rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features (NaN allowed).
        y : array-like of shape (n_samples,)
            0/1 labels.

        Returns
        -------
        Self
            The fitted estimator.
        """
        X_arr, y_arr = _training_data(self, X, y)
        self._fit(X_arr, y_arr)
        return self

    def _fit(self, X: FloatArray, y: Any) -> None:  # noqa: ANN401 - checked labels
        raise NotImplementedError

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """Probabilities of each class (see the class for what they are).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features.

        Returns
        -------
        numpy.ndarray of shape (n_samples, 2)
            Columns: P(no need), P(need).
        """
        return self._proba(_scoring_data(self, X, self._fitted))

    def _proba(self, X: FloatArray) -> FloatArray:
        raise NotImplementedError

    def score_samples(self, X: ArrayLike) -> FloatArray:
        """Probability of the positive class, P(need) (the "score").

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features.

        Returns
        -------
        numpy.ndarray of shape (n_samples,)
            Scores in ``[0, 1]``.
        """
        need: FloatArray = self.predict_proba(X)[:, 1]
        return need

    def _need(self, X: ArrayLike) -> FloatArray:
        return self.score_samples(X)

    def _cut(self) -> float:
        return 0.5

    def predict(self, X: ArrayLike) -> npt.NDArray[np.int64]:
        """1 where the need score reaches the estimator's cut, else 0.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features.

        Returns
        -------
        numpy.ndarray of int
            0/1 per row.
        """
        return (self._need(X) >= self._cut()).astype(np.int64)


class TrendBlend(_Classifier):
    """Two gradient-boosting models blended in log-odds: all features, and the trend ones.

    ``logit(p) = (1 - trend_weight) * logit(p_all) + trend_weight * logit(p_trend)``, where
    ``p_all`` comes from ``boosting`` over every column and ``p_trend`` from a default
    ``HistGradientBoostingClassifier`` over the columns ``trend_columns``. With
    ``trend_weight`` 0 it is ``boosting`` alone, with 1 the plain trend model alone.

    Parameters
    ----------
    boosting : HistGradientBoostingClassifier
        Unfitted model over every column (cloned in ``fit``).
    trend_columns : tuple of int
        Columns of the trend model.
    trend_weight : float, default 0.25
        Weight of the trend model, in ``[0, 1]``.
    random_state : int or None, default None
        Seed of the trend model (its early stopping on large inputs).

    Attributes
    ----------
    classes_ : numpy.ndarray
        ``[0, 1]``.
    boosting_ : HistGradientBoostingClassifier or None
        Fitted model over every column (``None`` when ``trend_weight`` is 1).
    trend_ : HistGradientBoostingClassifier or None
        Fitted trend model (``None`` when ``trend_weight`` is 0).
    """

    def __init__(
        self,
        boosting: HistGradientBoostingClassifier,
        *,
        trend_columns: tuple[int, ...] = TREND_COLUMNS,
        trend_weight: float = DEFAULT_TREND_WEIGHT,
        random_state: int | None = None,
    ) -> None:
        self.boosting = boosting
        self.trend_columns = trend_columns
        self.trend_weight = trend_weight
        self.random_state = random_state

    def _fit(self, X: FloatArray, y: Any) -> None:  # noqa: ANN401 - checked labels
        """Fit both members on the same rows."""
        if not 0.0 <= self.trend_weight <= 1.0:
            raise ValueError(f"trend_weight must be in [0, 1], got {self.trend_weight}")
        self.boosting_: HistGradientBoostingClassifier | None = None
        self.trend_: HistGradientBoostingClassifier | None = None
        if self.trend_weight < 1.0:
            self.boosting_ = clone(self.boosting).fit(X, y)
        if self.trend_weight > 0.0:
            self.trend_ = HistGradientBoostingClassifier(random_state=self.random_state).fit(
                _fit_ready(X[:, list(self.trend_columns)]), y
            )

    def decision_function(self, X: ArrayLike) -> FloatArray:
        """Blended log-odds.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features.

        Returns
        -------
        numpy.ndarray of shape (n_samples,)
            Log-odds of the positive class.
        """
        return self._log_odds(_scoring_data(self, X, self._fitted))

    def _log_odds(self, X_arr: FloatArray) -> FloatArray:
        logit = np.zeros(X_arr.shape[0])
        if self.boosting_ is not None:
            p_all = self.boosting_.predict_proba(X_arr)[:, 1]
            logit += (1.0 - self.trend_weight) * _logit(p_all)
        if self.trend_ is not None:
            p_trend = self.trend_.predict_proba(X_arr[:, list(self.trend_columns)])[:, 1]
            logit += self.trend_weight * _logit(p_trend)
        return logit

    def _proba(self, X: FloatArray) -> FloatArray:
        """Blended probabilities (not calibrated)."""
        p = 1.0 / (1.0 + np.exp(-self._log_odds(X)))
        return np.column_stack([1.0 - p, p])

    def _need(self, X: ArrayLike) -> FloatArray:
        """``predict`` is the most probable class: blended log-odds of at least 0."""
        return self.decision_function(X)

    def _cut(self) -> float:
        return 0.0


class TrendBaseline(_Classifier):
    """The plain baseline: a default ``HistGradientBoostingClassifier`` on :data:`TREND_FEATURES`.

    Default settings, no calibration: the model a shipped model must match or beat on every
    world it was not designed on (``bench/ml_variants.py``).

    Parameters
    ----------
    random_state : int or None, default None
        Seed of the early-stopping split (on by default above 10 000 rows).

    Attributes
    ----------
    classes_ : numpy.ndarray
        ``[0, 1]``.
    model_ : HistGradientBoostingClassifier
        The fitted model.
    """

    def __init__(self, *, random_state: int | None = None) -> None:
        self.random_state = random_state

    def _fit(self, X: FloatArray, y: Any) -> None:  # noqa: ANN401 - checked labels
        """Fit on the trend columns of X (its columns in :data:`ml.features.FEATURE_NAMES`)."""
        if X.shape[1] != len(FEATURE_NAMES):
            raise ValueError(f"X must have the {len(FEATURE_NAMES)} columns of FEATURE_NAMES")
        self.model_ = HistGradientBoostingClassifier(random_state=self.random_state).fit(
            X[:, list(TREND_COLUMNS)], _binary_target(y)
        )

    _fitted = "model_"

    def _proba(self, X: FloatArray) -> FloatArray:
        return np.asarray(self.model_.predict_proba(X[:, list(TREND_COLUMNS)]), dtype=np.float64)


class MentoringModel(_Classifier):
    """Calibrated gradient boosting over activity-trend features.

    Parameters
    ----------
    learning_rate : float, default 0.05
        Boosting learning rate.
    max_iter : int, default 300
        Boosting iterations (the maximum when ``early_stopping`` is on).
    max_leaf_nodes : int, default 4
        Leaves per tree (small trees, many of them).
    min_samples_leaf : int, default 400
        Minimum rows per leaf (keeps trees from memorising individuals); lower it for a
        few thousand training rows.
    l2_regularization : float, default 1.0
        L2 penalty on leaf values.
    early_stopping : bool, default False
        Stop when the loss on a random 10 % of the training rows stops improving. Off by
        default: those rows belong to the same employees as the rest, so it stops late (see
        Notes), and the fixed ``max_iter`` makes the fit deterministic.
    calibration : {"sigmoid", "isotonic"}, default "sigmoid"
        Calibration method on the later slice given to :meth:`fit`. Sigmoid (Platt) is
        strictly monotone, so it keeps the ranking (and the top-k capacity) of the boosting
        scores; isotonic creates ties and needs more calibration rows.
    capacity_share : float, default 0.05
        Share of employees flagged HIGH; thresholds are chosen on the calibration slice.
    medium_share : float or None, default None
        Share at MEDIUM or above; default ``3 * capacity_share`` (at most 1).
    trend_weight : float, default 0.25
        Weight (log-odds) of the plain trend model in the blend (:class:`TrendBlend`); 0 is
        the small-tree boosting alone. Chosen on the *design* variants of
        :mod:`ml.synth_variants` only (``bench/ml_variants.py --grid``): 0.25 had the best
        mean PR-AUC and recall at 10 % and the best worst-case ROC-AUC against the plain
        trend baseline (0 and 0.25 tied on mean ROC-AUC; 0.5 and above lost on all three).
    random_state : int or None, default None
        Seed of the early-stopping splits.

    Notes
    -----
    The defaults were chosen on a *validation* slice of three development worlds
    (``ml.synth`` seeds 1-3, 5 000 employees, one year): the calibration slice, with the
    model fitted on training rows at least 8 weeks older than it -- the same embargo the
    test slice has. Without that gap, larger trees (16 leaves, 100 rows) looked better
    because rows of the same still-struggling employees sit on both sides of the boundary,
    and that advantage vanished on later data. With it, validation ROC-AUC peaks after
    100-300 iterations and then falls (the model starts learning its period rather than
    struggle), for 4-12 leaves alike; random-row early stopping stopped at 200-800.
    Tried: 4-24 leaves, 50-1 000 rows per leaf, learning rates 0.02-0.1, L2 1 and 5,
    early stopping on random rows or on held-out employees. Never chosen on a test slice or
    on the benchmark's evaluation worlds (seeds 4-7).

    Attributes
    ----------
    classes_ : numpy.ndarray
        ``[0, 1]``.
    n_features_in_ : int
        Number of features seen in ``fit``.
    pipeline_ : sklearn.pipeline.Pipeline
        The fitted :class:`TrendBlend` (uncalibrated).
    calibrator_ : sklearn.calibration.CalibratedClassifierCV or None
        Calibrator over the frozen pipeline; ``None`` when ``fit`` got no calibration slice.
    reference_ : numpy.ndarray of shape (n_features,)
        Training medians of each feature, the reference of :mod:`ml.explain`.
    threshold_high_, threshold_medium_ : float
        Band thresholds on calibrated scores, chosen on the calibration slice (or on the
        training rows when there is none).
    """

    def __init__(
        self,
        *,
        learning_rate: float = 0.05,
        max_iter: int = 300,
        max_leaf_nodes: int = 4,
        min_samples_leaf: int = 400,
        l2_regularization: float = 1.0,
        early_stopping: bool = False,
        calibration: Literal["sigmoid", "isotonic"] = "sigmoid",
        capacity_share: float = DEFAULT_CAPACITY_SHARE,
        medium_share: float | None = None,
        trend_weight: float = DEFAULT_TREND_WEIGHT,
        random_state: int | None = None,
    ) -> None:
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.early_stopping = early_stopping
        self.calibration = calibration
        self.capacity_share = capacity_share
        self.medium_share = medium_share
        self.trend_weight = trend_weight
        self.random_state = random_state

    def _medium_share(self) -> float:
        return band_shares(self.capacity_share, self.medium_share)[1]

    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        *,
        X_calib: ArrayLike | None = None,
        y_calib: ArrayLike | None = None,
    ) -> Self:
        """Train on ``(X, y)``; calibrate and choose thresholds on ``(X_calib, y_calib)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features (NaN allowed).
        y : array-like of shape (n_samples,)
            0/1 labels.
        X_calib, y_calib : array-like, optional
            A later time slice for calibration and thresholds. Without it the probabilities
            are the raw boosting ones.

        Returns
        -------
        MentoringModel
            The fitted model.
        """
        if self.calibration not in ("isotonic", "sigmoid"):
            raise ValueError(
                f"calibration must be 'isotonic' or 'sigmoid', got {self.calibration!r}"
            )
        _check_share("capacity_share", self.capacity_share)
        medium_share = self._medium_share()
        X_arr, y_arr = _training_data(self, X, y)
        y_arr = _binary_target(y_arr)
        boosting = HistGradientBoostingClassifier(
            learning_rate=self.learning_rate,
            max_iter=self.max_iter,
            max_leaf_nodes=self.max_leaf_nodes,
            min_samples_leaf=self.min_samples_leaf,
            l2_regularization=self.l2_regularization,
            early_stopping=self.early_stopping,
            validation_fraction=0.1,
            n_iter_no_change=20,
            random_state=self.random_state,
        )
        blend = TrendBlend(boosting, trend_weight=self.trend_weight, random_state=self.random_state)
        self.pipeline_ = Pipeline([("blend", blend)]).fit(_fit_ready(X_arr), y_arr)
        with warnings.catch_warnings():  # an all-missing column has no median: 0 below
            warnings.simplefilter("ignore", RuntimeWarning)
            reference = np.nanmedian(X_arr, axis=0)
        self.reference_ = np.where(np.isnan(reference), 0.0, reference)
        if X_calib is None or y_calib is None:
            self.calibrator_: CalibratedClassifierCV | None = None
            threshold_rows = X_arr
        else:
            Xc, yc = check_X_y(X_calib, y_calib, ensure_all_finite="allow-nan", dtype=np.float64)
            if Xc.shape[1] != self.n_features_in_:
                raise ValueError("X_calib has a different number of features than X")
            self.calibrator_ = CalibratedClassifierCV(
                FrozenEstimator(self.pipeline_), method=self.calibration
            ).fit(Xc, _binary_target(yc))
            threshold_rows = Xc
        scores = self.predict_proba(threshold_rows)[:, 1]
        self.threshold_high_ = choose_threshold(scores, self.capacity_share)
        self.threshold_medium_ = min(choose_threshold(scores, medium_share), self.threshold_high_)
        return self

    _fitted = "pipeline_"

    def _proba(self, X: FloatArray) -> FloatArray:
        """Calibrated probabilities of needing mentoring support (raw without a calibrator)."""
        estimator: Any = self.pipeline_ if self.calibrator_ is None else self.calibrator_
        return np.asarray(estimator.predict_proba(X), dtype=np.float64)

    def _cut(self) -> float:
        """``predict`` is 1 for the HIGH band (within the mentoring capacity)."""
        return float(self.threshold_high_)

    def bands(self, X: ArrayLike) -> npt.NDArray[np.str_]:
        """LOW / MEDIUM / HIGH with the thresholds chosen in ``fit``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features.

        Returns
        -------
        numpy.ndarray of str
            The band of each row.
        """
        return bands(self.score_samples(X), self.threshold_high_, self.threshold_medium_)


class LogisticBaseline(_Classifier):
    """Baseline: median imputation, standard scaling and logistic regression.

    Parameters
    ----------
    C : float, default 1.0
        Inverse regularisation strength.
    max_iter : int, default 2000
        Solver iterations.

    Attributes
    ----------
    classes_ : numpy.ndarray
        ``[0, 1]``.
    n_features_in_ : int
        Number of features seen in ``fit``.
    pipeline_ : sklearn.pipeline.Pipeline
        The fitted pipeline.
    """

    def __init__(self, *, C: float = 1.0, max_iter: int = 2000) -> None:
        self.C = C
        self.max_iter = max_iter

    def _fit(self, X: FloatArray, y: Any) -> None:  # noqa: ANN401 - checked labels
        """Fit the pipeline."""
        if self.C <= 0:
            raise ValueError(f"C must be positive, got {self.C}")
        self.pipeline_ = Pipeline(
            [
                ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
                ("scale", StandardScaler()),
                ("logistic", LogisticRegression(C=self.C, max_iter=self.max_iter)),
            ]
        ).fit(X, _binary_target(y))

    _fitted = "pipeline_"

    def _proba(self, X: FloatArray) -> FloatArray:
        return np.asarray(self.pipeline_.predict_proba(X), dtype=np.float64)


class RuleBaseline(_Classifier):
    """Baseline rule: active days in the last 4 weeks fell to ``fall_to`` of the earlier rate.

    The score is ``clip(1 - ratio, 0, 1)`` of the ``active_days_ratio`` feature (last 4 weeks'
    rate over the previous 8 weeks'), so the rule fires (``predict`` = 1) when the score is
    at least ``1 - fall_to``; a missing ratio scores 0. Nothing is learned.

    Parameters
    ----------
    fall_to : float, default 0.5
        The rule fires when the ratio is at most this.
    ratio_feature : str, default "active_days_ratio"
        Name of the ratio column in :data:`ml.features.FEATURE_NAMES`.

    Attributes
    ----------
    classes_ : numpy.ndarray
        ``[0, 1]``.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_index_ : int
        Column of the ratio.
    """

    def __init__(self, *, fall_to: float = 0.5, ratio_feature: str = "active_days_ratio") -> None:
        self.fall_to = fall_to
        self.ratio_feature = ratio_feature

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Check the input width and locate the ratio column (``y`` is ignored).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features in the order of :data:`ml.features.FEATURE_NAMES`.
        y : None
            Ignored.

        Returns
        -------
        RuleBaseline
            The fitted rule.
        """
        if not 0.0 < self.fall_to < 1.0:
            raise ValueError(f"fall_to must be in (0, 1), got {self.fall_to}")
        if self.ratio_feature not in FEATURE_INDEX:
            raise ValueError(f"unknown ratio_feature {self.ratio_feature!r}")
        X_arr = validate_data(self, X, ensure_all_finite="allow-nan", dtype=np.float64)
        if X_arr.shape[1] != len(FEATURE_NAMES):
            raise ValueError(f"X must have the {len(FEATURE_NAMES)} columns of FEATURE_NAMES")
        self.classes_ = np.array([0, 1])
        self.feature_index_ = FEATURE_INDEX[self.ratio_feature]
        return self

    _fitted = "feature_index_"

    def _proba(self, X: FloatArray) -> FloatArray:
        """Rule scores as two-column "probabilities" (not calibrated): ``[1 - score, score]``."""
        ratio = X[:, self.feature_index_]
        score = np.where(np.isnan(ratio), 0.0, np.clip(1.0 - ratio, 0.0, 1.0))
        return np.column_stack([1.0 - score, score])

    def _cut(self) -> float:
        """``predict`` is 1 where the rule fires."""
        return 1.0 - self.fall_to - 1e-12
