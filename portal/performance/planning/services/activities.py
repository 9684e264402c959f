"""Daily activities (aktivitas harian): idempotent logging, offline batches, verification.

Phones on a flaky connection retry. Every log carries a client-generated idempotency key,
unique per employee: a retry with the same key returns the first result (``replayed``) and
never creates a second row, also when the retries race each other (the unique index decides,
and the loser reads the winner's row). A key reused for different content is not a retry: it is
refused with ``IDEMPOTENCY_CONFLICT`` instead of silently answering with the first activity.

An activity logged by mistake can be withdrawn by its author while it is still SUBMITTED: the
row stays (status WITHDRAWN, so a late retry of its key cannot bring it back) and counts
nowhere; the supervisor is told.

Every write of activities tells the adoption domain which employees and dates changed
(``adoption.aggregates.activities_changed``), in the same transaction, so the socialization
funnel's per-employee weekly aggregates never lag the activities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from portal.adoption.services import aggregates as adoption_aggregates
from portal.core import audit, clock
from portal.core.auth import Viewer
from portal.core.db import id_in, transaction, write_scope
from portal.core.errors import DomainError, FieldError, NotFoundError, PermissionDeniedError
from portal.core.ids import encode_global_id
from portal.core.pagination import Page, PageRequest, SortKey, keyset, page_of
from portal.notifications.services import inbox as notifications
from portal.people import visibility
from portal.people.rows import EmployeeRow
from portal.people.services import directory as people
from portal.performance import policy, rules, sql
from portal.performance.enums import ActivityStatus, PeriodKind, PeriodStatus
from portal.performance.planning.services import periods, skp
from portal.performance.rows import ActivityRow, PeriodRow
from portal.performance.tables import Activity

MAX_BATCH = 100
MAX_KEY = 80
MAX_NOTE = 1000


@dataclass(frozen=True, slots=True)
class LogResult:
    """Outcome of one log: the activity (first result on a replay) or the errors."""

    activity: ActivityRow | None
    replayed: bool
    errors: tuple[FieldError, ...] = ()


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """Outcome of verifying or rejecting one activity."""

    activity_id: int
    activity: ActivityRow | None
    errors: tuple[FieldError, ...] = ()


def _row(r: dict[str, Any]) -> ActivityRow:
    links = r["evidence_links"]
    if isinstance(links, str):
        import json  # noqa: PLC0415 - SQLite returns JSON columns as text

        links = json.loads(links or "[]")
    return ActivityRow(**{**r, "evidence_links": list(links or [])})


def _now() -> datetime:
    return clock.now()


def _today() -> date:
    return clock.today()


async def activities_by_ids(ids: Sequence[int]) -> list[ActivityRow | None]:
    """Activities in the order of ``ids`` (no scoping)."""
    rows = await sql.activities_by_ids(ids)
    by_id = {r["id"]: _row(r) for r in rows}
    return [by_id.get(i) for i in ids]


async def get_activity(viewer: Viewer, activity_id: int) -> ActivityRow:
    """An activity the viewer may read."""
    (row,) = await activities_by_ids([activity_id])
    if row is None:
        raise NotFoundError("Activity")
    await visibility.readable_employee(viewer, row.employee_id, "Activity")
    return row


async def _by_keys(employee_id: int, keys: set[str]) -> dict[str, ActivityRow]:
    """The employee's activities logged under any of ``keys``, by key."""
    if not keys:
        return {}
    rows = await sql.activities_by_keys(employee_id, keys)
    return {r["idempotency_key"]: _row(r) for r in rows}


