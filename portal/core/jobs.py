"""Background jobs: durable on Redis with SAQ, in-process without Redis.

Why SAQ: it is asyncio-native like every service of the portal (a job calls the same async
service functions as a request, no thread or event-loop bridging), it keeps a job's progress
on the job itself (``job.update(progress=…)``, read back through GraphQL), it recovers jobs of
a worker that died (each job sends heartbeats; the sweep of any other worker retries a job
whose heartbeat stopped), and its cron jobs are unique per queue (the nightly scoring is
enqueued under one key by every worker, so it runs once across all workers and machines).
litestar-saq wraps the same queue in a Litestar plugin that also starts workers inside the web
processes and adds its own CLI; the portal keeps API and job workers as separate processes
(``portal serve``, ``portal worker``) and needs none of it, so it is not used.

Jobs are named functions registered with :func:`job` (``portal.ops.jobs`` holds them);
services and resolvers enqueue by name through :func:`get_queue`. Without ``PORTAL_REDIS_URL``
an :class:`InProcessQueue` runs the same functions as tasks of the API process, with the
same retries and progress, so ``portal demo`` needs nothing else.

A job must be safe to run again: a worker killed mid-job leaves its transaction uncommitted,
and the retry starts from the beginning.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from portal.core.auth import Role, Viewer
from portal.core.metrics import JOB_DURATION, JOB_RUNS

logger = logging.getLogger(__name__)

JSON = dict[str, Any]


class JobStatus:
    """A job's state (the names SAQ uses)."""

    QUEUED = "queued"
    ACTIVE = "active"
    COMPLETE = "complete"
    FAILED = "failed"
    ABORTED = "aborted"


@dataclass(frozen=True, slots=True)
class JobState:
    """What a client may know about a job."""

    key: str
    name: str
    status: str
    progress: float
    attempts: int
    owner_account_id: int | None
    result: JSON | None = None
    error: str | None = None


class JobContext:
    """What a running job function gets: its key, its attempt, and a way to report progress."""

    def __init__(self, key: str, attempt: int, report: Callable[[float], Awaitable[None]]) -> None:
        self.key = key
        self.attempt = attempt
        self._report = report
        self._last = -1.0

    async def progress(self, fraction: float, *, force: bool = False) -> None:
        """Report progress 0..1 (also the job's heartbeat); sent at most every 1 %."""
        fraction = min(max(fraction, 0.0), 1.0)
        if force or fraction - self._last >= 0.01 or fraction >= 1.0:  # noqa: PLR2004
            self._last = fraction
            await self._report(fraction)


JobFunction = Callable[..., Awaitable[JSON | None]]


@dataclass(frozen=True, slots=True)
class JobSpec:
    """A registered job: its function and how it is retried."""

    name: str
    function: JobFunction
    retries: int = 3
    timeout_seconds: int = 3600
    heartbeat_seconds: int = 30  # a job silent this long (worker killed) is retried
    retry_delay_seconds: float = 5.0


_REGISTRY: dict[str, JobSpec] = {}


def job(
    name: str,
    *,
    retries: int = 3,
    timeout_seconds: int = 3600,
    heartbeat_seconds: int = 30,
    retry_delay_seconds: float = 5.0,
) -> Callable[[JobFunction], JobFunction]:
    """Register ``async def fn(ctx: JobContext, **kwargs) -> dict | None`` as job ``name``."""

    def register(function: JobFunction) -> JobFunction:
        _REGISTRY[name] = JobSpec(
            name, function, retries, timeout_seconds, heartbeat_seconds, retry_delay_seconds
        )
        return function

    return register


def registered() -> dict[str, JobSpec]:
    """Every registered job."""
    return dict(_REGISTRY)


def spec_of(name: str) -> JobSpec:
    """The registered job ``name`` (KeyError when unknown)."""
    return _REGISTRY[name]


async def run_measured(spec: JobSpec, ctx: JobContext, kwargs: JSON) -> JSON | None:
    """Run a job function, counting the run and its duration by outcome."""
    started = time.perf_counter()
    try:
        result = await spec.function(ctx, **kwargs)
    except asyncio.CancelledError:
        JOB_RUNS.labels(spec.name, "aborted").inc()
        raise
    except Exception:
        JOB_RUNS.labels(spec.name, "failed").inc()
        JOB_DURATION.labels(spec.name).observe(time.perf_counter() - started)
        raise
    JOB_RUNS.labels(spec.name, "complete").inc()
    JOB_DURATION.labels(spec.name).observe(time.perf_counter() - started)
    return result


@dataclass(frozen=True, slots=True)
class Submission:
    """A job to queue, as :meth:`JobQueue.enqueue` resolved it: its spec and its key."""

    spec: JobSpec
    key: str
    owner_account_id: int | None
    delay_seconds: float
    kwargs: JSON


