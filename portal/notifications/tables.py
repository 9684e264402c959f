"""Per-user notifications."""

from __future__ import annotations

from piccolo.columns import (
    Boolean,
    ForeignKey,
    OnDelete,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from portal.accounts.tables import UserAccount
from portal.core.piccolo import WithId


class Notification(WithId, Table, tablename="notification"):
    """Something a user should know about, with a link to the object it concerns."""

    account = ForeignKey(references=UserAccount, on_delete=OnDelete.cascade, null=False, index=True)
    kind = Varchar(length=40)
    title = Varchar(length=200)
    body = Text(default="")
    subject_id = Varchar(length=80, null=True, default=None)  # global ID of the object
    created_at = Timestamptz(default=TimestamptzNow())
    read_at = Timestamptz(null=True, default=None)


class ChannelPreference(WithId, Table, tablename="notification_channel_preference"):
    """Where one account wants notifications outside the portal, and when not (quiet hours)."""

    account = ForeignKey(
        references=UserAccount, on_delete=OnDelete.cascade, null=False, unique=True
    )
    email = Varchar(length=254, null=True, default=None)
    email_enabled = Boolean(default=False)
    push_enabled = Boolean(default=False)
    # minutes after local (WIB) midnight; both null: no quiet hours; start > end spans midnight
    quiet_start = SmallInt(null=True, default=None)
    quiet_end = SmallInt(null=True, default=None)
    # JSON {category: [channels turned off]} (portal.notifications.services.channels); "": all on
    muted = Text(default="")


class PushSubscription(WithId, Table, tablename="push_subscription"):
    """A browser's Web Push subscription (the installed web app) of one account."""

    account = ForeignKey(references=UserAccount, on_delete=OnDelete.cascade, null=False, index=True)
    endpoint = Text(unique=True)
    p256dh = Varchar(length=200)  # the browser's public key (base64url)
    auth = Varchar(length=100)  # the browser's auth secret (base64url)
    created_at = Timestamptz(default=TimestamptzNow())


class Delivery(WithId, Table, tablename="notification_delivery"):
    """One notification sent through one channel: a retried job never sends it twice."""

    notification = ForeignKey(
        references=Notification, on_delete=OnDelete.cascade, null=False, index=True
    )
    channel = Varchar(length=10)  # EMAIL or PUSH
    delivered_at = Timestamptz(default=TimestamptzNow())
