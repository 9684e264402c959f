"""Time one load scenario in-process, request after request, to see what a request costs.

Runs the app in this process (Litestar's test client, no network, no concurrency), logs in as a
demo user, warms up, then issues ``--requests`` sequential requests and prints wall-clock and CPU
milliseconds per request. Under ``py-spy`` it shows where that time goes::

    PORTAL_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench PORTAL_RATE_LIMIT_PER_MINUTE=0 \\
        py-spy record --format raw -o /tmp/dashboard.txt -- \\
        python bench/profile_request.py --scenario dashboard --requests 50

Scenarios are those of ``bench/load.py`` (``raw`` included: the benchmark endpoint is switched on
here, as ``PORTAL_BENCH_ENDPOINTS=1`` does for a server).

``--compare-cache`` runs the scenario on two apps in the same process, one with the response
cache off (``PORTAL_RESPONSE_CACHE=0``: plain GraphQL execution) and one with it on, in
alternating rounds, and prints both and their ratio (the machine's noise hits both alike).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from litestar.testing import AsyncTestClient

from bench.load import _own_thread, login, one_request
from portal.app import create_app
from portal.core.documents import load_operations
from portal.settings import get_settings


async def main() -> None:
    """Parse arguments, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--user", default="atasan")
    parser.add_argument("--log-date", default=datetime.now(UTC).date().isoformat())
    parser.add_argument(
        "--compare-cache", action="store_true", help="plain vs cached, side by side"
    )
    parser.add_argument("--rounds", type=int, default=5, help="alternations of --compare-cache")
    args = parser.parse_args()
    if args.compare_cache:
        await compare_cache(args)
        return
    app = create_app(replace(get_settings(), bench_endpoints=True))
    async with AsyncTestClient(app=app) as client:
        token = await login(client, args.user)  # type: ignore[arg-type]
        state: dict[str, Any] = {"log_date": args.log_date, "batch": 20}
        if args.scenario == "thread":
            state["thread_id"] = await _own_thread(client, token)  # type: ignore[arg-type]
        for _ in range(5):
            await one_request(args.scenario, client, token, state)  # type: ignore[arg-type]
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.requests):
            await one_request(args.scenario, client, token, state)  # type: ignore[arg-type]
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{args.scenario}: {args.requests} requests, {1000 * elapsed / args.requests:.1f} ms wall "
        f"and {1000 * cpu / args.requests:.1f} ms CPU (test client and app) per request"
    )


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
