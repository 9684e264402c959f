"""The session matrix: logout, expiry, refresh-token reuse, deactivation, role changes and a
store outage, over HTTP and over the WebSocket, each the reproduction of the external probe.

Runs on SQLite without Redis and, in CI's second run, on PostgreSQL + Redis (the session app's
store is then Redis). The "Redis down" rows point an app at a Redis port where nothing
listens, which needs no Redis; the rows marked ``services`` use the real one.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from httpx_ws import WebSocketDisconnect, aconnect_ws
from litestar import Litestar

from portal.accounts.tables import AuthSession, RoleGrant, UserAccount
from portal.core import events
from portal.core.auth import Role
from portal.core.ids import encode_global_id
from portal.core.security import create_access_token
from portal.core.store import MemoryStore, RedisStore, Store
from portal.notifications.services import inbox as notifications
from portal.people.tables import Employee
from portal.settings import Settings
from support.api import Api, claims_of
from support.apps import app_client
from support.factories import PASSWORD, Factory, Person
from support.services import require_services, run_tag
from support.workers import free_port
from support.ws import PROTOCOL, GraphQLWS

VIEWER = "{ viewer { username roles } }"


@dataclass
class Team:
    boss: Person
    staff: Person


async def _team(factory: Factory) -> Team:
    opd = await factory.opd()
    unit = await factory.unor(opd)
    boss = await factory.employee(unit)
    staff = await factory.employee(unit, supervisor=boss)
    return Team(boss=boss, staff=staff)


async def _login(api: Api, username: str) -> dict[str, Any]:
    data = await api.data("Login", {"input": {"username": username, "password": PASSWORD}})
    payload: dict[str, Any] = data["login"]
    assert payload["userErrors"] == [], payload
    return payload


async def _refresh(api: Api, refresh_token: str) -> dict[str, Any]:
    data = await api.data("RefreshToken", {"input": {"refreshToken": refresh_token}})
    payload: dict[str, Any] = data["refreshToken"]
    return payload


async def _code(api: Api, token: str) -> str | None:
    """The error code of ``{ viewer }`` with ``token`` (None when it answers)."""
    body = await api.raw(VIEWER, token=token)
    if body.get("errors"):
        code: str = body["errors"][0]["extensions"]["code"]
        return code
    return None


def _unreachable_redis() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"


# --- HTTP ---------------------------------------------------------------------------------


async def test_logout_ends_the_session_for_every_token_of_it_and_no_other(
    api: Api, factory: Factory
) -> None:
    team = await _team(factory)
    first = await _login(api, team.staff.username)
    other = await _login(api, team.staff.username)  # a second device
    refreshed = await _refresh(api, first["refreshToken"])
    out = await api.data("Logout", {"input": {}}, token=refreshed["accessToken"])
    assert out["logout"] == {"ok": True, "userErrors": []}
    # both access tokens of the session (before and after the refresh) are refused
    assert await _code(api, first["accessToken"]) == "TOKEN_REVOKED"
    assert await _code(api, refreshed["accessToken"]) == "TOKEN_REVOKED"
    # and so is its refresh token, although logout was not given it
    spent = await _refresh(api, refreshed["refreshToken"])
    assert spent["userErrors"][0]["code"] == "INVALID_REFRESH_TOKEN"
    # the other device's session is untouched
    assert await _code(api, other["accessToken"]) is None
    ended = await AuthSession.select(AuthSession.end_reason).where(
        AuthSession.ended_at.is_not_null()
    )
    assert [r["end_reason"] for r in ended] == ["LOGOUT"]


async def test_an_expired_access_token_is_refused_and_the_session_lives_on(
    api: Api, factory: Factory, settings: Settings
) -> None:
    team = await _team(factory)
    session = await _login(api, team.staff.username)
    account_id, session_id = claims_of(session["accessToken"])
    expired, _ = create_access_token(
        secret=settings.secret_key,
        account_id=account_id,
        session_id=session_id,
        lifetime=timedelta(minutes=15),
        now=datetime.now(UTC) - timedelta(minutes=16),
    )
    assert await _code(api, expired) == "TOKEN_EXPIRED"
    renewed = await _refresh(api, session["refreshToken"])
    assert await _code(api, renewed["accessToken"]) is None


async def test_reusing_a_refresh_token_ends_the_whole_session_including_access_tokens(
    api: Api, factory: Factory
) -> None:
    # the probe: login (A0, R0), refresh with R0 (A1, R1), reuse R0: A0 and A1 kept answering
    team = await _team(factory)
    a0 = await _login(api, team.staff.username)
    a1 = await _refresh(api, a0["refreshToken"])
    assert await _code(api, a1["accessToken"]) is None
    reuse = await _refresh(api, a0["refreshToken"])
    assert reuse["userErrors"][0]["code"] == "INVALID_REFRESH_TOKEN"
    assert await _code(api, a0["accessToken"]) == "TOKEN_REVOKED"
    assert await _code(api, a1["accessToken"]) == "TOKEN_REVOKED"
    assert (await _refresh(api, a1["refreshToken"]))["userErrors"][0]["code"] == (
        "INVALID_REFRESH_TOKEN"
    )
    ended = await AuthSession.select(AuthSession.end_reason).first()
    assert ended is not None
    assert ended["end_reason"] == "REFRESH_REUSE"


async def test_deactivation_takes_effect_on_the_next_request(api: Api, factory: Factory) -> None:
    team = await _team(factory)
    session = await _login(api, team.staff.username)
    await UserAccount.update({UserAccount.active: False}).where(
        UserAccount.username == team.staff.username
    )
    assert await _code(api, session["accessToken"]) == "ACCOUNT_DISABLED"
    assert (await _refresh(api, session["refreshToken"]))["userErrors"][0]["code"] == (
        "INVALID_REFRESH_TOKEN"
    )
    # an employee record that left service (inactive) disables the login too
    other = await _login(api, team.boss.username)
    await Employee.update({Employee.active: False}).where(Employee.id == team.boss.id)
    assert await _code(api, other["accessToken"]) == "ACCOUNT_DISABLED"


async def test_role_changes_take_effect_on_the_next_request(api: Api, factory: Factory) -> None:
    # the probe: roles travelled in the JWT, so a demoted admin kept reading the audit log
    admin = await factory.admin("admin.city", Role.ADMIN_BKPSDM)
    session = await _login(api, admin)
    token = session["accessToken"]
    assert (await api.op("AuditLog", {"first": 1}, token=token)).get("errors") is None
    await RoleGrant.delete().where(RoleGrant.role == Role.ADMIN_BKPSDM.value)
    body = await api.op("AuditLog", {"first": 1}, token=token)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await api.raw(VIEWER, token=token))["data"]["viewer"]["roles"] == []
    # ATASAN is derived: moving the only subordinate away removes it at once
    team = await _team(factory)
    boss = await _login(api, team.boss.username)
    assert "ATASAN" in (await api.raw(VIEWER, token=boss["accessToken"]))["data"]["viewer"]["roles"]
    await Employee.update({Employee.supervisor: None}).where(Employee.id == team.staff.id)
    roles = (await api.raw(VIEWER, token=boss["accessToken"]))["data"]["viewer"]["roles"]
    assert roles == ["PEGAWAI"]


async def test_a_token_signed_with_the_right_key_but_no_session_is_refused(
    api: Api, factory: Factory, settings: Settings
) -> None:
    # the probe forged an ADMIN_BKPSDM token; with the key now secret a forgery needs the key,
    # and even then names no live session
    team = await _team(factory)
    session = await _login(api, team.staff.username)
    account_id, _ = claims_of(session["accessToken"])
    invented, _ = create_access_token(
        secret=settings.secret_key,
        account_id=account_id,
        session_id="0" * 32,
        lifetime=timedelta(minutes=5),
    )
    assert await _code(api, invented) == "INVALID_TOKEN"
    _, sid = claims_of(session["accessToken"])
    someone_else, _ = create_access_token(
        secret=settings.secret_key,
        account_id=account_id + 1,
        session_id=sid,
        lifetime=timedelta(minutes=5),
    )
    assert await _code(api, someone_else) == "INVALID_TOKEN"


async def test_when_the_session_record_cannot_be_read_the_request_fails_closed(
    api: Api, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = await _team(factory)
    session = await _login(api, team.staff.username)
    from portal.accounts import sql

    async def unreachable(_: str) -> None:
        raise ConnectionRefusedError("database down")

    # the session, its grants and the employee's standing are one read (portal.accounts.sql)
    monkeypatch.setattr(sql, "session_record", unreachable)
    response = await api.client.post(
        "/graphql",
        json={"query": VIEWER},
        headers={"Authorization": f"Bearer {session['accessToken']}"},
    )
    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"


# --- the store (Redis) down ------------------------------------------------------------------


@asynccontextmanager
async def _app(
    settings: Settings, store: Store | None = None
) -> AsyncIterator[tuple[Litestar, Api]]:
    async with app_client(settings, store) as (app, client):
        yield app, Api(client)


async def test_with_redis_down_revocation_holds_and_logout_really_logs_out(
    settings: Settings, factory: Factory
) -> None:
    # the probe: with Redis stopped a revoked token worked (4 of 4), logout answered ok and the
    # token kept working, and after Redis restarted empty every revoked token worked again
    team = await _team(factory)
    down = RedisStore(_unreachable_redis(), "portal-test-down:")
    try:
        async with _app(settings, down) as (_, api):
            before = await _login(api, team.staff.username)
            out = await api.data("Logout", {"input": {}}, token=before["accessToken"])
            assert out["logout"]["ok"] is True
            for _ in range(4):
                assert await _code(api, before["accessToken"]) == "TOKEN_REVOKED"
            during = await _login(api, team.staff.username)
            out = await api.data("Logout", {"input": {}}, token=during["accessToken"])
            assert out["logout"]["ok"] is True
            assert await _code(api, during["accessToken"]) == "TOKEN_REVOKED"
    finally:
        await down.close()
    # "Redis restarts empty": a fresh store knows nothing, and the tokens stay revoked
    async with _app(settings, MemoryStore()) as (_, api):
        assert await _code(api, before["accessToken"]) == "TOKEN_REVOKED"
        assert await _code(api, during["accessToken"]) == "TOKEN_REVOKED"


async def test_with_redis_down_rate_limits_and_login_throttling_keep_counting(
    settings: Settings, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the probe: rate limits were not counted during the outage. They now count in-process.
    from portal.core import context

    monkeypatch.setattr(context, "clock", lambda: 1_800_000_030.0)  # one minute window
    team = await _team(factory)
    down = RedisStore(_unreachable_redis(), "portal-test-down:")
    limited = replace(settings, rate_limit_per_minute=3)
    try:
        async with _app(limited, down) as (_, api):
            token = (await _login(api, team.staff.username))["accessToken"]
            statuses = []
            for _ in range(5):
                response = await api.client.post(
                    "/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {token}"}
                )
                statuses.append(response.status_code)
            assert statuses == [200, 200, 200, 429, 429]
            codes = []
            for _ in range(settings.lockout_threshold + 1):
                data = await api.data(
                    "Login", {"input": {"username": team.boss.username, "password": "wrong!"}}
                )
                codes.append(data["login"]["userErrors"][0]["code"])
            assert codes[-1] == "TOO_MANY_ATTEMPTS"
    finally:
        await down.close()


@pytest.mark.services
async def test_on_redis_the_session_matrix_holds_and_a_flushed_redis_revives_nothing(
    settings: Settings, factory: Factory
) -> None:
    _, redis_url = require_services()
    from redis.asyncio import Redis

    prefix = f"portal-test-{run_tag()}-sessions:"
    store = RedisStore(redis_url, prefix)
    try:
        async with _app(settings, store) as (_, api):
            team = await _team(factory)
            a0 = await _login(api, team.staff.username)
            a1 = await _refresh(api, a0["refreshToken"])
            await _refresh(api, a0["refreshToken"])  # reuse
            other = await _login(api, team.boss.username)
            await api.data("Logout", {"input": {}}, token=other["accessToken"])
            redis = Redis.from_url(redis_url)
            try:
                async for key in redis.scan_iter(match=prefix + "*"):
                    await redis.delete(key)  # Redis "restarts empty"
            finally:
                await redis.aclose()
            assert await _code(api, a1["accessToken"]) == "TOKEN_REVOKED"
            assert await _code(api, other["accessToken"]) == "TOKEN_REVOKED"
    finally:
        await store.close()


# --- WebSocket ------------------------------------------------------------------------------


@asynccontextmanager
async def _live(
    settings: Settings, store: Store | None = None
) -> AsyncIterator[tuple[Litestar, httpx.AsyncClient, Api]]:
    """An app whose broker also carries the events the services publish."""
    async with app_client(settings, store) as (app, client):
        previous = events.get_broker()
        events.set_broker(app.state.broker)
        try:
            yield app, client, Api(client)
        finally:
            events.set_broker(previous)


@asynccontextmanager
async def _socket(client: httpx.AsyncClient, token: str) -> AsyncIterator[GraphQLWS]:
    async with aconnect_ws(
        "/graphql", client, subprotocols=[PROTOCOL], keepalive_ping_interval_seconds=None
    ) as ws:
        session = GraphQLWS(ws)
        ack = await session.init({"authorization": f"Bearer {token}"})
        assert ack["type"] == "connection_ack", ack
        yield session


async def _subscribed(app: Litestar, session: GraphQLWS, account_id: int) -> str:
    """Subscribe to the viewer's notifications; return once the broker has the subscriber."""
    op_id = await session.subscribe("NotificationReceived")
    channel = f"notifications:{account_id}"
    for _ in range(200):
        if app.state.broker._queues.get(channel):
            return op_id
        await asyncio.sleep(0.01)
    raise AssertionError(f"nobody subscribed to {channel}")


