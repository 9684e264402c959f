"""The backup and restore drill of deploy/BACKUP.md, run for real on the demo city.

pg_dump (custom format) of a seeded city, pg_restore into a new database, `portal migrate`
on the copy (nothing to apply: the migration history came along), then every table has the
same rows, and a demo login works against the restored database through a real app worker.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from pathlib import Path

import asyncpg
import httpx
import pytest

from support.services import require_services
from support.workers import portal_command, portal_env, recreate_database, workers

pytestmark = pytest.mark.services
if not os.environ.get("PORTAL_DATABASE_URL", "").startswith("postgres"):
    # a multi-minute drill of its own databases and processes: once per CI run is enough, in
    # its PostgreSQL + Redis phase (the SQLite phase would run the very same drill again)
    pytest.skip("runs in the PostgreSQL + Redis phase", allow_module_level=True)

PASSWORD = "Tangsel#2026"  # the demo city's documented password


async def row_counts(url: str) -> dict[str, tuple[int, str]]:
    conn = await asyncpg.connect(url)
    try:
        tables = [
            r["tablename"]
            for r in await conn.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        # every row, by content: count and a digest of the rows in a fixed order (table names
        # come from pg_tables)
        digest = "SELECT count(*), md5(coalesce(string_agg(r::text, chr(10) ORDER BY r::text), ''))"
        return {t: tuple(await conn.fetchrow(f'{digest} FROM "{t}" r')) for t in tables}
    finally:
        await conn.close()


def test_backup_of_the_demo_city_restores_whole_and_logins_work(tmp_path: Path) -> None:
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.fail("pg_dump and pg_restore (postgresql-client) are needed for the drill")
    pg, redis_url = require_services()
    source = recreate_database(pg, "test_backup_source")
    target = recreate_database(pg, "test_backup_restored")
    portal_command(
        "demo", "--no-serve", "--employees", "40", "--history-days", "14",
        env=portal_env(source, redis_url),
    )  # fmt: skip
    dump = tmp_path / "portal.dump"

    # the documented procedure (deploy/BACKUP.md)
    pg_dump = ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), source]
    subprocess.run(pg_dump, check=True, timeout=300)
    pg_restore = ["pg_restore", "--no-owner", "--exit-on-error", "--jobs=2", "--dbname", target]
    subprocess.run([*pg_restore, str(dump)], check=True, timeout=300)
    env = portal_env(target, redis_url)
    assert "Database is up to date." in portal_command("migrate", env=env)

    before, after = asyncio.run(row_counts(source)), asyncio.run(row_counts(target))
    assert after == before
    assert before["employee"][0] >= 40
    assert before["activity"][0] > 0
    assert before["migration"][0] > 0

    with workers(1, env) as (worker,):
        response = httpx.post(
            worker.url + "/graphql",
            json={
                "query": "mutation L($i: LoginInput!) { login(input: $i) "
                "{ accessToken userErrors { code } } }",
                "variables": {"i": {"username": "atasan", "password": PASSWORD}},
            },
            timeout=30,
        )
        login = response.json()["data"]["login"]
        assert login["userErrors"] == []
        token = login["accessToken"]
        viewer = httpx.post(
            worker.url + "/graphql",
            json={"query": "{ viewer { username } }"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).json()
        assert viewer["data"]["viewer"]["username"] == "atasan"
        ready = httpx.get(worker.url + "/health/ready", timeout=10)
        assert ready.status_code == 200, ready.text
