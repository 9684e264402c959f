"""Data retention (deploy/BACKUP.md, "Retention"): the daily ``ops.retention`` job.

Notifications are reminders, not records: read ones go after 180 days, unread ones after a
year. The audit log is a record of the city's decisions and is never deleted by the portal
(archived by hand after five years, see BACKUP.md); logs live in the log collector.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from portal.core.jobs import JSON, JobContext, job
from portal.notifications.services.channels import purge_notifications

RETENTION = "ops.retention"
READ_NOTIFICATION_DAYS = 180
UNREAD_NOTIFICATION_DAYS = 365
CRON = "30 20 * * *"  # 03:30 WIB, after the nightly scoring


@job(RETENTION, retries=3, heartbeat_seconds=120)
async def retention(ctx: JobContext, **_: Any) -> JSON:  # noqa: ANN401
    """Delete notifications past their retention."""
    now = datetime.now(UTC)
    removed = await purge_notifications(
        read_before=now - timedelta(days=READ_NOTIFICATION_DAYS),
        unread_before=now - timedelta(days=UNREAD_NOTIFICATION_DAYS),
    )
    await ctx.progress(1.0)
    return {"notifications_deleted": removed}