async def _open_thread(api: Api, boss_token: str, staff: Person) -> None:
    body = await api.data(
        "OpenFeedbackThread",
        {
            "input": {
                "employeeId": encode_global_id("Employee", staff.id),
                "topic": "Waktu respon layanan",
                "kind": "IMPROVEMENT",
                "body": "Isi rahasia untuk pegawai",
            }
        },
        token=boss_token,
    )
    assert body["openFeedbackThread"]["userErrors"] == [], body


async def _closed(session: GraphQLWS, op_id: str, within: float = 5) -> WebSocketDisconnect:
    """Wait for the server to close the socket; fail if any ``next`` arrives first."""
    try:
        message = await session.receive(op_id, within=within)
    except WebSocketDisconnect as exc:
        return exc
    raise AssertionError(f"the socket delivered {message} instead of closing")


async def _channel_of(session_token: str) -> int:
    account_id, _ = claims_of(session_token)
    return account_id


async def test_a_subscription_ends_with_the_session_at_logout(
    settings: Settings, factory: Factory
) -> None:
    # the probe: subscribe, logout (HTTP says TOKEN_REVOKED), the supervisor opens a thread:
    # the socket still delivered the message body
    team = await _team(factory)
    async with _live(settings) as (app, client, api):
        staff = await _login(api, team.staff.username)
        boss = await _login(api, team.boss.username)
        async with _socket(client, staff["accessToken"]) as session:
            op_id = await _subscribed(app, session, await _channel_of(staff["accessToken"]))
            await api.data("Logout", {"input": {}}, token=staff["accessToken"])
            await _open_thread(api, boss["accessToken"], team.staff)
            closed = await _closed(session, op_id)
    assert (closed.code, closed.reason) == (4401, "TOKEN_REVOKED")


