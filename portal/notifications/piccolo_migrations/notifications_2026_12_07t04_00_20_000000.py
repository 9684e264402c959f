from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-07T04:00:20:000000"
VERSION = "1.38.0"
DESCRIPTION = "notifications: one delivery per notification and channel"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="notifications", description=DESCRIPTION)

    async def create() -> None:
        await engine_finder().run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS notification_delivery_once "
            "ON notification_delivery (notification, channel)"
        )

    async def drop() -> None:
        await engine_finder().run_ddl("DROP INDEX IF EXISTS notification_delivery_once")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
