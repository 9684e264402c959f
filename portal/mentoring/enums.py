"""Vocabularies of the mentoring domain (registered as GraphQL enums in ``types.py``)."""

from __future__ import annotations

import enum
from enum import auto

from portal.core.vocabulary import Vocabulary


class AlertStatus(Vocabulary):
    """Alert statuses."""

    OPEN = auto(), "Raised, not handled yet.", "Baru"
    ACKNOWLEDGED = auto(), "Acknowledged by the supervisor.", "Dibaca"
    ACTED = auto(), "Coaching or training was arranged.", "Ditindaklanjuti"
    DISMISSED = auto(), "Closed without action.", "Diabaikan"


class AlertAction(Vocabulary):
    """Alert actions."""

    ACKNOWLEDGE = auto(), "The supervisor saw the alert and will follow up.", "Dibaca"
    CREATE_COACHING = (
        auto(),
        "Start a coaching assignment for the employee.",
        "Coaching direncanakan",
    )
    RECOMMEND_TRAINING = auto(), "Recommend a training course.", "Pelatihan direkomendasikan"
    DISMISS = auto(), "Close the alert without action (with a reason).", "Diabaikan"


class OutcomeKind(enum.StrEnum):
    """What came of an alert (outcome data; a label for retraining, see ``ml.outcomes``)."""

    COACHED = "COACHED"
    TRAINING_RECOMMENDED = "TRAINING_RECOMMENDED"
    DISMISSED = "DISMISSED"
    RESOLVED = "RESOLVED"
