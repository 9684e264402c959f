"""Demo data of the training module: a realistic catalogue and a year of development.

About forty courses from BPSDM Provinsi Banten, BKPSDM Kota Tangerang Selatan, LAN, ministries'
learning platforms and e-learning ASN, linked to competencies whose indicator themes match the
demo SKPs (vaccines, permits, population documents, patrols, taxes, administration). Scheduled
courses that ended before ``today`` are CLOSED with completions and ratings; later ones are
PUBLISHED with an enrolment window; e-learning is self-paced. Employees get 0 to 4 courses each,
often in their OPD's technical field: some reach 20 JP, some are on their way, about one in six
has nothing yet (the at-risk list).

Rows are written in bulk; seats never exceed a course's capacity.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from portal.core import clock
from portal.core.db import id_in
from portal.people.tables import Employee
from portal.performance.enums import BerAkhlak
from training.enums import (
    AssignmentOrigin,
    AssignmentStatus,
    CompetencyKind,
    CourseForm,
    CourseMode,
    CourseStatus,
    ScheduleKind,
)
from training.services import catalogue
from training.services.catalogue import CourseData, SessionData
from training.tables import Course, CourseRating, TrainingAssignment

BATCH = 1000
NOTHING_SHARE = 0.16
B = BerAkhlak
T, M, S = CompetencyKind.TEKNIS, CompetencyKind.MANAJERIAL, CompetencyKind.SOSIAL_KULTURAL
K, N = CourseMode.KLASIKAL, CourseMode.NONKLASIKAL
F = CourseForm

# code, kind, name, BerAKHLAK values, indicator themes
CompetencySpec = tuple[str, CompetencyKind, str, tuple[BerAkhlak, ...], tuple[str, ...]]
COMPETENCIES: tuple[CompetencySpec, ...] = (
    ("TEK-IMUN", T, "Pengelolaan Imunisasi", (B.KOMPETEN,), ("imunisasi", "vaksin")),
    ("TEK-PASIEN", T, "Keselamatan Pasien", (B.AKUNTABEL,), ("pasien", "puskesmas")),
    ("TEK-IZIN", T, "Perizinan Berusaha Berbasis Risiko", (B.BERORIENTASI_PELAYANAN,),
     ("perizinan", "izin", "berkas")),
    ("TEK-ADMINDUK", T, "Administrasi Kependudukan", (B.BERORIENTASI_PELAYANAN,),
     ("kependudukan", "ktp")),
    ("TEK-TRANTIB", T, "Ketenteraman dan Ketertiban Umum", (B.LOYAL,),
     ("ketertiban", "patroli", "perda")),
    ("TEK-PAJAK", T, "Pengelolaan Pajak Daerah", (B.AKUNTABEL,), ("pajak", "pendapatan")),
    ("TEK-KEUDA", T, "Pengelolaan Keuangan Daerah", (B.AKUNTABEL,), ("keuangan", "anggaran")),
    ("TEK-ARSIP", T, "Kearsipan dan Tata Naskah Dinas", (B.AKUNTABEL,),
     ("dokumen", "administrasi", "arsip")),
    ("TEK-DATA", T, "Pengolahan Data dan Pelaporan", (B.KOMPETEN,), ("laporan", "data")),
    ("TEK-KEBIJAKAN", T, "Analisis Kebijakan", (B.KOMPETEN,), ("kebijakan", "tata kelola")),
    ("TEK-DIDIK", T, "Pembelajaran dan Asesmen", (B.KOMPETEN, B.BERORIENTASI_PELAYANAN),
     ("pembelajaran", "siswa", "peserta didik", "rapor")),
    ("MAN-KINERJA", M, "Manajemen Kinerja", (B.AKUNTABEL, B.KOMPETEN), ("kinerja", "sakip")),
    ("MAN-PIMPIN", M, "Kepemimpinan", (B.LOYAL, B.KOLABORATIF), ("tata kelola",)),
    ("MAN-KEMBANG", M, "Pengembangan Diri dan Orang Lain", (B.KOMPETEN,), ()),
    ("MAN-KOMUNIKASI", M, "Komunikasi", (B.HARMONIS, B.KOLABORATIF), ()),
    ("MAN-LAYANAN", M, "Orientasi pada Pelayanan", (B.BERORIENTASI_PELAYANAN,),
     ("pelayanan", "layanan", "kepuasan")),
    ("MAN-UBAH", M, "Mengelola Perubahan", (B.ADAPTIF,), ("inovasi",)),
    ("MAN-PUTUSAN", M, "Pengambilan Keputusan", (B.AKUNTABEL,), ()),
    ("SK-PEREKAT", S, "Perekat Bangsa", (B.HARMONIS, B.LOYAL), ()),
    ("SK-INTEGRITAS", S, "Integritas", (B.AKUNTABEL, B.LOYAL), ()),
    ("SK-KERJASAMA", S, "Kerja Sama", (B.KOLABORATIF, B.HARMONIS), ()),
    ("SK-DIGITAL", S, "Literasi Digital", (B.ADAPTIF, B.KOMPETEN), ("aplikasi", "digital")),
    ("SK-BAHASA", T, "Bahasa Inggris", (B.KOMPETEN,), ()),  # teknis: for posts that need it
)  # fmt: skip

# Technical competencies an OPD's people most often train in (the rest pick from everything).
OPD_FOCUS: dict[str, tuple[str, ...]] = {
    "DINKES": ("TEK-IMUN", "TEK-PASIEN"),
    "DPMPTSP": ("TEK-IZIN",),
    "DISDUKCAPIL": ("TEK-ADMINDUK",),
    "SATPOLPP": ("TEK-TRANTIB",),
    "BAPENDA": ("TEK-PAJAK",),
    "BPKAD": ("TEK-KEUDA",),
    "DINDIKBUD": ("TEK-DIDIK",),
    "KEC": ("MAN-LAYANAN", "TEK-ADMINDUK"),
}
FOCUS_SHARE = 0.45

BPSDM = "BPSDM Provinsi Banten"
BKPSDM = "BKPSDM Kota Tangerang Selatan"
LAN = "Lembaga Administrasi Negara (LAN RI)"
ELEARNING = "e-Learning ASN (ASN Unggul)"
KEMENKES = "Kementerian Kesehatan (Plataran Sehat)"
KEMENDAGRI = "BPSDM Kementerian Dalam Negeri"


@dataclass(frozen=True, slots=True)
class DemoCourse:
    """One course of the demo catalogue; ``start`` is (month, day) or None for self-paced."""

    title: str
    provider: str
    mode: CourseMode
    form: CourseForm
    jp: int
    capacity: int | None
    competencies: tuple[str, ...]
    start: tuple[int, int] | None = None
    days: int = 1
    location: str = ""
    draft: bool = False


C = DemoCourse
COURSES: tuple[DemoCourse, ...] = (
    C("Pelatihan Dasar CPNS: Sikap Perilaku Bela Negara", BPSDM, K, F.DIKLAT, 40, 60,
      ("SK-PEREKAT", "SK-INTEGRITAS"), (3, 2), 5, "Kampus BPSDM Provinsi Banten, Serang"),
    C("Pelatihan Dasar CPNS: Nilai-Nilai Dasar PNS (BerAKHLAK)", BPSDM, N,
      F.PELATIHAN_JARAK_JAUH, 40, 60, ("SK-INTEGRITAS", "MAN-LAYANAN"), (9, 7), 10, "Daring"),
    C("Pelayanan Prima", BKPSDM, K, F.DIKLAT, 24, 40, ("MAN-LAYANAN",), (2, 16), 3,
      "Gedung Pusat Pemerintahan Kota Tangerang Selatan"),
    C("Pelayanan Prima Angkatan II", BKPSDM, K, F.DIKLAT, 24, 40, ("MAN-LAYANAN",), (10, 12), 3,
      "Gedung Pusat Pemerintahan Kota Tangerang Selatan"),
    C("Pelayanan Publik Berbasis Digital", ELEARNING, N, F.E_LEARNING, 12, None,
      ("MAN-LAYANAN", "SK-DIGITAL")),
    C("Manajemen Kinerja ASN (PermenPANRB 6/2022)", BKPSDM, K, F.BIMTEK, 16, 50,
      ("MAN-KINERJA",), (1, 20), 2, "Aula BKPSDM Kota Tangerang Selatan"),
    C("Penyusunan SKP dan Dialog Kinerja", ELEARNING, N, F.E_LEARNING, 8, None, ("MAN-KINERJA",)),
    C("Coaching for Performance", BKPSDM, N, F.COACHING, 12, 20,
      ("MAN-KEMBANG", "MAN-KOMUNIKASI"), (5, 5), 4, "Ruang Coaching BKPSDM"),
    C("Coaching for Performance Angkatan II", BKPSDM, N, F.COACHING, 12, 20,
      ("MAN-KEMBANG", "MAN-KOMUNIKASI"), (11, 3), 4, "Ruang Coaching BKPSDM"),
    C("Mentoring Pegawai Baru", BKPSDM, N, F.MENTORING, 10, 30, ("MAN-KEMBANG",), (4, 6), 5,
      "Unit kerja masing-masing"),
    C("Penulisan Laporan dan Naskah Dinas", BPSDM, K, F.BIMTEK, 16, 35,
      ("TEK-ARSIP", "TEK-DATA"), (6, 9), 2, "Kampus BPSDM Provinsi Banten, Serang"),
    C("Tata Naskah Dinas Elektronik (SRIKANDI)", "Arsip Nasional Republik Indonesia", N,
      F.E_LEARNING, 8, None, ("TEK-ARSIP", "SK-DIGITAL")),
    C("Pengelolaan Keuangan Daerah", KEMENDAGRI, K, F.DIKLAT, 32, 30, ("TEK-KEUDA",), (7, 14), 4,
      "Kampus BPSDM Kemendagri Regional Bukittinggi"),
    C("Penatausahaan Keuangan melalui SIPD", KEMENDAGRI, N, F.PELATIHAN_JARAK_JAUH, 20, 40,
      ("TEK-KEUDA", "SK-DIGITAL"), (8, 4), 5, "Daring"),
    C("Teknis Imunisasi dan Rantai Dingin Vaksin", KEMENKES, N, F.E_LEARNING, 20, None,
      ("TEK-IMUN",)),
    C("Manajemen Program Imunisasi di Puskesmas", KEMENKES, K, F.BIMTEK, 24, 30,
      ("TEK-IMUN", "MAN-KINERJA"), (3, 16), 3, "Bapelkes Provinsi Banten"),
    C("Keselamatan Pasien dan Pencegahan Infeksi", KEMENKES, N, F.E_LEARNING, 16, None,
      ("TEK-PASIEN",)),
    C("Perizinan Berusaha Berbasis Risiko (OSS-RBA)", "Kementerian Investasi/BKPM", K, F.BIMTEK,
      24, 30, ("TEK-IZIN",), (5, 19), 3, "Jakarta"),
    C("Verifikasi Berkas Perizinan dan PBG", BKPSDM, N, F.WORKSHOP, 12, 25,
      ("TEK-IZIN", "TEK-ARSIP"), (9, 22), 2, "Daring"),
    C("Magang Pelayanan Perizinan di Mal Pelayanan Publik", "DPMPTSP Kota Tangerang Selatan", N,
      F.MAGANG, 32, 10, ("TEK-IZIN", "MAN-LAYANAN"), (8, 18), 10, "MPP Kota Tangerang Selatan"),
    C("Pelayanan Administrasi Kependudukan", "Ditjen Dukcapil Kemendagri", K, F.BIMTEK, 20, 30,
      ("TEK-ADMINDUK", "MAN-LAYANAN"), (4, 21), 3, "Jakarta"),
    C("Penegakan Perda dan Ketertiban Umum", KEMENDAGRI, K, F.DIKLAT, 24, 40,
      ("TEK-TRANTIB",), (6, 23), 3, "Kampus BPSDM Kemendagri, Jakarta"),
    C("Pengelolaan Pajak Daerah dan Retribusi", KEMENDAGRI, K, F.DIKLAT, 24, 30,
      ("TEK-PAJAK", "TEK-KEUDA"), (2, 23), 3, "Kampus BPSDM Kemendagri, Jakarta"),
    C("Pelayanan Wajib Pajak Berbasis Elektronik", ELEARNING, N, F.E_LEARNING, 8, None,
      ("TEK-PAJAK", "MAN-LAYANAN")),
    C("Analisis Kebijakan Publik", LAN, K, F.DIKLAT, 40, 30,
      ("TEK-KEBIJAKAN", "MAN-PUTUSAN"), (7, 28), 5, "Kampus LAN, Jakarta"),
    C("Pelatihan Kepemimpinan Pengawas (PKP)", BPSDM, K, F.DIKLAT, 40, 40,
      ("MAN-PIMPIN", "MAN-KINERJA"), (4, 13), 5, "Kampus BPSDM Provinsi Banten, Serang"),
    C("Pelatihan Kepemimpinan Administrator (PKA)", LAN, K, F.DIKLAT, 40, 30,
      ("MAN-PIMPIN", "MAN-PUTUSAN"), (10, 5), 5, "Kampus LAN, Jakarta"),
    C("Pelatihan Kepemimpinan Nasional Tingkat II", LAN, K, F.DIKLAT, 40, 30,
      ("MAN-PIMPIN", "TEK-KEBIJAKAN"), (12, 1), 5, "Kampus LAN, Jakarta", draft=True),
    C("Pembelajaran Berdiferensiasi dan Asesmen Kurikulum Merdeka",
      "Kemendikdasmen (Platform Merdeka Mengajar)", N, F.E_LEARNING, 32, None, ("TEK-DIDIK",)),
    C("Penguatan Kepala Sekolah: Supervisi Akademik", BPSDM, K, F.BIMTEK, 24, 40,
      ("TEK-DIDIK", "MAN-PIMPIN"), (7, 7), 3, "LPMP Provinsi Banten"),
    C("Literasi Digital ASN", ELEARNING, N, F.E_LEARNING, 8, None, ("SK-DIGITAL",)),
    C("Microsoft Excel untuk ASN", BKPSDM, K, F.KURSUS, 12, 25, ("TEK-DATA", "SK-DIGITAL"),
      (3, 9), 2, "Lab Komputer Diskominfo Tangsel"),
    C("Excel Lanjutan: Dasbor Kinerja Unit", ELEARNING, N, F.E_LEARNING, 6, None,
      ("TEK-DATA", "MAN-KINERJA")),
    C("Bahasa Inggris untuk ASN: Basic Communication", BKPSDM, K, F.KURSUS, 24, 20,
      ("SK-BAHASA",), (5, 26), 6, "Aula BKPSDM Kota Tangerang Selatan"),
    C("English for Public Service", ELEARNING, N, F.E_LEARNING, 16, None,
      ("SK-BAHASA", "MAN-LAYANAN")),
    C("BerAKHLAK: Berorientasi Pelayanan", ELEARNING, N, F.E_LEARNING, 4, None, ("MAN-LAYANAN",)),
    C("BerAKHLAK: Akuntabel", ELEARNING, N, F.E_LEARNING, 4, None, ("SK-INTEGRITAS",)),
    C("BerAKHLAK: Kompeten", ELEARNING, N, F.E_LEARNING, 4, None, ("MAN-KEMBANG",)),
    C("BerAKHLAK: Harmonis", ELEARNING, N, F.E_LEARNING, 4, None, ("SK-PEREKAT",)),
    C("BerAKHLAK: Loyal", ELEARNING, N, F.E_LEARNING, 4, None, ("SK-PEREKAT",)),
    C("BerAKHLAK: Adaptif", ELEARNING, N, F.E_LEARNING, 4, None, ("MAN-UBAH",)),
    C("BerAKHLAK: Kolaboratif", ELEARNING, N, F.E_LEARNING, 4, None, ("SK-KERJASAMA",)),
    C("Kolaborasi Lintas Perangkat Daerah", BKPSDM, K, F.WORKSHOP, 8, 40,
      ("SK-KERJASAMA", "MAN-KOMUNIKASI"), (8, 27), 1, "Gedung Pusat Pemerintahan"),
    C("Manajemen Perubahan dan Inovasi Pelayanan", LAN, K, F.WORKSHOP, 16, 30,
      ("MAN-UBAH", "MAN-LAYANAN"), (9, 14), 2, "Kampus LAN, Jakarta"),
    C("Integritas dan Pencegahan Korupsi (ACLC)", "Komisi Pemberantasan Korupsi", N, F.E_LEARNING,
      10, None, ("SK-INTEGRITAS",)),
    C("Seminar Inovasi Pelayanan Publik Tangsel", BKPSDM, K, F.SEMINAR, 4, 200,
      ("MAN-LAYANAN", "MAN-UBAH"), (11, 18), 1, "Teater Terbuka Tangsel"),
    C("Benchmarking Mal Pelayanan Publik Kota Surabaya", BKPSDM, N, F.BENCHMARKING, 16, 15,
      ("MAN-LAYANAN", "MAN-UBAH"), (10, 20), 2, "Surabaya"),
    C("Komunitas Belajar Arsiparis Tangsel", BKPSDM, N, F.KOMUNITAS_BELAJAR, 6, None,
      ("TEK-ARSIP",)),
)  # fmt: skip


@dataclass(slots=True)
class _Seeded:
    """A stored course with what the assignment generator needs."""

    id: int
    demo: DemoCourse
    starts_on: date | None
    ends_on: date | None
    status: CourseStatus
    quality: float
    seats: int = 0

    @property
    def full(self) -> bool:
        return self.demo.capacity is not None and self.seats >= self.demo.capacity


CALENDAR_AHEAD = timedelta(days=95)
"""How far ahead the demo's course calendar reaches: its other nine months are the past."""


