"""Mutasi mid-period through GraphQL: the detected move closes the old SKP on the day before
and opens a DRAFT SKP under the new rater for the same annual period (issue 20)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from portal.core.audit import AuditEntry
from portal.core.db import is_unique_violation
from portal.core.ids import decode_id_of, encode_global_id
from portal.people.tables import Employee, EmployeeMove
from portal.performance.enums import EvaluationStatus, Predikat
from portal.performance.tables import Evaluation, EvaluationBehaviour, Indicator, Skp
from support import performance_factory as pf
from support.api import Api
from support.factories import Factory

MOVED_ON = date(2026, 5, 1)


def gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


async def moved_world(api: Api, factory: Factory) -> tuple[pf.World, int, int]:
    """Staff (approved SKP rated by boss) moves on 1 May to the Dinkes office under head."""
    world = await pf.build_world(api, factory)
    staff, boss, head = (world.people[k] for k in ("staff", "boss", "head"))
    skp = await pf.approved_skp(staff, boss, world.year.annual)
    # what the SIMPEG import does: the employee follows SIMPEG, the move is recorded
    await Employee.update({Employee.supervisor: head.id, Employee.unor: head.unor_id}).where(
        Employee.id == staff.id
    )
    (move,) = await EmployeeMove.insert(
        EmployeeMove(
            employee=staff.id,
            old_unor=staff.unor_id,
            new_unor=head.unor_id,
            old_opd=world.opd_id,
            new_opd=world.opd_id,
            old_supervisor=boss.id,
            new_supervisor=head.id,
            effective_on=MOVED_ON,
        )
    )
    return world, skp.skp_id, int(move["id"])


async def apply(api: Api, world: pf.World, who: str, move_id: int) -> dict[str, Any]:
    data = await api.data(
        "ApplyMutasi",
        {"input": {"moveId": gid("DetectedMutasi", move_id)}},
        token=world.token(who),
    )
    payload: dict[str, Any] = data["applyMutasi"]
    return payload


async def test_a_mutasi_closes_the_old_skp_and_opens_one_under_the_new_rater(
    api: Api, factory: Factory
) -> None:
    # given staff moved on 1 May from boss's puskesmas to the office under head
    world, old_skp, move_id = await moved_world(api, factory)
    boss, head = world.people["boss"], world.people["head"]
    listed = await api.data("DetectedMutasi", {"first": 5}, token=world.token("admin_opd"))
    (edge,) = listed["detectedMutasi"]["edges"]
    assert edge["node"]["id"] == gid("DetectedMutasi", move_id)

    # when the Dinkes admin applies it
    payload = await apply(api, world, "admin_opd", move_id)

    # then the old SKP served until 30 April under boss, the new one starts 1 May under head
    assert payload["userErrors"] == []
    closed, opened = payload["closedSkp"], payload["openedSkp"]
    assert closed["id"] == gid("Skp", old_skp)
    assert (closed["servedFrom"], closed["servedUntil"]) == (None, "2026-04-30")
    assert closed["rater"]["id"] == gid("Employee", boss.id)
    assert (opened["status"], opened["servedFrom"], opened["servedUntil"]) == (
        "DRAFT",
        "2026-05-01",
        None,
    )
    assert opened["rater"]["id"] == gid("Employee", head.id)
    # and staff's SKP of the year is now the new one
    mine = await api.data(
        "MySkp", {"periodId": gid("Period", world.year.annual.id)}, token=world.token("staff")
    )
    assert mine["mySkp"]["id"] == opened["id"]
    assert await Skp.count().where(Skp.employee == world.people["staff"].id) == 2
    # and the move is handled, audited, and head is told
    listed = await api.data("DetectedMutasi", {"first": 5}, token=world.token("admin_opd"))
    assert listed["detectedMutasi"]["edges"][0]["node"]["status"] == "HANDLED"
    assert await AuditEntry.count().where(AuditEntry.action == "MUTASI_APPLIED") == 1
    notes = await api.data("Notifications", {"first": 5}, token=world.token("head"))
    assert "MUTASI_APPLIED" in [e["node"]["kind"] for e in notes["notifications"]["edges"]]

    # when it is applied again: refused, nothing changes
    again = await apply(api, world, "admin_opd", move_id)
    assert [e["code"] for e in again["userErrors"]] == ["INVALID_STATE"]
    assert await Skp.count().where(Skp.employee == world.people["staff"].id) == 2


async def test_only_the_admins_of_the_opds_apply_a_mutasi(api: Api, factory: Factory) -> None:
    world, _, move_id = await moved_world(api, factory)
    for who in ("admin_other", "staff", "head"):
        refused = await apply(api, world, who, move_id)
        assert [e["code"] for e in refused["userErrors"]] == ["FORBIDDEN"], who
    assert await Skp.count().where(Skp.employee == world.people["staff"].id) == 1
    # BKPSDM may
    assert (await apply(api, world, "bkpsdm", move_id))["userErrors"] == []


async def test_one_active_skp_per_employee_and_period_is_still_enforced(
    api: Api, factory: Factory
) -> None:
    # given staff's active SKP of the year
    world, _, _ = await moved_world(api, factory)
    # when staff tries to create another one: refused as before
    data = await api.data(
        "CreateSkp",
        {"input": {"periodId": gid("Period", world.year.annual.id)}},
        token=world.token("staff"),
    )
    assert [e["code"] for e in data["createSkp"]["userErrors"]] == ["DUPLICATE"]
    # and the database refuses a second active SKP, but keeps a closed one next to it
    staff, annual = world.people["staff"], world.year.annual

    def another(served_until: date | None) -> Skp:
        return Skp(
            employee=staff.id, period=annual.id, opd=staff.opd_id, unor=staff.unor_id,
            jabatan_name="Perawat", jabatan_kind="PELAKSANA", served_until=served_until,
        )  # fmt: skip

    with pytest.raises(Exception) as refused:
        await Skp.insert(another(None))
    assert is_unique_violation(refused.value)
    await Skp.insert(another(date(2026, 2, 28)))
    assert await Skp.count().where(Skp.employee == staff.id) == 2


async def test_each_rater_evaluates_their_part_and_the_year_combines_pro_rata(
    api: Api, factory: Factory
) -> None:
    # given staff's mutasi on 1 May applied; the new SKP under head approved
    world, old_skp, move_id = await moved_world(api, factory)
    applied = await apply(api, world, "admin_opd", move_id)
    new_skp = int(decode_id_of(applied["openedSkp"]["id"], "Skp", "skpId"))
    await Skp.update({Skp.status: "APPROVED", Skp.approved_at: datetime.now(UTC)}).where(
        Skp.id == new_skp
    )
    annual = world.year.annual
    # and in February staff did 34 of the old SKP's annual target of 100
    (indicator,) = await Indicator.select(Indicator.id).where(Indicator.skp == old_skp)
    await pf.verified_activity(
        world.people["staff"], annual, date(2026, 2, 10), 34, indicator_id=indicator["id"]
    )

    # when boss (no longer staff's supervisor) and head each start their annual evaluation
    started, suggested = {}, {}
    for who, skp_id in (("boss", old_skp), ("head", new_skp)):
        data = await api.data(
            "StartEvaluation",
            {"input": {"skpId": gid("Skp", skp_id), "periodId": gid("Period", annual.id)}},
            token=world.token(who),
        )
        assert data["startEvaluation"]["userErrors"] == [], who
        started[who] = data["startEvaluation"]["evaluation"]["id"]
        suggested[who] = data["startEvaluation"]["evaluation"]["suggestedHasil"]
    # then boss's suggestion measures the 34 against the four months served (target 33.3)
    assert suggested["boss"] == "SESUAI_EKSPEKTASI"
    variables = {
        "employeeId": gid("Employee", world.people["staff"].id),
        "periodId": gid("Period", annual.id),
    }

    # then the year has two parts, 4 and 8 months, and no combined result yet
    result = (await api.data("AnnualResult", variables, token=world.token("staff")))["annualResult"]
    assert [p["months"] for p in result["parts"]] == [4.0, 8.0]
    assert [p["skp"]["rater"]["name"] for p in result["parts"]] == [
        "Kepala Puskesmas",
        "Kepala Dinas",
    ]
    assert result["predikat"] is None

    # when both are final: Jan-Apr above / as expected, May-Dec as expected / as expected
    for who, hasil in (("boss", "DI_ATAS_EKSPEKTASI"), ("head", "SESUAI_EKSPEKTASI")):
        pk = int(decode_id_of(started[who], "Evaluation", "evaluationId"))
        await Evaluation.update(
            {
                Evaluation.status: "FINAL",
                Evaluation.hasil_rating: hasil,
                Evaluation.perilaku_rating: "SESUAI_EKSPEKTASI",
                Evaluation.predikat: "BAIK",
                Evaluation.finalised_at: datetime.now(UTC),
            }
        ).where(Evaluation.id == pk)

    # then the year combines them by months served: (4*3 + 8*2) / 12 -> SESUAI; BAIK
    result = (await api.data("AnnualResult", variables, token=world.token("admin_opd")))[
        "annualResult"
    ]
    assert (result["hasilRating"], result["perilakuRating"], result["predikat"]) == (
        "SESUAI_EKSPEKTASI",
        "SESUAI_EKSPEKTASI",
        "BAIK",
    )
    # and boss reads the evaluation of the part he rated, not staff's new SKP
    mine = await api.data("SkpById", {"id": gid("Skp", old_skp)}, token=world.token("boss"))
    assert mine["node"] is not None
    theirs = await api.data("SkpById", {"id": gid("Skp", new_skp)}, token=world.token("boss"))
    assert theirs["node"] is None


# --- the split year counts once (curve, rekap, incentives, keberatan) -------------------------


async def draft_part(
    world: pf.World, rater: str, skp_id: int, period_id: int, *, hasil: str, perilaku: str
) -> int:
    """A complete DRAFT evaluation of one part, ready for its rater to finalise."""
    period = next(p for p in (world.year.annual, *world.year.children) if p.id == period_id)
    evaluation_id = await pf.evaluation(
        world.people["staff"], world.people[rater], skp_id, period, None,
        status=EvaluationStatus.DRAFT,
    )  # fmt: skip
    await Evaluation.update(
        {
            Evaluation.suggested_hasil: hasil,
            Evaluation.hasil_rating: hasil,
            Evaluation.perilaku_rating: perilaku,
        }
    ).where(Evaluation.id == evaluation_id)
    await EvaluationBehaviour.update({EvaluationBehaviour.note: "Sesuai harapan"}).where(
        EvaluationBehaviour.evaluation == evaluation_id
    )
    return evaluation_id


async def finalise(api: Api, world: pf.World, who: str, evaluation_id: int) -> str:
    data = await api.data(
        "FinaliseEvaluation",
        {"input": {"evaluationId": gid("Evaluation", evaluation_id)}},
        token=world.token(who),
    )
    assert data["finaliseEvaluation"]["userErrors"] == [], who
    predikat: str = data["finaliseEvaluation"]["evaluation"]["predikat"]
    return predikat


async def split_year(api: Api, factory: Factory) -> tuple[pf.World, int, int]:
    """Staff moved on 1 May; peer (unsplit) is FINAL Sangat Baik for the year. Returns the
    DRAFT annual evaluations of staff's two parts: boss's (Jan-Apr, Di Atas / Sesuai: Baik)
    and head's (May-Dec, Di Bawah / Sesuai: Butuh Perbaikan)."""
    world, old_skp, move_id = await moved_world(api, factory)
    applied = await apply(api, world, "admin_opd", move_id)
    new_skp = int(decode_id_of(applied["openedSkp"]["id"], "Skp", "skpId"))
    await Skp.update({Skp.status: "APPROVED", Skp.approved_at: datetime.now(UTC)}).where(
        Skp.id == new_skp
    )
    annual = world.year.annual
    peer, boss = world.people["peer"], world.people["boss"]
    peer_skp = await pf.approved_skp(peer, boss, annual)
    await pf.evaluation(peer, boss, peer_skp.skp_id, annual, Predikat.SANGAT_BAIK)
    old = await draft_part(
        world, "boss", old_skp, annual.id, hasil="DI_ATAS_EKSPEKTASI", perilaku="SESUAI_EKSPEKTASI"
    )
    new = await draft_part(
        world, "head", new_skp, annual.id, hasil="DI_BAWAH_EKSPEKTASI", perilaku="SESUAI_EKSPEKTASI"
    )
    return world, old, new


