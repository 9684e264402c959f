"""Piccolo app of the training module."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from training.tables import (
    Competency,
    Course,
    CourseCompetency,
    CourseRating,
    CourseSession,
    RecommendationDismissal,
    TrainingAssignment,
)

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))  # noqa: PTH100, PTH120

APP_CONFIG = AppConfig(
    app_name="training",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),  # noqa: PTH118
    table_classes=[
        Competency,
        Course,
        CourseCompetency,
        CourseSession,
        TrainingAssignment,
        CourseRating,
        RecommendationDismissal,
    ],
    migration_dependencies=["portal.people.piccolo_app"],
    commands=[],
)
