"""Feedback threads and dialog kinerja.

Who reads what: a thread concerns one employee; the employee and their supervisor chain read
and write it. Admins of the employee's OPD see that a thread exists (topic, kind, status,
dates) but never its messages. Anybody else sees nothing. Dialog kinerja records follow the
same rule. New messages go live on ``thread:<id>`` after the transaction commits.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from portal.core import audit, clock
from portal.core.auth import Viewer
from portal.core.db import (
    fetch_rows,
    id_in,
    ids_match,
    ids_param,
    row_columns,
    select_list,
    transaction,
    write_scope,
)
from portal.core.errors import DomainError, FieldError, NotFoundError, PermissionDeniedError
from portal.core.events import publish_after_commit
from portal.core.ids import encode_global_id
from portal.core.pagination import Page, PageRequest, page_of
from portal.feedback import facts, policy, sql
from portal.feedback.enums import ThreadStatus
from portal.feedback.tables import (
    DialogAction,
    DialogKinerja,
    FeedbackMessage,
    FeedbackMessageEdit,
    FeedbackThread,
    ThreadReadState,
)
from portal.notifications.services import inbox as notifications
from portal.people import visibility
from portal.people.services import directory as people
from portal.performance import facts as performance_facts

MAX_MESSAGE = 4000
MAX_TOPIC = 200
EDIT_WINDOW = timedelta(minutes=15)
KINDS = frozenset({"APPRECIATION", "IMPROVEMENT", "QUESTION", "DIALOG_KINERJA"})


@dataclass(frozen=True, slots=True)
class ThreadRow:
    """A feedback thread (metadata)."""

    id: int
    employee_id: int
    opened_by_id: int | None
    topic: str
    kind: str
    status: str
    indicator_id: int | None
    activity_id: int | None
    evaluation_id: int | None
    dialog_id: int | None
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    created_at: datetime
    last_message_at: datetime


@dataclass(frozen=True, slots=True)
class MessageRow:
    """A message."""

    id: int
    thread_id: int
    author_id: int | None
    body: str
    created_at: datetime
    edited_at: datetime | None
    written_for_id: int | None = None


@dataclass(frozen=True, slots=True)
class DialogRow:
    """A dialog kinerja record."""

    id: int
    employee_id: int
    led_by_id: int | None
    held_on: date
    participant_ids: list[int]
    went_well: str
    to_improve: str
    evaluation_id: int | None
    created_at: datetime
    led_for_id: int | None = None


@dataclass(frozen=True, slots=True)
class ActionRow:
    """An agreed action of a dialog."""

    id: int
    dialog_id: int
    description: str
    due_on: date | None
    done_at: datetime | None


_THREAD = row_columns(FeedbackThread, ThreadRow)
_MESSAGE = row_columns(FeedbackMessage, MessageRow)
_DIALOG = row_columns(DialogKinerja, DialogRow)
_ACTION = row_columns(DialogAction, ActionRow)


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def thread_channel(thread_id: int) -> str:
    """Broker channel of a thread's new messages."""
    return f"thread:{thread_id}"


def _text(value: str, field: str, low: int, high: int) -> str:
    value = value.strip()
    if not low <= len(value) <= high:
        raise DomainError.single(
            "INVALID_LENGTH", f"Panjang teks harus {low}-{high} karakter", field
        )
    return value


# --- access ---------------------------------------------------------------------------------


# --- threads --------------------------------------------------------------------------------


async def threads_by_ids(ids: Sequence[int]) -> list[ThreadRow | None]:
    """Threads in the order of ``ids`` (no scoping)."""
    rows = await FeedbackThread.select(*_THREAD).where(id_in(FeedbackThread.id, ids))
    by_id = {r["id"]: ThreadRow(**r) for r in rows}
    return [by_id.get(i) for i in ids]


