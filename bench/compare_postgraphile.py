"""The portal against PostGraphile 4.14.1 on the same city, side by side (issue #22).

One command, from the repository root, on a machine with PostgreSQL, Redis, Node 20, wrk
(``apt-get install -y wrk``) and the bench city in database ``bench``::

    .venv/bin/python bench/compare_postgraphile.py --template bench

It copies the city to a scratch database (``--database``, default ``pgb_city``; the load
scenarios write, ``bench`` stays untouched), starts the portal (``uvicorn --workers 2`` on
:8101, Redis, as bench/load_round.sh) and PostGraphile twice (bench/postgraphile/serve.sh: one
process on :5101, ``--cluster-workers 2`` on :5102). Every process gets the same PostgreSQL
pool, ``--pool`` (default 12: the three servers stay up together, 60 connections at most,
under PostgreSQL's default ``max_connections`` of 100; two vCPUs keep no more than a few
queries running anyway), then:

1. checks that both answer the same payloads (bench/pg_check.py; stops on a mismatch);
2. runs wrk against each contender in turn, ``--rounds`` rounds (default 3), the order of the
   contenders rotating every round, for ``atasan`` (a Kepala Puskesmas with 88-96 direct reports
   on the 13 000-employee city; 10 connections) and 50 supervisors drawn with a fixed seed (50
   connections, each request the next of the 50 users' bodies); the portal gets
   SupervisorDashboard with each user's bearer token (bench/postgraphile/post.lua), PostGraphile
   the equivalent query (bench/postgraphile/queries/) with the user's variables and no
   authorization; and the 200 employees' EmployeeHome (50 connections; the portal's home also
   computes ``trainingRecommendations``, in Python, which PostGraphile's query leaves out: the
   portal does more work per request there);
3. runs bench/load.py's ``mix`` scenario (the same 50 supervisors and 200 employees reading
   screens, ``--think-ms`` 10 000 on average between screens) against the portal and reports
   p50/p95/p99 per request (target: p99 < 300 ms).

It prints a table of median throughput ratios (portal / PostGraphile) with their spread over
the rounds and appends every run as a JSON line to ``--out`` (with the load average of the
machine: a shared machine makes the absolute numbers, not the side-by-side ratios, move).
``--quick`` runs one short round for trying the harness out.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pg_check

ROOT = Path(__file__).resolve().parents[1]
PG_DIR = ROOT / "bench" / "postgraphile"
# ports of their own (bench/load_round.sh uses 8001-8002), checked free before the start
PORTAL_PORT = 8101
PG_PORTS = {"postgraphile-1": 5101, "postgraphile-2w": 5102}
SECRET = "bench-secret-key-that-is-long-enough-0123456789"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise SystemExit(f"{name} is not installed")
    return path


def _env(db: str, pool: int) -> dict[str, str]:
    return {
        **os.environ,
        "PORTAL_DATABASE_URL": db,
        "PORTAL_REDIS_URL": os.environ.get("PORTAL_REDIS_URL", "redis://127.0.0.1:6379/5"),
        "PORTAL_DB_POOL_MAX": str(pool),
        "PORTAL_RATE_LIMIT_PER_MINUTE": "0",
        "PORTAL_ACCESS_TOKEN_MINUTES": "240",  # one login per user for the whole run
        "PORTAL_SECRET_KEY": os.environ.get("PORTAL_SECRET_KEY", SECRET),
        "PYTHONPATH": str(ROOT),
    }


def _wait(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.5)
    raise SystemExit(f"{url} did not come up")


@contextlib.contextmanager
def servers(db: str, pool: int, log_dir: Path, workers: int = 2) -> Iterator[None]:
    """The portal and both PostGraphile variants, stopped on exit."""
    procs: list[subprocess.Popen[bytes]] = []
    env = _env(db, pool)
    for port in (PORTAL_PORT, *PG_PORTS.values()):
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
            raise SystemExit(f"port {port} is taken: stop what listens there first")
    # the portal's store starts empty: no response cached, no version, by an earlier run
    redis.Redis.from_url(env["PORTAL_REDIS_URL"]).flushdb()
    try:
        subprocess.run(
            [_tool("psql"), db, "-q", "-v", "ON_ERROR_STOP=1", "-f", str(PG_DIR / "bench_pg.sql")],
            check=True,
        )
        procs.append(
            subprocess.Popen(
                [
                    str(ROOT / ".venv/bin/uvicorn"),
                    "portal.app:create_app",
                    "--factory",
                    "--workers",
                    str(workers),
                    "--port",
                    str(PORTAL_PORT),
                    "--log-level",
                    "warning",
                    "--no-access-log",
                ],
                cwd=ROOT,
                env=env,
                stdout=(log_dir / "portal.log").open("wb"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        for name, port in PG_PORTS.items():
            cluster = "2" if name.endswith("2w") else "1"
            procs.append(
                subprocess.Popen(
                    [str(PG_DIR / "serve.sh"), db, str(port), cluster],
                    env={**os.environ, "APPLY": "0", "POOL": str(pool)},
                    stdout=(log_dir / f"{name}.log").open("wb"),
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        _wait(f"http://127.0.0.1:{PORTAL_PORT}/healthz")
        for port in PG_PORTS.values():
            _wait(f"http://127.0.0.1:{port}/graphql")
        yield
    finally:
        for proc in procs:  # each started in its own session: stop that group only
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, 15)
        for proc in procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=20)


async def choose_users(db: str, count: int) -> tuple[list[str], list[str]]:
    """``count`` supervisors and 200 employees, drawn with a fixed seed."""
    today = pg_check.city_today()
    conn = await asyncpg.connect(db)
    try:
        sups = [r["username"] for r in await conn.fetch(pg_check.SUPERVISORS_SQL, today)]
        emps = [r["username"] for r in await conn.fetch(pg_check.EMPLOYEES_SQL)]
    finally:
        await conn.close()
    rng = random.Random(42)
    return rng.sample(sups, min(count, len(sups))), rng.sample(emps, min(200, len(emps)))


async def bodies(db: str, users: list[str], operation: str) -> tuple[str, str]:
    """wrk's body files (token TAB JSON per line) for the portal and for PostGraphile."""
    conn = await asyncpg.connect(db)
    try:
        subjects = await pg_check.subjects(conn, users, pg_check.city_today())
    finally:
        await conn.close()
    portal = json.dumps(pg_check.portal_body(operation), separators=(",", ":"))
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{PORTAL_PORT}", timeout=60) as c:
        tokens = [await pg_check.login(c, u) for u in users]
    portal_lines = "".join(f"{t}\t{portal}\n" for t in tokens)
    pg_lines = "".join(
        "\t" + json.dumps(pg_check.pg_body(operation, s), separators=(",", ":")) + "\n"
        for s in subjects
    )
    return portal_lines, pg_lines


