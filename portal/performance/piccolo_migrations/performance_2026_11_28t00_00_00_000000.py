from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-28T00:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "performance: partial index of activities awaiting verification"

# The team dashboard counts each member's activities awaiting verification. Without this index
# PostgreSQL walked every SUBMITTED activity of the city (17-300 ms on the 13 000-employee bench
# city); with it the count reads only the team's pending rows (0.3 ms). SQLite supports partial
# indexes too.
INDEXES = (
    "CREATE INDEX IF NOT EXISTS activity_pending ON activity (employee)"
    " WHERE status = 'SUBMITTED'",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="performance", description=DESCRIPTION)

    async def create() -> None:
        for statement in INDEXES:
            await engine_finder().run_ddl(statement)

    async def drop() -> None:
        await engine_finder().run_ddl("DROP INDEX IF EXISTS activity_pending")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
