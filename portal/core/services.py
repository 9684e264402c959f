"""What a command-line run needs around its work: the database pool and the event broker.

A command that writes (``portal ml score-db``, ``portal ml nightly``, an import) publishes
the same live events as the app: with ``PORTAL_REDIS_URL`` set they go through Redis, so the
supervisor whose page is open on any app worker sees an alert the nightly run raised.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from piccolo.engine.postgres import PostgresEngine

from portal.core.db import get_engine
from portal.core.events import get_broker, set_broker
from portal.core.pubsub import build_broker
from portal.settings import Settings


@asynccontextmanager
async def command_services(settings: Settings) -> AsyncIterator[None]:
    """Open the PostgreSQL pool and the broker; close both afterwards."""
    engine = get_engine()
    # the app (or a test) may have opened the pool already: then it is theirs to close
    pool_owner = engine if isinstance(engine, PostgresEngine) and engine.pool is None else None
    if pool_owner is not None:
        await pool_owner.start_connection_pool(min_size=1, max_size=4)
    previous = get_broker()
    broker = build_broker(settings.redis_url, settings.redis_prefix)
    set_broker(broker)
    try:
        yield
    finally:
        set_broker(previous)
        await broker.close()
        if pool_owner is not None:
            await pool_owner.close_connection_pool()
