"""Incentive table, payroll lines, development candidates and the audit log through GraphQL."""

from __future__ import annotations

from typing import Any

from portal.core.ids import encode_global_id
from support import performance_factory as pf
from support.api import Api
from support.factories import Factory


def gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


def ids(world: pf.World) -> dict[str, str]:
    return {"periodId": gid("Period", world.year.q1.id), "opdId": gid("Opd", world.opd_id)}


async def test_default_table_and_replacing_it(api: Api, factory: Factory) -> None:
    world = await pf.build_world(api, factory)
    rules = (await api.data("IncentiveRules", token=world.token("staff")))["incentiveRules"]
    assert [(r["predikat"], r["minVerifiedShare"], r["tppFactor"]) for r in rules] == [
        ("SANGAT_BAIK", 0.0, 1.0),
        ("SANGAT_BAIK", 0.8, 1.0),
        ("BAIK", 0.0, 0.95),
        ("BAIK", 0.5, 1.0),
        ("BUTUH_PERBAIKAN", 0.0, 0.8),
        ("KURANG_MISCONDUCT", 0.0, 0.6),
        ("SANGAT_KURANG", 0.0, 0.4),
    ]
    table = [
        {"predikat": p, "tppFactor": f, "awardEligible": p == "SANGAT_BAIK"}
        for p, f in (
            ("SANGAT_BAIK", 1.2),
            ("BAIK", 1.0),
            ("BUTUH_PERBAIKAN", 0.9),
            ("KURANG_MISCONDUCT", 0.7),
            ("SANGAT_KURANG", 0.5),
        )
    ]
    # invalid tables are refused with every problem listed
    bad = [
        {"predikat": "SANGAT_BAIK", "tppFactor": 2.5},
        {"predikat": "BAIK", "tppFactor": 1.0, "minVerifiedShare": 1.5},
    ]
    refused = (
        await api.data("SetIncentiveRules", {"input": {"rules": bad}}, token=world.token("bkpsdm"))
    )["setIncentiveRules"]
    assert {e["code"] for e in refused["userErrors"]} == {
        "INVALID_TPP_FACTOR",
        "INVALID_SHARE",
        "MISSING_BASE_RULE",
    }
    # only BKPSDM may set the table
    body = await api.op(
        "SetIncentiveRules", {"input": {"rules": table}}, token=world.token("admin_opd")
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # a valid table replaces the old one atomically
    done = (
        await api.data(
            "SetIncentiveRules", {"input": {"rules": table}}, token=world.token("bkpsdm")
        )
    )["setIncentiveRules"]
    assert done["userErrors"] == []
    assert [r["tppFactor"] for r in done["rules"]] == [1.2, 1.0, 0.9, 0.7, 0.5]
    rules = (await api.data("IncentiveRules", token=world.token("staff")))["incentiveRules"]
    assert len(rules) == 5


async def test_incentive_rows_apply_the_table_to_the_verified_share(
    api: Api, factory: Factory
) -> None:
    payroll = await pf.build_payroll(api, factory)
    world = payroll.world
    rows = (await api.data("IncentiveRows", ids(world), token=world.token("admin_opd")))[
        "incentiveRows"
    ]
    by_name = {r["name"]: r for r in rows}
    assert sorted(by_name) == ["=Budi", "Ani", "Citra", "Dedi"]
    assert (by_name["Ani"]["verifiedShare"], by_name["Ani"]["tppFactor"]) == (0.9, 1.0)
    assert by_name["Ani"]["awardEligible"] is True
    assert (by_name["=Budi"]["verifiedShare"], by_name["=Budi"]["tppFactor"]) == (0.25, 0.95)
    assert by_name["Citra"]["verifiedShare"] is None
    assert by_name["Citra"]["tppFactor"] == 0.8
    assert by_name["Dedi"]["predikatLabel"] == "Sangat Kurang"
    assert by_name["Dedi"]["tppFactor"] == 0.4
    assert by_name["Ani"]["nip"] == payroll.people["ani"].nip
    assert by_name["Ani"]["jabatan"] == "Pengadministrasi Umum"
    # another OPD's admin and a supervisor may not read Dinkes' payroll
    for who in ("admin_other", "boss"):
        body = await api.op("IncentiveRows", ids(world), token=world.token(who))
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", who


async def test_development_candidates_within_the_viewer_scope(api: Api, factory: Factory) -> None:
    payroll = await pf.build_payroll(api, factory)
    world = payroll.world
    q1 = {"periodId": gid("Period", world.year.q1.id)}

    async def names(who: str, variables: dict[str, Any]) -> list[str]:
        data = await api.data("DevelopmentCandidates", variables, token=world.token(who))
        return [c["employee"]["name"] for c in data["developmentCandidates"]]

    # worst first: Sangat Kurang, then Butuh Perbaikan
    assert await names("admin_opd", q1) == ["Dedi", "Citra"]
    assert await names("boss", q1) == ["Dedi", "Citra"]
    assert sorted(await names("bkpsdm", q1)) == ["Citra", "Dedi", "Pegawai Bapenda"]
    assert await names("bkpsdm", {**q1, "opdId": gid("Opd", world.other_opd_id)}) == [
        "Pegawai Bapenda"
    ]
    assert await names("admin_other", q1) == ["Pegawai Bapenda"]
    assert await names("peer", q1) == []
    candidate = (await api.data("DevelopmentCandidates", q1, token=world.token("admin_opd")))[
        "developmentCandidates"
    ][1]
    assert candidate["predikat"] == "BUTUH_PERBAIKAN"
    assert "Coaching" in candidate["plan"]


async def test_audit_log_is_for_bkpsdm_only(api: Api, factory: Factory) -> None:
    world = await pf.build_world(api, factory)
    await api.data(
        "SetOrgPredikat",
        {
            "input": {
                "opdId": gid("Opd", world.opd_id),
                "periodId": gid("Period", world.year.q1.id),
                "orgPredikat": "BAIK",
            }
        },
        token=world.token("bkpsdm"),
    )
    await api.data(
        "SetOrgPredikat",
        {
            "input": {
                "opdId": gid("Opd", world.opd_id),
                "periodId": gid("Period", world.year.q1.id),
                "orgPredikat": "ISTIMEWA",
            }
        },
        token=world.token("bkpsdm"),
    )
    for who in ("admin_opd", "boss", "staff"):
        body = await api.op("AuditLog", {"first": 5}, token=world.token(who))
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", who
    log = (
        await api.data(
            "AuditLog",
            {"first": 1, "filter": {"entityType": "OpdCurve"}},
            token=world.token("bkpsdm"),
        )
    )["auditLog"]
    assert log["totalCount"] == 2
    newest = log["edges"][0]["node"]
    assert newest["action"] == "ORG_PREDIKAT_SET"
    assert newest["before"] == {"org_predikat": "BAIK"}
    assert newest["after"]["org_predikat"] == "ISTIMEWA"
    assert "requestId" in newest  # not yet propagated from the GraphQL context (None)
    older = (
        await api.data(
            "AuditLog",
            {
                "first": 1,
                "after": log["pageInfo"]["endCursor"],
                "filter": {"entityType": "OpdCurve"},
            },
            token=world.token("bkpsdm"),
        )
    )["auditLog"]
    assert older["edges"][0]["node"]["before"] is None
    assert not older["pageInfo"]["hasNextPage"]
