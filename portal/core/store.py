"""Key-value store with expiry: in-process by default, Redis when ``PORTAL_REDIS_URL`` is set.

Used for shared state that several workers should agree on (rate limits, login throttling,
persisted queries). Sessions are not kept here: they are database records.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)


def redis_client(url: str) -> Redis:
    """A Redis client that reconnects and retries when a server restart dropped its sockets."""
    return Redis.from_url(
        url,
        decode_responses=True,
        retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), retries=3),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
        health_check_interval=15,
        socket_connect_timeout=2,
        socket_timeout=5,
    )


class Store(Protocol):
    """The operations the portal needs from a shared store."""

    async def get(self, key: str) -> str | None:
        """Value of ``key`` or None."""

    async def set(self, key: str, value: str, ttl_seconds: int | None = None) -> None:
        """Set ``key``, expiring after ``ttl_seconds`` when given."""

    async def incr(self, key: str, ttl_seconds: int) -> int:
        """Increment a counter, starting its expiry window on first use; return the new value."""

    async def mget(self, keys: list[str]) -> list[str | None] | None:
        """Values of ``keys`` in one round trip, or None when the shared store cannot answer.

        Unlike the other operations there is no in-process fallback: a reader that must agree
        with every worker (the response cache's data versions) asks elsewhere instead.
        """

    async def delete(self, key: str) -> None:
        """Remove ``key``."""

    async def close(self) -> None:
        """Release connections."""


class MemoryStore:
    """Single-process store (development and tests without Redis)."""

    # expired keys are dropped when read, and all of them every this many writes
    SWEEP_EVERY = 1000

    def __init__(self) -> None:
        self._data: dict[str, tuple[str, float | None]] = {}
        self._sets = 0

    def _alive(self, key: str) -> tuple[str, float | None] | None:
        item = self._data.get(key)
        if item is None:
            return None
        if item[1] is not None and item[1] <= time.monotonic():
            del self._data[key]
            return None
        return item

    async def get(self, key: str) -> str | None:
        """Value of ``key`` or None."""
        item = self._alive(key)
        return item[0] if item else None

    async def set(self, key: str, value: str, ttl_seconds: int | None = None) -> None:
        """Set ``key``, expiring after ``ttl_seconds`` when given."""
        expires = time.monotonic() + ttl_seconds if ttl_seconds else None
        self._data[key] = (value, expires)
        self._sets += 1
        if self._sets % self.SWEEP_EVERY == 0:
            self._sweep()

    def _sweep(self) -> None:
        """Drop expired keys nobody asks for again (yesterday's cached answers)."""
        now = time.monotonic()
        for key in [k for k, (_, expires) in self._data.items() if expires and expires <= now]:
            del self._data[key]

    async def incr(self, key: str, ttl_seconds: int) -> int:
        """Increment a counter with a fixed expiry window."""
        item = self._alive(key)
        if item is None:
            self._data[key] = ("1", time.monotonic() + ttl_seconds)
            return 1
        value = int(item[0]) + 1
        self._data[key] = (str(value), item[1])
        return value

    async def mget(self, keys: list[str]) -> list[str | None] | None:
        """Values of ``keys`` (None for a missing one)."""
        found = []
        for key in keys:
            item = self._alive(key)
            found.append(item[0] if item else None)
        return found

    async def delete(self, key: str) -> None:
        """Remove ``key``."""
        self._data.pop(key, None)

    async def close(self) -> None:
        """Nothing to release."""


# INCR and the window's expiry, atomically (EXPIRE NX: only a key without one gets it)
_INCR_SCRIPT = """
local value = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1], 'NX')
return value
"""


class RedisStore:
    """Store shared by every worker through Redis, with an in-process fallback.

    When Redis cannot answer, every operation is served by this worker's own
    :class:`MemoryStore` (and logged): counters keep counting (rate limits and login throttling
    become per-worker instead of stopping), throttle marks keep holding. Nothing that decides
    who is logged in lives here: sessions are database records (``portal.accounts``), so an
    outage cannot revive a revoked token.
    """

    # After a failure Redis is not asked again for this long (each failed call costs the
    # client's retries, most of a second): requests meanwhile are served in-process at once.
    PAUSE_SECONDS = 2.0

    def __init__(self, url: str, prefix: str = "portal:") -> None:
        self._redis: Redis = redis_client(url)
        self._prefix = prefix
        self._fallback = MemoryStore()
        self._paused_until = 0.0
        # one command and one reply (a MULTI/EXEC pipeline was four of each, on every request)
        self._incr = self._redis.register_script(_INCR_SCRIPT)

    @property
    def _paused(self) -> bool:
        return time.monotonic() < self._paused_until

    def _degraded(self, operation: str, key: str, exc: RedisError) -> None:
        self._paused_until = time.monotonic() + self.PAUSE_SECONDS
        logger.warning(
            "store unavailable (%s): %s %s served in-process, Redis paused for %.0f s",
            type(exc).__name__,
            operation,
            key,
            self.PAUSE_SECONDS,
        )

    async def ping(self) -> None:
        """One round trip to Redis (readiness probes); raises when it is unreachable."""
        await self._redis.ping()

    async def get(self, key: str) -> str | None:
        """Value of ``key`` or None (this worker's value when Redis is unreachable)."""
        if self._paused:
            return await self._fallback.get(key)
        try:
            value = await self._redis.get(self._prefix + key)
        except RedisError as exc:
            self._degraded("get", key, exc)
            return await self._fallback.get(key)
        return None if value is None else str(value)

    async def set(self, key: str, value: str, ttl_seconds: int | None = None) -> None:
        """Set ``key``, expiring after ``ttl_seconds`` when given."""
        if self._paused:
            await self._fallback.set(key, value, ttl_seconds)
            return
        try:
            await self._redis.set(self._prefix + key, value, ex=ttl_seconds)
        except RedisError as exc:
            self._degraded("set", key, exc)
            await self._fallback.set(key, value, ttl_seconds)

    async def incr(self, key: str, ttl_seconds: int) -> int:
        """Increment a counter atomically with a fixed expiry window (in-process on outage)."""
        if self._paused:
            return await self._fallback.incr(key, ttl_seconds)
        name = self._prefix + key
        try:
            try:  # EVALSHA straight away: redis-py's Script call imports and type-checks each time
                value = await self._redis.evalsha(self._incr.sha, 1, name, ttl_seconds)
            except NoScriptError:  # the server lost its scripts (restart, flush): load and run
                value = await self._incr(keys=[name], args=[ttl_seconds])
        except RedisError as exc:
            self._degraded("incr", key, exc)
            return await self._fallback.incr(key, ttl_seconds)
        return int(value)

    async def mget(self, keys: list[str]) -> list[str | None] | None:
        """Values of ``keys`` in one round trip; None while Redis cannot answer (no fallback)."""
        if self._paused:
            return None
        try:
            values = await self._redis.mget([self._prefix + key for key in keys])
        except RedisError as exc:
            self._degraded("mget", keys[0] if keys else "", exc)
            return None
        return [None if value is None else str(value) for value in values]

    async def delete(self, key: str) -> None:
        """Remove ``key``."""
        await self._fallback.delete(key)
        if self._paused:
            return
        try:
            await self._redis.delete(self._prefix + key)
        except RedisError as exc:
            self._degraded("delete", key, exc)

    async def close(self) -> None:
        """Close the connection pool."""
        await self._redis.aclose()


def build_store(redis_url: str | None, prefix: str = "portal:") -> Store:
    """Redis store when a URL is configured, otherwise the in-process one."""
    return RedisStore(redis_url, prefix) if redis_url else MemoryStore()
