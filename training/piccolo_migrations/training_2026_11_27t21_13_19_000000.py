from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-27T21:13:19:000000"
VERSION = "1.38.0"
DESCRIPTION = "training: unique keys and composite indexes"

# Composite unique keys and indexes, written once for SQLite and PostgreSQL alike (Piccolo's
# declarative constraints would need ALTER TABLE ADD CONSTRAINT, which SQLite lacks).
# One live (not cancelled) assignment per employee and course; a cancelled one may be redone.
INDEXES = (
    "CREATE UNIQUE INDEX IF NOT EXISTS training_assignment_live"
    " ON training_assignment (employee, course) WHERE status <> 'CANCELLED'",
    "CREATE INDEX IF NOT EXISTS training_assignment_employee_year"
    " ON training_assignment (employee, year)",
    "CREATE INDEX IF NOT EXISTS training_assignment_course_status"
    " ON training_assignment (course, status)",
    "CREATE UNIQUE INDEX IF NOT EXISTS course_competency_unique"
    " ON course_competency (course, competency)",
    "CREATE UNIQUE INDEX IF NOT EXISTS recommendation_dismissal_unique"
    " ON recommendation_dismissal (employee, course)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="training", description=DESCRIPTION)

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