async def test_an_idle_socket_is_closed_when_its_session_ends(
    settings: Settings, factory: Factory
) -> None:
    team = await _team(factory)
    async with _live(replace(settings, ws_recheck_seconds=0.2)) as (app, client, api):
        staff = await _login(api, team.staff.username)
        async with _socket(client, staff["accessToken"]) as session:
            op_id = await _subscribed(app, session, await _channel_of(staff["accessToken"]))
            await api.data("Logout", {"input": {}}, token=staff["accessToken"])
            closed = await _closed(session, op_id, within=3)
    assert (closed.code, closed.reason) == (4401, "TOKEN_REVOKED")


async def test_a_subscription_ends_when_its_token_expires(
    settings: Settings, factory: Factory
) -> None:
    # the probe: PORTAL_ACCESS_TOKEN_MINUTES=1, 75 s later the socket still delivered
    team = await _team(factory)
    async with _live(settings) as (app, client, api):
        staff = await _login(api, team.staff.username)
        account_id, sid = claims_of(staff["accessToken"])
        short, _ = create_access_token(
            secret=settings.secret_key,
            account_id=account_id,
            session_id=sid,
            lifetime=timedelta(seconds=2),
        )
        async with _socket(client, short) as session:
            op_id = await _subscribed(app, session, account_id)
            closed = await _closed(session, op_id, within=6)
    assert (closed.code, closed.reason) == (4403, "TOKEN_EXPIRED")


