"""What supervisors did with alerts, as outcome data and as labels for retraining.

``outcomes.csv`` (optional, beside a data directory; ``portal ml export`` writes it) has one
row per supervisor response: ``employee_id``, ``as_of`` (the reference date of the alert's
scoring run), ``outcome`` (:data:`OUTCOMES`), ``reason`` (the supervisor's words, required
for ``DISMISSED``) and ``recorded_on``.

:func:`outcome_labels` turns them into labels (``needs_mentoring`` at the alert's reference
date): support was given (``COACHED``, ``TRAINING_RECOMMENDED``) or the need was addressed
(``RESOLVED``) -> 1, ``DISMISSED`` -> 0; an alert with both counts as given support.
:func:`with_outcome_labels` adds them to (``both``) or puts them in place of (``outcomes``)
the directory's own labels; ``pipeline.train(label_source=...)`` and ``portal ml train
--labels`` use it.

Biases of these labels (also in the model card): they exist only for employees the model
flagged (selection by the previous model: a feedback loop that cannot teach it what it
missed); "coached" records what a supervisor chose to do, not a measured need; supervisors
differ in how readily they coach or dismiss; a dismissal for leave or illness says the
logging pattern had another cause, not that nothing was wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final, Literal

import pandas as pd

from ml.schema import LABEL_COLUMNS, Dataset, SchemaError, read_optional_file

OUTCOMES_FILE: Final = "outcomes.csv"
OUTCOME_COLUMNS: Final = ("employee_id", "as_of", "outcome", "reason", "recorded_on")
POSITIVE: Final = ("COACHED", "TRAINING_RECOMMENDED", "RESOLVED")
NEGATIVE: Final = ("DISMISSED",)
OUTCOMES: Final = (*POSITIVE, *NEGATIVE)
LabelSource = Literal["given", "outcomes", "both"]
LABEL_SOURCES: Final[tuple[str, ...]] = ("given", "outcomes", "both")


def validate_outcomes(frame: pd.DataFrame, *, source: str = OUTCOMES_FILE) -> pd.DataFrame:
    """Typed outcomes; a bad value raises :class:`ml.schema.SchemaError` naming the row.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns :data:`OUTCOME_COLUMNS` (extra ones are ignored).
    source : str
        Name used in error messages.

    Returns
    -------
    pandas.DataFrame
        ``employee_id`` int64, ``as_of`` and ``recorded_on`` datetime64, ``outcome`` and
        ``reason`` strings.
    """
    missing = [c for c in OUTCOME_COLUMNS if c not in frame.columns]
    if missing:
        raise SchemaError(f"{source}: missing columns {', '.join(missing)}")
    out = frame.loc[:, list(OUTCOME_COLUMNS)].copy()
    for column in ("employee_id",):
        values = pd.to_numeric(out[column], errors="coerce")
        bad = values.isna()
        if bad.any():
            raise SchemaError(f"{source}: line {int(bad.to_numpy().argmax()) + 2}: {column}")
        out[column] = values.astype("int64")
    for column in ("as_of", "recorded_on"):
        raw = out[column]
        if not pd.api.types.is_datetime64_any_dtype(raw):  # ISO strings or datetime.date
            raw = raw.map(lambda v: v.isoformat() if hasattr(v, "isoformat") else v)
        values = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")
        bad = values.isna()
        if bad.any():
            raise SchemaError(f"{source}: line {int(bad.to_numpy().argmax()) + 2}: {column}")
        out[column] = values.astype("datetime64[ns]")
    unknown = ~out["outcome"].isin(OUTCOMES)
    if unknown.any():
        raise SchemaError(f"{source}: line {int(unknown.to_numpy().argmax()) + 2}: outcome")
    out["reason"] = out["reason"].fillna("").astype(str)
    return out.reset_index(drop=True)


def read_outcomes(path: str | Path) -> pd.DataFrame | None:
    """``outcomes.csv`` of the data directory ``path``, validated; ``None`` when there is none.

    See :func:`ml.schema.read_optional_file` and :func:`validate_outcomes`.
    """

    def read(file: Path) -> pd.DataFrame:
        frame = pd.read_csv(file, dtype=str, keep_default_na=False)
        return validate_outcomes(frame, source=str(file))

    return read_optional_file(path, OUTCOMES_FILE, read)


def write_outcomes(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``outcomes.csv`` into a data directory (dates as ``YYYY-MM-DD``).

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns :data:`OUTCOME_COLUMNS`.
    path : str or pathlib.Path
        The data directory (created when missing).
    """
    out = validate_outcomes(frame)
    for column in ("as_of", "recorded_on"):
        out[column] = out[column].dt.strftime("%Y-%m-%d")
    Path(path).mkdir(parents=True, exist_ok=True)
    out.to_csv(Path(path) / OUTCOMES_FILE, index=False)


def outcome_labels(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Labels from outcomes: given support or resolved -> 1, dismissed -> 0.

    Parameters
    ----------
    outcomes : pandas.DataFrame
        Validated outcomes.

    Returns
    -------
    pandas.DataFrame
        :data:`ml.schema.LABEL_COLUMNS`, one row per (employee, alert date).
    """
    positive = outcomes["outcome"].isin(POSITIVE).astype("int8")
    labels = (
        outcomes.assign(needs_mentoring=positive)
        .groupby(["employee_id", "as_of"], as_index=False)["needs_mentoring"]
        .max()
    )
    ordered = labels.loc[:, list(LABEL_COLUMNS)]
    return ordered.sort_values(["as_of", "employee_id"], ignore_index=True)


def with_outcome_labels(data: Dataset, outcomes: pd.DataFrame | None, source: str) -> Dataset:
    """The dataset with the labels of ``source`` (``given``, ``outcomes`` or ``both``).

    With ``both`` an outcome replaces a given label of the same employee and date.

    Parameters
    ----------
    data : Dataset
        A validated dataset.
    outcomes : pandas.DataFrame or None
        Validated outcomes (required unless ``source`` is ``given``).
    source : str
        One of :data:`LABEL_SOURCES`.

    Returns
    -------
    Dataset
        The same frames with the chosen labels.
    """
    if source not in LABEL_SOURCES:
        raise ValueError(f"label source must be one of {', '.join(LABEL_SOURCES)}, got {source!r}")
    if source == "given":
        return data
    if outcomes is None or outcomes.empty:
        raise ValueError(f"labels from outcomes need a non-empty {OUTCOMES_FILE}")
    learned = outcome_labels(outcomes)
    if source == "both" and not data.labels.empty:
        given = data.labels.loc[:, list(LABEL_COLUMNS)]
        keys = given.merge(learned[["employee_id", "as_of"]], how="left", indicator=True)
        kept = given[(keys["_merge"] == "left_only").to_numpy()]
        learned = pd.concat([kept, learned], ignore_index=True)
    labels = learned.astype({"needs_mentoring": "int8"}).sort_values(
        ["as_of", "employee_id"], ignore_index=True
    )
    return Dataset(
        employees=data.employees,
        activities=data.activities,
        labels=labels,
        progress=data.progress,
        feedback=data.feedback,
        training=data.training,
    )
