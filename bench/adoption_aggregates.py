"""Benchmark: the city funnel from scratch vs from the maintained aggregates (issue 22).

Runs against an existing city database (e.g. a copy of the `portal demo --employees 13000`
city: `createdb -T bench agg_bench`), which it migrates (the aggregate tables), fills in once
(`aggregates.rebuild`, timed) and then measures, alternating in one run:

* the city funnel over the last 53 weeks, cold (no result cache), from the activity rows as
  before (``sql.funnel_rows``) and from the aggregates (``dashboard.funnel_rows``: the
  reader's repair, a no-op here, plus the GROUP BY over the weekly rows), checking both agree;
* the lagging-OPD week (one week, city-wide), both ways;
* what a write now costs on top: ``aggregates.activities_changed`` for one employee and one
  day (the hook an activity write runs in its transaction), many times;
* the distribution-curve figures of performance (predikat counts per OPD of a period), to see
  whether they need the same treatment.

Run:
    .venv/bin/python bench/adoption_aggregates.py postgresql://postgres@127.0.0.1:5432/agg_bench
"""

# Portal modules are imported inside functions: PORTAL_DATABASE_URL must be set first.
# ruff: noqa: PLC0415

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


async def timed(label: str, work, repeat: int = 1):
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = await work()
        times.append(time.perf_counter() - t)
    print(f"{label:58s} {statistics.median(times) * 1000:9.1f} ms (min {min(times) * 1000:.1f})")
    return result


async def main() -> None:  # noqa: PLR0915 - one measured script
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="PostgreSQL (or sqlite:///) URL of an existing city")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-rebuild", action="store_true", help="the aggregates are filled")
    args = parser.parse_args()
    os.environ["PORTAL_DATABASE_URL"] = args.url
    from portal.adoption import sql
    from portal.adoption.services import aggregates, dashboard
    from portal.core.db import get_engine, transaction
    from portal.migrate import migrate
    from portal.performance import facts as performance_facts
    from portal.performance.evaluation.services import curve
    from portal.settings import get_settings

    settings = get_settings()
    await migrate(settings)
    if settings.is_postgres:
        await get_engine().start_connection_pool()  # type: ignore[attr-defined]
    raw = sql._raw  # noqa: SLF001 - a benchmark reads counts with the domain's raw helper
    (n,) = await raw("SELECT COUNT(*) AS n, MAX(activity_date) AS last FROM activity", [])
    (e,) = await raw("SELECT COUNT(*) AS n FROM employee", [])
    last = n["last"] if isinstance(n["last"], date) else date.fromisoformat(n["last"])
    print(f"city: {e['n']} employees, {n['n']} activities, last activity {last}")
    if not args.no_rebuild:
        await timed("fill in the aggregates (rebuild, once)", aggregates.rebuild)
    (w,) = await raw("SELECT COUNT(*) AS n FROM adoption_employee_week", [])
    (t,) = await raw("SELECT COUNT(*) AS n FROM adoption_latency_tail", [])
    print(f"aggregates: {w['n']} employee-week rows, {t['n']} latency-tail rows")
    if settings.is_postgres:
        await get_engine().run_ddl("VACUUM ANALYZE adoption_employee_week")
        await get_engine().run_ddl("VACUUM ANALYZE adoption_employee_fact")

    end = last
    start = end - timedelta(days=364)
    scope = sql.Scope()
    for r in range(args.rounds):
        old = await timed(
            f"[{r}] city funnel, 53 weeks, from the activities (before)",
            lambda: sql.funnel_rows(scope, start, end),
        )
        new = await timed(
            f"[{r}] city funnel, 53 weeks, from the aggregates (after)",
            lambda: dashboard.funnel_rows(scope, start, end),
        )
        if old != new:
            raise SystemExit("the two ways disagree")
        print(f"     {len(new)} rows, identical")
    monday = end - timedelta(days=end.weekday() + 7)
    sunday = monday + timedelta(days=6)
    await timed(
        "lagging week (city funnel of one week), before",
        lambda: sql.funnel_rows(scope, monday, sunday),
        repeat=3,
    )
    await timed(
        "lagging week (city funnel of one week), after",
        lambda: dashboard.funnel_rows(scope, monday, sunday),
        repeat=3,
    )

    (emp,) = await raw(
        "SELECT employee, MAX(activity_date) AS day FROM activity GROUP BY employee"
        " ORDER BY COUNT(*) DESC LIMIT 1",
        [],
    )
    day = emp["day"] if isinstance(emp["day"], date) else date.fromisoformat(emp["day"])

    async def one_write() -> None:
        async with transaction():
            await aggregates.activities_changed({int(emp["employee"]): [day]})

    await timed("hook of one activity write (one employee, one week)", one_write, repeat=50)

    periods = await raw("SELECT id FROM period WHERE kind = 'ANNUAL' ORDER BY starts_on", [])
    opds = [int(r["id"]) for r in await raw("SELECT id FROM opd ORDER BY id", [])]
    for p in periods[-2:]:
        pid = int(p["id"])
        await timed(
            f"curve: FINAL predikat per OPD, whole city, period {pid}",
            lambda pid=pid: performance_facts.final_predikat_counts(pid),
            repeat=5,
        )

        async def every_opd(pid: int = pid) -> None:
            for opd in opds:
                await curve.predikat_counts(opd, pid)

        await timed(
            f"curve: predikat counts of each of {len(opds)} OPDs, period {pid}",
            every_opd,
            repeat=3,
        )


if __name__ == "__main__":
    asyncio.run(main())
