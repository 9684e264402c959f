"""Unit tests for ml.schema: the CSV data interface, its validation and round trip."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ml.schema import (
    ACTIVITY_COLUMNS,
    EMPLOYEE_COLUMNS,
    FEEDBACK_COLUMNS,
    FEEDBACK_KINDS,
    LABEL_COLUMNS,
    PROGRESS_COLUMNS,
    TRAINING_COLUMNS,
    SchemaError,
    golongan_group,
    read_dir,
    validate_frames,
    write_dir,
)

EMPLOYEES = """employee_id,hired_on,gender,golongan,jabatan_kind,opd
1,2020-01-06,PEREMPUAN,III/a,PELAKSANA,DINKES
2,,LAKI_LAKI,,FUNGSIONAL_AHLI_MUDA,BKPSDM
3,2024-02-01,,IX,PELAKSANA,DINKES
"""
ACTIVITIES = """employee_id,activity_date,logged_at,status,quantity,duration_minutes
1,2025-03-03,2025-03-03T16:00:00,VERIFIED,3,60
1,2025-03-04,2025-03-05T09:30:00,REJECTED,1.5,
2,2025-03-04,2025-03-04T01:00:00Z,SUBMITTED,2,45
"""
LABELS = """employee_id,as_of,needs_mentoring
1,2025-04-01,0
2,2025-04-01,1
"""


def write(
    tmp_path: Path,
    employees: str = EMPLOYEES,
    activities: str = ACTIVITIES,
    labels: str | None = LABELS,
) -> Path:
    (tmp_path / "employees.csv").write_text(employees, encoding="utf-8")
    (tmp_path / "activities.csv").write_text(activities, encoding="utf-8")
    if labels is not None:
        (tmp_path / "labels.csv").write_text(labels, encoding="utf-8")
    return tmp_path


def test_read_dir_parses_types(tmp_path):
    data = read_dir(write(tmp_path))
    assert list(data.employees.columns) == list(EMPLOYEE_COLUMNS)
    assert list(data.activities.columns) == list(ACTIVITY_COLUMNS)
    assert list(data.labels.columns) == list(LABEL_COLUMNS)
    assert data.employees["hired_on"].isna().tolist() == [False, True, False]
    assert data.activities["quantity"].tolist() == [3.0, 1.5, 2.0]
    assert np.isnan(data.activities["duration_minutes"].iloc[1])
    assert list(data.activities["status"].cat.categories) == ["SUBMITTED", "VERIFIED", "REJECTED"]
    # an offset-carrying timestamp is converted to WIB (UTC+7) and made naive
    assert data.activities["logged_at"].iloc[2] == pd.Timestamp("2025-03-04T08:00:00")
    assert data.activities["logged_at"].iloc[1] == pd.Timestamp("2025-03-05T09:30:00")
    assert data.labels["needs_mentoring"].tolist() == [0, 1]


def test_labels_are_optional(tmp_path):
    data = read_dir(write(tmp_path, labels=None))
    assert data.labels.empty
    assert list(data.labels.columns) == list(LABEL_COLUMNS)


def test_round_trip(tmp_path):
    source = tmp_path / "a"
    source.mkdir()
    data = read_dir(write(source))
    write_dir(data, tmp_path / "b")
    again = read_dir(tmp_path / "b")
    pd.testing.assert_frame_equal(data.employees, again.employees)
    pd.testing.assert_frame_equal(data.activities, again.activities)
    pd.testing.assert_frame_equal(data.labels, again.labels)


@pytest.mark.parametrize(
    ("file", "text", "expected"),
    [
        (
            "activities",
            ACTIVITIES.replace("REJECTED", "DONE"),
            r"activities\.csv line 3, column 'status': 'DONE'",
        ),
        (
            "activities",
            ACTIVITIES.replace("2025-03-04,2025-03-05", "2025-13-04,2025-03-05"),
            r"activities\.csv line 3, column 'activity_date'",
        ),
        ("activities", ACTIVITIES.replace("T16:00:00", "yesterday"), r"line 2, column 'logged_at'"),
        ("activities", ACTIVITIES.replace(",1.5,", ",,"), r"line 3, column 'quantity'"),
        ("activities", ACTIVITIES.replace(",1.5,", ",-1,"), r"line 3, column 'quantity'"),
        (
            "activities",
            ACTIVITIES.replace("\n2,2025", "\nabc,2025"),
            r"line 4, column 'employee_id': 'abc' is not an integer",
        ),
        (
            "employees",
            EMPLOYEES.replace("\n2,", "\n1,"),
            r"employees\.csv line 3, column 'employee_id': '1' is duplicated",
        ),
        ("employees", EMPLOYEES.replace("III/a", "III/z"), r"line 2, column 'golongan'"),
        (
            "employees",
            EMPLOYEES.replace("FUNGSIONAL_AHLI_MUDA", "DIREKTUR"),
            r"line 3, column 'jabatan_kind'",
        ),
        (
            "employees",
            EMPLOYEES.replace("PELAKSANA,DINKES\n2", "PELAKSANA,\n2"),
            r"line 2, column 'opd'",
        ),
        (
            "labels",
            LABELS.replace("1,2025-04-01,0", "1,2025-04-01,2"),
            r"labels\.csv line 2, column 'needs_mentoring'",
        ),
        ("labels", LABELS + "1,2025-04-01,1\n", r"line 4, column 'as_of'.*duplicate"),
    ],
)
def test_bad_rows_name_file_line_and_column(tmp_path, file, text, expected):
    files = {"employees": EMPLOYEES, "activities": ACTIVITIES, "labels": LABELS, file: text}
    with pytest.raises(SchemaError, match=expected):
        read_dir(write(tmp_path, files["employees"], files["activities"], files["labels"]))


def test_missing_column_is_named(tmp_path):
    broken = ACTIVITIES.replace("status,", "state,")
    with pytest.raises(SchemaError, match=r"missing required column\(s\) status"):
        read_dir(write(tmp_path, activities=broken))


def test_schema_error_is_a_value_error(tmp_path):
    with pytest.raises(ValueError, match="status"):
        read_dir(write(tmp_path, activities=ACTIVITIES.replace("VERIFIED", "OK")))


def test_validate_frames_accepts_database_types():
    employees = pd.DataFrame(
        {
            "employee_id": [7],
            "hired_on": [date(2021, 5, 3)],
            "gender": [None],
            "golongan": ["II/c"],
            "jabatan_kind": ["PENGAWAS"],
            "opd": [12],
        }
    )
    activities = pd.DataFrame(
        {
            "employee_id": [7],
            "activity_date": [date(2025, 3, 3)],
            "logged_at": pd.to_datetime([datetime(2025, 3, 3, 9, 0, tzinfo=UTC)]),
            "status": ["VERIFIED"],
            "quantity": [1.0],
            "duration_minutes": [None],
        }
    )
    data = validate_frames(employees, activities, source="db")
    assert data.employees["opd"].tolist() == ["12"]
    assert data.employees["gender"].tolist() == [""]
    assert data.activities["logged_at"].iloc[0] == pd.Timestamp("2025-03-03T16:00:00")
    assert data.labels.empty
    with pytest.raises(SchemaError, match=r"db/activities row 0, column 'status'"):
        validate_frames(employees, activities.assign(status="NOPE"), source="db")


def test_golongan_group():
    groups = golongan_group(pd.Series(["III/a", "IV/e", "I/b", "XI", "", None]))
    assert groups.tolist() == ["III", "IV", "I", "PPPK", "NA", "NA"]


# ---- optional files ---------------------------------------------------------------------------

PROGRESS = """employee_id,measured_on,realised_share,expected_share
1,2025-03-02,0.12,0.1644
2,2025-03-02,0,0.1644
"""
FEEDBACK = """employee_id,opened_at,kind
1,2025-03-03T10:00:00,IMPROVEMENT
2,2025-03-04,APPRECIATION
"""
TRAINING = """employee_id,completed_on,jp
1,2025-02-14,8
3,2025-03-01,24
"""


def write_optional(tmp_path: Path, **texts: str) -> Path:
    root = write(tmp_path)
    files = {"progress": PROGRESS, "feedback": FEEDBACK, "training": TRAINING, **texts}
    for name, text in files.items():
        (root / f"{name}.csv").write_text(text, encoding="utf-8")
    return root


def test_optional_files_are_absent_by_default(tmp_path):
    data = read_dir(write(tmp_path))
    assert data.progress is None
    assert data.feedback is None
    assert data.training is None


def test_optional_files_parse_types(tmp_path):
    data = read_dir(write_optional(tmp_path))
    assert data.progress is not None
    assert list(data.progress.columns) == list(PROGRESS_COLUMNS)
    assert data.progress["realised_share"].tolist() == [0.12, 0.0]
    assert data.progress["measured_on"].iloc[0] == pd.Timestamp("2025-03-02")
    assert data.feedback is not None
    assert list(data.feedback.columns) == list(FEEDBACK_COLUMNS)
    assert data.feedback["opened_at"].tolist() == [
        pd.Timestamp("2025-03-03T10:00:00"),
        pd.Timestamp("2025-03-04"),
    ]
    assert list(data.feedback["kind"].cat.categories) == list(FEEDBACK_KINDS)
    assert data.training is not None
    assert list(data.training.columns) == list(TRAINING_COLUMNS)
    assert data.training["jp"].tolist() == [8, 24]


def test_optional_files_round_trip(tmp_path):
    source = tmp_path / "a"
    source.mkdir()
    data = read_dir(write_optional(source))
    write_dir(data, tmp_path / "b")
    again = read_dir(tmp_path / "b")
    for name in ("progress", "feedback", "training"):
        pd.testing.assert_frame_equal(getattr(data, name), getattr(again, name))
    # a dataset without an optional frame removes a stale file of that name
    write_dir(replace(data, training=None), tmp_path / "b")
    assert not (tmp_path / "b" / "training.csv").exists()
    assert read_dir(tmp_path / "b").training is None


@pytest.mark.parametrize(
    ("file", "text", "expected"),
    [
        (
            "progress",
            PROGRESS.replace("0.12,0.1644", "0.12,1.5"),
            r"progress\.csv line 2, column 'expected_share': '1\.5' is more than 1",
        ),
        (
            "progress",
            PROGRESS.replace("0,0.1644", "-0.1,0.1644"),
            r"progress\.csv line 3, column 'realised_share'",
        ),
        (
            "progress",
            PROGRESS.replace("2,2025-03-02", "1,2025-03-02"),
            r"progress\.csv line 3, column 'measured_on'.*duplicate",
        ),
        (
            "progress",
            PROGRESS.replace("2025-03-02", "2025-02-30", 1),
            r"line 2, column 'measured_on'",
        ),
        (
            "feedback",
            FEEDBACK.replace("APPRECIATION", "PRAISE"),
            r"feedback\.csv line 3, column 'kind': 'PRAISE' is not one of",
        ),
        (
            "feedback",
            FEEDBACK.replace("T10:00:00", "pagi"),
            r"feedback\.csv line 2, column 'opened_at'",
        ),
        (
            "training",
            TRAINING.replace(",24", ",-4"),
            r"training\.csv line 3, column 'jp': '-4' is negative",
        ),
        (
            "training",
            TRAINING.replace(",8", ",8.5"),
            r"training\.csv line 2, column 'jp'.*not an integer",
        ),
        (
            "training",
            TRAINING.replace("2025-02-14", ""),
            r"training\.csv line 2, column 'completed_on'",
        ),
    ],
)
def test_bad_optional_rows_name_file_line_and_column(tmp_path, file, text, expected):
    with pytest.raises(SchemaError, match=expected):
        read_dir(write_optional(tmp_path, **{file: text}))


def test_optional_missing_column_is_named(tmp_path):
    with pytest.raises(SchemaError, match=r"training\.csv: missing required column\(s\) jp"):
        read_dir(write_optional(tmp_path, training=TRAINING.replace(",jp", ",hours")))


def test_validate_frames_checks_optional_frames():
    employees = pd.DataFrame(
        {
            "employee_id": [7],
            "hired_on": [date(2021, 5, 3)],
            "gender": ["PEREMPUAN"],
            "golongan": ["II/c"],
            "jabatan_kind": ["PENGAWAS"],
            "opd": ["A"],
        }
    )
    activities = pd.DataFrame({c: [] for c in ACTIVITY_COLUMNS})
    threads = pd.DataFrame(
        {
            "employee_id": [7],
            "opened_at": pd.to_datetime([datetime(2025, 3, 3, 1, 0, tzinfo=UTC)]),
            "kind": ["QUESTION"],
        }
    )
    data = validate_frames(employees, activities, feedback=threads, source="db")
    assert data.feedback is not None
    assert data.feedback["opened_at"].iloc[0] == pd.Timestamp("2025-03-03T08:00:00")
    with pytest.raises(SchemaError, match=r"db/feedback row 0, column 'kind'"):
        validate_frames(employees, activities, feedback=threads.assign(kind="CHAT"), source="db")
