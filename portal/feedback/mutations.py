"""Mutation fields of the feedback domain: thread and dialog kinerja writes (thin).

The reads and the live subscription are in :mod:`portal.feedback.queries`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry
from strawberry.types import Info

from portal.core.auth import Viewer
from portal.core.context import Context
from portal.core.graphql import (
    IsAuthenticated,
    UserError,
    run_payload,
    viewer_of,
)
from portal.core.ids import decode_id_of, decode_optional_id
from portal.feedback import service
from portal.feedback.service import DialogRow, ThreadRow
from portal.feedback.types import (
    ActionPayload,
    ActionType,
    CompleteActionInput,
    DialogPayload,
    DialogType,
    EditMessageInput,
    MessagePayload,
    MessageType,
    OpenThreadInput,
    PostMessageInput,
    RecordDialogInput,
    ThreadActionInput,
    ThreadPayload,
    ThreadType,
)


async def _on_thread(
    info: Info[Context, None],
    input: ThreadActionInput,  # noqa: A002
    action: Callable[[Viewer, int], Awaitable[ThreadRow]],
) -> ThreadPayload:
    """One of the viewer's actions on a thread (a malformed id is a user error too)."""
    viewer = viewer_of(info)
    return _thread_payload(
        *await run_payload(
            lambda: action(viewer, decode_id_of(input.thread_id, "FeedbackThread", "threadId"))
        )
    )


def _thread_payload(row: ThreadRow | None, errors: list[UserError]) -> ThreadPayload:
    return ThreadPayload(thread=ThreadType.from_row(row) if row else None, user_errors=errors)


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
                indicator_id=decode_optional_id(input.indicator_id, "Indicator", "indicatorId"),
                activity_id=decode_optional_id(input.activity_id, "Activity", "activityId"),
                evaluation_id=decode_optional_id(input.evaluation_id, "Evaluation", "evaluationId"),
                dialog_id=decode_optional_id(input.dialog_id, "DialogKinerja", "dialogId"),
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
        return await _on_thread(info, input, service.mark_read)

    @strawberry.mutation(
        description="The employee acknowledges the feedback.", permission_classes=[IsAuthenticated]
    )
    async def acknowledge_feedback(
        self,
        info: Info[Context, None],
        input: ThreadActionInput,  # noqa: A002
    ) -> ThreadPayload:
        """Acknowledge."""
        return await _on_thread(info, input, service.acknowledge)

    @strawberry.mutation(
        description="Resolve an open thread.", permission_classes=[IsAuthenticated]
    )
    async def resolve_feedback_thread(
        self,
        info: Info[Context, None],
        input: ThreadActionInput,  # noqa: A002
    ) -> ThreadPayload:
        """Resolve."""
        return await _on_thread(
            info,
            input,
            lambda viewer, thread_id: service.set_status(viewer, thread_id, resolved=True),
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
        return await _on_thread(
            info,
            input,
            lambda viewer, thread_id: service.set_status(viewer, thread_id, resolved=False),
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
                evaluation_id=decode_optional_id(input.evaluation_id, "Evaluation", "evaluationId"),
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