async def get_thread(viewer: Viewer, thread_id: int, *, text: bool = True) -> ThreadRow:
    """A thread the viewer may converse in (``text``) or at least see (metadata)."""
    (row,) = await threads_by_ids([thread_id])
    if row is None:
        raise NotFoundError("Thread", "threadId")
    if text:
        if not await policy.can_converse(viewer, row.employee_id):
            raise NotFoundError("Thread", "threadId")
    else:
        employee = await people.get_employee(row.employee_id)
        if not await policy.can_see_metadata(viewer, employee):
            raise NotFoundError("Thread", "threadId")
    return row


Owner = Callable[[int], Awaitable[int | None]]
"""Whose object an id names (an employee id), or None when there is no such object."""


async def check_reference(employee_id: int, owner_of: Owner, pk: int | None, field: str) -> None:
    """A referenced indicator/activity/evaluation/dialog must concern the same employee."""
    if pk is not None and await owner_of(pk) != employee_id:
        raise DomainError.single("INVALID_REFERENCE", "Rujukan bukan milik pegawai ini", field)


async def open_thread(
    viewer: Viewer,
    *,
    employee_id: int,
    topic: str,
    kind: str,
    body: str,
    indicator_id: int | None = None,
    activity_id: int | None = None,
    evaluation_id: int | None = None,
    dialog_id: int | None = None,
) -> ThreadRow:
    """Open a thread about an employee (by the employee or their supervisor chain)."""
    if viewer.employee_id is None or not await policy.can_converse(viewer, employee_id):
        raise PermissionDeniedError("Hanya pegawai atau atasannya yang dapat membuka percakapan")
    if kind not in KINDS:
        raise DomainError.single("INVALID_VALUE", "Jenis percakapan tidak dikenal", "kind")
    topic = _text(topic, "topic", 3, MAX_TOPIC)
    body = _text(body, "body", 1, MAX_MESSAGE)
    await check_reference(
        employee_id, performance_facts.indicator_employee, indicator_id, "indicatorId"
    )
    await check_reference(
        employee_id, performance_facts.activity_employee, activity_id, "activityId"
    )
    await check_reference(
        employee_id, performance_facts.evaluation_employee, evaluation_id, "evaluationId"
    )
    await check_reference(employee_id, facts.dialog_employee, dialog_id, "dialogId")
    # a new thread is followed by the employee, the opener and the employee's supervisor
    # (whose screens depend on the employee); the first message adds who it notifies
    async with transaction(scope=[employee_id, viewer.employee_id]):
        now = _now()
        inserted = await FeedbackThread.insert(
            FeedbackThread(
                employee=employee_id,
                opened_by=viewer.employee_id,
                topic=topic,
                kind=kind,
                indicator=indicator_id,
                activity=activity_id,
                evaluation=evaluation_id,
                dialog=dialog_id,
                created_at=now,
                last_message_at=now,
            )
        )
        thread_id = int(inserted[0]["id"])
        await _add_message(viewer, thread_id, employee_id, body, now)
        await audit.record(
            account_id=viewer.account_id,
            action="THREAD_OPENED",
            entity_type="FeedbackThread",
            entity_id=thread_id,
            after={"employee_id": employee_id, "kind": kind, "topic": topic},
        )
    (row,) = await threads_by_ids([thread_id])
    assert row is not None  # noqa: S101
    return row


async def _participants(thread_id: int, employee_id: int) -> set[int]:
    """Who follows a thread: the employee, their direct supervisor, the opener, the writers."""
    rows = await FeedbackMessage.select(FeedbackMessage.author).where(
        FeedbackMessage.thread == thread_id
    )
    opener = await FeedbackThread.select(FeedbackThread.opened_by).where(
        FeedbackThread.id == thread_id
    )
    found = {r["author"] for r in rows if r["author"]} | {employee_id}
    if opener and opener[0]["opened_by"]:
        found.add(opener[0]["opened_by"])
    employee = await people.get_employee(employee_id)
    if employee.supervisor_id is not None:
        found.add(employee.supervisor_id)  # the direct supervisor always follows
    return found


