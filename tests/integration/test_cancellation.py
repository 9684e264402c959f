"""A request cancelled in the middle of its SQL leaves nothing behind in the database.

Twice a PostgreSQL test run hung in a ``TRUNCATE`` queued behind a pooled connection whose
cancelled query still held its lock. Here requests are cancelled while a statement runs (a
``pg_sleep``, a large result streaming to the app) or while a write transaction waits between
statements, in every way a request is cancelled: by the operation timeout, by a cancelled task,
by an anyio cancel scope (which re-delivers the cancellation at every await until it exits), and
by a client hanging up on a real uvicorn server. Afterwards, from outside the app:

- PostgreSQL: no session of the app runs a statement, sits in a transaction or waits in
  ``ClientWrite``; none holds a lock; the pool has nothing on loan; the table the request used
  can be locked ``ACCESS EXCLUSIVE`` (what ``TRUNCATE`` takes) by a connection of the test's own;
- SQLite: another connection may take the write lock at once, and no connection is open;
- both: the next transaction of the app runs, and the cancelled write was rolled back.

The slow step is a patched service function, the way tests/integration/test_limits.py stalls a
mutation; the production schema is untouched.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from dataclasses import dataclass, replace
from typing import Any

import anyio
import asyncpg
import httpx
import pytest

from portal.core.db import get_engine, in_transaction, transaction
from portal.feedback import service as feedback_service
from portal.feedback.tables import FeedbackMessage, FeedbackThread
from portal.people.tables import Employee
from portal.settings import Settings
from support.api import Api, operations
from support.apps import app_client, serve
from support.factories import PASSWORD, Factory, Person
from support.performance_builders import gid

BOUND = 5.0  # seconds the database may take to be clean again after a cancellation
TIMEOUT = 2.0  # the operation timeout where a test relies on it (ample for a loaded CI)
MARKER = "/* cancellation-test */"  # ends each slow statement, to find it in pg_stat_activity


@dataclass(frozen=True)
class Slow:
    """Where a request stalls: in ``sql`` (PostgreSQL only), or between statements if None."""

    sql: str | None
    table: str  # locked by the request meanwhile
    write: bool  # inside the write transaction of OpenFeedbackThread, else a read outside one


CASES = pytest.mark.parametrize(
    "slow",
    [
        pytest.param(
            Slow(
                "SELECT pg_sleep(30), min(id) FROM employee /* cancellation-test */",
                "employee",
                write=False,
            ),
            id="sleeping-read",
        ),
        pytest.param(
            # Rows as fast as the server makes them: it waits in ClientWrite for the app to read
            # on. Five seconds' worth at most (a few hundred MB), should nothing cancel it.
            Slow(
                "SELECT g, repeat('x', 50) AS pad, e FROM"
                " (SELECT generate_series(1, 50000000) AS g, (SELECT min(id) FROM employee) AS e) s"
                " WHERE clock_timestamp() < statement_timestamp() + interval '5 s'"
                " /* cancellation-test */",
                "employee",
                write=False,
            ),
            id="streaming-read",
        ),
        pytest.param(
            # after the thread and its first message are inserted, before the COMMIT
            Slow(
                "SELECT pg_sleep(30) FROM feedback_thread /* cancellation-test */",
                "feedback_thread",
                write=True,
            ),
            id="write-in-statement",
        ),
        pytest.param(Slow(None, "feedback_thread", write=True), id="write-between-statements"),
    ],
)


# --- the request and its slow step ----------------------------------------------------------


@dataclass(frozen=True)
class World:
    """A supervisor, who sends the requests, and their staff member."""

    boss: Person
    staff: Person


async def _world(factory: Factory) -> World:
    unit = await factory.unor(await factory.opd())
    boss = await factory.employee(unit)
    return World(boss=boss, staff=await factory.employee(unit, supervisor=boss))


def _body(slow: Slow, world: World) -> dict[str, Any]:
    """The GraphQL request whose service stalls."""
    if not slow.write:
        return {"query": "query Unread { unreadFeedbackCount }", "operationName": "Unread"}
    variables = {
        "input": {
            "employeeId": gid("Employee", world.staff.id),
            "topic": "Waktu respon layanan",
            "kind": "IMPROVEMENT",
            "body": "Mohon dipercepat.",
        }
    }
    name = "OpenFeedbackThread"
    return {"query": operations()[name], "variables": variables, "operationName": name}


async def _send(api: Api, slow: Slow, world: World, token: str) -> dict[str, Any]:
    body = _body(slow, world)
    return await api.raw(
        body["query"], body.get("variables"), token=token, operation_name=body["operationName"]
    )


def _stall_in(slow: Slow, monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """Make the request's service stall in the slow step; the event says it got there."""
    started = asyncio.Event()

    async def stall(*_: object) -> list[tuple[int, int]]:
        assert in_transaction() is slow.write
        started.set()
        if slow.sql is None:
            await asyncio.sleep(30)
        else:
            await Employee.raw(slow.sql)  # through the app's engine: pooled, or the transaction's
        return []  # an empty inbox (publish_after_commit's answer is not used)

    # inbox_unread answers unreadFeedbackCount (the inbox with its unread counts, through the
    # request's loader); publish_after_commit runs inside the transaction
    name = "publish_after_commit" if slow.write else "inbox_unread"
    monkeypatch.setattr(feedback_service, name, stall)
    return started