def _dates(course: DemoCourse, today: date) -> tuple[date | None, date | None]:
    """The course's dates in the twelve months around ``today`` (about three still ahead).

    Each course keeps its day of the year; the year is the one that puts it in
    (``today`` + ``CALENDAR_AHEAD`` - 1 year, ``today`` + ``CALENDAR_AHEAD``], so any day of
    the year has a past to report on and courses open for enrolment (in December the next
    January's, on 1 January last year's).
    """
    if course.start is None:
        return None, None
    horizon = today + CALENDAR_AHEAD
    start = date(horizon.year, *course.start)
    if start > horizon:
        start = date(horizon.year - 1, *course.start)
    return start, start + timedelta(days=course.days - 1)


SELF_PACED_DAYS = 300
"""Self-paced courses were finished within this many days before today."""


def _sessions(start: date | None, end: date | None) -> tuple[SessionData, ...]:
    if start is None or end is None:
        return ()
    days = [start + timedelta(days=i) for i in range(min(5, (end - start).days + 1))]
    return tuple(
        SessionData(
            starts_at=clock.at_local(d, 8),
            ends_at=clock.at_local(d, 16),
            topic=f"Hari {n + 1}",
        )
        for n, d in enumerate(days)
    )


def _status(course: DemoCourse, start: date | None, today: date) -> CourseStatus:
    if course.draft:
        return CourseStatus.DRAFT
    if start is not None and start <= today:
        return CourseStatus.CLOSED
    return CourseStatus.PUBLISHED


