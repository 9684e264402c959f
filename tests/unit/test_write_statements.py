"""Which statements move the response cache's data version (core.db.writes)."""

from __future__ import annotations

from portal.core.audit import AuditEntry
from portal.core.db import writes
from portal.notifications.tables import Notification


def test_reads_do_not_count_as_writes() -> None:
    # given reads as Piccolo builds them and as a domain's sql.py writes them
    reads = [
        Notification.select().where(Notification.id == 1),
        Notification.count().where(Notification.account == 2),
        Notification.exists().where(Notification.id == 1),
        Notification.raw("WITH RECURSIVE chain AS (SELECT 1) SELECT * FROM chain"),
        Notification.raw("  select id from notification"),
    ]

    # then none of them is a write
    assert [writes(q.querystrings[0]) for q in reads] == [False] * len(reads)


def test_every_kind_of_write_counts() -> None:
    # given inserts, updates and deletes, through Piccolo and raw, and a CTE that writes
    changes = [
        Notification.insert(Notification(account=1, kind="X", title="t")),
        Notification.update({Notification.read_at: None}).where(Notification.id == 1),
        Notification.delete().where(Notification.id == 1),
        Notification.raw("UPDATE notification SET read_at = NULL"),
        Notification.raw("WITH gone AS (DELETE FROM notification RETURNING id) SELECT 1"),
        Notification.raw("INSERT INTO notification (account) VALUES (1)"),
    ]

    # then every one is a write
    assert [writes(q.querystrings[0]) for q in changes] == [True] * len(changes)


def test_the_audit_trail_is_not_read_by_any_cached_screen() -> None:
    # an audit entry (written by every login too) does not empty the cache
    entry = AuditEntry.insert(AuditEntry(action="LOGIN", entity_type="AuthSession"))
    assert writes(entry.querystrings[0]) is False
