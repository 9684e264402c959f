"""Demo keberatan: last year's annual evaluations of a few employees and their objections.

The demo's current year has no annual evaluation yet, so the keberatan are about last year's:
the performance demo evaluated it (by the rules, from the year's activities); here a handful of
employees (the ``pegawai`` login first) have it re-finalised a few days ago with a Rating
Perilaku below expectation, and objections are filed in the deadline: the ``pegawai`` login has
none yet (the window is open, to file one in the app), of the others one waits for the decision
and two are decided (one upheld, one changed). Without a seeded previous year (a database
seeded otherwise), the evaluations are created here. And one mutasi detected by the SIMPEG
import waits to be processed (:func:`seed_mutasi`), and a fifth employee's last year was split
by a mutasi already processed (:func:`_split_year`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from portal.accounts.tables import UserAccount
from portal.people.tables import Employee, EmployeeMove
from portal.performance import rules
from portal.performance.enums import (
    BerAkhlak,
    EvaluationStatus,
    PeriodKind,
    PeriodStatus,
    Rating,
    SkpStatus,
)
from portal.performance.planning.services import periods
from portal.performance.tables import Evaluation, EvaluationBehaviour, Period, Skp
from portal.processes.enums import ObjectionStatus
from portal.processes.tables import Objection

REASONS = (
    "Capaian layanan saya melampaui target; bukti dukung bulan November belum diperhitungkan.",
    "Rating perilaku tidak disertai catatan kejadian yang jelas; mohon ditinjau kembali.",
    "Target indikator berubah di tengah tahun tanpa revisi SKP; mohon capaian dinilai ulang.",
)


async def _people(limit: int, annual_id: int) -> list[dict[str, object]]:
    """Approved SKPs with a rater and a rater's superior, the ``pegawai`` login first.

    Last year's SKPs when there are (the performance demo seeds them), else the current ones.
    """
    login = await UserAccount.select(UserAccount.employee).where(UserAccount.username == "pegawai")
    first = login[0]["employee"] if login else None
    columns = (
        Skp.id,
        Skp.employee,
        Skp.rater,
        Skp.rater_superior,
        Skp.opd,
        Skp.unor,
        Skp.jabatan_name,
        Skp.jabatan_kind,
    )
    rated = Skp.rater.is_not_null() & Skp.rater_superior.is_not_null()
    if await Skp.exists().where(Skp.period == annual_id):
        rated &= Skp.period == annual_id
    # the pegawai login's own SKP first, wherever it is among the city's
    mine = (
        await Skp.select(*columns).where(rated & (Skp.employee == first)).limit(1)
        if first is not None
        else []
    )
    others = await Skp.select(*columns).where(rated).order_by(Skp.id).limit(200)
    rows = mine + [r for r in others if r["employee"] != first]
    return rows[:limit]


FEEDBACK = "Capaian tahunan tercatat; perilaku kerja perlu ditingkatkan."
PART_FEEDBACK = "Penilaian untuk bulan-bulan yang dijalani di bawah pejabat penilai ini."


async def _annual_evaluation(p: dict[str, Any], annual_id: int, year: int) -> tuple[int, Rating]:
    """The employee's evaluation of the year ``annual_id`` and its Rating Hasil Kerja.

    The one the performance demo computed when there is; otherwise a new SKP and evaluation
    (hasil as expected), as a database seeded without a previous year needs.
    """
    found = await Evaluation.select(Evaluation.id, Evaluation.hasil_rating).where(
        (Evaluation.employee == p["employee"]) & (Evaluation.period == annual_id)
    )
    if found and found[0]["hasil_rating"]:
        return int(found[0]["id"]), Rating(found[0]["hasil_rating"])
    hasil = Rating.SESUAI_EKSPEKTASI
    return await _final_year(p, annual_id, year, rater=p["rater"], hasil=hasil), hasil


async def _final_year(
    p: dict[str, Any],
    annual_id: int,
    year: int,
    *,
    rater: object,
    hasil: Rating,
    served_until: date | None = None,
    **evaluation: Any,  # noqa: ANN401 - more Evaluation columns
) -> int:
    """An approved SKP of the year under ``rater`` and its FINAL evaluation: the evaluation's id.

    The evaluation has the Rating Hasil Kerja ``hasil`` (suggested and given), the
    ``evaluation`` columns and a note on each BerAkhlak behaviour.
    """
    (skp,) = await Skp.insert(
        Skp(
            employee=p["employee"],
            period=annual_id,
            rater=rater,
            rater_superior=p["rater_superior"],
            opd=p["opd"],
            unor=p["unor"],
            jabatan_name=p["jabatan_name"],
            jabatan_kind=p["jabatan_kind"],
            status=SkpStatus.APPROVED.value,
            approved_at=datetime(year, 2, 10, 9, tzinfo=UTC),
            served_until=served_until,
        )
    )
    (row,) = await Evaluation.insert(
        Evaluation(
            skp=skp["id"],
            period=annual_id,
            employee=p["employee"],
            opd=p["opd"],
            rater=rater,
            status=EvaluationStatus.FINAL.value,
            suggested_hasil=hasil.value,
            hasil_rating=hasil.value,
            **evaluation,
        )
    )
    await EvaluationBehaviour.insert(
        *(
            EvaluationBehaviour(evaluation=row["id"], value=v.value, note=f"{v.label}: pengamatan.")
            for v in BerAkhlak
        )
    )
    return int(row["id"])


async def seed(*, today: date) -> int:
    """Seed last year's annual evaluations of five employees and three objections.

    The fifth employee's year was split by a mutasi (:func:`_split_year`).
    """
    year = today.year - 1
    existing = await Period.select(Period.id).where(
        (Period.year == year) & (Period.kind == PeriodKind.ANNUAL.value)
    )
    if existing:
        annual_id = int(existing[0]["id"])
    else:
        annual_id = (await periods.create_year(None, year, PeriodKind.QUARTERLY)).id
    people = await _people(5, annual_id)
    if not people:
        return 0
    await Period.update({Period.status: PeriodStatus.EVALUATION.value}).where(
        Period.id == annual_id
    )
    # finalised a few days ago, yet not before the year ended (seeded on 1-3 January)
    final_day = max(today - timedelta(days=3), date(today.year, 1, 1))
    final_at = datetime.combine(final_day, time(1), UTC)  # 08:00 WIB
    step = timedelta(days=1) if (today - final_day).days >= 2 else timedelta(hours=1)  # noqa: PLR2004
    filed_at = final_at + step
    statuses = (
        None,  # the pegawai login: no objection yet, the window open
        ObjectionStatus.SUBMITTED,
        ObjectionStatus.UPHELD,
        ObjectionStatus.CHANGED,
    )
    perilaku = Rating.DI_BAWAH_EKSPEKTASI
    for n, (p, status) in enumerate(zip(people, statuses, strict=False)):
        changed = status is ObjectionStatus.CHANGED
        final_perilaku = Rating.SESUAI_EKSPEKTASI if changed else perilaku
        evaluation_id, hasil = await _annual_evaluation(p, annual_id, year)
        original = rules.predikat(hasil, perilaku)
        predikat = rules.predikat(hasil, final_perilaku)
        await Evaluation.update(
            {
                Evaluation.status: EvaluationStatus.FINAL.value,
                Evaluation.perilaku_rating: final_perilaku.value,
                Evaluation.predikat: predikat.value,
                Evaluation.feedback: FEEDBACK,
                Evaluation.finalised_at: final_at,
                Evaluation.acknowledged_at: None,
            }
        ).where(Evaluation.id == evaluation_id)
        if status is None:
            continue
        decided = status is not ObjectionStatus.SUBMITTED
        await Objection.insert(
            Objection(
                evaluation=evaluation_id,
                employee=p["employee"],
                opd=p["opd"],
                rater=p["rater"],
                decider=p["rater_superior"],
                status=status.value,
                reason=REASONS[n - 1],
                original_hasil=hasil.value,
                original_perilaku=perilaku.value,
                original_predikat=original.value,
                deadline=final_at.date() + timedelta(days=14),
                decided_hasil=hasil.value if decided else None,
                decided_perilaku=final_perilaku.value if decided else None,
                decided_predikat=predikat.value if decided else None,
                decision_reason=(
                    "Catatan perilaku diperiksa bersama pejabat penilai; keputusan final."
                    if decided
                    else None
                ),
                filed_at=filed_at,
                decided_at=filed_at + step if decided else None,
            )
        )
    if len(people) > len(statuses):
        p = people[-1]
        others = [q["rater"] for q in people if q["rater"] != p["rater"]]
        evaluation_id, _ = await _annual_evaluation(p, annual_id, year)
        await _split_year(
            p, others[0] if others else p["rater_superior"], evaluation_id, annual_id, final_at
        )
    return len(people)


async def _split_year(
    p: dict[str, Any], first_rater: object, evaluation_id: int, annual_id: int, final_at: datetime
) -> None:
    """Last year split by a mutasi on 1 May, both parts FINAL, the year's result combined.

    The year's SKP and evaluation become the second part (May-Dec, the current rater, Baik);
    a closed first part (Jan-Apr under ``first_rater``, Sangat Baik) is added; the combined
    result (Baik) is stored on the second part's evaluation, as finalising does.
    """
    year = (await periods.get_period(annual_id)).year
    moved_on = date(year, 5, 1)
    first, second = Rating.DI_ATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI
    combined = rules.combine_pro_rata(
        [
            rules.ServedPart(date(year, 1, 1), moved_on - timedelta(days=1), first, first),
            rules.ServedPart(moved_on, date(year, 12, 31), second, second),
        ]
    )
    (row,) = await Evaluation.select(Evaluation.skp).where(Evaluation.id == evaluation_id)
    await Skp.update({Skp.served_from: moved_on}).where(Skp.id == row["skp"])
    await Evaluation.update(
        {
            Evaluation.status: EvaluationStatus.FINAL.value,
            Evaluation.hasil_rating: second.value,
            Evaluation.perilaku_rating: second.value,
            Evaluation.predikat: rules.predikat(second, second).value,
            Evaluation.feedback: PART_FEEDBACK,
            Evaluation.finalised_at: final_at,
            Evaluation.combined_hasil: combined.hasil.value,
            Evaluation.combined_perilaku: combined.perilaku.value,
            Evaluation.combined_predikat: combined.predikat.value,
            Evaluation.combined_at: final_at,
        }
    ).where(Evaluation.id == evaluation_id)
    await _final_year(
        p,
        annual_id,
        year,
        rater=first_rater,
        hasil=first,
        served_until=moved_on - timedelta(days=1),
        perilaku_rating=first.value,
        predikat=rules.predikat(first, first).value,
        feedback=PART_FEEDBACK,
        finalised_at=final_at,
    )


async def seed_mutasi(*, today: date, spare: frozenset[int]) -> int | None:
    """One mutasi detected by the SIMPEG import and not yet processed: its id (None if none).

    An employee with an approved SKP of this year, outside the personas' stories (``spare``:
    the ``pegawai`` and ``atasan`` logins, whose teams stay as they are) and leading nobody,
    moves to another unit of the same OPD under that unit's rater. As the import does, the
    employee follows SIMPEG and the move is recorded (status DETECTED), for the admin "Mutasi"
    screen to process: the old SKP is then closed and a new one opened under the new rater.
    """
    annual = await Period.select(Period.id, Period.starts_on).where(
        (Period.year == today.year) & (Period.kind == PeriodKind.ANNUAL.value)
    )
    if not annual:
        return None
    period_id, starts_on = int(annual[0]["id"]), annual[0]["starts_on"]
    leaders = {
        int(r["supervisor"])
        for r in await Employee.select(Employee.supervisor).where(Employee.supervisor.is_not_null())
    }
    rated = await (
        Skp.select(Skp.employee, Skp.rater, Skp.opd, Skp.unor)
        .where(
            (Skp.period == period_id)
            & (Skp.status == SkpStatus.APPROVED.value)
            & Skp.served_until.is_null()
            & Skp.rater.is_not_null()
        )
        .order_by(Skp.id)
    )
    away = spare | leaders
    for mover in rated:
        if mover["employee"] in away or mover["rater"] in spare:
            continue
        target = next(
            (
                r
                for r in rated
                if r["opd"] == mover["opd"]
                and r["unor"] != mover["unor"]
                and r["rater"] not in (mover["rater"], mover["employee"])
                and r["rater"] not in spare
            ),
            None,
        )
        if target is None:
            continue
        await Employee.update(
            {Employee.supervisor: target["rater"], Employee.unor: target["unor"]}
        ).where(Employee.id == mover["employee"])
        (move,) = await EmployeeMove.insert(
            EmployeeMove(
                employee=mover["employee"],
                old_unor=mover["unor"],
                new_unor=target["unor"],
                old_opd=mover["opd"],
                new_opd=target["opd"],
                old_supervisor=mover["rater"],
                new_supervisor=target["rater"],
                effective_on=max(starts_on + timedelta(days=1), today - timedelta(days=10)),
                detected_at=datetime.combine(today, time(7), UTC),
            )
        )
        return int(move["id"])
    return None
