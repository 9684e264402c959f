"""Tables of the people domain: OPD, Unor (org unit tree), Employee and acting appointments."""

from __future__ import annotations

from piccolo.columns import (
    Boolean,
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


class Opd(WithId, Table, tablename="opd"):
    """Organisasi Perangkat Daerah: a regional agency such as Dinas Kesehatan."""

    code = Varchar(length=40, unique=True)
    name = Varchar(length=200)
    short_name = Varchar(length=60)


class Unor(WithId, Table, tablename="unor"):
    """Unit organisasi: a node of the org tree under one OPD."""

    code = Varchar(length=80, unique=True)
    name = Varchar(length=200)
    opd = ForeignKey(references=Opd, on_delete=OnDelete.restrict, null=False, index=True)
    parent: ForeignKey[Unor] = ForeignKey(
        references="self", on_delete=OnDelete.restrict, null=True, index=True
    )


class Employee(WithId, Table, tablename="employee"):
    """An ASN employee (PNS or PPPK).

    ``opd`` is denormalised from the unit so OPD scoping is one indexed comparison.
    ``supervisor`` is the pejabat penilai (rater).
    """

    nip = Varchar(length=18, unique=True)
    name = Varchar(length=150)
    kind = Varchar(length=4)
    gender = Varchar(length=12, null=True, default=None)
    birth_date = Date(null=True, default=None)
    tmt_cpns = Date(null=True, default=None)
    hired_on = Date(null=True, default=None)
    golongan = Varchar(length=6, null=True, default=None)
    jabatan_kind = Varchar(length=32)
    jabatan_name = Varchar(length=200)
    unor = ForeignKey(references=Unor, on_delete=OnDelete.restrict, null=False, index=True)
    opd = ForeignKey(references=Opd, on_delete=OnDelete.restrict, null=False, index=True)
    supervisor: ForeignKey[Employee] = ForeignKey(
        references="self", on_delete=OnDelete.set_null, null=True, index=True
    )
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ActingAppointment(WithId, Table, tablename="acting_appointment"):
    """A Plt/Plh: ``acting`` stands in for ``principal`` (a pejabat penilai) for a date range.

    The range is ``starts_on`` to ``ends_on`` (city calendar, inclusive), until revoked.

    During the range the acting official reaches whom the principal supervises (the SUPERVISOR
    relation of :mod:`portal.people.visibility`) and acts as their rater.
    """

    principal = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    acting = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    opd = ForeignKey(references=Opd, on_delete=OnDelete.restrict, null=False, index=True)
    kind = Varchar(length=4)
    starts_on = Date()
    ends_on = Date()
    reason = Text(default="")
    appointed_by_account = Integer(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class EmployeeMove(WithId, Table, tablename="employee_move"):
    """A mutasi detected by the SIMPEG import: the employee's unit or supervisor changed.

    The import records the move instead of silently moving history; the mutasi flow
    (issue 20) starts from these rows (status DETECTED until handled).
    """

    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    old_unor = ForeignKey(references=Unor, on_delete=OnDelete.restrict, null=False)
    new_unor = ForeignKey(references=Unor, on_delete=OnDelete.restrict, null=False)
    old_opd = ForeignKey(references=Opd, on_delete=OnDelete.restrict, null=False, index=True)
    new_opd = ForeignKey(references=Opd, on_delete=OnDelete.restrict, null=False, index=True)
    old_supervisor = ForeignKey(references=Employee, on_delete=OnDelete.set_null, null=True)
    new_supervisor = ForeignKey(references=Employee, on_delete=OnDelete.set_null, null=True)
    effective_on = Date()
    source = Varchar(length=12, default="SIMPEG")
    status = Varchar(length=10, default="DETECTED", index=True)
    detected_at = Timestamptz(default=TimestamptzNow())
