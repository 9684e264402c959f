"""Benchmark: the city-wide adoption funnel for 13 000 employees and one year of activity.

How the data is built (a fresh SQLite file, nothing else touched): 40 OPDs with 4 units each,
13 000 employees, one session per OPD spread over the year with every employee invited and
55-95 % attending, and one year of daily activities: on each working day an employee logs with a
probability that depends on their OPD's readiness and rises after their session, logged 0-3
days late, mostly verified 0-5 days later. Rows are inserted in bulk (``executemany``) straight
into the tables, as the demo does; metrics then run through the same service the API uses.

Run:
    .venv/bin/python bench/adoption_query.py [--employees 13000] [--db /tmp/adoption-bench.sqlite]
    .venv/bin/python bench/adoption_query.py --postgres postgresql://postgres@127.0.0.1:5432/postgres

Prints the row counts, the build time, and the funnel (53 weeks x 40 OPDs) cold and cached,
plus the lagging-OPD query cached on top of it. Set PORTAL_REDIS_URL to cache in Redis.
"""

# Portal modules are imported inside functions: PORTAL_DATABASE_URL must be set first.
# ruff: noqa: PLC0415

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=13_000)
    parser.add_argument("--db", default="/tmp/adoption-bench.sqlite")  # noqa: S108 - scratch file
    parser.add_argument("--today", default="2026-11-27")
    parser.add_argument(
        "--postgres",
        metavar="ADMIN_URL",
        help="build in a fresh PostgreSQL database 'adoption_bench' on this server instead "
        "(e.g. postgresql://postgres@127.0.0.1:5432/postgres)",
    )
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="build the city and stop (measure it with bench/adoption_aggregates.py)",
    )
    return parser.parse_args()


