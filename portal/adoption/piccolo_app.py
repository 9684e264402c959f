"""Piccolo app of the socialization program and adoption analytics."""

from __future__ import annotations

from portal.core.piccolo import domain_app

APP_CONFIG = domain_app(
    "adoption",
    __file__,
    tables=["portal.adoption.tables"],
    depends_on=[
        "portal.people.piccolo_app",
        "portal.accounts.piccolo_app",
        "portal.performance.piccolo_app",
    ],
)
