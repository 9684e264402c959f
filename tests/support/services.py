"""Reachability of PostgreSQL and Redis for tests that need them."""

from __future__ import annotations

import hashlib
import os
import socket
from pathlib import Path
from urllib.parse import urlparse

import pytest

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


def run_tag() -> str:
    """A short name of this checkout, part of every test database name and Redis prefix.

    Two test runs from different checkouts on one machine (a CI clone beside a working copy,
    two git worktrees) then never share a database or Redis keys. ``PORTAL_TEST_TAG`` overrides.
    """
    tag = os.environ.get("PORTAL_TEST_TAG")
    if tag:
        return tag
    root = Path(__file__).resolve().parents[2]
    return hashlib.sha256(str(root).encode()).hexdigest()[:6]


def e2e_redis_prefix() -> str:
    """Redis key prefix of the app workers the end-to-end tests start."""
    return f"portal-e2e-{run_tag()}:"


def in_ci() -> bool:
    """Whether we run under CI (unreachable services then fail instead of skipping)."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def reachable(url: str) -> bool:
    """Whether a TCP connection to the URL's host and port succeeds."""
    parsed = urlparse(url)
    port = parsed.port or (5432 if parsed.scheme.startswith("postgres") else 6379)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def require_services() -> tuple[str, str]:
    """PostgreSQL and Redis URLs for end-to-end tests; fail under CI, skip elsewhere."""
    pg = os.environ.get("PORTAL_DATABASE_URL", "")
    if not pg.startswith("postgres"):
        pg = os.environ.get("PORTAL_E2E_DATABASE_URL", DEFAULT_PG)
    redis_url = os.environ.get("PORTAL_REDIS_URL") or DEFAULT_REDIS
    missing = [u for u in (pg, redis_url) if not reachable(u)]
    if missing:
        message = f"services unreachable: {', '.join(missing)}"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return pg, redis_url


def ensure_worker_database(url: str, worker: str) -> str:
    """URL of ``<database>_<tag>_<worker>`` on the same server, created when missing."""
    import asyncio

    import asyncpg

    base, name = url.rsplit("/", 1)
    target = f"{name}_{run_tag()}_{worker}"

    async def create() -> None:
        conn = await asyncpg.connect(url)
        try:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", target)
            if not exists:
                await conn.execute(f'CREATE DATABASE "{target}"')
        finally:
            await conn.close()

    if reachable(url):
        asyncio.run(create())
    return f"{base}/{target}"
