"""Adoption downloads and charts over plain HTTP: content, and 401/403/400/404 as JSON."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import httpx
import pytest
from openpyxl import load_workbook

from support.adoption_world import World, build_world, program_with_session, today_iso
from support.api import Api
from support.factories import Factory

SVG = "{http://www.w3.org/2000/svg}"
CHARTS = [
    "/adoption/charts/funnel.svg",
    "/adoption/charts/weekly-active.svg",
    "/adoption/charts/survey.svg",
]
ALL = ["/adoption/funnel.csv", "/adoption/funnel.xlsx", *CHARTS]


@pytest.fixture
async def world(api: Api, factory: Factory) -> World:
    world = await build_world(api, factory)
    _, session = await program_with_session(world)
    await world.mutate(
        "InviteUnit",
        {"sessionId": session, "unitId": world.gid("Unor", world.units["pkm"])},
        "manager",
    )
    await world.mutate(
        "CheckIn", {"sessionId": session, "employeeIds": [world.person_id("perawat1")]}, "manager"
    )
    return world


def bearer(world: World, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[who]}"}


async def test_csv_and_xlsx_carry_the_funnel(world: World, client: httpx.AsyncClient) -> None:
    dinkes = world.gid("Opd", world.opds["dinkes"])
    response = await client.get(
        "/adoption/funnel.csv", params={"opdId": dinkes}, headers=bearer(world, "manager")
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    lines = list(csv.reader(io.StringIO(response.text)))
    assert lines[0][:6] == ["opd", "minggu_iso", "senin", "pegawai", "diundang", "hadir"]
    assert len(lines) == 13  # the default range: 12 ISO weeks
    last = lines[-1]
    assert last[0] == "Dinas Kesehatan"
    assert last[3:6] == ["5", "4", "1"]

    response = await client.get("/adoption/funnel.xlsx", headers=bearer(world, "bkpsdm"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "opd"
    assert {r[0] for r in rows[1:]} == {"Dinas Kesehatan", "Badan Pendapatan Daerah"}
    assert len(rows) == 1 + 2 * 12


@pytest.mark.parametrize("url", CHARTS)
async def test_charts_are_accessible_svg(world: World, client: httpx.AsyncClient, url: str) -> None:
    response = await client.get(
        url,
        params={"opdId": world.gid("Opd", world.opds["dinkes"])},
        headers=bearer(world, "admin_dinkes"),
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(response.text)  # noqa: S314 - our own output
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None
    assert "Dinas Kesehatan" in (title.text or "")
    assert root.find(f"{SVG}desc") is not None
    if url.endswith("funnel.svg"):
        tips = [t.text or "" for t in root.iter(f"{SVG}title")]
        assert any(t.startswith("Diundang: 4") for t in tips), tips
        assert any(t.startswith("Hadir sosialisasi: 1") for t in tips), tips


@pytest.mark.parametrize("url", ALL)
async def test_errors_are_json_never_500(world: World, client: httpx.AsyncClient, url: str) -> None:
    async def call(params: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        response = await client.get(url, params=params, headers=headers)
        return response.status_code, response.json()["errors"][0]["extensions"]["code"]

    dinkes = world.gid("Opd", world.opds["dinkes"])
    bapenda = world.gid("Opd", world.opds["bapenda"])
    assert await call({}, {}) == (401, "UNAUTHENTICATED")
    assert await call({}, {"Authorization": "Bearer nonsense"}) == (401, "INVALID_TOKEN")
    assert await call({}, {"Authorization": "Basic abc"}) == (401, "UNAUTHENTICATED")
    assert await call({}, bearer(world, "perawat1")) == (403, "FORBIDDEN")
    assert await call({"opdId": bapenda}, bearer(world, "admin_dinkes")) == (403, "FORBIDDEN")
    manager = bearer(world, "manager")
    assert await call({"opdId": "%%%"}, manager) == (400, "INVALID_ID")
    assert await call({"opdId": world.gid("Unor", 1)}, manager) == (400, "INVALID_ID")
    if "survey" not in url:
        assert await call({"opdId": world.gid("Opd", 999999)}, manager) == (404, "NOT_FOUND")
        assert await call({"from": "2026-13-01"}, manager) == (400, "INVALID_DATE")
        assert await call({"from": today_iso(), "to": today_iso(-1)}, manager) == (
            400,
            "INVALID_RANGE",
        )
        assert await call({"from": "2020-01-01", "to": today_iso()}, manager) == (
            400,
            "INVALID_RANGE",
        )
    ok = await client.get(url, params={"opdId": dinkes}, headers=manager)
    assert ok.status_code == 200


def _csv_rows(response: httpx.Response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.reader(io.StringIO(response.text)))


def _xlsx_rows(response: httpx.Response) -> list[list[str]]:
    """The workbook's cells as the CSV writes them (blank for empty, ya/tidak, plain numbers)."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


