"""GraphQL types, inputs and payloads of the feedback domain."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.types import Info

from portal.core.context import Context
from portal.core.graphql import (
    Connection,
    Node,
    RowPayload,
    register_node,
    to_connection,
    viewer_of,
)
from portal.core.ids import encode_global_id
from portal.core.pagination import page_request
from portal.core.row_types import FromRow
from portal.feedback import policy, service
from portal.feedback.enums import ThreadKind, ThreadStatus
from portal.feedback.loaders import FeedbackLoaders
from portal.feedback.service import ActionRow, DialogRow, MessageRow, ThreadRow
from portal.people.loaders import PeopleLoaders
from portal.people.types import EmployeeType, employee_field

strawberry.enum(ThreadKind, description="What a feedback thread is about.")


strawberry.enum(ThreadStatus, description="OPEN, or RESOLVED (can be reopened).")


@strawberry.type(name="FeedbackMessage", description="A message in a feedback thread.")
class MessageType(Node, FromRow[MessageRow]):
    """A message."""

    row: strawberry.Private[MessageRow]
    body: str = strawberry.field(description="Text.")
    created_at: datetime = strawberry.field(description="When it was sent.")
    edited_at: datetime | None = strawberry.field(description="Last edit, if edited.")

    author = employee_field("author_id", description="Who wrote it.")

    written_for = employee_field(
        "written_for_id",
        description="The supervisor the author stood in for as Plt/Plh when they wrote it; "
        "null when the author wrote in their own name (issue 20).",
    )

    @strawberry.field(description="Earlier versions of the text, oldest first.")
    async def edit_history(self, info: Info[Context, None]) -> list[str]:
        """Previous texts."""
        return [body for body, _ in await FeedbackLoaders.of(info).history.load(self.row.id)]


@strawberry.type(
    name="FeedbackThread",
    description="A conversation about one employee with their supervisor chain. Admins of the "
    "OPD see its metadata; `messages` is null for them.",
)
class ThreadType(Node, FromRow[ThreadRow]):
    """A thread."""

    row: strawberry.Private[ThreadRow]
    topic: str = strawberry.field(description="Subject line.")
    kind: ThreadKind = strawberry.field(description="APPRECIATION, IMPROVEMENT, QUESTION, …")
    status: ThreadStatus = strawberry.field(description="OPEN or RESOLVED.")
    acknowledged_at: datetime | None = strawberry.field(
        description="When the employee acknowledged the feedback."
    )
    resolved_at: datetime | None = strawberry.field(description="When it was resolved.")
    created_at: datetime = strawberry.field(description="When it was opened.")
    last_message_at: datetime = strawberry.field(description="Latest message.")

    employee = employee_field("employee_id", description="The employee the thread is about.")

    opened_by = employee_field("opened_by_id", description="Who opened it.")

    @strawberry.field(
        description="Global IDs of what the thread refers to (indicator, activity, evaluation, "
        "dialog), when set."
    )
    def reference_ids(self) -> list[strawberry.ID]:
        """References."""
        refs = (
            ("Indicator", self.row.indicator_id),
            ("Activity", self.row.activity_id),
            ("Evaluation", self.row.evaluation_id),
            ("DialogKinerja", self.row.dialog_id),
        )
        return [strawberry.ID(encode_global_id(t, pk)) for t, pk in refs if pk is not None]

    @strawberry.field(description="Messages in order; null unless the viewer takes part.")
    async def messages(
        self, info: Info[Context, None], first: int, after: str | None = None
    ) -> Connection[MessageType] | None:
        """Messages."""
        viewer = viewer_of(info)
        if not await policy.can_converse(viewer, self.row.employee_id):
            return None
        page = await service.list_messages(viewer, self.row.id, page_request(first, after))
        return to_connection(page, MessageType.from_row)

    @strawberry.field(description="Messages by others the viewer has not read yet.")
    async def unread_count(self, info: Info[Context, None]) -> int:
        """Unread."""
        viewer = viewer_of(info)
        if not await policy.can_converse(viewer, self.row.employee_id):
            return 0
        count: int = await FeedbackLoaders.of(info).unread.load((viewer.employee_id, self.row.id))
        return count


@strawberry.type(name="DialogAction", description="An agreed action of a dialog kinerja.")
class ActionType(Node, FromRow[ActionRow]):
    """An action."""

    row: strawberry.Private[ActionRow]
    description: str = strawberry.field(description="What was agreed.")
    due_on: date | None = strawberry.field(description="Due date.")
    done_at: datetime | None = strawberry.field(description="When it was done.")


@strawberry.type(name="DialogKinerja", description="A recorded performance conversation.")
class DialogType(Node, FromRow[DialogRow]):
    """A dialog."""

    row: strawberry.Private[DialogRow]
    held_on: date = strawberry.field(description="When it was held.")
    went_well: str = strawberry.field(description="What went well.")
    to_improve: str = strawberry.field(description="What to improve.")

    employee = employee_field("employee_id", description="The employee.")

    led_by = employee_field("led_by_id", description="Who led the conversation.")

    led_for = employee_field(
        "led_for_id",
        description="The supervisor the leader stood in for as Plt/Plh; null when they led it "
        "in their own name (issue 20).",
    )

    @strawberry.field(description="Everyone who took part.")
    async def participants(self, info: Info[Context, None]) -> list[EmployeeType]:
        """Participants."""
        rows = await PeopleLoaders.of(info).employee.load_many(self.row.participant_ids)
        return [EmployeeType.from_row(r) for r in rows if r]

    @strawberry.field(description="Agreed actions with due dates.")
    async def actions(self, info: Info[Context, None]) -> list[ActionType]:
        """Actions."""
        return [
            ActionType.from_row(a) for a in await FeedbackLoaders.of(info).actions.load(self.row.id)
        ]


async def _thread_node(info: Info[Context, None], pk: int) -> ThreadType | None:
    viewer = info.context.viewer
    row = await FeedbackLoaders.of(info).thread.load(pk)
    if row is None or viewer is None:
        return None
    employee = await PeopleLoaders.of(info).employee.load(row.employee_id)
    if employee is None or not await policy.can_see_metadata(viewer, employee):
        return None
    return ThreadType.from_row(row)


async def _dialog_node(info: Info[Context, None], pk: int) -> DialogType | None:
    viewer = info.context.viewer
    row = await FeedbackLoaders.of(info).dialog.load(pk)
    if row is None or viewer is None or not await policy.can_converse(viewer, row.employee_id):
        return None
    return DialogType.from_row(row)


async def _message_node(info: Info[Context, None], pk: int) -> MessageType | None:
    viewer = info.context.viewer
    row = await FeedbackLoaders.of(info).message.load(pk)
    if row is None or viewer is None:
        return None
    thread = await FeedbackLoaders.of(info).thread.load(row.thread_id)
    if thread is None or not await policy.can_converse(viewer, thread.employee_id):
        return None
    return MessageType.from_row(row)


async def _action_node(info: Info[Context, None], pk: int) -> ActionType | None:
    viewer = info.context.viewer
    row = await FeedbackLoaders.of(info).action.load(pk)
    if row is None or viewer is None:
        return None
    dialog = await FeedbackLoaders.of(info).dialog.load(row.dialog_id)
    if dialog is None or not await policy.can_converse(viewer, dialog.employee_id):
        return None
    return ActionType.from_row(row)


# Messages and agreed actions are readable exactly where their thread's or dialog's text is.
register_node("FeedbackThread", _thread_node)


register_node("FeedbackMessage", _message_node)


register_node("DialogKinerja", _dialog_node)


register_node("DialogAction", _action_node)


@strawberry.input(description="Open a feedback thread about an employee.")
class OpenThreadInput:
    """Open-thread input."""

    employee_id: strawberry.ID = strawberry.field(description="The employee it is about.")
    topic: str = strawberry.field(description="Subject (3-200 characters).")
    kind: ThreadKind = strawberry.field(description="Kind of feedback.")
    body: str = strawberry.field(description="The first message (1-4000 characters).")
    indicator_id: strawberry.ID | None = strawberry.field(default=None, description="Indicator.")
    activity_id: strawberry.ID | None = strawberry.field(default=None, description="Activity.")
    evaluation_id: strawberry.ID | None = strawberry.field(default=None, description="Evaluation.")
    dialog_id: strawberry.ID | None = strawberry.field(default=None, description="Dialog kinerja.")


@strawberry.input(description="Write in a thread.")
class PostMessageInput:
    """Post input."""

    thread_id: strawberry.ID = strawberry.field(description="The thread.")
    body: str = strawberry.field(description="Text (1-4000 characters).")


@strawberry.input(description="Edit one's own recent message.")
class EditMessageInput:
    """Edit input."""

    message_id: strawberry.ID = strawberry.field(description="The message.")
    body: str = strawberry.field(description="New text.")


@strawberry.input(description="Act on a thread.")
class ThreadActionInput:
    """Thread action input."""

    thread_id: strawberry.ID = strawberry.field(description="The thread.")


@strawberry.input(description="An agreed action.")
class DialogActionInput:
    """Action input."""

    description: str = strawberry.field(description="What (3-1000 characters).")
    due_on: date | None = strawberry.field(default=None, description="By when.")


@strawberry.input(description="Record a dialog kinerja.")
class RecordDialogInput:
    """Dialog input."""

    employee_id: strawberry.ID = strawberry.field(description="The employee.")
    held_on: date = strawberry.field(description="Date of the conversation.")
    went_well: str = strawberry.field(default="", description="What went well.")
    to_improve: str = strawberry.field(default="", description="What to improve.")
    participant_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Other participants (employees)."
    )
    actions: list[DialogActionInput] = strawberry.field(
        default_factory=list, description="Agreed actions."
    )
    evaluation_id: strawberry.ID | None = strawberry.field(
        default=None, description="The evaluation it belongs to."
    )


@strawberry.input(description="Mark an agreed action done.")
class CompleteActionInput:
    """Complete input."""

    action_id: strawberry.ID = strawberry.field(description="The action.")


@strawberry.type(description="Result of a thread mutation.")
class ThreadPayload(RowPayload[ThreadRow], thread=(ThreadType, "The thread after the change.")):
    """Thread payload."""


@strawberry.type(description="Result of posting or editing a message.")
class MessagePayload(RowPayload[MessageRow], message=(MessageType, "The message.")):
    """Message payload."""


@strawberry.type(description="Result of recording a dialog.")
class DialogPayload(RowPayload[DialogRow], dialog=(DialogType, "The dialog.")):
    """Dialog payload."""


@strawberry.type(description="Result of completing an action.")
class ActionPayload(RowPayload[ActionRow], action=(ActionType, "The action.")):
    """Action payload."""
