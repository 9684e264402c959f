"""Vocabularies of competence development (DESIGN.md §3, PP 11/2017, Peraturan LAN 10/2018).

Plain :mod:`enum` classes so services, the demo and the pure ranking code can use them without
importing strawberry; ``types.py`` exposes them in the GraphQL schema.
"""

from __future__ import annotations

import enum


class CompetencyKind(enum.StrEnum):
    """Competency group of the ASN competency standard."""

    TEKNIS = "TEKNIS"
    MANAJERIAL = "MANAJERIAL"
    SOSIAL_KULTURAL = "SOSIAL_KULTURAL"


class CourseMode(enum.StrEnum):
    """Classroom (klasikal) or non-classroom (nonklasikal) development."""

    KLASIKAL = "KLASIKAL"
    NONKLASIKAL = "NONKLASIKAL"


class CourseForm(enum.StrEnum):
    """Form of development (bentuk pengembangan kompetensi)."""

    DIKLAT = "DIKLAT"
    BIMTEK = "BIMTEK"
    KURSUS = "KURSUS"
    WORKSHOP = "WORKSHOP"
    SEMINAR = "SEMINAR"
    E_LEARNING = "E_LEARNING"
    PELATIHAN_JARAK_JAUH = "PELATIHAN_JARAK_JAUH"
    COACHING = "COACHING"
    MENTORING = "MENTORING"
    MAGANG = "MAGANG"
    DETASERING = "DETASERING"
    BENCHMARKING = "BENCHMARKING"
    BELAJAR_MANDIRI = "BELAJAR_MANDIRI"
    KOMUNITAS_BELAJAR = "KOMUNITAS_BELAJAR"

    @property
    def modes(self) -> frozenset[CourseMode]:
        """Modes this form can be delivered in (seminars and workshops also run online)."""
        return FORM_MODES[self]


_BOTH = frozenset({CourseMode.KLASIKAL, CourseMode.NONKLASIKAL})
_KLASIKAL = frozenset({CourseMode.KLASIKAL})
_NONKLASIKAL = frozenset({CourseMode.NONKLASIKAL})
FORM_MODES: dict[CourseForm, frozenset[CourseMode]] = {
    CourseForm.DIKLAT: _KLASIKAL,
    CourseForm.BIMTEK: _KLASIKAL,
    CourseForm.KURSUS: _KLASIKAL,
    CourseForm.WORKSHOP: _BOTH,
    CourseForm.SEMINAR: _BOTH,
    CourseForm.E_LEARNING: _NONKLASIKAL,
    CourseForm.PELATIHAN_JARAK_JAUH: _NONKLASIKAL,
    CourseForm.COACHING: _NONKLASIKAL,
    CourseForm.MENTORING: _NONKLASIKAL,
    CourseForm.MAGANG: _NONKLASIKAL,
    CourseForm.DETASERING: _NONKLASIKAL,
    CourseForm.BENCHMARKING: _NONKLASIKAL,
    CourseForm.BELAJAR_MANDIRI: _NONKLASIKAL,
    CourseForm.KOMUNITAS_BELAJAR: _NONKLASIKAL,
}


class ScheduleKind(enum.StrEnum):
    """Scheduled sessions (dates, optional session rows) or self-paced."""

    SESSIONS = "SESSIONS"
    SELF_PACED = "SELF_PACED"


class CourseStatus(enum.StrEnum):
    """Catalogue state: DRAFT (admins only) -> PUBLISHED -> CLOSED; ARCHIVED hides it."""

    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    CLOSED = "CLOSED"
    ARCHIVED = "ARCHIVED"


class AssignmentOrigin(enum.StrEnum):
    """How an employee came to take a course."""

    ASSIGNED = "ASSIGNED"
    SELF_ENROLLED = "SELF_ENROLLED"
    RECOMMENDATION = "RECOMMENDATION"


class AssignmentStatus(enum.StrEnum):
    """ASSIGNED -> ENROLLED -> COMPLETED, or CANCELLED before completion."""

    ASSIGNED = "ASSIGNED"
    ENROLLED = "ENROLLED"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


# Statuses that hold a seat of the course (a completed participant used one too).
SEAT_STATUSES = frozenset(
    {AssignmentStatus.ASSIGNED, AssignmentStatus.ENROLLED, AssignmentStatus.COMPLETED}
)
# Statuses of planned, not yet completed development.
OPEN_STATUSES = frozenset({AssignmentStatus.ASSIGNED, AssignmentStatus.ENROLLED})


class ReasonCode(enum.StrEnum):
    """Machine-readable reason behind a recommendation."""

    BEHAVIOUR_GAP = "BEHAVIOUR_GAP"
    INDICATOR_GAP = "INDICATOR_GAP"
    JP_SHORTFALL = "JP_SHORTFALL"
    MENTORING_ALERT = "MENTORING_ALERT"
    PEER_POPULAR = "PEER_POPULAR"
