"""Unit tests for ml.synth: determinism, structure and labels of the synthetic world."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from ml.calendar import working_day_mask
from ml.schema import read_dir
from ml.synth import generate, read_episodes, write_world

START, END = date(2025, 1, 1), date(2025, 6, 30)


def frames(world):
    return (world.dataset.employees, world.dataset.activities, world.dataset.labels, world.episodes)


def test_same_seed_same_world():
    a = generate(120, seed=5, start=START, end=END)
    b = generate(120, seed=5, start=START, end=END)
    for left, right in zip(frames(a), frames(b), strict=True):
        pd.testing.assert_frame_equal(left, right)


def test_other_seed_other_world():
    a = generate(120, seed=5, start=START, end=END)
    b = generate(120, seed=6, start=START, end=END)
    assert not a.dataset.activities.equals(b.dataset.activities)
    assert not a.dataset.employees.equals(b.dataset.employees)


def test_world_structure(small_world):
    data = small_world.dataset
    acts = data.activities
    assert len(data.employees) == 300
    assert set(acts["employee_id"]) <= set(data.employees["employee_id"])
    # only working days, never before the hire date, logged on or after the day
    days = acts["activity_date"].to_numpy().astype("datetime64[D]")
    assert working_day_mask(days).all()
    hired = acts["employee_id"].map(data.employees.set_index("employee_id")["hired_on"])
    assert (acts["activity_date"] >= hired).all()
    assert (acts["logged_at"] >= acts["activity_date"]).all()
    assert (acts["logged_at"] < pd.Timestamp("2026-01-01")).all()
    assert set(acts["status"].unique()) == {"SUBMITTED", "VERIFIED", "REJECTED"}
    assert (acts["quantity"] >= 1).all()


def test_labels_follow_the_latent_episodes(small_world):
    labels = small_world.dataset.labels
    assert 0.02 < labels["needs_mentoring"].mean() < 0.4
    as_of = np.sort(labels["as_of"].unique())
    assert (np.diff(as_of) == np.timedelta64(14, "D")).all()
    episodes = small_world.episodes
    horizon = pd.Timedelta(weeks=8)
    sample = labels.sample(400, random_state=0)
    for row in sample.itertuples():  # a readable re-derivation on a sample
        mine = episodes[episodes["employee_id"] == row.employee_id]
        expected = ((mine["onset"] <= row.as_of + horizon) & (mine["end"] > row.as_of)).any()
        assert row.needs_mentoring == int(expected)


def test_struggling_shows_in_the_logs(small_world):
    """Activities inside an episode are rejected more often and logged later."""
    acts = small_world.dataset.activities
    episodes = small_world.episodes
    merged = acts.reset_index().merge(episodes, on="employee_id", how="inner")
    within = (merged["activity_date"] >= merged["onset"] + pd.Timedelta(weeks=2)) & (
        merged["activity_date"] < merged["end"]
    )
    inside = acts.index.isin(merged.loc[within, "index"].unique())
    decided = (acts["status"] != "SUBMITTED").to_numpy()
    rejected = (acts["status"] == "REJECTED").to_numpy()
    assert rejected[inside & decided].mean() > 2 * rejected[~inside & decided].mean()
    latency = (acts["logged_at"].dt.normalize() - acts["activity_date"]).dt.days.to_numpy()
    assert latency[inside].mean() > latency[~inside].mean()
    assert set(episodes["speed"]) == {"ABRUPT", "GRADUAL"}


def test_write_world_round_trip(tmp_path):
    world = generate(100, seed=2, start=START, end=END)
    write_world(world, tmp_path)
    data = read_dir(tmp_path)
    pd.testing.assert_frame_equal(data.employees, world.dataset.employees, check_dtype=False)
    assert len(data.activities) == len(world.dataset.activities)
    pd.testing.assert_frame_equal(data.labels, world.dataset.labels, check_dtype=False)
    for name in ("progress", "feedback", "training"):
        assert len(getattr(data, name)) == len(getattr(world.dataset, name))
    episodes = read_episodes(tmp_path)
    assert episodes is not None
    assert len(episodes) == len(world.episodes)
    assert read_episodes(tmp_path / "missing") is None


def test_rejects_bad_arguments():
    with pytest.raises(ValueError, match="n_employees"):
        generate(0, seed=1)
    with pytest.raises(ValueError, match="end"):
        generate(10, seed=1, start=END, end=START)


def test_optional_sources_do_not_change_the_other_frames():
    with_sources = generate(120, seed=5, start=START, end=END)
    without = generate(120, seed=5, start=START, end=END, optional_sources=False)
    for left, right in zip(frames(with_sources), frames(without), strict=True):
        pd.testing.assert_frame_equal(left, right)
    assert without.dataset.progress is None
    assert without.dataset.feedback is None
    assert without.dataset.training is None
    again = generate(120, seed=5, start=START, end=END)
    for name in ("progress", "feedback", "training"):
        pd.testing.assert_frame_equal(
            getattr(with_sources.dataset, name), getattr(again.dataset, name)
        )


def _inside_episode(world, employee_id, when) -> np.ndarray:
    """Whether each (employee, date) pair lies 2+ weeks into one of the employee's episodes."""
    pairs = pd.DataFrame({"employee_id": employee_id, "when": when}).reset_index()
    merged = pairs.merge(world.episodes, on="employee_id", how="inner")
    inside = (merged["when"] >= merged["onset"] + pd.Timedelta(weeks=2)) & (
        merged["when"] < merged["end"]
    )
    return pairs["index"].isin(merged.loc[inside, "index"]).to_numpy()


