from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-27T20:55:46:000000"
VERSION = "1.38.0"
DESCRIPTION = "feedback: unique read state, message order"

INDEXES = (
    "CREATE UNIQUE INDEX IF NOT EXISTS thread_read_state_unique"
    " ON thread_read_state (thread, employee)",
    "CREATE INDEX IF NOT EXISTS feedback_message_thread_id ON feedback_message (thread, id)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="feedback", description=DESCRIPTION)

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
