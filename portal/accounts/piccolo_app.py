"""Piccolo app of the accounts domain."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from portal.accounts.tables import RefreshToken, RoleGrant, UserAccount
from portal.core.audit import AuditEntry

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))  # noqa: PTH100, PTH120

APP_CONFIG = AppConfig(
    app_name="accounts",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),  # noqa: PTH118
    table_classes=[UserAccount, RoleGrant, RefreshToken, AuditEntry],
    migration_dependencies=["portal.people.piccolo_app"],
    commands=[],
)
