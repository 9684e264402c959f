"""Response-cache hit rate under a write mix: one global data version vs per-employee versions.

Runs the app in this process on a seeded database (``portal demo --no-serve``; SQLite or
PostgreSQL from ``PORTAL_DATABASE_URL``), with an in-memory store. A seeded random schedule
mixes reads and writes the way a working day does: ``--writers`` employees log activities
(``LogActivity``, the frequent write) while ``--supervisors`` supervisors read their dashboard
(``SupervisorDashboard``, ``TeamProgress``) and ``--employees`` employees their home
(``EmployeeHome``), ``--writes-per-read`` writes for every read. Some writers are in the
readers' teams (the city's share: the people are drawn from the whole city).

The same schedule runs in two modes, alternating, on two apps of the same process:

* ``global``: every committed write moves the one global version (the design before per-employee
  versions; the scoped writes' declarations are ignored, :func:`global_only`);
* ``scoped``: the writes' declared scopes move only those employees' versions.

Printed per mode: the reads, the hits, the hit rate and the mean read latency (ms, wall clock;
the machine is shared: compare the two modes of one run, not runs)::

    PORTAL_DATABASE_URL=sqlite:////tmp/bench/portal.sqlite PORTAL_RATE_LIMIT_PER_MINUTE=0 \\
        python -m bench.cache_versions --writers 40 --supervisors 10 --employees 10 \\
        --events 600 --writes-per-read 1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import statistics
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
from litestar.testing import AsyncTestClient

from bench.load import login, operation
from portal.accounts.tables import UserAccount
from portal.app import create_app
from portal.core import response_cache
from portal.core.db import set_write_listener
from portal.people.tables import Employee
from portal.settings import get_settings

READS = {"supervisor": ("SupervisorDashboard", "TeamProgress"), "employee": ("EmployeeHome",)}


@contextmanager
def global_only() -> Iterator[None]:
    """Every write moves the global version, whatever it declared (the design before)."""
    bump = response_cache.bump_all

    async def everything(_employee_ids: frozenset[int] | None = None) -> None:
        await bump(None)

    set_write_listener(everything)
    try:
        yield
    finally:
        set_write_listener(bump)


async def people(n_writers: int, n_supervisors: int, n_employees: int, seed: int) -> dict[str, Any]:
    """Usernames drawn from the whole city: writers, supervisors (with a team), employees."""
    rng = random.Random(seed)
    accounts = await UserAccount.select(UserAccount.username, UserAccount.employee).where(
        UserAccount.employee.is_not_null()
    )
    by_employee = {r["employee"]: r["username"] for r in accounts}
    bosses = {
        r["supervisor"]
        for r in await Employee.select(Employee.supervisor).where(Employee.supervisor.is_not_null())
    }
    supervisors = sorted(by_employee[e] for e in bosses if e in by_employee)
    staff = sorted(u for e, u in by_employee.items() if e not in bosses)
    return {
        "writers": rng.sample(staff, n_writers),
        "supervisor": rng.sample(supervisors, n_supervisors),
        "employee": rng.sample(staff, n_employees),
    }


def schedule(who: dict[str, Any], events: int, writes_per_read: float, seed: int) -> list[Any]:
    """The day's events in order: ``("write", user)`` or ``("read", user, operation)``."""
    rng = random.Random(seed)
    readers = [("supervisor", u) for u in who["supervisor"]] + [
        ("employee", u) for u in who["employee"]
    ]
    out: list[Any] = []
    for _ in range(events):
        if rng.random() < writes_per_read / (1 + writes_per_read):
            out.append(("write", rng.choice(who["writers"])))
        else:
            kind, user = rng.choice(readers)
            out.append(("read", user, rng.choice(READS[kind])))
    return out


def _check(response: httpx.Response) -> None:
    body = response.json() if response.status_code == 200 else None
    if (
        body is None
        or body.get("errors")
        or any(
            isinstance(v, dict) and v.get("userErrors") for v in (body.get("data") or {}).values()
        )
    ):
        raise SystemExit(f"request failed: {response.text[:500]}")


