from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-07T10:10:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "adoption: unique keys of the funnel's aggregates (issue 22)"

INDEXES = (
    "CREATE UNIQUE INDEX IF NOT EXISTS adoption_employee_week_unique"
    " ON adoption_employee_week (employee, wk)",
    "CREATE INDEX IF NOT EXISTS adoption_employee_week_wk ON adoption_employee_week (wk)",
    "CREATE UNIQUE INDEX IF NOT EXISTS adoption_latency_tail_unique"
    " ON adoption_latency_tail (employee, wk, d)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="adoption", description=DESCRIPTION)

    async def create() -> None:
        for statement in INDEXES:
            await engine_finder().run_ddl(statement)

    async def drop() -> None:
        for statement in INDEXES:
            name = statement.split("EXISTS ")[1].split(" ")[0]
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
