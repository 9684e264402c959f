"""WebSocket limits: subscription streams capped per connection and per user (typed
``TOO_MANY_SUBSCRIPTIONS`` errors for the refused ``subscribe``), the connection-init timeout,
and the Origin check of the handshake (browsers do not apply CORS to WebSockets).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import httpx
import pytest
from httpx_ws import WebSocketDisconnect, WebSocketUpgradeError, aconnect_ws

from portal.settings import Settings
from support.api import Api
from support.apps import app_client, serve
from support.factories import PASSWORD, Factory, Person
from support.ws import PROTOCOL, GraphQLWS

ALLOWED = "https://portal.example.go.id"


async def _person(factory: Factory) -> Person:
    opd = await factory.opd()
    return await factory.employee(await factory.unor(opd))


@asynccontextmanager
async def socket(client: httpx.AsyncClient, token: str) -> AsyncIterator[GraphQLWS]:
    async with aconnect_ws("/graphql", client, subprotocols=[PROTOCOL]) as ws:
        session = GraphQLWS(ws)
        ack = await session.init({"authorization": f"Bearer {token}"})
        assert ack["type"] == "connection_ack", ack
        yield session


def assert_too_many(message: dict[str, Any]) -> None:
    assert message["type"] == "error", message
    assert message["payload"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS", message


async def probe(session: GraphQLWS) -> dict[str, Any]:
    """Run the Viewer query over the socket; return the first reply (``next`` or ``error``)."""
    op_id = await session.subscribe("Viewer")
    return await session.receive(op_id)


async def test_subscriptions_are_capped_per_connection(
    settings: Settings, factory: Factory
) -> None:
    person = await _person(factory)
    limited = replace(settings, max_subscriptions_per_connection=2, max_subscriptions_per_user=10)
    async with app_client(limited) as (_, client):
        token = await Api(client).login(person.nip, PASSWORD)
        async with socket(client, token) as session:
            first = await session.subscribe("NotificationReceived")
            await session.subscribe("NotificationReceived")
            assert_too_many(await session.receive(await session.subscribe("NotificationReceived")))
            await session.complete(first)
            reply = await probe(session)  # a slot is free again
            assert reply["type"] == "next", reply
            assert reply["payload"]["data"]["viewer"]["username"] == person.username


async def test_subscriptions_are_capped_per_user_across_connections(
    settings: Settings, factory: Factory
) -> None:
    person = await _person(factory)
    limited = replace(settings, max_subscriptions_per_connection=5, max_subscriptions_per_user=2)
    async with app_client(limited) as (_, client):
        token = await Api(client).login(person.nip, PASSWORD)
        async with socket(client, token) as second:
            async with socket(client, token) as first:
                await first.subscribe("NotificationReceived")
                await first.subscribe("NotificationReceived")
                assert_too_many(await probe(second))
                assert_too_many(await probe(first))
            # closing the first socket ends its streams and frees the user's slots
            for _ in range(50):
                reply = await probe(second)
                if reply["type"] == "next":
                    break
                assert_too_many(reply)
                await asyncio.sleep(0.05)
            assert reply["type"] == "next", reply
            # finished queries give their slot back: more of them than the cap all run
            for _ in range(4):
                assert (await probe(second))["type"] == "next"


async def test_connection_must_be_initialised_in_time(settings: Settings, db: None) -> None:
    async with (
        app_client(replace(settings, ws_init_timeout_seconds=0.3)) as (_, client),
        aconnect_ws("/graphql", client, subprotocols=[PROTOCOL]) as ws,
    ):
        with pytest.raises(WebSocketDisconnect) as closed:
            await ws.receive_json(timeout=5)
    assert closed.value.code == 4408


# --- Origin of the handshake (a real server answers a refused handshake with HTTP 403) ------


async def _handshake(base_url: str, token: str, origin: str | None) -> int | str:
    """The HTTP status of a refused handshake, or the first message after ``connection_init``."""
    headers = {"Origin": origin} if origin else {}
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        try:
            async with aconnect_ws(
                "/graphql", client, subprotocols=[PROTOCOL], headers=headers
            ) as ws:
                reply = await GraphQLWS(ws).init({"authorization": f"Bearer {token}"})
                return str(reply["type"])
        except WebSocketUpgradeError as exc:
            return exc.response.status_code


async def test_websocket_handshakes_from_other_origins_are_refused_with_403(
    settings: Settings, factory: Factory
) -> None:
    person = await _person(factory)
    for origins in ((ALLOWED,), ()):
        async with app_client(replace(settings, cors_origins=origins)) as (app, client):
            token = await Api(client).login(person.nip, PASSWORD)
            async with serve(app) as base_url:
                assert await _handshake(base_url, token, "https://evil.example") == 403
                assert await _handshake(base_url, token, "null") == 403
                assert await _handshake(base_url, token, base_url) == "connection_ack"
                assert await _handshake(base_url, token, None) == "connection_ack"  # no browser
                expected = "connection_ack" if origins else 403
                assert await _handshake(base_url, token, ALLOWED) == expected


async def test_http_cors_allows_only_the_configured_origins(settings: Settings, db: None) -> None:
    preflight = {"Access-Control-Request-Method": "POST"}
    async with app_client(replace(settings, cors_origins=(ALLOWED,))) as (_, client):
        allowed = await client.options("/graphql", headers={"Origin": ALLOWED, **preflight})
        foreign = await client.options(
            "/graphql", headers={"Origin": "https://evil.example", **preflight}
        )
    assert allowed.headers.get("access-control-allow-origin") == ALLOWED
    assert "access-control-allow-origin" not in foreign.headers
