"""Mentoring alerts: who sees them, how supervisors respond, and the model registry listing.

Scoring itself (database -> ``ml`` -> scores) lives in :mod:`portal.mentoring.services.scoring`,
which imports pandas and scikit-learn; this module stays light so the web app starts fast, and
the resolvers import scoring only when a scoring run is asked for. Scoring raises its alerts
through :func:`raise_alert`: one per HIGH band employee without an open alert, addressed to the
direct supervisor (notification plus the ``mentoringAlertRaised`` event).

The humane rules of DESIGN.md §6 live here: the score is visible to the supervisor chain and
BKPSDM only; the employee sees that support was offered and why, never a score or a band;
alerts are never used elsewhere (no sanctions, ranking or pay).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from piccolo.columns import Date
from piccolo.columns.combination import Where

from ml import registry
from portal.coaching import service as coaching
from portal.coaching.enums import CoachingKind, CoachingOrigin
from portal.core import audit, clock
from portal.core.auth import Viewer
from portal.core.db import (
    fetch_rows,
    id_in,
    ids_match,
    ids_param,
    is_unique_violation,
    newest_first,
    row_columns,
    select_list,
    transaction,
)
from portal.core.errors import DomainError, NotFoundError, PermissionDeniedError
from portal.core.events import publish_after_commit
from portal.core.ids import encode_global_id
from portal.core.pagination import Page, PageRequest
from portal.mentoring import policy
from portal.mentoring.enums import AlertStatus, OutcomeKind
from portal.mentoring.facts import OPEN_STATUSES
from portal.mentoring.tables import MentoringAlert, MentoringOutcome, MentoringScoringRun
from portal.notifications.services import inbox as notifications
from portal.people import visibility
from portal.people.services import directory as people
from training.services import assignments as training_assignments
from training.services import booking as training_booking
from training.services import recommendations as training_recommendations

MAX_TRAINING_REASON = training_assignments.MAX_REASON
ACTIONS = frozenset({"ACKNOWLEDGE", "CREATE_COACHING", "RECOMMEND_TRAINING", "DISMISS"})
OUTCOME_OF_ACTION = {
    "CREATE_COACHING": OutcomeKind.COACHED,
    "RECOMMEND_TRAINING": OutcomeKind.TRAINING_RECOMMENDED,
    "DISMISS": OutcomeKind.DISMISSED,
}
"""Responses that are outcomes (acknowledging is not: nothing was decided yet)."""


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


_ALERT = row_columns(MentoringAlert, AlertRow)


# the open offers of a request's employees (the home reads them on every miss), composed once
_OFFERS_SQL = (
    f'SELECT {select_list(*_ALERT)} FROM "mentoring_alert"'  # noqa: S608 - fixed SQL, values bound
    ' WHERE {} AND "mentoring_alert"."status" != {} ORDER BY "mentoring_alert"."id" DESC'
)
_REASONS = [item.name for item in fields(AlertRow)].index("reasons")


def _reasons(value: Any) -> list[str]:  # noqa: ANN401 - JSON text or its list
    if isinstance(value, str):
        value = json.loads(value or "[]")
    return [str(x) for x in value or []]


def _alert(r: dict[str, Any]) -> AlertRow:
    return AlertRow(**{**r, "reasons": _reasons(r["reasons"])})


def _alert_of(values: Sequence[Any]) -> AlertRow:
    """An alert from a row read as a tuple, in ``_ALERT``'s order."""
    cells = list(values)
    cells[_REASONS] = _reasons(cells[_REASONS])
    return AlertRow(*cells)


def _now() -> datetime:
    return datetime.now(UTC)


def alert_channel(account_id: int) -> str:
    """Broker channel of the alerts addressed to one supervisor's account."""
    return f"mentoring-alerts:{account_id}"


