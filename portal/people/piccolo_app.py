"""Piccolo app of the people domain."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from portal.people.tables import Employee, Opd, Unor

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))  # noqa: PTH100, PTH120

APP_CONFIG = AppConfig(
    app_name="people",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),  # noqa: PTH118
    table_classes=[Opd, Unor, Employee],
    migration_dependencies=[],
    commands=[],
)
