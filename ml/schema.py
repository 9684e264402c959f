"""The stable data interface of the mentoring-support model: three CSV files in a directory.

A data directory holds three UTF-8 CSV files with a header row, and optionally three more
(see *Optional files*). Extra columns are ignored; the columns below are required
(``labels.csv`` may be absent when only scoring).

``employees.csv`` -- one row per employee

=============  ========  ============================================================
column         type      meaning
=============  ========  ============================================================
employee_id    int64     the portal's employee id (unique)
hired_on       date      ``YYYY-MM-DD``; empty when unknown
gender         str       ``LAKI_LAKI``, ``PEREMPUAN`` or empty
golongan       str       PNS ``I/a`` ... ``IV/e``, PPPK ``I`` ... ``XVII``, or empty
jabatan_kind   str       a jabatan kind such as ``PELAKSANA`` or ``FUNGSIONAL_AHLI_MUDA``
opd            str       the OPD (code or name), non-empty
=============  ========  ============================================================

``activities.csv`` -- one row per logged activity (aktivitas harian)

================  ========  =========================================================
column            type      meaning
================  ========  =========================================================
employee_id       int64     who did the work
activity_date     date      ``YYYY-MM-DD``, the day the work was done
logged_at         datetime  ISO 8601 timestamp of logging; without an offset it is
                            local time (WIB, UTC+7), with one it is converted to WIB
status            str       ``SUBMITTED``, ``VERIFIED`` or ``REJECTED`` (current status)
quantity          float     output quantity, >= 0
duration_minutes  int       minutes spent, >= 0, or empty
================  ========  =========================================================

``labels.csv`` -- supervision outcomes, one row per employee and reference date

================  ========  =========================================================
employee_id       int64     the employee
as_of             date      reference date ``YYYY-MM-DD``
needs_mentoring   int       1 when the employee needed mentoring support within the
                            horizon after ``as_of``, else 0
================  ========  =========================================================

Optional files
--------------
Three more files may be present; each one that is absent leaves its features missing (NaN),
and the model still scores. A file that is present but has no rows for an employee means
"nothing happened" (no thread opened, no training completed), not "unknown".

``progress.csv`` -- realisation of the SKP targets, one row per employee and measurement day

================  ========  =========================================================
column            type      meaning
================  ========  =========================================================
employee_id       int64     the employee
measured_on       date      ``YYYY-MM-DD``; the state at the end of that day
realised_share    float     realisation over the annual target (mean over the SKP's
                            indicators that have a target; verified output only), >= 0,
                            may exceed 1
expected_share    float     share of the annual period elapsed by the end of
                            ``measured_on``, in [0, 1] (the pace the calendar expects)
================  ========  =========================================================

``feedback.csv`` -- feedback threads opened about an employee, one row per thread

================  ========  =========================================================
column            type      meaning
================  ========  =========================================================
employee_id       int64     the employee the thread is about
opened_at         datetime  ISO 8601 date or timestamp (WIB when without an offset)
kind              str       ``APPRECIATION``, ``IMPROVEMENT``, ``QUESTION`` or
                            ``DIALOG_KINERJA``
================  ========  =========================================================

``training.csv`` -- completed training, one row per completed course

================  ========  =========================================================
column            type      meaning
================  ========  =========================================================
employee_id       int64     the participant
completed_on      date      ``YYYY-MM-DD``
jp                int       jam pelajaran (hours of learning) of the course, >= 0
================  ========  =========================================================

Activities and labels of employees missing from ``employees.csv`` are kept but ignored by
the features. The portal hands the same frames, built from its database, to
:func:`validate_frames`; the CSV path goes through :func:`read_dir`. Both return a validated
:class:`Dataset` whose columns have the parsed types (dates as ``datetime64[ns]`` at
midnight, ``logged_at`` and ``opened_at`` as naive WIB ``datetime64[ns]``, ``status``
categorical); an absent optional file is ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta, timezone
from functools import partial
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

EMPLOYEE_COLUMNS: Final = ("employee_id", "hired_on", "gender", "golongan", "jabatan_kind", "opd")
ACTIVITY_COLUMNS: Final = (
    "employee_id",
    "activity_date",
    "logged_at",
    "status",
    "quantity",
    "duration_minutes",
)
LABEL_COLUMNS: Final = ("employee_id", "as_of", "needs_mentoring")
PROGRESS_COLUMNS: Final = ("employee_id", "measured_on", "realised_share", "expected_share")
FEEDBACK_COLUMNS: Final = ("employee_id", "opened_at", "kind")
TRAINING_COLUMNS: Final = ("employee_id", "completed_on", "jp")

EMPLOYEE_DTYPES: Final = {
    "employee_id": "int64",
    "hired_on": "datetime64[ns]",
    "gender": "str",
    "golongan": "str",
    "jabatan_kind": "str",
    "opd": "str",
}
ACTIVITY_DTYPES: Final = {
    "employee_id": "int64",
    "activity_date": "datetime64[ns]",
    "logged_at": "datetime64[ns]",
    "status": "category",
    "quantity": "float64",
    "duration_minutes": "float64",  # NaN when empty
}
LABEL_DTYPES: Final = {"employee_id": "int64", "as_of": "datetime64[ns]", "needs_mentoring": "int8"}
PROGRESS_DTYPES: Final = {
    "employee_id": "int64",
    "measured_on": "datetime64[ns]",
    "realised_share": "float64",
    "expected_share": "float64",
}
FEEDBACK_DTYPES: Final = {
    "employee_id": "int64",
    "opened_at": "datetime64[ns]",
    "kind": "category",
}
TRAINING_DTYPES: Final = {"employee_id": "int64", "completed_on": "datetime64[ns]", "jp": "int64"}

FILES: Final = {
    "employees": "employees.csv",
    "activities": "activities.csv",
    "labels": "labels.csv",
    "progress": "progress.csv",
    "feedback": "feedback.csv",
    "training": "training.csv",
}
OPTIONAL_FILES: Final = ("progress", "feedback", "training")

STATUSES: Final = ("SUBMITTED", "VERIFIED", "REJECTED")
FEEDBACK_KINDS: Final = ("APPRECIATION", "IMPROVEMENT", "QUESTION", "DIALOG_KINERJA")
GENDERS: Final = ("LAKI_LAKI", "PEREMPUAN")
JABATAN_KINDS: Final = (
    "JPT_UTAMA",
    "JPT_MADYA",
    "JPT_PRATAMA",
    "ADMINISTRATOR",
    "PENGAWAS",
    "PELAKSANA",
    "FUNGSIONAL_AHLI_UTAMA",
    "FUNGSIONAL_AHLI_MADYA",
    "FUNGSIONAL_AHLI_MUDA",
    "FUNGSIONAL_AHLI_PERTAMA",
    "FUNGSIONAL_PENYELIA",
    "FUNGSIONAL_MAHIR",
    "FUNGSIONAL_TERAMPIL",
    "FUNGSIONAL_PEMULA",
)
PNS_GOLONGAN: Final = tuple(
    f"{group}/{room}"
    for group, rooms in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
    for room in rooms
)
PPPK_GOLONGAN: Final = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
)  # fmt: skip
LOCAL_TZ: Final = timezone(timedelta(hours=7), "WIB")

_OFFSET = re.compile(r"(?:Z|[+-]\d\d(?::?\d\d)?)$")
_MAX_REPORTED = 5


class SchemaError(ValueError):
    """A data file or frame does not follow the interface; the message names file, line, column."""


@dataclass(frozen=True, slots=True)
class Dataset:
    """The validated frames of a data directory.

    Build it with :func:`read_dir` or :func:`validate_frames`; constructing it directly skips
    validation.

    Attributes
    ----------
    employees : pandas.DataFrame
        Columns :data:`EMPLOYEE_COLUMNS`.
    activities : pandas.DataFrame
        Columns :data:`ACTIVITY_COLUMNS`.
    labels : pandas.DataFrame
        Columns :data:`LABEL_COLUMNS`; empty when there are no labels.
    progress, feedback, training : pandas.DataFrame or None
        Columns :data:`PROGRESS_COLUMNS`, :data:`FEEDBACK_COLUMNS`,
        :data:`TRAINING_COLUMNS`; ``None`` when the optional file is absent (its features
        are then missing).
    """

    employees: pd.DataFrame
    activities: pd.DataFrame
    labels: pd.DataFrame
    progress: pd.DataFrame | None = None
    feedback: pd.DataFrame | None = None
    training: pd.DataFrame | None = None


class _Checker:
    """Collects problems of one file and raises them together."""

    def __init__(self, source: str, *, csv: bool) -> None:
        self.source = source
        self.csv = csv
        self.problems: list[str] = []

    def bad(self, column: str, mask: npt.NDArray[np.bool_], values: pd.Series, why: str) -> None:
        rows = np.flatnonzero(mask)
        if rows.size == 0:
            return
        first = int(rows[0])
        where = f"line {first + 2}" if self.csv else f"row {first}"
        more = f" (and {rows.size - 1} more rows)" if rows.size > 1 else ""
        value = values.iloc[first]
        self.problems.append(f"{self.source} {where}, column {column!r}: {value!r} {why}{more}")

    def raise_if_any(self) -> None:
        if self.problems:
            shown = self.problems[:_MAX_REPORTED]
            raise SchemaError("; ".join(shown))


def _require_columns(frame: pd.DataFrame, columns: tuple[str, ...], source: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(f"{source}: missing required column(s) {', '.join(missing)}")


def _as_text(values: pd.Series) -> pd.Series:
    """Strings with surrounding blanks removed; missing values become ``""``.

    Goes through the distinct values (a categorical), so it stays fast on millions of rows.
    """
    codes = values.astype("category")
    cleaned = codes.cat.categories.astype(str).str.strip()
    text = pd.Series(np.asarray(cleaned, dtype=object), dtype=object)
    taken = text.reindex(codes.cat.codes.to_numpy())  # code -1 (missing) -> NaN
    return pd.Series(taken.fillna("").to_numpy(dtype=object), index=values.index, dtype=object)


def _is_empty(values: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_datetime64_any_dtype(
        values.dtype
    ):
        return values.isna()
    return values.isna() | (values.astype(object) == "")


def _parse_int(chk: _Checker, frame: pd.DataFrame, column: str) -> pd.Series:
    raw = frame[column]
    if pd.api.types.is_integer_dtype(raw.dtype) and not raw.isna().any():
        return raw.astype("int64")
    number = pd.to_numeric(raw, errors="coerce").astype("float64")
    bad = number.isna() | (number != np.floor(number)) | (number.abs() > 2**62)
    chk.bad(column, bad.to_numpy(), raw, "is not an integer")
    return number.where(~bad, 0).astype("int64")


def _parse_float(
    chk: _Checker, frame: pd.DataFrame, column: str, *, optional: bool = False
) -> pd.Series:
    raw = frame[column]
    number = pd.to_numeric(raw, errors="coerce").astype("float64")
    empty = _is_empty(raw)
    bad = (number.isna() & ~empty) | (number < 0) | ~np.isfinite(number.fillna(0))
    if not optional:
        bad |= empty
    chk.bad(column, bad.to_numpy(), raw, "is not a number >= 0")
    return number


def _local_naive(stamps: pd.Series) -> pd.Series:
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None)
    return stamps.astype("datetime64[ns]")


def _parse_date(
    chk: _Checker, frame: pd.DataFrame, column: str, *, optional: bool = False
) -> pd.Series:
    raw = frame[column]
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        parsed = _local_naive(raw)
    else:
        parsed = _local_naive(pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce"))
    empty = _is_empty(raw)
    bad = parsed.isna() & ~empty
    if not optional:
        bad |= empty
    chk.bad(column, bad.to_numpy(), raw, "is not a date YYYY-MM-DD")
    return parsed.dt.normalize()


def _parse_timestamp(chk: _Checker, frame: pd.DataFrame, column: str) -> pd.Series:
    raw = frame[column]
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        out = _local_naive(raw)
    else:
        try:
            out = _local_naive(pd.to_datetime(raw, format="ISO8601", errors="coerce"))
        except ValueError:  # naive and offset-carrying stamps mixed: parse the two kinds apart
            text = _as_text(raw)
            aware = text.str.contains(_OFFSET)
            out = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
            out[~aware] = _local_naive(
                pd.to_datetime(text[~aware], format="ISO8601", errors="coerce")
            )
            out[aware] = _local_naive(
                pd.to_datetime(text[aware], format="ISO8601", errors="coerce", utc=True)
            )
    chk.bad(column, out.isna().to_numpy(), raw, "is not an ISO timestamp")
    return out


def _parse_choice(
    chk: _Checker,
    frame: pd.DataFrame,
    column: str,
    choices: tuple[str, ...],
    *,
    optional: bool = False,
) -> pd.Series:
    raw = frame[column]
    text = _as_text(raw)
    allowed = text.isin(choices)
    if optional:
        allowed |= text == ""
    shown = ", ".join(choices) if len(choices) <= 6 else f"{', '.join(choices[:4])}, ..."  # noqa: PLR2004
    chk.bad(column, (~allowed).to_numpy(), raw, f"is not one of {shown}")
    return text.astype(str)


def _choice_category(
    chk: _Checker, frame: pd.DataFrame, column: str, choices: tuple[str, ...]
) -> pd.Categorical:
    """A required choice column as a categorical of ``choices`` (a bad value becomes NaN)."""
    text = _parse_choice(chk, frame, column, choices)
    return pd.Categorical(text.where(text.isin(choices)), categories=choices)


def _one_per_employee(chk: _Checker, frame: pd.DataFrame, out: pd.DataFrame, column: str) -> None:
    """Report rows repeating an ``(employee_id, column)`` pair of ``out``."""
    dup = out.duplicated(["employee_id", column]).to_numpy()
    chk.bad(column, dup, frame[column], f"is a duplicate (employee_id, {column}) pair")


def _employees(chk: _Checker, frame: pd.DataFrame) -> pd.DataFrame:
    ids = _parse_int(chk, frame, "employee_id")
    chk.bad("employee_id", ids.duplicated().to_numpy(), frame["employee_id"], "is duplicated")
    opd = _as_text(frame["opd"])
    chk.bad("opd", (opd == "").to_numpy(), frame["opd"], "is empty")
    return pd.DataFrame(
        {
            "employee_id": ids,
            "hired_on": _parse_date(chk, frame, "hired_on", optional=True),
            "gender": _parse_choice(chk, frame, "gender", GENDERS, optional=True),
            "golongan": _parse_choice(
                chk, frame, "golongan", PNS_GOLONGAN + PPPK_GOLONGAN, optional=True
            ),
            "jabatan_kind": _parse_choice(chk, frame, "jabatan_kind", JABATAN_KINDS),
            "opd": opd,
        }
    )


def _activities(chk: _Checker, frame: pd.DataFrame) -> pd.DataFrame:
    status = _choice_category(chk, frame, "status", STATUSES)
    return pd.DataFrame(
        {
            "employee_id": _parse_int(chk, frame, "employee_id"),
            "activity_date": _parse_date(chk, frame, "activity_date"),
            "logged_at": _parse_timestamp(chk, frame, "logged_at"),
            "status": status,
            "quantity": _parse_float(chk, frame, "quantity"),
            "duration_minutes": _parse_float(chk, frame, "duration_minutes", optional=True),
        }
    )


def _labels(chk: _Checker, frame: pd.DataFrame) -> pd.DataFrame:
    label = _parse_int(chk, frame, "needs_mentoring")
    chk.bad(
        "needs_mentoring",
        (~label.isin((0, 1))).to_numpy(),
        frame["needs_mentoring"],
        "is not 0 or 1",
    )
    out = pd.DataFrame(
        {
            "employee_id": _parse_int(chk, frame, "employee_id"),
            "as_of": _parse_date(chk, frame, "as_of"),
            "needs_mentoring": label.astype("int8"),
        }
    )
    _one_per_employee(chk, frame, out, "as_of")
    return out


def _progress(chk: _Checker, frame: pd.DataFrame) -> pd.DataFrame:
    expected = _parse_float(chk, frame, "expected_share")
    chk.bad(
        "expected_share", (expected > 1.0).to_numpy(), frame["expected_share"], "is more than 1"
    )
    out = pd.DataFrame(
        {
            "employee_id": _parse_int(chk, frame, "employee_id"),
            "measured_on": _parse_date(chk, frame, "measured_on"),
            "realised_share": _parse_float(chk, frame, "realised_share"),
            "expected_share": expected,
        }
    )
    _one_per_employee(chk, frame, out, "measured_on")
    return out


def _feedback(chk: _Checker, frame: pd.DataFrame) -> pd.DataFrame:
    kind = _choice_category(chk, frame, "kind", FEEDBACK_KINDS)
    return pd.DataFrame(
        {
            "employee_id": _parse_int(chk, frame, "employee_id"),
            "opened_at": _parse_timestamp(chk, frame, "opened_at"),
            "kind": kind,
        }
    )


def _training(chk: _Checker, frame: pd.DataFrame) -> pd.DataFrame:
    jp = _parse_int(chk, frame, "jp")
    chk.bad("jp", (jp < 0).to_numpy(), frame["jp"], "is negative")
    return pd.DataFrame(
        {
            "employee_id": _parse_int(chk, frame, "employee_id"),
            "completed_on": _parse_date(chk, frame, "completed_on"),
            "jp": jp,
        }
    )


_Typed = Callable[[_Checker, pd.DataFrame], pd.DataFrame]
_FRAMES: Final[dict[str, tuple[tuple[str, ...], _Typed]]] = {
    "employees": (EMPLOYEE_COLUMNS, _employees),
    "activities": (ACTIVITY_COLUMNS, _activities),
    "labels": (LABEL_COLUMNS, _labels),
    "progress": (PROGRESS_COLUMNS, _progress),
    "feedback": (FEEDBACK_COLUMNS, _feedback),
    "training": (TRAINING_COLUMNS, _training),
}
"""Per frame of the interface: its required columns and what checks and types its rows."""


def _validate(name: str, frame: pd.DataFrame, source: str, *, csv: bool) -> pd.DataFrame:
    """The typed frame ``name`` (a key of :data:`FILES`); every problem found is raised at once."""
    columns, typed = _FRAMES[name]
    _require_columns(frame, columns, source)
    frame = frame.reset_index(drop=True)
    chk = _Checker(source, csv=csv)
    out = typed(chk, frame)
    chk.raise_if_any()
    return out


def empty_labels() -> pd.DataFrame:
    """An empty labels frame with the interface's columns and dtypes.

    Returns
    -------
    pandas.DataFrame
        Zero rows, columns :data:`LABEL_COLUMNS`.
    """
    return pd.DataFrame(
        {
            "employee_id": pd.Series(dtype="int64"),
            "as_of": pd.Series(dtype="datetime64[ns]"),
            "needs_mentoring": pd.Series(dtype="int8"),
        }
    )


def validate_frames(
    employees: pd.DataFrame,
    activities: pd.DataFrame,
    labels: pd.DataFrame | None = None,
    *,
    progress: pd.DataFrame | None = None,
    feedback: pd.DataFrame | None = None,
    training: pd.DataFrame | None = None,
    source: str = "",
) -> Dataset:
    """Validate and type the frames of the interface (the database path).

    Parameters
    ----------
    employees, activities : pandas.DataFrame
        Frames with at least :data:`EMPLOYEE_COLUMNS` / :data:`ACTIVITY_COLUMNS`. Columns may
        be strings (as read from CSV) or already typed (dates, tz-aware timestamps, numbers).
    labels : pandas.DataFrame, optional
        Frame with :data:`LABEL_COLUMNS`; ``None`` means no labels.
    progress, feedback, training : pandas.DataFrame, optional
        Frames of the optional files (:data:`PROGRESS_COLUMNS`, :data:`FEEDBACK_COLUMNS`,
        :data:`TRAINING_COLUMNS`); ``None`` means the source is absent.
    source : str, optional
        Prefix for error messages (e.g. the directory).

    Returns
    -------
    Dataset
        The typed frames.

    Raises
    ------
    SchemaError
        A column is missing or a value does not parse; the message names the frame, the row
        and the column.
    """
    prefix = f"{source}/" if source else ""

    def optional(name: str, frame: pd.DataFrame | None) -> pd.DataFrame | None:
        return None if frame is None else _validate(name, frame, f"{prefix}{name}", csv=False)

    return Dataset(
        employees=_validate("employees", employees, f"{prefix}employees", csv=False),
        activities=_validate("activities", activities, f"{prefix}activities", csv=False),
        labels=empty_labels()
        if labels is None
        else _validate("labels", labels, f"{prefix}labels", csv=False),
        progress=optional("progress", progress),
        feedback=optional("feedback", feedback),
        training=optional("training", training),
    )


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SchemaError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except pd.errors.ParserError as exc:
        raise SchemaError(f"{path}: {exc}") from exc


def read_dir(path: str | Path) -> Dataset:
    """Read and validate a data directory.

    Parameters
    ----------
    path : str or pathlib.Path
        Directory holding ``employees.csv``, ``activities.csv`` and optionally
        ``labels.csv``, ``progress.csv``, ``feedback.csv`` and ``training.csv``.

    Returns
    -------
    Dataset
        The typed frames.

    Raises
    ------
    SchemaError
        A file or column is missing, or a value does not parse; the message names the file,
        the line (1 is the header) and the column.
    FileNotFoundError
        ``employees.csv`` or ``activities.csv`` is missing.
    """
    root = Path(path)

    def read(name: str, file: Path) -> pd.DataFrame:
        return _validate(name, _read_csv(file), str(file), csv=True)

    def optional(name: str) -> pd.DataFrame | None:
        return read_optional_file(root, FILES[name], partial(read, name))

    employees = read("employees", root / FILES["employees"])
    activities = read("activities", root / FILES["activities"])
    labels = optional("labels")
    return Dataset(
        employees=employees,
        activities=activities,
        labels=empty_labels() if labels is None else labels,
        progress=optional("progress"),
        feedback=optional("feedback"),
        training=optional("training"),
    )


def read_optional_file(
    path: str | Path, name: str, read: Callable[[Path], pd.DataFrame]
) -> pd.DataFrame | None:
    """An optional file of a data directory, as ``read`` gives it; ``None`` when there is none.

    Parameters
    ----------
    path : str or pathlib.Path
        A data directory.
    name : str
        The file's name in it.
    read : callable
        Reads (and validates) the file at the path it is given.

    Returns
    -------
    pandas.DataFrame or None
        What ``read`` returns, or ``None`` when the directory has no such file.
    """
    file = Path(path) / name
    if not file.exists():
        return None
    return read(file)


def _iso(values: pd.Series, unit: str) -> npt.NDArray[np.str_]:
    """ISO strings of a naive datetime column, vectorised (``strftime`` is slow on millions)."""
    text = np.datetime_as_string(values.to_numpy().astype(f"datetime64[{unit}]"))
    return np.asarray(text, dtype=np.str_)


def _days(values: pd.Series) -> npt.NDArray[np.str_]:
    return _iso(values, "D")


def _seconds(values: pd.Series) -> npt.NDArray[np.str_]:
    return _iso(values, "s")


def _optional_day(values: pd.Series) -> pd.Series:
    return values.dt.strftime("%Y-%m-%d").fillna("")


def _whole_or_empty(values: pd.Series) -> pd.Series:
    return values.astype("Int64")


_CSV_TEXT: Final[dict[str, dict[str, Callable[[pd.Series], npt.ArrayLike]]]] = {
    "employees": {"hired_on": _optional_day},
    "activities": {
        "activity_date": _days,
        "logged_at": _seconds,
        "duration_minutes": _whole_or_empty,
    },
    "labels": {"as_of": _days},
    "progress": {"measured_on": _days},
    "feedback": {"opened_at": _seconds},
    "training": {"completed_on": _days},
}
"""Per frame: the columns written in another form than pandas' own (dates as ISO text)."""


