from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-27T20:46:50:000000"
VERSION = "1.38.0"
DESCRIPTION = "performance: unique keys and composite indexes"

# Composite unique keys and indexes, written once for SQLite and PostgreSQL alike (Piccolo's
# declarative constraints would need ALTER TABLE ADD CONSTRAINT, which SQLite lacks).
INDEXES = (
    "CREATE UNIQUE INDEX IF NOT EXISTS skp_employee_period ON skp (employee, period)",
    "CREATE UNIQUE INDEX IF NOT EXISTS activity_idempotency ON activity (employee, idempotency_key)",
    "CREATE INDEX IF NOT EXISTS activity_employee_date ON activity (employee, activity_date)",
    "CREATE INDEX IF NOT EXISTS activity_indicator_status ON activity (indicator, status)",
    "CREATE UNIQUE INDEX IF NOT EXISTS evaluation_skp_period ON evaluation (skp, period)",
    "CREATE UNIQUE INDEX IF NOT EXISTS evaluation_indicator_unique"
    " ON evaluation_indicator (evaluation, indicator)",
    "CREATE UNIQUE INDEX IF NOT EXISTS evaluation_behaviour_unique"
    " ON evaluation_behaviour (evaluation, value)",
    "CREATE UNIQUE INDEX IF NOT EXISTS opd_curve_unique ON opd_curve (opd, period)",
    "CREATE UNIQUE INDEX IF NOT EXISTS skp_expectation_unique ON skp_expectation (skp, value)",
    "CREATE UNIQUE INDEX IF NOT EXISTS period_unique ON period (year, kind, number)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="performance", description=DESCRIPTION)

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
