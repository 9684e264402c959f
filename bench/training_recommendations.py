"""Benchmark: training recommendations for every employee of a 13 000-employee city.

How the data is built: ``portal demo --no-serve --employees 13000`` into a fresh SQLite file
(the demo organisation, approved SKPs, six months of activities, the past quarters'
evaluations, the training catalogue with a year of assignments, completions and ratings). A
file that already holds the demo is reused (``--rebuild`` starts over).

What is timed: the catalogue is loaded once; then employees are processed in chunks of
``--chunk``: every signal reader (latest evaluations, indicator progress from activities, JP
ledger, taken and dismissed courses, mentoring alerts, peers in the same jabatan) and the pure
ranking. Prints the wall time, the per-employee cost, the split between reading signals and
ranking, and what the recommendations say.

Run:
    .venv/bin/python bench/training_recommendations.py [--employees 13000] [--db PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=13_000)
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "training-bench.sqlite"))
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--rebuild", action="store_true")
    return parser.parse_args()


def build(db: Path, employees: int, rebuild: bool) -> float | None:
    """Seed the demo city into ``db`` unless it is there already; return the build time."""
    if rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    env = {**os.environ, "PORTAL_DATABASE_URL": f"sqlite:///{db}"}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "portal.cli", "demo", "--no-serve", "--employees", str(employees)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"demo failed:\n{result.stdout}\n{result.stderr}")
    if "not seeding again" in result.stdout:
        return None
    return elapsed


async def run(chunk: int, limit: int) -> None:
    # imported here: the engine is built on import, after PORTAL_DATABASE_URL is set
    from portal.core.clock import today  # noqa: PLC0415
    from portal.people.services import directory as people  # noqa: PLC0415
    from portal.people.tables import Employee  # noqa: PLC0415
    from training import recommend  # noqa: PLC0415
    from training.services import recommendations as service  # noqa: PLC0415
    from training.services import signals  # noqa: PLC0415
    from training.tables import Course, TrainingAssignment  # noqa: PLC0415

    on = today()
    ids = [
        r["id"]
        for r in await Employee.select(Employee.id)
        .where(Employee.active == True)  # noqa: E712
        .order_by(Employee.id)
    ]
    print(
        f"world: {len(ids)} active employees, {await Course.count()} courses, "
        f"{await TrainingAssignment.count()} assignments; today {on}"
    )
    started = time.perf_counter()
    catalogue = await service.load_catalogue(on)
    t_catalogue = time.perf_counter() - started
    t_signals = t_rank = 0.0
    codes: collections.Counter[str] = collections.Counter()
    with_recs = 0
    for start in range(0, len(ids), chunk):
        t0 = time.perf_counter()
        employees = [e for e in await people.employees_by_ids(ids[start : start + chunk]) if e]
        found = await signals.signals_for(employees, on)
        t1 = time.perf_counter()
        for e in employees:
            recs = recommend.rank(found[e.id], catalogue, limit)
            with_recs += bool(recs)
            codes.update(r.code.value for rec in recs for r in rec.reasons)
        t_rank += time.perf_counter() - t1
        t_signals += t1 - t0
    total = time.perf_counter() - started
    n = len(ids)
    print(f"catalogue: {len(catalogue.courses)} open courses loaded in {t_catalogue:.2f} s")
    print(
        f"recommendations for {n} employees: {total:.1f} s wall "
        f"({total / n * 1000:.2f} ms per employee)"
    )
    print(
        f"  signals {t_signals:.1f} s ({t_signals / n * 1000:.2f} ms/employee), "
        f"ranking {t_rank:.1f} s ({t_rank / n * 1000:.2f} ms/employee)"
    )
    print(f"  employees with at least one recommendation: {with_recs} ({with_recs / n:.0%})")
    print(f"  reason codes in the top {limit}: {dict(codes.most_common())}")


def main() -> None:
    args = parse()
    db = Path(args.db)
    print(f"database: {db}")
    built = build(db, args.employees, args.rebuild)
    print(f"build: {'reused existing demo' if built is None else f'{built:.0f} s'}")
    os.environ["PORTAL_DATABASE_URL"] = f"sqlite:///{db}"
    asyncio.run(run(args.chunk, args.limit))


if __name__ == "__main__":
    main()
