from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-28T04:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "people: index of employees by jabatan name"

# Training recommendations compare an employee with the peers in the same jabatan (what they
# completed, how it was rated). Without an index every home screen scanned all employees of
# the city (5-7 ms of a 16-22 ms recommendation read on the 13 000-employee bench city).
INDEXES = ("CREATE INDEX IF NOT EXISTS employee_jabatan_name ON employee (jabatan_name)",)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="people", description=DESCRIPTION)

    async def create() -> None:
        for statement in INDEXES:
            await engine_finder().run_ddl(statement)

    async def drop() -> None:
        await engine_finder().run_ddl("DROP INDEX IF EXISTS employee_jabatan_name")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
