"""Piccolo app of the training module."""

from __future__ import annotations

from portal.core.piccolo import domain_app

APP_CONFIG = domain_app(
    "training",
    __file__,
    tables=["training.tables"],
    depends_on=[
        "portal.people.piccolo_app",
    ],
)
