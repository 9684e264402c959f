"""Benchmark: score every employee from the database, phase by phase, against one aggregate scan.

What is timed: one ``portal.mentoring.services.scoring.score_db`` run (it stores the scores and
raises alerts, like ``portal ml score-db``), split into its phases -- reading the tables into
the data-interface frames (``db_read``), validating them (``validate``), the feature step
(``features``), the calibrated model (``predict``), the Indonesian reasons for HIGH/MEDIUM
(``explain``) and the writes (``write``). Then, without writing, the feature step is repeated on
the same frames and set against a single aggregate scan of the activity table::

    SELECT employee, count(*), sum(quantity), max(activity_date)
    FROM activity WHERE activity_date >= :as_of - 91 GROUP BY employee

(the issue's yardstick; also timed over the 266-day window the features read). Each repeat is
reported as the median of ``--repeat`` runs.

Run (PostgreSQL holding a demo city; the shipped model by default):
    PORTAL_DATABASE_URL=postgresql://... .venv/bin/python bench/mentoring_score_db.py \\
        --as-of 2026-11-27 [--model ml/default_model] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCAN = (
    "SELECT employee, count(*), sum(quantity), max(activity_date) FROM activity "
    "WHERE activity_date >= {} GROUP BY employee"
)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 27))
    parser.add_argument("--model", type=Path, default=ROOT / "ml" / "default_model")
    parser.add_argument("--repeat", type=int, default=3)
    return parser.parse_args()


async def timed_scan(since: date, repeat: int) -> tuple[float, int]:
    from portal.performance.tables import Activity  # noqa: PLC0415

    times, rows = [], 0
    for _ in range(repeat):
        tick = time.perf_counter()
        rows = len(await Activity.raw(SCAN, since))
        times.append(time.perf_counter() - tick)
    return statistics.median(times), rows


async def run(args: argparse.Namespace) -> dict[str, Any]:
    # imported here: the engine is built on import, after PORTAL_DATABASE_URL is set
    from ml.features import build_features  # noqa: PLC0415
    from ml.schema import validate_frames  # noqa: PLC0415
    from portal.core.db import get_engine  # noqa: PLC0415
    from portal.mentoring.services import scoring  # noqa: PLC0415

    engine: Any = get_engine()
    await engine.start_connection_pool(min_size=1, max_size=4)
    try:
        tick = time.perf_counter()
        summary = await scoring.score_db(None, as_of=args.as_of, model_root=args.model)
        total = time.perf_counter() - tick
        dataset = validate_frames(**await scoring.read_frames(args.as_of))
        features = []
        for _ in range(args.repeat):
            tick = time.perf_counter()
            build_features(dataset, args.as_of)
            features.append(time.perf_counter() - tick)
        scan_91, groups = await timed_scan(args.as_of - timedelta(days=91), args.repeat)
        scan_266, _ = await timed_scan(args.as_of - timedelta(days=266), args.repeat)
    finally:
        await engine.close_connection_pool()
    return {
        "summary": summary,
        "total": total,
        "features": statistics.median(features),
        "scan_91": scan_91,
        "scan_266": scan_266,
        "groups": groups,
        "activities": len(dataset.activities),
        "employees": len(dataset.employees),
    }


def report(args: argparse.Namespace, result: dict[str, Any]) -> str:
    summary = result["summary"]
    phases = summary.phases
    machine = (
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f}."
    )
    scored = (
        f"Scored {summary.scored} employees as of {summary.as_of} with "
        f"{summary.model_version}: {summary.high} HIGH, {summary.medium} MEDIUM, "
        f"{summary.alerts_raised} new alerts; {result['activities']:,} activities read "
        f"(the 266-day window), {result['employees']:,} employees."
    )
    scan = (
        f"Feature step alone, median of {args.repeat}: {result['features']:.2f} s. Single "
        f"aggregate scan (median of {args.repeat}): {result['scan_91']:.3f} s over 91 days "
        f"({result['groups']:,} groups), {result['scan_266']:.3f} s over the 266-day window."
    )
    ratio = (
        "Ratio feature step / 91-day aggregate scan: "
        f"**{result['features'] / result['scan_91']:.1f}** "
        f"(/ 266-day scan: {result['features'] / result['scan_266']:.1f})."
    )
    lines = [
        machine,
        scored,
        "",
        "| phase | seconds |",
        "|---|---|",
        *(f"| {name} | {value:.2f} |" for name, value in phases.items()),
        f"| **score_db total** | **{result['total']:.2f}** |",
        "",
        scan,
        ratio,
    ]
    return "\n".join(lines)


def main() -> None:
    args = parse()
    if not os.environ.get("PORTAL_DATABASE_URL", "").startswith("postgres"):
        sys.exit("set PORTAL_DATABASE_URL to the PostgreSQL database holding the demo city")
    print(report(args, asyncio.run(run(args))))


if __name__ == "__main__":
    main()
