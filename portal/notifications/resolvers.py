"""Notifications: query, mark read, and the live ``notificationReceived`` subscription."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from strawberry.types import Info

from portal.context import Context
from portal.core.graphql import (
    Connection,
    IsAuthenticated,
    Node,
    UserError,
    register_node,
    run_payload,
    to_connection,
    viewer_of,
)
from portal.core.ids import decode_id_of, encode_global_id
from portal.core.pagination import page_request
from portal.notifications import service
from portal.notifications.service import NotificationRow


@strawberry.type(name="Notification", description="Something the viewer should know about.")
class NotificationType(Node):
    """A notification."""

    kind: str = strawberry.field(
        description="THREAD_MESSAGE, FEEDBACK_ACKNOWLEDGED, ACTIVITY_VERIFIED, "
        "ACTIVITY_REJECTED, SKP_APPROVED, SKP_RETURNED, EVALUATION_FINALISED, COACHING_ASSIGNED, "
        "SESSION_SCHEDULED, MENTORING_ALERT, …"
    )
    title: str = strawberry.field(description="Short text to show (Indonesian).")
    body: str = strawberry.field(description="Longer text, may be empty.")
    subject_id: strawberry.ID | None = strawberry.field(
        description="Global ID of the object it is about; open it with `node(id:)`."
    )
    created_at: datetime = strawberry.field(description="When it happened.")
    read_at: datetime | None = strawberry.field(description="When the viewer read it.")

    @classmethod
    def from_row(cls, row: NotificationRow) -> NotificationType:
        """Build from a service row."""
        return cls(
            id=strawberry.ID(encode_global_id("Notification", row.id)),
            kind=row.kind,
            title=row.title,
            body=row.body,
            subject_id=strawberry.ID(row.subject_id) if row.subject_id else None,
            created_at=row.created_at,
            read_at=row.read_at,
        )


async def _notification_node(info: Info[Context, None], pk: int) -> NotificationType | None:
    viewer = info.context.viewer
    row = await service.get_own(viewer, pk) if viewer else None
    return NotificationType.from_row(row) if row else None


register_node("Notification", _notification_node)


@strawberry.input(description="Which notifications to mark read.")
class MarkNotificationsReadInput:
    """Mark-read input."""

    ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Up to 100 notifications; omit to mark all read."
    )


@strawberry.type(description="Result of marking notifications read.")
class MarkNotificationsReadPayload:
    """Mark-read payload."""

    marked: int = strawberry.field(description="How many changed from unread to read.")
    unread_count: int = strawberry.field(description="Unread notifications left.")
    user_errors: list[UserError] = strawberry.field(description="Why it failed.")


@strawberry.type
class NotificationQuery:
    """The viewer's notifications."""

    @strawberry.field(
        description="The viewer's notifications, newest first.",
        permission_classes=[IsAuthenticated],
    )
    async def notifications(
        self,
        info: Info[Context, None],
        first: int,
        after: str | None = None,
        unread_only: bool = False,
    ) -> Connection[NotificationType]:
        """Notifications."""
        page = await service.list_notifications(
            viewer_of(info), page_request(first, after), unread_only=unread_only
        )
        return to_connection(page, NotificationType.from_row)

    @strawberry.field(
        description="Number of unread notifications.", permission_classes=[IsAuthenticated]
    )
    async def unread_notification_count(self, info: Info[Context, None]) -> int:
        """Unread count."""
        return await service.unread_count(viewer_of(info))


@strawberry.type
class NotificationMutation:
    """Read state of notifications."""

    @strawberry.mutation(
        description="Mark some or all of the viewer's notifications read.",
        permission_classes=[IsAuthenticated],
    )
    async def mark_notifications_read(
        self,
        info: Info[Context, None],
        input: MarkNotificationsReadInput,  # noqa: A002
    ) -> MarkNotificationsReadPayload:
        """Mark read."""
        viewer = viewer_of(info)

        async def go() -> int:
            ids = (
                [decode_id_of(i, "Notification", "ids") for i in input.ids]
                if input.ids is not None
                else None
            )
            return await service.mark_read(viewer, ids)

        marked, errors = await run_payload(go)
        return MarkNotificationsReadPayload(
            marked=marked or 0, unread_count=await service.unread_count(viewer), user_errors=errors
        )


@strawberry.type
class NotificationSubscription:
    """Live notifications."""

    @strawberry.subscription(
        description="Every new notification of the viewer, as it happens (any worker).",
        permission_classes=[IsAuthenticated],
    )
    async def notification_received(
        self, info: Info[Context, None]
    ) -> AsyncGenerator[NotificationType, None]:
        """Stream of notifications."""
        viewer = viewer_of(info)
        async for event in info.context.broker.subscribe(service.channel(viewer.account_id)):
            yield NotificationType.from_row(NotificationRow.from_event(event))
