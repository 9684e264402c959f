"""Unit tests for ml.schema: the CSV data interface, its validation and round trip."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ml.schema import (
    ACTIVITY_COLUMNS,
    EMPLOYEE_COLUMNS,
    LABEL_COLUMNS,
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
