"""Mentoring scoring: the portal's data -> ``ml`` -> stored scores and alerts to supervisors.

The same feature code serves the CSV path and this one: :func:`read_frames` assembles the
frames of the ``ml`` data interface, the optional ones included, from what each domain's
``facts`` module reads from its own tables (people, performance, feedback, training); this
module maps those frames onto the ``ml`` columns and adds the labels. :func:`score_db` stores
every score and raises an alert for each HIGH band employee without an open alert (through
:func:`portal.mentoring.services.alerts.raise_alert`). Bands follow the mentoring capacity:
HIGH is the top ``capacity_share`` (the model's metadata, 5 %) of the employees scored in the
run, MEDIUM the next slice by the model's rule (up to three times that), whatever the scores'
level -- the model's fixed thresholds, chosen on its training data, flagged a quarter of a
city that looks different (``ScoringSummary.above_threshold`` still counts them, for drift);
it times its phases for ``portal ml score-db``
and records the run with those phase times and its input drift against the model's training
data (``mentoring_scoring_run``, aggregates only; :mod:`ml.drift`).

This module imports pandas and scikit-learn (through ``ml``), which cost seconds: only the
batch paths import it (``portal ml``, the nightly job, the demo seed, and the scoring mutation
when it runs), never the web app at start-up (``tests/unit/test_import_weight.py``).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

import pandas as pd

from ml import registry
from ml.features import LOOKBACK_DAYS
from ml.model import MentoringModel
from ml.outcomes import OUTCOME_COLUMNS, write_outcomes
from ml.pipeline import score_frames
from ml.schema import (
    ACTIVITY_COLUMNS,
    FEEDBACK_COLUMNS,
    FEEDBACK_KINDS,
    LOCAL_TZ,
    PROGRESS_COLUMNS,
    TRAINING_COLUMNS,
    Dataset,
    validate_frames,
)
from ml.signals import PACE_WINDOW_DAYS
from portal.core import audit
from portal.core.auth import Viewer
from portal.core.db import bulk_insert, transaction
from portal.core.errors import DomainError, PermissionDeniedError
from portal.feedback import analytics as feedback_analytics
from portal.mentoring.services.alerts import default_model_root, raise_alert
from portal.mentoring.tables import MentoringOutcome, MentoringScoringRun
from portal.people import facts as people_facts
from portal.performance import analytics as performance_analytics
from training import analytics as training_analytics

# what the features look back at: 12 weeks plus the 26 weeks of usual habits before them
ACTIVITY_LOOKBACK = timedelta(days=LOOKBACK_DAYS)
FEEDBACK_LOOKBACK = timedelta(weeks=12)
TRAINING_LOOKBACK = timedelta(days=365)
NEEDS_SUPPORT_PREDIKAT = ("BUTUH_PERBAIKAN", "KURANG_MISCONDUCT", "SANGAT_KURANG")
SUNDAY = 6


@dataclass(frozen=True, slots=True)
class ScoringSummary:
    """What a scoring run did."""

    as_of: date
    model_version: str
    scored: int
    high: int
    medium: int
    alerts_raised: int
    seconds: float
    above_threshold: int = 0
    """Employees at or above the model's own HIGH threshold (what it would flag without the
    capacity rule; far from ``capacity_share`` of ``scored``, the population drifted)."""
    capacity_share: float | None = None
    """The share of ``scored`` banded HIGH (the model's mentoring capacity)."""
    phases: dict[str, float] = field(default_factory=dict)
    drift: dict[str, Any] | None = None
    """Input drift against the model's training data (None: the model has no profile)."""


def weekly_days(first: date, last: date) -> list[date]:
    """Every Sunday from ``first`` to ``last`` (the export's snapshot days)."""
    day = first + timedelta(days=(SUNDAY - first.weekday()) % 7)
    out = []
    while day <= last:
        out.append(day)
        day += timedelta(weeks=1)
    return out


def start_of_day(day: date) -> datetime:
    """Midnight (WIB) that starts ``day``, in UTC."""
    return datetime.combine(day, clock(0), LOCAL_TZ).astimezone(UTC)


def _columns(frame: pd.DataFrame, names: tuple[str, ...]) -> pd.DataFrame:
    """``frame`` with exactly the columns of one ``ml`` input, in its order (KeyError on drift)."""
    return frame.loc[:, list(names)]


def _now() -> datetime:
    return datetime.now(UTC)


def _phase_times(phases: dict[str, float], *, write: float) -> dict[str, float]:
    """The seconds of each phase kept with the run (``write``: up to the run's own row)."""
    return {name: round(value, 3) for name, value in {**phases, "write": write}.items()}


# --- data interface ----------------------------------------------------------------------------


async def _employees() -> pd.DataFrame:
    employees = await people_facts.active_employees()
    return pd.DataFrame(
        {
            "employee_id": [e.employee_id for e in employees],
            "hired_on": [e.hired_on or e.tmt_cpns or e.created_at.date() for e in employees],
            "gender": [e.gender or "PEREMPUAN" for e in employees],
            "golongan": [e.golongan or "" for e in employees],
            "jabatan_kind": [e.jabatan_kind for e in employees],
            "opd": [e.opd_code for e in employees],
        }
    )


async def read_frames(as_of: date | None = None, *, with_labels: bool = False) -> dict[str, Any]:
    """The frames of the ``ml`` data interface, read through the domains' facts (not validated).

    With ``as_of`` only what the features look at is read: the activity window (38 weeks),
    feedback threads of the last 12 weeks, training completed in the last year, and two
    realisation snapshots (the day before ``as_of`` and four weeks before that). Without it
    everything is read, with weekly (Sunday) realisation snapshots over the activity
    history. Labels come from past evaluations (BUTUH_PERBAIKAN or worse = needed support);
    supervisors' responses to alerts are exported apart, as outcomes (:func:`outcome_frame`).
    """
    employees = await _employees()
    acts = _columns(
        await performance_analytics.activity_log(
            None if as_of is None else as_of - ACTIVITY_LOOKBACK, as_of
        ),
        ACTIVITY_COLUMNS,
    )
    if as_of is not None:
        last = as_of - timedelta(days=1)
        snapshot_days = [last, last - timedelta(days=PACE_WINDOW_DAYS)]
    elif acts.empty:
        snapshot_days = []
    else:
        days = pd.to_datetime(acts["activity_date"])
        snapshot_days = weekly_days(days.min().date(), days.max().date() + timedelta(days=6))
    labels = (
        await _labels()
        if with_labels
        else pd.DataFrame({"employee_id": [], "as_of": [], "needs_mentoring": []})
    )
    feedback = await feedback_analytics.threads_opened(
        None if as_of is None else start_of_day(as_of - FEEDBACK_LOOKBACK), kinds=FEEDBACK_KINDS
    )
    training = await training_analytics.completed_courses(
        None if as_of is None else as_of - TRAINING_LOOKBACK
    )
    return {
        "employees": employees,
        "activities": acts,
        "labels": labels,
        "progress": _columns(
            await performance_analytics.realisation_snapshots(snapshot_days), PROGRESS_COLUMNS
        ),
        "feedback": _columns(feedback, FEEDBACK_COLUMNS),
        "training": _columns(training, TRAINING_COLUMNS),
    }


async def build_dataset(as_of: date | None = None, *, with_labels: bool = False) -> Dataset:
    """The ``ml`` data interface from the portal's tables, validated (see :func:`read_frames`).

    The same frames a data directory holds, optional files included, so the same feature code
    serves the CSV path and this one.
    """
    return validate_frames(**await read_frames(as_of, with_labels=with_labels))


async def _labels() -> pd.DataFrame:
    """Labels from past evaluations; supervisors' responses are the outcomes (`outcome_frame`)."""
    labels = {
        (r.employee_id, r.period_starts_on): int(r.predikat in NEEDS_SUPPORT_PREDIKAT)
        for r in await performance_analytics.final_predikats()
    }
    return pd.DataFrame(
        {
            "employee_id": [k[0] for k in labels],
            "as_of": [k[1] for k in labels],
            "needs_mentoring": list(labels.values()),
        }
    )


async def outcome_frame() -> pd.DataFrame:
    """Every recorded outcome of an alert, as ``outcomes.csv`` holds it (see ``ml.outcomes``)."""
    rows = await MentoringOutcome.select(
        MentoringOutcome.employee.as_alias("employee_id"),
        MentoringOutcome.as_of,
        MentoringOutcome.outcome,
        MentoringOutcome.reason,
        MentoringOutcome.recorded_at,
    ).order_by(MentoringOutcome.id)
    return pd.DataFrame(
        {
            "employee_id": [r["employee_id"] for r in rows],
            "as_of": [r["as_of"] for r in rows],
            "outcome": [r["outcome"] for r in rows],
            "reason": [r["reason"] or "" for r in rows],
            "recorded_on": [r["recorded_at"].astimezone(LOCAL_TZ).date() for r in rows],
        },
        columns=list(OUTCOME_COLUMNS),
    )


async def export_dir(out: Path) -> tuple[Dataset, pd.DataFrame]:
    """Write the database's data directory, optional files and ``outcomes.csv`` included.

    ``labels.csv`` holds the labels from past evaluations; what supervisors did with alerts
    goes to ``outcomes.csv`` (``portal ml train --labels outcomes|both`` learns from it).
    """
    from ml.schema import write_dir  # noqa: PLC0415

    dataset = await build_dataset(with_labels=True)
    write_dir(dataset, out)
    outcomes = await outcome_frame()
    write_outcomes(outcomes, out)
    return dataset, outcomes


# --- scoring -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CityScores:
    """Every active employee scored on one day, not yet stored (:func:`score_city`)."""

    as_of: date
    model_version: str
    scores: pd.DataFrame
    """One row per employee: ``employee_id``, ``score``, ``band``, ``reasons``."""
    phases: dict[str, float]
    drift: dict[str, Any]
    started: datetime
    capacity_share: float
    """Share of the scored employees banded HIGH (the model's ``capacity_share``)."""
    threshold_high: float
    """The model's own HIGH threshold (for ``ScoringSummary.above_threshold``)."""

    def explained(self, employee_id: int) -> tuple[float, list[str]] | None:
        """The score of one employee and the model's reasons for it (None: not scored)."""
        rows = self.scores[self.scores["employee_id"] == employee_id]
        if rows.empty:
            return None
        row = rows.iloc[0]
        return float(row["score"]), [str(r) for r in row["reasons"]]


def capacity_share_of(model: MentoringModel, metadata: dict[str, Any]) -> float:
    """The model's mentoring capacity: ``capacity_share`` of its metadata (or of the model)."""
    return float(metadata.get("capacity_share", model.capacity_share))


async def score_city(as_of: date | None = None, *, model_root: Path | None = None) -> CityScores:
    """Score every active employee with the installed model; nothing is written.

    HIGH is the top :func:`capacity_share_of` the model of the employees scored, MEDIUM the
    next slice (``ml.pipeline.score_frames`` with ``capacity_share``).
    """
    started = _now()
    as_of = as_of or started.date()
    root = model_root or default_model_root()
    try:
        model, metadata = registry.load(root)
    except (FileNotFoundError, ValueError) as exc:
        raise DomainError.single(
            "NO_MODEL", f"Belum ada model di {root}: jalankan `portal ml train`", None
        ) from exc
    phases: dict[str, float] = {}
    tick = time.perf_counter()
    frames = await read_frames(as_of)
    phases["db_read"] = time.perf_counter() - tick
    tick = time.perf_counter()
    dataset = validate_frames(**frames)
    phases["validate"] = time.perf_counter() - tick
    drift: dict[str, Any] = {}
    profile = metadata.get("training_profile")
    capacity = capacity_share_of(model, metadata)
    scores = score_frames(
        dataset,
        model,
        as_of,
        capacity_share=capacity,
        timings=phases,
        training_profile=profile,
        drift=drift,
    )
    return CityScores(
        as_of=as_of,
        model_version=str(metadata.get("version", "?")),
        scores=scores,
        phases=phases,
        drift=drift,
        started=started,
        capacity_share=capacity,
        threshold_high=float(model.threshold_high_),
    )


async def score_db(
    viewer: Viewer | None, *, as_of: date | None = None, model_root: Path | None = None
) -> ScoringSummary:
    """Score every active employee and raise alerts (BKPSDM, the CLI or the nightly job)."""
    if viewer is not None and not viewer.is_bkpsdm:
        raise PermissionDeniedError("Hanya admin BKPSDM yang menjalankan penilaian model")
    return await record_scores(viewer, await score_city(as_of, model_root=model_root))


async def record_scores(viewer: Viewer | None, city: CityScores) -> ScoringSummary:
    """Store a run's scores, raise an alert for each HIGH band employee, record the run.

    HIGH is the top capacity share of the run (:func:`score_city`).
    """
    scores, as_of, version, drift = city.scores, city.as_of, city.model_version, city.drift
    phases = dict(city.phases)
    high = scores[scores["band"] == "HIGH"]
    raised = 0
    tick = time.perf_counter()
    async with transaction():
        await bulk_insert(
            "mentoring_score",
            ("employee", "as_of", "score", "band", "reasons", "model_version", "created_at"),
            [
                (int(r.employee_id), as_of, float(r.score), str(r.band),
                 json.dumps(list(r.reasons)), version, city.started)
                for r in scores.itertuples()
            ],
        )  # fmt: skip
        for r in high.itertuples():
            raised += await raise_alert(
                int(r.employee_id), as_of, float(r.score), list(r.reasons), version
            )
        await MentoringScoringRun.insert(
            MentoringScoringRun(
                as_of=as_of,
                model_version=version,
                scored=len(scores),
                high=len(high),
                missing_share=float(drift.get("missing_share", 0.0)),
                max_psi=drift.get("max_psi"),
                drifted=bool(drift.get("drifted", False)),
                drift=json.dumps(drift) if drift else "{}",
                phases=json.dumps(_phase_times(phases, write=time.perf_counter() - tick)),
                created_at=city.started,
            )
        )
        await audit.record(
            account_id=viewer.account_id if viewer else None,
            action="MENTORING_SCORED",
            entity_type="MentoringScore",
            after={
                "as_of": as_of.isoformat(),
                "scored": len(scores),
                "alerts": raised,
                "drifted": bool(drift.get("drifted", False)),
            },
        )
    phases["write"] = time.perf_counter() - tick
    return ScoringSummary(
        as_of=as_of,
        model_version=version,
        scored=len(scores),
        high=len(high),
        medium=int((scores["band"] == "MEDIUM").sum()),
        alerts_raised=raised,
        seconds=(_now() - city.started).total_seconds(),
        above_threshold=int((scores["score"] >= city.threshold_high).sum()),
        capacity_share=city.capacity_share,
        phases={name: round(value, 3) for name, value in phases.items()},
        drift=drift or None,
    )
