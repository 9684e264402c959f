"""Piccolo app of the mentoring domain."""

from __future__ import annotations

from portal.core.piccolo import domain_app

APP_CONFIG = domain_app(
    "mentoring",
    __file__,
    tables=["portal.mentoring.tables"],
    depends_on=[
        "portal.people.piccolo_app",
        "portal.coaching.piccolo_app",
    ],
)
