"""``portal worker``: a SAQ worker running every registered job and the nightly cron job.

Start as many as needed on as many machines as needed: jobs are spread over them, a job whose
worker died is retried by another (heartbeats), and the nightly scoring is enqueued under one
key by all of them, so it runs once a night wherever a worker is free.
"""

from __future__ import annotations

from typing import Any

from saq import CronJob, Worker
from saq.types import Context

from portal.core.exports import set_file_store
from portal.core.jobs import get_queue, registered, set_queue
from portal.core.saq_queue import SaqQueue, saq_function, saq_queue
from portal.core.services import command_services
from portal.ops import delivery, jobs, retention
from portal.settings import Settings, SettingsError


def build_worker(settings: Settings, *, concurrency: int = 4) -> Worker[Context]:
    """The SAQ worker of ``settings`` (PORTAL_REDIS_URL is required)."""
    if not settings.redis_url:
        raise SettingsError("portal worker needs PORTAL_REDIS_URL (jobs run in-process without)")
    queue = saq_queue(settings.redis_url, settings.redis_prefix)
    specs = registered()
    functions = [(name, saq_function(spec)) for name, spec in specs.items()]
    nightly = specs[jobs.NIGHTLY_SCORING]
    cron = [
        CronJob(
            saq_function(nightly),
            cron=settings.scoring_cron,
            timeout=nightly.timeout_seconds,
            heartbeat=nightly.heartbeat_seconds,
            retries=nightly.retries,
        ),
        CronJob(saq_function(specs[retention.RETENTION]), cron=retention.CRON, heartbeat=120),
    ]
    services: dict[str, Any] = {}

    async def startup(_: Context) -> None:
        context = command_services(settings)
        services["context"] = context
        # the shared store, registered so a job's writes move the API's cached answers on too
        store = await context.__aenter__()
        services["queue"] = get_queue()
        set_queue(SaqQueue(queue))  # jobs may queue jobs (deliveries)
        if store is None:  # unreachable: build_worker refuses to start without PORTAL_REDIS_URL
            raise SettingsError("portal worker needs PORTAL_REDIS_URL")
        set_file_store(store)  # export jobs keep their files where the API serves them
        delivery.configure(settings)

    async def shutdown(_: Context) -> None:
        previous = services.pop("queue", None)
        if previous is not None:
            set_queue(previous)
        context = services.pop("context", None)
        if context is not None:
            await context.__aexit__(None, None, None)

    return Worker(
        queue,
        functions=functions,
        cron_jobs=cron,
        startup=startup,
        shutdown=shutdown,
        concurrency=concurrency,
        timers={"sweep": 5, "schedule": 1, "abort": 1, "worker_info": 10},
    )