async def raise_alert(
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
            CoachingOrigin.MENTORING_ALERT,
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
    rows = await MentoringAlert.select(*_ALERT).where(id_in(MentoringAlert.id, ids))
    by_id = {r["id"]: _alert(r) for r in rows}
    return [by_id.get(i) for i in ids]


async def get_alert(viewer: Viewer, alert_id: int) -> AlertRow:
    """An alert the viewer may see: supervisor chain, BKPSDM, or the employee (as an offer)."""
    (row,) = await alerts_by_ids([alert_id])
    if row is None:
        raise NotFoundError("MentoringAlert", "alertId")
    if not await policy.can_see_alert(viewer, row.employee_id, row.status):
        raise NotFoundError("MentoringAlert", "alertId")
    return row


async def list_alerts(
    viewer: Viewer, request: PageRequest, *, status: str | None = None
) -> Page[AlertRow]:
    """Alerts about the viewer's subordinates (BKPSDM: everyone), newest first."""
    clauses: list[Any] = []
    if scope := await visibility.where(viewer, visibility.SCORES, MentoringAlert.employee):
        clauses.append(scope)
    if status is not None:
        clauses.append(MentoringAlert.status == status)
    return await newest_first(MentoringAlert, _ALERT, clauses, request, _alert)


async def my_support_offers(viewer: Viewer) -> list[AlertRow]:
    """What the employee sees: support offered to them and why (never a score)."""
    if viewer.employee_id is None:
        return []
    (rows,) = await support_offers_of([viewer.employee_id])
    return rows


async def support_offers_of(employee_ids: Sequence[int]) -> list[list[AlertRow]]:
    """Each employee's alerts not dismissed, newest first (no scoping; a request's loader)."""
    rows = await fetch_rows(
        _OFFERS_SQL.format(ids_match('"mentoring_alert"."employee"'), "{}"),
        ids_param(employee_ids),
        AlertStatus.DISMISSED.value,
    )
    grouped: dict[int, list[AlertRow]] = {}
    for values in rows:
        alert = _alert_of(values)
        grouped.setdefault(alert.employee_id, []).append(alert)
    return [grouped.get(e, []) for e in employee_ids]


async def act(
    viewer: Viewer,
    alert_id: int,
    action: str,
    *,
    reason: str | None = None,
    coach_id: int | None = None,
    goal: str | None = None,
    kind: str = CoachingKind.MENTORING,
    course_id: int | None = None,
) -> AlertRow:
    """The supervisor chain responds: ACKNOWLEDGE, CREATE_COACHING, RECOMMEND_TRAINING, DISMISS.

    RECOMMEND_TRAINING takes a course from the employee's own recommendations (the list
    ``trainingRecommendations(employeeId:)`` shows the supervisor), assigns it with the
    recommendation's reasons, and notifies both the employee and the supervisor.
    The response is stored with the alert and, except an acknowledgement, recorded as an
    outcome (:func:`record_outcome`): outcome data for BKPSDM and a label for retraining.
    """
    alert = await get_alert(viewer, alert_id)
    await policy.require_responder(viewer, alert.employee_id)
    if action not in ACTIONS:
        raise DomainError.single("INVALID_VALUE", "Tindakan tidak dikenal", "action")
    if alert.status not in OPEN_STATUSES:
        raise DomainError.single("ALERT_CLOSED", f"Peringatan berstatus {alert.status}", "alertId")
    training_reason = ""
    if action == "RECOMMEND_TRAINING":  # read before the transaction (it reads on its own)
        training_reason = await _recommended_reason(alert.employee_id, course_id)
    values: dict[Any, Any] = {MentoringAlert.acted_by_account: viewer.account_id}
    extra: dict[str, Any] = {}
    async with transaction():
        if action == "ACKNOWLEDGE":
            values |= {
                MentoringAlert.status: AlertStatus.ACKNOWLEDGED,
                MentoringAlert.acknowledged_at: _now(),
            }
        elif action == "DISMISS":
            text = (reason or "").strip()
            if not 5 <= len(text) <= 2000:  # noqa: PLR2004
                raise DomainError.single(
                    "REASON_REQUIRED", "Tuliskan alasan (5-2000 karakter)", "reason"
                )
            values |= {
                MentoringAlert.status: AlertStatus.DISMISSED,
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
                origin=CoachingOrigin.MENTORING_ALERT,
            )
            values |= {
                MentoringAlert.status: AlertStatus.ACTED,
                MentoringAlert.action: action,
                MentoringAlert.coaching: assignment.id,
                MentoringAlert.closed_at: _now(),
            }
        else:  # RECOMMEND_TRAINING: assign the chosen course, tell the employee and the supervisor
            assert course_id is not None  # noqa: S101 - checked by _recommended_reason
            assigned = await training_booking.assign(
                viewer,
                employee_id=alert.employee_id,
                course_id=course_id,
                reason=training_reason,
            )
            extra = {"course_id": course_id, "training_assignment_id": assigned.id}
            if viewer.employee_id is not None:
                await notifications.notify_employees(
                    [viewer.employee_id],
                    "TRAINING_RECOMMENDED",
                    "Pelatihan ditugaskan dari tawaran pendampingan",
                    training_reason[:300],
                    encode_global_id("TrainingAssignment", assigned.id),
                )
            values |= {
                MentoringAlert.status: AlertStatus.ACTED,
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
        if action in OUTCOME_OF_ACTION:
            await _record_outcome(viewer, alert, OUTCOME_OF_ACTION[action], reason)
        await audit.record(
            account_id=viewer.account_id,
            action=f"MENTORING_ALERT_{action}",
            entity_type="MentoringAlert",
            entity_id=alert_id,
            before={"status": alert.status},
            after={"action": action, "reason": reason, **extra},
        )
    (row,) = await alerts_by_ids([alert_id])
    assert row is not None  # noqa: S101
    return row


async def _record_outcome(
    viewer: Viewer, alert: AlertRow, outcome: OutcomeKind, reason: str | None
) -> None:
    await MentoringOutcome.insert(
        MentoringOutcome(
            alert=alert.id,
            employee=alert.employee_id,
            as_of=alert.as_of,
            outcome=outcome.value,
            reason=(reason or "").strip() or None,
            recorded_by_account=viewer.account_id,
        )
    )


async def resolve(viewer: Viewer, alert_id: int, *, note: str | None = None) -> AlertRow:
    """The supervisor chain records that the need behind an alert was addressed (RESOLVED).

    Allowed once per alert, after support was given (ACTED) or while it is acknowledged (the
    alert is then closed as ACTED); a dismissed alert cannot be resolved.
    """
    alert = await get_alert(viewer, alert_id)
    await policy.require_responder(viewer, alert.employee_id)
    if alert.status not in (AlertStatus.ACTED, AlertStatus.ACKNOWLEDGED):
        raise DomainError.single(
            "ALERT_NOT_ACTED",
            "Hanya peringatan yang sudah dibaca atau ditindaklanjuti yang dapat diselesaikan",
            "alertId",
        )
    text = (note or "").strip()
    if len(text) > 2000:  # noqa: PLR2004
        raise DomainError.single("INVALID_VALUE", "Catatan paling banyak 2000 karakter", "note")
    async with transaction():
        if await MentoringOutcome.exists().where(
            (MentoringOutcome.alert == alert_id)
            & (MentoringOutcome.outcome == OutcomeKind.RESOLVED)
        ):
            raise DomainError.single("ALREADY_RESOLVED", "Peringatan sudah selesai", "alertId")
        if alert.status == AlertStatus.ACKNOWLEDGED:
            await MentoringAlert.update(
                {
                    MentoringAlert.status: AlertStatus.ACTED,
                    MentoringAlert.closed_at: _now(),
                    MentoringAlert.acted_by_account: viewer.account_id,
                }
            ).where(MentoringAlert.id == alert_id)
        await _record_outcome(viewer, alert, OutcomeKind.RESOLVED, text)
        await audit.record(
            account_id=viewer.account_id,
            action="MENTORING_ALERT_RESOLVED",
            entity_type="MentoringAlert",
            entity_id=alert_id,
            before={"status": alert.status},
            after={"outcome": OutcomeKind.RESOLVED.value, "note": text or None},
        )
    (row,) = await alerts_by_ids([alert_id])
    assert row is not None  # noqa: S101
    return row


async def _recommended_reason(employee_id: int, course_id: int | None) -> str:
    """The assignment reason for a course among the employee's recommendations (typed errors)."""
    if course_id is None:
        raise DomainError.single(
            "COURSE_REQUIRED", "Pilih pelatihan dari rekomendasi pegawai", "courseId"
        )
    employee = await people.get_employee(employee_id)
    found = await training_recommendations.recommendations_for(
        [employee], clock.today(), limit=training_recommendations.MAX_RECOMMENDATIONS
    )
    chosen = next((r for r in found[employee.id] if r.course_id == course_id), None)
    if chosen is None:
        raise DomainError.single(
            "COURSE_NOT_RECOMMENDED",
            "Pelatihan ini tidak ada dalam rekomendasi pegawai",
            "courseId",
        )
    reasons = "; ".join(r.explanation for r in chosen.reasons)
    return f"Tawaran pendampingan dari atasan: {reasons}"[:MAX_TRAINING_REASON]


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


@dataclass(frozen=True, slots=True)
class FeatureDriftRow:
    """One feature's shift in a scoring run (an aggregate over everyone scored)."""

    feature: str
    psi: float | None
    missing_share: float


@dataclass(frozen=True, slots=True)
class ScoringRunRow:
    """A scoring run with its input drift against the model's training data."""

    id: int
    as_of: date
    model_version: str
    scored: int
    high: int
    missing_share: float
    training_missing_share: float | None
    max_psi: float | None
    drifted: bool
    drifted_features: list[str]
    features: list[FeatureDriftRow]
    phases: dict[str, float]
    created_at: datetime


def _json_object(value: Any) -> dict[str, Any]:  # noqa: ANN401 - a JSON column's value
    if isinstance(value, str):
        value = json.loads(value or "{}")
    return dict(value or {})


def _run_row(r: dict[str, Any], top: int) -> ScoringRunRow:
    drift = _json_object(r["drift"])
    per_feature = drift.get("features") or {}
    ranked = sorted(
        (name for name, v in per_feature.items() if v.get("psi") is not None),
        key=lambda name: -float(per_feature[name]["psi"]),
    )
    return ScoringRunRow(
        id=r["id"],
        as_of=r["as_of"],
        model_version=r["model_version"],
        scored=r["scored"],
        high=r["high"],
        missing_share=float(r["missing_share"]),
        training_missing_share=drift.get("training_missing_share"),
        max_psi=r["max_psi"],
        drifted=bool(r["drifted"]),
        drifted_features=[str(n) for n in drift.get("drifted_features") or []],
        features=[
            FeatureDriftRow(
                feature=name,
                psi=per_feature[name]["psi"],
                missing_share=float(per_feature[name]["missing_share"]),
            )
            for name in ranked[:top]
        ],
        phases={str(k): float(v) for k, v in _json_object(r.get("phases")).items()},
        created_at=r["created_at"],
    )


async def scoring_runs(
    viewer: Viewer, *, first: int = 10, drifted_only: bool = False, top_features: int = 5
) -> list[ScoringRunRow]:
    """The latest scoring runs with their input drift, newest first (BKPSDM only).

    Aggregates only: per run the model version, how many were scored, the missing-input
    share and each feature's population stability index -- never an employee's values.
    """
    if not viewer.is_bkpsdm:
        raise PermissionDeniedError("Hanya admin BKPSDM yang melihat pemantauan model")
    first = max(1, min(first, 100))  # a page of runs, at most 100
    query = MentoringScoringRun.select().order_by(MentoringScoringRun.id, ascending=False)
    if drifted_only:
        query = query.where(MentoringScoringRun.drifted == True)  # noqa: E712 - SQL
    return [_run_row(r, top_features) for r in await query.limit(first)]


@dataclass(frozen=True, slots=True)
class OutcomeCountsRow:
    """What supervisors did with the alerts about one OPD's employees (counts only)."""

    opd_id: int
    alerts: int
    open: int
    acknowledged: int
    coached: int
    training_recommended: int
    dismissed: int
    resolved: int


_COUNTED = (
    "alerts",
    "open",
    "acknowledged",
    "coached",
    "training_recommended",
    "dismissed",
    "resolved",
)


def _days(column: Date, first: date | None, last: date | None) -> list[Where]:
    """Conditions keeping ``column`` within ``first``..``last`` (each bound optional)."""
    return [
        *([column >= first] if first is not None else []),
        *([column <= last] if last is not None else []),
    ]


_OUTCOME_FIELD = {
    OutcomeKind.COACHED: "coached",
    OutcomeKind.TRAINING_RECOMMENDED: "training_recommended",
    OutcomeKind.DISMISSED: "dismissed",
    OutcomeKind.RESOLVED: "resolved",
}


async def outcome_counts(
    viewer: Viewer, *, raised_from: date | None = None, raised_to: date | None = None
) -> list[OutcomeCountsRow]:
    """Per OPD: alerts raised, still open or only acknowledged, and each outcome (BKPSDM only).

    Counts only -- no employee, score or reason leaves this function. An alert counts in the
    OPD its employee belongs to now; a resolved alert also counts under the response that
    preceded it (coached, training recommended), so the outcome columns may overlap. With
    ``raised_from``/``raised_to``, only alerts raised (scored) in those days and their outcomes.
    """
    if not viewer.is_bkpsdm:
        raise PermissionDeniedError("Hanya admin BKPSDM yang melihat tindak lanjut peringatan")
    if raised_from is not None and raised_to is not None and raised_from > raised_to:
        raise DomainError.single(
            "INVALID_RANGE", "Tanggal akhir tidak boleh sebelum tanggal awal", "dateTo"
        )
    alert_days = _days(MentoringAlert.as_of, raised_from, raised_to)
    outcome_days = _days(MentoringOutcome.as_of, raised_from, raised_to)
    alerts = await MentoringAlert.select(MentoringAlert.employee, MentoringAlert.status).where(
        *alert_days
    )
    outcomes = await MentoringOutcome.select(
        MentoringOutcome.employee, MentoringOutcome.outcome
    ).where(*outcome_days)
    ids = sorted({int(r["employee"]) for r in [*alerts, *outcomes]})
    opd_of = {e.id: e.opd_id for e in await people.employees_by_ids(ids) if e is not None}
    counts: dict[int, dict[str, int]] = {}

    def bump(employee_id: int, name: str) -> None:
        if (opd_id := opd_of.get(employee_id)) is not None:
            row = counts.setdefault(opd_id, dict.fromkeys(_COUNTED, 0))
            row[name] += 1

    for r in alerts:
        bump(int(r["employee"]), "alerts")
        if r["status"] == AlertStatus.OPEN:
            bump(int(r["employee"]), "open")
        elif r["status"] == AlertStatus.ACKNOWLEDGED:
            bump(int(r["employee"]), "acknowledged")
    for r in outcomes:
        if (name := _OUTCOME_FIELD.get(OutcomeKind(r["outcome"]))) is not None:
            bump(int(r["employee"]), name)
    return [OutcomeCountsRow(opd_id=opd_id, **values) for opd_id, values in sorted(counts.items())]
