"""GraphQL types, inputs and payloads of the notifications domain."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from portal.core.context import Context
from portal.core.graphql import (
    Node,
    UserError,
    register_node,
)
from portal.core.ids import encode_global_id
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
