"""Mutation fields of the feedback domain: thread and dialog kinerja writes (thin).

The reads and the live subscription are in :mod:`portal.feedback.queries`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry

from portal.core.auth import Viewer
from portal.core.context import Info
from portal.core.graphql import Input, mutate, viewer_mutation
from portal.core.ids import decode_id_of, decode_optional_id
from portal.feedback import service
from portal.feedback.service import ThreadRow
from portal.feedback.types import (
    ActionPayload,
    CompleteActionInput,
    DialogPayload,
    EditMessageInput,
    MessagePayload,
    OpenThreadInput,
    PostMessageInput,
    RecordDialogInput,
    ThreadActionInput,
    ThreadPayload,
)


async def _on_thread(
    info: Info,
    data: ThreadActionInput,
    action: Callable[[Viewer, int], Awaitable[ThreadRow]],
) -> ThreadPayload:
    """One of the viewer's actions on a thread (a malformed id is a user error too)."""
    return await mutate(
        info,
        lambda viewer: action(viewer, decode_id_of(data.thread_id, "FeedbackThread", "threadId")),
        ThreadPayload.of,
    )


@strawberry.type
class FeedbackMutation:
    """Thread and dialog writes."""

    @viewer_mutation("Open a thread about an employee (the employee or their supervisor chain).")
    async def open_feedback_thread(self, info: Info, data: Input[OpenThreadInput]) -> ThreadPayload:
        """Open."""
        return await mutate(
            info,
            lambda viewer: service.open_thread(
                viewer,
                employee_id=decode_id_of(data.employee_id, "Employee", "employeeId"),
                topic=data.topic,
                kind=data.kind.value,
                body=data.body,
                indicator_id=decode_optional_id(data.indicator_id, "Indicator", "indicatorId"),
                activity_id=decode_optional_id(data.activity_id, "Activity", "activityId"),
                evaluation_id=decode_optional_id(data.evaluation_id, "Evaluation", "evaluationId"),
                dialog_id=decode_optional_id(data.dialog_id, "DialogKinerja", "dialogId"),
            ),
            ThreadPayload.of,
        )

    @viewer_mutation("Write in a thread.")
    async def post_feedback_message(
        self, info: Info, data: Input[PostMessageInput]
    ) -> MessagePayload:
        """Post."""
        return await mutate(
            info,
            lambda viewer: service.post_message(
                viewer, decode_id_of(data.thread_id, "FeedbackThread", "threadId"), data.body
            ),
            MessagePayload.of,
        )

    @viewer_mutation("Edit one's own message within 15 minutes (the old text is kept).")
    async def edit_feedback_message(
        self, info: Info, data: Input[EditMessageInput]
    ) -> MessagePayload:
        """Edit."""
        return await mutate(
            info,
            lambda viewer: service.edit_message(
                viewer, decode_id_of(data.message_id, "FeedbackMessage", "messageId"), data.body
            ),
            MessagePayload.of,
        )

    @viewer_mutation("Mark a thread read up to its last message.")
    async def mark_feedback_thread_read(
        self, info: Info, data: Input[ThreadActionInput]
    ) -> ThreadPayload:
        """Mark read."""
        return await _on_thread(info, data, service.mark_read)

    @viewer_mutation("The employee acknowledges the feedback.")
    async def acknowledge_feedback(
        self, info: Info, data: Input[ThreadActionInput]
    ) -> ThreadPayload:
        """Acknowledge."""
        return await _on_thread(info, data, service.acknowledge)

    @viewer_mutation("Resolve an open thread.")
    async def resolve_feedback_thread(
        self, info: Info, data: Input[ThreadActionInput]
    ) -> ThreadPayload:
        """Resolve."""
        return await _on_thread(
            info,
            data,
            lambda viewer, thread_id: service.set_status(viewer, thread_id, resolved=True),
        )

    @viewer_mutation("Reopen a resolved thread.")
    async def reopen_feedback_thread(
        self, info: Info, data: Input[ThreadActionInput]
    ) -> ThreadPayload:
        """Reopen."""
        return await _on_thread(
            info,
            data,
            lambda viewer, thread_id: service.set_status(viewer, thread_id, resolved=False),
        )

    @viewer_mutation("Record a dialog kinerja (a supervisor in the employee's chain).")
    async def record_dialog_kinerja(
        self, info: Info, data: Input[RecordDialogInput]
    ) -> DialogPayload:
        """Record dialog."""
        return await mutate(
            info,
            lambda viewer: service.record_dialog(
                viewer,
                employee_id=decode_id_of(data.employee_id, "Employee", "employeeId"),
                held_on=data.held_on,
                went_well=data.went_well,
                to_improve=data.to_improve,
                participant_ids=[
                    decode_id_of(p, "Employee", "participantIds") for p in data.participant_ids
                ],
                actions=[(a.description, a.due_on) for a in data.actions],
                evaluation_id=decode_optional_id(data.evaluation_id, "Evaluation", "evaluationId"),
            ),
            DialogPayload.of,
        )

    @viewer_mutation("Mark an agreed action done.")
    async def complete_dialog_action(
        self, info: Info, data: Input[CompleteActionInput]
    ) -> ActionPayload:
        """Complete action."""
        return await mutate(
            info,
            lambda viewer: service.complete_action(
                viewer, decode_id_of(data.action_id, "DialogAction", "actionId")
            ),
            ActionPayload.of,
        )
