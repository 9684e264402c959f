"""Commands (score-db, nightly, imports) publish their live events where the app listens."""

from __future__ import annotations

import asyncio
import os
import uuid
from dataclasses import replace

import pytest

from portal.core import response_cache
from portal.core.db import transaction
from portal.core.events import get_broker, publish_after_commit
from portal.core.pubsub import MemoryBroker, RedisBroker
from portal.core.services import command_services
from portal.core.store import build_store
from portal.people.tables import Opd
from portal.settings import Settings
from support.services import DEFAULT_REDIS, e2e_redis_prefix, in_ci, reachable
from support.ws import wait_for_subscribers


def _redis_url() -> str:
    url = os.environ.get("PORTAL_REDIS_URL") or DEFAULT_REDIS
    if not reachable(url):
        if in_ci():
            pytest.fail(f"Redis unreachable: {url}")
        pytest.skip(f"Redis unreachable: {url}")
    return url


async def test_a_command_publishes_through_redis_so_open_pages_hear_it(settings: Settings) -> None:
    # given an app worker listening on a supervisor's alert channel through Redis
    redis_url = _redis_url()
    prefix = e2e_redis_prefix()
    channel = f"mentoring-alerts:cli-{uuid.uuid4().hex[:8]}"
    listener = RedisBroker(redis_url, prefix + "events:")
    received: asyncio.Queue[object] = asyncio.Queue()

    async def listen() -> None:
        async for event in listener.subscribe(channel):
            await received.put(event)

    task = asyncio.create_task(listen())
    await wait_for_subscribers(redis_url, channel, 0)
    before = get_broker()
    try:
        # when a command (like `portal ml score-db`) raises an alert
        async with command_services(replace(settings, redis_url=redis_url, redis_prefix=prefix)):
            await publish_after_commit(channel, {"alert_id": 41})
        # then the worker hears it, and the process's broker is back as it was
        assert await asyncio.wait_for(received.get(), timeout=5) == {"alert_id": 41}
        assert get_broker() is before
    finally:
        task.cancel()
        await listener.close()


async def test_without_redis_a_command_keeps_its_events_in_process(settings: Settings) -> None:
    async with command_services(replace(settings, redis_url=None)):
        assert isinstance(get_broker(), MemoryBroker)


async def test_a_commands_write_moves_the_response_cache_version_the_app_workers_read(
    settings: Settings, db: None
) -> None:
    # given the app workers' shared store (Redis), as they read the response cache's version
    redis_url = _redis_url()
    prefix = f"{e2e_redis_prefix()}cmd-{uuid.uuid4().hex[:8]}:"
    shared = build_store(redis_url, prefix)
    try:
        before = await shared.get(response_cache.VERSION_KEY)
        # when a command (an import, `portal ml score-db`) commits a write
        async with command_services(
            replace(settings, redis_url=redis_url, redis_prefix=prefix, response_cache=True)
        ) as store:
            assert store is not None
            async with transaction():
                await Opd.insert(Opd(code="CMD-1", name="Dinas Perintah", short_name="DP"))
        # then the version moved once, so no worker serves an answer cached before the write
        after = await shared.get(response_cache.VERSION_KEY)
        assert int(after or 0) == int(before or 0) + 1
        # and the command's store is no longer bumped once the command is over
        async with transaction():
            await Opd.insert(Opd(code="CMD-2", name="Dinas Sesudah", short_name="DS"))
        assert await shared.get(response_cache.VERSION_KEY) == after
    finally:
        await shared.close()
