"""Build the shipped default model (``ml/default_model``) from a synthetic world.

Run by hand after changing ``ml/``; see ``ml/default_model/README.md``.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from ml.pipeline import train
from ml.synth import generate, write_world

TARGET = Path(__file__).resolve().parent / "default_model"


def build(
    n_employees: int = 800, *, seed: int = 7, end: date = date(2026, 11, 26)
) -> dict[str, object]:
    """Generate one year of a synthetic world, train, and install as ``v0001``.

    Parameters
    ----------
    n_employees : int, default 800
        Size of the synthetic world.
    seed : int, default 7
        Random seed of the world and the model.
    end : datetime.date
        Last day of the synthetic history.

    Returns
    -------
    dict
        The hold-out metrics of the training run.
    """
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        world = generate(n_employees, seed=seed, start=date(end.year - 1, end.month, 1), end=end)
        write_world(world, data)
        metrics = train(data, Path(tmp) / "models", seed=seed)
        version_dir = Path(str(metrics["model_dir"]))
        target = TARGET / "v0001"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(version_dir, target)
    return metrics
