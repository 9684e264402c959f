"""Fault runs against real workers: a write load that retries like a phone, checks of what
reached the database, and a private PostgreSQL server that may be restarted at will.

Used by ``tests/e2e/test_faults.py`` (short runs) and ``bench/faults.py`` (longer ones).

The load: every client is one employee logging activities, each under a fresh idempotency key.
A request that fails in transport (refused, reset, cut short) may or may not have been applied,
so the client resends it with the *same* key to the next worker, as the mobile app does; a
typed ``SERVICE_UNAVAILABLE`` (HTTP 503 or a GraphQL error code) is retried on the same worker
after a short pause. A write counts as acknowledged once a response carries the activity and no
``userErrors``; the database must then hold it exactly once.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from portal.core import clock
from portal.core.ids import decode_global_id, encode_global_id
from support.api import operations
from support.workers import ROOT, Worker, free_port, portal_env, workers

RETRYABLE_CODES = {"SERVICE_UNAVAILABLE"}
START_TIMEOUT = 120  # seconds for workers to come up
LOCKED = "database is locked"


# --- the world --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Team:
    """A supervisor and the employees whose activities they verify."""

    supervisor: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class World:
    """What ``support.fault_world`` seeded."""

    password: str
    teams: tuple[Team, ...]

    @property
    def members(self) -> list[str]:
        """Every team member, team after team."""
        return [m for team in self.teams for m in team.members]


def fault_env(database_url: str, redis_url: str | None = None) -> dict[str, str]:
    """Worker environment for fault runs: cheap password hashes, no per-user rate limit.

    Without ``redis_url`` the workers use the in-process store and broker.
    """
    env = portal_env(database_url, redis_url or "")
    env.update(PORTAL_INSECURE_FAST_HASH="1", PORTAL_RATE_LIMIT_PER_MINUTE="0")
    return env


def seed_world(env: dict[str, str], *, teams: int, members: int) -> World:
    """Migrate the database of ``env`` and seed ``teams`` teams (see ``support.fault_world``)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "support.fault_world",
            "--teams",
            str(teams),
            "--members",
            str(members),
        ],
        env=env,
        cwd=ROOT / "tests",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"seeding failed:\n{result.stdout}\n{result.stderr}")
    raw = json.loads(result.stdout.strip().splitlines()[-1])
    return World(
        password=raw["password"],
        teams=tuple(Team(t["supervisor"], tuple(t["members"])) for t in raw["teams"]),
    )


def drop_database(admin_url: str, name: str) -> None:
    """Drop database ``name`` on the server of ``admin_url`` (closing its sessions)."""
    import asyncpg

    async def go() -> None:
        conn = await asyncpg.connect(admin_url)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    asyncio.run(go())


@contextmanager
def seeded_workers(
    count: int, env: dict[str, str], logs: Path | None, *, teams: int, members: int
) -> Iterator[tuple[list[Worker], World]]:
    """Start ``count`` workers while the database is seeded (each takes seconds); yield both.

    The database itself must exist: PostgreSQL workers open their pool at start-up. Start-up
    may take long on a busy machine (a worker imports scikit-learn for the mentoring model).
    """
    with ThreadPoolExecutor(max_workers=1) as background:
        seeding = background.submit(seed_world, env, teams=teams, members=members)
        with workers(count, env, logs=logs, start_timeout=START_TIMEOUT) as started:
            yield started, seeding.result()


# --- the load ---------------------------------------------------------------------------------


@dataclass
class LoadReport:
    """What the clients saw."""

    acked: dict[str, int] = field(default_factory=dict)  # idempotency key -> activity pk
    replayed: set[str] = field(default_factory=set)  # acked by a replay of an earlier attempt
    retried: set[str] = field(default_factory=set)  # resent after a failed attempt
    gave_up: list[str] = field(default_factory=list)  # never acknowledged
    transport_errors: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    typed_errors: Counter[str] = field(default_factory=Counter)  # retryable codes seen
    unexpected: list[str] = field(default_factory=list)  # 500s, untyped errors, userErrors
    attempts: list[tuple[float, bool]] = field(default_factory=list)  # (monotonic time, ok)
    failovers: list[float] = field(default_factory=list)  # first failure -> ack, per retried key
    verified: set[int] = field(default_factory=set)  # activity pks verified by supervisors
    started: float = field(default_factory=time.monotonic)
    finished: float = 0.0

    def outage_after(self, instant: float) -> float | None:
        """Seconds from ``instant`` to the first success that follows a failure after it."""
        failed_at = None
        for at, ok in sorted(self.attempts):
            if at < instant:
                continue
            if not ok and failed_at is None:
                failed_at = at
            if ok and failed_at is not None:
                return at - instant
        return 0.0 if failed_at is None else None

    def summary(self) -> dict[str, Any]:
        """Counters for logs and bench/RESULTS.md."""
        seconds = (self.finished or time.monotonic()) - self.started
        return {
            "seconds": round(seconds, 1),
            "acknowledged": len(self.acked),
            "writes_per_second": round(len(self.acked) / seconds, 1) if seconds else None,
            "replayed": len(self.replayed),
            "retried": len(self.retried),
            "gave_up": len(self.gave_up),
            "transport_errors": self.transport_errors,
            "statuses": dict(self.statuses),
            "typed_errors": dict(self.typed_errors),
            "unexpected": len(self.unexpected),
            "max_failover_seconds": round(max(self.failovers), 2) if self.failovers else None,
            "verified": len(self.verified),
        }


