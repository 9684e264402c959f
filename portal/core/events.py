"""Publishing domain events to subscribers, only once the surrounding transaction commits.

The app sets the process-wide broker at start-up; services call :func:`publish_after_commit`
and never see a half-written state leak to a client (a rolled-back write publishes nothing).
"""

from __future__ import annotations

import logging

from portal.core.db import on_commit
from portal.core.pubsub import Broker, Event, MemoryBroker

logger = logging.getLogger(__name__)

_broker: Broker = MemoryBroker()


def set_broker(broker: Broker) -> None:
    """Install the broker of this process (called by the app's start-up)."""
    global _broker  # noqa: PLW0603 - one broker per process, set once at start-up
    _broker = broker


def get_broker() -> Broker:
    """The broker of this process."""
    return _broker


async def publish_after_commit(channel: str, event: Event) -> None:
    """Publish ``event`` on ``channel`` after the current transaction commits."""

    async def publish() -> None:
        try:
            await _broker.publish(channel, event)
        except Exception:  # a broker outage must not fail a committed write
            logger.exception("publishing to %s failed", channel)

    await on_commit(publish)
