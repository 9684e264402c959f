"""The durable job queue: SAQ on Redis (see :mod:`portal.core.jobs` for why SAQ)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from saq import Queue
from saq.job import Job, Status

from portal.core.jobs import (
    JSON,
    JobContext,
    JobQueue,
    JobSpec,
    JobState,
    JobStatus,
    Submission,
    run_measured,
)

KEEP_SECONDS = 7 * 24 * 3600  # a finished job's state (progress, result) is readable a week

_STATUS = {
    Status.NEW: JobStatus.QUEUED,
    Status.QUEUED: JobStatus.QUEUED,
    Status.ACTIVE: JobStatus.ACTIVE,
    Status.ABORTING: JobStatus.ACTIVE,
    Status.ABORTED: JobStatus.ABORTED,
    Status.FAILED: JobStatus.FAILED,
    Status.COMPLETE: JobStatus.COMPLETE,
}


def saq_queue(redis_url: str, prefix: str) -> Queue:
    """The portal's SAQ queue on Redis; its keys are namespaced by the Redis prefix."""
    return Queue.from_url(redis_url, name=f"{prefix}jobs")


class SaqQueue(JobQueue):
    """Enqueue into SAQ and read job state back (the API side; ``portal worker`` runs them)."""

    def __init__(self, queue: Queue) -> None:
        self.queue = queue

    async def _submit(self, job: Submission) -> None:
        """Queue the job; a key still queued or running is not queued twice (SAQ's rule)."""
        await self.queue.enqueue(
            Job(
                function=job.spec.name,
                kwargs=job.kwargs,
                key=job.key,
                retries=job.spec.retries,
                timeout=job.spec.timeout_seconds,
                heartbeat=job.spec.heartbeat_seconds,
                retry_delay=job.spec.retry_delay_seconds,
                ttl=KEEP_SECONDS,
                meta={"owner": job.owner_account_id},
                scheduled=int(time.time() + job.delay_seconds) if job.delay_seconds > 0 else 0,
            )
        )

    async def state(self, key: str) -> JobState | None:
        """The job's state from Redis."""
        job = await self.queue.job(key)
        if job is None:
            return None
        result = job.result if isinstance(job.result, dict) else None
        return JobState(
            key=job.key,
            name=job.function,
            status=_STATUS.get(job.status, JobStatus.QUEUED),
            progress=float(job.progress),
            attempts=int(job.attempts),
            owner_account_id=job.meta.get("owner"),
            result=result,
            error=job.error.strip().splitlines()[-1] if job.error else None,
        )

    async def close(self) -> None:
        """Disconnect from Redis."""
        await self.queue.disconnect()


def saq_function(spec: JobSpec) -> Any:  # noqa: ANN401 - SAQ's function type
    """The SAQ function of a registered job: progress, heartbeats and metrics around it.

    Besides the progress the job reports, a heartbeat goes out every third of the job's
    heartbeat interval for as long as this worker's event loop runs: a job is retried
    elsewhere only when its worker is gone (killed, crashed, its machine lost).
    """

    async def run(ctx: dict[str, Any], **kwargs: Any) -> JSON | None:  # noqa: ANN401
        job: Job = ctx["job"]

        async def report(fraction: float) -> None:
            await job.update(progress=fraction)

        async def beat() -> None:
            interval = max(spec.heartbeat_seconds / 3, 0.5)
            while True:
                await asyncio.sleep(interval)
                await job.update()

        heart = asyncio.create_task(beat()) if spec.heartbeat_seconds else None
        try:
            return await run_measured(spec, JobContext(job.key, job.attempts, report), kwargs)
        finally:
            if heart is not None:
                heart.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await heart

    run.__qualname__ = spec.name  # SAQ names cron jobs after the function
    run.__name__ = spec.name
    return run
