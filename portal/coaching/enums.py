"""Vocabularies of the coaching domain (registered as GraphQL enums in ``types.py``)."""

from __future__ import annotations

from enum import auto

from portal.core.vocabulary import Vocabulary


class CoachingKind(Vocabulary):
    """Kinds."""

    COACHING = auto(), "Coaching on the job.", "Coaching"
    MENTORING = auto(), "Mentoring by a senior.", "Mentoring"
    KONSELING = auto(), "Counselling.", "Konseling"


class CoachingOrigin(Vocabulary):
    """Origins."""

    MANUAL = auto(), "Created by hand.", "Manual"
    EVALUATION = auto(), "Follows a performance evaluation.", "Dari penilaian kinerja"
    MENTORING_ALERT = auto(), "Follows a mentoring alert.", "Dari peringatan pendampingan"


class CoachingStatus(Vocabulary):
    """Statuses."""

    PLANNED = auto(), "Planned, not started.", "Direncanakan"
    ACTIVE = auto(), "Under way.", "Berjalan"
    COMPLETED = auto(), "Completed with an outcome.", "Selesai"
    CANCELLED = auto(), "Cancelled.", "Dibatalkan"
