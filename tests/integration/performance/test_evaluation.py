"""Evaluations through GraphQL: the rater's workflow, the suggestion, predikat and scoping."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any

import pytest

from portal.core.db import count_queries
from portal.core.ids import encode_global_id
from portal.performance import rules
from portal.performance.enums import ActivityStatus, Aspect, RhkKind, SkpStatus
from portal.performance.tables import (
    Evaluation,
    EvaluationBehaviour,
    EvaluationIndicator,
    OpdCurve,
)
from support import performance_factory as pf
from support.api import Api
from support.factories import Factory

VALUES = [
    "BERORIENTASI_PELAYANAN",
    "AKUNTABEL",
    "KOMPETEN",
    "HARMONIS",
    "LOYAL",
    "ADAPTIF",
    "KOLABORATIF",
]


def gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def staff_skp(world: pf.World) -> pf.SkpIds:
    """The staff's approved SKP (rated by boss): two UTAMA quantities and a TAMBAHAN time."""
    return await pf.approved_skp(
        world.people["staff"],
        world.people["boss"],
        world.year.annual,
        [
            (RhkKind.UTAMA, 100, Aspect.KUANTITAS),
            (RhkKind.UTAMA, 10, Aspect.KUANTITAS),
            (RhkKind.TAMBAHAN, 5, Aspect.WAKTU),
        ],
    )


async def start(api: Api, world: pf.World, who: str, skp_id: int, period_id: int) -> dict:
    data = await api.data(
        "StartEvaluation",
        {"input": {"skpId": gid("Skp", skp_id), "periodId": gid("Period", period_id)}},
        token=world.token(who),
    )
    payload: dict = data["startEvaluation"]
    return payload


async def update(api: Api, world: pf.World, who: str, evaluation: str, **fields: Any) -> dict:
    data = await api.data(
        "UpdateEvaluation",
        {"input": {"evaluationId": evaluation, **fields}},
        token=world.token(who),
    )
    payload: dict = data["updateEvaluation"]
    return payload


async def simple(api: Api, world: pf.World, name: str, who: str, evaluation: str, **extra: Any):
    data = await api.data(
        name, {"input": {"evaluationId": evaluation, **extra}}, token=world.token(who)
    )
    return data[name[0].lower() + name[1:]]


def all_notes(text: str = "Catatan perilaku yang jelas") -> list[dict[str, Any]]:
    return [{"value": v, "note": f"{text} ({v.lower()})"} for v in VALUES]


