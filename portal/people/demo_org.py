"""Deterministic demo organisation of Kota Tangerang Selatan (DESIGN.md §3 and §8).

Builds a realistic city government in memory: the OPDs (regional agencies, including the
seven kecamatan), their unor trees (Sekretariat, Bidang, Seksi, UPTD Puskesmas, schools,
kelurahan) and the employees who fill them, from the Sekretaris Daerah down to nurses,
teachers and clerks, with valid PNS NIPs (built with :func:`portal.people.nip.make_nip`)
and random 18-digit NIs for PPPK staff. It also names one demo login per portal role.

Everything here is pure: no I/O, no database and no global random state. The same
arguments always give the same organisation, so seeds, tests and screenshots are stable.
"""

from __future__ import annotations

import functools
import random
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from pathlib import Path
from typing import Any, Final

from portal.people.enums import EmployeeKind, Gender, Golongan, JabatanKind
from portal.people.nip import make_nip

__all__ = [
    "DEFAULT_TODAY",
    "DEMO_PASSWORD",
    "DemoEmployee",
    "DemoLogin",
    "DemoOpd",
    "DemoOrg",
    "DemoUnor",
    "build_org",
    "demo_logins",
]

DEMO_PASSWORD: Final = "Tangsel#2026"  # noqa: S105 - documented demo credential
"""Password shared by every demo login (demo data only, never production)."""

DEFAULT_TODAY: Final = date(2026, 11, 27)
"""Reference date used when ``build_org`` is not given one, so output is stable."""

SETDA: Final = "SETDA"
"""OPD and root-unit code of the Sekretariat Daerah (home of the Sekretaris Daerah)."""

DINKES: Final = "DINKES"
"""OPD code of Dinas Kesehatan."""

BKPSDM: Final = "BKPSDM"
"""OPD code of the city's HR agency."""

PKM_PAMULANG: Final = "DINKES.PKM.PAMULANG"
"""Unit code of UPTD Puskesmas Pamulang, home of the ``pegawai`` demo login."""

BKPSDM_KINERJA: Final = "BKPSDM.PKAP"
"""Unit code of BKPSDM's performance-appraisal Bidang, home of the ``sosialisasi`` login."""

_HEAD_SHARE: Final = 0.12
"""Share of ``n_employees`` that may hold unit-head posts (OPD heads are always filled)."""

_DRAWN_AFTER_PERSONAS: Final = frozenset(
    {
        "DISPERKIMTAN", "DSDABMBK", "DISNAKER", "DP3AP2KB", "DISKOPUKM", "DISPORA", "DISPAR",
        "DPAD", "DKP3", "DISPERINDAG", "DAMKAR", "BRIDA",
    }
)  # fmt: skip
"""OPDs added after the demo personas were fixed: their heads are drawn after the personas'
people, so the demo logins keep their names (and the screenshots stay comparable)."""

_MIN_OPD_STAFF: Final = 3
"""Staff (besides the heads) every OPD has, when the city is large enough to spare them."""

_OWN_HEAD_PROFILES: Final = frozenset({"sekolah", "puskesmas"})
"""Units whose staff are rated by the unit's own head (Kepala Sekolah, Kepala Puskesmas)."""

_OWN_HEAD_MIN_STAFF: Final = 2
"""Staff a school or puskesmas must expect before its head is filled beyond the budget."""

_PPPK_SHARE: Final = 0.40
"""Target share of PPPK staff in the whole organisation."""

_MAX_PPPK_PROBABILITY: Final = 0.9
_MIN_AGE_AT_TMT: Final = 22
_MAX_AGE_AT_TMT: Final = 35
_MAX_NIP_SEQUENCE: Final = 999
_NI_LOW: Final = 10**17
_NI_HIGH: Final = 10**18 - 1
_PPPK_FIRST_HIRE: Final = date(2019, 1, 1)
_PPPK_LAST_HIRE: Final = date(2025, 12, 31)
_LAST_NAME_PROBABILITY: Final = 0.85
_MIDDLE_NAME_PROBABILITY: Final = 0.12
_YEARS_PER_GOLONGAN_STEP: Final = 4


# --- public data -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DemoOpd:
    """A regional agency (Organisasi Perangkat Daerah).

    Attributes:
        code: Stable short code, e.g. ``"DINKES"`` or ``"KEC_PAMULANG"``.
        name: Official name, e.g. ``"Dinas Kesehatan"``.
        short_name: Common abbreviation, e.g. ``"Dinkes"``.

    """

    code: str
    name: str
    short_name: str


@dataclass(frozen=True, slots=True)
class DemoUnor:
    """An organisational unit (unor) in an OPD's tree.

    Attributes:
        code: Stable code, unique in the city, e.g. ``"DINKES.SEKRET.UMPEG"``.
        name: Unit name, e.g. ``"Subbagian Umum dan Kepegawaian"``.
        opd_code: Code of the OPD the unit belongs to.
        parent_code: Code of the parent unit (same OPD); ``None`` for the OPD's root unit.

    """

    code: str
    name: str
    opd_code: str
    parent_code: str | None


@dataclass(frozen=True, slots=True)
class DemoEmployee:
    """An ASN (PNS or PPPK) in the demo organisation.

    Attributes:
        nip: PNS NIP (valid, from :func:`~portal.people.nip.make_nip`) or PPPK NI
            (18 random digits).
        name: Full name with academic titles, e.g. ``"dr. Dewi Lestari, M.Kes."``.
        kind: PNS or PPPK.
        gender: Gender; for a PNS it matches digit 15 of the NIP.
        golongan: Rank group for a PNS; ``None`` for PPPK.
        jabatan_kind: Position kind.
        jabatan_name: Position name, e.g. ``"Perawat Terampil"`` or ``"Camat Setu"``.
        unor_code: Code of the unit the employee works in.
        supervisor_nip: NIP of the direct supervisor (pejabat penilai); ``None`` only for
            the Sekretaris Daerah.
        hired_on: TMT CPNS for a PNS, start of the PPPK contract for PPPK.

    """

    nip: str
    name: str
    kind: EmployeeKind
    gender: Gender
    golongan: Golongan | None
    jabatan_kind: JabatanKind
    jabatan_name: str
    unor_code: str
    supervisor_nip: str | None
    hired_on: date


@dataclass(frozen=True, slots=True)
class DemoOrg:
    """A whole demo organisation.

    Attributes:
        opds: The OPDs, Sekretariat Daerah first.
        unors: All units, every parent before its children.
        employees: All employees, every supervisor before their subordinates (the
            Sekretaris Daerah first).

    """

    opds: tuple[DemoOpd, ...]
    unors: tuple[DemoUnor, ...]
    employees: tuple[DemoEmployee, ...]


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """A documented demo account for one portal role.

    Attributes:
        role: Portal role, e.g. ``"PEGAWAI"`` or ``"ADMIN_OPD"``.
        username: Login name, e.g. ``"atasan"``; the password is :data:`DEMO_PASSWORD`.
        employee_nip: NIP of the employee the account belongs to, if any.
        opd_code: OPD the account administers (``ADMIN_OPD`` only).
        description: Who the account is, in English.

    """

    role: str
    username: str
    employee_nip: str | None
    opd_code: str | None
    description: str


# --- vocabularies ------------------------------------------------------------------------

