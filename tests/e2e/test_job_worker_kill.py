"""A job worker killed mid-job: another worker finishes the job, and it takes effect once.

Two ``portal worker`` processes against PostgreSQL and Redis. A large import is queued; when
the first worker reports progress it is killed (SIGKILL: no cleanup, no goodbye). Its job's
heartbeat stops, the second worker's sweep retries it, and the import's one transaction makes
the retry start from nothing: every employee is created exactly once, by the second attempt.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from portal.core.auth import Role, Viewer
from portal.core.jobs import JobState, viewer_snapshot
from portal.core.saq_queue import SaqQueue, saq_queue
from portal.ops.jobs import IMPORT_EMPLOYEES
from portal.people.enums import Gender
from portal.people.nip import make_nip
from portal.people.services.importer import COLUMNS
from support.services import require_services, run_tag
from support.workers import ROOT, portal_command, portal_env, recreate_database

pytestmark = pytest.mark.services
if not os.environ.get("PORTAL_DATABASE_URL", "").startswith("postgres"):
    # a multi-minute drill of its own databases and processes: once per CI run is enough, in
    # its PostgreSQL + Redis phase (the SQLite phase would run the very same drill again)
    pytest.skip("runs in the PostgreSQL + Redis phase", allow_module_level=True)

ROWS = 4000


def csv_text(unit: str) -> tuple[str, list[str]]:
    lines, nips = [",".join(COLUMNS)], []
    for i in range(ROWS):
        born = date(1960 + i % 25, 1 + i % 12, 1 + i % 28)
        nip = make_nip(born, date(2005, 1, 1), Gender.LAKI_LAKI, 1 + i % 999)
        nips.append(nip)
        lines.append(f"{nip},Pegawai Impor {i},PNS,III/a,Pelaksana,Pengadministrasi Umum,{unit},")
    return "\n".join(lines) + "\n", nips


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from portal.cli import main; main()",
            "worker",
            "--concurrency",
            "1",
        ],
        env=env,
        cwd=ROOT,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


async def fetch(database: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(database)
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


async def wait_for(queue: SaqQueue, key: str, done: Any, seconds: float) -> JobState:
    deadline = time.monotonic() + seconds
    while True:
        state = await queue.state(key)
        if state is not None and done(state):
            return state
        assert time.monotonic() < deadline, f"job {key} stuck: {state}"
        await asyncio.sleep(0.02)


def test_a_killed_workers_job_completes_exactly_once(tmp_path: Path) -> None:
    pg, redis_url = require_services()
    database = recreate_database(pg, "test_job_kill")
    env = portal_env(database, redis_url)
    env["PORTAL_REDIS_PREFIX"] = f"portal-jobkill-{run_tag()}-{os.getpid()}:"
    portal_command("demo", "--no-serve", "--employees", "10", "--history-days", "0", env=env)
    portal_command("create-admin", "ops.admin", "--password", "Ops#admin2026", env=env)
    unit = asyncio.run(fetch(database, "SELECT code FROM unor ORDER BY id LIMIT 1"))[0]["code"]
    account = asyncio.run(
        fetch(database, "SELECT id FROM user_account WHERE username = 'ops.admin'")
    )
    viewer = Viewer(
        account_id=account[0]["id"],
        username="ops.admin",
        employee_id=None,
        employee_opd_id=None,
        roles=frozenset({Role.ADMIN_BKPSDM}),
        admin_opd_ids=frozenset(),
    )
    text, nips = csv_text(unit)
    created_sql = "SELECT count(*) AS n FROM audit_entry WHERE action = 'EMPLOYEE_CREATED'"
    audited_before = asyncio.run(fetch(database, created_sql))[0]["n"]
    log = tmp_path / "workers.log"
    first = start_worker(env, log)
    second: subprocess.Popen[bytes] | None = None
    try:

        async def drill() -> JobState:
            nonlocal second
            queue = SaqQueue(saq_queue(redis_url, env["PORTAL_REDIS_PREFIX"]))
            try:
                key = await queue.enqueue(
                    IMPORT_EMPLOYEES,
                    owner_account_id=viewer.account_id,
                    csv=text,
                    partial=False,
                    dry_run=False,
                    viewer=viewer_snapshot(viewer),
                )
                # the first worker is inside the import (past parsing, rows being applied)
                running = await wait_for(
                    queue, key, lambda s: s.status == "active" and s.progress > 0.06, 120
                )
                assert running.attempts == 1
                first.send_signal(signal.SIGKILL)
                first.wait(timeout=30)
                second = start_worker(env, log)
                return await wait_for(
                    queue, key, lambda s: s.status in {"complete", "failed", "aborted"}, 180
                )
            finally:
                await queue.close()

        final = asyncio.run(drill())
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
    output = log.read_text(errors="replace")
    assert final.status == "complete", (final, output[-3000:])
    assert final.attempts == 2, final  # the killed attempt, then the retry that finished
    assert final.result is not None
    # the retry created every employee: the killed attempt had committed nothing
    assert (final.result["created"], final.result["updated"]) == (ROWS, 0)
    stored = asyncio.run(
        fetch(database, "SELECT count(*) AS n FROM employee WHERE nip = ANY($1::text[])", nips)
    )
    assert stored[0]["n"] == ROWS
    audited = asyncio.run(fetch(database, created_sql))[0]["n"]
    assert audited - audited_before == ROWS  # one creation each, not two