async def _add_message(
    viewer: Viewer, thread_id: int, employee_id: int, body: str, now: datetime
) -> MessageRow:
    # a Plt/Plh writes in the place of the supervisor they stand in for: both names recorded
    written_for = await visibility.stands_in_for(viewer, employee_id)
    others = await _participants(thread_id, employee_id) - {viewer.employee_id}
    if viewer.employee_id is not None and viewer.employee_id != employee_id:
        # a supervisor writing to an employee for the first time: the employee must know
        others.add(employee_id)
    # whose screens change: the thread's followers (unread counts, inboxes), the writer
    with write_scope({*others, viewer.employee_id, employee_id, written_for}):
        inserted = await FeedbackMessage.insert(
            FeedbackMessage(
                thread=thread_id,
                author=viewer.employee_id,
                written_for=written_for,
                body=body,
                created_at=now,
            )
        )
        message = MessageRow(
            id=int(inserted[0]["id"]),
            thread_id=thread_id,
            author_id=viewer.employee_id,
            body=body,
            created_at=now,
            edited_at=None,
            written_for_id=written_for,
        )
        await FeedbackThread.update({FeedbackThread.last_message_at: now}).where(
            FeedbackThread.id == thread_id
        )
        await _set_read(thread_id, viewer.employee_id, message.id)
        await notifications.notify_employees(
            sorted(others),
            "THREAD_MESSAGE",
            "Pesan baru dalam percakapan umpan balik",
            body[:140],
            encode_global_id("FeedbackThread", thread_id),
        )
    await publish_after_commit(thread_channel(thread_id), message_event(message))
    return message


def message_event(message: MessageRow) -> dict[str, Any]:
    """The live event of a new message."""
    return {
        "id": message.id,
        "thread_id": message.thread_id,
        "author_id": message.author_id,
        "written_for_id": message.written_for_id,
        "body": message.body,
        "created_at": message.created_at.isoformat(),
    }


def message_from_event(event: dict[str, Any]) -> MessageRow:
    """Rebuild a message from its live event."""
    return MessageRow(
        id=int(event["id"]),
        thread_id=int(event["thread_id"]),
        author_id=event.get("author_id"),
        body=str(event["body"]),
        created_at=datetime.fromisoformat(str(event["created_at"])),
        edited_at=None,
        written_for_id=event.get("written_for_id"),
    )


async def _set_read(thread_id: int, employee_id: int | None, message_id: int) -> None:
    if employee_id is None:
        return
    updated = (
        await ThreadReadState.update({ThreadReadState.last_read_message_id: message_id})
        .where((ThreadReadState.thread == thread_id) & (ThreadReadState.employee == employee_id))
        .returning(ThreadReadState.id)
    )
    if not updated:
        await ThreadReadState.insert(
            ThreadReadState(thread=thread_id, employee=employee_id, last_read_message_id=message_id)
        )


async def post_message(viewer: Viewer, thread_id: int, body: str) -> MessageRow:
    """Write in an open thread."""
    thread = await get_thread(viewer, thread_id)
    if thread.status != ThreadStatus.OPEN:
        raise DomainError.single("THREAD_RESOLVED", "Percakapan sudah selesai; buka kembali", None)
    body = _text(body, "body", 1, MAX_MESSAGE)
    async with transaction(scope=[thread.employee_id, viewer.employee_id]):
        message = await _add_message(viewer, thread_id, thread.employee_id, body, _now())
        # the text stays out of the audit log: a conversation is read by its two sides only
        await audit.record(
            account_id=viewer.account_id,
            action="MESSAGE_POSTED",
            entity_type="FeedbackMessage",
            entity_id=message.id,
            after={
                "thread_id": thread_id,
                "length": len(body),
                "written_for": message.written_for_id,
            },
        )
        return message


