"""Piccolo app of the people domain."""

from __future__ import annotations

from portal.core.piccolo import domain_app

APP_CONFIG = domain_app(
    "people",
    __file__,
    tables=["portal.people.tables"],
)
