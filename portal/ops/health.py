"""Readiness: the database answers, Redis answers (when configured), every migration ran."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.tables import Migration

from portal.core.db import ping, pool_state
from portal.core.metrics import REDIS_LATENCY, REDIS_UP, record_pool
from portal.core.store import Store

CHECK_TIMEOUT = 2.0


@dataclass(frozen=True, slots=True)
class Check:
    """One dependency's state."""

    name: str
    ok: bool
    detail: str = ""


def expected_migrations() -> set[tuple[str, str]]:
    """(app, migration id) of every migration file the code ships."""
    manager = BaseMigrationManager()
    expected: set[tuple[str, str]] = set()
    for module in manager.get_app_modules():
        config = module.APP_CONFIG
        modules = manager.get_migration_modules(config.resolved_migrations_folder_path)
        expected.update((config.app_name, i) for i in manager.get_migration_ids(modules))
    return expected


class Readiness:
    """The checks of ``/health/ready``; migrations are read from disk once per process."""

    def __init__(self) -> None:
        self._expected: set[tuple[str, str]] | None = None
        self._migrated = False  # once all ran, they stay run: no query per probe

    async def database(self) -> Check:
        """``SELECT 1`` (and the pool gauges while we are at it)."""
        try:
            await asyncio.wait_for(ping(), CHECK_TIMEOUT)
        except Exception as exc:  # noqa: BLE001 - any failure means not ready
            return Check("database", ok=False, detail=type(exc).__name__)
        state = pool_state()
        if state is not None:
            record_pool(*state)
        return Check("database", ok=True)

    async def migrations(self) -> Check:
        """Every shipped migration recorded in the ``migration`` table."""
        if self._migrated:
            return Check("migrations", ok=True)
        if self._expected is None:
            self._expected = await asyncio.to_thread(expected_migrations)
        try:
            rows = await Migration.select(Migration.app_name, Migration.name)
        except Exception as exc:  # noqa: BLE001 - no migration table yet: not migrated
            return Check("migrations", ok=False, detail=type(exc).__name__)
        missing = self._expected - {(r["app_name"], r["name"]) for r in rows}
        if missing:
            return Check("migrations", ok=False, detail=f"{len(missing)} not applied")
        self._migrated = True
        return Check("migrations", ok=True)

    async def redis(self, store: Store, configured: bool) -> Check:
        """PING through the store's Redis client (not configured: fine, in-process store)."""
        if not configured:
            REDIS_UP.set(-1)
            return Check("redis", ok=True, detail="not configured")
        ping_redis: Any = getattr(store, "ping", None)
        if ping_redis is None:
            return Check("redis", ok=False, detail="no Redis client")
        started = time.perf_counter()
        try:
            await asyncio.wait_for(ping_redis(), CHECK_TIMEOUT)
        except Exception as exc:  # noqa: BLE001
            REDIS_UP.set(0)
            return Check("redis", ok=False, detail=type(exc).__name__)
        REDIS_UP.set(1)
        REDIS_LATENCY.set(time.perf_counter() - started)
        return Check("redis", ok=True)

    async def run(self, store: Store, redis_configured: bool) -> list[Check]:
        """All checks, concurrently."""
        return list(
            await asyncio.gather(
                self.database(), self.migrations(), self.redis(store, redis_configured)
            )
        )