async def _both(
    client: httpx.AsyncClient, path: str, params: dict[str, str], headers: dict[str, str]
) -> list[list[str]]:
    """The CSV rows, after checking that the XLSX holds the very same cells."""
    as_csv = _csv_rows(await client.get(f"{path}.csv", params=params, headers=headers))
    as_xlsx = _xlsx_rows(await client.get(f"{path}.xlsx", params=params, headers=headers))
    assert as_xlsx == as_csv
    return as_csv


async def test_every_dashboard_table_downloads_as_csv_and_xlsx_with_the_screens_rows(
    world: World, client: httpx.AsyncClient
) -> None:
    manager = bearer(world, "manager")
    # lagging OPDs: the rows of the adoptionLagging query, same week and margin
    week = today_iso(-7)
    lag = (await world.data("AdoptionLagging", {"week": week}, "manager"))["adoptionLagging"]
    lines = await _both(client, "/adoption/lagging", {"week": week}, manager)
    assert lines[0] == [
        "opd",
        "minggu_iso",
        "senin",
        "pegawai",
        "aktif_mingguan",
        "porsi_aktif_mingguan",
        "median_kota",
        "selisih_median",
    ]
    assert [(r[0], r[1], int(r[3]), int(r[4])) for r in lines[1:]] == [
        (o["opd"]["name"], lag["isoWeek"], o["employees"], o["weeklyActive"]) for o in lag["opds"]
    ]

    # cohorts of the program: one session day, four invited, one attended
    programs = await world.data("Programs", {"first": 10}, "manager")
    program = programs["programs"]["edges"][0]["node"]["id"]
    cohorts = (await world.data("AdoptionCohorts", {"programId": program}, "manager"))[
        "adoptionCohorts"
    ]["cohorts"]
    lines = await _both(client, "/adoption/cohorts", {"programId": program}, manager)
    assert lines[0][:7] == [
        "tanggal_sesi",
        "diundang",
        "hadir",
        "mulai_mencatat",
        "aktif_mingguan",
        "atasan_terlibat",
        "minggu_teramati",
    ]
    assert [[r[0], *map(int, r[1:6])] for r in lines[1:]] == [
        [
            c["sessionDate"],
            c["invited"],
            c["attended"],
            c["started"],
            c["weeklyActive"],
            c["engaged"],
        ]
        for c in cohorts
    ]
    assert [r[1:3] for r in lines[1:]] == [["4", "1"]]

    # the pulse before/after the first session: the surveyTrend rows, withheld groups blank
    trend = (await world.data("SurveyTrend", {}, "manager"))["surveyTrend"]["rows"]
    lines = await _both(client, "/adoption/survey-trend", {}, manager)
    assert lines[0][:4] == ["opd", "sesi_pertama", "sebelum_responden", "sebelum_kenyamanan"]
    assert [(r[0], r[1]) for r in lines[1:]] == [
        (t["opd"]["name"], t["firstSessionDate"] or "") for t in trend
    ]
    for line, row in zip(lines[1:], trend, strict=True):
        assert line[6] == ("ya" if row["before"]["suppressed"] else "tidak")
        if row["before"]["suppressed"]:
            assert line[2:6] == ["", "", "", ""]  # not even the size of a small group


@pytest.mark.parametrize(
    "path", ["/adoption/lagging", "/adoption/cohorts", "/adoption/survey-trend"]
)
@pytest.mark.parametrize("ext", ["csv", "xlsx"])
async def test_the_other_downloads_refuse_as_json(
    world: World, client: httpx.AsyncClient, path: str, ext: str
) -> None:
    url = f"{path}.{ext}"
    programs = await world.data("Programs", {"first": 10}, "manager")
    params = {"programId": programs["programs"]["edges"][0]["node"]["id"]}

    async def call(extra: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        response = await client.get(url, params={**params, **extra}, headers=headers)
        return response.status_code, response.json()["errors"][0]["extensions"]["code"]

    assert await call({}, {}) == (401, "UNAUTHENTICATED")
    assert await call({}, bearer(world, "perawat1")) == (403, "FORBIDDEN")
    manager = bearer(world, "manager")
    if path.endswith("cohorts"):
        response = await client.get(url, headers=manager)
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "MISSING_PARAMETER"
        assert await call({"programId": world.gid("Program", 999999)}, manager) == (
            404,
            "NOT_FOUND",
        )
    if path.endswith("lagging"):
        assert await call({"week": "2026-13-01"}, manager) == (400, "INVALID_DATE")
        assert await call({"margin": "banyak"}, manager) == (400, "INVALID_VALUE")
    if path.endswith("survey-trend"):
        bapenda = world.gid("Opd", world.opds["bapenda"])
        assert await call({"opdId": bapenda}, bearer(world, "admin_dinkes")) == (403, "FORBIDDEN")
    ok = await client.get(url, params=params, headers=bearer(world, "admin_dinkes"))
    assert ok.status_code == 200
