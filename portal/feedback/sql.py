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


# "{threads}": the thread columns (the service's select list over "feedback_thread")
_UNREAD_OF_INBOX = (
    f"WITH inbox AS ({_INBOX}) "  # noqa: S608 - fixed SQL, values bound
    "SELECT {threads}, (SELECT COUNT(*) FROM feedback_message m "
    "LEFT JOIN thread_read_state r ON r.thread = m.thread AND r.employee = {} "
    "WHERE m.thread = i.id AND m.id > COALESCE(r.last_read_message_id, 0) "
    "AND (m.author IS NULL OR m.author <> {})) AS unread_n FROM inbox i "
    'JOIN "feedback_thread" ON "feedback_thread"."id" = i.id'
)


def inbox_unread_sql(threads: str) -> str:
    """The statement of :func:`inbox_unread` selecting ``threads`` (the caller composes it once)."""
    return _UNREAD_OF_INBOX.replace("{threads}", threads)


async def inbox_unread(statement: str, employee_id: int) -> list[dict[str, Any]]:
    """The employee's inbox threads with each one's unread count (``unread_n``), one statement.

    ``statement``: :func:`inbox_unread_sql`. The same threads as :func:`inbox_thread_ids`, the
    same counts as :func:`unread_counts`.
    """
    rows: list[dict[str, Any]] = await FeedbackMessage.raw(statement, *([employee_id] * 6))
    return rows


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
