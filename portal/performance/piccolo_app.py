"""Piccolo app of the performance domain."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from portal.performance.tables import (
    Activity,
    Evaluation,
    EvaluationBehaviour,
    EvaluationIndicator,
    IncentiveRule,
    Indicator,
    OpdCurve,
    Period,
    Rhk,
    Skp,
    SkpExpectation,
    SkpRevision,
)

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))  # noqa: PTH100, PTH120

APP_CONFIG = AppConfig(
    app_name="performance",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),  # noqa: PTH118
    table_classes=[
        Period,
        Skp,
        SkpExpectation,
        SkpRevision,
        Rhk,
        Indicator,
        Activity,
        Evaluation,
        EvaluationIndicator,
        EvaluationBehaviour,
        OpdCurve,
        IncentiveRule,
    ],
    migration_dependencies=["portal.people.piccolo_app", "portal.accounts.piccolo_app"],
    commands=[],
)
