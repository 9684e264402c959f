"""Vocabularies of the mentoring domain (registered as GraphQL enums in ``types.py``)."""

from __future__ import annotations

import enum


class AlertStatus(enum.StrEnum):
    """Alert statuses."""

    OPEN = "OPEN"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    ACTED = "ACTED"
    DISMISSED = "DISMISSED"


class AlertAction(enum.StrEnum):
    """Alert actions."""

    ACKNOWLEDGE = "ACKNOWLEDGE"
    CREATE_COACHING = "CREATE_COACHING"
    RECOMMEND_TRAINING = "RECOMMEND_TRAINING"
    DISMISS = "DISMISS"


class OutcomeKind(enum.StrEnum):
    """What came of an alert (outcome data; a label for retraining, see ``ml.outcomes``)."""

    COACHED = "COACHED"
    TRAINING_RECOMMENDED = "TRAINING_RECOMMENDED"
    DISMISSED = "DISMISSED"
    RESOLVED = "RESOLVED"