def annual_ids(world: pf.World) -> dict[str, str]:
    return {"opdId": gid("Opd", world.opd_id), "periodId": gid("Period", world.year.annual.id)}


async def counted_everywhere(api: Api, world: pf.World) -> dict[str, Any]:
    """What the curve, the rekap and the incentive export count for Dinkes' year."""
    curve = (await api.data("DistributionCurve", annual_ids(world), token=world.token("bkpsdm")))[
        "distributionCurve"
    ]
    recap = await api.data(
        "PredikatRecap", {"periodId": annual_ids(world)["periodId"]}, token=world.token("bkpsdm")
    )
    (dinkes,) = [r for r in recap["predikatRecap"] if r["opdName"] == "Dinas Kesehatan"]
    rows = (await api.data("IncentiveRows", annual_ids(world), token=world.token("admin_opd")))[
        "incentiveRows"
    ]
    return {
        "curve": {c["predikat"]: c["count"] for c in curve["counts"] if c["count"]},
        "recap": {c["predikat"]: c["count"] for c in dinkes["counts"] if c["count"]},
        "incentives": sorted((r["name"], r["predikat"]) for r in rows),
    }


async def test_a_split_year_counts_once_with_its_combined_predikat(
    api: Api, factory: Factory
) -> None:
    # given staff's year split by the mutasi, and peer's unsplit Sangat Baik
    world, old, new = await split_year(api, factory)

    # when boss finalises the first part (Baik): the closed part is not counted on its own
    assert await finalise(api, world, "boss", old) == "BAIK"
    assert await counted_everywhere(api, world) == {
        "curve": {"SANGAT_BAIK": 1},
        "recap": {"SANGAT_BAIK": 1},
        "incentives": [("Perawat Dua", "SANGAT_BAIK")],
    }

    # when head finalises the second part (Butuh Perbaikan), the last one
    assert await finalise(api, world, "head", new) == "BUTUH_PERBAIKAN"

    # then the year is combined pro rata: hasil (4*3 + 8*1) / 12 = 1.67 -> Sesuai; Baik
    variables = {
        "employeeId": gid("Employee", world.people["staff"].id),
        "periodId": gid("Period", world.year.annual.id),
    }
    result = (await api.data("AnnualResult", variables, token=world.token("staff")))["annualResult"]
    assert result["predikat"] == "BAIK"
    assert [p["evaluation"]["predikat"] for p in result["parts"]] == ["BAIK", "BUTUH_PERBAIKAN"]
    # and staff counts exactly once, with the combined predikat; peer as before
    assert await counted_everywhere(api, world) == {
        "curve": {"BAIK": 1, "SANGAT_BAIK": 1},
        "recap": {"BAIK": 1, "SANGAT_BAIK": 1},
        "incentives": [("Perawat Dua", "SANGAT_BAIK"), ("Perawat Satu", "BAIK")],
    }
    # and the combination is audited once, on head's evaluation (the part active at year end)
    (entry,) = await AuditEntry.select(AuditEntry.entity_id).where(
        AuditEntry.action == "ANNUAL_RESULT_COMBINED"
    )
    assert int(entry["entity_id"]) == new


