"""Time one load scenario in-process, request after request, to see what a request costs.

Runs the app in this process (no network, no concurrency), logs in as a demo user, warms up,
then issues ``--requests`` sequential requests and prints the wall-clock and CPU milliseconds
per request: the mean and the median (and 90th percentile) of each request's own CPU time.

Two drivers: ``--driver client`` (default) sends each request through Litestar's test client
(httpx included in the figures, as in the earlier rounds); ``--driver asgi`` calls the ASGI
application directly with a prepared scope, so the figures are the app's own work (middleware,
authentication, GraphQL, serialisation) and nothing of a client.

``--cprofile N`` runs the measured requests under :mod:`cProfile` and prints the top ``N``
functions by own time and by cumulative time (the timing figures are then inflated by the
profiler; take them from a run without it). Under ``py-spy`` it shows where the time goes::

    PORTAL_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench PORTAL_RATE_LIMIT_PER_MINUTE=0 \\
        py-spy record --format raw -o /tmp/dashboard.txt -- \\
        python -m bench.profile_request --scenario dashboard --requests 50

Scenarios are those of ``bench/load.py`` (``raw`` included: the benchmark endpoint is switched on
here, as ``PORTAL_BENCH_ENDPOINTS=1`` does for a server).

``--compare-cache`` runs the scenario on two apps in the same process, one with the response
cache off (``PORTAL_RESPONSE_CACHE=0``: plain GraphQL execution) and one with it on, in
alternating rounds, and prints both and their ratio (the machine's noise hits both alike).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import statistics
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from litestar.testing import AsyncTestClient

from bench.load import FLOOR, SCREENS, _own_thread, login, one_request, operation
from portal.app import create_app
from portal.core.documents import load_operations
from portal.settings import get_settings


def asgi_request(
    app: Any, scenario: str, token: str, query: str | None = None
) -> Callable[[], Awaitable[int]]:
    """A coroutine factory that POSTs the scenario's document straight to the ASGI app.

    ``query``: the text to send instead of the operation file's (e.g. the web app's form).
    """
    if scenario == "floor":
        body = {"query": FLOOR}
    elif scenario in SCREENS:
        name = SCREENS[scenario]
        body = {"query": query or operation(name), "operationName": name, "variables": {}}
    else:
        raise SystemExit(f"--driver asgi runs floor and {', '.join(SCREENS)} only")
    payload = json.dumps(body).encode()
    headers = [
        (b"host", b"testserver"),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
        (b"authorization", f"Bearer {token}".encode()),
    ]

    async def call() -> int:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/graphql",
            "raw_path": b"/graphql",
            "root_path": "",
            "query_string": b"",
            "headers": list(headers),
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
            "state": {},
        }
        sent = False
        status = 0

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": payload, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])

        await app(scope, receive, send)
        if status != 200:
            raise SystemExit(f"{scenario}: HTTP {status}")
        return status

    return call


def top(profile: cProfile.Profile, count: int, callers: list[str]) -> None:
    """Print the top ``count`` functions by own time and by cumulative time (CPU).

    ``callers``: also print who called the functions matching these patterns.
    """
    stats = pstats.Stats(profile)
    stats.sort_stats("tottime").print_stats(count)
    stats.sort_stats("cumulative").print_stats(count)
    for pattern in callers:
        stats.print_callers(pattern)


def arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--user", default="atasan")
    parser.add_argument("--driver", choices=("client", "asgi"), default="client")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N")
    parser.add_argument("--cprofile-out", default=None, metavar="PATH")
    parser.add_argument("--callers", action="append", default=[], metavar="PATTERN")
    parser.add_argument("--log-date", default=datetime.now(UTC).date().isoformat())
    parser.add_argument(
        "--compare-cache", action="store_true", help="plain vs cached, side by side"
    )
    parser.add_argument("--rounds", type=int, default=5, help="alternations of --compare-cache")
    parser.add_argument(
        "--query-file",
        default=None,
        metavar="PATH",
        help="asgi driver: send this text instead of the operation file's (a client's form)",
    )
    return parser.parse_args()


async def main() -> None:
    """Parse arguments, run, print."""
    args = arguments()
    if args.compare_cache:
        await compare_cache(args)
        return
    app = create_app(replace(get_settings(), bench_endpoints=True))
    async with AsyncExitStack() as stack:
        if args.driver == "asgi":  # the app in this event loop (the test client has its own)
            await stack.enter_async_context(app.lifespan())
            transport = httpx.ASGITransport(app=app)
            client: Any = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        else:
            client = AsyncTestClient(app=app)
        await stack.enter_async_context(client)
        token = await login(client, args.user)  # type: ignore[arg-type]
        state: dict[str, Any] = {"log_date": args.log_date, "batch": 20}
        if args.scenario == "thread":
            state["thread_id"] = await _own_thread(client, token)  # type: ignore[arg-type]

        if args.driver == "asgi":
            query = Path(args.query_file).read_text(encoding="utf-8") if args.query_file else None  # noqa: ASYNC240 - once, before timing
            direct = asgi_request(app, args.scenario, token, query)

            async def step() -> None:
                await direct()

        else:

            async def step() -> None:
                await one_request(args.scenario, client, token, state)  # type: ignore[arg-type]

        for _ in range(max(5, args.requests // 10)):
            await step()
        profile = cProfile.Profile(time.process_time) if args.cprofile else None
        cpu_each: list[float] = []
        started, cpu = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        for _ in range(args.requests):
            one = time.process_time()
            await step()
            cpu_each.append(time.process_time() - one)
        if profile:
            profile.disable()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    report(args, elapsed, cpu, cpu_each, profile)


def report(
    args: argparse.Namespace,
    elapsed: float,
    cpu: float,
    cpu_each: list[float],
    profile: cProfile.Profile | None,
) -> None:
    """Print the per-request figures (and the profile's top entries)."""
    cpu_each.sort()
    p90 = cpu_each[min(len(cpu_each) - 1, int(0.9 * len(cpu_each)))]
    print(
        f"{args.scenario} ({args.driver}): {args.requests} requests, "
        f"{1000 * elapsed / args.requests:.2f} ms wall and {1000 * cpu / args.requests:.2f} ms "
        f"CPU per request (mean); CPU median {1000 * statistics.median(cpu_each):.2f} ms, "
        f"p90 {1000 * p90:.2f} ms"
    )
    if profile:
        top(profile, args.cprofile, args.callers)
        if args.cprofile_out:
            profile.dump_stats(args.cprofile_out)


SCREEN_OPERATIONS = {"dashboard": "SupervisorDashboard", "home": "EmployeeHome"}


async def _post(client: Any, document: str, name: str, token: str) -> bytes:
    response = await client.post(
        "/graphql",
        json={"query": document, "variables": {}, "operationName": name},
        headers={"Authorization": f"Bearer {token}"},
    )
    if response.status_code != 200 or b'"errors"' in response.content:
        raise SystemExit(f"{name}: {response.status_code} {response.text[:300]}")
    return bytes(response.content)


async def _timed(client: Any, document: str, name: str, token: str, n: int) -> tuple[float, float]:
    """Wall and CPU seconds of ``n`` sequential requests."""
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        await _post(client, document, name, token)
    return time.perf_counter() - started, time.process_time() - cpu


async def compare_cache(args: argparse.Namespace) -> None:
    """A screen answered by plain execution and from the response cache, alternating.

    One app with the cache on: the named document is served from the cache, the same document
    with a trailing comment is unknown to it and executes normally (the same work as with
    ``PORTAL_RESPONSE_CACHE=0``). Both must answer the same bytes.
    """
    name = SCREEN_OPERATIONS[args.scenario]
    document = load_operations(get_settings().operations_dir)[name].document
    documents = {
        "plain": document + "\n# not the named text: plain execution\n",
        "cached": document,
    }
    totals = {"plain": [0.0, 0.0], "cached": [0.0, 0.0]}
    app = create_app(replace(get_settings(), response_cache=True))
    async with AsyncTestClient(app=app) as client:
        token = await login(client, args.user)  # type: ignore[arg-type]
        bodies = {k: await _post(client, d, name, token) for k, d in documents.items()}
        if bodies["plain"] != bodies["cached"]:
            raise SystemExit("the cached answer differs from plain execution")
        for _ in range(args.rounds):
            for kind, text in documents.items():
                wall, cpu = await _timed(client, text, name, token, args.requests)
                totals[kind][0] += wall
                totals[kind][1] += cpu
    n = args.rounds * args.requests
    for kind, (wall, cpu) in totals.items():
        print(
            f"{name} {kind}: {n} requests, {1000 * wall / n:.2f} ms wall, "
            f"{1000 * cpu / n:.2f} ms CPU per request ({len(bodies[kind])} bytes)"
        )
    print(f"{name}: cached/plain throughput {totals['plain'][0] / totals['cached'][0]:.1f}x")


if __name__ == "__main__":
    asyncio.run(main())
