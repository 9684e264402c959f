"""Per-user notifications."""

from __future__ import annotations

from piccolo.columns import ForeignKey, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from portal.accounts.tables import UserAccount


class Notification(Table, tablename="notification"):
    """Something a user should know about, with a link to the object it concerns."""

    id = Serial(primary_key=True)
    account = ForeignKey(references=UserAccount, on_delete=OnDelete.cascade, null=False, index=True)
    kind = Varchar(length=40)
    title = Varchar(length=200)
    body = Text(default="")
    subject_id = Varchar(length=80, null=True, default=None)  # global ID of the object
    created_at = Timestamptz(default=TimestamptzNow())
    read_at = Timestamptz(null=True, default=None)