def write_dir(dataset: Dataset, path: str | Path) -> None:
    """Write a dataset as a data directory readable by :func:`read_dir`.

    Optional frames that are ``None`` are not written (a stale file of that name is removed,
    so the directory says the same as the dataset).

    Parameters
    ----------
    dataset : Dataset
        Validated frames.
    path : str or pathlib.Path
        Target directory, created when missing; existing files are replaced.
    """
    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
    for name, (columns, _) in _FRAMES.items():
        frame: pd.DataFrame | None = getattr(dataset, name)
        if frame is None:  # only an optional frame can be
            (root / FILES[name]).unlink(missing_ok=True)
            continue
        out = frame.loc[:, list(columns)].copy()
        for column, as_text in _CSV_TEXT[name].items():
            out[column] = as_text(out[column])
        out.to_csv(root / FILES[name], index=False)


def golongan_group(golongan: pd.Series) -> pd.Series:
    """Group of a golongan for subgroup metrics: ``I`` to ``IV`` (PNS), ``PPPK`` or ``NA``.

    Parameters
    ----------
    golongan : pandas.Series
        Golongan strings as in ``employees.csv``.

    Returns
    -------
    pandas.Series
        The group of each row.
    """
    text = _as_text(golongan)
    pns = text.str.contains("/", regex=False)
    group = text.str.split("/").str[0]
    return group.where(pns, np.where(text == "", "NA", "PPPK")).astype(str)


__all__ = [
    "ACTIVITY_COLUMNS",
    "ACTIVITY_DTYPES",
    "EMPLOYEE_COLUMNS",
    "EMPLOYEE_DTYPES",
    "FEEDBACK_COLUMNS",
    "FEEDBACK_DTYPES",
    "FEEDBACK_KINDS",
    "GENDERS",
    "JABATAN_KINDS",
    "LABEL_COLUMNS",
    "LABEL_DTYPES",
    "LOCAL_TZ",
    "OPTIONAL_FILES",
    "PROGRESS_COLUMNS",
    "PROGRESS_DTYPES",
    "STATUSES",
    "TRAINING_COLUMNS",
    "TRAINING_DTYPES",
    "Dataset",
    "SchemaError",
    "empty_labels",
    "golongan_group",
    "read_dir",
    "read_optional_file",
    "validate_frames",
    "write_dir",
]
