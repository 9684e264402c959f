from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-27T21:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "mentoring: one open alert per employee"

# A partial unique index (SQLite and PostgreSQL both support them): while an alert is OPEN or
# ACKNOWLEDGED no second one can exist for the same employee, even when two scoring runs race.
INDEXES = (
    "CREATE UNIQUE INDEX IF NOT EXISTS mentoring_alert_one_open ON mentoring_alert (employee)"
    " WHERE status IN ('OPEN', 'ACKNOWLEDGED')",
    "CREATE INDEX IF NOT EXISTS mentoring_score_employee_as_of"
    " ON mentoring_score (employee, as_of)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="mentoring", description=DESCRIPTION)

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