async def test_whole_evaluation_cycle(api: Api, factory: Factory) -> None:  # noqa: PLR0915 - one story
    # given an approved SKP and verified work in Q1 (plus work that must not count)
    world = await pf.build_world(api, factory)
    skp = await staff_skp(world)
    staff, boss = world.people["staff"], world.people["boss"]
    annual, q1 = world.year.annual, world.year.q1
    first, second, waktu = skp.indicator_ids
    await pf.verified_activity(staff, annual, date(2026, 2, 3), 40, indicator_id=first)
    await pf.verified_activity(staff, annual, date(2026, 3, 10), 20, indicator_id=first)
    await pf.verified_activity(staff, annual, date(2026, 2, 4), 4, indicator_id=second)
    await pf.verified_activity(
        staff, annual, date(2026, 2, 5), 30, indicator_id=first, status=ActivityStatus.SUBMITTED
    )
    await pf.verified_activity(staff, annual, date(2026, 5, 5), 50, indicator_id=first)
    await pf.verified_activity(staff, annual, date(2026, 2, 6), 3, indicator_id=waktu)

    # when the rater starts the Q1 evaluation
    started = await start(api, world, "boss", skp.skp_id, q1.id)
    assert started["userErrors"] == []
    evaluation = started["evaluation"]
    # then realisations are prefilled from verified Q1 work (none for the WAKTU indicator)
    assert evaluation["status"] == "DRAFT"
    assert [i["realisation"] for i in evaluation["indicators"]] == [60.0, 4.0, None]
    # and achievement is the one ratio the suggestion judges: against the annual target (100
    # and 10) pro-rated to the end of Q1
    pace = rules.expected_pace(annual.starts_on, annual.ends_on, q1.ends_on)
    assert [i["achievement"] for i in evaluation["indicators"]] == [
        pytest.approx(60 / (100 * pace)),
        pytest.approx(4 / (10 * pace)),
        None,
    ]
    # and the suggestion compares Q1's cumulative quantities with the share of the annual
    # target due by the end of Q1 (about a quarter): 60 of ~25 and 4 of ~2.5 are above it
    assert evaluation["suggestedHasil"] == "DI_ATAS_EKSPEKTASI"
    assert "belum diisi" in evaluation["suggestionExplanation"]
    assert [b["value"] for b in evaluation["behaviours"]] == VALUES
    assert evaluation["behaviours"][0]["label"] == "Berorientasi Pelayanan"
    assert evaluation["rater"]["id"] == gid("Employee", boss.id)
    assert evaluation["period"]["id"] == gid("Period", q1.id)

    # when started again, then the same evaluation comes back
    again = await start(api, world, "boss", skp.skp_id, q1.id)
    assert again["evaluation"]["id"] == evaluation["id"]

    # when the rater enters realisations, notes and ratings
    updated = await update(
        api,
        world,
        "boss",
        evaluation["id"],
        indicators=[
            {"indicatorId": gid("Indicator", first), "realisation": 115, "evidence": "SIMPUS"},
            {"indicatorId": gid("Indicator", second), "realisation": 10, "feedback": "Baik"},
            {"indicatorId": gid("Indicator", waktu), "realisation": 4},
        ],
        behaviours=all_notes(),
        hasilRating="DI_ATAS_EKSPEKTASI",
        perilakuRating="SESUAI_EKSPEKTASI",
        feedback="Pertahankan kecepatan layanan.",
    )
    # then the suggestion follows the new realisations and the predikat the matrix
    assert updated["userErrors"] == []
    ev = updated["evaluation"]
    assert ev["suggestedHasil"] == "DI_ATAS_EKSPEKTASI"
    assert "Saran: Di Atas Ekspektasi" in ev["suggestionExplanation"]
    assert ev["predikat"] == "BAIK"
    assert ev["predikatLabel"] == "Baik"
    assert ev["hasilOverrideReason"] is None
    assert [i["achievement"] for i in ev["indicators"]] == [
        pytest.approx(115 / (100 * pace)),
        pytest.approx(10 / (10 * pace)),
        pytest.approx(1.25),  # WAKTU is a level, not pro-rated: target 5 / realisation 4
    ]
    assert ev["indicators"][0]["evidence"] == "SIMPUS"
    assert ev["feedback"] == "Pertahankan kecepatan layanan."

    # when the rater overrides the suggestion without a reason, then it is refused
    refused = await update(api, world, "boss", ev["id"], hasilRating="SESUAI_EKSPEKTASI")
    assert codes(refused) == ["OVERRIDE_REASON_REQUIRED"]
    assert refused["userErrors"][0]["path"] == ["hasilOverrideReason"]
    short = await update(
        api, world, "boss", ev["id"], hasilRating="SESUAI_EKSPEKTASI", hasilOverrideReason="pendek"
    )
    assert codes(short) == ["OVERRIDE_REASON_REQUIRED"]
    # and with a reason it is kept
    overridden = await update(
        api,
        world,
        "boss",
        ev["id"],
        hasilRating="SESUAI_EKSPEKTASI",
        hasilOverrideReason="Target triwulan ini ditetapkan terlalu rendah",
        perilakuRating="DI_ATAS_EKSPEKTASI",
    )
    assert overridden["userErrors"] == []
    assert overridden["evaluation"]["hasilRating"] == "SESUAI_EKSPEKTASI"
    assert overridden["evaluation"]["hasilOverrideReason"].startswith("Target triwulan")
    assert overridden["evaluation"]["predikat"] == "BAIK"

    # when the employee tries to acknowledge a DRAFT, then it is refused
    early = await simple(api, world, "AcknowledgeEvaluation", "staff", ev["id"])
    assert codes(early) == ["INVALID_STATE"]

    # when the rater finalises
    final = await simple(api, world, "FinaliseEvaluation", "boss", ev["id"])
    assert final["userErrors"] == []
    assert final["evaluation"]["status"] == "FINAL"
    assert final["evaluation"]["predikat"] == "BAIK"
    assert final["evaluation"]["finalisedAt"]
    # then it can no longer change or be finalised twice
    late = await update(api, world, "boss", ev["id"], feedback="Terlambat")
    assert codes(late) == ["INVALID_STATE"]
    twice = await simple(api, world, "FinaliseEvaluation", "boss", ev["id"])
    assert codes(twice) == ["INVALID_STATE"]

    # when the employee acknowledges with a response
    ack = await simple(
        api, world, "AcknowledgeEvaluation", "staff", ev["id"], response="Terima kasih."
    )
    assert ack["userErrors"] == []
    assert ack["evaluation"]["acknowledgedAt"]
    assert ack["evaluation"]["employeeResponse"] == "Terima kasih."
    # then a second acknowledgement is refused
    again_ack = await simple(api, world, "AcknowledgeEvaluation", "staff", ev["id"])
    assert codes(again_ack) == ["ALREADY_ACKNOWLEDGED"]

    # and the employee sees the evaluation in their list
    mine = (await api.data("MyEvaluations", {"first": 10}, token=world.token("staff")))[
        "evaluations"
    ]
    assert [e["node"]["id"] for e in mine["edges"]] == [ev["id"]]
    assert mine["edges"][0]["node"]["acknowledgedAt"]


