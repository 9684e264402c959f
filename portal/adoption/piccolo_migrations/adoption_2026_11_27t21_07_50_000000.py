from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-27T21:07:50:000000"
VERSION = "1.38.0"
DESCRIPTION = "adoption: unique keys and composite indexes"

# Composite unique keys and indexes, written once for SQLite and PostgreSQL alike (Piccolo's
# declarative constraints would need ALTER TABLE ADD CONSTRAINT, which SQLite lacks).
INDEXES = (
    "CREATE UNIQUE INDEX IF NOT EXISTS adoption_program_opd_unique"
    " ON adoption_program_opd (program, opd)",
    "CREATE UNIQUE INDEX IF NOT EXISTS adoption_program_unit_unique"
    " ON adoption_program_unit (program, unor)",
    "CREATE UNIQUE INDEX IF NOT EXISTS adoption_session_unit_unique"
    " ON adoption_session_unit (session, unor)",
    "CREATE UNIQUE INDEX IF NOT EXISTS adoption_invitation_unique"
    " ON adoption_invitation (session, employee)",
    "CREATE UNIQUE INDEX IF NOT EXISTS adoption_attendance_unique"
    " ON adoption_attendance (session, employee)",
    "CREATE UNIQUE INDEX IF NOT EXISTS adoption_session_feedback_unique"
    " ON adoption_session_feedback (session, employee)",
    "CREATE UNIQUE INDEX IF NOT EXISTS adoption_survey_response_unique"
    " ON adoption_survey_response (survey, respondent)",
    "CREATE INDEX IF NOT EXISTS adoption_survey_response_group"
    " ON adoption_survey_response (survey, opd, unor)",
    "CREATE INDEX IF NOT EXISTS adoption_attendance_employee"
    " ON adoption_attendance (employee, session)",
    "CREATE INDEX IF NOT EXISTS adoption_invitation_employee"
    " ON adoption_invitation (employee, session)",
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
