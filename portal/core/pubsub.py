"""Event broker for subscriptions: in-process by default, Redis pub/sub when configured.

Publishing never fails a request: a broker outage is logged and the write still succeeds.
Callers publish only after their transaction commits (see :func:`portal.core.db.on_commit`).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any, Protocol

from redis.asyncio import Redis

from portal.core.store import redis_client

logger = logging.getLogger(__name__)

Event = dict[str, Any]


class Broker(Protocol):
    """Publish/subscribe on named channels."""

    async def publish(self, channel: str, event: Event) -> None:
        """Send ``event`` to every subscriber of ``channel`` on any worker."""

    def subscribe(self, channel: str) -> AsyncIterator[Event]:
        """Yield events published to ``channel`` from now on."""

    async def close(self) -> None:
        """Release connections."""


class MemoryBroker:
    """Single-process broker built on asyncio queues."""

    def __init__(self) -> None:
        self._queues: defaultdict[str, set[asyncio.Queue[Event]]] = defaultdict(set)

    async def publish(self, channel: str, event: Event) -> None:
        """Deliver to local subscribers."""
        for queue in list(self._queues.get(channel, ())):
            queue.put_nowait(event)

    async def subscribe(self, channel: str) -> AsyncIterator[Event]:
        """Yield events for ``channel`` until the consumer stops."""
        queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=1000)
        self._queues[channel].add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._queues[channel].discard(queue)
            if not self._queues[channel]:
                del self._queues[channel]

    async def close(self) -> None:
        """Nothing to release."""


class RedisBroker:
    """Broker over Redis pub/sub, so a client on worker A sees what worker B published."""

    def __init__(self, url: str, prefix: str = "portal:events:") -> None:
        self._redis: Redis = redis_client(url)
        self._prefix = prefix

    async def publish(self, channel: str, event: Event) -> None:
        """Publish; on a Redis failure log it and carry on (the write already committed)."""
        try:
            await self._redis.publish(self._prefix + channel, json.dumps(event, default=str))
        except Exception:
            logger.exception("event publish failed on channel %s", channel)

    async def subscribe(self, channel: str) -> AsyncIterator[Event]:
        """Yield events; reconnect with backoff when Redis goes away."""
        delay = 0.2
        while True:
            pubsub = self._redis.pubsub()
            try:
                await pubsub.subscribe(self._prefix + channel)
                delay = 0.2
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        yield json.loads(message["data"])
            except (ConnectionError, OSError, TimeoutError) as exc:
                logger.warning("subscription to %s lost (%s); retrying", channel, exc)
            except Exception as exc:  # redis raises its own ConnectionError hierarchy
                if "Connection" not in type(exc).__name__:
                    raise
                logger.warning("subscription to %s lost (%s); retrying", channel, exc)
            finally:
                try:
                    await pubsub.aclose()
                except Exception:
                    logger.debug("closing a broken pubsub failed", exc_info=True)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    async def close(self) -> None:
        """Close the connection pool."""
        await self._redis.aclose()


def build_broker(redis_url: str | None, prefix: str = "portal:") -> Broker:
    """Redis broker when a URL is configured, otherwise the in-process one."""
    return RedisBroker(redis_url, prefix + "events:") if redis_url else MemoryBroker()