_MALE_FIRST: Final = (
    "Ahmad", "Agus", "Rudi", "Budi", "Dedi", "Eko", "Hendra", "Irfan", "Joko", "Muhammad",
    "Rizky", "Andi", "Bambang", "Dimas", "Fajar", "Hadi", "Iwan", "Yusuf", "Arief", "Teguh",
    "Wahyu", "Bayu", "Rahmat", "Slamet", "Taufik", "Zainal", "Fikri", "Ilham", "Asep", "Dadang",
    "Heri", "Doni", "Yudi", "Aditya", "Galih", "Gilang", "Reza", "Fahmi", "Syaiful", "Hasan",
)  # fmt: skip
_MALE_LAST: Final = (
    "Fauzi", "Hartono", "Setiawan", "Santoso", "Nugroho", "Saputra", "Hidayat", "Kurniawan",
    "Pratama", "Wibowo", "Gunawan", "Firmansyah", "Ramadhan", "Hakim", "Susanto", "Prasetyo",
    "Syahputra", "Maulana", "Hermawan", "Suryadi", "Permana", "Sudrajat", "Anwar", "Rahman",
    "Siregar", "Nasution", "Lubis", "Simanjuntak", "Purnomo", "Iskandar",
)  # fmt: skip
_FEMALE_FIRST: Final = (
    "Siti", "Dewi", "Nurul", "Sri", "Rina", "Ratna", "Fitri", "Indah", "Ayu", "Wulan",
    "Rahma", "Putri", "Anisa", "Intan", "Maya", "Yuni", "Novi", "Endang", "Ida", "Lina",
    "Mega", "Nia", "Ratih", "Rini", "Sari", "Tuti", "Yanti", "Eva", "Dina", "Fitria",
    "Kartika", "Melati", "Nadia", "Aisyah", "Farida", "Hana", "Laras", "Yulia", "Desi", "Tri",
)  # fmt: skip
_FEMALE_LAST: Final = (
    "Nurhaliza", "Lestari", "Hidayah", "Rahayu", "Wulandari", "Handayani", "Susanti",
    "Purnamasari", "Anggraini", "Puspitasari", "Maharani", "Safitri", "Fitriani", "Kusumawati",
    "Novitasari", "Permatasari", "Yuliani", "Marlina", "Agustina", "Kurniasih", "Rahmawati",
    "Utami", "Hasanah", "Aminah", "Siregar", "Nasution", "Lubis", "Pertiwi", "Oktaviani",
)  # fmt: skip

_Titles = tuple[tuple[str, str], ...]
"""Academic-title options as (prefix, suffix) pairs, e.g. ("dr.", "M.Kes.")."""

_NONE: Final[_Titles] = (("", ""),)