async def build(n_employees: int, today: date) -> dict[str, int]:
    from ml.calendar import working_days
    from portal.accounts.tables import UserAccount
    from portal.adoption.tables import Program
    from portal.core.db import bulk_insert, transaction
    from portal.performance.tables import Period

    rng = random.Random(13)
    start = today - timedelta(days=364)
    days = working_days(start, today - timedelta(days=1))
    n_opds = 40
    async with transaction():
        (account,) = await UserAccount.insert(
            UserAccount(username="sosialisasi", password_hash="-")  # noqa: S106 - no login
        )
        (period,) = await Period.insert(
            Period(
                year=today.year,
                kind="ANNUAL",
                name="Bench",
                starts_on=start,
                ends_on=today,
                submission_deadline=today,
            )
        )
        await bulk_insert(
            "opd",
            ["id", "code", "name", "short_name"],
            [(o, f"OPD{o}", f"Perangkat Daerah {o}", f"PD{o}") for o in range(1, n_opds + 1)],
        )
        await bulk_insert(
            "unor",
            ["id", "code", "name", "opd", "parent"],
            [
                (u, f"U{u}", f"Unit {u}", (u - 1) // 4 + 1, None if u % 4 == 1 else u - (u - 1) % 4)
                for u in range(1, n_opds * 4 + 1)
            ],
        )
        employees = []
        now = datetime(2020, 1, 1, tzinfo=UTC)
        for e in range(1, n_employees + 1):
            opd = rng.randint(1, n_opds)
            hired = start + timedelta(days=rng.randint(0, 300)) if rng.random() < 0.03 else None
            employees.append(
                (
                    e,
                    f"{e:018d}",
                    f"Pegawai {e}",
                    "PNS",
                    "PELAKSANA",
                    "Pelaksana",
                    (opd - 1) * 4 + 1 + rng.randint(0, 3),
                    opd,
                    True,
                    hired,
                    now,
                    now,
                )
            )
        await bulk_insert(
            "employee",
            [
                "id",
                "nip",
                "name",
                "kind",
                "jabatan_kind",
                "jabatan_name",
                "unor",
                "opd",
                "active",
                "hired_on",
                "created_at",
                "updated_at",
            ],
            employees,
        )
        (program,) = await Program.insert(
            Program(name="Bench", starts_on=start, ends_on=today, manager=account["id"])
        )
        session_day = {o: days[20 + (o * 4) % (len(days) - 60)] for o in range(1, n_opds + 1)}
        readiness = {o: rng.uniform(0.3, 0.95) for o in range(1, n_opds + 1)}
        await bulk_insert(
            "adoption_session",
            [
                "id",
                "program",
                "title",
                "starts_at",
                "ends_at",
                "place",
                "facilitator",
                "capacity",
                "created_at",
            ],
            [
                (
                    o,
                    program["id"],
                    f"Sesi {o}",
                    datetime.combine(session_day[o], datetime.min.time(), UTC),
                    datetime.combine(session_day[o], datetime.min.time(), UTC) + timedelta(hours=3),
                    "Aula",
                    "Tim",
                    5000,
                    now,
                )
                for o in range(1, n_opds + 1)
            ],
        )
        invitations, attendance, activities = [], [], []
        key = 0
        for e, *_rest in employees:
            opd = _rest[6]
            ready = readiness[opd]
            invitations.append((o_id := opd, e, now))
            came = rng.random() < 0.55 + 0.4 * ready
            if came:
                attendance.append((o_id, e, now, False))
            adopt = session_day[opd] if came and rng.random() < 0.5 + 0.5 * ready else None
            for day in days:
                p = 0.85 if adopt and day >= adopt else 0.25 * ready
                if rng.random() >= p:
                    continue
                key += 1
                logged = datetime.combine(day, datetime.min.time(), UTC) + timedelta(
                    hours=8, days=rng.choice((0, 0, 0, 1, 3))
                )
                verified = rng.random() < 0.9
                activities.append(
                    (
                        e,
                        period["id"],
                        day,
                        "Kerja",
                        1.0,
                        "kegiatan",
                        "[]",
                        "VERIFIED" if verified else "SUBMITTED",
                        f"b{key}",
                        logged + timedelta(days=rng.randint(0, 5)) if verified else None,
                        logged,
                        logged,
                    )
                )
        await bulk_insert("adoption_invitation", ["session", "employee", "invited_at"], invitations)
        await bulk_insert(
            "adoption_attendance",
            ["session", "employee", "checked_in_at", "late_registration"],
            attendance,
        )
        columns = [
            "employee",
            "period",
            "activity_date",
            "description",
            "quantity",
            "unit",
            "evidence_links",
            "status",
            "idempotency_key",
            "verified_at",
            "logged_at",
            "updated_at",
        ]
        for chunk in range(0, len(activities), 200_000):
            await bulk_insert("activity", columns, activities[chunk : chunk + 200_000])
        return {
            "employees": len(employees),
            "invitations": len(invitations),
            "attendance": len(attendance),
            "activities": len(activities),
        }


async def main() -> None:
    args = parse()
    if args.postgres:
        sys.path.insert(0, str(ROOT / "tests"))
        from support.workers import recreate_database  # runs its own event loop: a thread

        db: Path | str = await asyncio.to_thread(recreate_database, args.postgres, "adoption_bench")
        os.environ["PORTAL_DATABASE_URL"] = str(db)
    else:
        db = Path(args.db)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)  # noqa: ASYNC240 - before any I/O
        os.environ["PORTAL_DATABASE_URL"] = f"sqlite:///{db}"
    from portal.adoption.services import dashboard
    from portal.core.auth import Role, Viewer
    from portal.core.store import build_store
    from portal.migrate import migrate
    from portal.settings import get_settings

    settings = get_settings()
    await migrate(settings)
    if settings.is_postgres:
        from portal.core.db import get_engine

        await get_engine().start_connection_pool()  # type: ignore[attr-defined]
    today = date.fromisoformat(args.today)
    t0 = time.perf_counter()
    counts = await build(args.employees, today)
    print(f"built {counts} in {time.perf_counter() - t0:.1f} s ({db})")
    if settings.is_postgres:
        from portal.core.db import get_engine

        await get_engine().run_ddl("VACUUM ANALYZE")  # fresh statistics, as after a bulk load
    if args.build_only:
        return
    store = build_store(settings.redis_url)
    await store.delete("adoption:version")
    await store.incr("adoption:version", 3600)  # a fresh cache generation for this run
    viewer = Viewer(
        account_id=1,
        username="sosialisasi",
        employee_id=None,
        employee_opd_id=None,
        roles=frozenset({Role.PENGELOLA_SOSIALISASI}),
        admin_opd_ids=frozenset(),
    )
    start = today - timedelta(days=364)
    for label in ("cold", "cached", "cached"):
        t = time.perf_counter()
        result = await dashboard.funnel(viewer, store, start=start, end=today, today=today)
        elapsed = time.perf_counter() - t
        print(
            f"city funnel {label:6s}: {elapsed * 1000:8.1f} ms  rows={len(result.value)}"
            f"  from_cache={result.from_cache}"
        )
    t = time.perf_counter()
    lag = await dashboard.lagging(viewer, store, week=today - timedelta(days=7))
    print(
        f"lagging (cold, one week): {(time.perf_counter() - t) * 1000:8.1f} ms"
        f"  lagging={len(lag.value.opds)} median={lag.value.city_median:.2f}"
    )
    await store.close()


if __name__ == "__main__":
    asyncio.run(main())
