"""Domain vocabularies of the people domain (DESIGN.md §3).

Plain :mod:`enum` classes so services, the CLI and the importer can use them without
importing strawberry; ``types.py`` exposes them in the GraphQL schema.
"""

from __future__ import annotations

import enum
from enum import auto

from portal.core.vocabulary import Vocabulary


class EmployeeKind(Vocabulary):
    """ASN kind: PNS (civil servant) or PPPK (contract government employee)."""

    PNS = auto(), "Civil servant.", "PNS"
    PPPK = auto(), "Government employee on contract.", "PPPK"


class Gender(Vocabulary):
    """Gender as encoded in digit 15 of a PNS NIP (1 male, 2 female)."""

    LAKI_LAKI = auto(), "Male.", "Laki-laki"
    PEREMPUAN = auto(), "Female.", "Perempuan"


class Golongan(enum.StrEnum):
    """Civil-service rank group (golongan/ruang), I/a to IV/e."""

    I_A = "I/a"
    I_B = "I/b"
    I_C = "I/c"
    I_D = "I/d"
    II_A = "II/a"
    II_B = "II/b"
    II_C = "II/c"
    II_D = "II/d"
    III_A = "III/a"
    III_B = "III/b"
    III_C = "III/c"
    III_D = "III/d"
    IV_A = "IV/a"
    IV_B = "IV/b"
    IV_C = "IV/c"
    IV_D = "IV/d"
    IV_E = "IV/e"

    @property
    def pangkat(self) -> str:
        """The pangkat (rank title) that goes with this golongan."""
        return PANGKAT[self]

    @property
    def group(self) -> str:
        """The roman group ("I" to "IV"), used for subgroup metrics."""
        return self.value.split("/")[0]


PANGKAT: dict[Golongan, str] = {
    Golongan.I_A: "Juru Muda",
    Golongan.I_B: "Juru Muda Tingkat I",
    Golongan.I_C: "Juru",
    Golongan.I_D: "Juru Tingkat I",
    Golongan.II_A: "Pengatur Muda",
    Golongan.II_B: "Pengatur Muda Tingkat I",
    Golongan.II_C: "Pengatur",
    Golongan.II_D: "Pengatur Tingkat I",
    Golongan.III_A: "Penata Muda",
    Golongan.III_B: "Penata Muda Tingkat I",
    Golongan.III_C: "Penata",
    Golongan.III_D: "Penata Tingkat I",
    Golongan.IV_A: "Pembina",
    Golongan.IV_B: "Pembina Tingkat I",
    Golongan.IV_C: "Pembina Utama Muda",
    Golongan.IV_D: "Pembina Utama Madya",
    Golongan.IV_E: "Pembina Utama",
}


class JabatanKind(Vocabulary):
    """Position kind (jenis jabatan), including the level for JPT and Fungsional."""

    JPT_UTAMA = auto(), "Senior executive, highest level.", "JPT Utama"
    JPT_MADYA = auto(), "Senior executive, middle level.", "JPT Madya"
    JPT_PRATAMA = auto(), "Senior executive, first level (head of an OPD).", "JPT Pratama"
    ADMINISTRATOR = auto(), "Administrator (head of a division).", "Administrator"
    PENGAWAS = auto(), "Supervisor (head of a section).", "Pengawas"
    PELAKSANA = auto(), "Executor (staff).", "Pelaksana"
    FUNGSIONAL_AHLI_UTAMA = auto(), "Functional, expert, principal level.", "Fungsional Ahli Utama"
    FUNGSIONAL_AHLI_MADYA = auto(), "Functional, expert, middle level.", "Fungsional Ahli Madya"
    FUNGSIONAL_AHLI_MUDA = auto(), "Functional, expert, junior level.", "Fungsional Ahli Muda"
    FUNGSIONAL_AHLI_PERTAMA = auto(), "Functional, expert, first level.", "Fungsional Ahli Pertama"
    FUNGSIONAL_PENYELIA = auto(), "Functional, skilled, supervising level.", "Fungsional Penyelia"
    FUNGSIONAL_MAHIR = auto(), "Functional, skilled, proficient level.", "Fungsional Mahir"
    FUNGSIONAL_TERAMPIL = auto(), "Functional, skilled level.", "Fungsional Terampil"
    FUNGSIONAL_PEMULA = auto(), "Functional, beginner level.", "Fungsional Pemula"

    @property
    def is_jpt(self) -> bool:
        """True for Jabatan Pimpinan Tinggi (their RHK carry perspectives, no cascading)."""
        return self.name.startswith("JPT_")


class ActingKind(Vocabulary):
    """An acting official: Plt (pelaksana tugas) or Plh (pelaksana harian).

    Plt fills a vacant post or a long absence, Plh a short absence.
    """

    PLT = auto(), "Pelaksana Tugas: acting in a vacant post.", "Plt (Pelaksana Tugas)"
    PLH = auto(), "Pelaksana Harian: acting while the official is away.", "Plh (Pelaksana Harian)"