class JobQueue(ABC):
    """Enqueue jobs and read their state."""

    async def enqueue(
        self,
        name: str,
        *,
        owner_account_id: int | None = None,
        key: str | None = None,
        delay_seconds: float = 0,
        **kwargs: Any,  # noqa: ANN401 - JSON values
    ) -> str:
        """Queue job ``name`` with ``kwargs`` (JSON values); return its key.

        A key already queued or running is not queued again.
        """
        spec = spec_of(name)
        key = key or uuid.uuid4().hex
        await self._submit(Submission(spec, key, owner_account_id, delay_seconds, kwargs))
        return key

    @abstractmethod
    async def _submit(self, job: Submission) -> None:
        """Queue ``job`` unless its key is queued or running."""

    @abstractmethod
    async def state(self, key: str) -> JobState | None:
        """The job's state (None when unknown or expired)."""

    @abstractmethod
    async def close(self) -> None:
        """Release connections (and, in process, wait for nothing: running jobs are cancelled)."""


@dataclass(slots=True)
class _Entry:
    state: JobState
    kwargs: JSON
    task: asyncio.Task[None] | None = None
    history: list[float] = field(default_factory=list)


class InProcessQueue(JobQueue):
    """Jobs as tasks of this process (no Redis): same functions, retries and progress."""

    def __init__(self, *, keep: int = 1000) -> None:
        self._jobs: dict[str, _Entry] = {}
        self._keep = keep

    async def _submit(self, job: Submission) -> None:
        """Start the job in a task now (a key already running or queued is not started again)."""
        existing = self._jobs.get(job.key)
        if existing is not None and existing.state.status in {JobStatus.QUEUED, JobStatus.ACTIVE}:
            return
        name = job.spec.name
        state = JobState(job.key, name, JobStatus.QUEUED, 0.0, 0, job.owner_account_id)
        entry = _Entry(state, job.kwargs)
        self._jobs[job.key] = entry
        entry.task = asyncio.create_task(
            self._run(job.spec, entry, job.delay_seconds), name=f"job:{name}:{job.key}"
        )
        self._trim()

    async def _run(self, spec: JobSpec, entry: _Entry, delay_seconds: float = 0) -> None:
        if delay_seconds > 0:
            await asyncio.sleep(delay_seconds)
        for attempt in range(1, spec.retries + 1):
            entry.state = _replace(entry.state, status=JobStatus.ACTIVE, attempts=attempt)

            async def report(fraction: float) -> None:
                entry.state = _replace(entry.state, progress=fraction)

            ctx = JobContext(entry.state.key, attempt, report)
            try:
                result = await run_measured(spec, ctx, entry.kwargs)
            except asyncio.CancelledError:
                entry.state = _replace(entry.state, status=JobStatus.ABORTED)
                raise
            except Exception as exc:
                logger.warning(
                    "job %s %s failed (attempt %d)",
                    spec.name,
                    entry.state.key,
                    attempt,
                    exc_info=True,
                )
                entry.state = _replace(entry.state, error=f"{type(exc).__name__}: {exc}")
                if attempt < spec.retries:
                    await asyncio.sleep(spec.retry_delay_seconds)
                    continue
                entry.state = _replace(entry.state, status=JobStatus.FAILED)
                return
            entry.state = _replace(
                entry.state, status=JobStatus.COMPLETE, progress=1.0, result=result, error=None
            )
            return

    def _trim(self) -> None:
        finished = [
            k
            for k, e in self._jobs.items()
            if e.state.status not in {JobStatus.QUEUED, JobStatus.ACTIVE}
        ]
        for k in finished[: max(0, len(self._jobs) - self._keep)]:
            del self._jobs[k]

    async def state(self, key: str) -> JobState | None:
        """The job's state."""
        entry = self._jobs.get(key)
        return entry.state if entry else None

    async def wait(self, key: str) -> JobState | None:
        """Wait for the job to finish (tests, the CLI)."""
        entry = self._jobs.get(key)
        if entry is not None and entry.task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(entry.task)
        return await self.state(key)

    async def close(self) -> None:
        """Cancel the jobs still running."""
        tasks = [e.task for e in self._jobs.values() if e.task is not None and not e.task.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _replace(state: JobState, **changes: Any) -> JobState:  # noqa: ANN401
    values = {name: getattr(state, name) for name in JobState.__slots__}
    values.update(changes)
    return JobState(**values)


_queue: JobQueue = InProcessQueue()


def set_queue(queue: JobQueue) -> None:
    """Install this process's queue (the app's start-up, ``portal worker``)."""
    global _queue  # noqa: PLW0603 - one queue per process, set at start-up
    _queue = queue


def get_queue() -> JobQueue:
    """This process's queue."""
    return _queue


def viewer_snapshot(viewer: Viewer) -> JSON:
    """The viewer as job arguments: the job acts with the rights held when it was started."""
    return {
        "account_id": viewer.account_id,
        "username": viewer.username,
        "employee_id": viewer.employee_id,
        "employee_opd_id": viewer.employee_opd_id,
        "roles": sorted(r.value for r in viewer.roles),
        "admin_opd_ids": sorted(viewer.admin_opd_ids),
    }


def viewer_from_snapshot(snapshot: JSON) -> Viewer:
    """Rebuild the viewer of :func:`viewer_snapshot` inside the job."""
    return Viewer(
        account_id=int(snapshot["account_id"]),
        username=str(snapshot["username"]),
        employee_id=snapshot.get("employee_id"),
        employee_opd_id=snapshot.get("employee_opd_id"),
        roles=frozenset(Role(r) for r in snapshot.get("roles", ()) if r in Role.__members__),
        admin_opd_ids=frozenset(int(i) for i in snapshot.get("admin_opd_ids", ())),
    )