@dataclass(frozen=True, slots=True)
class _Checks:
    """What validating drafts needs from the database, read once for a whole batch."""

    periods: list[PeriodRow]
    approved: dict[int, set[int]]  # annual period id -> the employee's approved indicator ids

    def check(self, draft: rules.ActivityDraft, today: date) -> tuple[int | None, list[FieldError]]:
        """The annual period the draft belongs to, and its errors."""
        on = draft.activity_date
        covering = [p for p in self.periods if p.starts_on <= on <= p.ends_on]
        period = next((p for p in covering if p.kind == PeriodKind.ANNUAL), None)
        # A closed evaluation period is read-only too, even while its year is still open.
        closed = any(p.status == PeriodStatus.CLOSED for p in covering)
        window = (
            rules.PeriodWindow(
                starts_on=period.starts_on,
                ends_on=period.ends_on,
                status=PeriodStatus.CLOSED if closed else PeriodStatus(period.status),
            )
            if period
            else None
        )
        approved = self.approved.get(period.id, set()) if period else set()
        errors = rules.validate_activity(
            draft, today=today, period=window, approved_indicator_ids=approved
        )
        return (period.id if period else None), errors


async def _checks(employee_id: int, drafts: Sequence[rules.ActivityDraft]) -> _Checks:
    """Periods around the drafts' dates and the approved indicators (a few queries per batch)."""
    if not drafts:
        return _Checks([], {})
    dates = [d.activity_date for d in drafts]
    found = await periods.overlapping(min(dates), max(dates))
    annual_ids = {
        p.id
        for p in found
        if p.kind == PeriodKind.ANNUAL
        and any(
            d.indicator_id is not None and p.starts_on <= d.activity_date <= p.ends_on
            for d in drafts
        )
    }
    approved = {pid: await skp.approved_indicator_ids(employee_id, pid) for pid in annual_ids}
    return _Checks(found, approved)


async def _validate(
    employee_id: int, draft: rules.ActivityDraft, today: date
) -> tuple[int | None, list[FieldError]]:
    """Validate a draft; return the annual period id it belongs to and the errors."""
    return (await _checks(employee_id, [draft])).check(draft, today)


def _same_content(row: ActivityRow, draft: rules.ActivityDraft) -> bool:
    """Whether a draft repeats what was stored under its key (a retry, not a new activity)."""
    return (
        row.activity_date == draft.activity_date
        and row.description == draft.description.strip()
        and row.quantity == float(draft.quantity)
        and row.unit == draft.unit.strip()
        and row.duration_minutes == draft.duration_minutes
        and list(row.evidence_links) == list(draft.evidence_links)
        and row.indicator_id == draft.indicator_id
    )


def _same_draft(a: rules.ActivityDraft, b: rules.ActivityDraft) -> bool:
    return (
        a.activity_date == b.activity_date
        and a.description.strip() == b.description.strip()
        and float(a.quantity) == float(b.quantity)
        and a.unit.strip() == b.unit.strip()
        and a.duration_minutes == b.duration_minutes
        and list(a.evidence_links) == list(b.evidence_links)
        and a.indicator_id == b.indicator_id
    )


def _conflict() -> LogResult:
    error = FieldError(
        "IDEMPOTENCY_CONFLICT",
        "idempotencyKey sudah dipakai untuk aktivitas lain; gunakan kunci baru",
        "idempotencyKey",
    )
    return LogResult(None, replayed=False, errors=(error,))


def _check_key(key: str) -> str:
    key = key.strip()
    if not 1 <= len(key) <= MAX_KEY:
        raise DomainError.single(
            "INVALID_IDEMPOTENCY_KEY",
            f"idempotencyKey harus 1-{MAX_KEY} karakter",
            "idempotencyKey",
        )
    return key


def _employee_of(viewer: Viewer) -> int:
    if viewer.employee_id is None:
        raise PermissionDeniedError("Akun ini tidak terhubung dengan data pegawai")
    return viewer.employee_id


async def log_activity(
    viewer: Viewer, key: str, draft: rules.ActivityDraft, *, today: date | None = None
) -> LogResult:
    """Log the viewer's own activity; a repeated key returns the first result."""
    employee_id = _employee_of(viewer)
    (result,) = await _log_many(viewer, employee_id, [(_check_key(key), draft)], today)
    return result


