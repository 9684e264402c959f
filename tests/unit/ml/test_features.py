"""Unit tests for ml.features: exact values on hand-made series, and leakage."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from ml.features import (
    DETAIL_NAMES,
    FEATURE_INDEX,
    FEATURE_NAMES,
    FEATURES,
    build_features,
    safe_ratio,
)
from ml.schema import Dataset, validate_frames

# 12 weeks from Monday 2025-09-08 to Sunday 2025-11-30: no public holidays inside.
AS_OF = date(2025, 12, 1)
WINDOW_START = date(2025, 9, 8)


def weekdays(start: date, end: date, keep: tuple[int, ...] = (0, 1, 2, 3, 4)) -> list[date]:
    days = []
    day = start
    while day <= end:
        if day.weekday() in keep:
            days.append(day)
        day += timedelta(days=1)
    return days


def hand_made() -> Dataset:
    """Four employees with known logging patterns.

    1: 5 days a week for 8 weeks, then Monday and Tuesday only; one activity a day, quantity
       2, logged the same day; activities on 3 and 10 November rejected.
    2: hired Monday 10 November, logs every working day, two activities a day, logged two
       days later.
    3: hired after as_of (must be excluded).
    4: never logs.
    """
    employees = pd.DataFrame(
        {
            "employee_id": [1, 2, 3, 4],
            "hired_on": ["2020-01-06", "2025-11-10", "2026-01-05", "2015-07-01"],
            "gender": ["PEREMPUAN", "LAKI_LAKI", "PEREMPUAN", ""],
            "golongan": ["III/b", "XI", "II/a", "IV/a"],
            "jabatan_kind": ["PELAKSANA", "FUNGSIONAL_AHLI_PERTAMA", "PELAKSANA", "ADMINISTRATOR"],
            "opd": ["A", "B", "A", "A"],
        }
    )
    rows = []
    early = weekdays(WINDOW_START, date(2025, 11, 2))
    late = weekdays(date(2025, 11, 3), date(2025, 11, 30), keep=(0, 1))
    for day in early + late:
        status = "REJECTED" if day in (date(2025, 11, 3), date(2025, 11, 10)) else "VERIFIED"
        rows.append(
            (1, day, datetime.combine(day, datetime.min.time()) + timedelta(hours=17), status, 2.0)
        )
    for day in weekdays(date(2025, 11, 10), date(2025, 11, 28)):
        logged = datetime.combine(day + timedelta(days=2), datetime.min.time()) + timedelta(hours=9)
        rows += [(2, day, logged, "SUBMITTED", 1.0), (2, day, logged, "SUBMITTED", 3.0)]
    activities = pd.DataFrame(
        rows, columns=["employee_id", "activity_date", "logged_at", "status", "quantity"]
    ).assign(duration_minutes=60)
    return validate_frames(employees, activities)


@pytest.fixture(scope="module")
def hand() -> pd.DataFrame:
    frame = build_features(hand_made(), AS_OF).to_frame()
    return frame.set_index("employee_id")


def test_feature_list_is_documented():
    assert len(FEATURE_NAMES) == len(set(FEATURE_NAMES))
    assert all(f.label for f in FEATURES)


def test_hired_after_as_of_is_excluded(hand):
    assert sorted(hand.index) == [1, 2, 4]
    assert (hand["as_of"] == pd.Timestamp(AS_OF)).all()


def test_activity_drop_exact_numbers(hand):
    one = hand.loc[1]
    assert one["active_days_prev8w"] == 5.0
    assert one["active_days_4w"] == 2.0
    assert one["active_days_ratio"] == pytest.approx(0.4)
    assert one["active_days_last_week"] == 2.0
    assert one["activities_4w"] == 2.0
    assert one["activities_ratio"] == pytest.approx(0.4)
    series = np.array([5.0] * 8 + [2.0] * 4)
    assert one["active_days_slope"] == pytest.approx(np.polyfit(np.arange(12), series, 1)[0])
    assert one["active_days_volatility"] == pytest.approx(series.std() / series.mean())
    assert one["quantity_per_activity_4w"] == 2.0
    assert one["quantity_ratio"] == 1.0
    assert one["latency_median_4w"] == 0.0
    assert one["late_share_4w"] == 0.0
    # Wednesday to Friday without logs, every week of the last four
    assert one["longest_gap_workdays"] == 3.0
    assert one["days_since_last_log"] == 6.0  # last log Tuesday 25 November
    # settled = logged before 24 November: 3, 4, 10, 11, 17, 18 Nov; two rejected
    assert one["rejected_share_4w"] == pytest.approx(2 / 6)
    assert one["rejected_share_prev8w"] == 0.0
    assert one["verified_share_12w"] == pytest.approx(44 / 46)
    # the shares' denominators, for the explanations
    assert one["settled_activities_4w"] == 6.0
    assert one["settled_activities_prev8w"] == 40.0
    assert one["logged_activities_4w"] == 8.0  # Monday and Tuesday of four weeks
    # nothing observed before the data starts: no baseline
    assert np.isnan(one["active_days_baseline"])
    assert one["tenure_years"] == 5.0  # 5.9 years: completed years only
    assert one["jabatan_PELAKSANA"] == 1.0
    assert one["jabatan_ADMINISTRATOR"] == 0.0
    # OPD A ratios: employee 1 at 0.4, employee 4 at 1.0 (both weeks empty) -> median 0.7
    assert one["active_days_ratio_vs_opd"] == pytest.approx(0.4 - 0.7)


def test_new_hire_weeks_before_hire_are_missing(hand):
    two = hand.loc[2]
    assert two["active_days_4w"] == 5.0  # three observed weeks of five days
    assert np.isnan(two["active_days_prev8w"])
    assert np.isnan(two["active_days_ratio"])
    assert two["activities_4w"] == 10.0
    assert two["quantity_per_activity_4w"] == 2.0
    assert two["latency_median_4w"] == 2.0
    assert two["late_share_4w"] == 1.0
    assert two["logged_activities_4w"] == 30.0  # 15 working days, two a day
    assert two["settled_activities_4w"] == 20.0  # logged before 24 November: 10 to 21 November
    assert two["settled_activities_prev8w"] == 0.0
    # settled (logged a week before as_of) but still undecided: neither rejected nor verified
    assert two["rejected_share_4w"] == 0.0
    assert two["verified_share_12w"] == 0.0
    assert two["days_since_last_log"] == 1.0  # logged Sunday 30 November
    assert two["longest_gap_workdays"] == 0.0
    assert two["tenure_years"] == 0.0


def test_never_logging_employee(hand):
    four = hand.loc[4]
    assert four["active_days_4w"] == 0.0
    assert four["active_days_ratio"] == 1.0  # 0 / 0 is "no change"
    assert four["longest_gap_workdays"] == 60.0
    assert four["days_since_last_log"] == 84.0  # since the data starts
    assert np.isnan(four["rejected_share_4w"])


def test_safe_ratio():
    recent = np.array([2.0, 0.0, 3.0, 1.0, np.nan])
    before = np.array([4.0, 0.0, 0.0, 0.1, 1.0])
    np.testing.assert_array_equal(safe_ratio(recent, before), [0.5, 1.0, 3.0, 3.0, np.nan])


def test_holiday_weeks_are_scaled_to_five_working_days():
    # Week of 29 March - 4 April 2025 has Monday 31 March and Tuesday 1 April off.
    employees = pd.DataFrame(
        {
            "employee_id": [1],
            "hired_on": ["2020-01-01"],
            "gender": [""],
            "golongan": [""],
            "jabatan_kind": ["PELAKSANA"],
            "opd": ["A"],
        }
    )
    # one early activity so the data (and the observation) starts before the window
    days = [date(2025, 1, 6)]
    days += [d for d in weekdays(date(2025, 3, 31), date(2025, 4, 6)) if d.day not in (31, 1)]
    activities = pd.DataFrame(
        {
            "employee_id": 1,
            "activity_date": days,
            "logged_at": [
                datetime.combine(d, datetime.min.time()) + timedelta(hours=15) for d in days
            ],
            "status": "VERIFIED",
            "quantity": 1.0,
            "duration_minutes": None,
        }
    )
    features = build_features((employees, activities), date(2025, 4, 7))
    assert features.weekly_active_days[0, -1] == 5.0  # 3 of 3 working days -> a full week
    assert features.weekly_active_days[0, -2] == 0.0


def test_multiple_dates_and_frames_input():
    data = hand_made()
    features = build_features(
        {"employees": data.employees, "activities": data.activities},
        [AS_OF, date(2025, 11, 24), AS_OF],
    )
    as_of = features.keys["as_of"].dt.date.tolist()
    assert as_of == [date(2025, 11, 24)] * 3 + [AS_OF] * 3  # employee 3 is hired later
    assert features.X.shape == (6, len(FEATURE_NAMES))
    assert features.details.shape == (6, len(DETAIL_NAMES))
    values = features.values(5)
    assert set(values) == {*FEATURE_NAMES, *DETAIL_NAMES}


# ---- leakage --------------------------------------------------------------------------------


def features_at(data: Dataset, as_of: date) -> np.ndarray:
    features = build_features(data, as_of)
    return np.hstack([features.X, features.details, features.weekly_active_days])


def test_future_activities_change_nothing(small_world):
    data = small_world.dataset
    as_of = date(2025, 9, 1)
    before = features_at(data, as_of)
    acts = data.activities.copy()
    stamp = pd.Timestamp(as_of)
    after = acts["activity_date"] >= stamp
    logged_after = acts["logged_at"] >= stamp
    # change everything done on/after as_of, and whatever was logged on/after as_of
    changed = acts["quantity"].where(~(after | logged_after), acts["quantity"] * 10)
    status = acts["status"].where(~(after | logged_after), "REJECTED")
    extra = acts.loc[after].head(500).assign(quantity=99.0)
    late_logged = acts.loc[~after].tail(200).assign(logged_at=stamp + pd.Timedelta(hours=1))
    mutated = pd.concat(
        [acts.assign(quantity=changed, status=status), extra, late_logged], ignore_index=True
    )
    mutated["status"] = pd.Categorical(mutated["status"], categories=acts["status"].cat.categories)
    dropped = acts.loc[~after]
    for frame in (mutated, dropped):
        again = features_at(replace(data, activities=frame), as_of)
        np.testing.assert_array_equal(before, again)


def test_undecided_recent_statuses_change_nothing(small_world):
    data = small_world.dataset
    as_of = date(2025, 9, 1)
    before = features_at(data, as_of)
    acts = data.activities
    recent = acts["logged_at"] >= pd.Timestamp(as_of) - pd.Timedelta(days=7)
    flipped = acts["status"].where(~recent, "REJECTED")
    again = features_at(replace(data, activities=acts.assign(status=flipped)), as_of)
    np.testing.assert_array_equal(before, again)


def test_past_activities_do_change_features(small_world):
    data = small_world.dataset
    as_of = date(2025, 9, 1)
    before = features_at(data, as_of)
    acts = data.activities
    past = acts["activity_date"] < pd.Timestamp(as_of) - pd.Timedelta(days=10)
    changed = features_at(
        replace(data, activities=acts.assign(quantity=acts["quantity"].where(~past, 0.5))),
        as_of,
    )
    column = FEATURE_INDEX["quantity_ratio"]
    assert not np.array_equal(before[:, column], changed[:, column], equal_nan=True)


def test_employees_hired_after_as_of_are_excluded(small_world):
    data = small_world.dataset
    as_of = date(2025, 6, 2)
    features = build_features(data, as_of)
    hired = data.employees.set_index("employee_id")["hired_on"]
    ids = features.keys["employee_id"]
    assert (hired.loc[ids] <= pd.Timestamp(as_of)).all()
    late = hired[hired > pd.Timestamp(as_of)].index
    assert len(late) > 0
    assert not set(late) & set(ids)


def test_change_point_recent_drop_and_silent_days(hand):
    one, two, four = hand.loc[1], hand.loc[2], hand.loc[4]
    # 5 days a week for 8 weeks, then 2: the drop is found where it happened, 4 weeks ago
    assert one["active_days_drop"] == pytest.approx(3.0 * np.sqrt(8 * 4 / 12))
    assert one["active_days_drop_weeks"] == 4.0
    assert one["active_days_drop_before"] == 5.0
    assert one["active_days_drop_after"] == 2.0
    assert one["active_days_2w_ratio"] == pytest.approx(2.0 / 4.4)
    # Wednesday to Friday silent each week: scattered, never a silent week
    assert one["silent_scattered_share_4w"] == pytest.approx(12 / 20)
    assert one["silent_block_share_4w"] == 0.0
    assert four["silent_block_share_4w"] == 1.0  # never logs: one long silent block
    assert four["silent_scattered_share_4w"] == 0.0
    assert two["silent_block_share_4w"] == 0.0  # observed from the hire date on
    assert one["latency_mean_2w"] == 0.0
    assert one["latency_slope"] == 0.0
    assert two["latency_mean_2w"] == 2.0
    # no weeks before the window in the data: nothing to compare with
    assert np.isnan(one["latency_z_4w"])
    assert np.isnan(one["active_days_z_4w"])
    assert np.isnan(one["baseline_worst_4w_ratio"])
    # no optional files: their features are missing
    assert np.isnan(one["realisation_pace"])
    assert np.isnan(one["training_jp_12m"])


def test_z_scores_against_the_usual_weeks():
    """Half a year of steady logging, then fewer days and later logging."""
    employees = pd.DataFrame(
        {
            "employee_id": [1],
            "hired_on": ["2020-01-06"],
            "gender": [""],
            "golongan": [""],
            "jabatan_kind": ["PELAKSANA"],
            "opd": ["A"],
        }
    )
    usual = [d for d in weekdays(date(2025, 3, 3), date(2025, 11, 2)) if d.weekday() != 4]
    recent = weekdays(date(2025, 11, 3), date(2025, 11, 30), keep=(0, 1))
    hours = [timedelta(hours=15)] * len(usual) + [timedelta(days=3, hours=9)] * len(recent)
    days = usual + recent
    activities = pd.DataFrame(
        {
            "employee_id": 1,
            "activity_date": days,
            "logged_at": [
                datetime.combine(d, datetime.min.time()) + h
                for d, h in zip(days, hours, strict=True)
            ],
            "status": "VERIFIED",
            "quantity": 2.0,
            "duration_minutes": 60,
        }
    )
    frame = build_features((employees, activities), AS_OF).to_frame().iloc[0]
    # usual: 4 days a week (holiday weeks scaled), a spread of some tenths of a day
    assert frame["active_days_z_4w"] < -2.0
    assert frame["latency_z_4w"] > 2.0  # logged 3 days late instead of the same day
    assert frame["quantity_z_4w"] == 0.0  # same quantity per activity as usual
    assert 0.0 < frame["baseline_worst_4w_ratio"] <= 1.0
