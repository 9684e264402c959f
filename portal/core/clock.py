"""The portal's one clock: "now" in UTC and "today" in the deployment's time zone.

Every date rule ("today", deadlines, weeks, ages) asks this module, never ``date.today()`` or
``datetime.now(UTC).date()``: between 00:00 and 07:00 WIB the UTC date is still yesterday, and
the machine's own time zone is not the city's. Timestamps are stored in UTC; a calendar date is
the date in ``PORTAL_TIMEZONE`` (default Asia/Jakarta, WIB; Asia/Makassar for WITA and
Asia/Jayapura for WIT work the same way).

Tests replace the clock with :func:`frozen` (a context manager), so a rule can be checked at
23:30 UTC, which is already 06:30 the next day in WIB.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from portal.settings import get_settings

Source = Callable[[], datetime]


def _system() -> datetime:
    return datetime.now(UTC)


_source: Source = _system
_zone_override: str | None = None


def zone() -> ZoneInfo:
    """The deployment's time zone (``PORTAL_TIMEZONE``)."""
    return ZoneInfo(_zone_override or get_settings().timezone)


def now() -> datetime:
    """The current instant, timezone-aware in UTC."""
    return _source().astimezone(UTC)


def local_now() -> datetime:
    """The current instant in the deployment's time zone."""
    return _source().astimezone(zone())


def today() -> date:
    """Today's date in the deployment's time zone."""
    return local_now().date()


def local_date(instant: datetime) -> date:
    """The local calendar date of a stored (UTC) instant; naive instants are taken as UTC."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(zone()).date()


def start_of_day(day: date) -> datetime:
    """Local midnight that starts ``day``, in UTC."""
    return datetime.combine(day, time(0), zone()).astimezone(UTC)


def end_of_day(day: date) -> datetime:
    """Local midnight that ends ``day``, in UTC."""
    return start_of_day(day + timedelta(days=1))


def at_local(day: date, hour: int, minute: int = 0) -> datetime:
    """A local wall-clock time of ``day``, in UTC."""
    return datetime.combine(day, time(hour, minute), zone()).astimezone(UTC)


def utc_offset_hours() -> float:
    """The zone's current offset from UTC in hours (Indonesia's zones have no daylight saving)."""
    offset = local_now().utcoffset() or timedelta(0)
    return offset.total_seconds() / 3600


@contextmanager
def frozen(at: datetime | Source, *, tz: str | None = None) -> Iterator[None]:
    """Run the block with a fixed instant (or a function giving one) as "now".

    Args:
        at: An aware datetime, or a callable returning one.
        tz: Another time zone for the block (e.g. ``Asia/Jayapura``), as if configured.
    """
    global _source, _zone_override  # noqa: PLW0603 - the process-wide clock, swapped by tests
    previous, previous_zone = _source, _zone_override
    if tz is not None:
        ZoneInfo(tz)  # refuse an unknown zone here, not at the first read
        _zone_override = tz
    if isinstance(at, datetime):
        if at.tzinfo is None:
            msg = "frozen() needs a timezone-aware datetime"
            raise ValueError(msg)
        fixed = at
        _source = lambda: fixed  # noqa: E731
    else:
        _source = at
    try:
        yield
    finally:
        _source, _zone_override = previous, previous_zone
