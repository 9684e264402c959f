"""Prometheus metrics: what an operator watches, in the standard exposition format.

One set of metric objects per process. With several uvicorn workers ``portal serve`` points
``PROMETHEUS_MULTIPROC_DIR`` at a fresh directory before the workers start: every process then
writes its samples to files there and ``/metrics`` (any worker) sums them
(:func:`exposition`). Gauges say how they combine across processes (``livesum``: open
subscriptions and pool connections add up over the live workers).

Labels stay bounded: a GraphQL operation is labelled with its name only when it is one of the
repository's named operations (``graphql/operations/``), anything else is ``other``; a REST
request with its route template, never the raw path.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from strawberry.extensions import SchemaExtension

from portal.core.db import count_queries
from portal.core.requests import RequestState, current_request_state

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
OTHER = "other"

REQUESTS = Counter(
    "portal_requests_total",
    "Requests by named operation (GraphQL operation or REST route) and outcome.",
    ["operation", "outcome"],
)
LATENCY = Histogram(
    "portal_request_duration_seconds",
    "Request latency by named operation.",
    ["operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
SQL_PER_REQUEST = Histogram(
    "portal_sql_statements_per_request",
    "SQL statements one request ran, by named operation.",
    ["operation"],
    buckets=(0, 1, 2, 5, 10, 20, 50, 100, 250),
)
GRAPHQL_ERRORS = Counter(
    "portal_graphql_errors_total", "GraphQL errors by extensions.code.", ["code"]
)
DB_POOL = Gauge(
    "portal_db_pool_connections",
    "PostgreSQL pool connections of the API workers (state=size|idle|max).",
    ["state"],
    multiprocess_mode="livesum",
)
REDIS_UP = Gauge(
    "portal_redis_up",
    "1 when Redis answered PING at the last scrape, 0 when not, -1 when not configured.",
    multiprocess_mode="livemax",
)
REDIS_LATENCY = Gauge(
    "portal_redis_ping_seconds",
    "Round trip of Redis PING at the last scrape.",
    multiprocess_mode="livemax",
)
SUBSCRIPTIONS_OPEN = Gauge(
    "portal_subscriptions_open",
    "GraphQL WebSocket streams open now (all workers).",
    multiprocess_mode="livesum",
)
LOGIN_FAILURES = Counter(
    "portal_login_failures_total",
    "Failed logins by reason (LOGIN_FAILED: bad password, LOGIN_LOCKED: lockout started).",
    ["reason"],
)
THROTTLED = Counter(
    "portal_rate_limited_total", "Requests refused by the per-user rate limit (HTTP 429)."
)
JOB_RUNS = Counter(
    "portal_job_runs_total", "Background job runs by job and outcome.", ["job", "outcome"]
)
JOB_DURATION = Histogram(
    "portal_job_duration_seconds",
    "Background job duration.",
    ["job"],
    buckets=(0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600),
)
NOTIFICATIONS_SENT = Counter(
    "portal_notifications_delivered_total",
    "Notification deliveries outside the portal by channel and outcome.",
    ["channel", "outcome"],
)
SCORING_HIGH_SHARE = Gauge(
    "portal_scoring_high_share",
    "Share of scored employees in the HIGH band at the last scoring run.",
    multiprocess_mode="mostrecent",
)
SCORING_DRIFT = Gauge(
    "portal_scoring_drift",
    "Share of the last run at or above the model's own HIGH threshold minus its mentoring "
    "capacity share (HIGH itself is the capacity share; near 0 when the population looks "
    "like the training data).",
    multiprocess_mode="mostrecent",
)
SCORING_LAST_RUN = Gauge(
    "portal_scoring_last_run_timestamp_seconds",
    "When the last scoring run finished (Unix time).",
    multiprocess_mode="mostrecent",
)

# every metric family the portal exports (the scrape test checks each of them)
METRIC_NAMES = (
    "portal_requests_total",
    "portal_request_duration_seconds",
    "portal_sql_statements_per_request",
    "portal_graphql_errors_total",
    "portal_db_pool_connections",
    "portal_redis_up",
    "portal_redis_ping_seconds",
    "portal_subscriptions_open",
    "portal_login_failures_total",
    "portal_rate_limited_total",
    "portal_job_runs_total",
    "portal_job_duration_seconds",
    "portal_notifications_delivered_total",
    "portal_scoring_high_share",
    "portal_scoring_drift",
    "portal_scoring_last_run_timestamp_seconds",
)


def multiprocess_dir() -> str | None:
    """The shared sample directory of a multi-worker server, or None (one process)."""
    return os.environ.get(MULTIPROC_ENV) or None


_LIVE_FILE = re.compile(r"^gauge_live\w+?_(\d+)\.db$")


def reap_dead_workers(directory: str) -> list[int]:
    """Drop the ``live*`` gauge files of worker processes that exited (restarted workers).

    uvicorn has no child-exit hook like gunicorn's, so each scrape does what that hook would:
    a dead worker's open subscriptions and pool connections no longer count.
    """
    dead = set()
    for path in Path(directory).iterdir():
        match = _LIVE_FILE.match(path.name)
        if match is None:
            continue
        pid = int(match.group(1))
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            dead.add(pid)
        except PermissionError:  # alive, another user's
            continue
    for pid in dead:
        multiprocess.mark_process_dead(pid, directory)  # type: ignore[no-untyped-call]
    return sorted(dead)


def registry() -> CollectorRegistry:
    """What a scrape reads: every process's samples (multiprocess mode), or this process's."""
    directory = multiprocess_dir()
    if not directory:
        return REGISTRY
    reap_dead_workers(directory)
    collected = CollectorRegistry()
    multiprocess.MultiProcessCollector(collected, path=directory)  # type: ignore[no-untyped-call]
    return collected


def exposition() -> tuple[bytes, str]:
    """The metrics of every worker (multiprocess mode) or of this process, and the type."""
    return generate_latest(registry()), CONTENT_TYPE_LATEST


def record_scoring(
    *, scored: int, high: int, above_threshold: int, capacity_share: float | None
) -> None:
    """Gauges of a finished scoring run.

    HIGH is the top capacity share of each run, so the drift gauge compares what the model's
    own threshold would have flagged (``above_threshold``) with that share.
    """
    SCORING_HIGH_SHARE.set(high / scored if scored else 0.0)
    if capacity_share is not None:
        SCORING_DRIFT.set((above_threshold / scored if scored else 0.0) - capacity_share)
    SCORING_LAST_RUN.set(time.time())


def record_pool(size: int, idle: int, maximum: int) -> None:
    """This worker's PostgreSQL pool (summed over workers)."""
    DB_POOL.labels("size").set(size)
    DB_POOL.labels("idle").set(idle)
    DB_POOL.labels("max").set(maximum)


