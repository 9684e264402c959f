"""Audit log: every write records who, what, when, before and after."""

from __future__ import annotations

from typing import Any

from portal.accounts.tables import AuditEntry
from portal.core.requests import current_request_id


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


async def record_many(entries: list[dict[str, Any]]) -> None:
    """Append many audit entries at once (bulk imports)."""
    request_id = current_request_id.get()
    for start in range(0, len(entries), 500):
        chunk = entries[start : start + 500]
        await AuditEntry.insert(*(AuditEntry(request_id=request_id, **e) for e in chunk))
