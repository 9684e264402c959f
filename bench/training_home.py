"""Benchmark: one employee's training recommendations, as the home screen asks for them.

Reads an existing database (nothing is written): finds the employee of ``--username``, warms up,
then times ``training.services.recommendations.recommendations_for([employee], today,
limit=5)`` and counts its SQL statements. Point PORTAL_DATABASE_URL at the database, e.g. the
13 000-employee bench city:

Run:
    PORTAL_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/training_home.py [--username pegawai] [--today 2026-11-28]
"""

# Portal modules are imported inside functions: PORTAL_DATABASE_URL must be set first.
# ruff: noqa: PLC0415

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--username", default="pegawai")
    parser.add_argument("--today", default="2026-11-28")
    parser.add_argument("--rounds", type=int, default=20, help="rounds of 10 calls")
    return parser.parse_args()


async def run(username: str, today: date, rounds: int) -> None:
    from portal.accounts.tables import UserAccount
    from portal.core.db import count_queries, get_engine, is_sqlite
    from portal.people.services import directory as people
    from training.services import recommendations as service

    engine = get_engine()
    if not is_sqlite():
        await engine.start_connection_pool()
    try:
        account = await UserAccount.select(UserAccount.employee).where(
            UserAccount.username == username
        )
        if not account or account[0]["employee"] is None:
            sys.exit(f"no employee login {username!r}")
        employee = await people.get_employee(account[0]["employee"])
        for _ in range(3):
            await service.recommendations_for([employee], today, limit=5)
        per_call = []
        for _ in range(rounds):
            started = time.perf_counter()
            for _ in range(10):
                await service.recommendations_for([employee], today, limit=5)
            per_call.append((time.perf_counter() - started) / 10 * 1000)
        with count_queries() as counter:
            found = await service.recommendations_for([employee], today, limit=5)
        print(
            f"{username} (employee {employee.id}), {today}: "
            f"median {statistics.median(per_call):.2f} ms, min {min(per_call):.2f} ms per call, "
            f"{counter[0]} statements, {len(found[employee.id])} recommendations"
        )
    finally:
        if not is_sqlite():
            await engine.close_connection_pool()


def main() -> None:
    args = parse()
    asyncio.run(run(args.username, date.fromisoformat(args.today), args.rounds))


if __name__ == "__main__":
    main()
