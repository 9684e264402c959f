"""Vocabularies of the socialization program (registered as GraphQL enums in ``types.py``)."""

from __future__ import annotations

from enum import auto

from portal.core.vocabulary import Vocabulary


class GroupBy(Vocabulary):
    """How survey results are grouped."""

    OPD = auto(), "One row per OPD.", "Per OPD"
    UNIT = auto(), "One row per unit.", "Per unit kerja"
    CITY = auto(), "One row for the whole city.", "Seluruh kota"


class SurveyQuestion(Vocabulary):
    """Pulse questions."""

    COMFORT = auto(), "How comfortable the employee is with the portal.", "Kenyamanan"
    STRESS = auto(), "How stressful using the portal is.", "Tekanan"
    UNDERSTANDING = auto(), "How well the employee understands SKP and evaluation.", "Pemahaman"


class CheckInStatus(Vocabulary):
    """Check-in outcomes."""

    CHECKED_IN = auto(), "Checked in now.", "Hadir"
    ALREADY_CHECKED_IN = auto(), "Was checked in before.", "Sudah tercatat hadir"
    NOT_INVITED = auto(), "Not invited to the session (use late registration).", "Tidak diundang"
    UNKNOWN = auto(), "No such employee.", "Tidak dikenal"