# --- what "nothing left behind" means -------------------------------------------------------


@dataclass
class Observer:
    """Looks at the database from outside the app (on PostgreSQL, with a connection of its own)."""

    settings: Settings
    checker: asyncpg.Connection | None

    async def running(self, slow: Slow, started: asyncio.Event) -> None:
        """Wait until the request is in its slow step (the statement runs on the server)."""
        async with asyncio.timeout(5):
            await started.wait()
            while self.checker is not None and slow.sql is not None:
                row = await self.checker.fetchrow(
                    "SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1"
                    " AND pid <> pg_backend_pid()",
                    f"%{MARKER}%",
                )
                if row is not None:
                    return
                await asyncio.sleep(0.02)

    async def assert_clean(self, slow: Slow, *, within: float = BOUND) -> None:
        """Fail unless nothing is left behind ``within`` seconds from now."""
        started = time.perf_counter()
        while leftovers := await self._leftovers():
            if time.perf_counter() - started > within:
                pytest.fail(f"{within} s after the cancellation: {leftovers}")
            await asyncio.sleep(0.05)
        if self.checker is not None:
            async with self.checker.transaction():
                await self.checker.execute("SET LOCAL lock_timeout = '3s'")
                await self.checker.execute(f"LOCK TABLE {slow.table} IN ACCESS EXCLUSIVE MODE")
            rows = await get_engine()._run_in_pool("SELECT 1 AS one")  # type: ignore[attr-defined]
            assert rows[0]["one"] == 1
        async with asyncio.timeout(BOUND), transaction():  # the app's next write transaction
            assert await FeedbackThread.count() == 0
            assert await FeedbackMessage.count() == 0

    async def _leftovers(self) -> list[str]:
        if self.checker is None:
            try:  # timeout=0: fail at once instead of waiting for the lock
                with closing(sqlite3.connect(self.settings.sqlite_path, timeout=0)) as conn:
                    conn.execute("BEGIN IMMEDIATE")
                    conn.rollback()
            except sqlite3.OperationalError as exc:
                return [f"write lock: {exc}"]
            # aiosqlite gives each connection a thread of its own; the app closes them all
            return [t.name for t in threading.enumerate() if "_connection_worker" in t.name]
        busy = await self.checker.fetch(
            "SELECT pid, state, wait_event, left(query, 60) AS query FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend'"
            " AND (state <> 'idle' OR wait_event = 'ClientWrite')"
        )
        locks = await self.checker.fetch(
            "SELECT l.pid, l.locktype, l.relation::regclass::text AS relation, l.mode"
            " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE a.datname = current_database() AND l.pid <> pg_backend_pid()"
        )
        pool = get_engine().pool  # type: ignore[attr-defined]
        loans = pool.get_size() - pool.get_idle_size()
        return [repr(dict(row)) for row in [*busy, *locks]] + [f"{loans} loaned"] * bool(loans)


@asynccontextmanager
async def _observer(settings: Settings, slow: Slow) -> AsyncIterator[Observer]:
    if slow.sql is not None and not settings.is_postgres:
        # and aiosqlite runs a statement to its end in its thread, whoever stopped waiting
        pytest.skip("PostgreSQL only: SQLite has no pg_sleep and no server-side statement")
    if not settings.is_postgres:
        yield Observer(settings, None)
        return
    checker = await asyncpg.connect(settings.database_url)
    try:
        yield Observer(settings, checker)
    finally:
        await checker.close()