async def log_batch(
    viewer: Viewer,
    items: Sequence[tuple[str, rules.ActivityDraft]],
    *,
    today: date | None = None,
) -> list[LogResult]:
    """Upload offline-recorded activities; each item succeeds or fails on its own.

    The outcome is the same as logging the items one after another (a key repeated in the
    batch is stored once, later occurrences are replays), but the whole batch costs a fixed
    number of queries and one transaction.
    """
    if len(items) > MAX_BATCH:
        raise DomainError.single(
            "BATCH_TOO_LARGE", f"Maksimal {MAX_BATCH} aktivitas per unggahan", "items"
        )
    employee_id = _employee_of(viewer)
    results: dict[int, LogResult] = {}
    valid: list[tuple[int, tuple[str, rules.ActivityDraft]]] = []
    for index, (key, draft) in enumerate(items):
        try:
            valid.append((index, (_check_key(key), draft)))
        except DomainError as exc:
            results[index] = LogResult(None, replayed=False, errors=exc.errors)
    logged = await _log_many(viewer, employee_id, [item for _, item in valid], today)
    results.update((index, r) for (index, _), r in zip(valid, logged, strict=True))
    return [results[i] for i in range(len(items))]


async def _log_many(
    viewer: Viewer,
    employee_id: int,
    items: Sequence[tuple[str, rules.ActivityDraft]],
    today: date | None,
) -> list[LogResult]:
    """Store the new, valid items in one transaction; replay keys already stored.

    ``INSERT ... ON CONFLICT DO NOTHING`` on the (employee, key) unique index decides races with
    concurrent retries: an item whose key another request stored meanwhile is a replay of that
    request's row, never a second row and never an error.
    """
    existing = await _by_keys(employee_id, {key for key, _ in items})
    checks = await _checks(employee_id, [d for key, d in items if key not in existing])
    day = today or _today()
    outcomes: list[LogResult | str] = []  # a str is the key of an item stored by this batch
    new: dict[str, tuple[rules.ActivityDraft, int]] = {}
    for key, draft in items:
        if key in existing:
            same = _same_content(existing[key], draft)
            outcomes.append(LogResult(existing[key], replayed=True) if same else _conflict())
        elif key in new:
            outcomes.append(key if _same_draft(new[key][0], draft) else _conflict())
        else:
            period_id, errors = checks.check(draft, day)
            if errors or period_id is None:
                outcomes.append(LogResult(None, replayed=False, errors=tuple(errors)))
            else:
                new[key] = (draft, period_id)
                outcomes.append(key)
    stored: dict[str, ActivityRow] = {}
    raced: set[str] = set()
    if new:
        async with transaction(scope=[employee_id]):  # nobody is told, the team sees it
            inserted = await (
                Activity.insert(
                    *(_new_activity(employee_id, key, d, pid) for key, (d, pid) in new.items())
                )
                .on_conflict(
                    target=(Activity.employee, Activity.idempotency_key), action="DO NOTHING"
                )
                .returning(Activity.id, Activity.idempotency_key)
            )
            ids = {r["idempotency_key"]: int(r["id"]) for r in inserted}
            await adoption_aggregates.activities_changed(
                {employee_id: [new[key][0].activity_date for key in ids]}
            )
            await audit.record_many(
                [
                    {
                        "account_id": viewer.account_id,
                        "action": "ACTIVITY_LOGGED",
                        "entity_type": "Activity",
                        "entity_id": str(ids[key]),
                        "after": {
                            "date": new[key][0].activity_date.isoformat(),
                            "quantity": new[key][0].quantity,
                        },
                    }
                    for key in ids
                ]
            )
        rows = await activities_by_ids(list(ids.values()))
        stored = {r.idempotency_key: r for r in rows if r is not None}
        raced = set(new) - set(ids)  # concurrent retries stored these first
        stored.update(await _by_keys(employee_id, raced))
    results: list[LogResult] = []
    first_of: set[str] = set()
    for outcome in outcomes:
        if isinstance(outcome, LogResult):
            results.append(outcome)
            continue
        replay = outcome in first_of or outcome in raced
        first_of.add(outcome)
        if outcome in raced and not _same_content(stored[outcome], new[outcome][0]):
            results.append(_conflict())  # a concurrent request stored other content first
            continue
        results.append(LogResult(stored[outcome], replayed=replay))
    return results


