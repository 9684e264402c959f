"""Two app workers against the same PostgreSQL and Redis behave as one portal."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from support.api import operations
from support.services import require_services
from support.workers import Worker, portal_command, portal_env, recreate_database, workers

pytestmark = pytest.mark.services

PASSWORD = "Tangsel#2026"  # the documented demo password


@pytest.fixture(scope="module")
def pair() -> Iterator[list[Worker]]:
    pg, redis_url = require_services()
    database = recreate_database(pg, "test_e2e_workers")
    env = portal_env(database, redis_url)
    portal_command("demo", "--no-serve", "--employees", "80", env=env)
    with workers(2, env) as started:
        yield started


def gql(worker: Worker, name: str, variables: dict[str, Any], token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(
        worker.url + "/graphql",
        json={"query": operations()[name], "variables": variables, "operationName": name},
        headers=headers,
        timeout=30,
    )
    assert response.status_code == 200, response.text
    body: dict = response.json()
    return body


def login(worker: Worker, username: str, password: str = PASSWORD) -> dict:
    return gql(worker, "Login", {"input": {"username": username, "password": password}})["data"][
        "login"
    ]


def test_a_session_started_on_one_worker_works_on_the_other(pair: list[Worker]) -> None:
    a, b = pair
    session = login(a, "atasan")
    assert session["userErrors"] == []
    viewer = gql(b, "Viewer", {}, session["accessToken"])["data"]["viewer"]
    assert viewer["username"] == "atasan"
    assert "ATASAN" in viewer["roles"]


def test_logout_on_one_worker_revokes_the_token_on_the_other(pair: list[Worker]) -> None:
    a, b = pair
    session = login(a, "pegawai")
    out = gql(
        b, "Logout", {"input": {"refreshToken": session["refreshToken"]}}, session["accessToken"]
    )
    assert out["data"]["logout"]["ok"] is True
    revoked = gql(a, "Viewer", {}, session["accessToken"])
    assert revoked["errors"][0]["extensions"]["code"] == "TOKEN_REVOKED"
    refreshed = gql(a, "RefreshToken", {"input": {"refreshToken": session["refreshToken"]}})
    assert refreshed["data"]["refreshToken"]["userErrors"][0]["code"] == "INVALID_REFRESH_TOKEN"


def test_refresh_rotation_is_shared(pair: list[Worker]) -> None:
    a, b = pair
    session = login(a, "admin.bkpsdm")
    rotated = gql(b, "RefreshToken", {"input": {"refreshToken": session["refreshToken"]}})
    assert rotated["data"]["refreshToken"]["userErrors"] == []
    again = gql(a, "RefreshToken", {"input": {"refreshToken": session["refreshToken"]}})
    assert again["data"]["refreshToken"]["userErrors"][0]["code"] == "INVALID_REFRESH_TOKEN"


def test_login_backoff_counts_failures_across_workers(pair: list[Worker]) -> None:
    a, b = pair
    for i in range(5):
        failed = login(pair[i % 2], "sosialisasi", "wrong-password")
        assert failed["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    held = login(b, "sosialisasi")
    assert held["userErrors"][0]["code"] == "TOO_MANY_ATTEMPTS"
    assert login(a, "sosialisasi")["userErrors"][0]["code"] == "TOO_MANY_ATTEMPTS"
    time.sleep(1.2)  # a backoff, not a lock: the first one lasts a second
    assert login(a, "sosialisasi")["userErrors"] == []


def test_both_workers_serve_the_same_directory(pair: list[Worker]) -> None:
    a, b = pair
    token = login(a, "admin.bkpsdm")["accessToken"]
    first = gql(a, "EmployeeDirectory", {"first": 5}, token)["data"]["employees"]
    second = gql(b, "EmployeeDirectory", {"first": 5}, token)["data"]["employees"]
    assert first == second
    assert first["totalCount"] >= 80


async def _ws_init(worker: Worker, payload: dict | None) -> dict | int:
    """Open graphql-transport-ws, send connection_init; return the reply or the close code."""
    from httpx_ws import WebSocketDisconnect, aconnect_ws

    async with (
        httpx.AsyncClient(base_url=worker.url) as client,
        aconnect_ws(
            "/graphql",
            client,
            subprotocols=["graphql-transport-ws"],
            keepalive_ping_interval_seconds=None,
        ) as ws,
    ):
        message: dict = {"type": "connection_init"}
        if payload is not None:
            message["payload"] = payload
        await ws.send_json(message)
        try:
            reply: dict = await ws.receive_json(timeout=10)
        except WebSocketDisconnect as exc:
            return exc.code
        return reply


async def test_websocket_authenticates_from_connection_params(pair: list[Worker]) -> None:
    a, b = pair
    token = login(a, "pegawai")["accessToken"]
    ok = await _ws_init(b, {"authorization": f"Bearer {token}"})
    assert isinstance(ok, dict)
    assert ok["type"] == "connection_ack"
    assert await _ws_init(b, None) == 4403
    assert await _ws_init(a, {"authorization": "Bearer not-a-token"}) == 4403
