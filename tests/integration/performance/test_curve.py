"""The distribution curve: org predikat, the report, blocking, and the BKPSDM override."""

from __future__ import annotations

from typing import Any

from portal.core.ids import encode_global_id
from portal.performance.enums import EvaluationStatus, Predikat
from support import performance_factory as pf
from support.api import Api
from support.factories import Factory, Person


def gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def rated_staff(
    factory: Factory, world: pf.World, predikats: list[Predikat | None]
) -> list[Person]:
    """One Dinkes employee per entry with a FINAL Q1 evaluation (None: a DRAFT one)."""
    boss = world.people["boss"]
    people = []
    for predikat in predikats:
        person = await factory.employee(world.people["staff"].unor_id, supervisor=boss)
        skp = await pf.approved_skp(person, boss, world.year.annual)
        await pf.evaluation(
            person,
            boss,
            skp.skp_id,
            world.year.q1,
            predikat,
            status=EvaluationStatus.FINAL if predikat else EvaluationStatus.DRAFT,
        )
        people.append(person)
    return people


def ids(world: pf.World) -> dict[str, str]:
    return {"opdId": gid("Opd", world.opd_id), "periodId": gid("Period", world.year.q1.id)}


async def set_org(api: Api, world: pf.World, value: str, who: str = "bkpsdm") -> dict:
    data = await api.data(
        "SetOrgPredikat", {"input": {**ids(world), "orgPredikat": value}}, token=world.token(who)
    )
    payload: dict = data["setOrgPredikat"]
    return payload


async def finalise(api: Api, world: pf.World, who: str, reason: str | None = None) -> dict:
    variables: dict[str, Any] = {"input": ids(world)}
    if reason is not None:
        variables["input"]["overrideReason"] = reason
    data = await api.data("FinaliseOpdPeriod", variables, token=world.token(who))
    payload: dict = data["finaliseOpdPeriod"]
    return payload


async def report(api: Api, world: pf.World, who: str = "admin_opd") -> dict:
    data = await api.data("DistributionCurve", ids(world), token=world.token(who))
    curve: dict = data["distributionCurve"]
    return curve


TOO_MANY_BAIK = [Predikat.BAIK] * 8 + [Predikat.SANGAT_BAIK] * 2


async def test_report_counts_final_evaluations_against_the_org_predikat(
    api: Api, factory: Factory
) -> None:
    # given 8 BAIK and 2 SANGAT_BAIK, plus a DRAFT and an evaluation of another period
    world = await pf.build_world(api, factory)
    await rated_staff(factory, world, [*TOO_MANY_BAIK, None])
    other = await pf.approved_skp(world.people["peer"], world.people["boss"], world.year.annual)
    await pf.evaluation(
        world.people["peer"], world.people["boss"], other.skp_id, world.year.children[1],
        Predikat.SANGAT_KURANG,
    )  # fmt: skip

    # when nothing is set, then the curve is shown but not checked
    unset = await report(api, world)
    assert unset["missingOrgPredikat"] is True
    assert unset["orgPredikat"] is None
    assert unset["violations"] == []
    assert unset["total"] == 10
    assert unset["draftCount"] == 1

    # when BKPSDM sets BAIK
    assert codes(await set_org(api, world, "BAIK")) == []
    curve = await report(api, world)
    # then the counts, shares and violations follow SE MenPANRB 3/2023
    counts = {c["predikat"]: (c["count"], c["share"]) for c in curve["counts"]}
    assert counts["BAIK"] == (8, 0.8)
    assert counts["SANGAT_BAIK"] == (2, 0.2)
    assert counts["SANGAT_KURANG"] == (0, 0.0)
    assert [c["label"] for c in curve["counts"]][:3] == ["Sangat Baik", "Baik", "Butuh Perbaikan"]
    assert [v["code"] for v in curve["violations"]] == ["BAIK_TOO_HIGH", "NEEDS_LOWER_RATINGS"]
    assert "80 %" in curve["violations"][0]["message"]
    assert curve["missingOrgPredikat"] is False
    assert curve["opd"]["name"] == "Dinas Kesehatan"
    # and BKPSDM sees the same report
    assert (await report(api, world, "bkpsdm"))["violations"] == curve["violations"]


