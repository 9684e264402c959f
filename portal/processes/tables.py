"""Tables of the BKPSDM processes."""

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
from portal.people.tables import Employee, Opd
from portal.performance.tables import Evaluation, Skp


class Objection(WithId, Table, tablename="objection"):
    """A keberatan: the employee's objection to a FINAL annual evaluation, and its decision.

    ``rater`` (pejabat penilai) and ``decider`` (the rater's superior, who decides) are fixed
    when it is filed; ``decider`` is null when the rater has no superior in the portal (the
    regional head), and ADMIN_BKPSDM then records the decision. One objection per evaluation.
    """

    evaluation = ForeignKey(
        references=Evaluation, on_delete=OnDelete.cascade, null=False, unique=True
    )
    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    opd = ForeignKey(references=Opd, on_delete=OnDelete.restrict, null=False, index=True)
    rater = ForeignKey(references=Employee, on_delete=OnDelete.set_null, null=True)
    decider = ForeignKey(references=Employee, on_delete=OnDelete.set_null, null=True, index=True)
    status = Varchar(length=10, default="SUBMITTED", index=True)
    reason = Text()
    original_hasil = Varchar(length=24)
    original_perilaku = Varchar(length=24)
    original_predikat = Varchar(length=20)
    deadline = Date()
    decided_hasil = Varchar(length=24, null=True, default=None)
    decided_perilaku = Varchar(length=24, null=True, default=None)
    decided_predikat = Varchar(length=20, null=True, default=None)
    decision_reason = Text(null=True, default=None)
    decided_by_account = Integer(null=True, default=None)
    filed_at = Timestamptz(default=TimestamptzNow())
    decided_at = Timestamptz(null=True, default=None)


class OfficialDocument(WithId, Table, tablename="official_document"):
    """An issued SKP or Dokumen Evaluasi Kinerja: its number, verification code and contents.

    ``facts`` is exactly what the document prints about people and results (names, NIPs,
    period, predikat); the public verification page shows it and nothing else. The same
    contents issued again reuse the document (``fingerprint``); changed contents get a new one.
    """

    kind = Varchar(length=12)
    skp = ForeignKey(references=Skp, on_delete=OnDelete.cascade, null=False, index=True)
    evaluation = ForeignKey(references=Evaluation, on_delete=OnDelete.cascade, null=True)
    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    opd = ForeignKey(references=Opd, on_delete=OnDelete.restrict, null=False, index=True)
    number = Varchar(length=60, unique=True)
    verification_code = Varchar(length=20, unique=True)
    fingerprint = Varchar(length=64, index=True)
    facts = JSON()
    issued_by_account = Integer(null=True, default=None)
    issued_at = Timestamptz(default=TimestamptzNow())
