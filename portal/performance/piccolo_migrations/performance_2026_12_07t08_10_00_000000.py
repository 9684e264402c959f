from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T08:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "performance: the combined annual result of a year split by a mutasi (issue 20)"


def _params(**extra) -> dict:
    return {
        "null": True,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
        "default": None,
        **extra,
    }


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="performance", description=DESCRIPTION
    )
    for name, length in (
        ("combined_hasil", 24),
        ("combined_perilaku", 24),
        ("combined_predikat", 20),
    ):
        manager.add_column(
            table_class_name="Evaluation",
            tablename="evaluation",
            column_name=name,
            db_column_name=name,
            column_class_name="Varchar",
            column_class=Varchar,
            params=_params(length=length),
            schema=None,
        )
    manager.add_column(
        table_class_name="Evaluation",
        tablename="evaluation",
        column_name="combined_at",
        db_column_name="combined_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params=_params(),
        schema=None,
    )
    return manager
