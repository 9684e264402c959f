"""Vocabularies of the coaching domain (registered as GraphQL enums in ``types.py``)."""

from __future__ import annotations

import enum


class CoachingKind(enum.StrEnum):
    """Kinds."""

    COACHING = "COACHING"
    MENTORING = "MENTORING"
    KONSELING = "KONSELING"


class CoachingOrigin(enum.StrEnum):
    """Origins."""

    MANUAL = "MANUAL"
    EVALUATION = "EVALUATION"
    MENTORING_ALERT = "MENTORING_ALERT"


class CoachingStatus(enum.StrEnum):
    """Statuses."""

    PLANNED = "PLANNED"
    ACTIVE = "ACTIVE"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"
