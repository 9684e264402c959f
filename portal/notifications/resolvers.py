"""Notifications: query, mark read, and the live ``notificationReceived`` subscription."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from portal.core.context import Info
from portal.core.graphql import (
    NULLABLE_PART,
    Connection,
    Input,
    IsAuthenticated,
    mutate,
    run_payload,
    to_connection,
    viewer_field,
    viewer_mutation,
    viewer_of,
)
from portal.core.ids import decode_id_of
from portal.core.pagination import page_request
from portal.notifications.services import channels, inbox
from portal.notifications.services.inbox import NotificationRow
from portal.notifications.types import (
    MarkNotificationsReadInput,
    MarkNotificationsReadPayload,
    NotificationChannelsType,
    NotificationType,
    PushSubscriptionInput,
    PushSubscriptionPayload,
    SetNotificationChannelsInput,
    SetNotificationChannelsPayload,
)


@strawberry.type
class NotificationQuery:
    """The viewer's notifications."""

    @viewer_field("The viewer's notifications, newest first.")
    async def notifications(
        self,
        info: Info,
        first: int,
        after: str | None = None,
        unread_only: bool = False,
    ) -> Connection[NotificationType]:
        """Notifications."""
        page = await inbox.list_notifications(
            viewer_of(info), page_request(first, after), unread_only=unread_only
        )
        return to_connection(page, NotificationType.from_row)

    @viewer_field("Number of unread notifications." + NULLABLE_PART)
    async def unread_notification_count(self, info: Info) -> int | None:
        """Unread count."""
        return await inbox.unread_count(viewer_of(info))

    @viewer_field("Where the viewer's notifications also go (e-mail, Web Push), and when not.")
    async def notification_channels(self, info: Info) -> NotificationChannelsType:
        """The viewer's channels."""
        row = await channels.my_channels(viewer_of(info))
        return NotificationChannelsType.from_row(row, _public_key(info))


@strawberry.type
class NotificationMutation:
    """Read state of notifications."""

    @viewer_mutation("Mark some or all of the viewer's notifications read.")
    async def mark_notifications_read(
        self, info: Info, data: Input[MarkNotificationsReadInput]
    ) -> MarkNotificationsReadPayload:
        """Mark read."""
        viewer = viewer_of(info)

        async def go() -> int:
            ids = (
                [decode_id_of(i, "Notification", "ids") for i in data.ids]
                if data.ids is not None
                else None
            )
            return await inbox.mark_read(viewer, ids)

        marked, errors = await run_payload(go)
        return MarkNotificationsReadPayload(
            marked=marked or 0, unread_count=await inbox.unread_count(viewer), user_errors=errors
        )

    @viewer_mutation("Choose the channels outside the portal and quiet hours (WIB).")
    async def set_notification_channels(
        self, info: Info, data: Input[SetNotificationChannelsInput]
    ) -> SetNotificationChannelsPayload:
        """Set channels."""
        return await mutate(
            info,
            lambda viewer: channels.set_channels(
                viewer,
                email=data.email,
                email_enabled=data.email_enabled,
                push_enabled=data.push_enabled,
                quiet_start=data.quiet_hours_start,
                quiet_end=data.quiet_hours_end,
                kinds=None
                if data.kinds is None
                else [(k.category.value, k.in_app, k.email, k.push) for k in data.kinds],
            ),
            lambda row, errors: SetNotificationChannelsPayload(
                channels=NotificationChannelsType.from_row(row, _public_key(info)) if row else None,
                user_errors=errors,
            ),
        )

    @viewer_mutation("Register this browser (the installed web app) for Web Push.")
    async def register_push_subscription(
        self, info: Info, data: Input[PushSubscriptionInput]
    ) -> PushSubscriptionPayload:
        """Register a browser."""
        viewer = viewer_of(info)
        _, errors = await run_payload(
            lambda: channels.add_push_subscription(viewer, data.endpoint, data.p256dh, data.auth)
        )
        row = await channels.my_channels(viewer)
        return PushSubscriptionPayload(
            push_subscriptions=row.push_subscriptions, user_errors=errors
        )

    @viewer_mutation("Stop Web Push to one browser.")
    async def remove_push_subscription(self, info: Info, endpoint: str) -> PushSubscriptionPayload:
        """Remove a browser."""
        viewer = viewer_of(info)
        await channels.remove_push_subscription(viewer, endpoint)
        row = await channels.my_channels(viewer)
        return PushSubscriptionPayload(push_subscriptions=row.push_subscriptions, user_errors=[])


def _public_key(_: Info) -> str | None:
    return channels.web_push_key()


@strawberry.type
class NotificationSubscription:
    """Live notifications."""

    @strawberry.subscription(
        description="Every new notification of the viewer, as it happens (any worker).",
        permission_classes=[IsAuthenticated],
    )
    async def notification_received(self, info: Info) -> AsyncGenerator[NotificationType, None]:
        """Stream of notifications."""
        viewer = viewer_of(info)
        async for event in info.context.broker.subscribe(inbox.channel(viewer.account_id)):
            yield NotificationType.from_row(NotificationRow.from_event(event))
