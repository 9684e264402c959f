"""The nightly scoring is one job however many workers schedule it (SAQ's unique cron key)."""

from __future__ import annotations

import os

import pytest

from portal.core.saq_queue import saq_queue
from portal.ops.worker import build_worker
from portal.settings import Settings
from support.services import require_services, run_tag

pytestmark = pytest.mark.services


async def test_every_worker_schedules_the_same_one_nightly_job(settings: Settings) -> None:
    import dataclasses

    _, redis_url = require_services()
    prefix = f"portal-cron-{run_tag()}-{os.getpid()}:"
    mine = dataclasses.replace(settings, redis_url=redis_url, redis_prefix=prefix)
    workers = [build_worker(mine) for _ in range(3)]  # three machines, say
    queue = saq_queue(redis_url, prefix)
    try:
        for worker in workers:
            await worker.schedule()
        job = await queue.job("cron:mentoring.nightly_scoring")
        assert job is not None
        assert job.function == "mentoring.nightly_scoring"
        # three workers, two cron jobs each: two jobs in the queue (nightly scoring, retention)
        assert await queue.count("incomplete") == 2
    finally:
        keys = [k async for k in queue.redis.scan_iter(match=f"*{prefix}*")]
        if keys:
            await queue.redis.delete(*keys)
        for worker in workers:
            await worker.queue.disconnect()
        await queue.disconnect()
