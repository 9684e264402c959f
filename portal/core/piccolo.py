"""Each domain's Piccolo app, declared the same way, and the primary key of every table.

The app is what the domain template's ``piccolo_app.py`` declares.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from piccolo.columns import Serial
from piccolo.conf.apps import AppConfig, table_finder


def domain_app(
    name: str, app_file: str, tables: Sequence[str], depends_on: Sequence[str] = ()
) -> AppConfig:
    """The Piccolo app ``name`` of the tables defined in the ``tables`` modules.

    Its migrations are in ``piccolo_migrations/`` beside ``app_file`` and run after those of
    ``depends_on``. Tables a module only imports (a foreign key's target) belong to their own app.
    """
    return AppConfig(
        app_name=name,
        migrations_folder_path=str(Path(app_file).resolve().parent / "piccolo_migrations"),
        table_classes=table_finder(list(tables), exclude_imported=True),
        migration_dependencies=list(depends_on),
        commands=[],
    )


class WithId:
    """Mixin of every table: the serial primary key ``id`` (Piccolo copies it into each table).

    For example ``class Opd(WithId, Table, tablename="opd")``.
    """

    id = Serial(primary_key=True)