def _post(query_name: str, variables: dict[str, Any]) -> dict[str, Any]:
    return {"query": operations()[query_name], "operationName": query_name, "variables": variables}


async def login(base_url: str, username: str, password: str) -> str:
    """An access token for ``username``."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        response = await client.post(
            "/graphql", json=_post("Login", {"input": {"username": username, "password": password}})
        )
    response.raise_for_status()
    payload = response.json()["data"]["login"]
    assert payload["userErrors"] == [], payload["userErrors"]
    token: str = payload["accessToken"]
    return token


class WriteLoad:
    """Concurrent employees logging activities, optionally with their supervisors verifying.

    Args:
        urls: Worker base URLs; client ``i`` starts on ``urls[i % len(urls)]``.
        tokens: One access token per logging client.
        run_id: Prefix of every idempotency key of this run (find the rows with it).
        verifiers: ``(supervisor token, indexes of the clients they verify)`` pairs.
        settle_seconds: How long a client keeps retrying one key before giving up.
    """

    def __init__(
        self,
        urls: Sequence[str],
        tokens: Sequence[str],
        run_id: str,
        *,
        verifiers: Sequence[tuple[str, Sequence[int]]] = (),
        settle_seconds: float = 20,
    ) -> None:
        self.urls = list(urls)
        self.tokens = list(tokens)
        self.run_id = run_id
        self.verifiers = list(verifiers)
        self.settle_seconds = settle_seconds
        self.report = LoadReport()
        self.stop = asyncio.Event()
        # acknowledged activity pks, per verifier, fed by the writers they verify
        self._inboxes: list[asyncio.Queue[int]] = [asyncio.Queue() for _ in self.verifiers]
        self._inbox_of = {m: self._inboxes[v] for v, (_, ms) in enumerate(verifiers) for m in ms}

    async def run(self, seconds: float | None = None) -> LoadReport:
        """Run until :attr:`stop` is set (or ``seconds`` passed); let every key settle."""
        self.report = LoadReport()
        writers_done = asyncio.Event()
        if seconds is not None:
            asyncio.get_running_loop().call_later(seconds, self.stop.set)
        async with httpx.AsyncClient(timeout=httpx.Timeout(10, connect=2)) as http:
            writers = [asyncio.create_task(self._writer(http, i)) for i in range(len(self.tokens))]
            checkers = [
                asyncio.create_task(self._verifier(http, v, writers_done))
                for v in range(len(self.verifiers))
            ]
            await asyncio.gather(*writers)
            writers_done.set()
            await asyncio.gather(*checkers)
        self.report.finished = time.monotonic()
        return self.report

    def _note(self, ok: bool) -> None:
        self.report.attempts.append((time.monotonic(), ok))

    async def _writer(self, http: httpx.AsyncClient, index: int) -> None:
        current = index % len(self.urls)
        number = 0
        while not self.stop.is_set():
            number += 1
            key = f"{self.run_id}-{index}-{number}"
            current = await self._settle(http, index, key, current)

    async def _settle(self, http: httpx.AsyncClient, index: int, key: str, current: int) -> int:
        """Send one log until it is acknowledged; return the worker index to use next."""
        report = self.report
        today = clock.today().isoformat()
        body = _post(
            "LogActivity",
            {
                "input": {
                    "idempotencyKey": key,
                    "activity": {
                        "activityDate": today,
                        "description": f"Pelayanan administrasi {key}",
                        "quantity": 1,
                        "unit": "berkas",
                    },
                }
            },
        )
        headers = {"Authorization": f"Bearer {self.tokens[index]}"}
        first_failure: float | None = None
        deadline = time.monotonic() + self.settle_seconds
        while time.monotonic() < deadline:
            try:
                response = await http.post(
                    self.urls[current] + "/graphql", json=body, headers=headers
                )
            except httpx.TransportError:
                report.transport_errors += 1
                self._note(ok=False)
                first_failure = first_failure or time.monotonic()
                report.retried.add(key)
                current = (current + 1) % len(self.urls)  # the load balancer's next worker
                await asyncio.sleep(0.05)
                continue
            report.statuses[response.status_code] += 1
            activity_pk, pause = self._judge(key, response)
            self._note(ok=activity_pk is not None)
            if activity_pk is not None:
                report.acked[key] = activity_pk
                if first_failure is not None:
                    report.failovers.append(time.monotonic() - first_failure)
                if index in self._inbox_of:
                    self._inbox_of[index].put_nowait(activity_pk)
                return current
            if pause is None:  # a business error: retrying would not help
                return current
            first_failure = first_failure or time.monotonic()
            report.retried.add(key)
            await asyncio.sleep(pause)
        report.gave_up.append(key)
        return current

    def _judge(self, key: str, response: httpx.Response) -> tuple[int | None, float | None]:
        """The activity pk of an acknowledgement, else the pause before a retry (None: stop)."""
        report = self.report
        text = response.text
        if LOCKED in text:
            report.unexpected.append(f"{key}: {response.status_code} {text[:300]}")
            return None, 0.1
        try:
            parsed = response.json()
        except ValueError:
            report.unexpected.append(f"{key}: {response.status_code} {text[:300]}")
            return None, 0.1
        errors = parsed.get("errors") or [] if isinstance(parsed, dict) else []
        codes = [(e.get("extensions") or {}).get("code") for e in errors]
        if codes and all(c in RETRYABLE_CODES for c in codes):
            for code in codes:
                report.typed_errors[str(code)] += 1
            retry_after = float(response.headers.get("retry-after") or 0.2)
            return None, min(retry_after, 0.5)
        if response.status_code != 200 or errors:
            report.unexpected.append(f"{key}: {response.status_code} {text[:300]}")
            return None, 0.1  # a phone retries anything; the key keeps it safe
        payload = parsed["data"]["logActivity"]
        if payload["userErrors"]:
            report.unexpected.append(f"{key}: userErrors {payload['userErrors']}")
            return None, None
        if payload["replayed"]:
            report.replayed.add(key)
        return decode_global_id(payload["activity"]["id"])[1], None

    async def _verifier(self, http: httpx.AsyncClient, v: int, writers_done: asyncio.Event) -> None:
        token, _ = self.verifiers[v]
        queue = self._inboxes[v]
        current = v % len(self.urls)
        headers = {"Authorization": f"Bearer {token}"}
        while not (writers_done.is_set() and queue.empty()):
            batch = [queue.get_nowait() for _ in range(min(queue.qsize(), 25))]
            if not batch:
                await asyncio.sleep(0.02)
                continue
            body = _post(
                "VerifyActivities",
                {
                    "input": {
                        "activityIds": [encode_global_id("Activity", pk) for pk in batch],
                        "approve": True,
                    }
                },
            )
            while True:
                try:
                    response = await http.post(
                        self.urls[current] + "/graphql", json=body, headers=headers
                    )
                except httpx.TransportError:
                    self.report.transport_errors += 1
                    current = (current + 1) % len(self.urls)
                    await asyncio.sleep(0.05)
                    continue
                break
            self.report.statuses[response.status_code] += 1
            if response.status_code != 200 or LOCKED in response.text:
                self.report.unexpected.append(f"verify: {response.status_code} {response.text}")
                continue
            parsed = response.json()
            if parsed.get("errors"):
                self.report.unexpected.append(f"verify: {parsed['errors']}")
                continue
            for result in parsed["data"]["verifyActivities"]["results"]:
                if result["userErrors"]:
                    self.report.unexpected.append(f"verify: {result['userErrors']}")
                elif result["activity"]["status"] == "VERIFIED":
                    self.report.verified.add(decode_global_id(result["activityId"])[1])


# --- what reached the database ----------------------------------------------------------------


@dataclass(frozen=True)
class StoredActivity:
    """One activity row of a fault run."""

    pk: int
    key: str
    status: str
    audits: int  # ACTIVITY_LOGGED audit entries: written in the same transaction


_STORED_SQL = """
SELECT a.id, a.idempotency_key, a.status,
       (SELECT count(*) FROM audit_entry e
         WHERE e.entity_type = 'Activity' AND e.entity_id = CAST(a.id AS VARCHAR(40))
           AND e.action = 'ACTIVITY_LOGGED') AS audits
  FROM activity a
 WHERE a.idempotency_key LIKE {placeholder}
