"""Piccolo app of the notifications domain."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from portal.notifications.tables import Notification

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))  # noqa: PTH100, PTH120

APP_CONFIG = AppConfig(
    app_name="notifications",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),  # noqa: PTH118
    table_classes=[Notification],
    migration_dependencies=["portal.accounts.piccolo_app"],
    commands=[],
)
