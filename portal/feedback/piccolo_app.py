"""Piccolo app of the feedback domain."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from portal.feedback.tables import (
    DialogAction,
    DialogKinerja,
    FeedbackMessage,
    FeedbackMessageEdit,
    FeedbackThread,
    ThreadReadState,
)

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))  # noqa: PTH100, PTH120

APP_CONFIG = AppConfig(
    app_name="feedback",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),  # noqa: PTH118
    table_classes=[
        DialogKinerja,
        DialogAction,
        FeedbackThread,
        FeedbackMessage,
        FeedbackMessageEdit,
        ThreadReadState,
    ],
    migration_dependencies=["portal.people.piccolo_app", "portal.performance.piccolo_app"],
    commands=[],
)