async def test_only_the_rater_starts_updates_and_finalises(api: Api, factory: Factory) -> None:
    world = await pf.build_world(api, factory)
    skp = await staff_skp(world)
    q1 = world.year.q1
    # the supervisor's own supervisor, the employee and the admin may read but not rate
    for who in ("head", "staff", "admin_opd", "bkpsdm"):
        assert codes(await start(api, world, who, skp.skp_id, q1.id)) == ["FORBIDDEN"], who
    # a peer and an outsider cannot even see the SKP
    for who in ("peer", "outsider", "admin_other"):
        assert codes(await start(api, world, who, skp.skp_id, q1.id)) == ["NOT_FOUND"], who

    ev = (await start(api, world, "boss", skp.skp_id, q1.id))["evaluation"]["id"]
    for who, code in (("head", "FORBIDDEN"), ("staff", "FORBIDDEN"), ("peer", "NOT_FOUND")):
        refused = await update(api, world, who, ev, feedback="bukan penilai")
        assert codes(refused) == [code], who
        refused = await simple(api, world, "FinaliseEvaluation", who, ev)
        assert codes(refused) == [code], who

    await update(
        api,
        world,
        "boss",
        ev,
        behaviours=all_notes(),
        hasilRating="DI_BAWAH_EKSPEKTASI",
        perilakuRating="SESUAI_EKSPEKTASI",
    )
    assert (await simple(api, world, "FinaliseEvaluation", "boss", ev))["userErrors"] == []
    # only the employee acknowledges
    for who, code in (("boss", "FORBIDDEN"), ("head", "FORBIDDEN"), ("peer", "NOT_FOUND")):
        refused = await simple(api, world, "AcknowledgeEvaluation", who, ev)
        assert codes(refused) == [code], who


async def test_evaluation_visibility_through_node_and_lists(api: Api, factory: Factory) -> None:
    world = await pf.build_world(api, factory)
    skp = await staff_skp(world)
    ev = (await start(api, world, "boss", skp.skp_id, world.year.q1.id))["evaluation"]["id"]
    readers = {"staff", "boss", "head", "sekda", "admin_opd", "bkpsdm"}
    for who in sorted(world.tokens):
        token = world.token(who)
        node = (await api.data("EvaluationById", {"id": ev}, token=token))["node"]
        assert (node is not None) == (who in readers), who
        listed = (await api.data("MyEvaluations", {"first": 10}, token=token))["evaluations"]
        assert (ev in [e["node"]["id"] for e in listed["edges"]]) == (who in readers), who
    # asking for the employee's evaluations explicitly is NOT_FOUND outside the scope
    staff_id = gid("Employee", world.people["staff"].id)
    for who in ("peer", "outsider", "admin_other"):
        body = await api.op(
            "MyEvaluations",
            {"first": 10, "filter": {"employeeId": staff_id}},
            token=world.token(who),
        )
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND", who
    # the rater's to-rate list has it; the peer's has nothing
    to_rate = (
        await api.data(
            "MyEvaluations", {"first": 10, "filter": {"toRate": True}}, token=world.token("boss")
        )
    )["evaluations"]
    assert [e["node"]["id"] for e in to_rate["edges"]] == [ev]
    nothing = (
        await api.data(
            "MyEvaluations", {"first": 10, "filter": {"toRate": True}}, token=world.token("peer")
        )
    )["evaluations"]
    assert nothing["totalCount"] == 0


