"""Notifications: query, mark read, and the live ``notificationReceived`` subscription."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from portal.core.context import Context
from portal.core.graphql import (
    NULLABLE_PART,
    Connection,
    IsAuthenticated,
    run_payload,
    to_connection,
    viewer_of,
)
from portal.core.ids import decode_id_of
from portal.core.pagination import page_request
from portal.notifications import service
from portal.notifications.service import NotificationRow
from portal.notifications.types import (
    MarkNotificationsReadInput,
    MarkNotificationsReadPayload,
    NotificationType,
)


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
        description="Number of unread notifications." + NULLABLE_PART,
        permission_classes=[IsAuthenticated],
    )
    async def unread_notification_count(self, info: Info[Context, None]) -> int | None:
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
