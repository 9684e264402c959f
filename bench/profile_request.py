"""Time one load scenario in-process, request after request, to see what a request costs.

Runs the app in this process (Litestar's test client, no network, no concurrency), logs in as a
demo user, warms up, then issues ``--requests`` sequential requests and prints wall-clock and CPU
milliseconds per request. Under ``py-spy`` it shows where that time goes::

    PORTAL_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench PORTAL_RATE_LIMIT_PER_MINUTE=0 \\
        py-spy record --format raw -o /tmp/dashboard.txt -- \\
        python bench/profile_request.py --scenario dashboard --requests 50

Scenarios are those of ``bench/load.py`` (``raw`` included: the benchmark endpoint is switched on
here, as ``PORTAL_BENCH_ENDPOINTS=1`` does for a server).
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
from portal.settings import get_settings


async def main() -> None:
    """Parse arguments, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--user", default="atasan")
    parser.add_argument("--log-date", default=datetime.now(UTC).date().isoformat())
    args = parser.parse_args()
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


if __name__ == "__main__":
    asyncio.run(main())