async def withdraw_activity(viewer: Viewer, activity_id: int) -> ActivityRow:
    """Withdraw one's own SUBMITTED activity (logged by mistake); the supervisor is told.

    Raises:
        NotFoundError: the activity does not exist or the viewer may not read it.
        PermissionDeniedError: the viewer is not its author (``FORBIDDEN``).
        DomainError: ``INVALID_STATE`` when it is no longer SUBMITTED (verified, rejected or
            withdrawn already), also when a supervisor decided it a moment earlier.
    """
    current = await get_activity(viewer, activity_id)
    policy.require_self(viewer, current.employee_id)
    if current.status != ActivityStatus.SUBMITTED:
        raise DomainError.single(
            "INVALID_STATE",
            f"Hanya aktivitas berstatus SUBMITTED yang dapat ditarik (status: {current.status})",
            "activityId",
        )
    async with transaction(scope=[current.employee_id]):
        won = (
            await Activity.update(
                {Activity.status: ActivityStatus.WITHDRAWN.value, Activity.updated_at: _now()}
            )
            .where(
                (Activity.id == activity_id) & (Activity.status == ActivityStatus.SUBMITTED.value)
            )
            .returning(Activity.id)
        )
        if not won:  # the supervisor decided it meanwhile
            raise DomainError.single("INVALID_STATE", "Aktivitas sudah diproses", "activityId")
        await adoption_aggregates.activities_changed({current.employee_id: [current.activity_date]})
        await audit.record(
            account_id=viewer.account_id,
            action="ACTIVITY_WITHDRAWN",
            entity_type="Activity",
            entity_id=activity_id,
            before={"status": current.status, "quantity": current.quantity},
            after={"status": ActivityStatus.WITHDRAWN.value},
        )
        (employee,) = await people.employees_by_ids([current.employee_id])
        if employee is not None and employee.supervisor_id is not None:
            with write_scope([employee.supervisor_id]):  # the supervisor's inbox
                await notifications.notify_employees(
                    [employee.supervisor_id],
                    "ACTIVITY_WITHDRAWN",
                    f"{employee.name} menarik aktivitas {current.activity_date:%d-%m-%Y}",
                    current.description[:200],
                    encode_global_id("Activity", activity_id),
                )
    (row,) = await activities_by_ids([activity_id])
    assert row is not None  # noqa: S101 - updated in this transaction
    return row


def _new_activity(
    employee_id: int, key: str, draft: rules.ActivityDraft, period_id: int
) -> Activity:
    return Activity(
        employee=employee_id,
        period=period_id,
        indicator=draft.indicator_id,
        activity_date=draft.activity_date,
        description=draft.description.strip(),
        quantity=float(draft.quantity),
        unit=draft.unit.strip(),
        duration_minutes=draft.duration_minutes,
        evidence_links=list(draft.evidence_links),
        status=ActivityStatus.SUBMITTED.value,
        idempotency_key=key,
    )


