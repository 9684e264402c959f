"""What the demo logins find on their screens: the stories of ``pegawai`` and ``atasan``.

The bulk seeds fill the city; this step makes sure the two personas a visitor logs in as see
every screen with something on it, written through the services (audited, notified) as the
supervisor would: open mentoring alerts among the atasan's team (one of them about the
pegawai, who therefore sees a support offer), feedback threads about the pegawai with replies,
a coaching assignment, and a training assignment from the pegawai's recommendations. The
open pulse survey the pegawai can answer is seeded by the adoption demo (``keep_unanswered``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from portal.coaching import service as coaching
from portal.coaching.enums import CoachingKind
from portal.core.auth import Role, Viewer
from portal.core.db import transaction
from portal.core.pagination import PageRequest
from portal.feedback import service as feedback
from portal.feedback.enums import ThreadKind
from portal.mentoring.services import alerts as mentoring
from portal.people.rows import EmployeeRow
from portal.people.services import directory as people
from training.enums import ReasonCode
from training.services import booking
from training.services import recommendations as training_service

DEMO_ALERT_REASON = "Contoh untuk demo: model pendampingan belum menilai pegawai ini"
"""An alert's reason when no model scored the employee (the demo then has no model to ask)."""
DEMO_ALERT_SCORE = 0.8
NO_SIGNAL_REASON = "Contoh untuk demo: model tidak melihat tanda yang menonjol pada pegawai ini"
"""An alert's reason when the model scored the employee but named no reason."""

Explain = Callable[[int], "tuple[float, list[str]] | None"]
"""The model's score and reasons for one employee (``CityScores.explained``)."""


@dataclass(frozen=True, slots=True)
class Persona:
    """A demo login's employee and account."""

    employee_id: int
    account_id: int
    username: str


@dataclass(frozen=True, slots=True)
class Personas:
    """The ``pegawai`` and ``atasan`` logins (``portal.demo`` resolves them)."""

    pegawai: Persona
    atasan: Persona


async def _viewer(persona: Persona, role: Role) -> Viewer:
    employee = await people.get_employee(persona.employee_id)
    return Viewer(
        account_id=persona.account_id,
        username=persona.username,
        employee_id=persona.employee_id,
        employee_opd_id=employee.opd_id,
        roles=frozenset({role, Role.PEGAWAI}),
        admin_opd_ids=frozenset(),
    )


GROUNDED = frozenset({ReasonCode.INDICATOR_GAP, ReasonCode.BEHAVIOUR_GAP})


async def _with_recommendations(team: Sequence[EmployeeRow], today: date, n: int) -> list[int]:
    """Up to ``n`` of ``team`` with course recommendations, best grounded first (then by id).

    A recommendation is grounded when a gap of the employee's own (an indicator behind pace, a
    BerAKHLAK value below expectation) explains it; any recommendation beats none.
    """
    found = await training_service.recommendations_for(team, today, limit=10)

    def rank(employee: EmployeeRow) -> tuple[int, int, int]:
        recs = found[employee.id]
        grounded = sum(1 for r in recs if any(x.code in GROUNDED for x in r.reasons))
        return (-grounded, -len(recs), employee.id)

    return [e.id for e in sorted(team, key=rank) if found[e.id]][:n]


async def seed(
    who: Personas, today: date, model_version: str, explain: Explain | None = None
) -> dict[str, int]:
    """Write the personas' stories; return what was created.

    Their alerts carry the model's own score and reasons for them (``explain``), so what the
    supervisor reads agrees with the screens; without a model, a reason that says so.
    """
    atasan = await _viewer(who.atasan, Role.ATASAN)
    pegawai = await _viewer(who.pegawai, Role.PEGAWAI)
    page = await people.list_team(atasan, PageRequest(first=100, after_pk=None), direct_only=True)
    pegawai_id, atasan_id = who.pegawai.employee_id, who.atasan.employee_id
    teammates = [e for e in page.items if e.active and e.id != pegawai_id]
    # Open alerts: the pegawai and the two teammates with the best-grounded recommendations
    # (so "Rekomendasikan pelatihan" on their alerts offers courses that fit them).
    flagged = [pegawai_id, *await _with_recommendations(teammates, today, 2)]
    alerts = 0
    async with transaction():
        for employee_id in flagged:
            scored = explain(employee_id) if explain else None
            score, why = scored or (DEMO_ALERT_SCORE, [DEMO_ALERT_REASON])
            alerts += await mentoring.raise_alert(
                employee_id, today, score, why or [NO_SIGNAL_REASON], model_version
            )
    # Feedback: an improvement thread with a reply, and an appreciation.
    improve = await feedback.open_thread(
        atasan,
        employee_id=pegawai_id,
        topic="Waktu pencatatan dosis vaksin",
        kind=ThreadKind.IMPROVEMENT,
        body="Mohon aktivitas imunisasi dicatat di hari yang sama; minggu ini banyak yang "
        "tercatat 2-3 hari kemudian sehingga laporan puskesmas terlambat.",
    )
    await feedback.post_message(
        pegawai,
        improve.id,
        "Baik, Pak/Bu. Kendalanya sinyal di posyandu; saya akan mencatat dari aplikasi saat "
        "luring dan mengunggahnya sore hari.",
    )
    await feedback.open_thread(
        atasan,
        employee_id=pegawai_id,
        topic="Bulan Imunisasi Anak Sekolah",
        kind=ThreadKind.APPRECIATION,
        body="Terima kasih atas kerja keras selama BIAS; cakupan sekolah binaan sangat baik.",
    )
    # Coaching by the supervisor.
    await coaching.assign(
        atasan,
        employee_id=pegawai_id,
        coach_id=atasan_id,
        kind=CoachingKind.COACHING,
        goal="Menyusun jadwal posyandu dan pencatatan harian yang tepat waktu",
    )
    # A training assignment from the pegawai's own recommendations: the shortest course, so
    # JP stay open and the Pelatihan screen still recommends more.
    employee = await people.get_employee(pegawai_id)
    found = await training_service.recommendations_for([employee], today, limit=10)
    catalogue = await training_service.load_catalogue(today)
    jp = {c.id: c.jp_hours for c in catalogue.courses}
    shortest = sorted(found[employee.id], key=lambda r: (jp.get(r.course_id, 99), r.course_id))
    trainings = 0
    for rec in shortest[:1]:
        reasons = "; ".join(r.explanation for r in rec.reasons)
        await booking.assign(
            atasan,
            employee_id=pegawai_id,
            course_id=rec.course_id,
            reason=f"Ditugaskan atasan: {reasons}"[:2000],
            today=today,
        )
        trainings += 1
    return {"alerts": alerts, "threads": 2, "coaching": 1, "trainings": trainings}
