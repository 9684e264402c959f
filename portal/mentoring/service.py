"""Mentoring-support adapter: database -> ``ml`` -> scores and alerts to supervisors.

The same feature code serves the CSV path and this one: :func:`build_dataset` turns the
portal's tables into the frames of the ``ml`` data interface, the optional ones included
(realisation snapshots, feedback threads and completed training, from
:mod:`portal.mentoring.sources`). Scoring stores every score, and raises an alert for each
HIGH band employee without an open alert, addressed to the direct supervisor (notification
plus the ``mentoringAlertRaised`` event); it times its phases for ``portal ml score-db``.

The humane rules of DESIGN.md §6 live here: the score is visible to the supervisor chain and
BKPSDM only; the employee sees that support was offered and why, never a score or a band;
alerts are never used elsewhere (no sanctions, ranking or pay).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from ml import registry
from ml.features import LOOKBACK_DAYS
from ml.pipeline import score_frames
from ml.schema import Dataset, validate_frames
from ml.signals import PACE_WINDOW_DAYS
from portal.accounts import audit
from portal.coaching import service as coaching
from portal.core.auth import Viewer
from portal.core.db import bulk_insert, is_unique_violation, transaction
from portal.core.errors import DomainError, NotFoundError, PermissionDeniedError
from portal.core.events import publish_after_commit
from portal.core.ids import encode_global_id
from portal.core.pagination import Page, PageRequest, page_of
from portal.mentoring import sources
from portal.mentoring.tables import MentoringAlert
from portal.notifications import service as notifications
from portal.people import service as people
from portal.people.tables import Employee, Opd
from portal.performance.tables import Evaluation

# what the features look back at: 12 weeks plus the 26 weeks of usual habits before them
ACTIVITY_LOOKBACK = timedelta(days=LOOKBACK_DAYS)
FEEDBACK_LOOKBACK = timedelta(weeks=12)
TRAINING_LOOKBACK = timedelta(days=365)
OPEN_STATUSES = ("OPEN", "ACKNOWLEDGED")
ACTIONS = frozenset({"ACKNOWLEDGE", "CREATE_COACHING", "RECOMMEND_TRAINING", "DISMISS"})
NEEDS_SUPPORT_PREDIKAT = ("BUTUH_PERBAIKAN", "KURANG_MISCONDUCT", "SANGAT_KURANG")


def default_model_root() -> Path:
    """Where model versions live (``PORTAL_MODEL_DIR``, default ``./var/models``)."""
    import os  # noqa: PLC0415

    return Path(os.environ.get("PORTAL_MODEL_DIR", "var/models"))


@dataclass(frozen=True, slots=True)
class AlertRow:
    """A mentoring alert."""

    id: int
    employee_id: int
    supervisor_id: int | None
    as_of: date
    score: float
    reasons: list[str]
    model_version: str
    status: str
    action: str | None
    dismiss_reason: str | None
    coaching_id: int | None
    raised_at: datetime
    acknowledged_at: datetime | None
    closed_at: datetime | None


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
    phases: dict[str, float] = field(default_factory=dict)


_ALERT = (
    MentoringAlert.id,
    MentoringAlert.employee.as_alias("employee_id"),
    MentoringAlert.supervisor.as_alias("supervisor_id"),
    MentoringAlert.as_of,
    MentoringAlert.score,
    MentoringAlert.reasons,
    MentoringAlert.model_version,
    MentoringAlert.status,
    MentoringAlert.action,
    MentoringAlert.dismiss_reason,
    MentoringAlert.coaching.as_alias("coaching_id"),
    MentoringAlert.raised_at,
    MentoringAlert.acknowledged_at,
    MentoringAlert.closed_at,
)


def _alert(r: dict[str, Any]) -> AlertRow:
    reasons = r["reasons"]
    if isinstance(reasons, str):
        reasons = json.loads(reasons or "[]")
    return AlertRow(**{**r, "reasons": [str(x) for x in reasons or []]})


def _now() -> datetime:
    return datetime.now(UTC)


def alert_channel(account_id: int) -> str:
    """Broker channel of the alerts addressed to one supervisor's account."""
    return f"mentoring-alerts:{account_id}"


# --- data interface ----------------------------------------------------------------------------


