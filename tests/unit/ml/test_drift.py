"""Unit tests for ml.drift: population stability per feature and the missing-input share."""

from __future__ import annotations

import numpy as np
import pytest

from ml.drift import PSI_THRESHOLD, drift_report, profile, psi
from ml.features import FEATURE_INDEX, FEATURE_NAMES


def population(n: int, seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).normal(size=(n, len(FEATURE_NAMES)))
    x[:, FEATURE_INDEX["training_jp_12w"]] = np.nan  # an optional source never given
    return x


def test_psi():
    assert psi([0.5, 0.5], [0.5, 0.5]) == 0.0
    assert psi([0.5, 0.5], [0.9, 0.1]) == pytest.approx(
        0.4 * np.log(0.9 / 0.5) - 0.4 * np.log(0.1 / 0.5)
    )


def test_the_same_population_does_not_drift():
    reference = profile(population(4000, 0))
    report = drift_report(reference, population(2000, 1))
    assert not report["drifted"]
    assert report["max_psi"] < 0.05
    assert report["features"]["training_jp_12w"]["psi"] is None
    assert report["missing_share"] == pytest.approx(reference["missing_share"], abs=1e-3)


def test_a_shifted_behavioural_input_and_missing_inputs_drift():
    reference = profile(population(4000, 0))
    later = population(2000, 1)
    later[:, FEATURE_INDEX["latency_median_4w"]] += 1.5  # everyone logs later
    report = drift_report(reference, later)
    assert report["drifted_features"] == ["latency_median_4w"]
    assert report["max_psi_feature"] == "latency_median_4w"
    assert report["max_psi"] > PSI_THRESHOLD
    assert report["drifted"]
    # a context input (tenure) moving is reported but does not make the run drifted
    context = population(2000, 1)
    context[:, FEATURE_INDEX["tenure_years"]] += 3.0
    moved = drift_report(reference, context)
    assert moved["max_psi_feature"] == "tenure_years"
    assert not moved["drifted"]
    # an input source that stopped arriving raises the missing share
    gone = population(2000, 1)
    optional = ("feedback_", "realisation_", "training_")
    gone[:, [FEATURE_INDEX[n] for n in FEATURE_NAMES if n.startswith(optional)]] = np.nan
    assert drift_report(reference, gone)["missing_share_rose"]
