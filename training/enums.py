"""Vocabularies of competence development (DESIGN.md §3, PP 11/2017, Peraturan LAN 10/2018).

Plain :mod:`enum` classes so services, the demo and the pure ranking code can use them without
importing strawberry; ``types.py`` exposes them in the GraphQL schema.
"""

from __future__ import annotations

from enum import auto

from portal.core.vocabulary import Vocabulary


class CompetencyKind(Vocabulary):
    """Competency group of the ASN competency standard."""

    TEKNIS = auto(), "Technical competency.", "Teknis"
    MANAJERIAL = auto(), "Managerial competency.", "Manajerial"
    SOSIAL_KULTURAL = auto(), "Socio-cultural competency.", "Sosial kultural"


class CourseMode(Vocabulary):
    """Classroom (klasikal) or non-classroom (nonklasikal) development."""

    KLASIKAL = auto(), "Classroom development.", "Klasikal"
    NONKLASIKAL = auto(), "Non-classroom development.", "Nonklasikal"


class CourseForm(Vocabulary):
    """Form of development (bentuk pengembangan kompetensi)."""

    DIKLAT = auto(), "Formal training (diklat).", "Diklat"
    BIMTEK = auto(), "Technical guidance.", "Bimbingan teknis"
    KURSUS = auto(), "Course.", "Kursus"
    WORKSHOP = auto(), "Workshop.", "Lokakarya"
    SEMINAR = auto(), "Seminar.", "Seminar"
    E_LEARNING = auto(), "E-learning.", "E-learning"
    PELATIHAN_JARAK_JAUH = auto(), "Distance training.", "Pelatihan jarak jauh"
    COACHING = auto(), "Coaching.", "Coaching"
    MENTORING = auto(), "Mentoring.", "Mentoring"
    MAGANG = auto(), "Internship.", "Magang"
    DETASERING = auto(), "Secondment.", "Detasering"
    BENCHMARKING = auto(), "Benchmarking visit.", "Benchmarking"
    BELAJAR_MANDIRI = auto(), "Self-study.", "Belajar mandiri"
    KOMUNITAS_BELAJAR = auto(), "Learning community.", "Komunitas belajar"

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


class ScheduleKind(Vocabulary):
    """Scheduled sessions (dates, optional session rows) or self-paced."""

    SESSIONS = auto(), "Held on scheduled dates.", "Terjadwal"
    SELF_PACED = auto(), "At the learner's own pace.", "Mandiri"


class CourseStatus(Vocabulary):
    """Catalogue state: DRAFT (admins only) -> PUBLISHED -> CLOSED; ARCHIVED hides it."""

    DRAFT = auto(), "Being prepared; admins only.", "Draf"
    PUBLISHED = auto(), "Open in the catalogue.", "Terbit"
    CLOSED = auto(), "No more enrolments.", "Ditutup"
    ARCHIVED = auto(), "Hidden from the catalogue.", "Diarsipkan"


class AssignmentOrigin(Vocabulary):
    """How an employee came to take a course."""

    ASSIGNED = auto(), "Assigned by a supervisor or admin.", "Ditugaskan"
    SELF_ENROLLED = auto(), "The employee enrolled themself.", "Mendaftar sendiri"
    RECOMMENDATION = auto(), "Accepted from a recommendation.", "Dari rekomendasi"


class AssignmentStatus(Vocabulary):
    """ASSIGNED -> ENROLLED -> COMPLETED, or CANCELLED before completion."""

    ASSIGNED = auto(), "Assigned, not enrolled yet.", "Ditugaskan"
    ENROLLED = auto(), "Enrolled in the course.", "Terdaftar"
    COMPLETED = auto(), "Completed; its JP count.", "Selesai"
    CANCELLED = auto(), "Cancelled.", "Dibatalkan"


# Statuses that hold a seat of the course (a completed participant used one too).
SEAT_STATUSES = frozenset(
    {AssignmentStatus.ASSIGNED, AssignmentStatus.ENROLLED, AssignmentStatus.COMPLETED}
)
# Statuses of planned, not yet completed development.
OPEN_STATUSES = frozenset({AssignmentStatus.ASSIGNED, AssignmentStatus.ENROLLED})


class ReasonCode(Vocabulary):
    """Machine-readable reason behind a recommendation."""

    BEHAVIOUR_GAP = (
        auto(),
        "A BerAKHLAK behaviour rated below expectations.",
        "Kesenjangan perilaku",
    )
    INDICATOR_GAP = auto(), "An indicator behind its expected pace.", "Kesenjangan indikator"
    JP_SHORTFALL = auto(), "Fewer JP hours than the yearly minimum.", "Kekurangan JP"
    MENTORING_ALERT = auto(), "An open mentoring alert.", "Peringatan pendampingan"
    PEER_POPULAR = auto(), "Popular among peers in similar positions.", "Populer di antara rekan"
