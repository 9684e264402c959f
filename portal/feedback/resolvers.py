"""GraphQL of feedback threads and dialog kinerja, with the ``threadMessageAdded`` subscription."""

from __future__ import annotations

import enum
from collections.abc import AsyncGenerator
from datetime import date, datetime

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
from portal.feedback import service
from portal.feedback.service import ActionRow, DialogRow, MessageRow, ThreadRow
from portal.people.types import EmployeeType, load_employee


@strawberry.enum(description="What a feedback thread is about.")
class ThreadKind(enum.StrEnum):
    """Thread kinds."""

    APPRECIATION = "APPRECIATION"
    IMPROVEMENT = "IMPROVEMENT"
    QUESTION = "QUESTION"
    DIALOG_KINERJA = "DIALOG_KINERJA"


@strawberry.enum(description="OPEN, or RESOLVED (can be reopened).")
class ThreadStatus(enum.StrEnum):
    """Thread status."""

    OPEN = "OPEN"
    RESOLVED = "RESOLVED"


@strawberry.type(name="FeedbackMessage", description="A message in a feedback thread.")
class MessageType(Node):
    """A message."""

    row: strawberry.Private[MessageRow]
    body: str = strawberry.field(description="Text.")
    created_at: datetime = strawberry.field(description="When it was sent.")
    edited_at: datetime | None = strawberry.field(description="Last edit, if edited.")

    @classmethod
    def from_row(cls, row: MessageRow) -> MessageType:
        """Build from a service row."""
        return cls(
            id=strawberry.ID(encode_global_id("FeedbackMessage", row.id)),
            row=row,
            body=row.body,
            created_at=row.created_at,
            edited_at=row.edited_at,
        )

    @strawberry.field(description="Who wrote it.")
    async def author(self, info: Info[Context, None]) -> EmployeeType | None:
        """Author."""
        return await load_employee(info, self.row.author_id)

    @strawberry.field(description="Earlier versions of the text, oldest first.")
    async def edit_history(self, info: Info[Context, None]) -> list[str]:
        """Previous texts."""
        return [body for body, _ in await info.context.loaders.feedback.history.load(self.row.id)]


@strawberry.type(
    name="FeedbackThread",
    description="A conversation about one employee with their supervisor chain. Admins of the "
    "OPD see its metadata; `messages` is null for them.",
)
class ThreadType(Node):
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

    @classmethod
    def from_row(cls, row: ThreadRow) -> ThreadType:
        """Build from a service row."""
        return cls(
            id=strawberry.ID(encode_global_id("FeedbackThread", row.id)),
            row=row,
            topic=row.topic,
            kind=ThreadKind(row.kind),
            status=ThreadStatus(row.status),
            acknowledged_at=row.acknowledged_at,
            resolved_at=row.resolved_at,
            created_at=row.created_at,
            last_message_at=row.last_message_at,
        )

    @strawberry.field(description="The employee the thread is about.")
    async def employee(self, info: Info[Context, None]) -> EmployeeType | None:
        """Subject employee."""
        return await load_employee(info, self.row.employee_id)

    @strawberry.field(description="Who opened it.")
    async def opened_by(self, info: Info[Context, None]) -> EmployeeType | None:
        """Opener."""
        return await load_employee(info, self.row.opened_by_id)

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
        if not await service.can_converse(viewer, self.row.employee_id):
            return None
        page = await service.list_messages(viewer, self.row.id, page_request(first, after))
        return to_connection(page, MessageType.from_row)

    @strawberry.field(description="Messages by others the viewer has not read yet.")
    async def unread_count(self, info: Info[Context, None]) -> int:
        """Unread."""
        viewer = viewer_of(info)
        if not await service.can_converse(viewer, self.row.employee_id):
            return 0
        count: int = await info.context.loaders.feedback.unread.load(
            (viewer.employee_id, self.row.id)
        )
        return count


@strawberry.type(name="DialogAction", description="An agreed action of a dialog kinerja.")
class ActionType(Node):
    """An action."""

    row: strawberry.Private[ActionRow]
    description: str = strawberry.field(description="What was agreed.")
    due_on: date | None = strawberry.field(description="Due date.")
    done_at: datetime | None = strawberry.field(description="When it was done.")

    @classmethod
    def from_row(cls, row: ActionRow) -> ActionType:
        """Build from a service row."""
        return cls(
            id=strawberry.ID(encode_global_id("DialogAction", row.id)),
            row=row,
            description=row.description,
            due_on=row.due_on,
            done_at=row.done_at,
        )


