from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-27T20:55:50:000000"
VERSION = "1.38.0"
DESCRIPTION = "notifications: unread lookups"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="notifications", description=DESCRIPTION)

    async def create() -> None:
        await engine_finder().run_ddl(
            "CREATE INDEX IF NOT EXISTS notification_account_id ON notification (account, id)"
        )

    async def drop() -> None:
        await engine_finder().run_ddl("DROP INDEX IF EXISTS notification_account_id")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