async def edit_message(viewer: Viewer, message_id: int, body: str) -> MessageRow:
    """The author edits their message within the edit window; the old text is kept."""
    rows = await FeedbackMessage.select(*_MESSAGE).where(FeedbackMessage.id == message_id)
    if not rows:
        raise NotFoundError("Message", "messageId")
    message = MessageRow(**rows[0])
    await get_thread(viewer, message.thread_id)
    if message.author_id is None or message.author_id != viewer.employee_id:
        raise PermissionDeniedError("Hanya penulis yang dapat mengubah pesan")
    if _now() - _aware(message.created_at) > EDIT_WINDOW:
        raise DomainError.single(
            "EDIT_WINDOW_PASSED",
            f"Pesan hanya dapat diubah {EDIT_WINDOW.seconds // 60} menit setelah dikirim",
            "messageId",
        )
    body = _text(body, "body", 1, MAX_MESSAGE)
    async with transaction():
        now = _now()
        await FeedbackMessageEdit.insert(
            FeedbackMessageEdit(message=message_id, previous_body=message.body, edited_at=now)
        )
        await FeedbackMessage.update(
            {FeedbackMessage.body: body, FeedbackMessage.edited_at: now}
        ).where(FeedbackMessage.id == message_id)
        # the texts stay out of the audit log (the edit history keeps them, for the two sides)
        await audit.record(
            account_id=viewer.account_id,
            action="MESSAGE_EDITED",
            entity_type="FeedbackMessage",
            entity_id=message_id,
            before={"length": len(message.body)},
            after={"thread_id": message.thread_id, "length": len(body)},
        )
    rows = await FeedbackMessage.select(*_MESSAGE).where(FeedbackMessage.id == message_id)
    return MessageRow(**rows[0])


async def messages_by_ids(ids: Sequence[int]) -> list[MessageRow | None]:
    """Messages in the order of ``ids`` (no scoping: check the thread with ``can_converse``)."""
    rows = await FeedbackMessage.select(*_MESSAGE).where(id_in(FeedbackMessage.id, ids))
    by_id = {r["id"]: MessageRow(**r) for r in rows}
    return [by_id.get(i) for i in ids]


async def message_history(message_ids: Sequence[int]) -> list[list[tuple[str, datetime]]]:
    """Previous texts of each message, oldest first."""
    rows = await FeedbackMessageEdit.select(
        FeedbackMessageEdit.message.as_alias("message_id"),
        FeedbackMessageEdit.previous_body,
        FeedbackMessageEdit.edited_at,
    ).where(id_in(FeedbackMessageEdit.message, message_ids))
    grouped: dict[int, list[tuple[str, datetime]]] = {}
    for r in sorted(rows, key=lambda r: r["edited_at"]):
        grouped.setdefault(r["message_id"], []).append((r["previous_body"], r["edited_at"]))
    return [grouped.get(m, []) for m in message_ids]


async def list_messages(viewer: Viewer, thread_id: int, request: PageRequest) -> Page[MessageRow]:
    """Messages of a thread in order (participants only)."""
    await get_thread(viewer, thread_id)
    query = (
        FeedbackMessage.select(*_MESSAGE)
        .where(FeedbackMessage.thread == thread_id)
        .order_by(FeedbackMessage.id)
        .limit(request.first + 1)
    )
    if request.after_pk is not None:
        query = query.where(FeedbackMessage.id > request.after_pk)
    rows = [MessageRow(**r) for r in await query]
    total = await FeedbackMessage.count().where(FeedbackMessage.thread == thread_id)
    return page_of(rows, request, total)


async def mark_read(viewer: Viewer, thread_id: int) -> ThreadRow:
    """Mark everything in the thread read for the viewer."""
    thread = await get_thread(viewer, thread_id)
    last = (
        await FeedbackMessage.select(FeedbackMessage.id)
        .where(FeedbackMessage.thread == thread_id)
        .order_by(FeedbackMessage.id, ascending=False)
        .limit(1)
    )
    if last:
        async with transaction(scope=[viewer.employee_id]):  # only the reader's counts change
            await _set_read(thread_id, viewer.employee_id, last[0]["id"])
            await audit.record(
                account_id=viewer.account_id,
                action="THREAD_READ",
                entity_type="FeedbackThread",
                entity_id=thread_id,
                after={"last_read_message_id": last[0]["id"]},
            )
    return thread


