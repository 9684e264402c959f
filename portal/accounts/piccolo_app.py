"""Piccolo app of the accounts domain (and the audit log core.audit keeps)."""

from __future__ import annotations

from portal.core.piccolo import domain_app

APP_CONFIG = domain_app(
    "accounts",
    __file__,
    tables=["portal.accounts.tables", "portal.core.audit"],
    depends_on=[
        "portal.people.piccolo_app",
    ],
)
