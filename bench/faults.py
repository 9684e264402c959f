"""Fault runs: a write load against real workers while a worker dies or PostgreSQL restarts.

Every client is one employee logging activities under fresh idempotency keys and resending a
failed request with the same key (tests/support/faults.py, shared with tests/e2e/test_faults.py).
At the end the clients' acknowledgements are reconciled with the activity table.

Scenarios:

- ``kill``: two workers on a fresh database of the PostgreSQL server ``--pg`` with Redis
  ``--redis``; one worker is SIGKILLed ``--kill-after`` seconds in, clients fail over.
- ``restart``: one worker on a private PostgreSQL cluster (initdb in a temporary directory,
  needs the server binaries); the server restarts (fast mode) every ``--restart-every`` seconds.
- ``sqlite``: two workers on one SQLite file; half the clients' supervisors verify meanwhile.

Prints one JSON object. Examples::

    python bench/faults.py --scenario kill --seconds 30 --clients 20
    python bench/faults.py --scenario restart --seconds 30 --clients 20 --restart-every 6
    python bench/faults.py --scenario sqlite --seconds 30 --clients 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the fault machinery lives with the tests

from support import faults  # noqa: E402
from support.workers import recreate_database  # noqa: E402


@contextmanager
def _logs(args: argparse.Namespace) -> Iterator[Path]:
    """Where the workers write their output: ``--logs`` (kept) or a temporary directory."""
    if args.logs:
        args.logs.mkdir(parents=True, exist_ok=True)
        yield args.logs
        return
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


def _run_id(scenario: str) -> str:
    return f"bench-{scenario}-{uuid.uuid4().hex[:8]}"


def _result(
    scenario: str, report: faults.LoadReport, database: str, run_id: str, **extra: Any
) -> dict[str, Any]:
    found = faults.reconcile(report, faults.stored_activities(database, run_id))
    return {
        "scenario": scenario,
        "clients": report.summary(),
        "database": found.summary(),
        **extra,
        "unexpected_samples": report.unexpected[:3],
    }


async def kill(args: argparse.Namespace) -> dict[str, Any]:
    """Two workers, one SIGKILLed mid-load."""
    name = f"bench_faults_{os.getpid()}"
    database = await asyncio.to_thread(recreate_database, args.pg, name)
    env = faults.fault_env(database, args.redis)
    run_id = _run_id("kill")
    with (
        _logs(args) as logs,
        faults.seeded_workers(2, env, logs, teams=1, members=args.clients) as (pair, world),
    ):
        doomed, survivor = pair
        tokens = await asyncio.gather(
            *(faults.login(survivor.url, m, world.password) for m in world.members)
        )
        load = faults.WriteLoad([doomed.url, survivor.url], tokens, run_id)
        running = asyncio.create_task(load.run())
        await asyncio.sleep(args.kill_after)
        killed_at = time.monotonic()
        doomed.process.kill()
        await asyncio.to_thread(doomed.process.wait)
        await asyncio.sleep(max(0.0, args.seconds - args.kill_after))
        load.stop.set()
        report = await running
    result = await asyncio.to_thread(
        _result,
        "kill",
        report,
        database,
        run_id,
        acknowledged_after_kill=sum(1 for at, ok in report.attempts if ok and at > killed_at),
    )
    await asyncio.to_thread(faults.drop_database, args.pg, name)
    return result


async def restart(args: argparse.Namespace) -> dict[str, Any]:
    """One worker on a private PostgreSQL server that restarts periodically."""
    run_id = _run_id("restart")
    with faults.private_postgres() as server:
        database = await asyncio.to_thread(recreate_database, server.admin_url, "faults")
        env = faults.fault_env(database)
        with (
            _logs(args) as logs,
            faults.seeded_workers(1, env, logs, teams=1, members=args.clients) as (
                (worker,),
                world,
            ),
        ):
            tokens = await asyncio.gather(
                *(faults.login(worker.url, m, world.password) for m in world.members)
            )
            load = faults.WriteLoad([worker.url], tokens, run_id)
            running = asyncio.create_task(load.run())
            end = time.monotonic() + args.seconds
            restarts: list[tuple[float, float]] = []
            while time.monotonic() + args.restart_every < end:
                await asyncio.sleep(args.restart_every)
                at = time.monotonic()
                await asyncio.to_thread(server.restart)
                restarts.append((at, time.monotonic() - at))
            await asyncio.sleep(max(0.0, end - time.monotonic()))
            load.stop.set()
            report = await running
        outages = [report.outage_after(at) for at, _ in restarts]
        return await asyncio.to_thread(
            _result,
            "restart",
            report,
            database,
            run_id,
            restarts=len(restarts),
            restart_seconds=[round(took, 2) for _, took in restarts],
            outage_seconds=[None if o is None else round(o, 2) for o in outages],
        )


async def sqlite(args: argparse.Namespace) -> dict[str, Any]:
    """Two workers on one SQLite file; employees log while their supervisors verify."""
    run_id = _run_id("sqlite")
    with tempfile.TemporaryDirectory() as tmp, _logs(args) as logs:
        database = f"sqlite:///{tmp}/faults.sqlite"
        env = faults.fault_env(database)
        members = max(1, args.clients // 2)
        with faults.seeded_workers(2, env, logs, teams=2, members=members) as (pair, world):
            urls = [w.url for w in pair]
            tokens = await asyncio.gather(
                *(faults.login(urls[0], m, world.password) for m in world.members)
            )
            verifiers = []
            for t, team in enumerate(world.teams):
                supervisor = await faults.login(urls[1], team.supervisor, world.password)
                verifiers.append((supervisor, range(t * members, (t + 1) * members)))
            load = faults.WriteLoad(urls, tokens, run_id, verifiers=verifiers)
            report = await load.run(seconds=args.seconds)
            locked = sum(
                (logs / f"worker-{i}.log").read_text().count(faults.LOCKED) for i in range(2)
            )
        return _result("sqlite", report, database, run_id, database_is_locked_in_logs=locked)


def main() -> None:
    """Parse arguments, run the scenario, print the JSON result."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", choices=["kill", "restart", "sqlite"], required=True)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--kill-after", type=float, default=5)
    parser.add_argument("--restart-every", type=float, default=6)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--logs", type=Path, help="keep the workers' logs in this directory")
    args = parser.parse_args()
    scenario = {"kill": kill, "restart": restart, "sqlite": sqlite}[args.scenario]
    started = time.monotonic()
    result = asyncio.run(scenario(args))
    result["wall_seconds"] = round(time.monotonic() - started, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