async def unread_counts(employee_id: int | None, thread_ids: Sequence[int]) -> list[int]:
    """Messages by others after the reader's last read one, per thread (one grouped query)."""
    if employee_id is None or not thread_ids:
        return [0 for _ in thread_ids]
    rows = await sql.unread_counts(employee_id, thread_ids)
    counts = {r["thread_id"]: int(r["n"]) for r in rows}
    return [counts.get(t, 0) for t in thread_ids]


async def inbox_thread_ids(employee_id: int) -> list[int]:
    """Threads the employee follows: about them or a direct report, opened or written by them.

    One statement composed once (two Piccolo selects, one joining through the thread's
    employee, cost more to build than to run: the inbox is on every home screen).
    """
    return await sql.inbox_thread_ids(employee_id)


async def inbox_unread(employee_id: int) -> list[tuple[int, int]]:
    """The employee's inbox threads with their :func:`unread_counts`, by thread id (one query)."""
    return await sql.inbox_unread(employee_id)


async def list_threads(
    viewer: Viewer,
    request: PageRequest,
    *,
    employee_id: int | None = None,
    status: str | None = None,
    inbox: Sequence[int] | None = None,
) -> Page[ThreadRow]:
    """Threads, most recent activity first: about one employee, or the viewer's inbox.

    Admins may list an employee of their OPD (metadata only; messages stay hidden). ``inbox``:
    the viewer's inbox thread ids, when the request already read them.
    """
    clauses: list[Any] = []
    if employee_id is not None:
        employee = await people.get_employee(employee_id)
        if not await policy.can_see_metadata(viewer, employee):
            raise NotFoundError("Employee", "employeeId")
        clauses.append(FeedbackThread.employee == employee_id)
    else:
        if inbox is None:
            inbox = await inbox_thread_ids(viewer.employee_id) if viewer.employee_id else []
        if status is None:  # the whole inbox (every home): one composed statement, tuple rows
            rows = await _inbox_page(inbox, request)
            return page_of(rows, request, len(inbox))  # distinct existing threads: no count
        clauses.append(id_in(FeedbackThread.id, inbox))
    if status is not None:
        clauses.append(FeedbackThread.status == status)
    query = FeedbackThread.select(*_THREAD).order_by(FeedbackThread.id, ascending=False)
    count = FeedbackThread.count()
    for clause in clauses:
        query = query.where(clause)
        count = count.where(clause)
    if request.after_pk is not None:
        query = query.where(FeedbackThread.id < request.after_pk)
    rows = [ThreadRow(**r) for r in await query.limit(request.first + 1)]
    return page_of(rows, request, await count)


_THREAD_SELECT = f'SELECT {select_list(*_THREAD)} FROM "feedback_thread"'  # noqa: S608 - fixed SQL


async def _inbox_page(inbox: Sequence[int], request: PageRequest) -> list[ThreadRow]:
    """A page of the inbox threads, newest first (as :func:`list_threads` selects them)."""
    where = ids_match('"feedback_thread"."id"')
    args: list[Any] = [ids_param(inbox)]
    if request.after_pk is not None:
        where += ' AND "feedback_thread"."id" < {}'
        args.append(request.after_pk)
    args.append(request.first + 1)
    rows = await fetch_rows(
        f'{_THREAD_SELECT} WHERE {where} ORDER BY "feedback_thread"."id" DESC LIMIT {{}}', *args
    )
    return [ThreadRow(*row) for row in rows]


