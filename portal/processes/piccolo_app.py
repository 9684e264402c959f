"""Piccolo app of the BKPSDM processes."""

from __future__ import annotations

from portal.core.piccolo import domain_app

APP_CONFIG = domain_app(
    "processes",
    __file__,
    tables=["portal.processes.tables"],
    depends_on=["portal.people.piccolo_app", "portal.performance.piccolo_app"],
)
