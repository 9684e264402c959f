"""A database that goes away is an outage the client may retry, not a bug.

Lost connections surface as HTTP 503 with ``Retry-After`` and ``SERVICE_UNAVAILABLE`` (GraphQL
and plain endpoints alike); a transaction whose connection dies gives the connection back to the
pool and leaves the task without a current transaction; on SQLite a process runs one write
transaction at a time. End to end (real restarts, killed workers): tests/e2e/test_faults.py.
"""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace
from typing import Any

import pytest
from asyncpg.exceptions import (
    AdminShutdownError,
    CannotConnectNowError,
    ConnectionDoesNotExistError,
    UniqueViolationError,
)

from portal.core import clock
from portal.core.db import database_unavailable, get_engine, in_transaction, transaction
from portal.core.errors import DomainError, ServiceUnavailableError
from portal.performance.planning.services import activities
from portal.performance.tables import Period
from portal.settings import Settings
from support.api import Api, operations
from support.apps import app_client
from support.factories import PASSWORD, Factory


def _chained(outer: Exception, cause: Exception) -> Exception:
    outer.__cause__ = cause
    return outer


@pytest.mark.parametrize(
    "exc",
    [
        ConnectionRefusedError(111, "Connection refused"),
        ConnectionResetError(104, "reset by peer"),
        ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        CannotConnectNowError("the database system is starting up"),
        AdminShutdownError("terminating connection due to administrator command"),
        ServiceUnavailableError("database connection lost"),
        sqlite3.OperationalError("database is locked"),
        _chained(RuntimeError("wrapped"), ConnectionRefusedError(111, "refused")),
    ],
)
def test_outages_are_recognised(exc: Exception) -> None:
    assert database_unavailable(exc)


@pytest.mark.parametrize(
    "exc",
    [
        RuntimeError("connection lost"),  # a message is not a cause
        ValueError("bad"),
        UniqueViolationError("duplicate key"),
        sqlite3.IntegrityError("UNIQUE constraint failed"),
        DomainError.single("NOT_FOUND", "x"),
        FileNotFoundError("export.csv"),
    ],
)
def test_other_failures_are_not_outages(exc: Exception) -> None:
    assert not database_unavailable(exc)


async def _employee_token(api: Api, factory: Factory) -> str:
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    return await api.login(person.nip, PASSWORD)


async def test_a_lost_connection_under_a_mutation_is_a_503_with_retry_after(
    api: Api, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a database that refuses connections while an activity is logged
    token = await _employee_token(api, factory)

    async def refused(*_: Any, **__: Any) -> None:
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(activities, "log_activity", refused)
    variables = {
        "input": {
            "idempotencyKey": "outage-1",
            "activity": {
                "activityDate": clock.today().isoformat(),
                "description": "Pelayanan administrasi",
                "quantity": 1,
                "unit": "berkas",
            },
        }
    }

    # when the client logs it
    response = await api.client.post(
        "/graphql",
        json={
            "query": operations()["LogActivity"],
            "variables": variables,
            "operationName": "LogActivity",
        },
        headers={"Authorization": f"Bearer {token}"},
    )

    # then it is told to retry later, with a typed error and no internals
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "1"
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert "Connection refused" not in response.text


async def test_a_lost_connection_under_a_plain_endpoint_is_a_503(
    api: Api, factory: Factory, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = await _employee_token(api, factory)

    def starting_up() -> None:
        raise CannotConnectNowError("the database system is starting up")

    monkeypatch.setattr(clock, "today", starting_up)  # the dashboard reads the date first
    async with app_client(replace(settings, bench_endpoints=True)) as (_, client):
        response = await client.get(
            "/api/team-dashboard", headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "1"
    assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"


async def test_a_transaction_whose_connection_dies_gives_it_back(api: Api, db: None) -> None:
    # given PostgreSQL with the app's pool open
    engine = get_engine()
    pool = getattr(engine, "pool", None)
    if pool is None:
        pytest.skip("PostgreSQL only: SQLite has no server connection to lose")

    async def interrupted() -> None:
        async with transaction():
            (row,) = await Period.raw("SELECT pg_backend_pid() AS pid")
            killer = await engine.get_new_connection()
            try:
                await killer.execute("SELECT pg_terminate_backend($1)", row["pid"])
            finally:
                await killer.close()
            await Period.count()

    # when the server ends the session of an open transaction, and the transaction goes on
    with pytest.raises(ServiceUnavailableError):
        await interrupted()

    # then the task has no transaction left, the pool has no connection checked out, and the
    # next transaction works on a fresh connection
    assert not in_transaction()
    assert pool.get_idle_size() == pool.get_size()
    async with transaction():
        assert await Period.count() == 0


async def test_sqlite_runs_one_write_transaction_at_a_time_per_process(api: Api, db: None) -> None:
    if getattr(get_engine(), "pool", None) is not None:
        pytest.skip("SQLite only")
    inside = 0
    most = 0

    async def write(n: int) -> None:
        nonlocal inside, most
        async with transaction():
            inside += 1
            most = max(most, inside)
            await Period.raw("SELECT 1")
            await asyncio.sleep(0.005)
            inside -= 1

    await asyncio.gather(*(write(n) for n in range(20)))
    assert most == 1
