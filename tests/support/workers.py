"""Start real app workers (uvicorn processes) against PostgreSQL and Redis for e2e tests."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

from support.services import e2e_redis_prefix

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def recreate_database(admin_url: str, name: str) -> str:
    """Drop and create database ``name`` (suffixed with the run tag); return its URL."""
    import asyncpg

    from support.services import run_tag

    name = f"{name}_{run_tag()}"

    async def go() -> None:
        conn = await asyncpg.connect(admin_url)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(go())
    return admin_url.rsplit("/", 1)[0] + "/" + name


def forget_login_failures(redis_url: str) -> None:
    """Drop the login-throttle counters the e2e workers left in Redis (a fresh world)."""
    from redis import Redis
    from redis.exceptions import RedisError

    if not redis_url.startswith(("redis://", "rediss://", "unix://")):
        return  # the workers use the in-process store
    try:
        redis = Redis.from_url(redis_url, socket_connect_timeout=2)
        for key in redis.scan_iter(match=e2e_redis_prefix() + "login:*"):
            redis.delete(key)
        redis.close()
    except RedisError:
        pass  # a test of a Redis outage points the workers at a closed port


def portal_env(database_url: str, redis_url: str) -> dict[str, str]:
    """Environment for a portal process (with no login failures remembered in Redis)."""
    forget_login_failures(redis_url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(
        PORTAL_DATABASE_URL=database_url,
        PORTAL_REDIS_URL=redis_url,
        PORTAL_SECRET_KEY="e2e-secret-key-that-is-long-enough-0123456789",
        PORTAL_ENV="development",
        PORTAL_REDIS_PREFIX=e2e_redis_prefix(),
    )
    return env


def portal_command(*args: str, env: dict[str, str], timeout: float = 300) -> str:
    """Run ``portal ARGS`` in a subprocess; return its output (raise on failure)."""
    result = subprocess.run(
        [sys.executable, "-c", "from portal.cli import main; main()", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"portal {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@dataclass
class Worker:
    """A running app worker."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path | None = None


def wait_until_up(worker: Worker, deadline: float) -> None:
    """Wait until ``worker`` answers its health check (fail when it exits or is too slow)."""
    while True:
        if worker.process.poll() is not None:
            output = worker.log.read_text(errors="replace") if worker.log else ""
            raise AssertionError(f"worker {worker.url} exited early\n{output}")
        try:
            if httpx.get(worker.url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"worker {worker.url} did not start")
        time.sleep(0.2)


@contextmanager
def workers(
    count: int, env: dict[str, str], logs: Path | None = None, start_timeout: float = 60
) -> Iterator[list[Worker]]:
    """Start ``count`` independent uvicorn workers; stop them on exit.

    With ``logs`` (a directory), worker ``i`` writes its output to ``logs/worker-<i>.log``.
    """
    started: list[Worker] = []
    outputs: list[IO[bytes]] = []
    try:
        for index in range(count):
            port = free_port()
            log = logs / f"worker-{index}.log" if logs else None
            if log is not None:
                outputs.append(log.open("wb"))
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "portal.app:create_app",
                    "--factory",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--log-level",
                    "warning",
                ],
                env=env,
                cwd=ROOT,
                stdout=outputs[-1] if log else None,
                stderr=subprocess.STDOUT if log else None,
            )
            started.append(Worker(url=f"http://127.0.0.1:{port}", process=process, log=log))
        deadline = time.monotonic() + start_timeout
        for worker in started:
            wait_until_up(worker, deadline)
        yield started
    finally:
        for worker in started:
            worker.process.terminate()
        for worker in started:
            try:
                worker.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.process.kill()
        for output in outputs:
            output.close()