@strawberry.type(name="DialogKinerja", description="A recorded performance conversation.")
class DialogType(Node):
    """A dialog."""

    row: strawberry.Private[DialogRow]
    held_on: date = strawberry.field(description="When it was held.")
    went_well: str = strawberry.field(description="What went well.")
    to_improve: str = strawberry.field(description="What to improve.")

    @classmethod
    def from_row(cls, row: DialogRow) -> DialogType:
        """Build from a service row."""
        return cls(
            id=strawberry.ID(encode_global_id("DialogKinerja", row.id)),
            row=row,
            held_on=row.held_on,
            went_well=row.went_well,
            to_improve=row.to_improve,
        )

    @strawberry.field(description="The employee.")
    async def employee(self, info: Info[Context, None]) -> EmployeeType | None:
        """Employee."""
        return await load_employee(info, self.row.employee_id)

    @strawberry.field(description="Who led the conversation.")
    async def led_by(self, info: Info[Context, None]) -> EmployeeType | None:
        """Leader."""
        return await load_employee(info, self.row.led_by_id)

    @strawberry.field(description="Everyone who took part.")
    async def participants(self, info: Info[Context, None]) -> list[EmployeeType]:
        """Participants."""
        rows = await info.context.loaders.people.employee.load_many(self.row.participant_ids)
        return [EmployeeType.from_row(r) for r in rows if r]

    @strawberry.field(description="Agreed actions with due dates.")
    async def actions(self, info: Info[Context, None]) -> list[ActionType]:
        """Actions."""
        return [
            ActionType.from_row(a)
            for a in await info.context.loaders.feedback.actions.load(self.row.id)
        ]


async def _thread_node(info: Info[Context, None], pk: int) -> ThreadType | None:
    viewer = info.context.viewer
    row = await info.context.loaders.feedback.thread.load(pk)
    if row is None or viewer is None:
        return None
    employee = await info.context.loaders.people.employee.load(row.employee_id)
    if employee is None or not await service.can_see_metadata(viewer, employee):
        return None
    return ThreadType.from_row(row)


async def _dialog_node(info: Info[Context, None], pk: int) -> DialogType | None:
    viewer = info.context.viewer
    row = await info.context.loaders.feedback.dialog.load(pk)
    if row is None or viewer is None or not await service.can_converse(viewer, row.employee_id):
        return None
    return DialogType.from_row(row)


async def _message_node(info: Info[Context, None], pk: int) -> MessageType | None:
    viewer = info.context.viewer
    row = await info.context.loaders.feedback.message.load(pk)
    if row is None or viewer is None:
        return None
    thread = await info.context.loaders.feedback.thread.load(row.thread_id)
    if thread is None or not await service.can_converse(viewer, thread.employee_id):
        return None
    return MessageType.from_row(row)


async def _action_node(info: Info[Context, None], pk: int) -> ActionType | None:
    viewer = info.context.viewer
    row = await info.context.loaders.feedback.action.load(pk)
    if row is None or viewer is None:
        return None
    dialog = await info.context.loaders.feedback.dialog.load(row.dialog_id)
    if dialog is None or not await service.can_converse(viewer, dialog.employee_id):
        return None
    return ActionType.from_row(row)


# Messages and agreed actions are readable exactly where their thread's or dialog's text is.
register_node("FeedbackThread", _thread_node)
register_node("FeedbackMessage", _message_node)
register_node("DialogKinerja", _dialog_node)
register_node("DialogAction", _action_node)


