"""Notifications: stored per account, delivered live on ``notifications:<account id>``.

Other domains call :func:`notify_employees` inside their write transaction; the rows commit
with the write and the live event goes out only after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from portal.accounts import facts as accounts_facts
from portal.core import audit
from portal.core.auth import Viewer
from portal.core.db import id_in, newest_first, on_commit, row_columns, transaction
from portal.core.errors import DomainError
from portal.core.events import publish_after_commit
from portal.core.jobs import get_queue
from portal.core.pagination import Page, PageRequest
from portal.notifications import policy
from portal.notifications.services import channels
from portal.notifications.tables import Notification

logger = logging.getLogger(__name__)

MAX_MARK = 100
DELIVER_JOB = "notifications.deliver"  # registered in portal.ops.delivery


@dataclass(frozen=True, slots=True)
class NotificationRow:
    """A notification."""

    id: int
    account_id: int
    kind: str
    title: str
    body: str
    subject_id: str | None
    created_at: datetime
    read_at: datetime | None

    def event(self) -> dict[str, Any]:
        """The live event sent to subscribers."""
        return {
            "id": self.id,
            "account_id": self.account_id,
            "kind": self.kind,
            "title": self.title,
            "body": self.body,
            "subject_id": self.subject_id,
            "created_at": self.created_at.isoformat(),
        }

    @classmethod
    def from_event(cls, event: dict[str, Any]) -> NotificationRow:
        """Rebuild from a live event."""
        return cls(
            id=int(event["id"]),
            account_id=int(event["account_id"]),
            kind=str(event["kind"]),
            title=str(event["title"]),
            body=str(event["body"]),
            subject_id=event.get("subject_id"),
            created_at=datetime.fromisoformat(str(event["created_at"])),
            read_at=None,
        )


def channel(account_id: int) -> str:
    """Broker channel of one account's notifications."""
    return f"notifications:{account_id}"


_COLUMNS = row_columns(Notification, NotificationRow)


@dataclass(frozen=True, slots=True)
class Message:
    """What one recipient is told (see :func:`notify_each`)."""

    title: str
    body: str = ""
    subject_id: str | None = None


async def notify_accounts(
    account_ids: Sequence[int], kind: str, title: str, body: str = "", subject_id: str | None = None
) -> list[NotificationRow]:
    """Store a notification for each account and publish it after the commit."""
    message = Message(title, body, subject_id)
    return await _store(kind, dict.fromkeys(account_ids, message))


async def _store(kind: str, messages: dict[int, Message]) -> list[NotificationRow]:
    """Store each account's message (one insert) and publish them after the commit."""
    ids = sorted(messages)
    if not ids:
        return []
    now = datetime.now(UTC)
    rows = []
    async with transaction():
        # who turned the portal's channel off for this kind: kept (read) for the record and for
        # e-mail / push, but neither counted as unread nor announced live
        quiet = await channels.in_app_muted(ids, kind)
        inserted = await Notification.insert(
            *(
                Notification(
                    account=a,
                    kind=kind,
                    title=messages[a].title[:200],
                    body=messages[a].body,
                    subject_id=messages[a].subject_id,
                    created_at=now,
                    read_at=now if a in quiet else None,
                )
                for a in ids
            )
        )
        for account_id, r in zip(ids, inserted, strict=True):
            message = messages[account_id]
            row = NotificationRow(
                id=int(r["id"]),
                account_id=account_id,
                kind=kind,
                title=message.title[:200],
                body=message.body,
                subject_id=message.subject_id,
                created_at=now,
                read_at=now if account_id in quiet else None,
            )
            rows.append(row)
            if account_id not in quiet:
                await publish_after_commit(channel(account_id), row.event())
        if channels.delivery_enabled():  # e-mail / Web Push, by each account's choice

            async def deliver() -> None:
                try:
                    await get_queue().enqueue(DELIVER_JOB, notification_ids=[r.id for r in rows])
                except Exception:  # the notification is stored; only the copy outside is lost
                    logger.exception("queueing delivery of %d notification(s) failed", len(rows))

            await on_commit(deliver)
    return rows


async def notify_employees(
    employee_ids: Sequence[int],
    kind: str,
    title: str,
    body: str = "",
    subject_id: str | None = None,
) -> list[NotificationRow]:
    """Notify employees through their accounts."""
    return await notify_accounts(
        await accounts_facts.active_account_ids(employee_ids), kind, title, body, subject_id
    )


async def notify_each(kind: str, messages: dict[int, Message]) -> list[NotificationRow]:
    """Tell each employee (the keys) their own message, through their accounts, all at once."""
    accounts = await accounts_facts.active_accounts_by_employee(list(messages))
    return await _store(kind, {a: messages[e] for e, found in accounts.items() for a in found})


async def list_notifications(
    viewer: Viewer, request: PageRequest, *, unread_only: bool = False
) -> Page[NotificationRow]:
    """The viewer's notifications, newest first."""
    clauses: list[Any] = [policy.own(viewer)]
    if unread_only:
        clauses.append(Notification.read_at.is_null())
    return await newest_first(
        Notification, _COLUMNS, clauses, request, lambda r: NotificationRow(**r)
    )


async def unread_count(viewer: Viewer) -> int:
    """Unread notifications of the viewer."""
    count: int = await Notification.count().where(
        policy.own(viewer) & Notification.read_at.is_null()
    )
    return count


async def mark_read(viewer: Viewer, ids: Sequence[int] | None) -> int:
    """Mark some (or, with None, all) of the viewer's notifications read; return how many."""
    if ids is not None and len(ids) > MAX_MARK:
        raise DomainError.single("TOO_MANY_IDS", f"Maksimal {MAX_MARK} sekaligus", "ids")
    where = policy.own(viewer) & Notification.read_at.is_null()
    if ids is not None:
        where = where & id_in(Notification.id, ids)
    # only the reader's own counts change (an account without an employee: unscoped)
    reader = None if viewer.employee_id is None else [viewer.employee_id]
    async with transaction(scope=reader):
        updated = (
            await Notification.update({Notification.read_at: datetime.now(UTC)})
            .where(where)
            .returning(Notification.id)
        )
        if updated:
            await audit.record(
                account_id=viewer.account_id,
                action="NOTIFICATIONS_READ",
                entity_type="Notification",
                entity_id=None if len(updated) > 1 else updated[0]["id"],
                after={"ids": sorted(int(r["id"]) for r in updated)},
            )
    return len(updated)


async def get_own(viewer: Viewer, notification_id: int) -> NotificationRow | None:
    """One of the viewer's own notifications (nobody else's)."""
    rows = await Notification.select(*_COLUMNS).where(
        (Notification.id == notification_id) & policy.own(viewer)
    )
    return NotificationRow(**rows[0]) if rows else None