async def test_keberatan_on_a_split_year_targets_the_combined_result(
    api: Api, factory: Factory
) -> None:
    # given staff's split year, combined Baik
    world, old, new = await split_year(api, factory)
    await finalise(api, world, "boss", old)
    await finalise(api, world, "head", new)

    # when staff objects through the first part's evaluation
    filed = (
        await api.data(
            "FileObjection",
            {"input": {"evaluationId": gid("Evaluation", old), "reason": "x" * 30}},
            token=world.token("staff"),
        )
    )["fileObjection"]

    # then the objection is about the combined Baik, decided by the new rater's superior
    assert filed["userErrors"] == []
    objection = filed["objection"]
    assert objection["evaluationId"] == gid("Evaluation", new)
    assert objection["originalPredikat"] == "BAIK"
    assert objection["rater"]["id"] == gid("Employee", world.people["head"].id)
    assert objection["decider"]["id"] == gid("Employee", world.people["sekda"].id)
    # and objecting again through the other part is the same objection
    again = (
        await api.data(
            "FileObjection",
            {"input": {"evaluationId": gid("Evaluation", new), "reason": "y" * 30}},
            token=world.token("staff"),
        )
    )["fileObjection"]
    assert [e["code"] for e in again["userErrors"]] == ["ALREADY_FILED"]

    # when sekda changes the year to Di Atas / Di Atas (Sangat Baik)
    decided = (
        await api.data(
            "DecideObjection",
            {
                "input": {
                    "objectionId": objection["id"],
                    "reason": "Bukti dukung kedua bagian tahun diperiksa ulang.",
                    "decision": "CHANGE",
                    "hasil": "DI_ATAS_EKSPEKTASI",
                    "perilaku": "DI_ATAS_EKSPEKTASI",
                }
            },
            token=world.token("sekda"),
        )
    )["decideObjection"]
    assert decided["userErrors"] == []

    # then the year's result changes, not head's part, and every reader follows it
    variables = {
        "employeeId": gid("Employee", world.people["staff"].id),
        "periodId": gid("Period", world.year.annual.id),
    }
    result = (await api.data("AnnualResult", variables, token=world.token("staff")))["annualResult"]
    assert result["predikat"] == "SANGAT_BAIK"
    assert [p["evaluation"]["predikat"] for p in result["parts"]] == ["BAIK", "BUTUH_PERBAIKAN"]
    counted = await counted_everywhere(api, world)
    assert counted["curve"] == {"SANGAT_BAIK": 2}
    assert counted["incentives"] == [
        ("Perawat Dua", "SANGAT_BAIK"),
        ("Perawat Satu", "SANGAT_BAIK"),
    ]


