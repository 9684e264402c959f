"""Who may read a notification: the account it was sent to, and nobody else."""

from __future__ import annotations

from piccolo.columns.combination import Where

from portal.core.auth import Viewer
from portal.notifications.tables import Notification


def own(viewer: Viewer) -> Where:
    """The viewer's own notifications, as a Piccolo condition."""
    condition: Where = Notification.account == viewer.account_id
    return condition
