"""Piccolo app of the mentoring domain."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from portal.mentoring.tables import MentoringAlert, MentoringScore

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))  # noqa: PTH100, PTH120

APP_CONFIG = AppConfig(
    app_name="mentoring",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),  # noqa: PTH118
    table_classes=[MentoringScore, MentoringAlert],
    migration_dependencies=["portal.people.piccolo_app", "portal.coaching.piccolo_app"],
    commands=[],
)
