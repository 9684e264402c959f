"""Unit tests for ml.outcomes: supervisors' responses as outcome data and as labels."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ml import pipeline
from ml.outcomes import (
    outcome_labels,
    read_outcomes,
    with_outcome_labels,
    write_outcomes,
)
from ml.schema import SchemaError, read_dir
from ml.synth import write_world


def frame(rows: list[tuple[int, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(e, d, o, r, d) for e, d, o, r in rows],
        columns=["employee_id", "as_of", "outcome", "reason", "recorded_on"],
    )


def test_outcomes_become_labels_and_round_trip(tmp_path):
    outcomes = frame(
        [
            (1, "2025-06-02", "COACHED", ""),
            (1, "2025-06-02", "RESOLVED", "rutin lagi"),
            (2, "2025-06-02", "DISMISSED", "cuti sakit"),
            (3, "2025-06-16", "TRAINING_RECOMMENDED", ""),
        ]
    )
    write_outcomes(outcomes, tmp_path)
    again = read_outcomes(tmp_path)
    assert again is not None
    assert again["reason"].tolist() == ["", "rutin lagi", "cuti sakit", ""]
    labels = outcome_labels(again)
    assert labels.to_dict("list") == {
        "employee_id": [1, 2, 3],
        "as_of": list(pd.to_datetime(["2025-06-02", "2025-06-02", "2025-06-16"])),
        "needs_mentoring": [1, 0, 1],
    }
    assert read_outcomes(tmp_path / "nowhere") is None
    with pytest.raises(SchemaError, match="outcome"):
        write_outcomes(frame([(1, "2025-06-02", "PROMOTED", "")]), tmp_path)
    with pytest.raises(SchemaError, match="as_of"):
        write_outcomes(frame([(1, "2 Juni", "COACHED", "")]), tmp_path)


def test_train_learns_from_outcomes_instead_of_or_besides_the_given_labels(small_world, tmp_path):
    # Given a data directory whose outcomes.csv says what supervisors did on ten dates
    data_dir = tmp_path / "data"
    write_world(small_world, data_dir)
    labels = small_world.dataset.labels
    dates = sorted(labels["as_of"].unique())[-10:]
    picked = labels[labels["as_of"].isin(dates)]
    outcome = np.where(picked["needs_mentoring"] == 1, "COACHED", "DISMISSED")
    write_outcomes(
        pd.DataFrame(
            {
                "employee_id": picked["employee_id"],
                "as_of": picked["as_of"],
                "outcome": outcome,
                "reason": np.where(outcome == "DISMISSED", "tidak perlu", ""),
                "recorded_on": picked["as_of"],
            }
        ),
        data_dir,
    )
    data = read_dir(data_dir)
    # Then "outcomes" puts their labels in place of labels.csv, "both" adds them
    only = with_outcome_labels(data, read_outcomes(data_dir), "outcomes")
    assert len(only.labels) == len(picked)
    both = with_outcome_labels(data, read_outcomes(data_dir), "both")
    assert len(both.labels) == len(data.labels)
    assert with_outcome_labels(data, None, "given") is data
    with pytest.raises(ValueError, match=r"outcomes\.csv"):
        with_outcome_labels(data, None, "outcomes")
    # and training from them records where its labels came from
    report = pipeline.train(
        data_dir, tmp_path / "m", label_source="outcomes", model_params={"max_iter": 20}
    )
    meta = json.loads((tmp_path / "m" / "v0001" / "metadata.json").read_text())
    assert meta["label_source"] == "outcomes"
    assert report["final_fit"]["labelled_dates"] == 10
    assert "feedback loop" in (tmp_path / "m" / "v0001" / "MODEL_CARD.md").read_text()