async def read_frames(as_of: date | None = None, *, with_labels: bool = False) -> dict[str, Any]:
    """The frames of the ``ml`` data interface, read from the portal's tables (not validated).

    With ``as_of`` only what the features look at is read: the activity window (38 weeks),
    feedback threads of the last 12 weeks, training completed in the last year, and two
    realisation snapshots (the day before ``as_of`` and four weeks before that). Without it
    everything is read, with weekly (Sunday) realisation snapshots over the activity
    history. Labels come from past evaluations (BUTUH_PERBAIKAN or worse = needed support)
    and from supervisors' alert responses (coaching created = 1, dismissed = 0).
    """
    opd_codes = {r["id"]: r["code"] for r in await Opd.select(Opd.id, Opd.code)}
    employees = await Employee.select(
        Employee.id,
        Employee.hired_on,
        Employee.tmt_cpns,
        Employee.created_at,
        Employee.gender,
        Employee.golongan,
        Employee.jabatan_kind,
        Employee.opd,
    ).where(Employee.active == True)  # noqa: E712
    emp = pd.DataFrame(
        {
            "employee_id": [e["id"] for e in employees],
            "hired_on": [
                e["hired_on"] or e["tmt_cpns"] or e["created_at"].date() for e in employees
            ],
            "gender": [e["gender"] or "PEREMPUAN" for e in employees],
            "golongan": [e["golongan"] or "" for e in employees],
            "jabatan_kind": [e["jabatan_kind"] for e in employees],
            "opd": [opd_codes.get(e["opd"], "") for e in employees],
        }
    )
    acts = await sources.activity_frame(None if as_of is None else as_of - ACTIVITY_LOOKBACK, as_of)
    if as_of is not None:
        last = as_of - timedelta(days=1)
        snapshot_days = [last, last - timedelta(days=PACE_WINDOW_DAYS)]
    elif acts.empty:
        snapshot_days = []
    else:
        days = pd.to_datetime(acts["activity_date"])
        snapshot_days = sources.weekly_days(
            days.min().date(), days.max().date() + timedelta(days=6)
        )
    labels = (
        await _labels()
        if with_labels
        else pd.DataFrame({"employee_id": [], "as_of": [], "needs_mentoring": []})
    )
    return {
        "employees": emp,
        "activities": acts,
        "labels": labels,
        "progress": await sources.progress_frame(snapshot_days),
        "feedback": await sources.feedback_frame(
            None if as_of is None else as_of - FEEDBACK_LOOKBACK
        ),
        "training": await sources.training_frame(
            None if as_of is None else as_of - TRAINING_LOOKBACK
        ),
    }


async def build_dataset(as_of: date | None = None, *, with_labels: bool = False) -> Dataset:
    """The ``ml`` data interface from the portal's tables, validated (see :func:`read_frames`).

    The same frames a data directory holds, optional files included, so the same feature code
    serves the CSV path and this one.
    """
    return validate_frames(**await read_frames(as_of, with_labels=with_labels))


async def _labels() -> pd.DataFrame:
    rows = await Evaluation.select(
        Evaluation.employee.as_alias("employee_id"),
        Evaluation.period.starts_on.as_alias("as_of"),
        Evaluation.predikat,
    ).where((Evaluation.status == "FINAL") & Evaluation.predikat.is_not_null())
    labels = {
        (r["employee_id"], r["as_of"]): int(r["predikat"] in NEEDS_SUPPORT_PREDIKAT) for r in rows
    }
    decided = await MentoringAlert.select(
        MentoringAlert.employee.as_alias("employee_id"), MentoringAlert.as_of, MentoringAlert.action
    ).where(MentoringAlert.action.is_in(["CREATE_COACHING", "DISMISS"]))
    for r in decided:
        labels[(r["employee_id"], r["as_of"])] = int(r["action"] == "CREATE_COACHING")
    return pd.DataFrame(
        {
            "employee_id": [k[0] for k in labels],
            "as_of": [k[1] for k in labels],
            "needs_mentoring": list(labels.values()),
        }
    )


async def export_dir(out: Path) -> Dataset:
    """Write the database's data directory, optional files included (``portal ml export``)."""
    from ml.schema import write_dir  # noqa: PLC0415

    dataset = await build_dataset(with_labels=True)
    write_dir(dataset, out)
    return dataset


# --- scoring -----------------------------------------------------------------------------------


