"""GraphQL over HTTP: ``application/graphql-response+json`` and its status codes, and the audit.

The audit is npm's ``graphql-http`` (``.ci/contract``, installed from its lock by ``.ci/run``),
run against the app behind a real server: 0 warnings and 0 errors.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest

from portal.core.media import GRAPHQL_RESPONSE_JSON, wants_graphql_response_json
from portal.settings import Settings
from support.api import Api
from support.apps import app_client, serve
from support.factories import PASSWORD, Factory

CHECKS = Path(__file__).resolve().parents[2] / ".ci" / "contract"
NEW = {"Accept": f"{GRAPHQL_RESPONSE_JSON}, application/json;q=0.9"}


def test_accept_header_negotiation() -> None:
    assert wants_graphql_response_json(GRAPHQL_RESPONSE_JSON)
    assert wants_graphql_response_json(f"{GRAPHQL_RESPONSE_JSON}, application/json;q=0.9")
    assert not wants_graphql_response_json(None)
    assert not wants_graphql_response_json("*/*")
    assert not wants_graphql_response_json("application/json")
    assert not wants_graphql_response_json(f"application/json, {GRAPHQL_RESPONSE_JSON};q=0.5")


async def test_request_errors_are_400_without_data_for_the_new_media_type(api: Api) -> None:
    for query in ("{", "{ noSuchField }"):
        new = await api.client.post("/graphql", json={"query": query}, headers=NEW)
        assert new.status_code == 400, new.text
        assert new.headers["content-type"].startswith(GRAPHQL_RESPONSE_JSON)
        assert "data" not in new.json()
        assert new.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        legacy = await api.client.post("/graphql", json={"query": query})
        assert legacy.status_code == 200
        assert legacy.headers["content-type"].startswith("application/json")
        assert legacy.json()["data"] is None


async def test_execution_errors_keep_200_and_data(api: Api, factory: Factory) -> None:
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    token = await api.login(person.nip, PASSWORD)
    headers = {**NEW, "Authorization": f"Bearer {token}"}
    response = await api.client.post(
        "/graphql", json={"query": '{ viewer { username } node(id: "x") { id } }'}, headers=headers
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE_JSON)
    body = response.json()
    assert body["data"]["viewer"]["username"] == person.username
    assert body["errors"][0]["extensions"]["code"] == "INVALID_ID"


async def test_graphql_http_audit_passes_without_warnings(settings: Settings) -> None:
    node = shutil.which("node")
    if node is None or not (CHECKS / "node_modules" / "graphql-http").is_dir():
        pytest.skip("needs Node and `npm ci --prefix .ci/contract` (.ci/run installs both)")
    async with app_client(settings) as (app, _), serve(app) as base:
        process = await asyncio.create_subprocess_exec(
            node,
            str(CHECKS / "audit.mjs"),
            f"{base}/graphql",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    report = json.loads(out.decode().strip().splitlines()[-1])
    assert report["failures"] == [], report
    assert (report["warn"], report["error"]) == (0, 0)
    assert report["ok"] >= 50, (report, err.decode())
