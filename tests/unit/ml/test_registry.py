"""Unit tests for ml.registry: skops round trip with the reviewed trusted-type list."""

from __future__ import annotations

import json

import numpy as np
import pytest
import skops.io as sio

from ml import registry
from ml.features import FEATURE_NAMES
from ml.model import MentoringModel


class NotReviewed:
    """A type nobody added to the trusted list."""

    def __init__(self) -> None:
        self.payload = [1, 2, 3]


@pytest.fixture(scope="module")
def model() -> MentoringModel:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1500, len(FEATURE_NAMES)))
    y = (x[:, 0] + rng.normal(size=1500) > 1).astype(int)
    return MentoringModel(max_iter=20, random_state=0).fit(
        x[:1000], y[:1000], X_calib=x[1000:], y_calib=y[1000:]
    )


def test_round_trip(tmp_path, model):
    x = np.random.default_rng(1).normal(size=(50, len(FEATURE_NAMES)))
    version = registry.save(model, {"training_data_range": {"from": "a", "to": "b"}}, tmp_path)
    assert version == "v0001"
    loaded, meta = registry.load(tmp_path)
    np.testing.assert_array_equal(loaded.predict_proba(x), model.predict_proba(x))
    assert loaded.threshold_high_ == model.threshold_high_
    assert meta["version"] == "v0001"
    assert meta["feature_names"] == list(FEATURE_NAMES)
    assert meta["thresholds"]["high"] == model.threshold_high_
    assert meta["capacity_share"] == 0.05
    folder = tmp_path / version
    assert json.loads((folder / "metadata.json").read_text())["training_data_range"]["to"] == "b"
    card = (folder / "MODEL_CARD.md").read_text()
    assert "## Intended use" in card
    assert "## Out of scope" in card
    assert "Sanctions" in card
    # the version directory itself can be loaded too
    again, _ = registry.load(folder)
    np.testing.assert_array_equal(again.predict_proba(x), model.predict_proba(x))


def test_versions_increase_and_latest_loads(tmp_path, model):
    assert registry.list_versions(tmp_path) == []
    registry.save(model, {"note": "first"}, tmp_path)
    registry.save(model, {"note": "second"}, tmp_path)
    assert registry.list_versions(tmp_path) == ["v0001", "v0002"]
    _, meta = registry.load(tmp_path)
    assert meta["note"] == "second"
    _, meta = registry.load(tmp_path, "v0001")
    assert meta["note"] == "first"
    with pytest.raises(FileNotFoundError):
        registry.load(tmp_path, "v0009")


def test_trusted_list_is_explicit():
    assert isinstance(registry.TRUSTED_TYPES, tuple)
    assert "ml.model.MentoringModel" in registry.TRUSTED_TYPES
    assert all(isinstance(name, str) and "." in name for name in registry.TRUSTED_TYPES)


def test_loading_refuses_untrusted_types(tmp_path, model):
    registry.save(model, {}, tmp_path)
    path = tmp_path / "v0001" / registry.MODEL_FILE
    tampered = MentoringModel(max_iter=5)
    tampered.__dict__.update(model.__dict__)
    tampered.extra_ = NotReviewed()
    sio.dump(tampered, path)
    with pytest.raises(registry.UntrustedModelError, match="NotReviewed"):
        registry.load(tmp_path)
    # skops itself refuses it too with only the reviewed list
    with pytest.raises(sio.exceptions.UntrustedTypesFoundException):
        sio.load(path, trusted=list(registry.TRUSTED_TYPES))


def test_saving_refuses_what_could_not_be_loaded(tmp_path, model):
    tampered = MentoringModel(max_iter=5)
    tampered.__dict__.update(model.__dict__)
    tampered.extra_ = NotReviewed()
    with pytest.raises(registry.UntrustedModelError):
        registry.save(tampered, {}, tmp_path)
    assert registry.list_versions(tmp_path) == []
    assert list(tmp_path.iterdir()) == []  # no staging leftovers


def test_save_requires_a_fitted_model(tmp_path):
    with pytest.raises(TypeError, match="fitted"):
        registry.save(MentoringModel(), {}, tmp_path)
