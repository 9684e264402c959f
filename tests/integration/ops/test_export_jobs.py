"""Large exports as background jobs through GraphQL: progress, the file, and who may fetch it.

Without Redis the job runs in the API process (the embedded default); with
``PORTAL_REDIS_URL`` the same tests queue it on SAQ and a worker started in the test's loop
runs it, keeping the file in Redis where the API serves it.
"""

from __future__ import annotations

import csv
import io
import json

import httpx
from openpyxl import load_workbook

from portal.core.ids import encode_global_id
from portal.settings import Settings
from support import performance_factory as pf
from support.adoption_world import build_world
from support.api import Api
from support.factories import Factory
from support.jobs import poll, running_worker


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_an_incentive_export_runs_as_a_job_and_only_its_starter_downloads_it(
    api: Api, factory: Factory, client: httpx.AsyncClient, settings: Settings
) -> None:
    # given an OPD with four FINAL evaluations and its admin
    payroll = await pf.build_payroll(api, factory)
    world = payroll.world
    admin = world.token("admin_opd")
    scope = {
        "periodId": encode_global_id("Period", world.year.q1.id),
        "opdId": encode_global_id("Opd", world.opd_id),
    }
    async with running_worker(settings):
        # when the admin starts the export as a job and polls it
        data = await api.data(
            "StartExport", {"input": {"kind": "INCENTIVES", "format": "CSV", **scope}}, token=admin
        )
        started = data["startExport"]
        assert started["userErrors"] == []
        assert started["job"]["name"] == "exports.build"
        assert started["job"]["downloadUrl"] is None
        final = await poll(api, admin, started["job"]["id"])
    # then it completes once, with progress up to 1 and a download URL
    assert final["status"] == "complete", final
    assert (final["progress"], final["attempts"]) == (1.0, 1)
    result = json.loads(final["resultJson"])
    assert result["rows"] == 4
    assert result["filename"] == f"insentif-opd{world.opd_id}-periode{world.year.q1.id}.csv"
    url = final["downloadUrl"]
    assert url == result["download_url"]
    assert url.startswith("/exports/files/")
    # the file is the same as the direct download's
    response = await client.get(url, headers=bearer(admin))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["cache-control"] == "no-store"
    direct = await client.get("/exports/incentives.csv", params=scope, headers=bearer(admin))
    assert response.content == direct.content
    lines = list(csv.reader(io.StringIO(response.text)))
    assert len(lines) == 1 + 4
    assert result["bytes"] == len(response.content)
    # nobody else downloads it, not even with the URL, and never without a token
    other = world.token("boss")
    assert (await client.get(url, headers=bearer(other))).status_code == 404
    assert (await client.get(url)).status_code == 401
    unknown = await client.get("/exports/files/not-a-token", headers=bearer(admin))
    assert unknown.status_code == 404
    # and the job itself is the starter's only
    assert (await api.data("BackgroundJob", {"id": final["id"]}, token=other))[
        "backgroundJob"
    ] is None


async def test_an_export_the_viewer_may_not_make_is_refused_when_it_starts(
    api: Api, factory: Factory
) -> None:
    payroll = await pf.build_payroll(api, factory)
    world = payroll.world
    scope = {
        "periodId": encode_global_id("Period", world.year.q1.id),
        "opdId": encode_global_id("Opd", world.opd_id),
    }
    # a supervisor is no admin of the OPD: refused at once, nothing queued
    data = await api.data(
        "StartExport", {"input": {"kind": "INCENTIVES", **scope}}, token=world.token("boss")
    )
    assert data["startExport"]["job"] is None
    assert [e["code"] for e in data["startExport"]["userErrors"]] == ["FORBIDDEN"]
    # the period is required for incentives
    data = await api.data(
        "StartExport",
        {"input": {"kind": "INCENTIVES", "opdId": scope["opdId"]}},
        token=world.token("admin_opd"),
    )
    assert data["startExport"]["job"] is None
    errors = data["startExport"]["userErrors"]
    assert [(e["code"], e["path"]) for e in errors] == [("MISSING_PARAMETER", ["periodId"])]


async def test_an_adoption_funnel_export_as_xlsx(
    api: Api, factory: Factory, client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await build_world(api, factory)
    token = world.tokens["bkpsdm"]
    async with running_worker(settings):
        data = await api.data(
            "StartExport", {"input": {"kind": "ADOPTION_FUNNEL", "format": "XLSX"}}, token=token
        )
        assert data["startExport"]["userErrors"] == []
        final = await poll(api, token, data["startExport"]["job"]["id"])
    assert final["status"] == "complete", final
    response = await client.get(final["downloadUrl"], headers=bearer(token))
    assert response.status_code == 200
    assert "adopsi-kota.xlsx" in response.headers["content-disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "opd"
    assert {r[0] for r in rows[1:]} == {"Dinas Kesehatan", "Badan Pendapatan Daerah"}
    assert json.loads(final["resultJson"])["rows"] == len(rows) - 1
    # an employee may read no metrics: refused when starting
    refused = await api.data(
        "StartExport", {"input": {"kind": "ADOPTION_FUNNEL"}}, token=world.tokens["perawat1"]
    )
    assert [e["code"] for e in refused["startExport"]["userErrors"]] == ["FORBIDDEN"]
