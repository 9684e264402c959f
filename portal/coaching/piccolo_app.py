"""Piccolo app of the coaching domain."""

from __future__ import annotations

from portal.core.piccolo import domain_app

APP_CONFIG = domain_app(
    "coaching",
    __file__,
    tables=["portal.coaching.tables"],
    depends_on=[
        "portal.people.piccolo_app",
        "portal.performance.piccolo_app",
        "portal.feedback.piccolo_app",
    ],
)
