"""A small world for fault runs, written into the database the environment names.

Run it as a program in the environment of the workers under test (it migrates first)::

    PORTAL_DATABASE_URL=... python -m support.fault_world --teams 2 --members 9

It prints one JSON object: the password and, per team, the supervisor's username and the
usernames of the members, each of whom can log activities dated today (an open annual period
covers the current year). Seeding costs about 1.5 s of CPU, where ``portal demo`` needs six:
fault tests create several databases.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import UTC, datetime
from typing import Any

from portal.people.enums import JabatanKind
from portal.performance.enums import PeriodKind
from support.factories import PASSWORD, Factory


async def seed(teams: int, members: int) -> dict[str, Any]:
    """Migrate, open the current year and create ``teams`` supervisors with ``members`` each."""
    from portal.migrate import migrate
    from portal.performance.planning.services import periods
    from portal.settings import get_settings

    await migrate(get_settings())
    await periods.create_year(None, datetime.now(UTC).year, PeriodKind.QUARTERLY)
    factory = Factory()
    opd = await factory.opd(code="FLT", name="Dinas Uji Gangguan")
    out: list[dict[str, Any]] = []
    for _ in range(teams):
        unit = await factory.unor(opd)
        boss = await factory.employee(unit, jabatan_kind=JabatanKind.PENGAWAS)
        staff = [await factory.employee(unit, supervisor=boss) for _ in range(members)]
        out.append({"supervisor": boss.username, "members": [p.username for p in staff]})
    return {"password": PASSWORD, "teams": out}


async def _run(teams: int, members: int) -> dict[str, Any]:
    from piccolo.engine.postgres import PostgresEngine

    from portal.core.db import get_engine

    engine = get_engine()
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=1, max_size=2)
    try:
        return await seed(teams, members)
    finally:
        if isinstance(engine, PostgresEngine):
            await engine.close_connection_pool()


def main() -> None:
    """Parse arguments, seed, print the world as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--teams", type=int, default=2)
    parser.add_argument("--members", type=int, default=9)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(_run(args.teams, args.members))))  # noqa: T201


if __name__ == "__main__":
    main()
