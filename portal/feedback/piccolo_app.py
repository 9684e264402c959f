"""Piccolo app of the feedback domain."""

from __future__ import annotations

from portal.core.piccolo import domain_app

APP_CONFIG = domain_app(
    "feedback",
    __file__,
    tables=["portal.feedback.tables"],
    depends_on=[
        "portal.people.piccolo_app",
        "portal.performance.piccolo_app",
    ],
)
