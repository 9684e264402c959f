"""Display labels (Indonesian) and descriptions of the schema's enum values, in one place.

Every enum value of the API gets a description (English, for the SDL and codegen) and a display
label (Indonesian, for screens): apps read the labels with ``enumLabels(enum:)`` instead of
keeping label tables of their own. The enums stay where their domains define them; this table
only documents them, and ``tests/contract/test_schema_contract.py`` fails when an enum value has
neither a description here nor in its domain. ``ErrorCode`` is documented by the error
catalogue (``portal/core/error_codes.py``).
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from graphql import GraphQLEnumType, GraphQLSchema

# enum -> value -> (description, Indonesian label)
# fmt: off
ENUM_VALUES: dict[str, dict[str, tuple[str, str]]] = {
    "ActingKind": {
        "PLT": ("Pelaksana Tugas: acting in a vacant post.", "Plt (Pelaksana Tugas)"),
        "PLH": ("Pelaksana Harian: acting while the official is away.", "Plh (Pelaksana Harian)"),
    },
    "ActivityOrderField": {
        "ACTIVITY_DATE": ("The day the work was done.", "Tanggal kegiatan"),
    },
    "AuditEntryOrderField": {
        "AT": ("When it happened.", "Waktu"),
        "ACTION": ("The action's name.", "Tindakan"),
    },
    "EvaluationOrderField": {
        "STATUS": ("The evaluation's status (DRAFT before FINAL).", "Status"),
    },
    "EmployeeOrderField": {
        "NAME": ("The employee's name.", "Nama"),
        "NIP": ("The employee's NIP.", "NIP"),
    },
    "TeamMemberOrderField": {
        "NAME": ("The subordinate's name.", "Nama"),
        "AVERAGE_PROGRESS": ("Mean progress over the SKP's indicators.", "Rata-rata capaian"),
        "INDICATORS_BEHIND": ("Indicators trailing the pace.", "Indikator tertinggal"),
        "PENDING_VERIFICATIONS": ("Activities awaiting verification.", "Menunggu verifikasi"),
        "LAST_ACTIVITY_DATE": ("Latest logged work day.", "Aktivitas terakhir"),
    },
    "OrderDirection": {
        "ASC": ("Ascending: A to Z, oldest first.", "Naik (A-Z, terlama dulu)"),
        "DESC": ("Descending: Z to A, newest first.", "Turun (Z-A, terbaru dulu)"),
    },
    "ActivityStatus": {
        "SUBMITTED": ("Logged, waiting for the supervisor's verification.", "Menunggu verifikasi"),
        "VERIFIED": ("Verified by the supervisor; counts towards realisation.", "Terverifikasi"),
        "REJECTED": ("Rejected by the supervisor (with a note).", "Ditolak"),
        "WITHDRAWN": ("Withdrawn by the employee before verification.", "Ditarik"),
    },
    "AlertAction": {
        "ACKNOWLEDGE": ("The supervisor saw the alert and will follow up.", "Tindak lanjuti"),
        "CREATE_COACHING": ("Start a coaching assignment for the employee.", "Buat pendampingan"),
        "RECOMMEND_TRAINING": ("Recommend a training course.", "Rekomendasikan pelatihan"),
        "DISMISS": ("Close the alert without action (with a reason).", "Abaikan"),
    },
    "AlertStatus": {
        "OPEN": ("Raised, not handled yet.", "Terbuka"),
        "ACKNOWLEDGED": ("Acknowledged by the supervisor.", "Ditindaklanjuti"),
        "ACTED": ("Coaching or training was arranged.", "Ditangani"),
        "DISMISSED": ("Closed without action.", "Diabaikan"),
    },
    "Aspect": {
        "KUANTITAS": ("Quantity of output.", "Kuantitas"),
        "KUALITAS": ("Quality of output.", "Kualitas"),
        "WAKTU": ("Timeliness.", "Waktu"),
        "BIAYA": ("Cost.", "Biaya"),
    },
    "AssignmentOrigin": {
        "ASSIGNED": ("Assigned by a supervisor or admin.", "Ditugaskan"),
        "SELF_ENROLLED": ("The employee enrolled themself.", "Mendaftar sendiri"),
        "RECOMMENDATION": ("Accepted from a recommendation.", "Dari rekomendasi"),
    },
    "AssignmentStatus": {
        "ASSIGNED": ("Assigned, not enrolled yet.", "Ditugaskan"),
        "ENROLLED": ("Enrolled in the course.", "Terdaftar"),
        "COMPLETED": ("Completed; its JP count.", "Selesai"),
        "CANCELLED": ("Cancelled.", "Dibatalkan"),
    },
    "BerAkhlak": {
        "BERORIENTASI_PELAYANAN": ("Service-oriented.", "Berorientasi Pelayanan"),
        "AKUNTABEL": ("Accountable.", "Akuntabel"),
        "KOMPETEN": ("Competent.", "Kompeten"),
        "HARMONIS": ("Harmonious.", "Harmonis"),
        "LOYAL": ("Loyal.", "Loyal"),
        "ADAPTIF": ("Adaptive.", "Adaptif"),
        "KOLABORATIF": ("Collaborative.", "Kolaboratif"),
    },
    "CheckInStatus": {
        "CHECKED_IN": ("Checked in now.", "Hadir"),
        "ALREADY_CHECKED_IN": ("Was checked in before.", "Sudah tercatat hadir"),
        "NOT_INVITED": ("Not invited to the session (use late registration).", "Tidak diundang"),
        "UNKNOWN": ("No such employee.", "Tidak dikenal"),
    },
    "CoachingKind": {
        "COACHING": ("Coaching on the job.", "Coaching"),
        "MENTORING": ("Mentoring by a senior.", "Mentoring"),
        "KONSELING": ("Counselling.", "Konseling"),
    },
    "CoachingOrigin": {
        "MANUAL": ("Created by hand.", "Manual"),
        "EVALUATION": ("Follows a performance evaluation.", "Dari penilaian kinerja"),
        "MENTORING_ALERT": ("Follows a mentoring alert.", "Dari peringatan pendampingan"),
    },
    "CoachingStatus": {
        "PLANNED": ("Planned, not started.", "Direncanakan"),
        "ACTIVE": ("Under way.", "Berjalan"),
        "COMPLETED": ("Completed with an outcome.", "Selesai"),
        "CANCELLED": ("Cancelled.", "Dibatalkan"),
    },
    "CompetencyKind": {
        "TEKNIS": ("Technical competency.", "Teknis"),
        "MANAJERIAL": ("Managerial competency.", "Manajerial"),
        "SOSIAL_KULTURAL": ("Socio-cultural competency.", "Sosial kultural"),
    },
    "CourseForm": {
        "DIKLAT": ("Formal training (diklat).", "Diklat"),
        "BIMTEK": ("Technical guidance.", "Bimbingan teknis"),
        "KURSUS": ("Course.", "Kursus"),
        "WORKSHOP": ("Workshop.", "Lokakarya"),
        "SEMINAR": ("Seminar.", "Seminar"),
        "E_LEARNING": ("E-learning.", "E-learning"),
        "PELATIHAN_JARAK_JAUH": ("Distance training.", "Pelatihan jarak jauh"),
        "COACHING": ("Coaching.", "Coaching"),
        "MENTORING": ("Mentoring.", "Mentoring"),
        "MAGANG": ("Internship.", "Magang"),
        "DETASERING": ("Secondment.", "Detasering"),
        "BENCHMARKING": ("Benchmarking visit.", "Benchmarking"),
        "BELAJAR_MANDIRI": ("Self-study.", "Belajar mandiri"),
        "KOMUNITAS_BELAJAR": ("Learning community.", "Komunitas belajar"),
    },
    "CourseMode": {
        "KLASIKAL": ("Classroom development.", "Klasikal"),
        "NONKLASIKAL": ("Non-classroom development.", "Nonklasikal"),
    },
    "CourseStatus": {
        "DRAFT": ("Being prepared; admins only.", "Draf"),
        "PUBLISHED": ("Open in the catalogue.", "Terbit"),
        "CLOSED": ("No more enrolments.", "Ditutup"),
        "ARCHIVED": ("Hidden from the catalogue.", "Diarsipkan"),
    },
    "DocumentKind": {
        "SKP": ("The SKP with its Lampiran (RHK, indicators, perilaku).", "Dokumen SKP"),
        "EVALUATION": ("The Dokumen Evaluasi Kinerja of a period.", "Dokumen Evaluasi Kinerja"),
    },
    "EmployeeKind": {
        "PNS": ("Civil servant.", "PNS"),
        "PPPK": ("Government employee on contract.", "PPPK"),
    },
    "EvaluationStatus": {
        "DRAFT": ("The rater is still working on it.", "Draf"),
        "FINAL": ("Finalised.", "Final"),
    },
    "ExportFormat": {
        "CSV": ("Comma-separated values (UTF-8).", "CSV"),
        "XLSX": ("An Excel workbook.", "Excel (XLSX)"),
    },
    "ExportKind": {
        "INCENTIVES": ("The incentive lines of an OPD for a period.", "Insentif kinerja"),
        "ADOPTION_FUNNEL": ("The adoption funnel per OPD and week.", "Corong adopsi"),
    },
    "NotificationCategory": {
        "MENTORING": ("Mentoring alerts and their follow-up.", "Peringatan mentoring"),
        "VERIFICATION": ("Activities logged, verified or rejected.", "Verifikasi aktivitas"),
        "FEEDBACK": ("Feedback threads and performance dialogues.", "Umpan balik"),
        "TRAINING": ("Training, coaching and sessions.", "Pelatihan dan pendampingan"),
        "PERFORMANCE": ("SKP, evaluations and objections.", "SKP dan penilaian"),
        "OTHER": ("Everything else (e.g. acting appointments, moves).", "Lainnya"),
    },
    "Gender": {
        "LAKI_LAKI": ("Male.", "Laki-laki"),
        "PEREMPUAN": ("Female.", "Perempuan"),
    },
    "GroupBy": {
        "OPD": ("One row per OPD.", "Per OPD"),
        "UNIT": ("One row per unit.", "Per unit kerja"),
        "CITY": ("One row for the whole city.", "Seluruh kota"),
    },
    "JabatanKind": {
        "JPT_UTAMA": ("Senior executive, highest level.", "JPT Utama"),
        "JPT_MADYA": ("Senior executive, middle level.", "JPT Madya"),
        "JPT_PRATAMA": ("Senior executive, first level (head of an OPD).", "JPT Pratama"),
        "ADMINISTRATOR": ("Administrator (head of a division).", "Administrator"),
        "PENGAWAS": ("Supervisor (head of a section).", "Pengawas"),
        "PELAKSANA": ("Executor (staff).", "Pelaksana"),
        "FUNGSIONAL_AHLI_UTAMA": ("Functional, expert, principal level.", "Fungsional Ahli Utama"),
        "FUNGSIONAL_AHLI_MADYA": ("Functional, expert, middle level.", "Fungsional Ahli Madya"),
        "FUNGSIONAL_AHLI_MUDA": ("Functional, expert, junior level.", "Fungsional Ahli Muda"),
        "FUNGSIONAL_AHLI_PERTAMA": ("Functional, expert, first level.", "Fungsional Ahli Pertama"),
        "FUNGSIONAL_PENYELIA": ("Functional, skilled, supervising level.", "Fungsional Penyelia"),
        "FUNGSIONAL_MAHIR": ("Functional, skilled, proficient level.", "Fungsional Mahir"),
        "FUNGSIONAL_TERAMPIL": ("Functional, skilled level.", "Fungsional Terampil"),
        "FUNGSIONAL_PEMULA": ("Functional, beginner level.", "Fungsional Pemula"),
    },
    "ObjectionDecision": {
        "UPHOLD": ("Keep the evaluation's predikat.", "Tetapkan predikat"),
        "CHANGE": ("Change the ratings, and so the predikat.", "Ubah predikat"),
    },
    "ObjectionStatus": {
        "SUBMITTED": ("Filed, waiting for the decision.", "Menunggu keputusan"),
        "UPHELD": ("Decided: the predikat stays.", "Predikat tetap"),
        "CHANGED": ("Decided: the predikat was changed.", "Predikat diubah"),
    },
    "OrgPredikat": {
        "ISTIMEWA": ("Outstanding organisation.", "Istimewa"),
        "BAIK": ("Good organisation.", "Baik"),
        "BUTUH_PERBAIKAN": ("Needs improvement.", "Butuh perbaikan"),
        "KURANG": ("Poor.", "Kurang"),
        "SANGAT_KURANG": ("Very poor.", "Sangat kurang"),
    },
    "PeriodKind": {
        "ANNUAL": ("The year an SKP is planned for.", "Tahunan"),
        "QUARTERLY": ("A quarter: an evaluation period.", "Triwulanan"),
        "MONTHLY": ("A month: an evaluation period.", "Bulanan"),
    },
    "PeriodStatus": {
        "OPEN": ("Planning and logging are open.", "Terbuka"),
        "EVALUATION": ("Being evaluated.", "Penilaian"),
        "CLOSED": ("Closed.", "Ditutup"),
    },
    "Perspective": {
        "PENERIMA_LAYANAN": ("Service recipients.", "Penerima layanan"),
        "PROSES_BISNIS": ("Business processes.", "Proses bisnis"),
        "PENGUATAN_INTERNAL": ("Internal strengthening.", "Penguatan internal"),
        "ANGGARAN": ("Budget.", "Anggaran"),
    },
    "Predikat": {
        "SANGAT_BAIK": ("Very good.", "Sangat baik"),
        "BAIK": ("Good.", "Baik"),
        "BUTUH_PERBAIKAN": ("Needs improvement.", "Butuh perbaikan"),
        "KURANG_MISCONDUCT": ("Poor, or misconduct.", "Kurang/misconduct"),
        "SANGAT_KURANG": ("Very poor.", "Sangat kurang"),
    },
    "Rating": {
        "DI_ATAS_EKSPEKTASI": ("Above expectations.", "Di atas ekspektasi"),
        "SESUAI_EKSPEKTASI": ("As expected.", "Sesuai ekspektasi"),
        "DI_BAWAH_EKSPEKTASI": ("Below expectations.", "Di bawah ekspektasi"),
    },
    "ReasonCode": {
        "BEHAVIOUR_GAP": ("A BerAKHLAK behaviour rated below expectations.", "Kesenjangan perilaku"),  # noqa: E501
        "INDICATOR_GAP": ("An indicator behind its expected pace.", "Kesenjangan indikator"),
        "JP_SHORTFALL": ("Fewer JP hours than the yearly minimum.", "Kekurangan JP"),
        "MENTORING_ALERT": ("An open mentoring alert.", "Peringatan pendampingan"),
        "PEER_POPULAR": ("Popular among peers in similar positions.", "Populer di antara rekan"),
    },
    "RhkKind": {
        "UTAMA": ("Main planned result.", "Utama"),
        "TAMBAHAN": ("Additional planned result.", "Tambahan"),
    },
    "Role": {
        "PEGAWAI": ("Every employee.", "Pegawai"),
        "ATASAN": ("Has subordinates.", "Atasan"),
        "ADMIN_OPD": ("Administers one OPD.", "Admin OPD"),
        "ADMIN_BKPSDM": ("Administers the whole city (BKPSDM).", "Admin BKPSDM"),
        "PENGELOLA_SOSIALISASI": ("Runs the adoption programme.", "Pengelola sosialisasi"),
    },
    "ScheduleKind": {
        "SESSIONS": ("Held on scheduled dates.", "Terjadwal"),
        "SELF_PACED": ("At the learner's own pace.", "Mandiri"),
    },
    "SkpStatus": {
        "DRAFT": ("Being written by the employee.", "Draf"),
        "SUBMITTED": ("Submitted to the supervisor.", "Diajukan"),
        "APPROVED": ("Approved by the supervisor.", "Disetujui"),
        "RETURNED": ("Returned to the employee for changes.", "Dikembalikan"),
    },
    "SurveyQuestion": {
        "COMFORT": ("How comfortable the employee is with the portal.", "Kenyamanan"),
        "STRESS": ("How stressful using the portal is.", "Tekanan"),
        "UNDERSTANDING": ("How well the employee understands SKP and evaluation.", "Pemahaman"),
    },
    "ThreadKind": {
        "APPRECIATION": ("Appreciation.", "Apresiasi"),
        "IMPROVEMENT": ("Something to improve.", "Perbaikan"),
        "QUESTION": ("A question.", "Pertanyaan"),
        "DIALOG_KINERJA": ("A performance dialogue.", "Dialog kinerja"),
    },
    "ThreadStatus": {
        "OPEN": ("Open.", "Terbuka"),
        "RESOLVED": ("Resolved; can be reopened.", "Selesai"),
    },
}

# argument name -> description, for arguments every field uses in the same sense
ARGUMENTS: dict[str, str] = {
    "input": "The operation's input (fields described on its input type).",
    "first": "Page size: how many edges to return (1-100).",
    "after": "Cursor: return the edges after this one (`pageInfo.endCursor` of the last page).",
    "last": "Page size going backward: how many edges before `before` (or at the end) (1-100); "
    "not together with `first`/`after`.",
    "before": "Cursor: return the edges before this one (`pageInfo.startCursor` of the page "
    "after).",
    "orderBy": "Ordering of the list (default: the order its description gives); cursors "
    "belong to one ordering.",
    "periodId": "The period (default: the current one).",
    "filter": "Narrows the list; every field given must match.",
    "employeeId": "The employee (default: the viewer).",
    "directOnly": "Only direct subordinates (false: the whole supervisor subtree).",
    "status": "Only items in this status.",
    "id": "Global ID of the object.",
    "ids": "Global IDs of the objects.",
    "year": "The calendar year.",
    "asCoach": "True: assignments where the viewer is the coach; false: where they are coached.",
    "unreadOnly": "Only unread notifications.",
    "threadId": "Global ID of the feedback thread.",
    "enum": "Name of an enum of the schema (e.g. SkpStatus); null for every enum.",
    "evaluationId": "Global ID of the evaluation.",
    "toDecide": "True: only the objections the viewer is to decide.",
    "opdId": "Global ID of the OPD (default: every OPD the viewer may see).",
    "activeOn": "Only appointments in force on this date (city time).",
    "endpoint": "The Web Push endpoint URL of the browser's subscription.",
    "driftedOnly": "Only scoring runs whose input drift passed the threshold.",
}
# fmt: on


@strawberry.type(description="The display label of one enum value.")
class EnumLabel:
    """One row of ``enumLabels``."""

    enum: str = strawberry.field(description="Name of the enum, e.g. SkpStatus.")
    value: str = strawberry.field(description="The enum value, e.g. APPROVED.")
    label: str = strawberry.field(description="Indonesian display label, e.g. Disetujui.")
    description: str = strawberry.field(description="What the value means (English).")


@strawberry.type
class EnumLabelsQuery:
    """``enumLabels``."""

    @strawberry.field(
        description="Indonesian display labels of enum values, so apps keep no label tables: "
        "one enum by name, or every enum. Public (no login needed), cacheable."
    )
    def enum_labels(
        self,
        enum: Annotated[str | None, strawberry.argument(description=ARGUMENTS["enum"])] = None,
    ) -> list[EnumLabel]:
        """Labels, in declaration order."""
        names = [enum] if enum is not None else sorted(ENUM_VALUES)
        return [
            EnumLabel(enum=name, value=value, label=label, description=description)
            for name in names
            for value, (description, label) in ENUM_VALUES.get(name, {}).items()
        ]


def document(schema: GraphQLSchema) -> None:
    """Fill the descriptions of enum values and common arguments the domains left empty."""
    for name, gql_type in schema.type_map.items():
        if isinstance(gql_type, GraphQLEnumType):
            for value_name, value in gql_type.values.items():
                entry = ENUM_VALUES.get(name, {}).get(value_name)
                if not value.description and entry:
                    value.description = entry[0]
        fields = getattr(gql_type, "fields", None)
        if name.startswith("__") or not isinstance(fields, dict):
            continue
        for field in fields.values():
            for arg_name, arg in getattr(field, "args", {}).items():
                if not arg.description and arg_name in ARGUMENTS:
                    arg.description = ARGUMENTS[arg_name]
