"""Load generator: concurrent clients against running portal workers, with latency percentiles.

Scenarios (each a named GraphQL operation from graphql/operations/, or the raw JSON endpoint):

- ``dashboard``: a supervisor's dashboard in one request, SupervisorDashboard (team progress,
  pending verifications, latest open mentoring alerts, unread notification count).
- ``team``: TeamProgress alone (team progress and pending verifications, no alerts).
- ``floor``: ``{ viewer { username } }``, the cheapest authenticated request: the machine's
  floor, what 50 clients get when a request does almost nothing.
- ``raw``: GET /api/team-dashboard, the same payload from the same service code as plain JSON.
- ``home``: an employee's home screen in one request, EmployeeHome (SKP progress, unread
  feedback and latest threads, training recommendations, support offers, notification count).
- ``home3``: the former home screen as three requests (MySkp, Notifications, FeedbackThreads).
- ``log``: LogActivity with a fresh idempotency key per request (writes).
- ``batch``: LogActivities, ``--batch`` activities per request (a phone syncing what it
  recorded offline); throughput is also reported in writes per second.
- ``thread``: PostFeedbackMessage then FeedbackThreadMessages in a thread of the user's own.
- ``mix``: people reading screens. One client per user: ``--users`` are supervisors,
  ``--employees`` employees; each opens the app (Viewer and the layout's Notifications badge),
  then visits screens drawn from its persona's mix (:data:`MIX`), each screen sending what the
  web app's screen sends (web/src: the home screen is EmployeeHome + today's Activities +
  open Surveys, in parallel), with a think time of ``--think-ms`` on average between screens.
  Latency percentiles are per request; ``screens`` gives each screen's p95 (all its requests).

Run the workers with ``PORTAL_QUERY_COUNT_HEADER=1`` to record SQL statements per request, and
with ``PORTAL_BENCH_ENDPOINTS=1`` for the ``raw`` scenario (the endpoint is off by default).
By default every client sends its next request as soon as the previous answer arrives (closed
loop, the saturation figure); ``--think-ms`` makes each client pause that long between requests,
like a person reading the screen, which sets the offered load instead.
Example::

    python bench/load.py --url http://127.0.0.1:8001 --url http://127.0.0.1:8002 \\
        --scenario dashboard --clients 50 --seconds 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import statistics
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import httpx

OPS = Path(__file__).resolve().parents[1] / "graphql" / "operations"
PASSWORD = "Tangsel#2026"
# Scenarios that fetch a whole screen with one named operation, without variables.
SCREENS = {
    "dashboard": "SupervisorDashboard",
    "team": "TeamProgress",
    "home": "EmployeeHome",
}
FLOOR = "query Floor { viewer { username } }"

# What each screen of the web app sends when it opens (web/src/*/*Screen.tsx, the useQuery
# calls with their variables; "$today" and "$year" are filled in), sent in parallel.
Step = tuple[str, dict[str, Any]]
HOME: list[Step] = [
    ("EmployeeHome", {}),
    ("Activities", {"first": 20, "filter": {"dateFrom": "$today", "dateTo": "$today"}}),
    ("Surveys", {"first": 5, "openOnly": True}),
]
SCREENS_SENT: dict[str, list[Step]] = {
    "home": HOME,  # performance/HomeScreen.tsx
    "team": [("SupervisorDashboard", {})],  # performance/TeamScreen.tsx
    "verify": [("Activities", {"first": 50, "filter": {"pendingForMe": True}})],  # VerifyScreen
    "activities": [("Activities", {"first": 30})],  # performance/ActivitiesScreen.tsx
    "log": [("MySkp", {})],  # performance/LogActivityScreen.tsx, then LogActivity (a write)
    "feedback": [("FeedbackThreads", {"first": 30})],  # feedback/FeedbackScreen.tsx
    "notifications": [("Notifications", {"first": 30})],  # notifications/NotificationsScreen
    "alerts": [("MentoringAlerts", {"first": 30})],  # mentoring/AlertsScreen.tsx
    "training": [  # training/TrainingScreen.tsx
        ("JpLedger", {}),
        ("TrainingRecommendations", {"limit": 5}),
        ("TrainingAssignments", {"first": 20, "year": "$year"}),
    ],
}
APP_START: list[Step] = [("Viewer", {}), ("Notifications", {"first": 1})]  # app/viewer, Layout
# How often each persona opens each screen (relative weights): a supervisor mostly watches the
# team and verifies, an employee mostly opens home and logs activities.
MIX: dict[str, dict[str, int]] = {
    "supervisor": {
        "team": 4,
        "verify": 2,
        "home": 2,
        "alerts": 1,
        "notifications": 1,
        "feedback": 1,
    },
    "employee": {
        "home": 4,
        "log": 3,
        "activities": 2,
        "feedback": 1,
        "notifications": 1,
        "training": 1,
    },
}


def busy_seconds() -> float:
    """CPU seconds the machine has spent busy since boot, every core (-inf without /proc)."""
    try:
        line = Path("/proc/stat").read_text(encoding="ascii").split("\n", 1)[0]
    except OSError:
        return -math.inf
    fields = [int(x) for x in line.split()[1:9]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # less idle, iowait


def _serving(cpu_seconds: float, elapsed: float, requests: int) -> dict[str, float]:
    """Cores in use and CPU milliseconds per request of serving (nothing without /proc)."""
    if cpu_seconds < 0:
        return {}
    return {
        "serving_cores": round(cpu_seconds / elapsed, 2),
        "serving_cpu_ms_per_request": round(cpu_seconds * 1000 / max(1, requests), 2),
    }


@cache
def operation(name: str) -> str:
    """The document that defines operation ``name`` (read once)."""
    for path in OPS.rglob(f"{name}.graphql"):
        return path.read_text(encoding="utf-8")
    raise SystemExit(f"unknown operation {name}")


@dataclass
class Stats:
    """Latencies and counters of one scenario run."""

    latencies: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    def summary(self, seconds: float) -> dict[str, Any]:
        """Throughput and percentiles."""
        lat = sorted(self.latencies)

        def pct(p: float) -> float:
            return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")

        return {
            "requests": len(lat),
            "errors": self.errors,
            "throughput_rps": round(len(lat) / seconds, 1),
            "p50_ms": round(pct(0.50), 1),
            "p95_ms": round(pct(0.95), 1),
            "p99_ms": round(pct(0.99), 1),
            "sql_per_request": (round(statistics.mean(self.queries), 1) if self.queries else None),
            "sql_min_max": (min(self.queries), max(self.queries)) if self.queries else None,
            "statuses": self.statuses,
        }


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else float("nan")


async def login(client: httpx.AsyncClient, username: str) -> str:
    """Access token of a demo user."""
    body = {
        "query": operation("Login"),
        "operationName": "Login",
        "variables": {"input": {"username": username, "password": PASSWORD}},
    }
    data = (await client.post("/graphql", json=body)).json()["data"]["login"]
    if data["userErrors"]:
        raise SystemExit(f"login {username}: {data['userErrors']}")
    return str(data["accessToken"])


async def login_all(client: httpx.AsyncClient, users: list[str]) -> dict[str, str]:
    """Access tokens of ``users``, four logins at a time (password hashing is slow)."""
    gate = asyncio.Semaphore(4)
    tokens: dict[str, str] = {}

    async def log_in(user: str) -> None:
        async with gate:
            tokens[user] = await login(client, user)

    await asyncio.gather(*(log_in(user) for user in dict.fromkeys(users)))
    return tokens


async def gql(
    client: httpx.AsyncClient, name: str, variables: dict[str, Any], token: str
) -> httpx.Response:
    """POST a named operation."""
    return await client.post(
        "/graphql",
        json={"query": operation(name), "operationName": name, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )


def _ok(response: httpx.Response) -> bool:
    if response.status_code != 200:
        return False
    if response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        return not body.get("errors") if isinstance(body, dict) else True
    return True


async def _batch(client: httpx.AsyncClient, token: str, state: dict[str, Any]) -> httpx.Response:
    """One offline-sync upload of ``state["batch"]`` new activities."""
    items = [
        {
            "idempotencyKey": f"bench-{uuid.uuid4()}",
            "activity": {
                "activityDate": state["log_date"],
                "description": "Pelayanan imunisasi (benchmark, unggahan luring)",
                "quantity": 1,
                "unit": "dosis vaksin",
            },
        }
        for _ in range(state["batch"])
    ]
    response = await gql(client, "LogActivities", {"input": {"items": items}}, token)
    if response.status_code == 200:
        for result in response.json()["data"]["logActivities"]["results"]:
            if result["userErrors"]:
                state["write_errors"] = state.get("write_errors", 0) + 1
            else:
                state.setdefault("written", []).append(result["activity"]["id"])
    return response


async def _log(client: httpx.AsyncClient, token: str, state: dict[str, Any]) -> httpx.Response:
    """LogActivity with a fresh idempotency key (acknowledged ids go to ``state["written"]``)."""
    variables = {
        "input": {
            "idempotencyKey": f"bench-{uuid.uuid4()}",
            "activity": {
                "activityDate": state["log_date"],
                "description": "Pelayanan imunisasi (benchmark)",
                "quantity": 3,
                "unit": "dosis vaksin",
            },
        }
    }
    response = await gql(client, "LogActivity", variables, token)
    if response.status_code == 200:
        payload = (response.json().get("data") or {}).get("logActivity")
        if payload is None:  # a GraphQL error: counted by the caller
            return response
        if payload["userErrors"]:
            state["write_errors"] = state.get("write_errors", 0) + 1
        else:
            state.setdefault("written", []).append(payload["activity"]["id"])
    return response


def _fill(variables: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
    """``variables`` with "$today" and "$year" replaced (the web app's dates)."""
    text = json.dumps(variables)
    text = text.replace('"$today"', json.dumps(state["log_date"]))
    return dict(json.loads(text.replace('"$year"', state["log_date"][:4])))


async def one_request(  # noqa: PLR0911 - one branch per scenario
    scenario: str, client: httpx.AsyncClient, token: str, state: dict[str, Any]
) -> list[httpx.Response]:
    """Issue one scenario step; return the responses it produced."""
    if scenario in SCREENS:
        return [await gql(client, SCREENS[scenario], {}, token)]
    if scenario == "floor":
        return [
            await client.post(
                "/graphql", json={"query": FLOOR}, headers={"Authorization": f"Bearer {token}"}
            )
        ]
    if scenario == "raw":
        return [
            await client.get("/api/team-dashboard", headers={"Authorization": f"Bearer {token}"})
        ]
    if scenario == "home3":
        return [
            await gql(client, "MySkp", {}, token),
            await gql(client, "Notifications", {"first": 10}, token),
            await gql(client, "FeedbackThreads", {"first": 10}, token),
        ]
    if scenario == "log":
        return [await _log(client, token, state)]
    if scenario == "batch":
        return [await _batch(client, token, state)]
    if scenario == "thread":
        thread = state["thread_id"]
        post = await gql(
            client,
            "PostFeedbackMessage",
            {"input": {"threadId": thread, "body": "Siap, Pak."}},
            token,
        )
        read = await gql(client, "FeedbackThreadMessages", {"id": thread, "first": 20}, token)
        return [post, read]
    raise SystemExit(f"unknown scenario {scenario}")


async def worker_loop(
    scenario: str, url: str, token: str, deadline: float, stats: Stats, state: dict[str, Any]
) -> None:
    """One client: issue requests until the deadline (pausing ``think`` seconds in between)."""
    think = state.get("think", 0.0)
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        if think:  # spread the clients' first requests over one think time
            await asyncio.sleep(random.uniform(0, think))
        first = True
        while time.perf_counter() < deadline:
            if think and not first:
                await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))
            first = False
            started = time.perf_counter()
            try:
                responses = await one_request(scenario, client, token, state)
            except httpx.HTTPError:
                stats.errors += 1
                continue
            stats.latencies.append(time.perf_counter() - started)
            for response in responses:
                stats.statuses[response.status_code] = (
                    stats.statuses.get(response.status_code, 0) + 1
                )
                if not _ok(response):
                    stats.errors += 1
                header = response.headers.get("x-sql-queries")
                if header is not None:
                    stats.queries.append(int(header))


