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
        "portal.feedback.piccolo_app",
        "portal.coaching.piccolo_app",
        "portal.notifications.piccolo_app",
        "portal.mentoring.piccolo_app",
        "training.piccolo_app",
        "portal.adoption.piccolo_app",
        "portal.processes.piccolo_app",
    ]
)