async def test_curve_is_admin_only_and_scoped_to_the_opd(api: Api, factory: Factory) -> None:
    world = await pf.build_world(api, factory)
    for who, code in (("admin_other", "FORBIDDEN"), ("boss", "FORBIDDEN")):
        body = await api.op("DistributionCurve", ids(world), token=world.token(who))
        assert body["errors"][0]["extensions"]["code"] == code, who
    body = await api.op(
        "SetOrgPredikat",
        {"input": {**ids(world), "orgPredikat": "BAIK"}},
        token=world.token("admin_opd"),
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await api.op(
        "DistributionCurve",
        {"opdId": gid("Period", 1), "periodId": ids(world)["periodId"]},
        token=world.token("bkpsdm"),
    )
    assert body["errors"][0]["extensions"]["code"] == "INVALID_ID"


async def test_finalising_is_blocked_by_violations_until_bkpsdm_overrides(
    api: Api, factory: Factory
) -> None:
    world = await pf.build_world(api, factory)
    await rated_staff(factory, world, TOO_MANY_BAIK)
    # without an org predikat nothing can be finalised
    assert codes(await finalise(api, world, "admin_opd")) == ["ORG_PREDIKAT_REQUIRED"]
    await set_org(api, world, "BAIK")

    # the OPD admin is refused, with the violations listed, with or without a reason
    refused = await finalise(api, world, "admin_opd")
    assert codes(refused) == ["CURVE_VIOLATIONS", "CURVE_VIOLATIONS"]
    assert refused["curve"] is None
    no_override = await finalise(api, world, "admin_opd", "Kebijakan kepala dinas tahun ini")
    assert codes(no_override) == ["CURVE_VIOLATIONS", "CURVE_VIOLATIONS", "OVERRIDE_NOT_ALLOWED"]
    # an admin of another OPD is not even allowed to try
    other = await finalise(api, world, "admin_other", "Kebijakan kepala dinas tahun ini")
    assert codes(other) == ["FORBIDDEN"]
    # BKPSDM needs a real reason
    short = await finalise(api, world, "bkpsdm", "ok")
    assert codes(short) == ["CURVE_VIOLATIONS", "CURVE_VIOLATIONS", "OVERRIDE_REASON_REQUIRED"]

    # when BKPSDM overrides with a reason
    done = await finalise(api, world, "bkpsdm", "Capaian organisasi direvisi oleh inspektorat")
    # then the period is final and the override is recorded
    assert done["userErrors"] == []
    curve = done["curve"]
    assert curve["finalisedAt"]
    assert curve["overrideReason"] == "Capaian organisasi direvisi oleh inspektorat"
    assert [v["code"] for v in curve["violations"]] == ["BAIK_TOO_HIGH", "NEEDS_LOWER_RATINGS"]
    log = (
        await api.data(
            "AuditLog",
            {"first": 5, "filter": {"action": "CURVE_OVERRIDDEN"}},
            token=world.token("bkpsdm"),
        )
    )["auditLog"]
    assert log["totalCount"] == 1
    entry = log["edges"][0]["node"]
    assert entry["accountId"] == world.accounts["bkpsdm"]
    assert entry["after"]["override_reason"] == "Capaian organisasi direvisi oleh inspektorat"
    assert entry["after"]["violations"] == ["BAIK_TOO_HIGH", "NEEDS_LOWER_RATINGS"]

    # and nothing about the period can change any more
    assert codes(await finalise(api, world, "bkpsdm", "Sekali lagi, tanpa alasan")) == [
        "ALREADY_FINALISED"
    ]
    assert codes(await set_org(api, world, "ISTIMEWA")) == ["OPD_FINALISED"]


async def test_drafts_block_finalising_even_with_an_override(api: Api, factory: Factory) -> None:
    world = await pf.build_world(api, factory)
    await rated_staff(factory, world, [*TOO_MANY_BAIK, None])
    await set_org(api, world, "BAIK")
    refused = await finalise(api, world, "bkpsdm", "Capaian organisasi direvisi oleh inspektorat")
    assert codes(refused) == ["DRAFTS_REMAIN"]
    assert "1 penilaian" in refused["userErrors"][0]["message"]


async def test_a_curve_that_holds_is_finalised_by_the_opd_admin(api: Api, factory: Factory) -> None:
    world = await pf.build_world(api, factory)
    await rated_staff(
        factory,
        world,
        [Predikat.BAIK] * 5 + [Predikat.SANGAT_BAIK] * 2 + [Predikat.BUTUH_PERBAIKAN],
    )
    await set_org(api, world, "BAIK")
    done = await finalise(api, world, "admin_opd", "alasan yang tidak diperlukan")
    assert done["userErrors"] == []
    assert done["curve"]["violations"] == []
    assert done["curve"]["overrideReason"] is None
    assert done["curve"]["finalisedAt"]
