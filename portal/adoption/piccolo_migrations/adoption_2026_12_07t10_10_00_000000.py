from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.base import OnUpdate
from piccolo.columns.column_types import Date
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.column_types import Integer
from piccolo.columns.column_types import Serial
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.defaults.date import DateNow
from piccolo.columns.defaults.timestamptz import TimestamptzNow
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


ID = "2026-12-07T10:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "adoption: the funnel's maintained aggregates per employee and week (issue 22)"

# The tables start empty: a reader fills in every employee it finds without a fact row
# (portal.adoption.aggregates.repair), and `portal adoption-aggregates` fills them all at once.
# Their unique keys come in the next migration (raw DDL runs before the tables exist).


def _params(**extra) -> dict:
    return {
        "null": False,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
        **extra,
    }


def _employee(unique: bool) -> dict:
    return _params(
        references=Employee,
        on_delete=OnDelete.cascade,
        on_update=OnUpdate.cascade,
        target_column=None,
        unique=unique,
    )


TABLES = {
    ("EmployeeFact", "adoption_employee_fact"): [
        ("id", Serial, _params(primary_key=True)),
        ("employee", ForeignKey, _employee(True)),
        ("start_on", Date, _params(default=DateNow())),
        ("first_wk", Date, _params(default=DateNow())),
        ("att_on", Date, _params(default=None, null=True)),
        ("started_on", Date, _params(default=None, null=True)),
        ("started_wk", Date, _params(default=None, null=True)),
        ("refreshed_at", Timestamptz, _params(default=TimestamptzNow())),
    ],
    ("EmployeeWeek", "adoption_employee_week"): [
        ("id", Serial, _params(primary_key=True)),
        ("employee", ForeignKey, _employee(False)),
        ("wk", Date, _params(default=DateNow())),
        *(
            (name, Integer, _params(default=0))
            for name in (
                "activities",
                "verified",
                "days",
                "active",
                "engaged",
                *(f"lat{d}" for d in range(7)),
            )
        ),
    ],
    ("LatencyTail", "adoption_latency_tail"): [
        ("id", Serial, _params(primary_key=True)),
        ("employee", ForeignKey, _employee(False)),
        ("wk", Date, _params(default=DateNow())),
        ("d", Integer, _params(default=0)),
        ("n", Integer, _params(default=0)),
    ],
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="adoption", description=DESCRIPTION)
    for (class_name, tablename), columns in TABLES.items():
        manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
        for name, kind, params in columns:
            manager.add_column(
                table_class_name=class_name,
                tablename=tablename,
                column_name=name,
                db_column_name=name,
                column_class_name=kind.__name__,
                column_class=kind,
                params=params,
                schema=None,
            )

    return manager
