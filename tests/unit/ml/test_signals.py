"""Unit tests for the optional sources' features (ml.signals): values, absence and leakage."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from ml.features import FEATURE_INDEX, build_features
from ml.schema import Dataset, validate_frames
from ml.signals import SIGNAL_FEATURES

AS_OF = date(2025, 12, 1)  # a Monday


def employees() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "employee_id": [1, 2, 3],
            "hired_on": ["2020-01-06", "2019-03-01", "2018-07-01"],
            "gender": ["PEREMPUAN", "LAKI_LAKI", ""],
            "golongan": ["III/b", "XI", "IV/a"],
            "jabatan_kind": ["PELAKSANA", "PELAKSANA", "ADMINISTRATOR"],
            "opd": ["A", "A", "B"],
        }
    )


def activities() -> pd.DataFrame:
    days = pd.date_range("2025-06-02", "2025-11-28", freq="B")
    return pd.DataFrame(
        {
            "employee_id": 1,
            "activity_date": days,
            "logged_at": days + pd.Timedelta(hours=16),
            "status": "VERIFIED",
            "quantity": 1.0,
            "duration_minutes": 60,
        }
    )


def progress() -> pd.DataFrame:
    """Employee 1 at the calendar's pace, then slowing; employee 2 only an old snapshot."""
    rows = [
        (1, "2025-10-26", 0.78, 0.8192),  # 4 weeks before the latest
        (1, "2025-11-23", 0.82, 0.8959),  # the latest before as_of
        (1, "2025-11-30", 0.83, 0.9151),  # the day before as_of: counts (end of that day)
        (1, "2025-12-01", 0.10, 0.9178),  # on as_of: must not count
        (2, "2025-10-05", 0.70, 0.7616),  # older than 14 days: no pace
    ]
    return pd.DataFrame(
        rows, columns=["employee_id", "measured_on", "realised_share", "expected_share"]
    )


def feedback() -> pd.DataFrame:
    rows = [
        (1, "2025-11-30T23:59:00", "IMPROVEMENT"),  # the last minute before as_of
        (1, "2025-11-10T09:00:00", "QUESTION"),
        (1, "2025-10-01T09:00:00", "IMPROVEMENT"),  # 12-week window, not the 4-week one
        (1, "2025-08-01T09:00:00", "IMPROVEMENT"),  # older than 12 weeks
        (1, "2025-12-01T00:00:00", "IMPROVEMENT"),  # at as_of: must not count
        (2, "2025-11-20T10:00:00", "APPRECIATION"),
        (2, "2025-11-19T10:00:00+00:00", "DIALOG_KINERJA"),  # converted to WIB
    ]
    return pd.DataFrame(rows, columns=["employee_id", "opened_at", "kind"])


def training() -> pd.DataFrame:
    rows = [
        (1, "2025-11-30", 8),
        (1, "2025-03-01", 16),  # within 12 months, not 12 weeks
        (1, "2024-11-30", 40),  # more than a year before
        (1, "2025-12-01", 24),  # on as_of: must not count
        (2, "2025-01-15", 2),
    ]
    return pd.DataFrame(rows, columns=["employee_id", "completed_on", "jp"])


def dataset(**optional: pd.DataFrame | None) -> Dataset:
    frames = {"progress": progress(), "feedback": feedback(), "training": training()}
    frames.update(optional)
    return validate_frames(employees(), activities(), **frames)


def values(data: Dataset, as_of: date = AS_OF) -> pd.DataFrame:
    return build_features(data, as_of).to_frame().set_index("employee_id")


@pytest.fixture(scope="module")
def hand() -> pd.DataFrame:
    return values(dataset())


def test_realisation_pace(hand):
    one = hand.loc[1]
    assert one["realisation_pace"] == pytest.approx(0.83 / 0.9151)
    assert one["realisation_pace_4w"] == pytest.approx((0.83 - 0.78) / (0.9151 - 0.8192))
    assert one["realised_share"] == 0.83
    assert one["expected_share"] == 0.9151
    # a snapshot older than two weeks says nothing about the pace now
    assert np.isnan(hand.loc[2, "realisation_pace"])
    assert np.isnan(hand.loc[3, "realisation_pace"])  # no snapshot at all


def test_feedback_threads(hand):
    one, two, three = hand.loc[1], hand.loc[2], hand.loc[3]
    assert one["feedback_threads_4w"] == 2.0  # improvement + question, not the one at as_of
    assert one["feedback_improvement_12w"] == 2.0
    assert one["feedback_appreciation_12w"] == 0.0
    assert two["feedback_threads_4w"] == 1.0  # dialog kinerja; appreciation is not a concern
    assert two["feedback_appreciation_12w"] == 1.0
    assert three["feedback_threads_4w"] == 0.0  # the source is there: none opened
    # the supervisor's usual rate: the August thread, in the 26 weeks before the window --
    # of which the file covers only 38 days (from 1 August, its first thread, to 8 September)
    assert one["feedback_threads_baseline"] == pytest.approx(28 / 38)
    assert two["feedback_threads_baseline"] == 0.0


def test_training_jp(hand):
    one = hand.loc[1]
    assert one["training_jp_12w"] == 8.0
    assert one["training_jp_12m"] == 24.0
    assert one["training_jp_year"] == 24.0
    assert one["training_jp_expected"] == pytest.approx(20 * 334 / 365)
    assert hand.loc[2, "training_jp_12m"] == 2.0
    assert hand.loc[3, "training_jp_12m"] == 0.0


