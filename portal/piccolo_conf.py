"""Piccolo configuration: the engine from settings and the registry of every Piccolo app."""

from __future__ import annotations

from piccolo.conf.apps import AppRegistry

from portal.core.db import build_engine
from portal.settings import get_settings

DB = build_engine(get_settings())

APP_REGISTRY = AppRegistry(
    apps=[
        "portal.people.piccolo_app",
        "portal.accounts.piccolo_app",
        "portal.performance.piccolo_app",
    ]
)
