"""Competency profiles: what a jabatan needs, and which competencies an indicator calls for.

A recommendation is grounded when the course develops a competency the employee's work needs
(PermenPANRB 38/2017: every jabatan has manajerial and sosial-kultural competencies, and the
teknis ones of its field). This module holds that mapping as plain rules, pure and testable:

* :func:`jabatan_profile` -- the competency codes of a jabatan: the core every ASN develops
  (:data:`CORE`), leadership for structural posts (:data:`LEADERSHIP`), and the teknis
  competencies of the field its name names (:data:`TEKNIS_BY_KEYWORD`, e.g. "Perawat" ->
  immunisation and patient safety).
* :func:`indicator_competencies` -- the competencies whose themes the indicator's own text
  mentions ("Dosis vaksin diberikan" -> ``TEK-IMUN``); the RHK around it is not read, since a
  broad word there ("pelayanan imunisasi") would tie every service course to the gap.

Codes are the catalogue's competency codes (``training/demo.py`` seeds them); a catalogue
without these codes simply grounds fewer courses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from portal.people.enums import JabatanKind

CORE: Final = frozenset(
    {
        "MAN-KINERJA",
        "MAN-KEMBANG",
        "MAN-KOMUNIKASI",
        "MAN-LAYANAN",
        "MAN-UBAH",
        "MAN-PUTUSAN",
        "SK-PEREKAT",
        "SK-INTEGRITAS",
        "SK-KERJASAMA",
        "SK-DIGITAL",
    }
)
"""Manajerial and sosial-kultural competencies every ASN develops, whatever the jabatan."""

LEADERSHIP: Final = frozenset({"MAN-PIMPIN", "TEK-KEBIJAKAN"})
"""What structural posts (JPT, Administrator, Pengawas) add."""

STRUCTURAL: Final = frozenset(
    {
        JabatanKind.JPT_UTAMA,
        JabatanKind.JPT_MADYA,
        JabatanKind.JPT_PRATAMA,
        JabatanKind.ADMINISTRATOR,
        JabatanKind.PENGAWAS,
    }
)

# A keyword of the jabatan name (lower case, matched as a word start) -> teknis competencies.
TEKNIS_BY_KEYWORD: Final[Mapping[str, frozenset[str]]] = {
    "perawat": frozenset({"TEK-IMUN", "TEK-PASIEN"}),
    "bidan": frozenset({"TEK-IMUN", "TEK-PASIEN"}),
    "imunisasi": frozenset({"TEK-IMUN"}),
    "vaksin": frozenset({"TEK-IMUN"}),
    "dokter": frozenset({"TEK-IMUN", "TEK-PASIEN"}),
    "puskesmas": frozenset({"TEK-IMUN", "TEK-PASIEN"}),
    "epidemiolog": frozenset({"TEK-IMUN", "TEK-DATA"}),
    "penyuluh kesehatan": frozenset({"TEK-IMUN"}),
    "apoteker": frozenset({"TEK-PASIEN"}),
    "kefarmasian": frozenset({"TEK-PASIEN"}),
    "perekam medis": frozenset({"TEK-PASIEN", "TEK-ARSIP"}),
    "radiografer": frozenset({"TEK-PASIEN"}),
    "laboratorium kesehatan": frozenset({"TEK-PASIEN"}),
    "nutrisionis": frozenset({"TEK-PASIEN"}),
    "guru": frozenset({"TEK-DIDIK"}),
    "kepala sekolah": frozenset({"TEK-DIDIK"}),
    "pengawas sekolah": frozenset({"TEK-DIDIK"}),
    "penilik": frozenset({"TEK-DIDIK"}),
    "perizinan": frozenset({"TEK-IZIN", "TEK-ARSIP"}),
    "penata perizinan": frozenset({"TEK-IZIN"}),
    "kependudukan": frozenset({"TEK-ADMINDUK", "TEK-DATA"}),
    "adminduk": frozenset({"TEK-ADMINDUK"}),
    "pelayanan administrasi terpadu": frozenset({"TEK-ADMINDUK", "TEK-IZIN"}),
    "camat": frozenset({"TEK-ADMINDUK", "TEK-TRANTIB"}),
    "lurah": frozenset({"TEK-ADMINDUK", "TEK-TRANTIB"}),
    "polisi pamong praja": frozenset({"TEK-TRANTIB"}),
    "ketenteraman": frozenset({"TEK-TRANTIB"}),
    "ketertiban": frozenset({"TEK-TRANTIB"}),
    "satpol": frozenset({"TEK-TRANTIB"}),
    "pajak": frozenset({"TEK-PAJAK", "TEK-KEUDA"}),
    "retribusi": frozenset({"TEK-PAJAK"}),
    "pendapatan": frozenset({"TEK-PAJAK", "TEK-KEUDA"}),
    "keuangan": frozenset({"TEK-KEUDA"}),
    "bendahara": frozenset({"TEK-KEUDA"}),
    "anggaran": frozenset({"TEK-KEUDA"}),
    "aset": frozenset({"TEK-KEUDA"}),
    "kas": frozenset({"TEK-KEUDA"}),
    "arsip": frozenset({"TEK-ARSIP"}),
    "administrasi": frozenset({"TEK-ARSIP"}),
    "pengadministrasi": frozenset({"TEK-ARSIP"}),
    "umum": frozenset({"TEK-ARSIP"}),
    "sekretar": frozenset({"TEK-ARSIP"}),
    "kepegawaian": frozenset({"TEK-ARSIP", "TEK-DATA"}),
    "data": frozenset({"TEK-DATA"}),
    "statistisi": frozenset({"TEK-DATA"}),
    "pranata komputer": frozenset({"TEK-DATA"}),
    "informasi": frozenset({"TEK-DATA"}),
    "perencana": frozenset({"TEK-KEBIJAKAN", "TEK-DATA"}),
    "analis kebijakan": frozenset({"TEK-KEBIJAKAN"}),
    "peneliti": frozenset({"TEK-KEBIJAKAN", "TEK-DATA"}),
    "inspektur": frozenset({"TEK-KEUDA", "TEK-KEBIJAKAN"}),
    "auditor": frozenset({"TEK-KEUDA"}),
    "pengawas penyelenggaraan": frozenset({"TEK-KEBIJAKAN"}),
}


def _mentions(text: str, keyword: str) -> bool:
    """``keyword`` at a word start of ``text`` (both lower case)."""
    start = text.find(keyword)
    while start != -1:
        if start == 0 or not text[start - 1].isalnum():
            return True
        start = text.find(keyword, start + 1)
    return False


def teknis_of(jabatan_name: str) -> frozenset[str]:
    """The teknis competencies the jabatan name calls for (empty when it names no field)."""
    name = jabatan_name.casefold()
    found: set[str] = set()
    for keyword, codes in TEKNIS_BY_KEYWORD.items():
        if _mentions(name, keyword):
            found |= codes
    return frozenset(found)


def jabatan_profile(jabatan_name: str, jabatan_kind: str | None = None) -> frozenset[str]:
    """Every competency code the jabatan needs: the core, leadership, its teknis field."""
    profile = set(CORE) | teknis_of(jabatan_name)
    if jabatan_kind is not None and jabatan_kind in {k.value for k in STRUCTURAL}:
        profile |= LEADERSHIP
    return frozenset(profile)


def indicator_competencies(
    text: str, themes_by_competency: Mapping[str, Iterable[str]]
) -> frozenset[str]:
    """Competencies one of whose themes the indicator's own text mentions."""
    lowered = text.casefold()
    return frozenset(
        code
        for code, themes in themes_by_competency.items()
        if any(t.strip() and _mentions(lowered, t.strip().casefold()) for t in themes)
    )