async def test_renewing_in_band_keeps_the_socket_and_its_subscriptions(
    settings: Settings, factory: Factory
) -> None:
    team = await _team(factory)
    async with _live(settings) as (app, client, api):
        staff = await _login(api, team.staff.username)
        boss = await _login(api, team.boss.username)
        account_id, sid = claims_of(staff["accessToken"])
        short, _ = create_access_token(
            secret=settings.secret_key,
            account_id=account_id,
            session_id=sid,
            lifetime=timedelta(seconds=2),
        )
        async with _socket(client, short) as session:
            op_id = await _subscribed(app, session, account_id)
            renewed = await _refresh(api, staff["refreshToken"])
            await session.ws.send_json(
                {"type": "ping", "payload": {"authorization": f"Bearer {renewed['accessToken']}"}}
            )
            pong = await session.ws.receive_json(timeout=5)
            assert pong["type"] == "pong", pong
            assert pong["payload"]["renewed"] is True
            assert pong["payload"]["expiresAt"].startswith(renewed["accessTokenExpiresAt"][:16])
            await asyncio.sleep(2.5)  # the first token has expired by now
            await _open_thread(api, boss["accessToken"], team.staff)
            data = await session.next_matching(op_id, lambda _: True, within=5)
            assert data["notificationReceived"]["kind"] == "THREAD_MESSAGE"
            # another account's token is refused in band, and the socket keeps its own
            other = await _login(api, team.boss.username)
            await session.ws.send_json(
                {"type": "ping", "payload": {"authorization": f"Bearer {other['accessToken']}"}}
            )
            refused = await session.ws.receive_json(timeout=5)
            assert refused["payload"] == {"renewed": False, "code": "FORBIDDEN"}
            # a plain ping still gets a plain pong
            await session.ws.send_json({"type": "ping"})
            assert await session.ws.receive_json(timeout=5) == {"type": "pong"}