_HEAD_TITLES: Final[dict[str, _Titles]] = {
    "umum": (
        ("", "S.Sos., M.Si."), ("", "S.E., M.M."), ("", "S.H., M.H."), ("", "S.IP., M.Si."),
        ("", "S.STP., M.Si."), ("", "S.Kom., M.T.I."), ("", "S.E., M.Ak."), ("Dr.", "M.Si."),
        ("", "S.Sos."), ("", "S.E."),
    ),
    "teknik": (("", "S.T., M.T."), ("", "S.T., M.Si."), ("", "S.T."), ("", "S.T., M.Eng.")),
    "kesehatan": (
        ("dr.", "M.Kes."), ("dr.", "M.K.M."), ("", "S.K.M., M.Kes."), ("dr.", ""),
        ("drg.", "M.Kes."), ("", "S.Kep., Ners, M.Kep."),
    ),
    "rumah_sakit": (("dr.", "M.A.R.S."), ("dr.", "Sp.PD"), ("dr.", "M.Kes."), ("dr.", "")),
    "puskesmas": (("dr.", ""), ("dr.", "M.K.M."), ("drg.", ""), ("", "S.K.M., M.Kes.")),
    "pendidikan": (("", "S.Pd., M.Pd."), ("", "M.Pd."), ("", "S.Pd."), ("Dr.", "M.Pd.")),
    "pamong": (("", "S.STP., M.Si."), ("", "S.IP."), ("", "S.Sos."), ("", "S.STP., M.AP.")),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Job:
    """A staff position that a unit's profile can draw."""

    name: str
    kind: JabatanKind
    weight: float
    female_share: float = 0.5
    titles: _Titles = _NONE


_K = JabatanKind
_PERTAMA: Final = JabatanKind.FUNGSIONAL_AHLI_PERTAMA
_MUDA: Final = JabatanKind.FUNGSIONAL_AHLI_MUDA
_PELAKSANA_TITLES: Final[_Titles] = (
    ("", ""),
    ("", ""),
    ("", "S.E."),
    ("", "S.Sos."),
    ("", "A.Md."),
)

_ADMIN_JOBS: Final = (
    _Job("Pengadministrasi Umum", _K.PELAKSANA, 4, titles=_PELAKSANA_TITLES),
    _Job("Pengolah Data", _K.PELAKSANA, 2, titles=_PELAKSANA_TITLES),
    _Job("Bendahara", _K.PELAKSANA, 1, 0.7, (("", "S.E."), ("", "S.Ak."))),
    _Job("Arsiparis Terampil", _K.FUNGSIONAL_TERAMPIL, 1, 0.6, (("", "A.Md."),)),
    _Job("Pranata Komputer Ahli Pertama", _PERTAMA, 1, 0.3, (("", "S.Kom."),)),
    _Job("Perencana Ahli Pertama", _PERTAMA, 1, titles=(("", "S.E."),)),
    _Job("Analis Kepegawaian Ahli Pertama", _PERTAMA, 1, 0.6, (("", "S.Psi."),)),
)

_PROFILES: Final[dict[str, tuple[_Job, ...]]] = {
    "admin": _ADMIN_JOBS,
    "setda": (
        *_ADMIN_JOBS,
        _Job("Analis Hukum Ahli Pertama", _PERTAMA, 2, titles=(("", "S.H."),)),
        _Job(
            "Perancang Peraturan Perundang-undangan Ahli Muda", _MUDA, 1,
            titles=(("", "S.H., M.H."),),
        ),
        _Job("Analis Kebijakan Ahli Muda", _MUDA, 2, titles=(("", "S.IP."),)),
        _Job("Pranata Hubungan Masyarakat Ahli Pertama", _PERTAMA, 1),
        _Job("Pengelola Pengadaan Barang/Jasa Ahli Pertama", _PERTAMA, 1),
    ),
    "inspektorat": (
        _Job("Auditor Ahli Pertama", _PERTAMA, 4, titles=(("", "S.E., Ak."),)),
        _Job("Auditor Ahli Muda", _MUDA, 2, titles=(("", "S.E., M.Ak."),)),
        _Job(
            "Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah Ahli Pertama",
            _PERTAMA, 3, titles=(("", "S.IP."), ("", "S.H.")),
        ),
        _Job("Pengadministrasi Umum", _K.PELAKSANA, 1),
    ),
    "kepegawaian": (
        _Job("Analis Kepegawaian Ahli Pertama", _PERTAMA, 4, 0.6, (("", "S.Psi."),)),
        _Job("Analis Kepegawaian Ahli Muda", _MUDA, 2, titles=(("", "S.Sos."),)),
        _Job("Pranata Komputer Ahli Pertama", _PERTAMA, 1, 0.3, (("", "S.Kom."),)),
        _Job("Pengolah Data Kepegawaian", _K.PELAKSANA, 2),
        _Job("Widyaiswara Ahli Muda", _MUDA, 1, titles=(("", "M.Pd."),)),
    ),
    "keuangan": (
        _Job(
            "Analis Keuangan Pusat dan Daerah Ahli Pertama", _PERTAMA, 3,
            titles=(("", "S.E."), ("", "S.Ak.")),
        ),
        _Job("Pengelola Pajak dan Retribusi Daerah", _K.PELAKSANA, 3),
        _Job("Juru Sita Pajak Daerah", _K.PELAKSANA, 1, 0.2),
        _Job("Pengolah Data", _K.PELAKSANA, 2),
    ),
    "perencanaan": (
        _Job("Perencana Ahli Pertama", _PERTAMA, 3, titles=(("", "S.E."),)),
        _Job("Perencana Ahli Muda", _MUDA, 2, titles=(("", "S.T., M.T."),)),
        _Job("Statistisi Ahli Pertama", _PERTAMA, 1, titles=(("", "S.Si."),)),
        _Job("Peneliti Ahli Pertama", _PERTAMA, 1, titles=(("", "S.Si."),)),
        _Job("Pengolah Data", _K.PELAKSANA, 1),
    ),
    "dinkes": (
        _Job("Epidemiolog Kesehatan Ahli Pertama", _PERTAMA, 2, 0.6,
             (("", "S.K.M."),)),
        _Job("Penyuluh Kesehatan Masyarakat Ahli Pertama", _PERTAMA, 2, 0.7,
             (("", "S.K.M."),)),
        _Job("Administrator Kesehatan Ahli Muda", _MUDA, 2, 0.6,
             (("", "S.K.M., M.Kes."),)),
        _Job("Pengelola Imunisasi", _K.PELAKSANA, 1, 0.8, (("", "A.Md.Kep."),)),
        _Job("Apoteker Ahli Pertama", _PERTAMA, 1, 0.8, (("apt.", "S.Farm."),)),
        _Job("Pengolah Data", _K.PELAKSANA, 1),
    ),
    "puskesmas": (
        _Job("Perawat Terampil", _K.FUNGSIONAL_TERAMPIL, 5, 0.75, (("", "A.Md.Kep."),)),
        _Job("Perawat Ahli Pertama", _PERTAMA, 3, 0.75, (("", "S.Kep., Ners"),)),
        _Job("Bidan Terampil", _K.FUNGSIONAL_TERAMPIL, 3, 1.0, (("", "A.Md.Keb."),)),
        _Job("Bidan Ahli Pertama", _PERTAMA, 2, 1.0, (("", "S.Tr.Keb."),)),
        _Job("Dokter Ahli Pertama", _PERTAMA, 2, 0.6, (("dr.", ""),)),
        _Job("Dokter Ahli Muda", _MUDA, 1, 0.6, (("dr.", ""),)),
        _Job("Dokter Gigi Ahli Pertama", _PERTAMA, 1, 0.7, (("drg.", ""),)),
        _Job("Pengelola Imunisasi", _K.PELAKSANA, 1, 0.7, (("", "A.Md.Kep."),)),
        _Job("Penyuluh Kesehatan Masyarakat", _K.PELAKSANA, 1, 0.7, (("", "S.K.M."),)),
        _Job("Tenaga Teknis Kefarmasian Terampil", _K.FUNGSIONAL_TERAMPIL, 1, 0.8,
             (("", "A.Md.Farm."),)),
        _Job("Pranata Laboratorium Kesehatan Terampil", _K.FUNGSIONAL_TERAMPIL, 1, 0.7,
             (("", "A.Md.A.K."),)),
        _Job("Nutrisionis Terampil", _K.FUNGSIONAL_TERAMPIL, 1, 0.9, (("", "A.Md.Gz."),)),
        _Job("Perekam Medis Terampil", _K.FUNGSIONAL_TERAMPIL, 1, 0.6, (("", "A.Md.RMIK"),)),
        _Job("Pengadministrasi Umum", _K.PELAKSANA, 1),
    ),
    "rumah_sakit": (
        _Job("Perawat Terampil", _K.FUNGSIONAL_TERAMPIL, 6, 0.75, (("", "A.Md.Kep."),)),
        _Job("Perawat Ahli Pertama", _PERTAMA, 4, 0.75, (("", "S.Kep., Ners"),)),
        _Job("Perawat Mahir", _K.FUNGSIONAL_MAHIR, 1, 0.75, (("", "A.Md.Kep."),)),
        _Job("Bidan Terampil", _K.FUNGSIONAL_TERAMPIL, 1, 1.0, (("", "A.Md.Keb."),)),
        _Job("Dokter Ahli Muda", _MUDA, 1, 0.5,
             (("dr.", "Sp.PD"), ("dr.", "Sp.A"), ("dr.", "Sp.OG"), ("dr.", "Sp.B"))),
        _Job("Dokter Ahli Pertama", _PERTAMA, 1, 0.5, (("dr.", ""),)),
        _Job("Apoteker Ahli Pertama", _PERTAMA, 1, 0.8, (("apt.", "S.Farm."),)),
        _Job("Radiografer Terampil", _K.FUNGSIONAL_TERAMPIL, 1, 0.4, (("", "A.Md.Rad."),)),
        _Job("Fisioterapis Terampil", _K.FUNGSIONAL_TERAMPIL, 1, 0.6, (("", "A.Md.Ftr."),)),
        _Job("Perekam Medis Terampil", _K.FUNGSIONAL_TERAMPIL, 1, 0.6, (("", "A.Md.RMIK"),)),
        _Job("Pengadministrasi Umum", _K.PELAKSANA, 1),
    ),
    "pendidikan": (
        _Job("Pengawas Sekolah Ahli Madya", _K.FUNGSIONAL_AHLI_MADYA, 2, titles=(("", "M.Pd."),)),
        _Job("Penilik Ahli Pertama", _PERTAMA, 1, titles=(("", "S.Pd."),)),
        _Job("Pamong Budaya Ahli Pertama", _PERTAMA, 1, titles=(("", "S.Sn."),)),
        _Job("Analis Kebijakan Ahli Pertama", _PERTAMA, 1),
        _Job("Pengolah Data", _K.PELAKSANA, 2),
        _Job("Pengadministrasi Umum", _K.PELAKSANA, 1),
    ),
    "sekolah": (
        _Job("Guru Ahli Pertama", _PERTAMA, 6, 0.7,
             (("", "S.Pd."), ("", "S.Pd.I."), ("", "S.Pd."))),
        _Job("Guru Ahli Muda", _MUDA, 3, 0.7, (("", "S.Pd."), ("", "S.Pd., M.Pd."))),
        _Job("Guru Ahli Madya", _K.FUNGSIONAL_AHLI_MADYA, 1, 0.7, (("", "S.Pd., M.Pd."),)),
        _Job("Pengadministrasi Umum", _K.PELAKSANA, 1),
        _Job("Pengelola Perpustakaan Sekolah", _K.PELAKSANA, 0.5, 0.7),
    ),
    "kependudukan": (
        _Job("Administrator Database Kependudukan Ahli Pertama", _PERTAMA, 2,
             0.4, (("", "S.Kom."),)),
        _Job("Pengolah Data Kependudukan", _K.PELAKSANA, 3),
        _Job("Pengadministrasi Umum", _K.PELAKSANA, 2),
        _Job("Pranata Komputer Terampil", _K.FUNGSIONAL_TERAMPIL, 1, 0.3, (("", "A.Md.Kom."),)),
    ),
    "teknik": (
        _Job("Teknik Jalan dan Jembatan Ahli Pertama", _PERTAMA, 2, 0.2,
             (("", "S.T."),)),
        _Job("Teknik Pengairan Ahli Pertama", _PERTAMA, 1, 0.2, (("", "S.T."),)),
        _Job("Penata Ruang Ahli Pertama", _PERTAMA, 1, 0.4, (("", "S.T."),)),
        _Job("Teknik Tata Bangunan dan Perumahan Ahli Muda", _MUDA, 1, 0.3,
             (("", "S.T., M.T."),)),
        _Job("Pengawas Lapangan", _K.PELAKSANA, 2, 0.1),
        _Job("Pengadministrasi Umum", _K.PELAKSANA, 1),
    ),
    "pamong_praja": (
        _Job("Polisi Pamong Praja Terampil", _K.FUNGSIONAL_TERAMPIL, 6, 0.2),
        _Job("Polisi Pamong Praja Mahir", _K.FUNGSIONAL_MAHIR, 2, 0.2),
        _Job("Polisi Pamong Praja Penyelia", _K.FUNGSIONAL_PENYELIA, 1, 0.2),
        _Job("Polisi Pamong Praja Ahli Pertama", _PERTAMA, 1, 0.2,
             (("", "S.H."),)),
        _Job("Pengadministrasi Umum", _K.PELAKSANA, 1),
    ),
    "perizinan": (
        _Job("Penata Perizinan Ahli Pertama", _PERTAMA, 3, titles=(("", "S.H."),)),
        _Job("Penata Perizinan Ahli Muda", _MUDA, 2, titles=(("", "S.T."),)),
        _Job("Analis Penanaman Modal", _K.PELAKSANA, 1, titles=(("", "S.E."),)),
        _Job("Pengadministrasi Perizinan", _K.PELAKSANA, 2),
    ),
    "perhubungan": (
        _Job("Penguji Kendaraan Bermotor Terampil", _K.FUNGSIONAL_TERAMPIL, 2, 0.1),
        _Job("Petugas Pengatur Lalu Lintas", _K.PELAKSANA, 4, 0.15),
        _Job("Pengelola Perparkiran", _K.PELAKSANA, 1, 0.3),
        _Job("Analis Transportasi", _K.PELAKSANA, 1, 0.3, (("", "S.T."),)),
    ),
    "lingkungan": (
        _Job("Pengendali Dampak Lingkungan Ahli Pertama", _PERTAMA, 2,
             titles=(("", "S.T."), ("", "S.Si."))),
        _Job("Pengawas Lingkungan Hidup Ahli Pertama", _PERTAMA, 1,
             titles=(("", "S.T."),)),
        _Job("Pengelola Persampahan", _K.PELAKSANA, 3, 0.2),
        _Job("Pengadministrasi Umum", _K.PELAKSANA, 1),
    ),
    "sosial": (
        _Job("Pekerja Sosial Ahli Pertama", _PERTAMA, 3, 0.6, (("", "S.Sos."),)),
        _Job("Pekerja Sosial Terampil", _K.FUNGSIONAL_TERAMPIL, 2, 0.6),
        _Job("Penyuluh Sosial Ahli Pertama", _PERTAMA, 1, titles=(("", "S.Sos."),)),
        _Job("Pengolah Data", _K.PELAKSANA, 1),
    ),
    "informatika": (
        _Job("Pranata Komputer Ahli Pertama", _PERTAMA, 3, 0.3, (("", "S.Kom."),)),
        _Job("Pranata Komputer Ahli Muda", _MUDA, 1, 0.3, (("", "S.Kom., M.T.I."),)),
        _Job("Pranata Hubungan Masyarakat Ahli Pertama", _PERTAMA, 2, 0.6,
             (("", "S.I.Kom."),)),
        _Job("Statistisi Ahli Pertama", _PERTAMA, 1, titles=(("", "S.Si."),)),
        _Job("Sandiman Ahli Pertama", _PERTAMA, 1, 0.3, (("", "S.Kom."),)),
    ),
    "bencana": (
        _Job("Analis Kebencanaan", _K.PELAKSANA, 2, 0.3),
        _Job("Petugas Operasional Kebencanaan", _K.PELAKSANA, 3, 0.1),
        _Job("Pengadministrasi Umum", _K.PELAKSANA, 1),
    ),
    "kecamatan": (
        _Job("Pengadministrasi Umum", _K.PELAKSANA, 3, titles=_PELAKSANA_TITLES),
        _Job("Pengolah Data", _K.PELAKSANA, 2),
        _Job("Pengelola Pelayanan Administrasi Terpadu Kecamatan", _K.PELAKSANA, 2),
        _Job("Pengelola Pemberdayaan Masyarakat", _K.PELAKSANA, 1, titles=(("", "S.Sos."),)),
        _Job("Analis Pemerintahan", _K.PELAKSANA, 1, titles=(("", "S.IP."),)),
        _Job("Arsiparis Terampil", _K.FUNGSIONAL_TERAMPIL, 1, 0.6),
    ),
    "trantib": (
        _Job("Polisi Pamong Praja Terampil", _K.FUNGSIONAL_TERAMPIL, 3, 0.2),
        _Job("Pengadministrasi Umum", _K.PELAKSANA, 1),
    ),
    "kelurahan": (
        _Job("Pengadministrasi Umum", _K.PELAKSANA, 4, titles=_PELAKSANA_TITLES),
        _Job("Pengolah Data", _K.PELAKSANA, 2),
        _Job("Pengelola Pemberdayaan Masyarakat", _K.PELAKSANA, 1),
        _Job("Pengelola Ketenteraman dan Ketertiban", _K.PELAKSANA, 1, 0.2),
    ),
}  # fmt: skip

_PROFILE_CUM_WEIGHTS: Final[dict[str, tuple[float, ...]]] = {
    key: tuple(accumulate(job.weight for job in jobs)) for key, jobs in _PROFILES.items()
}

_GOLONGAN_BY_KIND: Final[dict[JabatanKind, tuple[Golongan, ...]]] = {
    _K.JPT_UTAMA: (Golongan.IV_E,),
    _K.JPT_MADYA: (Golongan.IV_D,),
    _K.JPT_PRATAMA: (Golongan.IV_C, Golongan.IV_D),
    _K.ADMINISTRATOR: (Golongan.IV_A, Golongan.IV_B),
    _K.PENGAWAS: (Golongan.III_D, Golongan.IV_A),
    _K.PELAKSANA: (
        Golongan.II_A, Golongan.II_B, Golongan.II_C, Golongan.II_D, Golongan.III_A,
        Golongan.III_B,
    ),
    _K.FUNGSIONAL_AHLI_UTAMA: (Golongan.IV_D, Golongan.IV_E),
    _K.FUNGSIONAL_AHLI_MADYA: (Golongan.IV_A, Golongan.IV_B, Golongan.IV_C),
    _MUDA: (Golongan.III_C, Golongan.III_D),
    _PERTAMA: (Golongan.III_A, Golongan.III_B),
    _K.FUNGSIONAL_PENYELIA: (Golongan.III_C, Golongan.III_D),
    _K.FUNGSIONAL_MAHIR: (Golongan.III_A, Golongan.III_B),
    _K.FUNGSIONAL_TERAMPIL: (Golongan.II_B, Golongan.II_C, Golongan.II_D),
    _K.FUNGSIONAL_PEMULA: (Golongan.II_A,),
}  # fmt: skip

_BIRTH_YEARS_BY_KIND: Final[dict[JabatanKind, tuple[int, int]]] = {
    _K.JPT_UTAMA: (1966, 1970),
    _K.JPT_MADYA: (1966, 1972),
    _K.JPT_PRATAMA: (1966, 1978),
    _K.ADMINISTRATOR: (1966, 1983),
    _K.PENGAWAS: (1966, 1988),
    _K.PELAKSANA: (1968, 2001),
    _K.FUNGSIONAL_AHLI_UTAMA: (1966, 1975),
    _K.FUNGSIONAL_AHLI_MADYA: (1966, 1982),
    _MUDA: (1968, 1990),
    _PERTAMA: (1975, 2001),
    _K.FUNGSIONAL_PENYELIA: (1966, 1985),
    _K.FUNGSIONAL_MAHIR: (1970, 1992),
    _K.FUNGSIONAL_TERAMPIL: (1975, 2001),
    _K.FUNGSIONAL_PEMULA: (1980, 2001),
}


# --- the unit tree -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Unit:
    """A unit plus what the generator needs to staff it."""

    unor: DemoUnor
    depth: int
    head_title: str | None
    head_kind: JabatanKind | None
    head_titles: str
    weight: float
    profile: str


@dataclass(frozen=True, slots=True)
class _Section:
    """A Bidang, Bagian or Inspektur Pembantu unit with its Seksi/Subbidang children."""

    seg: str
    name: str
    children: tuple[tuple[str, str], ...] = ()
    profile: str | None = None
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class _Agency:
    """A Dinas, Badan or similar OPD built from the standard template."""

    code: str
    name: str
    short_name: str
    head: str
    profile: str
    titles: str
    sections: tuple[_Section, ...]
    staff_weight: float = 1.0
    head_kind: JabatanKind = JabatanKind.JPT_PRATAMA
    section_kind: JabatanKind = JabatanKind.ADMINISTRATOR
    sekretariat: str | None = "Sekretariat"


def _sub(prefix: str, *names: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((seg, f"{prefix} {name}") for seg, name in names)


_AGENCIES_FILE: Final = Path(__file__).with_name("demo_agencies.toml")
"""The Dinas, Badan and similar OPDs built from the standard template (:class:`_Agency`)."""


def _agencies() -> tuple[_Agency, ...]:
    """The agencies of :data:`_AGENCIES_FILE`, in its order."""
    with _AGENCIES_FILE.open("rb") as file:
        data = tomllib.load(file)
    return tuple(_agency(spec) for spec in data["agency"])


def _agency(spec: dict[str, Any]) -> _Agency:
    options: dict[str, Any] = {}
    if "staff_weight" in spec:
        options["staff_weight"] = spec["staff_weight"]
    if "sekretariat" in spec:
        options["sekretariat"] = spec["sekretariat"] or None  # "": no Sekretariat
    sections = tuple(
        _Section(
            section["seg"],
            section["name"],
            tuple((seg, name) for seg, name in section.get("children", ())),
            weight=section.get("weight", 1.0),
        )
        for section in spec["section"]
    )
    return _Agency(
        spec["code"],
        spec["name"],
        spec["short_name"],
        spec["head"],
        spec["profile"],
        spec["titles"],
        sections,
        **options,
    )


_SETDA_ASISTEN: Final = (
    ("ASPEM", "Asisten Pemerintahan dan Kesejahteraan Rakyat", (
        ("PEM", "Bagian Pemerintahan"), ("KESRA", "Bagian Kesejahteraan Rakyat"),
        ("HUKUM", "Bagian Hukum"),
    )),
    ("ASEKBANG", "Asisten Perekonomian dan Pembangunan", (
        ("EKONOMI", "Bagian Perekonomian dan Sumber Daya Alam"),
        ("ADPEM", "Bagian Administrasi Pembangunan"), ("PBJ", "Bagian Pengadaan Barang dan Jasa"),
    )),
    ("ASMUM", "Asisten Administrasi Umum", (
        ("ORGANISASI", "Bagian Organisasi"), ("UMUM", "Bagian Umum"),
        ("PROKOMPIM", "Bagian Protokol dan Komunikasi Pimpinan"),
    )),
)  # fmt: skip

_PUSKESMAS: Final = (
    "Pamulang", "Benda Baru", "Pondok Benda", "Bambu Apus", "Ciputat", "Jombang",
    "Situ Gintung", "Ciputat Timur", "Pondok Ranji", "Rengas", "Pisangan", "Pondok Aren",
    "Jurang Mangu", "Pondok Betung", "Pondok Kacang Timur", "Pondok Pucung", "Parigi",
    "Serpong 1", "Serpong 2", "Rawa Buntu", "Pondok Jagung", "Paku Alam", "Setu",
    "Bakti Jaya", "Kranggan",
)  # fmt: skip
_PUSKESMAS_WEIGHT: Final = 6.0
_SHOWCASE_PUSKESMAS_WEIGHT: Final = 60.0
"""Puskesmas Pamulang's weight in the default city of :data:`_SHOWCASE_CITY` employees: a
full team (about 34 staff) for the ``atasan`` login. In a larger city it shrinks toward the
other puskesmas' (:func:`_staff_weights`), which then have full teams of their own."""
_SHOWCASE_CITY: Final = 600
"""Puskesmas Pamulang (the demo logins' unit) has a real puskesmas's team (30-60 staff at the
default size); the other units are scaled down with the demo city."""

_SD_KELURAHAN: Final = (
    "Pamulang Barat", "Pondok Cabe Ilir", "Benda Baru", "Ciputat", "Serua", "Cempaka Putih",
    "Rengas", "Pondok Aren", "Jurang Mangu Timur", "Serpong", "Rawa Buntu", "Pakualam",
    "Setu", "Babakan",
)  # fmt: skip
_SMP_COUNT: Final = 12
_SD_WEIGHT: Final = 7.0
_SMP_WEIGHT: Final = 10.0

_KECAMATAN: Final = (
    ("SERPONG", "Serpong", (
        "Serpong", "Cilenggang", "Buaran", "Ciater", "Rawa Mekar Jaya", "Rawa Buntu",
        "Lengkong Gudang", "Lengkong Gudang Timur", "Lengkong Wetan",
    )),
    ("SERPONG_UTARA", "Serpong Utara", (
        "Pakualam", "Pakulonan", "Paku Jaya", "Pondok Jagung", "Pondok Jagung Timur",
        "Jelupang", "Lengkong Karya",
    )),
    ("CIPUTAT", "Ciputat", (
        "Ciputat", "Cipayung", "Serua", "Serua Indah", "Jombang", "Sawah Baru", "Sawah Lama",
    )),
    ("CIPUTAT_TIMUR", "Ciputat Timur", (
        "Cempaka Putih", "Pondok Ranji", "Pisangan", "Cireundeu", "Rempoa", "Rengas",
    )),
    ("PAMULANG", "Pamulang", (
        "Pamulang Barat", "Pamulang Timur", "Pondok Cabe Udik", "Pondok Cabe Ilir", "Kedaung",
        "Bambu Apus", "Benda Baru", "Pondok Benda",
    )),
    ("PONDOK_AREN", "Pondok Aren", (
        "Pondok Aren", "Pondok Betung", "Pondok Jaya", "Pondok Karya", "Pondok Kacang Barat",
        "Pondok Kacang Timur", "Pondok Pucung", "Jurang Mangu Barat", "Jurang Mangu Timur",
        "Perigi Baru", "Perigi Lama",
    )),
    ("SETU", "Setu", ("Setu", "Muncul", "Keranggan", "Babakan", "Bakti Jaya", "Kademangan")),
)  # fmt: skip
_KELURAHAN_WEIGHT: Final = 2.2

_STANDARD_SUBBAGIAN: Final = _sub(
    "Subbagian",
    ("UMPEG", "Umum dan Kepegawaian"),
    ("KEU", "Keuangan"),
    ("PRC", "Perencanaan"),
)


def _slug(name: str) -> str:
    return name.upper().replace(" ", "_")


class _TreeBuilder:
    """Collects units parent-first."""

    def __init__(self) -> None:
        self.opds: list[DemoOpd] = []
        self.units: list[_Unit] = []

    def add(  # noqa: PLR0917 - a unit has this many attributes
        self,
        parent: _Unit | None,
        code: str,
        name: str,
        head_title: str | None,
        head_kind: JabatanKind | None,
        weight: float,
        profile: str,
        head_titles: str = "umum",
        opd_code: str | None = None,
    ) -> _Unit:
        """Append a unit under ``parent`` (``None`` for an OPD root) and return it."""
        opd = opd_code if parent is None else parent.unor.opd_code
        if opd is None:  # pragma: no cover - programming error
            raise ValueError("an OPD root unit needs its opd_code")
        unit = _Unit(
            unor=DemoUnor(
                code=code,
                name=name,
                opd_code=opd,
                parent_code=None if parent is None else parent.unor.code,
            ),
            depth=0 if parent is None else parent.depth + 1,
            head_title=head_title,
            head_kind=head_kind,
            head_titles=head_titles,
            weight=weight,
            profile=profile,
        )
        self.units.append(unit)
        return unit

    def setda(self) -> None:
        """Sekretariat Daerah: Sekda, three Asisten and their Bagian."""
        self.opds.append(DemoOpd(SETDA, "Sekretariat Daerah", "Setda"))
        root = self.add(
            None,
            SETDA,
            "Sekretariat Daerah",
            "Sekretaris Daerah",
            _K.JPT_MADYA,
            0.0,
            "setda",
            opd_code=SETDA,
        )
        for seg, name, bagian in _SETDA_ASISTEN:
            asisten = self.add(root, f"{SETDA}.{seg}", name, name, _K.JPT_PRATAMA, 0.0, "setda")
            for bseg, bname in bagian:
                self.add(
                    asisten,
                    f"{SETDA}.{bseg}",
                    bname,
                    f"Kepala {bname}",
                    _K.ADMINISTRATOR,
                    1.5,
                    "setda",
                )

    def agency(self, spec: _Agency) -> None:
        """A Dinas/Badan: head unit, Sekretariat with Subbagian, Bidang with Seksi."""
        self.opds.append(DemoOpd(spec.code, spec.name, spec.short_name))
        scale = spec.staff_weight
        root = self.add(
            None,
            spec.code,
            spec.name,
            spec.head,
            spec.head_kind,
            0.0,
            spec.profile,
            spec.titles,
            opd_code=spec.code,
        )
        if spec.sekretariat is not None:
            is_tu = spec.sekretariat.startswith("Bagian")
            title = f"Kepala {spec.sekretariat}" if is_tu else f"Sekretaris {spec.name}"
            sekret = self.add(
                root,
                f"{spec.code}.SEKRET",
                spec.sekretariat,
                title,
                _K.ADMINISTRATOR,
                0.3 * scale,
                "admin",
            )
            for seg, name in _STANDARD_SUBBAGIAN:
                self.add(
                    sekret,
                    f"{spec.code}.SEKRET.{seg}",
                    name,
                    f"Kepala {name}",
                    _K.PENGAWAS,
                    1.0 * scale,
                    "admin",
                )
        for section in spec.sections:
            profile = section.profile or spec.profile
            own_weight = (0.5 if section.children else 1.0) * section.weight * scale
            bidang = self.add(
                root,
                f"{spec.code}.{section.seg}",
                section.name,
                _head_of(section.name),
                spec.section_kind,
                own_weight,
                profile,
                spec.titles,
            )
            for seg, name in section.children:
                self.add(
                    bidang,
                    f"{bidang.unor.code}.{seg}",
                    name,
                    f"Kepala {name}",
                    _K.PENGAWAS,
                    section.weight * scale,
                    profile,
                    spec.titles,
                )
        if spec.code == DINKES:
            for puskesmas in _PUSKESMAS:
                self.add(
                    root,
                    f"{DINKES}.PKM.{_slug(puskesmas)}",
                    f"Puskesmas {puskesmas}",
                    f"Kepala UPTD Puskesmas {puskesmas}",
                    _K.PENGAWAS,
                    _SHOWCASE_PUSKESMAS_WEIGHT if puskesmas == "Pamulang" else _PUSKESMAS_WEIGHT,
                    "puskesmas",
                    "puskesmas",
                )
        if spec.code == "DINDIKBUD":
            self._schools()

    def _schools(self) -> None:
        by_code = {unit.unor.code: unit for unit in self.units}
        smp, sd = by_code["DINDIKBUD.SMP"], by_code["DINDIKBUD.SD"]
        for number in range(1, _SMP_COUNT + 1):
            name = f"SMP Negeri {number} Tangerang Selatan"
            self.add(
                smp,
                f"DINDIKBUD.SMPN{number:02d}",
                name,
                f"Kepala {name}",
                _K.FUNGSIONAL_AHLI_MADYA,
                _SMP_WEIGHT,
                "sekolah",
                "pendidikan",
            )
        for kelurahan in _SD_KELURAHAN:
            name = f"SD Negeri {kelurahan} 01"
            self.add(
                sd,
                f"DINDIKBUD.SDN.{_slug(kelurahan)}_01",
                name,
                f"Kepala {name}",
                _K.FUNGSIONAL_AHLI_MADYA,
                _SD_WEIGHT,
                "sekolah",
                "pendidikan",
            )

    def kecamatan(self, seg: str, name: str, kelurahan: Sequence[str]) -> None:
        """A kecamatan: Camat, Sekretariat, four Seksi and its kelurahan."""
        code = f"KEC_{seg}"
        self.opds.append(DemoOpd(code, f"Kecamatan {name}", f"Kec. {name}"))
        root = self.add(
            None,
            code,
            f"Kecamatan {name}",
            f"Camat {name}",
            _K.ADMINISTRATOR,
            0.5,
            "kecamatan",
            "pamong",
            opd_code=code,
        )
        sekret = self.add(
            root,
            f"{code}.SEKRET",
            "Sekretariat Kecamatan",
            f"Sekretaris Kecamatan {name}",
            _K.ADMINISTRATOR,
            0.3,
            "kecamatan",
            "pamong",
        )
        for sseg, sname in (
            ("UMPEG", "Subbagian Umum dan Kepegawaian"),
            ("PRCKEU", "Subbagian Perencanaan dan Keuangan"),
        ):
            self.add(
                sekret,
                f"{code}.SEKRET.{sseg}",
                sname,
                f"Kepala {sname}",
                _K.PENGAWAS,
                0.8,
                "kecamatan",
                "pamong",
            )
        for sseg, sname, profile in (
            ("PEM", "Seksi Pemerintahan", "kecamatan"),
            ("TRANTIB", "Seksi Ketenteraman dan Ketertiban", "trantib"),
            ("PM", "Seksi Pemberdayaan Masyarakat", "kecamatan"),
            ("KESOS", "Seksi Kesejahteraan Sosial", "kecamatan"),
        ):
            self.add(
                root,
                f"{code}.{sseg}",
                sname,
                f"Kepala {sname}",
                _K.PENGAWAS,
                0.8,
                profile,
                "pamong",
            )
        for kel in kelurahan:
            self.add(
                root,
                f"{code}.KEL.{_slug(kel)}",
                f"Kelurahan {kel}",
                f"Lurah {kel}",
                _K.PENGAWAS,
                _KELURAHAN_WEIGHT,
                "kelurahan",
                "pamong",
            )


def _head_of(unit_name: str) -> str:
    """Jabatan name of the head of a Bidang/Bagian/Inspektorat Pembantu unit."""
    if unit_name.startswith("Inspektur"):
        return unit_name
    return f"Kepala {unit_name}"


@functools.cache
def _structure() -> tuple[tuple[DemoOpd, ...], tuple[_Unit, ...]]:
    """The city's OPDs and units (independent of size and seed, so built once)."""
    builder = _TreeBuilder()
    builder.setda()
    for agency in _agencies():
        builder.agency(agency)
    for seg, name, kelurahan in _KECAMATAN:
        builder.kecamatan(seg, name, kelurahan)
    return tuple(builder.opds), tuple(builder.units)


# --- people ------------------------------------------------------------------------------


class _Generator:
    """Draws people from one seeded RNG and keeps identifiers unique."""

    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.used: set[str] = set()
        self.employees: list[DemoEmployee] = []
        self._first_hire = min(_PPPK_FIRST_HIRE, today).toordinal()
        self._last_hire = min(_PPPK_LAST_HIRE, today).toordinal()

    def name(self, gender: Gender, titles: _Titles) -> str:
        """A realistic Indonesian name with optional academic titles."""
        rng = self.rng
        female = gender is Gender.PEREMPUAN
        first = rng.choice(_FEMALE_FIRST if female else _MALE_FIRST)
        last_names = _FEMALE_LAST if female else _MALE_LAST
        parts = [first]
        if rng.random() < _LAST_NAME_PROBABILITY:
            if rng.random() < _MIDDLE_NAME_PROBABILITY:
                middle = rng.choice(_FEMALE_FIRST if female else _MALE_FIRST)
                if middle != first:
                    parts.append(middle)
            parts.append(rng.choice(last_names))
        prefix, suffix = rng.choice(titles)
        full = " ".join(parts)
        if prefix:
            full = f"{prefix} {full}"
        if suffix:
            full = f"{full}, {suffix}"
        return full

    def pns_identity(self, kind: JabatanKind, gender: Gender) -> tuple[str, date]:
        """A unique, valid NIP and its TMT CPNS for a PNS of this jabatan kind."""
        rng, today = self.rng, self.today
        low, high = _BIRTH_YEARS_BY_KIND[kind]
        high = min(high, today.year - _MIN_AGE_AT_TMT - 1)
        low = min(low, high)
        while True:
            birth = date.fromordinal(
                rng.randint(date(low, 1, 1).toordinal(), date(high, 12, 31).toordinal()),
            )
            latest_age = min(_MAX_AGE_AT_TMT, today.year - birth.year)
            tmt_year = birth.year + rng.randint(_MIN_AGE_AT_TMT, latest_age)
            last_month = today.month if tmt_year == today.year else 12
            tmt = date(tmt_year, rng.randint(1, last_month), 1)
            sequence = rng.randint(1, 4)
            while sequence <= _MAX_NIP_SEQUENCE:
                nip = make_nip(birth, tmt, gender, sequence)
                if nip not in self.used:
                    self.used.add(nip)
                    return nip, tmt
                sequence += 1

    def pppk_identity(self) -> tuple[str, date]:
        """A unique random 18-digit NI and a contract start date for a PPPK."""
        rng = self.rng
        while True:
            ni = str(rng.randint(_NI_LOW, _NI_HIGH))
            if ni not in self.used:
                self.used.add(ni)
                return ni, date.fromordinal(rng.randint(self._first_hire, self._last_hire))

    def golongan(self, kind: JabatanKind, tmt: date) -> Golongan:
        """A golongan plausible for the jabatan kind that rises with years of service."""
        options = _GOLONGAN_BY_KIND[kind]
        steps = (self.today.year - tmt.year) // _YEARS_PER_GOLONGAN_STEP - self.rng.randint(0, 1)
        return options[min(len(options) - 1, max(0, steps))]

    def add_pns(
        self,
        *,
        kind: JabatanKind,
        jabatan: str,
        unit: str,
        supervisor: str | None,
        titles: _Titles,
        female_share: float,
    ) -> DemoEmployee:
        """Create and record a PNS."""
        gender = Gender.PEREMPUAN if self.rng.random() < female_share else Gender.LAKI_LAKI
        name = self.name(gender, titles)
        nip, tmt = self.pns_identity(kind, gender)
        employee = DemoEmployee(
            nip=nip,
            name=name,
            kind=EmployeeKind.PNS,
            gender=gender,
            golongan=self.golongan(kind, tmt),
            jabatan_kind=kind,
            jabatan_name=jabatan,
            unor_code=unit,
            supervisor_nip=supervisor,
            hired_on=tmt,
        )
        self.employees.append(employee)
        return employee

    def add_staff(self, job: _Job, unit: str, supervisor: str | None, pppk: bool) -> None:
        """Create and record a staff member (PNS or PPPK) in ``job``."""
        if not pppk:
            self.add_pns(
                kind=job.kind,
                jabatan=job.name,
                unit=unit,
                supervisor=supervisor,
                titles=job.titles,
                female_share=job.female_share,
            )
            return
        gender = Gender.PEREMPUAN if self.rng.random() < job.female_share else Gender.LAKI_LAKI
        name = self.name(gender, job.titles)
        ni, hired = self.pppk_identity()
        self.employees.append(
            DemoEmployee(
                nip=ni,
                name=name,
                kind=EmployeeKind.PPPK,
                gender=gender,
                golongan=None,
                jabatan_kind=job.kind,
                jabatan_name=job.name,
                unor_code=unit,
                supervisor_nip=supervisor,
                hired_on=hired,
            ),
        )


def _staff_weights(units: Sequence[_Unit], n_employees: int) -> list[float]:
    """Each unit's share of the staff; the showcase puskesmas's fades as the city grows."""
    showcase = max(
        _PUSKESMAS_WEIGHT,
        _SHOWCASE_PUSKESMAS_WEIGHT * _SHOWCASE_CITY / max(_SHOWCASE_CITY, n_employees),
    )
    return [showcase if u.unor.code == PKM_PAMULANG else u.weight for u in units]


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integer parts proportional to ``weights`` (largest remainder)."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    quotas = [total * weight / weight_sum for weight in weights]
    counts = [int(quota) for quota in quotas]
    missing = total - sum(counts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - quotas[i], i))
    for index in by_remainder[:missing]:
        counts[index] += 1
    return counts


def _give_every_opd_staff(units: Sequence[_Unit], counts: list[int], *, keep: str) -> None:
    """Move staff seats so every OPD has :data:`_MIN_OPD_STAFF` staff (in place).

    A small city of many units leaves some small OPDs with their head alone; each seat comes
    from the unit with the most staff (never ``keep``), and goes to the OPD's heaviest unit.
    """
    by_opd: dict[str, list[int]] = {}
    for index, unit in enumerate(units):
        if unit.weight > 0:
            by_opd.setdefault(unit.unor.opd_code, []).append(index)
    for indexes in by_opd.values():
        target = max(indexes, key=lambda i: (units[i].weight, -i))
        for _ in range(_MIN_OPD_STAFF - sum(counts[i] for i in indexes)):
            donor = max(
                (i for i in range(len(counts)) if units[i].unor.code != keep),
                key=lambda i: (counts[i], -i),
            )
            if counts[donor] <= _MIN_OPD_STAFF:
                return  # too small a city to spare anyone
            counts[donor] -= 1
            counts[target] += 1


def _heads_to_fill(units: Sequence[_Unit], n_employees: int, forced: Iterable[str]) -> set[str]:
    """Codes of the units whose head post is filled for an organisation of this size.

    OPD heads and the ``forced`` units are always filled; other heads follow by depth
    (Sekretaris, Kepala Bidang, Kepala Puskesmas before Kepala Seksi) and, within a depth,
    the units with the most staff below them first, until about :data:`_HEAD_SHARE` of
    ``n_employees`` hold a head post.
    """
    chosen = {unit.unor.code for unit in units if unit.depth == 0}
    chosen.update(forced)
    budget = max(len(chosen), round(n_employees * _HEAD_SHARE))
    subtree = {unit.unor.code: unit.weight for unit in units}
    for unit in reversed(units):  # children come after parents: accumulate bottom-up
        if unit.unor.parent_code is not None:
            subtree[unit.unor.parent_code] += subtree[unit.unor.code]
    candidates = sorted(
        (unit.depth, -subtree[unit.unor.code], index, unit.unor.code)
        for index, unit in enumerate(units)
        if unit.depth > 0 and unit.head_title is not None
    )
    for *_, code in candidates:
        if len(chosen) >= budget:
            break
        chosen.add(code)
    return chosen


def build_org(n_employees: int = 600, *, seed: int = 7, today: date | None = None) -> DemoOrg:
    """Build the demo organisation of Kota Tangerang Selatan.

    The OPDs and units are always the same (Sekretariat Daerah, 31 Dinas/Badan/RSUD and the
    seven kecamatan with their kelurahan, Puskesmas and schools: 39 OPDs); only the people
    depend on the arguments. Heads are filled top-down (about 12 % of the employees hold a
    head post; every OPD head always exists, and every school and puskesmas with staff has
    its own head, who rates them), and the remaining staff are spread over the units by
    weight, so education, health and the kecamatan are large and small badan are small;
    every OPD keeps a few staff, and Puskesmas Pamulang (the demo logins' unit) has a real
    puskesmas's team of 30-60. About 40 % of the employees are PPPK.

    Exactly ``n_employees`` employees are produced, except when ``n_employees`` is smaller
    than the mandatory core (the Sekda, every OPD head, the Kepala Puskesmas Pamulang and
    the two staff members behind the demo logins, about 30 people): then that core alone
    is produced, which exceeds ``n_employees``.

    Args:
        n_employees: Target number of employees.
        seed: Seed of the private random generator; the same arguments give the same org.
        today: Reference date for TMT CPNS and PPPK start dates (defaults to
            :data:`DEFAULT_TODAY`, not the real date, so output is stable).

    Returns:
        The organisation, with units ordered parent-first and employees supervisor-first.

    """
    reference = DEFAULT_TODAY if today is None else today
    opds, units = _structure()
    gen = _Generator(seed, reference)
    unit_by_code = {unit.unor.code: unit for unit in units}

    late = {unit.unor.code for unit in units if unit.unor.opd_code in _DRAWN_AFTER_PERSONAS}
    filled = _heads_to_fill(
        [unit for unit in units if unit.unor.code not in late], n_employees, forced=(PKM_PAMULANG,)
    )
    head_nip: dict[str, str] = {}
    sekda_nip: str | None = None

    def add_heads(codes: set[str]) -> None:
        nonlocal sekda_nip
        for unit in units:
            if unit.unor.code not in codes or unit.head_title is None or unit.head_kind is None:
                continue
            if unit.unor.parent_code is None:
                supervisor = sekda_nip
            else:
                supervisor = _nearest_head(unit.unor.parent_code, unit_by_code, head_nip, sekda_nip)
            head = gen.add_pns(
                kind=unit.head_kind,
                jabatan=unit.head_title,
                unit=unit.unor.code,
                supervisor=supervisor,
                titles=_HEAD_TITLES[unit.head_titles],
                female_share=0.35,
            )
            head_nip[unit.unor.code] = head.nip
            if sekda_nip is None:
                sekda_nip = head.nip

    add_heads(filled)
    anchors = (
        # the pegawai login: a fungsional nurse who vaccinates (Perawat Terampil, D3)
        (
            PKM_PAMULANG,
            _Job("Perawat Terampil", _K.FUNGSIONAL_TERAMPIL, 1, 0.7, (("", "A.Md.Kep."),)),
        ),
        (
            BKPSDM_KINERJA,
            _Job(
                "Analis Kepegawaian Ahli Pertama",
                _PERTAMA,
                1,
                0.6,
                (("", "S.Psi."), ("", "S.Sos.")),
            ),
        ),
    )
    staff_total = max(0, n_employees - len(gen.employees) - len(anchors))
    pppk_probability = min(
        _MAX_PPPK_PROBABILITY,
        _PPPK_SHARE * n_employees / max(1, staff_total + len(anchors)),
    )
    supervisor_cache: dict[str, str | None] = {}

    def supervisor_of(code: str) -> str | None:
        if code not in supervisor_cache:
            supervisor_cache[code] = _nearest_head(code, unit_by_code, head_nip, sekda_nip)
        return supervisor_cache[code]

    for code, job in anchors:
        gen.add_staff(job, code, supervisor_of(code), pppk=False)
    # A school is led by its Kepala Sekolah and a puskesmas by its Kepala Puskesmas, who rate
    # their staff: such a unit expecting staff has its head beyond the budget (drawn after the
    # anchors, so the demo logins keep their people).
    expected = _apportion(max(0, staff_total), _staff_weights(units, n_employees))
    add_heads(
        {unit.unor.code for unit in units if unit.depth == 0 and unit.unor.code in late}
        | {
            unit.unor.code
            for unit, count in zip(units, expected, strict=True)
            if unit.profile in _OWN_HEAD_PROFILES
            and count >= _OWN_HEAD_MIN_STAFF
            and unit.unor.code not in filled
        }
    )
    staff_total = max(0, n_employees - len(gen.employees))
    supervisor_cache.clear()

    counts = _apportion(staff_total, _staff_weights(units, n_employees))
    _give_every_opd_staff(units, counts, keep=PKM_PAMULANG)
    rng = gen.rng
    for unit, count in zip(units, counts, strict=True):
        if count == 0:
            continue
        jobs = _PROFILES[unit.profile]
        picks = rng.choices(jobs, cum_weights=_PROFILE_CUM_WEIGHTS[unit.profile], k=count)
        supervisor = supervisor_of(unit.unor.code)
        for job in picks:
            gen.add_staff(job, unit.unor.code, supervisor, pppk=rng.random() < pppk_probability)

    return DemoOrg(
        opds=opds,
        unors=tuple(unit.unor for unit in units),
        employees=tuple(gen.employees),
    )


def _nearest_head(
    code: str,
    units: dict[str, _Unit],
    head_nip: dict[str, str],
    sekda_nip: str | None,
) -> str | None:
    """NIP of the head of ``code`` or of its nearest ancestor with a head (else the Sekda)."""
    current: str | None = code
    while current is not None:
        nip = head_nip.get(current)
        if nip is not None:
            return nip
        current = units[current].unor.parent_code
    return sekda_nip


# --- demo logins -------------------------------------------------------------------------


def _pick_staff(
    org: DemoOrg,
    in_scope: set[str],
    preferred: Sequence[str],
) -> DemoEmployee:
    """First PNS non-head in the units ``in_scope``, preferring the jabatan names listed."""
    supervisors = {e.supervisor_nip for e in org.employees}
    pool = [
        employee
        for employee in org.employees
        if employee.unor_code in in_scope
        and employee.kind is EmployeeKind.PNS
        and employee.nip not in supervisors
    ]
    for fragment in preferred:
        for employee in pool:
            if fragment in employee.jabatan_name:
                return employee
    if not pool:
        raise ValueError("the organisation has no PNS staff member for this demo login")
    return pool[0]


def demo_logins(org: DemoOrg) -> tuple[DemoLogin, ...]:
    """One documented demo login per portal role (all use :data:`DEMO_PASSWORD`).

    Args:
        org: An organisation from :func:`build_org`.

    Returns:
        The ``pegawai``, ``atasan``, ``admin.opd``, ``admin.bkpsdm`` and ``sosialisasi``
        logins, in that order.

    Raises:
        ValueError: If ``org`` lacks the staff the logins need (Puskesmas Pamulang, BKPSDM);
            organisations from :func:`build_org` always have them.

    """
    unit_names = {unor.code: unor.name for unor in org.unors}
    opd_names = {opd.code: opd.name for opd in org.opds}
    by_nip = {employee.nip: employee for employee in org.employees}

    pegawai = _pick_staff(
        org, {PKM_PAMULANG}, ("Perawat Terampil", "Perawat", "Pengelola Imunisasi")
    )
    if pegawai.supervisor_nip is None:  # pragma: no cover - build_org always sets it
        raise ValueError("the pegawai demo employee has no supervisor")
    atasan = by_nip[pegawai.supervisor_nip]
    bkpsdm_units = {unor.code for unor in org.unors if unor.opd_code == BKPSDM}
    staff = _pick_staff(org, bkpsdm_units, ("Analis Kepegawaian",))

    def who(employee: DemoEmployee) -> str:
        return (
            f"{employee.name}, {employee.jabatan_name} "
            f"({unit_names.get(employee.unor_code, employee.unor_code)})"
        )

    return (
        DemoLogin(
            role="PEGAWAI",
            username="pegawai",
            employee_nip=pegawai.nip,
            opd_code=None,
            description=f"Staff member at Dinas Kesehatan: {who(pegawai)}.",
        ),
        DemoLogin(
            role="ATASAN",
            username="atasan",
            employee_nip=atasan.nip,
            opd_code=None,
            description=f"Supervisor (pejabat penilai) of the pegawai login: {who(atasan)}.",
        ),
        DemoLogin(
            role="ADMIN_OPD",
            username="admin.opd",
            employee_nip=None,
            opd_code=DINKES,
            description=(
                f"OPD administrator of {opd_names.get(DINKES, DINKES)}; not linked to an employee."
            ),
        ),
        DemoLogin(
            role="ADMIN_BKPSDM",
            username="admin.bkpsdm",
            employee_nip=None,
            opd_code=None,
            description=(
                "City-wide HR administrator at BKPSDM (all OPDs, periods and distribution "
                "curves); not linked to an employee."
            ),
        ),
        DemoLogin(
            role="PENGELOLA_SOSIALISASI",
            username="sosialisasi",
            employee_nip=staff.nip,
            opd_code=None,
            description=f"Manager of the socialization program at BKPSDM: {who(staff)}.",
        ),
    )
