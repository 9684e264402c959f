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