# --- inputs and payloads ---------------------------------------------------------------------


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
class ThreadPayload:
    """Thread payload."""

    thread: ThreadType | None = strawberry.field(description="The thread after the change.")
    user_errors: list[UserError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of posting or editing a message.")
class MessagePayload:
    """Message payload."""

    message: MessageType | None = strawberry.field(description="The message.")
    user_errors: list[UserError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of recording a dialog.")
class DialogPayload:
    """Dialog payload."""

    dialog: DialogType | None = strawberry.field(description="The dialog.")
    user_errors: list[UserError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of completing an action.")
class ActionPayload:
    """Action payload."""

    action: ActionType | None = strawberry.field(description="The action.")
    user_errors: list[UserError] = strawberry.field(description="Why it failed.")


def _opt(value: strawberry.ID | None, type_name: str, field: str) -> int | None:
    return decode_id_of(value, type_name, field) if value else None


def _thread_payload(row: ThreadRow | None, errors: list[UserError]) -> ThreadPayload:
    return ThreadPayload(thread=ThreadType.from_row(row) if row else None, user_errors=errors)


@strawberry.type
class FeedbackQuery:
    """Threads and dialogs."""

    @strawberry.field(
        description="Feedback threads, newest first: the viewer's inbox, or those about one "
        "employee (participants; admins of the OPD see metadata).",
        permission_classes=[IsAuthenticated],
    )
    async def feedback_threads(
        self,
        info: Info[Context, None],
        first: int,
        after: str | None = None,
        employee_id: strawberry.ID | None = None,
        status: ThreadStatus | None = None,
    ) -> Connection[ThreadType]:
        """Threads."""
        page = await service.list_threads(
            viewer_of(info),
            page_request(first, after),
            employee_id=_opt(employee_id, "Employee", "employeeId"),
            status=status.value if status else None,
        )
        return to_connection(page, ThreadType.from_row)

    @strawberry.field(
        description="Unread messages over the viewer's threads.",
        permission_classes=[IsAuthenticated],
    )
    async def unread_feedback_count(self, info: Info[Context, None]) -> int:
        """Unread total."""
        return await service.total_unread(viewer_of(info))

    @strawberry.field(
        description="Agreed dialog actions not yet done (default: the viewer's own).",
        permission_classes=[IsAuthenticated],
    )
    async def open_dialog_actions(
        self, info: Info[Context, None], employee_id: strawberry.ID | None = None
    ) -> list[ActionType]:
        """Open actions."""
        rows = await service.open_actions(
            viewer_of(info), _opt(employee_id, "Employee", "employeeId")
        )
        return [ActionType.from_row(a) for a in rows]


@strawberry.type
class FeedbackMutation:
    """Thread and dialog writes."""

    @strawberry.mutation(
        description="Open a thread about an employee (the employee or their supervisor chain).",
        permission_classes=[IsAuthenticated],
    )
    async def open_feedback_thread(
        self,
        info: Info[Context, None],
        input: OpenThreadInput,  # noqa: A002
    ) -> ThreadPayload:
        """Open."""
        viewer = viewer_of(info)

        async def go() -> ThreadRow:
            return await service.open_thread(
                viewer,
                employee_id=decode_id_of(input.employee_id, "Employee", "employeeId"),
                topic=input.topic,
                kind=input.kind.value,
                body=input.body,
                indicator_id=_opt(input.indicator_id, "Indicator", "indicatorId"),
                activity_id=_opt(input.activity_id, "Activity", "activityId"),
                evaluation_id=_opt(input.evaluation_id, "Evaluation", "evaluationId"),
                dialog_id=_opt(input.dialog_id, "DialogKinerja", "dialogId"),
            )

        return _thread_payload(*await run_payload(go))

    @strawberry.mutation(description="Write in a thread.", permission_classes=[IsAuthenticated])
    async def post_feedback_message(
        self,
        info: Info[Context, None],
        input: PostMessageInput,  # noqa: A002
    ) -> MessagePayload:
        """Post."""
        viewer = viewer_of(info)
        row, errors = await run_payload(
            lambda: service.post_message(
                viewer, decode_id_of(input.thread_id, "FeedbackThread", "threadId"), input.body
            )
        )
        return MessagePayload(
            message=MessageType.from_row(row) if row else None, user_errors=errors
        )

    @strawberry.mutation(
        description="Edit one's own message within 15 minutes (the old text is kept).",
        permission_classes=[IsAuthenticated],
    )
    async def edit_feedback_message(
        self,
        info: Info[Context, None],
        input: EditMessageInput,  # noqa: A002
    ) -> MessagePayload:
        """Edit."""
        viewer = viewer_of(info)
        row, errors = await run_payload(
            lambda: service.edit_message(
                viewer, decode_id_of(input.message_id, "FeedbackMessage", "messageId"), input.body
            )
        )
        return MessagePayload(
            message=MessageType.from_row(row) if row else None, user_errors=errors
        )

    @strawberry.mutation(
        description="Mark a thread read up to its last message.",
        permission_classes=[IsAuthenticated],
    )
    async def mark_feedback_thread_read(
        self,
        info: Info[Context, None],
        input: ThreadActionInput,  # noqa: A002
    ) -> ThreadPayload:
        """Mark read."""
        viewer = viewer_of(info)
        return _thread_payload(
            *await run_payload(
                lambda: service.mark_read(
                    viewer, decode_id_of(input.thread_id, "FeedbackThread", "threadId")
                )
            )
        )

    @strawberry.mutation(
        description="The employee acknowledges the feedback.", permission_classes=[IsAuthenticated]
    )
    async def acknowledge_feedback(
        self,
        info: Info[Context, None],
        input: ThreadActionInput,  # noqa: A002
    ) -> ThreadPayload:
        """Acknowledge."""
        viewer = viewer_of(info)
        return _thread_payload(
            *await run_payload(
                lambda: service.acknowledge(
                    viewer, decode_id_of(input.thread_id, "FeedbackThread", "threadId")
                )
            )
        )

    @strawberry.mutation(
        description="Resolve an open thread.", permission_classes=[IsAuthenticated]
    )
    async def resolve_feedback_thread(
        self,
        info: Info[Context, None],
        input: ThreadActionInput,  # noqa: A002
    ) -> ThreadPayload:
        """Resolve."""
        viewer = viewer_of(info)
        return _thread_payload(
            *await run_payload(
                lambda: service.set_status(
                    viewer,
                    decode_id_of(input.thread_id, "FeedbackThread", "threadId"),
                    resolved=True,
                )
            )
        )

    @strawberry.mutation(
        description="Reopen a resolved thread.", permission_classes=[IsAuthenticated]
    )
    async def reopen_feedback_thread(
        self,
        info: Info[Context, None],
        input: ThreadActionInput,  # noqa: A002
    ) -> ThreadPayload:
        """Reopen."""
        viewer = viewer_of(info)
        return _thread_payload(
            *await run_payload(
                lambda: service.set_status(
                    viewer,
                    decode_id_of(input.thread_id, "FeedbackThread", "threadId"),
                    resolved=False,
                )
            )
        )

    @strawberry.mutation(
        description="Record a dialog kinerja (a supervisor in the employee's chain).",
        permission_classes=[IsAuthenticated],
    )
    async def record_dialog_kinerja(
        self,
        info: Info[Context, None],
        input: RecordDialogInput,  # noqa: A002
    ) -> DialogPayload:
        """Record dialog."""
        viewer = viewer_of(info)

        async def go() -> DialogRow:
            return await service.record_dialog(
                viewer,
                employee_id=decode_id_of(input.employee_id, "Employee", "employeeId"),
                held_on=input.held_on,
                went_well=input.went_well,
                to_improve=input.to_improve,
                participant_ids=[
                    decode_id_of(p, "Employee", "participantIds") for p in input.participant_ids
                ],
                actions=[(a.description, a.due_on) for a in input.actions],
                evaluation_id=_opt(input.evaluation_id, "Evaluation", "evaluationId"),
            )

        row, errors = await run_payload(go)
        return DialogPayload(dialog=DialogType.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation(
        description="Mark an agreed action done.", permission_classes=[IsAuthenticated]
    )
    async def complete_dialog_action(
        self,
        info: Info[Context, None],
        input: CompleteActionInput,  # noqa: A002
    ) -> ActionPayload:
        """Complete action."""
        viewer = viewer_of(info)
        row, errors = await run_payload(
            lambda: service.complete_action(
                viewer, decode_id_of(input.action_id, "DialogAction", "actionId")
            )
        )
        return ActionPayload(action=ActionType.from_row(row) if row else None, user_errors=errors)


@strawberry.type
class FeedbackSubscription:
    """Live messages."""

    @strawberry.subscription(
        description="New messages of a thread the viewer takes part in, from any worker.",
        permission_classes=[IsAuthenticated],
    )
    async def thread_message_added(
        self, info: Info[Context, None], thread_id: strawberry.ID
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
