"""The retention job deletes notifications past their time, and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portal.accounts.tables import UserAccount
from portal.core.jobs import JobContext
from portal.notifications.services import inbox
from portal.notifications.tables import Notification
from portal.ops.retention import retention
from support.factories import Factory


async def _no_progress(_: float) -> None:
    return None


async def test_old_notifications_go_recent_and_unread_stay(factory: Factory) -> None:
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    [account] = await UserAccount.select(UserAccount.id).where(UserAccount.username == person.nip)
    now = datetime.now(UTC)
    ages = {"old read": (200, True), "recent read": (30, True), "old unread": (200, False),
            "ancient unread": (400, False)}  # fmt: skip
    ids = {}
    for title, (days, read) in ages.items():
        [row] = await inbox.notify_accounts([account["id"]], "FEEDBACK_RECEIVED", title)
        ids[title] = row.id
        await Notification.update(
            {
                Notification.created_at: now - timedelta(days=days),
                Notification.read_at: now if read else None,
            }
        ).where(Notification.id == row.id)

    result = await retention(JobContext("retention", 1, _no_progress))

    assert result == {"notifications_deleted": 2}
    left = {r["title"] for r in await Notification.select(Notification.title)}
    assert left == {"recent read", "old unread"}
