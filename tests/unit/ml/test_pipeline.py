"""Unit tests for ml.pipeline and ml.evaluate on a small synthetic world."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from ml import pipeline, registry
from ml.evaluate import choose_split, flag_top_share, lead_times, time_split
from ml.features import FEATURE_NAMES
from ml.model import MentoringModel
from ml.schema import OPTIONAL_FILES, write_dir
from ml.synth import write_world


@pytest.fixture(scope="module")
def trained(small_world, tmp_path_factory):
    root = tmp_path_factory.mktemp("ml")
    data_dir, model_dir = root / "data", root / "model"
    write_world(small_world, data_dir)
    report = pipeline.train(
        data_dir, model_dir, capacity_share=0.1, seed=0, model_params={"max_iter": 60}
    )
    return data_dir, model_dir, report


def test_train_reports_hold_out_metrics(trained):
    _, model_dir, report = trained
    assert report["version"] == "v0001"
    assert (model_dir / "v0001" / "model.skops").is_file()
    json.dumps(report)  # JSON-able, for the CLI
    assert report["rows"]["train"] > 0
    assert report["rows"]["calibration"] > 0
    assert report["rows"]["test"] > 0
    assert report["period"]["from"] >= report["split"]["test_from"]
    for scores in (report["model"], *report["baselines"].values()):
        assert 0.0 <= scores["roc_auc"] <= 1.0
        assert 0.0 <= scores["pr_auc"] <= 1.0
    assert set(report["baselines"]) == {"logistic", "rule"}
    assert {"gender", "golongan_group", "jabatan_group", "opd", "largest_gap"} <= set(
        report["subgroups"]
    )
    assert report["lead_time"]["episodes"] > 0
    assert isinstance(report["comparison"]["beats_baselines"], bool)
    meta = json.loads((model_dir / "v0001" / "metadata.json").read_text())
    assert meta["capacity_share"] == 0.1


def test_the_saved_model_is_refit_on_every_labelled_date(trained, small_world):
    # Given a training run: the split measured the recipe on its test slice
    _, model_dir, report = trained
    dates = np.unique(small_world.dataset.labels["as_of"].to_numpy().astype("datetime64[D]"))
    final = report["final_fit"]
    # Then the saved model was fitted on every labelled date, the latest ones calibrating it
    assert final["fit"]["from"] == str(dates[0])
    assert final["calibration"]["to"] == str(dates[-1])
    assert final["fit"]["to"] < final["calibration"]["from"]
    assert final["fit"]["dates"] + final["calibration"]["dates"] == dates.size
    assert final["fit"]["to"] >= report["split"]["test_from"]  # the test slice is learned too
    labelled = len(pipeline.features_for_labels(small_world.dataset)[1])
    assert final["rows"]["fit"] + final["rows"]["calibration"] == labelled
    meta = json.loads((model_dir / "v0001" / "metadata.json").read_text())
    assert meta["final_fit"] == final
    assert meta["training_data_range"] == {"from": str(dates[0]), "to": str(dates[-1])}


def test_final_masks():
    days = np.array(["2025-01-01", "2025-02-01", "2025-02-01", "2025-03-01"], dtype="datetime64[D]")
    fit, calibration = pipeline.final_masks(days, calibration_share=0.2)
    assert fit.tolist() == [True, True, True, False]
    assert calibration.tolist() == [False, False, False, True]
    with pytest.raises(ValueError, match="two"):
        pipeline.final_masks(days[:1])


def test_score_writes_the_csv(trained, tmp_path):
    data_dir, model_dir, _ = trained
    out = tmp_path / "scores.csv"
    scores = pipeline.score(data_dir, model_dir, date(2026, 1, 1), out)
    written = pd.read_csv(out, keep_default_na=False)
    assert list(written.columns) == ["employee_id", "score", "band", "reasons"]
    assert len(written) == len(scores) == 300
    assert set(written["band"]) <= {"LOW", "MEDIUM", "HIGH"}
    assert (written["score"].diff().dropna() <= 0).all()
    high = written[written["band"] == "HIGH"]
    assert len(high) > 0
    assert (written.loc[written["band"] == "LOW", "reasons"] == "").all()
    assert any(" | " in text or text for text in high["reasons"])


def test_score_frames_population_capacity(trained, small_world):
    _, model_dir, _ = trained
    scores = pipeline.score_frames(
        {"employees": small_world.dataset.employees, "activities": small_world.dataset.activities},
        model_dir,
        "2025-11-03",
        capacity_share=0.05,
    )
    assert (scores["band"] == "HIGH").sum() == 15  # top 5 % of the 300 hired by then
    assert (scores["band"] == "MEDIUM").sum() == 30  # the model's rule: up to 3x capacity
    assert scores["band"].head(15).eq("HIGH").all()  # the highest scores, whatever their level
    assert all(isinstance(r, list) for r in scores["reasons"])
    # a model with its own medium share keeps it under the capacity rule
    model, _ = registry.load(model_dir)
    model.medium_share = 0.2
    wider = pipeline.score_frames(small_world.dataset, model, "2025-11-03", capacity_share=0.05)
    assert (wider["band"] == "HIGH").sum() == 15
    assert (wider["band"] == "MEDIUM").sum() == 60 - 15
    with pytest.raises(ValueError, match="one reference date"):
        pipeline.score_frames(small_world.dataset, model_dir, ["2025-11-03", "2025-11-10"])


def test_evaluate_dir_uses_the_hold_out(trained):
    data_dir, model_dir, _ = trained
    again = pipeline.evaluate_dir(data_dir, model_dir)
    json.dumps(again)
    assert again["model_version"] == "v0001"
    # the saved model learned every date of this directory: the scope says so
    assert again["scope"].startswith("all_labelled_rows")
    assert 0.0 <= again["model"]["roc_auc"] <= 1.0
    assert set(again["baselines"]) == {"rule"}


def test_evaluate_dir_only_scores_dates_the_model_never_learned(small_world, tmp_path):
    # Given a model trained on the labels of the first nine months only
    data_dir, later_dir = tmp_path / "data", tmp_path / "later"
    write_world(small_world, later_dir)
    labels = small_world.dataset.labels
    early = dataclasses.replace(
        small_world.dataset, labels=labels[labels["as_of"] < "2025-10-01"].reset_index(drop=True)
    )
    write_dir(early, data_dir)
    report = pipeline.train(
        data_dir, tmp_path / "m", capacity_share=0.1, model_params={"max_iter": 30}
    )
    # When it is evaluated on the directory with every label
    again = pipeline.evaluate_dir(later_dir, tmp_path / "m")
    # Then only dates a label horizon after its last calibration date count
    unseen = np.datetime64(report["final_fit"]["calibration"]["to"]) + np.timedelta64(56, "D")
    assert again["scope"] == f"as_of >= {unseen}"
    assert again["period"]["from"] >= str(unseen)


def test_time_split_masks():
    as_of = np.array(
        ["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"], dtype="datetime64[D]"
    )
    train, calib, test = time_split(as_of, date(2025, 2, 1), date(2025, 4, 1))
    assert train.tolist() == [True, False, False, False]
    assert calib.tolist() == [False, True, True, False]
    assert test.tolist() == [False, False, False, True]
    train, calib, test = time_split(
        as_of, date(2025, 2, 1), date(2025, 4, 1), embargo=timedelta(days=40)
    )
    assert calib.tolist() == [False, True, False, False]  # 1 March is within the embargo
    with pytest.raises(ValueError, match="before"):
        time_split(as_of, date(2025, 4, 1), date(2025, 2, 1))


def test_choose_split_keeps_order_and_embargo():
    dates = np.arange(np.datetime64("2025-03-01"), np.datetime64("2025-12-31"), 14)
    split = choose_split(dates, embargo=timedelta(weeks=8))
    train, calib, test = split.masks(dates)
    assert dates[train].max() < dates[calib].min()
    assert dates[calib].max() <= dates[test].min() - np.timedelta64(56, "D")
    assert train.sum() > 0
    assert test.sum() > 0
    with pytest.raises(ValueError, match="too few"):
        choose_split(dates[:3], embargo=timedelta(weeks=8))


def test_flag_top_share_per_date():
    as_of = np.array([1, 1, 1, 1, 2, 2, 2, 2, 2, 2])
    scores = np.array([0.1, 0.9, 0.5, 0.2, 0.3, 0.3, 0.8, 0.1, 0.7, 0.0])
    flags = flag_top_share(scores, as_of, 0.25)
    assert flags.tolist() == [False, True, False, False, False, False, True, False, True, False]


def test_lead_times():
    episodes = pd.DataFrame(
        {
            "employee_id": [1, 2, 3],
            "onset": pd.to_datetime(["2025-03-10", "2025-03-10", "2025-03-10"]),
            "end": pd.to_datetime(["2025-06-01", "2025-06-01", "2025-06-01"]),
            "speed": ["ABRUPT", "GRADUAL", "GRADUAL"],
        }
    )
    as_of = pd.to_datetime(["2025-03-03", "2025-03-17", "2025-03-31"])
    keys = pd.DataFrame({"employee_id": np.repeat([1, 2, 3], 3), "as_of": np.tile(as_of, 3)})
    flags = np.array([False, True, True, False, False, True, False, False, False])
    report = lead_times(episodes, keys, flags)
    assert report["episodes"] == 3
    assert report["detected_share"] == pytest.approx(2 / 3, abs=1e-4)
    assert report["median_weeks_onset_to_first_high"] == pytest.approx((1 + 3) / 2)
    assert report["by_speed"]["ABRUPT"]["median_weeks_onset_to_first_high"] == 1.0


@pytest.mark.parametrize("optional", [(), OPTIONAL_FILES], ids=["three-required", "all-six"])
def test_train_and_score_with_and_without_the_optional_files(small_world, tmp_path, optional):
    # Given a data directory with only the required files, or all six
    data_dir = tmp_path / "data"
    write_world(small_world, data_dir)
    for name in set(OPTIONAL_FILES) - set(optional):
        (data_dir / f"{name}.csv").unlink()
    assert sorted(p.stem for p in data_dir.glob("*.csv") if p.stem != "episodes") == sorted(
        ("employees", "activities", "labels", *optional)
    )
    # When the model is trained and scores a later date
    report = pipeline.train(
        data_dir, tmp_path / "model", capacity_share=0.1, seed=0, model_params={"max_iter": 30}
    )
    scores = pipeline.score(data_dir, tmp_path / "model", date(2026, 1, 1), tmp_path / "s.csv")
    # Then an absent source leaves its features missing and every employee still gets a score
    assert 0.0 <= report["model"]["roc_auc"] <= 1.0
    assert len(scores) == 300
    assert scores["score"].between(0.0, 1.0).all()


def test_an_all_missing_feature_column_fits_and_predicts():
    rng = np.random.default_rng(0)
    x = rng.random((400, len(FEATURE_NAMES)))
    x[:, 3] = np.nan
    y = (x[:, 0] > 0.6).astype(int)
    model = MentoringModel(max_iter=20, random_state=0)
    model.fit(x[:300], y[:300], X_calib=x[300:], y_calib=y[300:])
    proba = model.predict_proba(x)[:, 1]
    assert np.isfinite(proba).all()
    assert np.isnan(x[:, 3]).all()  # the caller's matrix is left as it was


def test_the_train_command_says_what_was_measured_and_what_was_fitted(trained):
    from portal.cli import _train_summary

    _, _, report = trained
    hold_out, saved = _train_summary(report)
    assert f"from {report['split']['test_from']}, {report['rows']['test']} rows" in hold_out
    assert f"ROC-AUC {report['model']['roc_auc']:.3f}" in hold_out
    final = report["final_fit"]
    assert f"refit on {final['rows']['fit']} rows of {final['fit']['dates']}" in saved
    assert f"all {final['labelled_dates']} labelled dates" in saved
