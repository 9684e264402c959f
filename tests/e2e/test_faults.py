"""Faults under write load: a worker killed mid-request, PostgreSQL restarting under a worker,
two workers writing to one SQLite file.

Every scenario runs real uvicorn workers and many concurrent clients, each an employee logging
activities under fresh idempotency keys and resending a failed request with the same key, as
the mobile app does (``support/faults.py``). Then what the clients were told is compared with
the activity table: every acknowledged write is stored exactly once, under the id the client
got, together with its audit entry (same transaction: nothing half-applied).

Redis going away and coming back is covered in ``tests/e2e/test_subscriptions.py``
(``test_live_delivery_resumes_when_redis_comes_back``). ``bench/faults.py`` runs the PostgreSQL
scenarios for longer.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.faults import (
    LoadReport,
    Reconciliation,
    WriteLoad,
    astored_activities,
    drop_database,
    fault_env,
    login,
    postgres_bindir,
    private_postgres,
    reconcile,
    seeded_workers,
)
from support.services import in_ci, require_services
from support.workers import recreate_database


def run_id(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}"


def assert_consistent(report: LoadReport, found: Reconciliation) -> None:
    """Acknowledged means stored, once, under the acknowledged id, with its audit entry."""
    assert report.acked, "no write was acknowledged"
    assert report.unexpected == [], report.unexpected[:5]
    assert report.gave_up == []
    assert found.lost == []
    assert found.duplicates == []
    assert found.mismatched == []
    assert found.half_applied == []
    assert found.stored == found.acknowledged


def acks_after(report: LoadReport, instant: float) -> int:
    return sum(1 for at, ok in report.attempts if ok and at > instant)


def quiet_log(path: Path | None) -> str:
    """The worker's log, which must not hold unexpected errors."""
    assert path is not None
    text = path.read_text(errors="replace")
    for marker in ("unexpected error", "unhandled error", "database is locked"):
        assert marker not in text, text[-3000:]
    return text


@pytest.fixture
def shared_services() -> Iterator[tuple[str, str]]:
    """A fresh database on the shared PostgreSQL (dropped afterwards) and the shared Redis."""
    pg, redis_url = require_services()
    name = f"test_e2e_faults_{os.getpid()}"
    database = recreate_database(pg, name)
    try:
        yield database, redis_url
    finally:
        drop_database(pg, name)


@pytest.mark.services
async def test_killing_a_worker_mid_load_loses_and_duplicates_no_write(
    shared_services: tuple[str, str], tmp_path: Path
) -> None:
    # given two workers on a fresh database, and 16 employees logging against both
    database, redis_url = shared_services
    env = fault_env(database, redis_url)
    with seeded_workers(2, env, tmp_path, teams=1, members=16) as ((doomed, survivor), world):
        tokens = await asyncio.gather(
            *(login(doomed.url, m, world.password) for m in world.members)
        )
        load = WriteLoad([doomed.url, survivor.url], tokens, run_id("kill"))
        running = asyncio.create_task(load.run())
        await asyncio.sleep(1.5)

        # when one worker is killed outright while requests are in flight
        killed_at = time.monotonic()
        doomed.process.kill()
        await asyncio.to_thread(doomed.process.wait)
        await asyncio.sleep(2.0)
        load.stop.set()
        report = await running
        quiet_log(survivor.log)

    # then clients failed over to the survivor, and every acknowledged write is there once
    found = reconcile(report, await astored_activities(database, load.run_id))
    assert_consistent(report, found)
    assert report.transport_errors > 0, "the kill hit no request"
    assert acks_after(report, killed_at) > 0
    assert max(report.failovers) < 5


def require_postgres_binaries() -> None:
    if postgres_bindir() is None:
        message = "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.services
async def test_after_a_postgresql_restart_requests_fail_typed_then_recover(
    tmp_path: Path,
) -> None:
    # given a worker on a private PostgreSQL server (restarting the shared one would break
    # every other test) with the in-process store, and 8 employees logging
    require_postgres_binaries()
    with private_postgres() as server:
        database = await asyncio.to_thread(recreate_database, server.admin_url, "faults")
        env = fault_env(database)
        with seeded_workers(1, env, tmp_path, teams=1, members=8) as ((worker,), world):
            tokens = await asyncio.gather(
                *(login(worker.url, m, world.password) for m in world.members)
            )
            load = WriteLoad([worker.url], tokens, run_id("restart"))
            running = asyncio.create_task(load.run())
            await asyncio.sleep(1.0)
            assert len(load.report.acked) > 0

            # when the server restarts (fast mode: every session is terminated)
            restarted_at = time.monotonic()
            await asyncio.to_thread(server.restart)
            await asyncio.sleep(2.5)
            load.stop.set()
            report = await running

            # and once it is back, one more write
            after = WriteLoad([worker.url], tokens[:1], run_id("restart-after"))
            final = await after.run(seconds=0.3)
            log = quiet_log(worker.log)

        # then failures were typed (HTTP 503 SERVICE_UNAVAILABLE, never a 500 or INTERNAL_ERROR)
        assert set(report.statuses) <= {200, 503}, report.statuses
        assert set(report.typed_errors) <= {"SERVICE_UNAVAILABLE"}
        if report.typed_errors:
            assert "database unavailable" in log

        # and the pool recovered within seconds, with nothing lost or half-applied
        outage = report.outage_after(restarted_at)
        assert outage is not None, "writes never succeeded again after the restart"
        assert outage < 5
        assert acks_after(report, restarted_at + outage) > 0
        assert_consistent(
            report, reconcile(report, await astored_activities(database, load.run_id))
        )
        stored_after = await astored_activities(database, after.run_id)
        assert_consistent(final, reconcile(final, stored_after))


async def test_sqlite_takes_concurrent_writers_and_verifiers_without_locking_errors(
    tmp_path: Path,
) -> None:
    # given two workers on one SQLite file (what `portal serve --workers 2` runs), 18 employees
    # logging and their two supervisors verifying what was logged, all at once
    database = f"sqlite:///{tmp_path}/faults.sqlite"
    env = fault_env(database)
    with seeded_workers(2, env, tmp_path, teams=2, members=9) as (pair, world):
        urls = [w.url for w in pair]
        tokens = await asyncio.gather(*(login(urls[0], m, world.password) for m in world.members))
        verifiers = []
        for t, team in enumerate(world.teams):
            supervisor = await login(urls[1], team.supervisor, world.password)
            first = t * len(team.members)
            verifiers.append((supervisor, range(first, first + len(team.members))))

        # when they all work for a few seconds
        load = WriteLoad(urls, tokens, run_id("sqlite"), verifiers=verifiers)
        report = await load.run(seconds=4)
        for worker in pair:
            quiet_log(worker.log)

    # then no request failed (no "database is locked", no 500), every acknowledged write is
    # stored once, and every verification the supervisors saw is stored
    assert set(report.statuses) == {200}, report.statuses
    rows = await astored_activities(database, load.run_id)
    assert_consistent(report, reconcile(report, rows))
    assert report.verified == set(report.acked.values())
    assert {r.pk for r in rows if r.status == "VERIFIED"} == report.verified
