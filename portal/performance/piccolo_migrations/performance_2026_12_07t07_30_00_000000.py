from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.base import OnUpdate
from piccolo.columns.column_types import Date
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


class EmployeeMove(Table, tablename="employee_move", schema=None):
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


ID = "2026-12-07T07:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "performance: the part of the year an SKP covers, and its mutasi (issue 20)"


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
        **extra,
    }


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="performance", description=DESCRIPTION
    )

    for name in ("served_from", "served_until"):
        manager.add_column(
            table_class_name="Skp",
            tablename="skp",
            column_name=name,
            db_column_name=name,
            column_class_name="Date",
            column_class=Date,
            params=_params(default=None),
            schema=None,
        )

    manager.add_column(
        table_class_name="Skp",
        tablename="skp",
        column_name="mutasi",
        db_column_name="mutasi",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params=_params(
            references=EmployeeMove,
            on_delete=OnDelete.set_null,
            on_update=OnUpdate.cascade,
            target_column=None,
        ),
        schema=None,
    )

    return manager
