"""Piccolo app of the performance domain (planning and evaluation share its tables)."""

from __future__ import annotations

from portal.core.piccolo import domain_app

APP_CONFIG = domain_app(
    "performance",
    __file__,
    tables=["portal.performance.tables"],
    depends_on=[
        "portal.people.piccolo_app",
        "portal.accounts.piccolo_app",
    ],
)