async def test_the_quarter_of_the_move_counts_the_part_active_at_its_end(
    api: Api, factory: Factory
) -> None:
    # given staff's mutasi on 1 May, and each part's evaluations of the quarters it served
    world, old_skp, move_id = await moved_world(api, factory)
    applied = await apply(api, world, "admin_opd", move_id)
    new_skp = int(decode_id_of(applied["openedSkp"]["id"], "Skp", "skpId"))
    staff, boss, head = (world.people[k] for k in ("staff", "boss", "head"))
    q1, q2 = world.year.children[0], world.year.children[1]
    await pf.evaluation(staff, boss, old_skp, q1, Predikat.SANGAT_BAIK)
    await pf.evaluation(staff, boss, old_skp, q2, Predikat.SANGAT_BAIK)  # April, under boss
    await pf.evaluation(staff, head, new_skp, q2, Predikat.BUTUH_PERBAIKAN)  # May-June

    async def curve(period_id: int) -> dict[str, int]:
        ids = {"opdId": gid("Opd", world.opd_id), "periodId": gid("Period", period_id)}
        data = await api.data("DistributionCurve", ids, token=world.token("admin_opd"))
        return {
            c["predikat"]: c["count"] for c in data["distributionCurve"]["counts"] if c["count"]
        }

    # then Q1 counts the old part, and Q2 (the move's quarter) only the part active on 30 June
    assert await curve(q1.id) == {"SANGAT_BAIK": 1}
    assert await curve(q2.id) == {"BUTUH_PERBAIKAN": 1}


async def test_completion_counts_a_split_year_evaluated_once_every_part_is_final(
    api: Api, factory: Factory
) -> None:
    # given staff's split year: head finalises the part active at the year's end first
    world, old, new = await split_year(api, factory)
    staff = world.people["staff"]
    variables = {"periodId": gid("Period", world.year.annual.id), "first": 10}

    async def staff_evaluated() -> bool:
        data = await api.data("CompletionMonitoring", variables, token=world.token("admin_opd"))
        (row,) = [
            e["node"] for e in data["completionGaps"]["edges"] if e["node"]["nip"] == staff.nip
        ] or [{"evaluated": True}]  # no gap row at all: nothing is missing
        return bool(row["evaluated"])

    assert await finalise(api, world, "head", new) == "BUTUH_PERBAIKAN"
    # then the year is not done: boss's part (January-April) is still a draft
    assert await staff_evaluated() is False

    # when boss finalises it, the year is combined and counts as evaluated
    await finalise(api, world, "boss", old)
    assert await staff_evaluated() is True
