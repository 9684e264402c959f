"""Query fields of the feedback domain: threads, unread counts, open dialog actions.

Thin: unpack, call the service, map. The ``threadMessageAdded`` subscription (a live read) is
here too; the writes are in :mod:`portal.feedback.mutations`.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from portal.core.auth import Viewer
from portal.core.context import Info
from portal.core.graphql import (
    NULLABLE_PART,
    Connection,
    IsAuthenticated,
    to_connection,
    viewer_field,
    viewer_of,
)
from portal.core.ids import decode_id_of, decode_optional_id
from portal.core.pagination import page_request
from portal.feedback import service
from portal.feedback.enums import ThreadStatus
from portal.feedback.loaders import FeedbackLoaders
from portal.feedback.service import ThreadRow
from portal.feedback.types import (
    ActionType,
    MessageType,
    ThreadType,
)


async def _inbox(info: Info, viewer: Viewer) -> list[ThreadRow]:
    """The viewer's inbox threads, read once per request."""
    if viewer.employee_id is None:
        return []
    return await FeedbackLoaders.of(info).inbox.load(viewer.employee_id)


@strawberry.type
class FeedbackQuery:
    """Threads and dialogs."""

    @viewer_field(
        "Feedback threads, newest first: the viewer's inbox, or those about one "
        "employee (participants; admins of the OPD see metadata)." + NULLABLE_PART
    )
    async def feedback_threads(
        self,
        info: Info,
        first: int,
        after: str | None = None,
        employee_id: strawberry.ID | None = None,
        status: ThreadStatus | None = None,
    ) -> Connection[ThreadType] | None:
        """Threads."""
        viewer = viewer_of(info)
        about = decode_optional_id(employee_id, "Employee", "employeeId")
        page = await service.list_threads(
            viewer,
            page_request(first, after),
            employee_id=about,
            status=status.value if status else None,
            inbox=await _inbox(info, viewer) if about is None else None,
        )
        return to_connection(page, ThreadType.from_row)

    @viewer_field("Unread messages over the viewer's threads." + NULLABLE_PART)
    async def unread_feedback_count(self, info: Info) -> int | None:
        """Unread total."""
        viewer = viewer_of(info)
        if viewer.employee_id is None:
            return 0
        # through the per-thread loader: the thread list's unreadCount reuses these counts
        keys = [(viewer.employee_id, t.id) for t in await _inbox(info, viewer)]
        return sum(await FeedbackLoaders.of(info).unread.load_many(keys))

    @viewer_field("Agreed dialog actions not yet done (default: the viewer's own).")
    async def open_dialog_actions(
        self, info: Info, employee_id: strawberry.ID | None = None
    ) -> list[ActionType]:
        """Open actions."""
        rows = await service.open_actions(
            viewer_of(info), decode_optional_id(employee_id, "Employee", "employeeId")
        )
        return [ActionType.from_row(a) for a in rows]


@strawberry.type
class FeedbackSubscription:
    """Live messages."""

    @strawberry.subscription(
        description="New messages of a thread the viewer takes part in, from any worker.",
        permission_classes=[IsAuthenticated],
    )
    async def thread_message_added(
        self, info: Info, thread_id: strawberry.ID
    ) -> AsyncGenerator[MessageType, None]:
        """Stream of messages; refused (a protocol `error`) unless the viewer takes part.

        The check runs when the stream is created, before anything is streamed, so a refused
        subscription never receives a `next` message.
        """
        viewer = viewer_of(info)
        pk = decode_id_of(thread_id, "FeedbackThread", "threadId")
        await service.get_thread(viewer, pk)  # NOT_FOUND unless a participant
        broker = info.context.broker

        async def stream() -> AsyncGenerator[MessageType, None]:
            async for event in broker.subscribe(service.thread_channel(pk)):
                yield MessageType.from_row(service.message_from_event(event))

        return stream()