async def test_refresh_token_reuse_closes_the_sockets_of_the_session(
    settings: Settings, factory: Factory
) -> None:
    team = await _team(factory)
    async with _live(settings) as (app, client, api):
        a0 = await _login(api, team.staff.username)
        boss = await _login(api, team.boss.username)
        a1 = await _refresh(api, a0["refreshToken"])
        async with _socket(client, a1["accessToken"]) as session:
            op_id = await _subscribed(app, session, await _channel_of(a1["accessToken"]))
            await _refresh(api, a0["refreshToken"])  # reuse: a thief and the owner collided
            await _open_thread(api, boss["accessToken"], team.staff)
            closed = await _closed(session, op_id)
    assert (closed.code, closed.reason) == (4401, "TOKEN_REVOKED")


async def test_deactivation_closes_the_socket_before_the_next_event(
    settings: Settings, factory: Factory
) -> None:
    team = await _team(factory)
    async with _live(settings) as (app, client, api):
        staff = await _login(api, team.staff.username)
        boss = await _login(api, team.boss.username)
        async with _socket(client, staff["accessToken"]) as session:
            op_id = await _subscribed(app, session, await _channel_of(staff["accessToken"]))
            await UserAccount.update({UserAccount.active: False}).where(
                UserAccount.username == team.staff.username
            )
            # the services notify active accounts only: publish as if the check were racing
            await notifications.notify_accounts(
                [await _channel_of(staff["accessToken"])], "THREAD_MESSAGE", "t", "secret"
            )
            closed = await _closed(session, op_id)
    assert boss["accessToken"]
    assert (closed.code, closed.reason) == (4401, "ACCOUNT_DISABLED")