def test_optional_sources_follow_the_latent_episodes():
    """Struggling slows realisation, raises improvement threads and lowers training."""
    world = generate(1500, seed=3, start=START, end=date(2025, 12, 31))
    data = world.dataset
    progress = data.progress.sort_values(["employee_id", "measured_on"])
    gained = progress.groupby("employee_id")["realised_share"].diff(4)
    expected = progress.groupby("employee_id")["expected_share"].diff(4)
    pace = (gained / expected).to_numpy()
    inside = _inside_episode(world, progress["employee_id"], progress["measured_on"])
    usable = np.isfinite(pace) & (expected.to_numpy() > 0.05)
    assert np.nanmean(pace[usable & inside]) < 0.9 * np.nanmean(pace[usable & ~inside])

    def rate(frame, column):
        """Events per employee-day inside vs outside episodes (within the simulated year)."""
        frame = frame.loc[
            (frame[column] >= pd.Timestamp(START)) & (frame[column] < pd.Timestamp("2026-01-01"))
        ]
        inside = _inside_episode(world, frame["employee_id"], frame[column])
        days = pd.date_range(START, "2025-12-31")
        grid = pd.MultiIndex.from_product([data.employees["employee_id"], days]).to_frame(
            index=False, name=["employee_id", "when"]
        )
        grid_inside = _inside_episode(world, grid["employee_id"], grid["when"])
        return inside.sum() / grid_inside.sum(), (~inside).sum() / (~grid_inside).sum()

    improvement = data.feedback.loc[data.feedback["kind"] == "IMPROVEMENT"]
    inside_rate, outside_rate = rate(improvement, "opened_at")
    assert inside_rate > 1.5 * outside_rate
    inside_courses, outside_courses = rate(data.training, "completed_on")
    assert inside_courses < 0.8 * outside_courses


def test_progress_snapshots_are_weekly_and_consistent(small_world):
    progress = small_world.dataset.progress
    assert (progress["measured_on"].dt.day_of_week == 6).all()  # Sundays
    assert progress["expected_share"].between(0, 1).all()
    assert (progress["realised_share"] >= 0).all()
    # realisation only grows within a year
    steps = progress.sort_values("measured_on").groupby("employee_id")["realised_share"].diff()
    assert (steps.dropna() >= -1e-12).all()
    # most employees are near the calendar's pace by the end of the year
    last = progress.loc[progress["measured_on"] == progress["measured_on"].max()]
    ratio = last["realised_share"] / last["expected_share"]
    assert 0.7 < ratio.median() < 1.2