async def _catalogue(rng: random.Random, today: date) -> list[_Seeded]:
    codes = {}
    for code, kind, name, values, themes in COMPETENCIES:
        competency = await catalogue.create_competency(
            None, code=code, kind=kind, name=name, berakhlak=values, themes=themes
        )
        codes[code] = competency.id
    seeded = []
    for course in COURSES:
        start, end = _dates(course, today)
        row = await catalogue.create_course(
            None,
            CourseData(
                title=course.title,
                provider=course.provider,
                mode=course.mode,
                form=course.form,
                jp_hours=course.jp,
                schedule_kind=ScheduleKind.SESSIONS if start else ScheduleKind.SELF_PACED,
                description=f"{course.title} oleh {course.provider}.",
                location=course.location or ("Daring" if course.mode is N else ""),
                starts_on=start,
                ends_on=end,
                enrolment_opens=start - timedelta(days=45) if start else None,
                enrolment_closes=start - timedelta(days=3) if start else None,
                capacity=course.capacity,
                competency_ids=tuple(codes[c] for c in course.competencies),
                sessions=_sessions(start, end),
            ),
        )
        status = _status(course, start, today)
        seeded.append(_Seeded(row.id, course, start, end, status, rng.uniform(3.4, 4.8)))
    for status in (CourseStatus.PUBLISHED, CourseStatus.CLOSED):
        ids = [s.id for s in seeded if s.status is status]
        if ids:
            await Course.update({Course.status: status.value}).where(id_in(Course.id, ids))
    return seeded


