from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-27T20:32:40:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique role grants"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="accounts", description=DESCRIPTION)

    async def unique_grant() -> None:
        # A composite unique index that works on SQLite and PostgreSQL alike (SQLite cannot
        # ALTER TABLE ADD CONSTRAINT); COALESCE makes "no OPD" one value instead of NULLs.
        await engine_finder().run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS role_grant_unique "
            "ON role_grant (account, role, COALESCE(opd, 0))"
        )

    async def drop_unique_grant() -> None:
        await engine_finder().run_ddl("DROP INDEX IF EXISTS role_grant_unique")

    manager.add_raw(unique_grant)
    manager.add_raw_backwards(drop_unique_grant)
    return manager
