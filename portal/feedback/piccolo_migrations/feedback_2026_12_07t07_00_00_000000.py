from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.base import OnUpdate
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.column_types import Serial
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class Employee(Table, tablename="employee", schema=None):
    id = Serial(
        null=False,
        primary_key=True,
        unique=False,
        index=False,
        index_method=IndexMethod.btree,
        choices=None,
        db_column_name=None,
        secret=False,
    )


ID = "2026-12-07T07:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "feedback: the supervisor a Plt/Plh stood in for (issue 20)"


def _fk() -> dict:
    return {
        "references": Employee,
        "on_delete": OnDelete.set_null,
        "on_update": OnUpdate.cascade,
        "target_column": None,
        "null": True,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
    }


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="feedback", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="FeedbackMessage",
        tablename="feedback_message",
        column_name="written_for",
        db_column_name="written_for",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params=_fk(),
        schema=None,
    )

    manager.add_column(
        table_class_name="DialogKinerja",
        tablename="dialog_kinerja",
        column_name="led_for",
        db_column_name="led_for",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params=_fk(),
        schema=None,
    )

    return manager