async def update_activity(
    viewer: Viewer, activity_id: int, draft: rules.ActivityDraft, *, today: date | None = None
) -> ActivityRow:
    """Fix one's own submitted or rejected activity; a rejected one is resubmitted."""
    current = await get_activity(viewer, activity_id)
    policy.require_self(viewer, current.employee_id)
    if current.status == ActivityStatus.VERIFIED:
        raise DomainError.single(
            "ALREADY_VERIFIED", "Aktivitas yang sudah diverifikasi tidak dapat diubah", "activityId"
        )
    if current.status == ActivityStatus.WITHDRAWN:
        raise DomainError.single(
            "INVALID_STATE", "Aktivitas yang sudah ditarik tidak dapat diubah", "activityId"
        )
    period_id, errors = await _validate(current.employee_id, draft, today or _today())
    if errors or period_id is None:
        raise DomainError(*errors)
    async with transaction(scope=[current.employee_id]):
        updated = (
            await Activity.update(
                {
                    Activity.period: period_id,
                    Activity.indicator: draft.indicator_id,
                    Activity.activity_date: draft.activity_date,
                    Activity.description: draft.description.strip(),
                    Activity.quantity: float(draft.quantity),
                    Activity.unit: draft.unit.strip(),
                    Activity.duration_minutes: draft.duration_minutes,
                    Activity.evidence_links: list(draft.evidence_links),
                    Activity.status: ActivityStatus.SUBMITTED.value,
                    Activity.rejection_note: None,
                    Activity.updated_at: _now(),
                }
            )
            .where(
                (Activity.id == activity_id)
                & Activity.status.is_in(
                    [ActivityStatus.SUBMITTED.value, ActivityStatus.REJECTED.value]
                )
            )
            .returning(Activity.id)
        )
        if not updated:
            raise DomainError.single(
                "ALREADY_VERIFIED", "Aktivitas sudah diverifikasi", "activityId"
            )
        await adoption_aggregates.activities_changed(
            {current.employee_id: [current.activity_date, draft.activity_date]}
        )
        await audit.record(
            account_id=viewer.account_id,
            action="ACTIVITY_RESUBMITTED"
            if current.status == ActivityStatus.REJECTED
            else "ACTIVITY_UPDATED",
            entity_type="Activity",
            entity_id=activity_id,
            before={"status": current.status, "quantity": current.quantity},
            after={"status": ActivityStatus.SUBMITTED.value, "quantity": draft.quantity},
        )
    (row,) = await activities_by_ids([activity_id])
    assert row is not None  # noqa: S101 - updated in this transaction
    return row


@dataclass(frozen=True, slots=True)
class _Decision:
    """A verification round's decision: the status to set and the note (rejections need one)."""

    approve: bool
    note: str | None

    @property
    def status(self) -> ActivityStatus:
        """VERIFIED or REJECTED."""
        return ActivityStatus.VERIFIED if self.approve else ActivityStatus.REJECTED

    @property
    def rejection_note(self) -> str | None:
        """The note stored with a rejection (None when approving)."""
        return None if self.approve else self.note


def _validated_decision(activity_ids: Sequence[int], approve: bool, note: str | None) -> _Decision:
    """Step 1, validation: batch size and the note (a rejection needs a reason)."""
    if not 1 <= len(activity_ids) <= MAX_BATCH:
        raise DomainError.single(
            "BATCH_TOO_LARGE", f"Verifikasi 1-{MAX_BATCH} aktivitas sekaligus", "activityIds"
        )
    note = (note or "").strip() or None
    if not approve and (note is None or len(note) < 3):  # noqa: PLR2004
        raise DomainError.single("NOTE_REQUIRED", "Penolakan memerlukan catatan", "note")
    if note is not None and len(note) > MAX_NOTE:
        raise DomainError.single("INVALID_LENGTH", f"Catatan maksimal {MAX_NOTE} karakter", "note")
    return _Decision(approve, note)


def _refusal(
    viewer: Viewer,
    row: ActivityRow | None,
    employee: EmployeeRow | None,
    closed: Sequence[PeriodRow],
    acting_for: frozenset[int] = frozenset(),
) -> FieldError | None:
    """Steps 2 and 3, authorization and the state machine: why this activity cannot be decided.

    Only the employee's direct supervisor decides, or a Plt/Plh acting for them today
    (``acting_for``); a closed period is read-only; only a SUBMITTED activity is decided (once).
    """
    if (
        row is None
        or employee is None
        or employee.supervisor_id is None
        or (
            employee.supervisor_id != viewer.employee_id
            and employee.supervisor_id not in acting_for
        )
    ):
        message = "Aktivitas tidak ditemukan atau bukan bawahan Anda"
        return FieldError("NOT_FOUND", message, "activityIds")
    if any(p.starts_on <= row.activity_date <= p.ends_on for p in closed):
        return FieldError("PERIOD_CLOSED", "Periode sudah ditutup", "activityIds")
    if row.status != ActivityStatus.SUBMITTED:
        return FieldError("INVALID_STATE", f"Aktivitas berstatus {row.status}", "activityIds")
    return None