async def test_finalise_lists_every_missing_field(api: Api, factory: Factory) -> None:
    world = await pf.build_world(api, factory)
    skp = await staff_skp(world)
    ev = (await start(api, world, "boss", skp.skp_id, world.year.q1.id))["evaluation"]["id"]
    await update(api, world, "boss", ev, behaviours=[{"value": "AKUNTABEL", "note": "Tepat"}])
    refused = await simple(api, world, "FinaliseEvaluation", "boss", ev)
    assert set(codes(refused)) == {"INCOMPLETE"}
    fields = [".".join(e["path"]) for e in refused["userErrors"]]
    assert fields[:2] == ["hasilRating", "perilakuRating"]
    assert sorted(fields[2:]) == sorted(f"behaviours.{v}" for v in VALUES if v != "AKUNTABEL")


async def test_update_validates_input(api: Api, factory: Factory) -> None:
    world = await pf.build_world(api, factory)
    skp = await staff_skp(world)
    other = await pf.approved_skp(world.people["peer"], world.people["boss"], world.year.annual)
    ev = (await start(api, world, "boss", skp.skp_id, world.year.q1.id))["evaluation"]["id"]
    refused = await update(
        api,
        world,
        "boss",
        ev,
        indicators=[
            {"indicatorId": gid("Indicator", skp.indicator_ids[0]), "realisation": -1},
            {"indicatorId": gid("Indicator", other.indicator_ids[0]), "realisation": 1},
        ],
        feedback="x" * 6000,
    )
    assert sorted(codes(refused)) == ["INVALID_LENGTH", "INVALID_REALISATION", "NOT_FOUND"]
    bad_id = await update(api, world, "boss", ev, indicators=[{"indicatorId": "nonsense"}])
    assert codes(bad_id) == ["INVALID_ID"]


@pytest.mark.parametrize("case", ["draft_skp", "other_year", "closed"])
async def test_start_requires_an_approved_skp_and_an_open_period_of_its_year(
    api: Api, factory: Factory, case: str
) -> None:
    world = await pf.build_world(api, factory)
    if case == "draft_skp":
        skp = await pf.approved_skp(
            world.people["staff"], world.people["boss"], world.year.annual, status=SkpStatus.DRAFT
        )
        period, expected = world.year.q1, "SKP_NOT_APPROVED"
    elif case == "other_year":
        skp = await staff_skp(world)
        period, expected = (await pf.year(2025)).q1, "PERIOD_MISMATCH"
    else:
        skp = await staff_skp(world)
        await pf.close_period(world.year.q1)
        period, expected = world.year.q1, "PERIOD_CLOSED"
    assert codes(await start(api, world, "boss", skp.skp_id, period.id)) == [expected]


async def test_head_of_unit_hasil_follows_the_organisational_predikat(
    api: Api, factory: Factory
) -> None:
    # given the Kepala Dinas (JPT) with no realisation at all
    world = await pf.build_world(api, factory)
    head = world.people["head"]
    skp = await pf.approved_skp(head, world.people["sekda"], world.year.annual)
    q1, q2 = world.year.children[0], world.year.children[1]
    # when the OPD has no organisational predikat yet, then the indicators decide
    plain = (await start(api, world, "sekda", skp.skp_id, q2.id))["evaluation"]
    assert plain["suggestedHasil"] == "DI_BAWAH_EKSPEKTASI"
    # when BKPSDM sets ISTIMEWA for Q1, then the head's Q1 suggestion is DI_ATAS
    await set_org_predikat(api, world, q1.id, "ISTIMEWA")
    ev = (await start(api, world, "sekda", skp.skp_id, q1.id))["evaluation"]
    assert ev["suggestedHasil"] == "DI_ATAS_EKSPEKTASI"
    assert "predikat organisasi Istimewa" in ev["suggestionExplanation"]
    # and when it changes to KURANG, the next update follows it
    await set_org_predikat(api, world, q1.id, "KURANG")
    updated = await update(api, world, "sekda", ev["id"], feedback="Perlu perbaikan")
    assert updated["evaluation"]["suggestedHasil"] == "DI_BAWAH_EKSPEKTASI"


