"""Audit log: every write records who, what, when, before and after (DESIGN.md §4).

A shared mechanism like the transaction it runs in, so it lives in ``core``: every domain's
service appends with :func:`record` inside its own transaction. The table stays in the
``accounts`` Piccolo app (its migrations made it), which lists :class:`AuditEntry` among its
tables; no domain reads it but through :func:`entries`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

from piccolo.columns import JSON, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from portal.core.auth import Viewer
from portal.core.db import transaction
from portal.core.errors import DomainError, PermissionDeniedError
from portal.core.metrics import LOGIN_FAILURES
from portal.core.pagination import Page, PageRequest, SortKey, keyset, page_of
from portal.core.piccolo import WithId
from portal.core.requests import current_request_id

# audited security events that are also counted (portal_login_failures_total)
LOGIN_FAILURE_ACTIONS = frozenset({"LOGIN_FAILED", "LOGIN_LOCKED"})


class AuditEntry(WithId, Table, tablename="audit_entry"):
    """Who did what, when, with the state before and after."""

    account_id = Integer(null=True, default=None, index=True)
    action = Varchar(length=64, index=True)
    entity_type = Varchar(length=64)
    entity_id = Varchar(length=64, null=True, default=None)
    before = JSON(null=True, default=None)
    after = JSON(null=True, default=None)
    request_id = Varchar(length=32, null=True, default=None)
    at = Timestamptz(default=TimestamptzNow(), index=True)


@dataclass(frozen=True, slots=True)
class AuditEntryRow:
    """One audit-log entry."""

    id: int
    at: datetime
    action: str
    entity_type: str
    entity_id: str | None
    account_id: int | None
    before: Any
    after: Any
    request_id: str | None


async def record(
    *,
    account_id: int | None,
    action: str,
    entity_type: str,
    entity_id: int | str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append an audit entry inside the caller's transaction."""
    if action in LOGIN_FAILURE_ACTIONS:
        LOGIN_FAILURES.labels(action).inc()
    await AuditEntry.insert(
        AuditEntry(
            account_id=account_id,
            action=action,
            entity_type=entity_type,
            entity_id=None if entity_id is None else str(entity_id),
            before=before,
            after=after,
            request_id=current_request_id.get(),
        )
    )


class _Stated(Protocol):
    """A service row with an id and a workflow status."""

    @property
    def id(self) -> int: ...
    @property
    def status(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Workflow:
    """A table whose rows move through statuses (see :func:`record_move`).

    ``what`` names a row in a refusal (e.g. SKP), ``field`` is the input field a refusal is
    about, ``reread`` reads a row again by id (for the status someone else set).
    """

    table: type[Table]
    what: str
    field: str
    reread: Callable[[int], Awaitable[_Stated]]


async def record_move(
    workflow: Workflow,
    viewer: Viewer,
    row: _Stated,
    sources: Iterable[str],
    values: dict[Any, Any],
    *,
    action: str,
) -> None:
    """Write ``values`` (and ``updated_at``) while the row's status is one of ``sources``.

    Compare-and-set, in one transaction with the audit entry (the status ``row`` had, the
    values written); INVALID_STATE when someone else moved the row first.
    """
    table = workflow.table
    key, status, updated_at = table.id, table.status, table.updated_at  # type: ignore[attr-defined]
    async with transaction():
        updated = (
            await table.update({**values, updated_at: datetime.now(UTC)})
            .where((key == row.id) & status.is_in(sorted(sources)))
            .returning(key)
        )
        if not updated:
            current = (await workflow.reread(row.id)).status
            message = f"{workflow.what} berstatus {current}; tindakan tidak dapat dilakukan"
            raise DomainError.single("INVALID_STATE", message, workflow.field)
        await record(
            account_id=viewer.account_id,
            action=action,
            entity_type=table.__name__,
            entity_id=row.id,
            before={"status": row.status},
            after={c._meta.name: _jsonable(v) for c, v in values.items()},  # noqa: SLF001
        )


async def record_created(viewer: Viewer, row: Table, action: str, after: dict[str, Any]) -> int:
    """Insert ``row`` and audit its creation (``after``: what to record of it); its new id."""
    (inserted,) = await type(row).insert(row)
    row_id = int(inserted["id"])
    await record(
        account_id=viewer.account_id,
        action=action,
        entity_type=type(row).__name__,
        entity_id=row_id,
        after={name: _jsonable(value) for name, value in after.items()},
    )
    return row_id


def _jsonable(value: Any) -> Any:  # noqa: ANN401 - a column's value
    return value.isoformat() if isinstance(value, date) else value


async def record_many(entries: list[dict[str, Any]]) -> None:
    """Append many audit entries at once (bulk imports)."""
    request_id = current_request_id.get()
    for start in range(0, len(entries), 500):
        chunk = entries[start : start + 500]
        await AuditEntry.insert(*(AuditEntry(request_id=request_id, **e) for e in chunk))


def _json(value: Any) -> Any:  # noqa: ANN401 - JSON values are arbitrary
    """SQLite (and asyncpg for JSON columns) return JSON as text."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


AUDIT_BY_AT = SortKey("AT", AuditEntry.at, lambda row: row.at, datetime.fromisoformat)
"""Audit entries by when they happened (then ID), for ``orderBy``."""
AUDIT_BY_ACTION = SortKey("ACTION", AuditEntry.action, lambda row: row.action)
"""Audit entries by action name (then ID), for ``orderBy``."""


async def entries(
    viewer: Viewer,
    request: PageRequest,
    *,
    entity_type: str | None = None,
    action: str | None = None,
    entity_id: str | None = None,
    account_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Page[AuditEntryRow]:
    """The audit log, newest first unless the request orders it, filtered (ADMIN_BKPSDM only).

    ``account_id``: who acted; ``since`` (inclusive) and ``until`` (exclusive): when.
    """
    if not viewer.is_bkpsdm:
        raise PermissionDeniedError("Hanya admin BKPSDM yang dapat melakukan ini")
    clauses: list[Any] = []
    if entity_type:
        clauses.append(AuditEntry.entity_type == entity_type.strip()[:64])
    if action:
        clauses.append(AuditEntry.action == action.strip()[:64])
    if entity_id:
        clauses.append(AuditEntry.entity_id == entity_id.strip()[:64])
    if account_id is not None:
        clauses.append(AuditEntry.account_id == account_id)
    if since is not None:
        clauses.append(AuditEntry.at >= since)
    if until is not None:
        clauses.append(AuditEntry.at < until)
    query = AuditEntry.select(
        AuditEntry.id,
        AuditEntry.at,
        AuditEntry.action,
        AuditEntry.entity_type,
        AuditEntry.entity_id,
        AuditEntry.account_id,
        AuditEntry.before,
        AuditEntry.after,
        AuditEntry.request_id,
    )
    count = AuditEntry.count()
    for clause in clauses:
        query = query.where(clause)
        count = count.where(clause)
    rows = [
        AuditEntryRow(**{**r, "before": _json(r["before"]), "after": _json(r["after"])})
        for r in await keyset(query, AuditEntry.id, request)
    ]
    return page_of(rows, request, await count)
