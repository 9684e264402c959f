"""Tables of the performance cycle: periods, SKP (RHK, IKI), activities, evaluations, curves."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    Boolean,
    Date,
    Float,
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
from portal.people.tables import Employee, EmployeeMove, Opd, Unor


class Period(WithId, Table, tablename="period"):
    """An annual period, or one of its quarterly/monthly evaluation periods (``parent`` set)."""

    year = Integer(index=True)
    kind = Varchar(length=12)
    number = Integer(default=0)  # 0 for the annual period, 1..4 or 1..12 for sub-periods
    name = Varchar(length=60)
    parent: ForeignKey[Period] = ForeignKey(
        references="self", on_delete=OnDelete.cascade, null=True, index=True
    )
    starts_on = Date()
    ends_on = Date()
    submission_deadline = Date()
    status = Varchar(length=12, default="OPEN")
    evaluation_frequency = Varchar(length=12, null=True, default=None)  # annual only


class Skp(WithId, Table, tablename="skp"):
    """Sasaran Kinerja Pegawai: one *active* per employee per annual period.

    A mutasi (issue 20) closes the SKP (``served_until``: the last day served under it) and
    opens a new one under the new rater from the move's date (``served_from``, ``mutasi``);
    the annual evaluation combines their parts pro rata (:func:`rules.combine_pro_rata`).
    """

    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    period = ForeignKey(references=Period, on_delete=OnDelete.restrict, null=False, index=True)
    rater = ForeignKey(references=Employee, on_delete=OnDelete.set_null, null=True, index=True)
    rater_superior = ForeignKey(references=Employee, on_delete=OnDelete.set_null, null=True)
    opd = ForeignKey(references=Opd, on_delete=OnDelete.restrict, null=False, index=True)
    unor = ForeignKey(references=Unor, on_delete=OnDelete.restrict, null=False)
    jabatan_name = Varchar(length=200)
    jabatan_kind = Varchar(length=32)
    status = Varchar(length=12, default="DRAFT", index=True)
    return_note = Text(null=True, default=None)
    revision = Integer(default=0)
    resources = Text(default="")
    accountability = Text(default="")
    consequences = Text(default="")
    submitted_at = Timestamptz(null=True, default=None)
    approved_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    # mutasi (issue 20): the part of the year this SKP covers; null = the period's bounds
    served_from = Date(null=True, default=None)
    served_until = Date(null=True, default=None)  # set when closed by a mutasi
    mutasi = ForeignKey(references=EmployeeMove, on_delete=OnDelete.set_null, null=True)


class SkpExpectation(WithId, Table, tablename="skp_expectation"):
    """Ekspektasi khusus pimpinan: the leader's expectation for one BerAKHLAK value."""

    skp = ForeignKey(references=Skp, on_delete=OnDelete.cascade, null=False, index=True)
    value = Varchar(length=32)
    expectation = Text()


class SkpRevision(WithId, Table, tablename="skp_revision"):
    """A recorded revision of an approved SKP: the reason and a snapshot of what it was."""

    skp = ForeignKey(references=Skp, on_delete=OnDelete.cascade, null=False, index=True)
    revision = Integer()
    reason = Text()
    snapshot = JSON()
    account_id = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class Rhk(WithId, Table, tablename="rhk"):
    """Rencana Hasil Kerja; a non-JPT RHK names the supervisor's RHK it intervenes in."""

    skp = ForeignKey(references=Skp, on_delete=OnDelete.cascade, null=False, index=True)
    kind = Varchar(length=10)
    description = Text()
    parent_rhk: ForeignKey[Rhk] = ForeignKey(
        references="self", on_delete=OnDelete.restrict, null=True, index=True
    )
    perspective = Varchar(length=24, null=True, default=None)
    position = Integer(default=0)


class Indicator(WithId, Table, tablename="indicator"):
    """Indikator Kinerja Individu (IKI) with its aspect, target and unit."""

    rhk = ForeignKey(references=Rhk, on_delete=OnDelete.cascade, null=False, index=True)
    skp = ForeignKey(references=Skp, on_delete=OnDelete.cascade, null=False, index=True)
    aspect = Varchar(length=10)
    description = Text()
    target_value = Float()
    unit = Varchar(length=50)
    position = Integer(default=0)


