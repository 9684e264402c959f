from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-28T04:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "feedback: index of messages by author"

# Every home screen and inbox finds the threads the employee wrote in
# (`feedback_message.author = ?`). Without an index that is a scan of every message of the
# city, which grows with each message written (0.6 ms over 1 300 messages on the bench city,
# linear beyond).
INDEXES = ("CREATE INDEX IF NOT EXISTS feedback_message_author ON feedback_message (author)",)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="feedback", description=DESCRIPTION)

    async def create() -> None:
        for statement in INDEXES:
            await engine_finder().run_ddl(statement)

    async def drop() -> None:
        await engine_finder().run_ddl("DROP INDEX IF EXISTS feedback_message_author")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