async def acknowledge(viewer: Viewer, thread_id: int) -> ThreadRow:
    """The employee acknowledges the feedback (once); the opener is told."""
    thread = await get_thread(viewer, thread_id)
    if viewer.employee_id != thread.employee_id:
        raise PermissionDeniedError("Hanya pegawai yang bersangkutan")
    async with transaction():
        updated = (
            await FeedbackThread.update({FeedbackThread.acknowledged_at: _now()})
            .where((FeedbackThread.id == thread_id) & FeedbackThread.acknowledged_at.is_null())
            .returning(FeedbackThread.id)
        )
        if not updated:
            raise DomainError.single("ALREADY_ACKNOWLEDGED", "Sudah ditanggapi", "threadId")
        if thread.opened_by_id and thread.opened_by_id != viewer.employee_id:
            await notifications.notify_employees(
                [thread.opened_by_id],
                "FEEDBACK_ACKNOWLEDGED",
                f"Umpan balik diterima: {thread.topic}",
                "",
                encode_global_id("FeedbackThread", thread_id),
            )
        await audit.record(
            account_id=viewer.account_id,
            action="THREAD_ACKNOWLEDGED",
            entity_type="FeedbackThread",
            entity_id=thread_id,
        )
    (row,) = await threads_by_ids([thread_id])
    assert row is not None  # noqa: S101
    return row


async def set_status(viewer: Viewer, thread_id: int, *, resolved: bool) -> ThreadRow:
    """Resolve an open thread, or reopen a resolved one (participants)."""
    await get_thread(viewer, thread_id)
    target, source = (
        (ThreadStatus.RESOLVED, ThreadStatus.OPEN)
        if resolved
        else (ThreadStatus.OPEN, ThreadStatus.RESOLVED)
    )
    async with transaction():
        updated = (
            await FeedbackThread.update(
                {
                    FeedbackThread.status: target,
                    FeedbackThread.resolved_at: _now() if resolved else None,
                }
            )
            .where((FeedbackThread.id == thread_id) & (FeedbackThread.status == source))
            .returning(FeedbackThread.id)
        )
        if not updated:
            raise DomainError.single("INVALID_STATE", f"Percakapan tidak berstatus {source}", None)
        await audit.record(
            account_id=viewer.account_id,
            action=f"THREAD_{target}",
            entity_type="FeedbackThread",
            entity_id=thread_id,
            before={"status": source},
            after={"status": target},
        )
    (row,) = await threads_by_ids([thread_id])
    assert row is not None  # noqa: S101
    return row


# --- dialog kinerja -------------------------------------------------------------------------


async def dialogs_by_ids(ids: Sequence[int]) -> list[DialogRow | None]:
    """Dialogs in the order of ``ids``."""
    rows = await DialogKinerja.select(*_DIALOG).where(id_in(DialogKinerja.id, ids))
    by_id = {r["id"]: _dialog(r) for r in rows}
    return [by_id.get(i) for i in ids]


def _dialog(r: dict[str, Any]) -> DialogRow:
    ids = r["participant_ids"]
    if isinstance(ids, str):
        ids = json.loads(ids or "[]")
    return DialogRow(**{**r, "participant_ids": [int(i) for i in ids or []]})


async def get_dialog(viewer: Viewer, dialog_id: int) -> DialogRow:
    """A dialog the viewer takes part in (the employee or their supervisor chain)."""
    (row,) = await dialogs_by_ids([dialog_id])
    if row is None or not await policy.can_converse(viewer, row.employee_id):
        raise NotFoundError("Dialog", "dialogId")
    return row