async def _decide(
    viewer: Viewer, groups: dict[int | None, list[ActivityRow]], decision: _Decision
) -> dict[int, ActivityRow]:
    """Steps 4 and 5, compare-and-set and audit: the decided rows by id (absent: decided already).

    One update per group of rows decided for the same principal (``verified_for``: None, or the
    principal a Plt/Plh stands in for), whatever the number of activities; it applies only to
    rows still SUBMITTED, so of two racing supervisors one wins. One insert audits them all, and
    one call brings the adoption funnel's aggregates of those employees up to date.
    """
    now = _now()
    decided: dict[int, ActivityRow] = {}
    entries: list[dict[str, Any]] = []
    for verified_for, rows in groups.items():
        won = await (
            Activity.update(
                {
                    Activity.status: decision.status.value,
                    Activity.verifier: viewer.employee_id,
                    Activity.verified_for: verified_for,
                    Activity.verified_at: now,
                    Activity.rejection_note: decision.rejection_note,
                    Activity.updated_at: now,
                }
            )
            .where(
                id_in(Activity.id, [r.id for r in rows])
                & (Activity.status == ActivityStatus.SUBMITTED.value)
            )
            .returning(Activity.id)
        )
        won_ids = {int(w["id"]) for w in won}
        for row in (r for r in rows if r.id in won_ids):
            decided[row.id] = replace(
                row,
                status=decision.status.value,
                verifier_id=viewer.employee_id,
                verified_for_id=verified_for,
                verified_at=now,
                rejection_note=decision.rejection_note,
            )
            entries.append(
                {
                    "account_id": viewer.account_id,
                    "action": f"ACTIVITY_{decision.status.value}",
                    "entity_type": "Activity",
                    "entity_id": str(row.id),
                    "before": {"status": row.status},
                    "after": {
                        "status": decision.status.value,
                        "note": decision.note,
                        "verifier_id": viewer.employee_id,
                        "verified_for": verified_for,
                    },
                }
            )
    if entries:
        await audit.record_many(entries)
    changed: dict[int, list[date]] = {}
    for row in decided.values():
        changed.setdefault(row.employee_id, []).append(row.activity_date)
    await adoption_aggregates.activities_changed(changed)
    return decided


async def verify(
    viewer: Viewer, activity_ids: Sequence[int], *, approve: bool, note: str | None
) -> list[VerifyResult]:
    """The direct supervisor verifies or rejects (with a note) activities, one by one.

    Validation, then per activity authorization and state (:func:`_refusal`); compare-and-set
    and audit of the decidable ones together (:func:`_decide`), in one transaction; step 6, one
    notification per employee. An id sent twice is decided once (the copy: already decided).
    """
    decision = _validated_decision(activity_ids, approve, note)
    rows = await activities_by_ids(list(activity_ids))
    owners = await people.employees_by_ids(sorted({r.employee_id for r in rows if r}))
    employees = {e.id: e for e in owners if e is not None}
    closed = [p for p in await periods.list_periods() if p.status == PeriodStatus.CLOSED]
    acting_for = await visibility.acting_principals(viewer)
    refused: dict[int, VerifyResult] = {}  # position in the request -> its refusal
    deciding: dict[int, int] = {}  # activity id -> the position whose result it is
    groups: dict[int | None, list[ActivityRow]] = {}
    for at, (activity_id, row) in enumerate(zip(activity_ids, rows, strict=True)):
        employee = employees.get(row.employee_id) if row else None
        refusal = _refusal(viewer, row, employee, closed, acting_for)
        if refusal is not None or row is None:
            shown = row if refusal is not None and refusal.code != "NOT_FOUND" else None
            refused[at] = VerifyResult(activity_id, shown, (refusal,) if refusal else ())
        elif row.id not in deciding:
            assert employee is not None  # noqa: S101 - _refusal refuses a missing employee
            deciding[row.id] = at
            stood_in = employee.supervisor_id if employee.supervisor_id in acting_for else None
            groups.setdefault(stood_in, []).append(row)
    results: list[VerifyResult] = []
    # the activities' employees (their rows and inboxes), the verifier and the principals
    # stood in for (both sides of the decision)
    scope: set[int | None] = {row.employee_id for rows_ in groups.values() for row in rows_}
    scope |= {viewer.employee_id, *(p for p in groups if p is not None)}
    async with transaction(scope=scope):
        decided = await _decide(viewer, groups, decision)
        for at, activity_id in enumerate(activity_ids):
            if at in refused:
                results.append(refused[at])
            elif deciding.get(activity_id) == at and activity_id in decided:
                results.append(VerifyResult(activity_id, decided[activity_id]))
            else:  # someone else decided first (or an earlier copy of the id did)
                lost = FieldError("INVALID_STATE", "Aktivitas sudah diproses", "activityIds")
                results.append(VerifyResult(activity_id, None, (lost,)))
        await _notify_decisions(results, approve=approve, note=decision.note)
    return results


