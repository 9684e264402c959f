"""The city's calendar: dates of the deployment's time zone (DESIGN.md "Time").

Deadlines are dates in the city's time zone (``PORTAL_TIMEZONE``, default Asia/Jakarta);
timestamps stay in UTC. When the settings carry a ``timezone`` it wins, so this follows the
portal-wide clock once it exists.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from portal.settings import get_settings

DEFAULT_TIMEZONE = "Asia/Jakarta"


def city_zone() -> ZoneInfo:
    """The deployment's time zone."""
    name = getattr(get_settings(), "timezone", None) or os.environ.get("PORTAL_TIMEZONE")
    return ZoneInfo(str(name or DEFAULT_TIMEZONE))


def now() -> datetime:
    """The current instant (UTC); tests replace it."""
    return datetime.now(UTC)


def local_date(instant: datetime) -> date:
    """The city's calendar date of an instant."""
    return instant.astimezone(city_zone()).date()


def today() -> date:
    """Today in the city."""
    return local_date(now())