async def score_db(
    viewer: Viewer | None, *, as_of: date | None = None, model_root: Path | None = None
) -> ScoringSummary:
    """Score every active employee and raise alerts (BKPSDM, the CLI or the nightly job)."""
    if viewer is not None and not viewer.is_bkpsdm:
        raise PermissionDeniedError("Hanya admin BKPSDM yang menjalankan penilaian model")
    started = _now()
    as_of = as_of or started.date()
    root = model_root or default_model_root()
    try:
        model, metadata = registry.load(root)
    except (FileNotFoundError, ValueError) as exc:
        raise DomainError.single(
            "NO_MODEL", f"Belum ada model di {root}: jalankan `portal ml train`", None
        ) from exc
    version = str(metadata.get("version", "?"))
    phases: dict[str, float] = {}
    tick = time.perf_counter()
    frames = await read_frames(as_of)
    phases["db_read"] = time.perf_counter() - tick
    tick = time.perf_counter()
    dataset = validate_frames(**frames)
    phases["validate"] = time.perf_counter() - tick
    scores = score_frames(dataset, model, as_of, timings=phases)
    high = scores[scores["band"] == "HIGH"]
    raised = 0
    tick = time.perf_counter()
    async with transaction():
        await bulk_insert(
            "mentoring_score",
            ("employee", "as_of", "score", "band", "reasons", "model_version", "created_at"),
            [
                (int(r.employee_id), as_of, float(r.score), str(r.band),
                 json.dumps(list(r.reasons)), version, started)
                for r in scores.itertuples()
            ],
        )  # fmt: skip
        for r in high.itertuples():
            raised += await _raise(
                int(r.employee_id), as_of, float(r.score), list(r.reasons), version
            )
        await audit.record(
            account_id=viewer.account_id if viewer else None,
            action="MENTORING_SCORED",
            entity_type="MentoringScore",
            after={"as_of": as_of.isoformat(), "scored": len(scores), "alerts": raised},
        )
    phases["write"] = time.perf_counter() - tick
    return ScoringSummary(
        as_of=as_of,
        model_version=version,
        scored=len(scores),
        high=len(high),
        medium=int((scores["band"] == "MEDIUM").sum()),
        alerts_raised=raised,
        seconds=(_now() - started).total_seconds(),
        phases={name: round(value, 3) for name, value in phases.items()},
    )


async def _raise(
    employee_id: int, as_of: date, score: float, reasons: list[str], version: str
) -> int:
    """Raise one alert unless one is open (the partial unique index settles races)."""
    if await MentoringAlert.exists().where(
        (MentoringAlert.employee == employee_id) & MentoringAlert.status.is_in(list(OPEN_STATUSES))
    ):
        return 0
    employee = await people.get_employee(employee_id)
    try:
        inserted = await MentoringAlert.insert(
            MentoringAlert(
                employee=employee_id,
                supervisor=employee.supervisor_id,
                as_of=as_of,
                score=score,
                reasons=reasons,
                model_version=version,
            )
        )
    except Exception as exc:
        if is_unique_violation(exc):
            return 0
        raise
    alert_id = int(inserted[0]["id"])
    if employee.supervisor_id is not None:
        body = "; ".join(reasons[:3])
        rows = await notifications.notify_employees(
            [employee.supervisor_id],
            "MENTORING_ALERT",
            f"Tawarkan dukungan kepada {employee.name}",
            body,
            encode_global_id("MentoringAlert", alert_id),
        )
        for row in rows:
            await publish_after_commit(
                alert_channel(row.account_id), {"alert_id": alert_id, "employee_id": employee_id}
            )
    return 1


# --- reading and acting ----------------------------------------------------------------------


async def alerts_by_ids(ids: Sequence[int]) -> list[AlertRow | None]:
    """Alerts in the order of ``ids`` (no scoping)."""
    rows = await MentoringAlert.select(*_ALERT).where(
        MentoringAlert.id.is_in(list(set(ids)) or [-1])
    )
    by_id = {r["id"]: _alert(r) for r in rows}
    return [by_id.get(i) for i in ids]


async def can_see_scores(viewer: Viewer, employee_id: int) -> bool:
    """The employee's supervisor chain and BKPSDM (not ADMIN_OPD, not the employee)."""
    if viewer.is_bkpsdm:
        return True
    await people.load_scope(viewer)
    return employee_id in (viewer.subordinate_ids or frozenset())


async def get_alert(viewer: Viewer, alert_id: int) -> AlertRow:
    """An alert the viewer may see: supervisor chain, BKPSDM, or the employee (as an offer)."""
    (row,) = await alerts_by_ids([alert_id])
    if row is None:
        raise NotFoundError("MentoringAlert", "alertId")
    if viewer.employee_id == row.employee_id and row.status != "DISMISSED":
        return row
    if not await can_see_scores(viewer, row.employee_id):
        raise NotFoundError("MentoringAlert", "alertId")
    return row


async def list_alerts(
    viewer: Viewer, request: PageRequest, *, status: str | None = None
) -> Page[AlertRow]:
    """Alerts about the viewer's subordinates (BKPSDM: everyone), newest first."""
    clauses: list[Any] = []
    if not viewer.is_bkpsdm:
        await people.load_scope(viewer)
        clauses.append(MentoringAlert.employee.is_in(sorted(viewer.subordinate_ids or ()) or [-1]))
    if status is not None:
        clauses.append(MentoringAlert.status == status)
    query = MentoringAlert.select(*_ALERT).order_by(MentoringAlert.id, ascending=False)
    count = MentoringAlert.count()
    for clause in clauses:
        query = query.where(clause)
        count = count.where(clause)
    if request.after_pk is not None:
        query = query.where(MentoringAlert.id < request.after_pk)
    rows = [_alert(r) for r in await query.limit(request.first + 1)]
    return page_of(rows, request, await count)


