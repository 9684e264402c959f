"""The demo installs the shipped mentoring model when the registry has none it can use."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ml import registry
from ml.features import FEATURE_NAMES
from portal.demo import SHIPPED_MODEL, _install_shipped_model


def test_empty_registry_gets_the_shipped_versions(tmp_path: Path) -> None:
    root = tmp_path / "models"
    _install_shipped_model(root)
    assert registry.list_versions(root) == registry.list_versions(SHIPPED_MODEL)
    registry.load(root)  # loads with the trusted types and this code's features


def test_a_model_of_older_features_is_kept_and_the_shipped_one_added(tmp_path: Path) -> None:
    root = tmp_path / "models"
    stale = root / "v0001"
    shutil.copytree(SHIPPED_MODEL / registry.list_versions(SHIPPED_MODEL)[-1], stale)
    meta = json.loads((stale / registry.METADATA_FILE).read_text(encoding="utf-8"))
    meta["feature_names"] = meta["feature_names"][:28]  # as an older release wrote it
    (stale / registry.METADATA_FILE).write_text(json.dumps(meta), encoding="utf-8")

    _install_shipped_model(root)

    assert registry.list_versions(root) == ["v0001", "v0002"]
    model, metadata = registry.load(root)  # the latest: the shipped model
    assert model.n_features_in_ == len(FEATURE_NAMES)
    assert metadata["version"] == "v0002"
    _install_shipped_model(root)  # usable now: nothing more is copied
    assert registry.list_versions(root) == ["v0001", "v0002"]
