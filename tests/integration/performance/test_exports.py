"""Payroll exports over plain HTTP: CSV and XLSX content, and 401/403/400/404 answers."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from openpyxl import load_workbook

from portal.core.ids import encode_global_id
from support import performance_factory as pf
from support.api import Api
from support.factories import Factory

CSV_URL = "/exports/incentives.csv"
XLSX_URL = "/exports/incentives.xlsx"


def params(payroll_world) -> dict[str, str]:
    return {
        "periodId": encode_global_id("Period", payroll_world.year.q1.id),
        "opdId": encode_global_id("Opd", payroll_world.opd_id),
    }


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_csv_and_xlsx_carry_the_payroll_lines(
    api: Api, factory: Factory, client: httpx.AsyncClient
) -> None:
    # given a small OPD with four FINAL evaluations
    payroll = await pf.build_payroll(api, factory)
    world = payroll.world
    # when its admin downloads the CSV
    response = await client.get(
        CSV_URL, params=params(world), headers=bearer(world.token("admin_opd"))
    )
    # then it is a CSV attachment with one line per FINAL evaluation
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    lines = list(csv.reader(io.StringIO(response.text)))
    assert lines[0] == [
        "nip",
        "nama",
        "jabatan",
        "unit_kerja",
        "predikat",
        "porsi_aktivitas_terverifikasi",
        "faktor_tpp",
        "layak_penghargaan",
    ]
    by_name = {line[1]: line for line in lines[1:]}
    assert sorted(by_name) == ["'=Budi", "Ani", "Citra", "Dedi"]  # formula injection defused
    ani = by_name["Ani"]
    assert ani[0] == payroll.people["ani"].nip
    assert ani[4:] == ["Sangat Baik", "0.9", "1.0", "YA"]
    assert by_name["'=Budi"][4:] == ["Baik", "0.25", "0.95", "TIDAK"]
    assert by_name["Citra"][4:] == ["Butuh Perbaikan", "", "0.8", "TIDAK"]

    # when BKPSDM downloads the XLSX, then the same lines are in the workbook
    response = await client.get(
        XLSX_URL, params=params(world), headers=bearer(world.token("bkpsdm"))
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "nip"
    cells = {row[1]: row for row in rows[1:]}
    assert cells["Ani"][0] == payroll.people["ani"].nip  # text, not a float
    assert cells["Ani"][5:] == (0.9, 1.0, "YA")
    assert cells["'=Budi"][6] == 0.95
    assert cells["Citra"][5] is None
    assert len(rows) == 5


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
async def test_export_errors_are_json_never_500(
    api: Api, factory: Factory, client: httpx.AsyncClient, url: str
) -> None:
    payroll = await pf.build_payroll(api, factory)
    world = payroll.world
    good = params(world)

    async def call(query: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        response = await client.get(url, params=query, headers=headers)
        return response.status_code, response.json()["errors"][0]["extensions"]["code"]

    assert await call(good, {}) == (401, "UNAUTHENTICATED")
    assert await call(good, {"Authorization": "Bearer nonsense"}) == (401, "INVALID_TOKEN")
    assert await call(good, {"Authorization": "Basic abc"}) == (401, "UNAUTHENTICATED")
    for who in ("admin_other", "boss", "staff"):
        assert await call(good, bearer(world.token(who))) == (403, "FORBIDDEN"), who
    admin = bearer(world.token("admin_opd"))
    assert await call({"opdId": good["opdId"]}, admin) == (400, "MISSING_PARAMETER")
    assert await call({**good, "periodId": "%%%"}, admin) == (400, "INVALID_ID")
    assert await call({**good, "periodId": good["opdId"]}, admin) == (400, "INVALID_ID")
    unknown = encode_global_id("Period", 999999)
    assert await call({**good, "periodId": unknown}, admin) == (404, "NOT_FOUND")


async def test_a_period_without_final_evaluations_exports_an_empty_table(
    api: Api, factory: Factory, client: httpx.AsyncClient
) -> None:
    # the probe's reproduction: incentiveRows and both exports for a period with no FINAL
    # evaluation answered INTERNAL_ERROR / HTTP 500
    world = await pf.build_world(api, factory)
    admin = world.token("admin_opd")
    query = params(world)
    response = await client.get(CSV_URL, params=query, headers=bearer(admin))
    assert response.status_code == 200, response.text
    lines = list(csv.reader(io.StringIO(response.text)))
    assert len(lines) == 1
    assert lines[0][0] == "nip"
    response = await client.get(XLSX_URL, params=query, headers=bearer(admin))
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["nip"]
    body = await api.op("IncentiveRows", query, token=admin)
    assert "errors" not in body, body
    assert body["data"]["incentiveRows"] == []
