"""Period reports for BKPSDM through GraphQL and the CSV/XLSX/PDF downloads, scoped per role."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
from openpyxl import load_workbook

from portal.core.ids import encode_global_id
from portal.performance.enums import ActivityStatus, OrgPredikat, Predikat, SkpStatus
from portal.performance.tables import OpdCurve
from support import performance_factory as pf
from support.api import Api
from support.factories import Factory


def gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


async def period_world(api: Api, factory: Factory) -> pf.World:
    """Q1 of 2026: Dinkes rated staff Baik and peer Sangat Baik (org predikat BAIK, which wants
    some Butuh Perbaikan), Bapenda rated outsider Butuh Perbaikan. Only staff has an approved
    SKP and logged work this week."""
    world = await pf.build_world(api, factory)
    p, q1, annual = world.people, world.year.q1, world.year.annual
    staff_skp = await pf.approved_skp(p["staff"], p["boss"], annual)
    peer_skp = await pf.approved_skp(p["peer"], p["boss"], annual, status=SkpStatus.DRAFT)
    outsider_skp = await pf.approved_skp(p["outsider"], None, annual, status=SkpStatus.SUBMITTED)
    await pf.evaluation(p["staff"], p["boss"], staff_skp.skp_id, q1, Predikat.BAIK)
    await pf.evaluation(p["peer"], p["boss"], peer_skp.skp_id, q1, Predikat.SANGAT_BAIK)
    await pf.evaluation(p["outsider"], None, outsider_skp.skp_id, q1, Predikat.BUTUH_PERBAIKAN)
    await pf.verified_activity(p["staff"], annual, q1.starts_on, 1, status=ActivityStatus.SUBMITTED)
    await OpdCurve.insert(
        OpdCurve(opd=world.opd_id, period=q1.id, org_predikat=OrgPredikat.BAIK.value)
    )
    return world


async def recap(api: Api, world: pf.World, who: str) -> dict[str, Any]:
    return await api.op(
        "PredikatRecap", {"periodId": gid("Period", world.year.q1.id)}, token=world.token(who)
    )


def counts(row: dict[str, Any]) -> dict[str, int]:
    return {c["predikat"]: c["count"] for c in row["counts"] if c["count"]}


async def test_predikat_recap_per_opd_and_city(api: Api, factory: Factory) -> None:
    world = await period_world(api, factory)

    # BKPSDM sees every OPD and the city total
    body = await recap(api, world, "bkpsdm")
    assert not body.get("errors")
    rows = {r["opdName"]: r for r in body["data"]["predikatRecap"]}
    assert set(rows) == {
        "Sekretariat Daerah", "Dinas Kesehatan", "Badan Pendapatan Daerah", "Seluruh OPD",
    }  # fmt: skip
    assert counts(rows["Dinas Kesehatan"]) == {"BAIK": 1, "SANGAT_BAIK": 1}
    assert rows["Dinas Kesehatan"]["orgPredikat"] == "BAIK"
    assert rows["Dinas Kesehatan"]["violations"] != []  # no Butuh Perbaikan under BAIK
    assert rows["Badan Pendapatan Daerah"]["violations"] == []  # no org predikat: unchecked
    city = rows["Seluruh OPD"]
    assert city["opd"] is None
    assert counts(city) == {"BAIK": 1, "SANGAT_BAIK": 1, "BUTUH_PERBAIKAN": 1}
    assert city["total"] == 3
    share = {c["predikat"]: c["share"] for c in city["counts"]}
    assert round(share["BAIK"], 3) == round(1 / 3, 3)

    # the Dinkes admin sees Dinkes only (and a total of it); a pegawai nothing
    mine = await recap(api, world, "admin_opd")
    names = [r["opdName"] for r in mine["data"]["predikatRecap"]]
    assert names == ["Dinas Kesehatan", "Seluruh OPD"]
    refused = await recap(api, world, "staff")
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_completion_monitoring_and_gaps(api: Api, factory: Factory) -> None:
    world = await period_world(api, factory)
    variables = {"periodId": gid("Period", world.year.q1.id), "first": 10}

    data = await api.data("CompletionMonitoring", variables, token=world.token("admin_opd"))

    (dinkes, total) = data["completionMonitoring"]
    assert dinkes == {
        "opdName": "Dinas Kesehatan",
        "employees": 4,  # head, boss, staff, peer
        "withoutSkp": 3,  # only staff's SKP is approved
        "notLogging": 3,  # only staff logged this week
        "notEvaluated": 2,  # head and boss
    }
    assert total["employees"] == 4
    gaps = {e["node"]["name"]: e["node"] for e in data["completionGaps"]["edges"]}
    assert set(gaps) == {"Kepala Dinas", "Kepala Puskesmas", "Perawat Dua"}
    assert gaps["Perawat Dua"]["skpStatus"] == "DRAFT"
    assert gaps["Perawat Dua"]["evaluated"] is True
    assert gaps["Kepala Dinas"]["skpStatus"] is None
    # pages follow the cursor
    first = await api.data(
        "CompletionMonitoring", {**variables, "first": 2}, token=world.token("bkpsdm")
    )
    page = first["completionGaps"]
    assert page["totalCount"] == 5  # city: sekda and outsider too
    assert page["pageInfo"]["hasNextPage"] is True
    rest = await api.data(
        "CompletionMonitoring",
        {**variables, "first": 10, "after": page["pageInfo"]["endCursor"]},
        token=world.token("bkpsdm"),
    )
    seen = [e["node"]["nip"] for e in page["edges"] + rest["completionGaps"]["edges"]]
    assert len(seen) == len(set(seen)) == 5
    # another OPD's admin cannot ask for Dinkes
    other = await api.op(
        "CompletionMonitoring",
        {**variables, "opdId": gid("Opd", world.opd_id)},
        token=world.token("admin_other"),
    )
    assert other["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_reports_download_as_csv_xlsx_and_pdf(
    api: Api, factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await period_world(api, factory)
    params = {"periodId": gid("Period", world.year.q1.id)}
    auth = {"Authorization": f"Bearer {world.token('bkpsdm')}"}

    response = await client.get("/reports/predikat.csv", params=params, headers=auth)
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.text)))
    assert lines[0][0] == "OPD"
    assert lines[-1][0] == "Seluruh OPD"
    assert "Dinas Kesehatan" in [line[0] for line in lines]

    response = await client.get("/reports/completion.xlsx", params=params, headers=auth)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[-1] == ["Seluruh OPD", 6, 5, 5, 3]

    response = await client.get("/reports/predikat.pdf", params=params, headers=auth)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")

    # a pegawai is refused, an anonymous caller too
    staff = {"Authorization": f"Bearer {world.token('staff')}"}
    assert (
        await client.get("/reports/predikat.csv", params=params, headers=staff)
    ).status_code == 403
    assert (await client.get("/reports/predikat.csv", params=params)).status_code == 401