"""


def stored_activities(database_url: str, run_id: str) -> list[StoredActivity]:
    """Every activity whose idempotency key belongs to ``run_id``."""
    pattern = f"{run_id}-%"
    if database_url.startswith("sqlite:///"):
        path = database_url.removeprefix("sqlite:///")
        with sqlite3.connect(path, timeout=30) as conn:
            rows = conn.execute(_STORED_SQL.format(placeholder="?"), (pattern,)).fetchall()
    else:
        import asyncpg

        async def fetch() -> list[Any]:
            conn = await asyncpg.connect(database_url)
            try:
                return list(await conn.fetch(_STORED_SQL.format(placeholder="$1"), pattern))
            finally:
                await conn.close()

        rows = asyncio.run(fetch())
    return [StoredActivity(int(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows]


async def astored_activities(database_url: str, run_id: str) -> list[StoredActivity]:
    """:func:`stored_activities` for async callers."""
    return await asyncio.to_thread(stored_activities, database_url, run_id)


@dataclass(frozen=True)
class Reconciliation:
    """Acknowledged writes against the stored rows."""

    acknowledged: int
    stored: int
    lost: list[str]  # acknowledged, not stored
    duplicates: list[str]  # keys stored more than once
    mismatched: list[str]  # stored under another pk than the one acknowledged
    half_applied: list[int]  # activity rows without exactly one audit entry
    unacknowledged_stored: int  # applied, but the client never heard (gave up); allowed

    def summary(self) -> dict[str, int]:
        """Counts."""
        return {
            "acknowledged": self.acknowledged,
            "stored": self.stored,
            "lost": len(self.lost),
            "duplicates": len(self.duplicates),
            "mismatched": len(self.mismatched),
            "half_applied": len(self.half_applied),
            "unacknowledged_stored": self.unacknowledged_stored,
        }


def reconcile(report: LoadReport, rows: Sequence[StoredActivity]) -> Reconciliation:
    """Compare what the clients were told with what the database holds."""
    by_key: dict[str, list[StoredActivity]] = {}
    for row in rows:
        by_key.setdefault(row.key, []).append(row)
    return Reconciliation(
        acknowledged=len(report.acked),
        stored=len(rows),
        lost=sorted(k for k in report.acked if k not in by_key),
        duplicates=sorted(k for k, found in by_key.items() if len(found) > 1),
        mismatched=sorted(
            k for k, pk in report.acked.items() if k in by_key and by_key[k][0].pk != pk
        ),
        half_applied=sorted(r.pk for r in rows if r.audits != 1),
        unacknowledged_stored=sum(1 for k in by_key if k not in report.acked),
    )


# --- a private PostgreSQL server ----------------------------------------------------------------


def postgres_bindir() -> Path | None:
    """Directory of ``initdb``/``pg_ctl`` (Debian keeps them out of PATH), or None."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.insert(0, Path(found).parent)
    for directory in candidates:
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    return None


