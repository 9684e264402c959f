"""Feedback threads with messages and read state, and dialog kinerja records."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from portal.core.piccolo import WithId
from portal.people.tables import Employee
from portal.performance.tables import Activity, Evaluation, Indicator


class DialogKinerja(WithId, Table, tablename="dialog_kinerja"):
    """A structured record of a performance conversation."""

    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    led_by = ForeignKey(references=Employee, on_delete=OnDelete.set_null, null=True)
    # the supervisor a Plt/Plh leading the dialog stood in for (issue 20)
    led_for = ForeignKey(references=Employee, on_delete=OnDelete.set_null, null=True)
    held_on = Date()
    participant_ids = JSON(default="[]")
    went_well = Text(default="")
    to_improve = Text(default="")
    evaluation = ForeignKey(references=Evaluation, on_delete=OnDelete.set_null, null=True)
    created_at = Timestamptz(default=TimestamptzNow())


class DialogAction(WithId, Table, tablename="dialog_action"):
    """An agreed action of a dialog, shown to the employee until done."""

    dialog = ForeignKey(
        references=DialogKinerja, on_delete=OnDelete.cascade, null=False, index=True
    )
    description = Text()
    due_on = Date(null=True, default=None)
    done_at = Timestamptz(null=True, default=None)


class FeedbackThread(WithId, Table, tablename="feedback_thread"):
    """A conversation about one employee between them and their supervisor chain."""

    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    opened_by = ForeignKey(references=Employee, on_delete=OnDelete.set_null, null=True)
    topic = Varchar(length=200)
    kind = Varchar(length=20)
    status = Varchar(length=10, default="OPEN", index=True)
    indicator = ForeignKey(references=Indicator, on_delete=OnDelete.set_null, null=True)
    activity = ForeignKey(references=Activity, on_delete=OnDelete.set_null, null=True)
    evaluation = ForeignKey(references=Evaluation, on_delete=OnDelete.set_null, null=True)
    dialog = ForeignKey(references=DialogKinerja, on_delete=OnDelete.set_null, null=True)
    acknowledged_at = Timestamptz(null=True, default=None)
    resolved_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    last_message_at = Timestamptz(default=TimestamptzNow(), index=True)


class FeedbackMessage(WithId, Table, tablename="feedback_message"):
    """A message in a thread; its author may edit it for a short window (history kept)."""

    thread = ForeignKey(
        references=FeedbackThread, on_delete=OnDelete.cascade, null=False, index=True
    )
    author = ForeignKey(references=Employee, on_delete=OnDelete.set_null, null=True)
    # the supervisor a Plt/Plh author stood in for (issue 20)
    written_for = ForeignKey(references=Employee, on_delete=OnDelete.set_null, null=True)
    body = Text()
    created_at = Timestamptz(default=TimestamptzNow())
    edited_at = Timestamptz(null=True, default=None)


class FeedbackMessageEdit(WithId, Table, tablename="feedback_message_edit"):
    """The text a message had before an edit."""

    message = ForeignKey(
        references=FeedbackMessage, on_delete=OnDelete.cascade, null=False, index=True
    )
    previous_body = Text()
    edited_at = Timestamptz(default=TimestamptzNow())


class ThreadReadState(WithId, Table, tablename="thread_read_state"):
    """How far one participant has read a thread."""

    thread = ForeignKey(references=FeedbackThread, on_delete=OnDelete.cascade, null=False)
    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    last_read_message_id = Integer(default=0)
