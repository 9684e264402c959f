"""Piccolo app of the coaching domain."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from portal.coaching.tables import CoachingAssignment, CoachingSession

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))  # noqa: PTH100, PTH120

APP_CONFIG = AppConfig(
    app_name="coaching",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),  # noqa: PTH118
    table_classes=[CoachingAssignment, CoachingSession],
    migration_dependencies=[
        "portal.people.piccolo_app",
        "portal.performance.piccolo_app",
        "portal.feedback.piccolo_app",
    ],
    commands=[],
)
