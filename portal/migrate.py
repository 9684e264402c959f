"""Apply Piccolo migrations of every app (the same files on SQLite and PostgreSQL)."""

from __future__ import annotations

from piccolo.apps.migrations.commands.forwards import run_forwards

from portal.core.db import enable_wal
from portal.settings import Settings


class MigrationError(RuntimeError):
    """A migration failed to apply."""


async def migrate(settings: Settings) -> None:
    """Bring the database schema up to date (and switch SQLite to WAL mode)."""
    if not settings.is_postgres:
        enable_wal(settings.sqlite_path)
    result = await run_forwards(app_name="all", migration_id="all", fake=False)
    if not result.success:
        raise MigrationError(result.message)