async def test_a_socket_whose_session_store_cannot_answer_is_closed_not_fed(
    settings: Settings, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = await _team(factory)
    async with _live(settings) as (app, client, api):
        staff = await _login(api, team.staff.username)
        boss = await _login(api, team.boss.username)
        async with _socket(client, staff["accessToken"]) as session:
            op_id = await _subscribed(app, session, await _channel_of(staff["accessToken"]))
            from portal.accounts import sql

            real = sql.session_record
            _, staff_session = claims_of(staff["accessToken"])

            async def flaky(session_id: str) -> Any:
                if session_id == staff_session:
                    raise ConnectionRefusedError("database down")
                return await real(session_id)

            monkeypatch.setattr(sql, "session_record", flaky)
            await _open_thread(api, boss["accessToken"], team.staff)
            closed = await _closed(session, op_id)
    assert (closed.code, closed.reason) == (4503, "SERVICE_UNAVAILABLE")


@pytest.mark.parametrize("message", ['"hello"', "123", "null", "[]"])
async def test_a_websocket_message_that_is_not_an_object_closes_with_4400(
    settings: Settings, factory: Factory, message: str, caplog: pytest.LogCaptureFixture
) -> None:
    team = await _team(factory)
    async with _live(settings) as (_, client, api):
        staff = await _login(api, team.staff.username)
        async with _socket(client, staff["accessToken"]) as session:
            await session.ws.send_text(message)
            with pytest.raises(WebSocketDisconnect) as closed:
                await session.ws.receive_json(timeout=5)
    assert closed.value.code == 4400
    assert "Traceback" not in caplog.text


async def test_a_websocket_cannot_connect_while_its_session_cannot_be_checked(
    settings: Settings, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = await _team(factory)
    async with _live(settings) as (_, client, api):
        staff = await _login(api, team.staff.username)
        from portal.accounts import sql

        async def unreachable(_: str) -> None:
            raise ConnectionRefusedError("database down")

        monkeypatch.setattr(sql, "session_record", unreachable)
        async with aconnect_ws(
            "/graphql", client, subprotocols=[PROTOCOL], keepalive_ping_interval_seconds=None
        ) as ws:
            await ws.send_json(
                {
                    "type": "connection_init",
                    "payload": {"authorization": f"Bearer {staff['accessToken']}"},
                }
            )
            with pytest.raises(WebSocketDisconnect) as refused:
                await ws.receive_json(timeout=5)
    assert refused.value.code == 4403


async def test_a_token_signed_with_the_formerly_published_key_is_refused(
    api: Api, factory: Factory
) -> None:
    # the probe signed an ADMIN_BKPSDM token with the key written in the source and read the
    # audit log; no such key exists any more, and a token must name a live session anyway
    admin = await factory.admin("admin.city", Role.ADMIN_BKPSDM)
    session = await _login(api, admin)
    account_id, sid = claims_of(session["accessToken"])
    forged, _ = create_access_token(
        secret="development-only-secret-do-not-use-in-production",
        account_id=account_id,
        session_id=sid,
        lifetime=timedelta(minutes=5),
    )
    body = await api.op("AuditLog", {"first": 1}, token=forged)
    assert body["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"


@pytest.mark.services
async def test_on_redis_a_subscription_ends_with_the_session_and_survives_a_renewal(
    settings: Settings, factory: Factory
) -> None:
    # the WebSocket rows with the production wiring: Redis store and Redis pub/sub
    _, redis_url = require_services()
    from redis.asyncio import Redis

    from portal.core.pubsub import RedisBroker

    prefix = f"portal-test-{run_tag()}-ws-sessions:"
    store = RedisStore(redis_url, prefix)
    team = await _team(factory)
    async with _live(settings, store) as (app, client, api):
        await app.state.broker.close()
        app.state.broker = RedisBroker(redis_url, prefix + "events:")
        events.set_broker(app.state.broker)
        redis = Redis.from_url(redis_url)
        try:
            staff = await _login(api, team.staff.username)
            boss = await _login(api, team.boss.username)
            account_id, _ = claims_of(staff["accessToken"])
            channel = f"{prefix}events:notifications:{account_id}"
            async with _socket(client, staff["accessToken"]) as session:
                op_id = await session.subscribe("NotificationReceived")
                for _ in range(500):
                    ((_, count),) = await redis.pubsub_numsub(channel)
                    if count:
                        break
                    await asyncio.sleep(0.01)
                renewed = await _refresh(api, staff["refreshToken"])
                await session.ws.send_json(
                    {
                        "type": "ping",
                        "payload": {"authorization": f"Bearer {renewed['accessToken']}"},
                    }
                )
                assert (await session.ws.receive_json(timeout=5))["payload"]["renewed"] is True
                await _open_thread(api, boss["accessToken"], team.staff)
                data = await session.next_matching(op_id, lambda _: True, within=10)
                assert data["notificationReceived"]["kind"] == "THREAD_MESSAGE"
                await api.data("Logout", {"input": {}}, token=renewed["accessToken"])
                await _open_thread(api, boss["accessToken"], team.staff)
                closed = await _closed(session, op_id, within=10)
        finally:
            await redis.aclose()
            await app.state.broker.close()
    await store.close()
    assert (closed.code, closed.reason) == (4401, "TOKEN_REVOKED")


async def test_a_token_of_the_previous_format_with_roles_and_no_session_is_refused(
    api: Api, factory: Factory, settings: Settings
) -> None:
    # tokens issued before sessions existed carried their roles; they name no session now
    import jwt

    admin = await factory.admin("admin.city", Role.ADMIN_BKPSDM)
    session = await _login(api, admin)
    account_id, _ = claims_of(session["accessToken"])
    now = int(datetime.now(UTC).timestamp())
    legacy = jwt.encode(
        {
            "sub": str(account_id),
            "jti": "0" * 32,
            "iat": now,
            "exp": now + 600,
            "aud": "kinerja-portal",
            "usr": admin,
            "rol": ["ADMIN_BKPSDM"],
            "aop": [],
        },
        settings.secret_key,
        algorithm="HS256",
    )
    assert await _code(api, legacy) == "INVALID_TOKEN"