async def set_org_predikat(api: Api, world: pf.World, period_id: int, value: str) -> None:
    data = await api.data(
        "SetOrgPredikat",
        {
            "input": {
                "opdId": gid("Opd", world.opd_id),
                "periodId": gid("Period", period_id),
                "orgPredikat": value,
            }
        },
        token=world.token("bkpsdm"),
    )
    assert data["setOrgPredikat"]["userErrors"] == []


async def test_finalise_is_blocked_once_the_opd_period_is_final(api: Api, factory: Factory) -> None:
    world = await pf.build_world(api, factory)
    skp = await staff_skp(world)
    q1 = world.year.q1
    ev = (await start(api, world, "boss", skp.skp_id, q1.id))["evaluation"]["id"]
    await update(
        api,
        world,
        "boss",
        ev,
        behaviours=all_notes(),
        hasilRating="DI_BAWAH_EKSPEKTASI",
        perilakuRating="DI_ATAS_EKSPEKTASI",
    )
    # the OPD's period was finalised meanwhile (e.g. by another admin racing the rater)
    await OpdCurve.insert(
        OpdCurve(
            opd=world.opd_id, period=q1.id, org_predikat="BAIK", finalised_at=datetime.now(UTC)
        )
    )
    assert codes(await simple(api, world, "FinaliseEvaluation", "boss", ev)) == ["OPD_FINALISED"]
    # and no new evaluation can start for that OPD and period
    peer_skp = await pf.approved_skp(world.people["peer"], world.people["boss"], world.year.annual)
    assert codes(await start(api, world, "boss", peer_skp.skp_id, q1.id)) == ["OPD_FINALISED"]


async def test_concurrent_starts_create_one_evaluation(api: Api, factory: Factory) -> None:
    world = await pf.build_world(api, factory)
    skp = await staff_skp(world)
    results = await asyncio.gather(
        *(start(api, world, "boss", skp.skp_id, world.year.q1.id) for _ in range(4))
    )
    assert all(r["userErrors"] == [] for r in results)
    assert len({r["evaluation"]["id"] for r in results}) == 1
    log = (
        await api.data(
            "AuditLog",
            {"first": 10, "filter": {"action": "EVALUATION_STARTED"}},
            token=world.token("bkpsdm"),
        )
    )["auditLog"]
    assert log["totalCount"] == 1
    assert log["edges"][0]["node"]["accountId"] == world.accounts["boss"]


LIST_WITH_LINES = """
query EvaluationsWithLines {
  evaluations(first: 100) {
    edges {
      node {
        id
        employee { id name }
        rater { id }
        period { id name }
        skp { id status }
        indicators { realisation achievement indicator { id targetValue } }
        behaviours { value note }
      }
    }
  }
}
"""


async def test_evaluation_list_query_count_does_not_grow(api: Api, factory: Factory) -> None:
    world = await pf.build_world(api, factory)
    boss = world.people["boss"]
    counts = []
    for size in (2, 8):
        await EvaluationIndicator.delete(force=True)
        await EvaluationBehaviour.delete(force=True)
        await Evaluation.delete(force=True)
        for _ in range(size):
            person = await factory.employee(boss.unor_id, supervisor=boss, account=False)
            skp = await pf.approved_skp(
                person,
                boss,
                world.year.annual,
                [(RhkKind.UTAMA, 10, Aspect.KUANTITAS), (RhkKind.TAMBAHAN, 5, Aspect.WAKTU)],
            )
            await pf.evaluation(
                person, boss, skp.skp_id, world.year.q1, None, indicator_ids=skp.indicator_ids
            )
        with count_queries() as counter:
            body = await api.raw(LIST_WITH_LINES, token=world.token("admin_opd"))
        edges = body["data"]["evaluations"]["edges"]
        assert len(edges) == size
        assert all(len(e["node"]["indicators"]) == 2 for e in edges)
        assert all(len(e["node"]["behaviours"]) == 7 for e in edges)
        counts.append(counter[0])
    assert counts[0] == counts[1]
