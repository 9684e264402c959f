"""Piccolo app of the socialization program and adoption analytics."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from portal.adoption.tables import (
    Attendance,
    Invitation,
    Program,
    ProgramOpd,
    ProgramUnit,
    Session,
    SessionFeedback,
    SessionUnit,
    Survey,
    SurveyResponse,
)

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))  # noqa: PTH100, PTH120

APP_CONFIG = AppConfig(
    app_name="adoption",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),  # noqa: PTH118
    table_classes=[
        Program,
        ProgramOpd,
        ProgramUnit,
        Session,
        SessionUnit,
        Invitation,
        Attendance,
        SessionFeedback,
        Survey,
        SurveyResponse,
    ],
    migration_dependencies=[
        "portal.people.piccolo_app",
        "portal.accounts.piccolo_app",
        "portal.performance.piccolo_app",
    ],
    commands=[],
)
