"""Piccolo app of the notifications domain."""

from __future__ import annotations

from portal.core.piccolo import domain_app

APP_CONFIG = domain_app(
    "notifications",
    __file__,
    tables=["portal.notifications.tables"],
    depends_on=[
        "portal.accounts.piccolo_app",
    ],
)