def wrk(port: int, body_file: Path, connections: int, seconds: float) -> dict[str, Any]:
    """One wrk run; its summary (the WRK_JSON line of post.lua) with throughput."""
    out = subprocess.run(
        [
            _tool("wrk"),
            "-t2",
            f"-c{connections}",
            f"-d{round(seconds)}s",
            "--timeout",
            "30s",
            "-s",
            str(PG_DIR / "post.lua"),
            f"http://127.0.0.1:{port}",
        ],
        env={**os.environ, "WRK_BODIES": str(body_file)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("WRK_JSON "))
    result: dict[str, Any] = json.loads(line.removeprefix("WRK_JSON "))
    result["throughput_rps"] = round(result["requests"] / result["seconds"], 1)
    return result


def rounds(
    args: argparse.Namespace, files: dict[str, dict[str, Path]], out: Any
) -> list[dict[str, Any]]:
    """Every contender in every scenario, ``args.rounds`` times, rotating the order."""
    ports = {"portal": PORTAL_PORT, **PG_PORTS}
    scenarios = {
        "atasan-10": ("atasan", 10),
        f"supervisors{args.supervisors}-{args.supervisors}": ("supervisors", args.supervisors),
        f"home{len(files['employees']['portal'].read_text().splitlines())}-50": ("employees", 50),
    }
    if args.scenarios:
        scenarios = {k: v for k, v in scenarios.items() if v[0] in args.scenarios}
    names = list(ports)
    for name in names:  # warm-up: JIT, caches, pools
        for kind in ("supervisors", "employees"):
            wrk(ports[name], files[kind][name], 10, 3)
    runs = []
    for r in range(args.rounds):
        for scenario, (kind, connections) in scenarios.items():
            order = names[r % len(names) :] + names[: r % len(names)]
            for name in order:
                result = wrk(ports[name], files[kind][name], connections, args.seconds)
                run = {
                    "kind": "wrk",
                    "scenario": scenario,
                    "contender": name,
                    "round": r + 1,
                    "connections": connections,
                    "load_avg_1m": round(os.getloadavg()[0], 2),
                    "date": datetime.now(UTC).isoformat(timespec="seconds"),
                    **result,
                }
                print(json.dumps(run), file=out, flush=True)
                print(
                    f"  round {r + 1} {scenario:<18} {name:<16} {result['throughput_rps']:>7} rps"
                    f"  p99 {result['p99_ms']} ms  errors {result['graphql_errors']}"
                    f"  load {run['load_avg_1m']}",
                    file=sys.stderr,
                )
                runs.append(run)
    return runs


def ratio_table(runs: list[dict[str, Any]], out: Any) -> None:
    """Median portal/PostGraphile throughput per scenario, with the spread over the rounds."""
    print(
        f"\n{'scenario':<20}{'vs':<18}{'ratio (median)':>15}{'spread':>16}"
        f"{'portal rps':>12}{'pg rps':>10}"
    )
    for scenario in dict.fromkeys(r["scenario"] for r in runs):
        by = {
            (r["contender"], r["round"]): r["throughput_rps"]
            for r in runs
            if r["scenario"] == scenario
        }
        rounds_ = sorted({rnd for _, rnd in by})
        for pg in PG_PORTS:
            ratios = [by["portal", n] / by[pg, n] for n in rounds_ if by.get((pg, n))]
            if not ratios:
                continue
            summary = {
                "kind": "ratio",
                "scenario": scenario,
                "vs": pg,
                "median_ratio": round(statistics.median(ratios), 3),
                "min_ratio": round(min(ratios), 3),
                "max_ratio": round(max(ratios), 3),
                "portal_rps_median": round(statistics.median(by["portal", n] for n in rounds_), 1),
                "pg_rps_median": round(statistics.median(by[pg, n] for n in rounds_), 1),
                "rounds": len(ratios),
            }
            print(json.dumps(summary), file=out, flush=True)
            print(
                f"{scenario:<20}{pg:<18}{summary['median_ratio']:>15}"
                f"{summary['min_ratio']:>8}-{summary['max_ratio']:<7}"
                f"{summary['portal_rps_median']:>12}{summary['pg_rps_median']:>10}"
            )


def mix(args: argparse.Namespace, sups: list[str], emps: list[str], out: Any) -> None:
    """bench/load.py's ``mix`` scenario against the portal (JSON line appended to ``out``)."""
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench/load.py"),
            "--url",
            f"http://127.0.0.1:{PORTAL_PORT}",
            "--scenario",
            "mix",
            "--seconds",
            str(args.mix_seconds),
            "--users",
            ",".join(sups),
            "--employees",
            ",".join(emps),
            "--think-ms",
            str(args.think_ms),
        ],
        capture_output=True,
        text=True,
        check=False,
        env=_env(args.database, args.pool),
    )
    if result.returncode:
        raise SystemExit(f"the mix failed:\n{result.stderr[-3000:]}")
    summary = json.loads(result.stdout.strip())
    summary.update(
        kind="mix",
        load_avg_1m=round(os.getloadavg()[0], 2),
        date=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    print(json.dumps(summary), file=out, flush=True)
    verdict = "meets" if summary["p99_ms"] < 300 else "misses"
    print(
        f"\nmix ({len(sups)} supervisors, {len(emps)} employees, think {args.think_ms} ms): "
        f"{summary['throughput_rps']} rps, p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']}"
        f" ms, p99 {summary['p99_ms']} ms ({verdict} p99 < 300 ms), errors {summary['errors']};"
        f" serving took {summary.get('serving_cores')} cores,"
        f" {summary.get('serving_cpu_ms_per_request')} ms of CPU per request"
    )


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--template", help="copy this city first (e.g. bench); else use --database as is"
    )
    parser.add_argument("--database", default="pgb_city", help="name or URL of the scratch city")
    parser.add_argument("--seconds", type=float, default=20, help="length of one wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--supervisors", type=int, default=50)
    parser.add_argument("--atasan", default="atasan", help="the big team's supervisor")
    parser.add_argument("--mix-seconds", type=float, default=120)
    parser.add_argument("--think-ms", type=float, default=10000, help="mean think time (mix)")
    parser.add_argument("--pool", type=int, default=12, help="PostgreSQL pool per process")
    parser.add_argument("--workers", type=int, default=2, help="the portal's worker processes")
    parser.add_argument("--jit", choices=["default", "off"], default="default")
    parser.add_argument(
        "--scenarios",
        nargs="+",
        choices=("atasan", "supervisors", "employees"),
        help="only these wrk scenarios (default: all three)",
    )
    parser.add_argument("--skip-mix", action="store_true")
    parser.add_argument("--only-mix", action="store_true", help="no check, no wrk")
    parser.add_argument("--quick", action="store_true", help="one 5 s round, 30 s of mix")
    parser.add_argument(
        "--out", default=f"{tempfile.gettempdir()}/pg-compare-{datetime.now(UTC):%Y%m%d-%H%M}.jsonl"
    )
    return parser.parse_args()