@dataclass
class PrivatePostgres:
    """A throw-away PostgreSQL cluster in a temporary directory, on its own port."""

    bindir: Path
    root: Path
    port: int

    @property
    def data(self) -> Path:
        """The cluster's data directory."""
        return self.root / "data"

    @property
    def admin_url(self) -> str:
        """URL of the ``postgres`` database as superuser ``postgres`` (trust auth)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = 60) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise AssertionError(f"{args[0]} failed:\n{result.stdout}\n{result.stderr}\n{tail}")

    def _ctl(self, action: str, *extra: str) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c full_page_writes=off -c max_connections=50"
        )
        self._run(
            "pg_ctl",
            action,
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "30",
            *extra,
        )

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        self._ctl("start")

    def restart(self) -> None:
        """Fast restart: open sessions are cut, in-flight transactions roll back."""
        self._ctl("restart", "-m", "fast")

    def stop(self) -> None:
        """Stop the server at once (idempotent)."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w")


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """Initialise, start and finally stop and delete a private PostgreSQL cluster.

    Raises:
        RuntimeError: when no PostgreSQL server binaries are installed.
    """
    bindir = postgres_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    # Not under pytest's tmp_path: its parents are private to root, and the server runs as
    # the postgres user.
    root = Path(tempfile.mkdtemp(prefix="portal-faults-pg-"))
    server = PrivatePostgres(bindir=bindir, root=root, port=free_port())
    try:
        if os.geteuid() == 0:
            shutil.chown(root, "postgres", "postgres")
        server._run(
            "initdb",
            "-D",
            str(server.data),
            "--auth=trust",
            "--username=postgres",
            "--encoding=UTF8",
            "--no-sync",
            "--no-instructions",
        )
        server.start()
        yield server
    finally:
        try:
            server.stop()
        finally:
            shutil.rmtree(root, ignore_errors=True)
