"""Every screen answers when more requests are in flight than the pool holds connections.

A request that holds a pooled connection (a transaction, or ``one_connection``) and then waits
for a second one (a DataLoader's batch runs in a task of its own, on a connection of its own)
works alone, but a full pool of such requests waits on itself until the operation's time limit:
EmployeeHome did so at 15 concurrent requests on the 13 000-employee city (bench/RESULTS.md,
2026-12-07). Here one worker gets a pool of two connections and no response cache (plain
execution every time), and every query operation that needs no variables is sent by several
people at once; none may time out or fail inside.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from graphql import NonNullTypeNode, OperationDefinitionNode, OperationType, parse

from support.api import operations
from support.services import require_services
from support.workers import Worker, portal_command, portal_env, recreate_database, workers

pytestmark = pytest.mark.services

PASSWORD = "Tangsel#2026"  # the documented demo password
PEOPLE = ("pegawai", "atasan", "admin.bkpsdm", "sosialisasi")
IN_FLIGHT = 8  # concurrent requests per operation: four times the pool
FAILURES = {"TIMEOUT", "INTERNAL_ERROR", "SERVICE_UNAVAILABLE"}


def screens() -> dict[str, str]:
    """Query operations whose variables are all optional (what a screen sends on opening)."""
    found = {}
    for name, document in operations().items():
        node = next(
            d
            for d in parse(document).definitions
            if isinstance(d, OperationDefinitionNode) and d.name and d.name.value == name
        )
        required = [
            v
            for v in node.variable_definitions or ()
            if isinstance(v.type, NonNullTypeNode) and v.default_value is None
        ]
        if node.operation == OperationType.QUERY and not required:
            found[name] = document
    return found


@pytest.fixture(scope="module")
def worker() -> Iterator[Worker]:
    pg, redis_url = require_services()
    database = recreate_database(pg, "test_e2e_pool_pressure")
    env = portal_env(database, redis_url)
    portal_command("demo", "--no-serve", "--employees", "60", env=env)
    env.update(
        PORTAL_DB_POOL_MAX="2",
        PORTAL_RESPONSE_CACHE="0",
        PORTAL_OPERATION_TIMEOUT_SECONDS="5",
        PORTAL_RATE_LIMIT_PER_MINUTE="0",
    )
    with workers(1, env) as started:
        yield started[0]


async def _burst(
    client: httpx.AsyncClient, token: str, name: str, document: str
) -> list[dict[str, Any]]:
    body = {"query": document, "operationName": name, "variables": {}}
    headers = {"Authorization": f"Bearer {token}"}
    answers = await asyncio.gather(
        *(client.post("/graphql", json=body, headers=headers) for _ in range(IN_FLIGHT))
    )
    return [{"status": a.status_code, **a.json()} for a in answers]


async def _sweep(url: str) -> list[str]:
    problems = []
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for username in PEOPLE:
            login = {"input": {"username": username, "password": PASSWORD}}
            answer = await client.post(
                "/graphql",
                json={"query": operations()["Login"], "operationName": "Login", "variables": login},
            )
            token = answer.json()["data"]["login"]["accessToken"]
            for name, document in screens().items():
                for reply in await _burst(client, token, name, document):
                    codes = {e.get("extensions", {}).get("code") for e in reply.get("errors", [])}
                    if reply["status"] != 200 or codes & FAILURES:
                        problems.append(f"{username} {name}: {reply['status']} {sorted(codes)}")
    return problems


def test_no_screen_waits_on_itself_when_the_pool_is_full(worker: Worker) -> None:
    # given one worker with a pool of two connections, and the screens people open
    assert {"EmployeeHome", "SupervisorDashboard", "TeamProgress", "MySkp"} <= set(screens())

    # when four people each open every screen eight times at once
    problems = asyncio.run(_sweep(worker.url))

    # then every answer came back without a time-out or an internal failure
    assert problems == []
