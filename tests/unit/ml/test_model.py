"""Unit tests for ml.model: thresholds, bands, the model and its baselines."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator

from ml.features import FEATURE_INDEX, FEATURE_NAMES
from ml.model import (
    TREND_COLUMNS,
    TREND_FEATURES,
    LogisticBaseline,
    MentoringModel,
    RuleBaseline,
    TrendBaseline,
    band_shares,
    bands,
    choose_threshold,
)


def toy(n: int = 3000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, len(FEATURE_NAMES)))
    x[rng.random(n) < 0.05, 3] = np.nan
    logit = 2.0 * x[:, FEATURE_INDEX["rejected_share_4w"]] - 1.5 * x[:, 0] - 2.5
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return x, y


def test_choose_threshold_is_the_top_share():
    scores = np.arange(100) / 100
    assert choose_threshold(scores, 0.05) == pytest.approx(0.95)
    assert (scores >= choose_threshold(scores, 0.05)).sum() == 5
    assert choose_threshold(scores, 1.0) == 0.0
    assert choose_threshold([0.3], 0.05) == 0.3  # at least one employee fits
    assert choose_threshold(scores, 0.031) == pytest.approx(0.96)  # ceil(3.1) = 4


@pytest.mark.parametrize("share", [0.0, -0.1, 1.5])
def test_choose_threshold_rejects_bad_share(share):
    with pytest.raises(ValueError, match="capacity_share"):
        choose_threshold([0.1, 0.2], share)


def test_choose_threshold_rejects_bad_scores():
    with pytest.raises(ValueError, match="non-empty"):
        choose_threshold([], 0.05)
    with pytest.raises(ValueError, match="finite"):
        choose_threshold([0.1, np.nan], 0.05)


def test_band_shares_medium_is_three_times_capacity_unless_the_model_says_otherwise():
    assert band_shares(0.05) == (0.05, pytest.approx(0.15))
    assert band_shares(0.5) == (0.5, 1.0)  # at most everyone
    assert band_shares(0.05, 0.2) == (0.05, 0.2)
    with pytest.raises(ValueError, match="at least capacity_share"):
        band_shares(0.1, 0.05)
    with pytest.raises(ValueError, match="capacity_share"):
        band_shares(0.0)


def test_bands():
    out = bands([0.9, 0.5, 0.3, 0.1, 0.5], threshold_high=0.5, threshold_medium=0.3)
    assert out.tolist() == ["HIGH", "HIGH", "MEDIUM", "LOW", "HIGH"]
    with pytest.raises(ValueError, match="must not exceed"):
        bands([0.1], threshold_high=0.2, threshold_medium=0.3)


def test_model_fits_calibrates_and_bands():
    x, y = toy()
    model = MentoringModel(max_iter=60, capacity_share=0.1, random_state=0)
    assert model.get_params()["capacity_share"] == 0.1  # init only stores
    assert not hasattr(model, "pipeline_")
    model.fit(x[:2000], y[:2000], X_calib=x[2000:], y_calib=y[2000:])
    assert isinstance(model.calibrator_, CalibratedClassifierCV)
    assert isinstance(model.calibrator_.estimator, FrozenEstimator)
    proba = model.predict_proba(x)
    assert proba.shape == (3000, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    calib_scores = model.score_samples(x[2000:])
    flagged = (calib_scores >= model.threshold_high_).mean()
    assert 0.1 <= flagged <= 0.15  # ties at the threshold may add a few
    assert model.threshold_medium_ <= model.threshold_high_
    assert set(model.bands(x)) <= {"HIGH", "MEDIUM", "LOW"}
    assert model.reference_.shape == (len(FEATURE_NAMES),)
    assert np.array_equal(model.predict(x), (model.score_samples(x) >= model.threshold_high_))
    assert clone(model).get_params() == model.get_params()


def test_model_without_calibration_slice():
    x, y = toy()
    model = MentoringModel(max_iter=30, random_state=0).fit(x, y)
    assert model.calibrator_ is None
    assert model.predict_proba(x[:5]).shape == (5, 2)


def test_model_is_deterministic_with_random_state():
    x, y = toy()
    a = MentoringModel(max_iter=30, random_state=3).fit(x, y).score_samples(x)
    b = MentoringModel(max_iter=30, random_state=3).fit(x, y).score_samples(x)
    np.testing.assert_array_equal(a, b)


def test_model_validates_in_fit():
    x, y = toy()
    with pytest.raises(ValueError, match="calibration"):
        MentoringModel(calibration="magic").fit(x, y)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="both classes"):
        MentoringModel().fit(x, np.zeros(len(y)))
    with pytest.raises(ValueError, match="only 0 and 1"):
        MentoringModel().fit(x, y * 2)
    with pytest.raises(ValueError, match="features"):
        MentoringModel(max_iter=5).fit(x, y).predict_proba(x[:, :3])


def test_logistic_baseline_learns_the_signal():
    x, y = toy()
    baseline = LogisticBaseline().fit(x[:2000], y[:2000])
    scores = baseline.predict_proba(x[2000:])[:, 1]
    top = np.argsort(-scores)[:100]
    assert y[2000:][top].mean() > 2 * y[2000:].mean()


def test_rule_baseline_fires_at_half():
    x = np.full((4, len(FEATURE_NAMES)), 1.0)
    column = FEATURE_INDEX["active_days_ratio"]
    x[:, column] = [0.4, 0.5, 0.6, np.nan]
    rule = RuleBaseline().fit(x)
    assert rule.predict(x).tolist() == [1, 1, 0, 0]
    np.testing.assert_allclose(rule.predict_proba(x)[:, 1], [0.6, 0.5, 0.4, 0.0])
    with pytest.raises(ValueError, match="columns"):
        RuleBaseline().fit(x[:, :5])


def test_the_blend_spans_the_boosting_model_and_the_plain_trend_model():
    # Given one training set, a model on every feature and the plain trend baseline
    x, y = toy()
    plain = TrendBaseline(random_state=0).fit(x[:2000], y[:2000])
    alone = MentoringModel(max_iter=40, trend_weight=0.0, random_state=0).fit(x[:2000], y[:2000])
    trend = MentoringModel(max_iter=40, trend_weight=1.0, random_state=0).fit(x[:2000], y[:2000])
    blend = MentoringModel(max_iter=40, trend_weight=0.25, random_state=0).fit(x[:2000], y[:2000])
    members = blend.pipeline_.named_steps["blend"]
    # Then weight 1 is exactly the plain baseline, weight 0 the boosting alone
    np.testing.assert_allclose(
        trend.predict_proba(x[2000:]), plain.predict_proba(x[2000:]), atol=1e-6
    )
    assert trend.pipeline_.named_steps["blend"].boosting_ is None
    assert alone.pipeline_.named_steps["blend"].trend_ is None

    # and the blend mixes both members' log-odds with the weight
    def logit(p):
        return np.log(p / (1 - p))

    expected = 0.75 * logit(members.boosting_.predict_proba(x[2000:])[:, 1]) + 0.25 * logit(
        members.trend_.predict_proba(x[2000:][:, list(TREND_COLUMNS)])[:, 1]
    )
    np.testing.assert_allclose(members.decision_function(x[2000:]), expected, atol=1e-6)


def test_the_plain_trend_baseline_reads_only_the_eleven_trend_features():
    x, y = toy()
    assert len(TREND_FEATURES) == 11
    plain = TrendBaseline(random_state=0).fit(x, y)
    shuffled = x.copy()
    others = [i for i in range(x.shape[1]) if i not in TREND_COLUMNS]
    shuffled[:, others] = np.random.default_rng(1).permutation(shuffled[:, others])
    np.testing.assert_array_equal(plain.predict_proba(x), plain.predict_proba(shuffled))
    with pytest.raises(ValueError, match="trend_weight"):
        MentoringModel(trend_weight=1.5).fit(x, y)