def _record(stats: Stats, response: httpx.Response) -> None:
    stats.statuses[response.status_code] = stats.statuses.get(response.status_code, 0) + 1
    if not _ok(response):
        stats.errors += 1
    header = response.headers.get("x-sql-queries")
    if header is not None:
        stats.queries.append(int(header))


async def _timed(
    client: httpx.AsyncClient, name: str, variables: dict[str, Any], token: str, stats: Stats
) -> None:
    started = time.perf_counter()
    try:
        response = await gql(client, name, variables, token)
    except httpx.HTTPError:  # a timeout counts in the percentiles too: a person waited that long
        stats.errors += 1
        stats.latencies.append(time.perf_counter() - started)
        return
    stats.latencies.append(time.perf_counter() - started)
    _record(stats, response)


async def visit(
    screen: str, client: httpx.AsyncClient, token: str, stats: Stats, state: dict[str, Any]
) -> None:
    """Open one screen of the mix: its requests in parallel, as the web app sends them."""
    started = time.perf_counter()
    steps = APP_START if screen == "start" else SCREENS_SENT[screen]
    await asyncio.gather(
        *(_timed(client, name, _fill(v, state), token, stats) for name, v in steps)
    )
    state.setdefault("screens", {}).setdefault(screen, []).append(time.perf_counter() - started)
    if screen == "log":  # the form goes out after a short while on the screen
        await asyncio.sleep(random.uniform(0.1, 0.3) * state["think"])
        started = time.perf_counter()
        try:
            response = await _log(client, token, state)
        except httpx.HTTPError:
            stats.errors += 1
            return
        stats.latencies.append(time.perf_counter() - started)
        _record(stats, response)