def test_absent_sources_give_missing_features():
    data = validate_frames(employees(), activities())
    assert data.progress is None
    assert data.feedback is None
    assert data.training is None
    frame = values(data)
    assert frame.loc[:, list(SIGNAL_FEATURES)].isna().all().all()
    # the other features do not depend on the optional sources
    full = values(dataset())
    activity_columns = [c for c in FEATURE_INDEX if c not in SIGNAL_FEATURES]
    pd.testing.assert_frame_equal(frame[activity_columns], full[activity_columns])


def test_present_but_empty_sources_mean_nothing_happened():
    empty = {
        "progress": progress().iloc[:0],
        "feedback": feedback().iloc[:0],
        "training": training().iloc[:0],
    }
    frame = values(dataset(**empty))
    assert (frame["feedback_threads_4w"] == 0).all()
    assert (frame["training_jp_12m"] == 0).all()
    assert frame["realisation_pace"].isna().all()


# ---- leakage: rows dated on or after as_of change nothing --------------------------------------


def signal_matrix(data: Dataset) -> np.ndarray:
    features = build_features(data, AS_OF)
    return np.hstack([features.X, features.details])


def test_future_progress_changes_nothing():
    data = dataset()
    before = signal_matrix(data)
    later = pd.DataFrame(
        {
            "employee_id": [1, 2, 3, 1],
            "measured_on": pd.to_datetime(["2025-12-01", "2025-12-07", "2025-12-01", "2026-01-04"]),
            "realised_share": [0.0, 5.0, 0.0, 0.0],
            "expected_share": [0.9, 0.95, 0.9, 0.01],
        }
    )
    assert data.progress is not None
    mutated = data.progress.loc[data.progress["measured_on"] < pd.Timestamp(AS_OF)]
    for frame in (mutated, pd.concat([mutated, later], ignore_index=True)):
        np.testing.assert_array_equal(before, signal_matrix(replace(data, progress=frame)))
    earlier = data.progress.assign(realised_share=data.progress["realised_share"] / 2)
    changed = signal_matrix(replace(data, progress=earlier))
    column = FEATURE_INDEX["realisation_pace"]
    assert not np.array_equal(before[:, column], changed[:, column], equal_nan=True)


def test_future_feedback_changes_nothing():
    data = dataset()
    before = signal_matrix(data)
    assert data.feedback is not None
    stamp = pd.Timestamp(AS_OF)
    later = pd.DataFrame(
        {
            "employee_id": [1, 2, 3],
            "opened_at": [stamp, stamp + pd.Timedelta(days=3), stamp + pd.Timedelta(seconds=1)],
            "kind": pd.Categorical(
                ["IMPROVEMENT"] * 3, categories=data.feedback["kind"].cat.categories
            ),
        }
    )
    kept = data.feedback.loc[data.feedback["opened_at"] < stamp]
    for frame in (kept, pd.concat([kept, later], ignore_index=True)):
        np.testing.assert_array_equal(before, signal_matrix(replace(data, feedback=frame)))
    earlier = pd.concat([kept, later.assign(opened_at=stamp - pd.Timedelta(minutes=1))])
    changed = signal_matrix(replace(data, feedback=earlier))
    column = FEATURE_INDEX["feedback_threads_4w"]
    assert not np.array_equal(before[:, column], changed[:, column])


def test_future_training_changes_nothing():
    data = dataset()
    before = signal_matrix(data)
    assert data.training is not None
    later = pd.DataFrame(
        {
            "employee_id": [1, 2, 3],
            "completed_on": pd.to_datetime(["2025-12-01", "2025-12-15", "2026-02-01"]),
            "jp": [40, 40, 40],
        }
    )
    kept = data.training.loc[data.training["completed_on"] < pd.Timestamp(AS_OF)]
    for frame in (kept, pd.concat([kept, later], ignore_index=True)):
        np.testing.assert_array_equal(before, signal_matrix(replace(data, training=frame)))
    earlier = pd.concat(
        [kept, later.assign(completed_on=pd.Timestamp(AS_OF) - pd.Timedelta(days=1))]
    )
    changed = signal_matrix(replace(data, training=earlier))
    column = FEATURE_INDEX["training_jp_12w"]
    assert not np.array_equal(before[:, column], changed[:, column])


def test_optional_sources_of_the_synthetic_world_do_not_leak(small_world):
    """Everything dated on or after as_of is dropped: the features stay the same."""
    data = small_world.dataset
    as_of = pd.Timestamp(date(2025, 9, 1))
    before = build_features(data, as_of.date())
    assert data.progress is not None
    assert data.feedback is not None
    assert data.training is not None
    cut = replace(
        data,
        progress=data.progress.loc[data.progress["measured_on"] < as_of],
        feedback=data.feedback.loc[data.feedback["opened_at"] < as_of],
        training=data.training.loc[data.training["completed_on"] < as_of],
    )
    after = build_features(cut, as_of.date())
    np.testing.assert_array_equal(before.X, after.X)
    np.testing.assert_array_equal(before.details, after.details)


def test_employees_outside_employees_csv_are_ignored():
    extra = training()
    extra.loc[len(extra)] = [99, "2025-11-01", 40]
    frame = values(dataset(training=extra))
    assert 99 not in frame.index
    assert frame.loc[1, "training_jp_12m"] == 24.0


def test_a_thread_opened_at_midnight_belongs_to_the_next_day():
    """A thread opened one second before midnight counts; one at midnight does not."""
    stamp = pd.Timestamp(AS_OF)
    edge = pd.DataFrame(
        {
            "employee_id": [3, 3],
            "opened_at": [stamp - timedelta(seconds=1), stamp],
            "kind": ["QUESTION", "QUESTION"],
        }
    )
    frame = values(dataset(feedback=edge))
    assert frame.loc[3, "feedback_threads_4w"] == 1.0
