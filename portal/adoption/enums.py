"""Vocabularies of the socialization program (registered as GraphQL enums in ``types.py``)."""

from __future__ import annotations

import enum


class GroupBy(enum.StrEnum):
    """How survey results are grouped."""

    OPD = "OPD"
    UNIT = "UNIT"
    CITY = "CITY"


class SurveyQuestion(enum.StrEnum):
    """Pulse questions."""

    COMFORT = "COMFORT"
    STRESS = "STRESS"
    UNDERSTANDING = "UNDERSTANDING"


class CheckInStatus(enum.StrEnum):
    """Check-in outcomes."""

    CHECKED_IN = "CHECKED_IN"
    ALREADY_CHECKED_IN = "ALREADY_CHECKED_IN"
    NOT_INVITED = "NOT_INVITED"
    UNKNOWN = "UNKNOWN"