# --- the ways a request is cancelled ----------------------------------------------------------


@CASES
async def test_the_operation_timeout_leaves_nothing_behind(
    settings: Settings,
    client: httpx.AsyncClient,
    factory: Factory,
    monkeypatch: pytest.MonkeyPatch,
    slow: Slow,
) -> None:
    """``client`` starts the app, and with it the connection pool."""
    world = await _world(factory)
    async with (
        _observer(settings, slow) as db,
        app_client(replace(settings, operation_timeout_seconds=TIMEOUT)) as (_, app),
    ):
        api = Api(app)
        token = await api.login(world.boss.nip, PASSWORD)
        stalled = asyncio.create_task(db.running(slow, _stall_in(slow, monkeypatch)))
        started = time.perf_counter()
        body = await _send(api, slow, world, token)
        answered = time.perf_counter() - started
        await stalled  # the request did get to its slow step
        await db.assert_clean(slow)
    assert body["errors"][0]["extensions"]["code"] == "TIMEOUT", body
    assert answered < TIMEOUT + BOUND
    assert not in_transaction()


@CASES
async def test_a_cancelled_request_task_leaves_nothing_behind(
    settings: Settings,
    client: httpx.AsyncClient,
    factory: Factory,
    monkeypatch: pytest.MonkeyPatch,
    slow: Slow,
) -> None:
    """The task running the handler is cancelled once (as a server shutting down does)."""
    world = await _world(factory)
    async with _observer(settings, slow) as db, app_client(settings) as (_, app):
        api = Api(app)
        token = await api.login(world.boss.nip, PASSWORD)
        started = _stall_in(slow, monkeypatch)
        request = asyncio.create_task(_send(api, slow, world, token))
        await db.running(slow, started)
        request.cancel()
        with pytest.raises(asyncio.CancelledError):
            await request
        await db.assert_clean(slow)


@CASES
async def test_a_repeatedly_delivered_cancellation_leaves_nothing_behind(
    settings: Settings,
    client: httpx.AsyncClient,
    factory: Factory,
    monkeypatch: pytest.MonkeyPatch,
    slow: Slow,
) -> None:
    """An anyio cancel scope cancels again at every await, the rollback's included."""
    world = await _world(factory)
    async with _observer(settings, slow) as db, app_client(settings) as (_, app):
        api = Api(app)
        token = await api.login(world.boss.nip, PASSWORD)
        started = _stall_in(slow, monkeypatch)
        scope = anyio.CancelScope()

        async def in_scope() -> None:
            with scope:
                await _send(api, slow, world, token)

        request = asyncio.create_task(in_scope())
        await db.running(slow, started)
        scope.cancel()
        await request  # the scope swallows its own cancellation
        assert scope.cancelled_caught
        await db.assert_clean(slow)


@CASES
async def test_a_client_hanging_up_leaves_nothing_behind(
    settings: Settings,
    client: httpx.AsyncClient,
    factory: Factory,
    monkeypatch: pytest.MonkeyPatch,
    slow: Slow,
) -> None:
    """A real uvicorn server; the client closes its socket while the request stalls.

    Neither uvicorn nor Litestar cancels a request whose client went away: it runs on until it
    ends or its time budget runs out, so the bound here counts from the hang-up plus TIMEOUT.
    """
    world = await _world(factory)
    limited = replace(settings, operation_timeout_seconds=TIMEOUT)
    async with _observer(settings, slow) as db, app_client(limited) as (app, local):
        token = await Api(local).login(world.boss.nip, PASSWORD)
        started = _stall_in(slow, monkeypatch)
        async with serve(app) as base_url:
            url = httpx.URL(base_url)
            payload = json.dumps(_body(slow, world)).encode()
            head = (
                f"POST /graphql HTTP/1.1\r\nHost: {url.host}:{url.port}\r\n"
                f"Content-Type: application/json\r\nAuthorization: Bearer {token}\r\n"
                f"Content-Length: {len(payload)}\r\n\r\n"
            )
            _, writer = await asyncio.open_connection(url.host, url.port)
            writer.write(head.encode() + payload)
            await writer.drain()
            await db.running(slow, started)
            writer.close()
            await writer.wait_closed()
            await db.assert_clean(slow, within=TIMEOUT + BOUND)
