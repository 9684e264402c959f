from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T06:56:58:479576"
VERSION = "1.38.0"
DESCRIPTION = "Phase times of a scoring run"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="mentoring", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="MentoringScoringRun",
        tablename="mentoring_scoring_run",
        column_name="phases",
        db_column_name="phases",
        column_class_name="JSON",
        column_class=JSON,
        params={
            "default": "{}",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
