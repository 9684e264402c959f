"""Per-request dataloaders of the feedback domain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from strawberry.dataloader import DataLoader

from portal.core.context import LoaderSet
from portal.feedback import service
from portal.feedback.service import ActionRow, DialogRow, MessageRow, ThreadRow

UnreadKey = tuple[int | None, int]  # (reader employee id, thread id)


async def _unread(keys: Sequence[UnreadKey]) -> list[int]:
    """Unread counts, one grouped query per reader (a request has one reader)."""
    by_reader: dict[int | None, list[int]] = {}
    for reader, thread in keys:
        by_reader.setdefault(reader, []).append(thread)
    counts: dict[UnreadKey, int] = {}
    for reader, threads in by_reader.items():
        for thread, n in zip(threads, await service.unread_counts(reader, threads), strict=True):
            counts[(reader, thread)] = n
    return [counts[k] for k in keys]


class FeedbackLoaders(LoaderSet):
    """Threads, dialogs, actions, edit history and unread counts, batched per request."""

    def __init__(self) -> None:
        self.thread: DataLoader[int, ThreadRow | None] = DataLoader(service.threads_by_ids)
        self.dialog: DataLoader[int, DialogRow | None] = DataLoader(service.dialogs_by_ids)
        self.actions: DataLoader[int, list[ActionRow]] = DataLoader(service.actions_by_dialog)
        self.message: DataLoader[int, MessageRow | None] = DataLoader(service.messages_by_ids)
        self.action: DataLoader[int, ActionRow | None] = DataLoader(service.actions_by_ids)
        self.history: DataLoader[int, list[tuple[str, datetime]]] = DataLoader(
            service.message_history
        )
        self.unread: DataLoader[UnreadKey, int] = DataLoader(_unread)
        # the viewer's inbox: read once although the thread list and the unread total need it,
        # the threads with each one's unread count (primes ``thread`` and ``unread``: the total,
        # the list's page and its counts)
        self.inbox: DataLoader[int, list[ThreadRow]] = DataLoader(self._inboxes)

    async def _inboxes(self, employee_ids: Sequence[int]) -> list[list[ThreadRow]]:
        """Each reader's inbox threads, by id (a request has one reader: one query)."""
        found = []
        for employee_id in employee_ids:
            threads = await service.inbox_unread(employee_id)
            for thread, n in threads:
                self.unread.prime((employee_id, thread.id), n)
                self.thread.prime(thread.id, thread)
            found.append([thread for thread, _ in threads])
        return found