async def _notify_decisions(
    results: Sequence[VerifyResult], *, approve: bool, note: str | None
) -> None:
    """One notification per employee for a verification round, not one per activity."""
    decided: dict[int, list[ActivityRow]] = {}
    for r in results:
        if r.activity is not None and not r.errors:
            decided.setdefault(r.activity.employee_id, []).append(r.activity)
    word = "diverifikasi" if approve else "ditolak"
    await notifications.notify_each(
        "ACTIVITY_VERIFIED" if approve else "ACTIVITY_REJECTED",
        {
            employee_id: notifications.Message(
                f"{len(rows)} aktivitas {word}",
                "" if approve else f"Catatan atasan: {note}",
                encode_global_id("Activity", rows[0].id),
            )
            for employee_id, rows in decided.items()
        },
    )


ACTIVITY_BY_DATE = SortKey(
    "ACTIVITY_DATE", Activity.activity_date, lambda row: row.activity_date, date.fromisoformat
)
"""Activities by the day the work was done (then ID), for ``orderBy``."""


async def list_activities(
    viewer: Viewer,
    request: PageRequest,
    *,
    employee_id: int | None = None,
    status: ActivityStatus | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    pending_for_me: bool = False,
) -> Page[ActivityRow]:
    """Activities, newest first unless the request orders them.

    One employee's (scoped), or those awaiting the viewer (the verification queue).
    """
    clauses: list[Any] = []
    if pending_for_me:
        direct = await _direct_report_ids(viewer)
        clauses += [
            id_in(Activity.employee, direct),
            Activity.status == ActivityStatus.SUBMITTED.value,
        ]
    else:
        target = employee_id if employee_id is not None else viewer.employee_id
        if target is None:  # an account with no employee record, asking for its own
            raise NotFoundError("Employee", None)
        await visibility.readable_employee(viewer, target, "Employee")
        clauses.append(Activity.employee == target)
    if status is not None:
        clauses.append(Activity.status == status.value)
    if date_from is not None:
        clauses.append(Activity.activity_date >= date_from)
    if date_to is not None:
        clauses.append(Activity.activity_date <= date_to)
    query = Activity.select(*sql.ACTIVITY_COLUMNS)
    count = Activity.count()
    for clause in clauses:
        query = query.where(clause)
        count = count.where(clause)
    rows = [_row(r) for r in await keyset(query, Activity.id, request)]
    return page_of(rows, request, await count)


async def _direct_report_ids(viewer: Viewer) -> list[int]:
    if viewer.employee_id is None:
        return []
    page = await people.list_team(
        viewer, PageRequest(first=100_000, after_pk=None), direct_only=True
    )
    return [e.id for e in page.items]