async def run_mode(
    client: httpx.AsyncClient,
    tokens: dict[str, str],
    events: list[Any],
    log_date: str,
    hits: list[bool],
) -> dict[str, Any]:
    """Play the schedule; the reads' hit rate and latency."""
    first = len(hits)
    latencies: list[float] = []
    for event in events:
        if event[0] == "write":
            variables = {
                "input": {
                    "idempotencyKey": f"versions-{uuid.uuid4()}",
                    "activity": {
                        "activityDate": log_date,
                        "description": "Pelayanan imunisasi (benchmark)",
                        "quantity": 3,
                        "unit": "dosis vaksin",
                    },
                }
            }
            body = {"query": operation("LogActivity"), "variables": variables}
            response = await client.post(
                "/graphql", json=body, headers={"Authorization": f"Bearer {tokens[event[1]]}"}
            )
            _check(response)
        else:
            name = event[2]
            body = {"query": operation(name), "operationName": name, "variables": {}}
            started = time.perf_counter()
            response = await client.post(
                "/graphql", json=body, headers={"Authorization": f"Bearer {tokens[event[1]]}"}
            )
            latencies.append((time.perf_counter() - started) * 1000)
            _check(response)
    reads = hits[first:]
    return {
        "reads": len(reads),
        "hits": sum(reads),
        "hit_rate": round(sum(reads) / max(len(reads), 1), 3),
        "read_ms_mean": round(statistics.fmean(latencies), 2) if latencies else None,
    }


async def main() -> None:
    """Parse arguments, play the schedule in both modes (alternating rounds), print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writers", type=int, default=40)
    parser.add_argument("--supervisors", type=int, default=10)
    parser.add_argument("--employees", type=int, default=10)
    parser.add_argument("--events", type=int, default=600, help="events per mode and round")
    parser.add_argument("--writes-per-read", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--log-date", default=datetime.now(UTC).date().isoformat())
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = get_settings()
    if not settings.response_cache:
        raise SystemExit("PORTAL_RESPONSE_CACHE=0 measures nothing here")
    app = create_app(settings)
    hits: list[bool] = []
    lookup = response_cache.ResponseCache.lookup

    async def counted(self: response_cache.ResponseCache, key: str, **kwargs: Any) -> Any:
        found = await lookup(self, key, **kwargs)
        hits.append(found[0] is not None)
        return found

    response_cache.ResponseCache.lookup = counted  # type: ignore[method-assign]
    totals: dict[str, list[dict[str, Any]]] = {"global": [], "scoped": []}
    async with AsyncTestClient(app=app, timeout=120) as client:
        who = await people(args.writers, args.supervisors, args.employees, args.seed)
        users = sorted({*who["writers"], *who["supervisor"], *who["employee"]})
        tokens = {u: await login(client, u) for u in users}
        for round_ in range(args.rounds):
            events = schedule(who, args.events, args.writes_per_read, args.seed + round_)
            order = ("global", "scoped") if round_ % 2 == 0 else ("scoped", "global")
            for mode in order:
                # a cold start each: nothing the other mode stored is current
                await app.state.store.incr(response_cache.VERSION_KEY, 3600)
                play = run_mode(client, tokens, events, args.log_date, hits)
                if mode == "global":
                    with global_only():
                        totals[mode].append(await play)
                else:
                    totals[mode].append(await play)
    summary: dict[str, Any] = {"args": vars(args)}
    for mode, runs in totals.items():
        reads = sum(r["reads"] for r in runs)
        found = sum(r["hits"] for r in runs)
        summary[mode] = {
            "reads": reads,
            "hits": found,
            "hit_rate": round(found / max(reads, 1), 3),
            "read_ms_mean": round(statistics.fmean(r["read_ms_mean"] for r in runs), 2),
        }
    summary["read_ms_ratio_global_over_scoped"] = round(
        summary["global"]["read_ms_mean"] / summary["scoped"]["read_ms_mean"], 2
    )
    print(json.dumps(summary))


if __name__ == "__main__":
    asyncio.run(main())
