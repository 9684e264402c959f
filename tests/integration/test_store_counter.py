"""The store's counter (the rate limit of every request) on Redis: one EVALSHA per count."""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest
from redis.exceptions import NoScriptError

from portal.core.store import RedisStore
from support.services import DEFAULT_REDIS, in_ci, reachable


def _redis_url() -> str:
    url = os.environ.get("PORTAL_REDIS_URL") or DEFAULT_REDIS
    if not reachable(url):
        if in_ci():
            pytest.fail(f"Redis unreachable: {url}")
        pytest.skip(f"Redis unreachable: {url}")
    return url


async def test_the_counter_counts_and_survives_a_server_that_lost_its_scripts() -> None:
    # given a store whose Redis answers the first EVALSHA with NOSCRIPT (a restart, a flush)
    store = RedisStore(_redis_url(), f"portal-test-counter-{uuid.uuid4().hex[:8]}:")
    real = store._redis.evalsha
    refused: list[str] = []

    async def forgetful(sha: str, *args: Any) -> Any:
        if not refused:
            refused.append(sha)
            raise NoScriptError("NOSCRIPT No matching script.")
        return await real(sha, *args)

    store._redis.evalsha = forgetful  # type: ignore[method-assign]
    try:
        # when the counter is counted three times
        counts = [await store.incr("rate:1:1", ttl_seconds=120) for _ in range(3)]

        # then every count arrived (the refused one through the script, loaded again) and the
        # key expires with its window
        assert refused
        assert counts == [1, 2, 3]
        ttl = await store._redis.ttl(store._prefix + "rate:1:1")
        assert 0 < ttl <= 120
    finally:
        await store._redis.delete(store._prefix + "rate:1:1")
        await store.close()