async def person_loop(
    persona: str,
    client: httpx.AsyncClient,
    token: str,
    deadline: float,
    stats: Stats,
    state: dict[str, Any],
) -> None:
    """One person of the mix: opens the app, then screens of the persona's mix, thinking."""
    think = state["think"]
    screens, weights = zip(*MIX[persona].items(), strict=True)
    async with client:
        await asyncio.sleep(random.uniform(0, think))  # people arrive over one think time
        await visit("start", client, token, stats, state)
        while time.perf_counter() < deadline:
            await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))
            if time.perf_counter() >= deadline:
                break
            await visit(random.choices(screens, weights)[0], client, token, stats, state)


async def _own_thread(client: httpx.AsyncClient, token: str) -> str:
    viewer = (await gql(client, "Viewer", {}, token)).json()["data"]["viewer"]
    employee_id = viewer["employee"]["id"]
    opened = await gql(
        client,
        "OpenFeedbackThread",
        {
            "input": {
                "employeeId": employee_id,
                "topic": "Benchmark percakapan",
                "kind": "QUESTION",
                "body": "Mulai",
            }
        },
        token,
    )
    return str(opened.json()["data"]["openFeedbackThread"]["thread"]["id"])


async def main() -> None:
    """Parse arguments, run the scenario, print a JSON summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", action="append", required=True, help="worker base URL(s)")
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument(
        "--users", default="atasan", help="comma-separated usernames, spread over clients"
    )
    parser.add_argument("--log-date", default=datetime.now(UTC).date().isoformat())
    parser.add_argument("--batch", type=int, default=20, help="activities per batch request")
    parser.add_argument(
        "--think-ms", type=float, default=0, help="mean pause of each client between requests"
    )
    parser.add_argument(
        "--employees", default="", help="mix: comma-separated employees (--users: supervisors)"
    )
    args = parser.parse_args()
    users = args.users.split(",")
    employees = [e for e in args.employees.split(",") if e]
    if args.scenario == "mix":
        if not args.think_ms:
            raise SystemExit("mix: people think; give --think-ms")
        users += [e for e in employees if e not in users]
        args.clients = len(users)
    stats = Stats()
    state: dict[str, Any] = {
        "log_date": args.log_date,
        "batch": args.batch,
        "think": args.think_ms / 1000,
    }
    async with httpx.AsyncClient(base_url=args.url[0], timeout=60) as client:
        tokens = await login_all(client, users)  # before the clock starts
        if args.scenario == "thread":
            state["thread_id"] = await _own_thread(client, tokens[users[0]])
    # each person's client is made before the clock starts: making 250 at once (httpx builds
    # an SSL context for each) held this process's loop for seconds, timed as slow answers
    people = [
        httpx.AsyncClient(base_url=args.url[i % len(args.url)], timeout=30)
        for i in range(len(users) if args.scenario == "mix" else 0)
    ]
    deadline = time.perf_counter() + args.seconds
    started = time.perf_counter()
    busy, own = busy_seconds(), time.process_time()
    if args.scenario == "mix":
        supervisors = set(args.users.split(","))
        await asyncio.gather(
            *(
                person_loop(
                    "supervisor" if user in supervisors else "employee",
                    people[i],
                    tokens[user],
                    deadline,
                    stats,
                    state,
                )
                for i, user in enumerate(users)
            )
        )
    await asyncio.gather(
        *(
            worker_loop(
                args.scenario,
                args.url[i % len(args.url)],
                tokens[users[i % len(users)]],
                deadline,
                stats,
                state,
            )
            for i in range(args.clients if args.scenario != "mix" else 0)
        )
    )
    elapsed = time.perf_counter() - started
    # what serving cost while the clock ran: the machine's busy CPU less this generator's own
    # (workers, PostgreSQL and Redis together, if they are alone on the machine)
    serving = busy_seconds() - busy - (time.process_time() - own)
    summary = {
        "scenario": args.scenario,
        "clients": args.clients,
        "workers": len(args.url),
        "seconds": round(elapsed, 1),
        "machine": f"{platform.machine()} {platform.processor() or ''} {platform.python_version()}",
        **stats.summary(elapsed),
    }
    summary.update(_serving(serving, elapsed, len(stats.latencies)))
    if args.think_ms:
        summary["think_ms"] = args.think_ms
    if args.scenario == "mix":
        summary["supervisors"] = len(supervisors)
        summary["employees"] = len(users) - len(supervisors)
        summary["screens"] = {
            name: {"visits": len(times), "p95_ms": round(_pct(times, 0.95) * 1000, 1)}
            for name, times in sorted(state.get("screens", {}).items())
        }
    if args.scenario in ("log", "batch", "mix"):
        written = state.get("written", [])
        summary["writes_acknowledged"] = len(written)
        summary["writes_unique"] = len(set(written))
        summary["write_user_errors"] = state.get("write_errors", 0)
        summary["writes_per_second"] = round(len(written) / elapsed, 1)
    print(json.dumps(summary))


if __name__ == "__main__":
    asyncio.run(main())