class Activity(WithId, Table, tablename="activity"):
    """Aktivitas harian: one logged piece of work, verified or rejected by the supervisor."""

    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    period = ForeignKey(references=Period, on_delete=OnDelete.restrict, null=False, index=True)
    indicator = ForeignKey(references=Indicator, on_delete=OnDelete.set_null, null=True, index=True)
    activity_date = Date(index=True)
    description = Text()
    quantity = Float(default=0.0)
    unit = Varchar(length=50, default="")
    duration_minutes = Integer(null=True, default=None)
    evidence_links = JSON(default="[]")
    status = Varchar(length=10, default="SUBMITTED", index=True)
    idempotency_key = Varchar(length=80)
    verifier = ForeignKey(references=Employee, on_delete=OnDelete.set_null, null=True)
    verified_at = Timestamptz(null=True, default=None)
    rejection_note = Text(null=True, default=None)
    logged_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    # when ``verifier`` acted as Plt/Plh: the supervisor they stood in for (issue 20)
    verified_for = ForeignKey(references=Employee, on_delete=OnDelete.set_null, null=True)


class Evaluation(WithId, Table, tablename="evaluation"):
    """A periodic or annual evaluation of one SKP by its rater."""

    skp = ForeignKey(references=Skp, on_delete=OnDelete.cascade, null=False, index=True)
    period = ForeignKey(references=Period, on_delete=OnDelete.restrict, null=False, index=True)
    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=False, index=True)
    opd = ForeignKey(references=Opd, on_delete=OnDelete.restrict, null=False, index=True)
    rater = ForeignKey(references=Employee, on_delete=OnDelete.set_null, null=True, index=True)
    status = Varchar(length=8, default="DRAFT", index=True)
    suggested_hasil = Varchar(length=24, null=True, default=None)
    suggestion_explanation = Text(default="")
    hasil_rating = Varchar(length=24, null=True, default=None)
    hasil_override_reason = Text(null=True, default=None)
    perilaku_rating = Varchar(length=24, null=True, default=None)
    predikat = Varchar(length=20, null=True, default=None, index=True)
    feedback = Text(default="")
    finalised_at = Timestamptz(null=True, default=None)
    acknowledged_at = Timestamptz(null=True, default=None)
    employee_response = Text(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    # the Plt/Plh who last worked on it in the rater's place (issue 20); ``rater`` stays the
    # pejabat penilai, so both names are recorded
    acting_rater = ForeignKey(references=Employee, on_delete=OnDelete.set_null, null=True)
    # mutasi (issue 20): on the annual evaluation of the part active at the year's end, the
    # year's pro rata result once every part is FINAL; the curve, the rekap, the incentives
    # and keberatan read it instead of each part's own (``rules.combine_pro_rata``)
    combined_hasil = Varchar(length=24, null=True, default=None)
    combined_perilaku = Varchar(length=24, null=True, default=None)
    combined_predikat = Varchar(length=20, null=True, default=None)
    combined_at = Timestamptz(null=True, default=None)


class EvaluationIndicator(WithId, Table, tablename="evaluation_indicator"):
    """Realisation and feedback for one indicator in one evaluation."""

    evaluation = ForeignKey(
        references=Evaluation, on_delete=OnDelete.cascade, null=False, index=True
    )
    indicator = ForeignKey(references=Indicator, on_delete=OnDelete.cascade, null=False, index=True)
    realisation = Float(null=True, default=None)
    evidence = Text(default="")
    feedback = Text(default="")


class EvaluationBehaviour(WithId, Table, tablename="evaluation_behaviour"):
    """The rater's note (and optional rating) for one BerAKHLAK value in one evaluation."""

    evaluation = ForeignKey(
        references=Evaluation, on_delete=OnDelete.cascade, null=False, index=True
    )
    value = Varchar(length=32)
    rating = Varchar(length=24, null=True, default=None)
    note = Text(default="")


class OpdCurve(WithId, Table, tablename="opd_curve"):
    """An OPD's organisational predikat for a period and the state of its curve check."""

    opd = ForeignKey(references=Opd, on_delete=OnDelete.cascade, null=False, index=True)
    period = ForeignKey(references=Period, on_delete=OnDelete.cascade, null=False, index=True)
    org_predikat = Varchar(length=20)
    override_reason = Text(null=True, default=None)
    override_account_id = Integer(null=True, default=None)
    finalised_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


class IncentiveRule(WithId, Table, tablename="incentive_rule"):
    """Maps a predikat (and a minimum share of verified activity) to a TPP factor and awards.

    The most specific matching rule wins: for a predikat, the rule with the highest
    ``min_verified_share`` that the employee reaches.
    """

    predikat = Varchar(length=20, index=True)
    min_verified_share = Float(default=0.0)
    tpp_factor = Float()
    award_eligible = Boolean(default=False)
    note = Text(default="")
