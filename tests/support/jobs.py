"""Running background jobs in tests: a SAQ worker in the test's loop, polling a job to its end."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from portal.settings import Settings
from support.api import Api


@asynccontextmanager
async def running_worker(settings: Settings) -> AsyncIterator[None]:
    """A SAQ worker in this loop when the app queues on Redis; nothing to run otherwise."""
    if not settings.redis_url:
        yield
        return
    from portal.ops.worker import build_worker

    worker = build_worker(settings, concurrency=1)
    task = asyncio.create_task(worker.start())
    try:
        yield
    finally:
        await worker.stop()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def poll(api: Api, token: str, key: str, seconds: float = 60) -> dict[str, Any]:
    seen: list[float] = []
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        data = await api.data("BackgroundJob", {"id": key}, token=token)
        state: dict[str, Any] = data["backgroundJob"]
        seen.append(state["progress"])
        if state["status"] in {"complete", "failed", "aborted"}:
            state["seen"] = seen
            return state
        assert asyncio.get_running_loop().time() < deadline, state
        await asyncio.sleep(0.05)
