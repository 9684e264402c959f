"""The feedback domain's raw SQL (a list bound as one parameter: core.db.ids_match)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from portal.core.db import ids_match, ids_param
from portal.feedback.tables import FeedbackMessage
from portal.people import facts as people_facts

# composed once; the employee's id is bound four times
_REPORTS = people_facts.direct_reports_sql()
_INBOX = (
    'SELECT t."id" AS id FROM "feedback_thread" t'  # noqa: S608 - fixed SQL, values bound
    ' WHERE t."employee" = {} OR t."opened_by" = {}'
    f' OR t."employee" IN ({_REPORTS})'
    ' UNION SELECT m."thread" AS id FROM "feedback_message" m WHERE m."author" = {}'
)


async def inbox_thread_ids(employee_id: int) -> list[int]:
    """Threads about the employee or a direct report, opened or written by them, by id."""
    rows = await FeedbackMessage.raw(_INBOX, employee_id, employee_id, employee_id, employee_id)
    return sorted(int(r["id"]) for r in rows)


_UNREAD_OF_INBOX = (
    f"WITH inbox AS ({_INBOX}) "  # noqa: S608 - fixed SQL, values bound
    "SELECT i.id AS id, (SELECT COUNT(*) FROM feedback_message m "
    "LEFT JOIN thread_read_state r ON r.thread = m.thread AND r.employee = {} "
    "WHERE m.thread = i.id AND m.id > COALESCE(r.last_read_message_id, 0) "
    "AND (m.author IS NULL OR m.author <> {})) AS n FROM inbox i"
)


async def inbox_unread(employee_id: int) -> list[tuple[int, int]]:
    """The employee's inbox with each thread's unread count, by thread id (one statement).

    The same threads as :func:`inbox_thread_ids`, the same counts as :func:`unread_counts`.
    """
    rows = await FeedbackMessage.raw(_UNREAD_OF_INBOX, *([employee_id] * 6))
    return sorted((int(r["id"]), int(r["n"])) for r in rows)


async def unread_counts(employee_id: int, thread_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Messages by others after the reader's last read one, per thread (threads with any)."""
    sql = (
        "SELECT m.thread AS thread_id, COUNT(*) AS n FROM feedback_message m "  # noqa: S608 - fixed SQL, values bound
        "LEFT JOIN thread_read_state r ON r.thread = m.thread AND r.employee = {} "
        "WHERE " + ids_match("m.thread") + " AND m.id > COALESCE(r.last_read_message_id, 0) "
        "AND (m.author IS NULL OR m.author <> {}) GROUP BY m.thread"
    )
    rows: list[dict[str, Any]] = await FeedbackMessage.raw(
        sql, employee_id, ids_param(thread_ids), employee_id
    )
    return rows
