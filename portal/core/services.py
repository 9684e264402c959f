"""What a command-line run needs around its work: database pool, event broker, shared store.

A command that writes (``portal ml score-db``, ``portal ml nightly``, an import) publishes
the same live events as the app: with ``PORTAL_REDIS_URL`` set they go through Redis, so the
supervisor whose page is open on any app worker sees an alert the nightly run raised. Its
writes also move the response cache's data version in that store
(:mod:`portal.core.response_cache`), so no app worker serves an answer cached before them.
Without Redis the app's cache lives in the app's own process, out of a command's reach: its
answers then catch up with a command's writes when they expire (``TTL_SECONDS``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from piccolo.engine.postgres import PostgresEngine

from portal.core import response_cache
from portal.core.db import get_engine
from portal.core.events import get_broker, set_broker
from portal.core.pubsub import build_broker
from portal.core.store import Store, build_store
from portal.settings import Settings


@asynccontextmanager
async def command_services(settings: Settings) -> AsyncIterator[Store | None]:
    """Open the PostgreSQL pool, the broker and (with Redis) the shared store; close them after.

    Yields the shared store (None without Redis), registered for the response cache's bumps.
    """
    engine = get_engine()
    # the app (or a test) may have opened the pool already: then it is theirs to close
    pool_owner = engine if isinstance(engine, PostgresEngine) and engine.pool is None else None
    if pool_owner is not None:
        await pool_owner.start_connection_pool(min_size=1, max_size=4)
    previous = get_broker()
    broker = build_broker(settings.redis_url, settings.redis_prefix)
    set_broker(broker)
    store = build_store(settings.redis_url, settings.redis_prefix) if settings.redis_url else None
    if store is not None:
        response_cache.register(store)
    try:
        yield store
    finally:
        set_broker(previous)
        await broker.close()
        if store is not None:
            response_cache.unregister(store)
            await store.close()
        if pool_owner is not None:
            await pool_owner.close_connection_pool()