async def record_dialog(
    viewer: Viewer,
    *,
    employee_id: int,
    held_on: date,
    went_well: str,
    to_improve: str,
    participant_ids: Sequence[int],
    actions: Sequence[tuple[str, date | None]],
    evaluation_id: int | None = None,
) -> DialogRow:
    """A supervisor (anyone up the chain) records a performance conversation."""
    recorder = await policy.require_dialog_recorder(viewer, employee_id)
    if held_on > clock.today():
        raise DomainError.single(
            "FUTURE_DATE", "Tanggal dialog tidak boleh di masa depan", "heldOn"
        )
    went_well = _text(went_well, "wentWell", 0, 4000)
    to_improve = _text(to_improve, "toImprove", 0, 4000)
    errors: list[FieldError] = []
    cleaned_actions = []
    for i, (raw, due) in enumerate(actions):
        text = raw.strip()
        if not 3 <= len(text) <= 1000:  # noqa: PLR2004
            errors.append(
                FieldError("INVALID_LENGTH", "Tindak lanjut 3-1000 karakter", f"actions.{i}")
            )
        cleaned_actions.append((text, due))
    if errors:
        raise DomainError(*errors)
    await check_reference(
        employee_id, performance_facts.evaluation_employee, evaluation_id, "evaluationId"
    )
    participants = sorted({employee_id, recorder, *participant_ids})
    led_for = await visibility.stands_in_for(viewer, employee_id)
    async with transaction():
        inserted = await DialogKinerja.insert(
            DialogKinerja(
                employee=employee_id,
                led_by=viewer.employee_id,
                led_for=led_for,
                held_on=held_on,
                participant_ids=participants,
                went_well=went_well,
                to_improve=to_improve,
                evaluation=evaluation_id,
            )
        )
        dialog_id = int(inserted[0]["id"])
        if cleaned_actions:
            await DialogAction.insert(
                *(
                    DialogAction(dialog=dialog_id, description=t, due_on=d)
                    for t, d in cleaned_actions
                )
            )
        await audit.record(
            account_id=viewer.account_id,
            action="DIALOG_RECORDED",
            entity_type="DialogKinerja",
            entity_id=dialog_id,
            after={
                "employee_id": employee_id,
                "actions": len(cleaned_actions),
                "led_for": led_for,
            },
        )
    (row,) = await dialogs_by_ids([dialog_id])
    assert row is not None  # noqa: S101
    return row


async def actions_by_dialog(dialog_ids: Sequence[int]) -> list[list[ActionRow]]:
    """Agreed actions of each dialog."""
    rows = await DialogAction.select(*_ACTION).where(id_in(DialogAction.dialog, dialog_ids))
    grouped: dict[int, list[ActionRow]] = {}
    for r in sorted(rows, key=lambda r: r["id"]):
        grouped.setdefault(r["dialog_id"], []).append(ActionRow(**r))
    return [grouped.get(d, []) for d in dialog_ids]


async def actions_by_ids(ids: Sequence[int]) -> list[ActionRow | None]:
    """Agreed actions in the order of ``ids`` (no scoping: check the dialog's employee)."""
    rows = await DialogAction.select(*_ACTION).where(id_in(DialogAction.id, ids))
    by_id = {r["id"]: ActionRow(**r) for r in rows}
    return [by_id.get(i) for i in ids]


async def open_actions(viewer: Viewer, employee_id: int | None = None) -> list[ActionRow]:
    """Agreed actions not yet done for an employee (default: the viewer), by due date."""
    target = employee_id if employee_id is not None else viewer.employee_id
    if target is None or not await policy.can_converse(viewer, target):
        return []
    rows = await DialogAction.select(*_ACTION).where(
        (DialogAction.dialog.employee == target) & DialogAction.done_at.is_null()
    )
    return sorted((ActionRow(**r) for r in rows), key=lambda a: (a.due_on or date.max, a.id))


async def complete_action(viewer: Viewer, action_id: int) -> ActionRow:
    """Mark an agreed action done (the employee or their chain)."""
    rows = await DialogAction.select(*_ACTION).where(DialogAction.id == action_id)
    if not rows:
        raise NotFoundError("Action", "actionId")
    action = ActionRow(**rows[0])
    await get_dialog(viewer, action.dialog_id)
    async with transaction():
        updated = (
            await DialogAction.update({DialogAction.done_at: _now()})
            .where((DialogAction.id == action_id) & DialogAction.done_at.is_null())
            .returning(DialogAction.id)
        )
        if not updated:
            raise DomainError.single("ALREADY_DONE", "Tindak lanjut sudah selesai", "actionId")
        await audit.record(
            account_id=viewer.account_id,
            action="DIALOG_ACTION_DONE",
            entity_type="DialogAction",
            entity_id=action_id,
        )
    rows = await DialogAction.select(*_ACTION).where(DialogAction.id == action_id)
    return ActionRow(**rows[0])
