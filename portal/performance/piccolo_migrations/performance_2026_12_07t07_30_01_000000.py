from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-07T07:30:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "performance: one active SKP per employee and annual period (issue 20)"

# A mutasi closes the old SKP (served_until set) and opens a new one for the same period, so
# the unique key (employee, period) holds for the SKPs not closed only: a partial unique index,
# the same statement on SQLite and PostgreSQL. It runs after the column migration (Piccolo
# runs a migration's raw statements before its column changes).
FORWARDS = (
    "DROP INDEX IF EXISTS skp_employee_period",
    "CREATE UNIQUE INDEX IF NOT EXISTS skp_employee_period_active ON skp (employee, period)"
    " WHERE served_until IS NULL",
)
BACKWARDS = (
    "DROP INDEX IF EXISTS skp_employee_period_active",
    "CREATE UNIQUE INDEX IF NOT EXISTS skp_employee_period ON skp (employee, period)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="performance", description=DESCRIPTION)

    async def run(statements: tuple[str, ...]) -> None:
        for statement in statements:
            await engine_finder().run_ddl(statement)

    async def forward() -> None:
        await run(FORWARDS)

    async def backward() -> None:
        await run(BACKWARDS)

    manager.add_raw(forward)
    manager.add_raw_backwards(backward)
    return manager