async def my_support_offers(viewer: Viewer) -> list[AlertRow]:
    """What the employee sees: support offered to them and why (never a score)."""
    if viewer.employee_id is None:
        return []
    rows = (
        await MentoringAlert.select(*_ALERT)
        .where(
            (MentoringAlert.employee == viewer.employee_id) & (MentoringAlert.status != "DISMISSED")
        )
        .order_by(MentoringAlert.id, ascending=False)
    )
    return [_alert(r) for r in rows]


async def act(
    viewer: Viewer,
    alert_id: int,
    action: str,
    *,
    reason: str | None = None,
    coach_id: int | None = None,
    goal: str | None = None,
    kind: str = "MENTORING",
) -> AlertRow:
    """The supervisor chain responds: ACKNOWLEDGE, CREATE_COACHING, RECOMMEND_TRAINING, DISMISS.

    The response is stored with the alert and becomes a training label for the next model.
    """
    alert = await get_alert(viewer, alert_id)
    if not await can_see_scores(viewer, alert.employee_id) or viewer.employee_id is None:
        raise PermissionDeniedError("Hanya atasan pegawai yang menanggapi peringatan ini")
    if action not in ACTIONS:
        raise DomainError.single("INVALID_VALUE", "Tindakan tidak dikenal", "action")
    if alert.status not in OPEN_STATUSES:
        raise DomainError.single("ALERT_CLOSED", f"Peringatan berstatus {alert.status}", "alertId")
    values: dict[Any, Any] = {MentoringAlert.acted_by_account: viewer.account_id}
    async with transaction():
        if action == "ACKNOWLEDGE":
            values |= {
                MentoringAlert.status: "ACKNOWLEDGED",
                MentoringAlert.acknowledged_at: _now(),
            }
        elif action == "DISMISS":
            text = (reason or "").strip()
            if not 5 <= len(text) <= 2000:  # noqa: PLR2004
                raise DomainError.single(
                    "REASON_REQUIRED", "Tuliskan alasan (5-2000 karakter)", "reason"
                )
            values |= {
                MentoringAlert.status: "DISMISSED",
                MentoringAlert.action: action,
                MentoringAlert.dismiss_reason: text,
                MentoringAlert.closed_at: _now(),
            }
        elif action == "CREATE_COACHING":
            if coach_id is None:
                raise DomainError.single("COACH_REQUIRED", "Pilih pendamping", "coachId")
            assignment = await coaching.assign(
                viewer,
                employee_id=alert.employee_id,
                coach_id=coach_id,
                kind=kind,
                goal=(goal or "Pendampingan untuk mendukung kinerja").strip(),
                origin="MENTORING_ALERT",
            )
            values |= {
                MentoringAlert.status: "ACTED",
                MentoringAlert.action: action,
                MentoringAlert.coaching: assignment.id,
                MentoringAlert.closed_at: _now(),
            }
        else:  # RECOMMEND_TRAINING: the training module reads open/acted alerts as a signal
            values |= {
                MentoringAlert.status: "ACTED",
                MentoringAlert.action: action,
                MentoringAlert.closed_at: _now(),
            }
        updated = (
            await MentoringAlert.update(values)
            .where(
                (MentoringAlert.id == alert_id) & MentoringAlert.status.is_in(list(OPEN_STATUSES))
            )
            .returning(MentoringAlert.id)
        )
        if not updated:
            raise DomainError.single("ALERT_CLOSED", "Peringatan sudah ditanggapi", "alertId")
        await audit.record(
            account_id=viewer.account_id,
            action=f"MENTORING_ALERT_{action}",
            entity_type="MentoringAlert",
            entity_id=alert_id,
            before={"status": alert.status},
            after={"action": action, "reason": reason},
        )
    (row,) = await alerts_by_ids([alert_id])
    assert row is not None  # noqa: S101
    return row


def model_versions(root: Path | None = None) -> list[dict[str, Any]]:
    """Metadata and model card of every registry version, newest first (BKPSDM)."""
    base = root or default_model_root()
    out = []
    for version in reversed(registry.list_versions(base)):
        meta_path = base / version / registry.METADATA_FILE
        card_path = base / version / registry.CARD_FILE
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        meta["version"] = version
        meta["model_card"] = card_path.read_text(encoding="utf-8") if card_path.exists() else ""
        out.append(meta)
    return out
