"""GraphQL types, inputs and payloads of the notifications domain."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from portal.core.context import Context
from portal.core.graphql import (
    Node,
    UserError,
    register_node,
)
from portal.core.ids import encode_global_id
from portal.notifications.services import inbox
from portal.notifications.services.channels import CATEGORIES, EMAIL, IN_APP, PUSH, Channels, hhmm
from portal.notifications.services.inbox import NotificationRow


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
    row = await inbox.get_own(viewer, pk) if viewer else None
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


@strawberry.enum(description="A kind of notification, for choosing its channels.")
class NotificationCategory(Enum):
    """Kinds of notification (portal.notifications.services.channels.category_of)."""

    MENTORING = "MENTORING"
    VERIFICATION = "VERIFICATION"
    FEEDBACK = "FEEDBACK"
    TRAINING = "TRAINING"
    PERFORMANCE = "PERFORMANCE"
    OTHER = "OTHER"


@strawberry.type(description="The channels of one kind of notification.")
class NotificationKindChannels:
    """Channels of one category."""

    category: NotificationCategory = strawberry.field(description="The kind of notification.")
    in_app: bool = strawberry.field(
        description="Shown as new in the portal (bell, live); off: kept as read, not announced."
    )
    email: bool = strawberry.field(description="Sent by e-mail (when e-mail is on).")
    push: bool = strawberry.field(description="Sent by Web Push (when Web Push is on).")


@strawberry.input(description="The channels of one kind of notification.")
class NotificationKindChannelsInput:
    """Channels of one category."""

    category: NotificationCategory = strawberry.field(description="The kind of notification.")
    in_app: bool = strawberry.field(default=True, description="Shown as new in the portal.")
    email: bool = strawberry.field(default=True, description="Sent by e-mail.")
    push: bool = strawberry.field(default=True, description="Sent by Web Push.")


@strawberry.type(
    name="NotificationChannels",
    description="Where the viewer's notifications also go outside the portal, and when not.",
)
class NotificationChannelsType:
    """The viewer's channels."""

    email: str | None = strawberry.field(description="Address for e-mail notifications.")
    email_enabled: bool = strawberry.field(description="Send notifications by e-mail.")
    push_enabled: bool = strawberry.field(description="Send Web Push to registered browsers.")
    quiet_hours_start: str | None = strawberry.field(
        description="Start of quiet hours (WIB, HH:MM); nothing leaves the portal until the end."
    )
    quiet_hours_end: str | None = strawberry.field(description="End of quiet hours (WIB, HH:MM).")
    push_subscriptions: int = strawberry.field(description="Browsers registered for Web Push.")
    web_push_public_key: str | None = strawberry.field(
        description="The VAPID application server key to subscribe with (null: push is off)."
    )
    kinds: list[NotificationKindChannels] = strawberry.field(
        description="The channels of each kind of notification (all on unless turned off)."
    )

    @classmethod
    def from_row(cls, row: Channels, public_key: str | None) -> NotificationChannelsType:
        """Build from the service's value."""
        return cls(
            email=row.email,
            email_enabled=row.email_enabled,
            push_enabled=row.push_enabled,
            quiet_hours_start=hhmm(row.quiet_start),
            quiet_hours_end=hhmm(row.quiet_end),
            push_subscriptions=row.push_subscriptions,
            web_push_public_key=public_key,
            kinds=[
                NotificationKindChannels(
                    category=NotificationCategory(c),
                    in_app=IN_APP not in row.muted.get(c, frozenset()),
                    email=EMAIL not in row.muted.get(c, frozenset()),
                    push=PUSH not in row.muted.get(c, frozenset()),
                )
                for c in CATEGORIES
            ],
        )


@strawberry.input(description="The viewer's channels and quiet hours.")
class SetNotificationChannelsInput:
    """Channels input."""

    email: str | None = strawberry.field(default=None, description="E-mail address.")
    email_enabled: bool = strawberry.field(default=False, description="Send by e-mail.")
    push_enabled: bool = strawberry.field(default=False, description="Send by Web Push.")
    quiet_hours_start: str | None = strawberry.field(
        default=None, description="HH:MM (WIB); with quietHoursEnd, or neither."
    )
    quiet_hours_end: str | None = strawberry.field(default=None, description="HH:MM (WIB).")
    kinds: list[NotificationKindChannelsInput] | None = strawberry.field(
        default=None,
        description="Channels per kind of notification to change; null keeps them as they are.",
    )


@strawberry.type(description="The viewer's channels after the change.")
class SetNotificationChannelsPayload:
    """Channels payload."""

    channels: NotificationChannelsType | None = strawberry.field(description="Now in force.")
    user_errors: list[UserError] = strawberry.field(description="Business-rule failures.")


@strawberry.input(description="A browser's PushSubscription (its toJSON()).")
class PushSubscriptionInput:
    """Push subscription input."""

    endpoint: str = strawberry.field(description="The push service URL (https).")
    p256dh: str = strawberry.field(description="keys.p256dh (base64url).")
    auth: str = strawberry.field(description="keys.auth (base64url).")


@strawberry.type(description="Result of registering or removing a browser.")
class PushSubscriptionPayload:
    """Push subscription payload."""

    push_subscriptions: int = strawberry.field(description="Browsers registered now.")
    user_errors: list[UserError] = strawberry.field(description="Business-rule failures.")