async def _insert(table: Any, rows: Sequence[Any]) -> list[dict[str, Any]]:  # noqa: ANN401
    out: list[dict[str, Any]] = []
    for start in range(0, len(rows), BATCH):
        out += await table.insert(*rows[start : start + BATCH])
    return out


def _focus(opd_code: str) -> frozenset[str]:
    return frozenset(OPD_FOCUS.get("KEC" if opd_code.startswith("KEC") else opd_code, ()))


def _pick(
    rng: random.Random, courses: list[_Seeded], taken: set[int], focus: frozenset[str]
) -> _Seeded | None:
    """A free course not taken yet; often one of the OPD's technical focus."""
    candidates = [c for c in courses if c.id not in taken and not c.full]
    focused = [c for c in candidates if focus & set(c.demo.competencies)]
    if focused and rng.random() < FOCUS_SHARE:
        return rng.choice(focused)
    return rng.choice(candidates) if candidates else None


def _assignment(
    rng: random.Random, employee_id: int, course: _Seeded, today: date
) -> TrainingAssignment:
    """One assignment whose state follows the course's dates (past: done; future: planned)."""
    self_paced = course.starts_on is None
    origin = rng.choice(
        (AssignmentOrigin.SELF_ENROLLED, AssignmentOrigin.RECOMMENDATION)
        if self_paced
        else (AssignmentOrigin.ASSIGNED, AssignmentOrigin.ASSIGNED, AssignmentOrigin.RECOMMENDATION)
    )
    if self_paced:
        done = rng.random() < 0.7  # noqa: PLR2004
        # within the last ten months: early in January most of it is last year's
        finished = today - timedelta(days=rng.randint(1, SELF_PACED_DAYS))
    else:
        assert course.ends_on is not None  # noqa: S101 - scheduled courses have dates
        done = course.ends_on < today
        finished = course.ends_on
    done = done and finished < today
    if done:
        status = AssignmentStatus.COMPLETED
    elif self_paced or origin is not AssignmentOrigin.ASSIGNED:
        status = AssignmentStatus.ENROLLED
    else:
        status = rng.choice((AssignmentStatus.ASSIGNED, AssignmentStatus.ENROLLED))
    reasons = {
        AssignmentOrigin.ASSIGNED: "Penugasan atasan untuk penguatan kompetensi jabatan",
        AssignmentOrigin.SELF_ENROLLED: "Pengembangan diri atas inisiatif pegawai",
        AssignmentOrigin.RECOMMENDATION: "Dipilih dari rekomendasi pelatihan portal",
    }
    return TrainingAssignment(
        employee=employee_id,
        course=course.id,
        origin=origin.value,
        reason=reasons[origin],
        status=status.value,
        completed_on=finished if done else None,
        score=round(rng.uniform(70, 98), 1) if done and not self_paced else None,
        certificate_url=(
            f"https://sertifikat.bkpsdm.tangerangselatankota.go.id/{course.id}-{employee_id}"
            if done
            else None
        ),
        year=finished.year if done else (course.ends_on or today).year,
    )