def observe_request(state: RequestState, *, status: int, seconds: float, statements: int) -> None:
    """Record one finished HTTP request."""
    operation = state.operation or OTHER
    if state.outcome is not None:
        outcome = state.outcome
    elif status >= 500:  # noqa: PLR2004
        outcome = "server_error"
    elif status >= 400:  # noqa: PLR2004
        outcome = "client_error"
    else:
        outcome = "ok"
    REQUESTS.labels(operation, outcome).inc()
    LATENCY.labels(operation).observe(seconds)
    SQL_PER_REQUEST.labels(operation).observe(statements)


class MetricsMiddleware:
    """Times every HTTP request, counts its SQL statements and labels it with its operation."""

    def __init__(self, app: Any, *, skip: Iterable[str] = ("/metrics",)) -> None:  # noqa: ANN401
        self.app = app
        self.skip = frozenset(skip)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:  # noqa: ANN401
        """Measure one request (WebSockets only get a state: their streams are gauged)."""
        state = RequestState()
        token = current_request_state.set(state)
        try:
            if scope["type"] != "http" or scope.get("path") in self.skip:
                await self.app(scope, receive, send)
                return
            await self._measure(state, scope, receive, send)
        finally:
            current_request_state.reset(token)

    async def _measure(self, state: RequestState, scope: Any, receive: Any, send: Any) -> None:  # noqa: ANN401
        if state.operation is None:
            template = scope.get("path_template")
            state.operation = f"{scope.get('method', 'GET')} {template}" if template else None
        status = 500
        started = time.perf_counter()

        async def send_wrapper(message: Any) -> None:  # noqa: ANN401
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        with count_queries() as counter:
            try:
                await self.app(scope, receive, send_wrapper)
            finally:
                observe_request(
                    state,
                    status=status,
                    seconds=time.perf_counter() - started,
                    statements=counter[0],
                )


class OperationMetrics(SchemaExtension):
    """Names the request after its GraphQL operation (when a known one) and sets its outcome.

    Outcome: ``ok``, ``error`` (the operation returned errors; the codes are counted in
    ``portal_graphql_errors_total``), or ``refused`` (it never ran: parse or validation).
    """

    known: frozenset[str] = frozenset()

    def on_operation(self) -> Any:  # noqa: ANN401 - a generator hook
        """Label and judge the operation once it is over (however it ended)."""
        yield
        context = self.execution_context
        result = context.result
        refused = bool(context.pre_execution_errors)
        errors = list(context.pre_execution_errors or [])
        if result is not None and not refused:
            errors = list(result.errors or [])
        for error in errors:
            # as the response says it (portal.app.process_result): uncoded = a refused document
            code = (error.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED")
            GRAPHQL_ERRORS.labels(str(code)).inc()
        state = current_request_state.get()
        if state is None:
            return
        name = context.operation_name
        state.operation = f"graphql {name}" if name in self.known else f"graphql {OTHER}"
        if refused:
            state.outcome = "refused"
        elif errors:
            state.outcome = "error"
        else:
            state.outcome = "user_error" if _has_user_errors(result) else "ok"


def _has_user_errors(result: Any) -> bool:  # noqa: ANN401 - an execution result
    """Whether a mutation payload answered with ``userErrors`` (bad input, not a failure)."""
    data = getattr(result, "data", None) or {}
    return any(isinstance(v, dict) and v.get("userErrors") for v in data.values())


def operation_metrics(known: Iterable[str]) -> type[OperationMetrics]:
    """The extension class, knowing the named operations that may label metrics."""
    return type("PortalOperationMetrics", (OperationMetrics,), {"known": frozenset(known)})