def main() -> None:
    """Parse arguments and run everything."""
    args = _arguments()
    if args.quick:
        args.seconds, args.rounds, args.mix_seconds = 5, 1, 30
    if "://" not in args.database:
        if args.template:
            subprocess.run(
                [
                    _tool("dropdb"),
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "--if-exists",
                    args.database,
                ],
                check=True,
            )
            subprocess.run(
                [
                    _tool("createdb"),
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "-T",
                    args.template,
                    args.database,
                ],
                check=True,
            )
        args.database = f"postgresql://postgres@127.0.0.1:5432/{args.database}"
    if args.database.rsplit("/", 1)[-1] in {args.template, "bench"}:
        raise SystemExit("--database must be a scratch copy (the mix writes), not the city")
    # PostgreSQL's JIT for every contender alike: "default" leaves the server's setting (on in
    # PostgreSQL 15), "off" turns it off for the scratch database (see bench/RESULTS.md)
    setting = "RESET jit" if args.jit == "default" else "SET jit = off"
    name = args.database.rsplit("/", 1)[-1]
    subprocess.run(
        [_tool("psql"), args.database, "-qc", f'ALTER DATABASE "{name}" {setting}'], check=True
    )
    log_dir = Path(args.out).with_suffix("")
    log_dir.mkdir(parents=True, exist_ok=True)
    header = {
        "kind": "machine",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {os.cpu_count()} CPUs, {platform.platform()}",
        "load_avg": [round(x, 2) for x in os.getloadavg()],
        "database": args.database.rsplit("/", 1)[-1],
        "seconds": args.seconds,
        "rounds": args.rounds,
        "pool": args.pool,
        "workers": args.workers,
        "jit": args.jit,
        "think_ms": args.think_ms,
        "git": subprocess.run(
            [_tool("git"), "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip(),
    }
    servers_up = servers(args.database, args.pool, log_dir, args.workers)
    with Path(args.out).open("a", encoding="utf-8") as out, servers_up:
        print(json.dumps(header), file=out, flush=True)
        print(f"machine: {header['machine']}, load average {header['load_avg']}", file=sys.stderr)
        if args.only_mix:
            sups, emps = asyncio.run(choose_users(args.database, args.supervisors))
            mix(args, sups, emps, out)
            return
        check = subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench/pg_check.py"),
                "--database",
                args.database,
                "--portal",
                f"http://127.0.0.1:{PORTAL_PORT}",
                "--postgraphile",
                f"http://127.0.0.1:{PG_PORTS['postgraphile-1']}",
            ],
            check=False,
        )
        if check.returncode:
            raise SystemExit("payloads differ: no comparison (see above)")
        atasan = args.atasan
        sups, emps = asyncio.run(choose_users(args.database, args.supervisors))
        files: dict[str, dict[str, Path]] = {}
        for kind, users, operation in (
            ("atasan", [atasan], "SupervisorDashboard"),
            ("supervisors", sups, "SupervisorDashboard"),
            ("employees", emps, "EmployeeHome"),
        ):
            portal_file, pg_file = log_dir / f"{kind}-portal.tsv", log_dir / f"{kind}-pg.tsv"
            portal_lines, pg_lines = asyncio.run(bodies(args.database, users, operation))
            portal_file.write_text(portal_lines, encoding="utf-8")
            pg_file.write_text(pg_lines, encoding="utf-8")
            files[kind] = {"portal": portal_file, **dict.fromkeys(PG_PORTS, pg_file)}
        print(
            f"atasan: {atasan}; {len(sups)} supervisors; "
            f"wrk {args.seconds} s x {args.rounds} rounds",
            file=sys.stderr,
        )
        ratio_table(rounds(args, files, out), out)
        if not args.skip_mix:
            mix(args, sups, emps, out)
    print(f"\nraw JSON lines appended to {args.out}")


if __name__ == "__main__":
    main()