async def seed(
    *, today: date, seed: int = 7, spare: frozenset[int] = frozenset()
) -> dict[str, int]:
    """Seed the catalogue and the year's assignments and ratings; return counts.

    ``spare``: employees left without assignments here (the demo's pegawai login, whose
    story assigns one course from their recommendations and keeps JP open).
    """
    rng = random.Random(seed * 31 + 5)  # noqa: S311 - demo data, not cryptography
    courses = await _catalogue(rng, today)
    bookable = [c for c in courses if c.status is not CourseStatus.DRAFT]
    active = Employee.active == True  # noqa: E712 - a piccolo clause, not a truth test
    employees = await Employee.select(Employee.id, Employee.opd.code.as_alias("opd_code")).where(
        active
    )
    rows: list[TrainingAssignment] = []
    by_course = {c.id: c for c in courses}
    for r in sorted(employees, key=lambda r: r["id"]):
        if rng.random() < NOTHING_SHARE or r["id"] in spare:
            continue
        taken: set[int] = set()
        focus = _focus(r["opd_code"])
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            course = _pick(rng, bookable, taken, focus)
            if course is None:
                break
            taken.add(course.id)
            course.seats += 1
            rows.append(_assignment(rng, r["id"], course, today))
    inserted = await _insert(TrainingAssignment, rows)
    ratings = []
    for row, ids in zip(rows, inserted, strict=True):
        if row.status != AssignmentStatus.COMPLETED.value or rng.random() > 0.6:  # noqa: PLR2004
            continue
        quality = by_course[row.course].quality
        value = max(1, min(5, round(rng.gauss(quality, 0.7))))
        ratings.append(
            CourseRating(
                assignment=ids["id"],
                course=row.course,
                employee=row.employee,
                rating=value,
                comment=rng.choice(
                    (
                        "",
                        "Materi aplikatif dan langsung bisa dipakai di unit kerja.",
                        "Narasumber menguasai materi.",
                        "Waktu pelatihan terlalu padat.",
                        "Perlu lebih banyak studi kasus.",
                    )
                ),
            )
        )
    await _insert(CourseRating, ratings)
    return {"courses": len(courses), "assignments": len(rows), "ratings": len(ratings)}
