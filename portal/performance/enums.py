"""Vocabularies of the performance cycle (DESIGN.md §3, PermenPANRB 6/2022, SE MenPANRB 3/2023)."""

from __future__ import annotations

import enum


class PeriodKind(enum.StrEnum):
    """An annual period or one of its evaluation periods."""

    ANNUAL = "ANNUAL"
    QUARTERLY = "QUARTERLY"
    MONTHLY = "MONTHLY"


class PeriodStatus(enum.StrEnum):
    """OPEN (planning and logging), EVALUATION (rating under way), CLOSED (read-only)."""

    OPEN = "OPEN"
    EVALUATION = "EVALUATION"
    CLOSED = "CLOSED"


class SkpStatus(enum.StrEnum):
    """SKP workflow: DRAFT -> SUBMITTED -> APPROVED, or RETURNED (with a note) -> resubmitted."""

    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    APPROVED = "APPROVED"
    RETURNED = "RETURNED"


class RhkKind(enum.StrEnum):
    """Rencana Hasil Kerja kind."""

    UTAMA = "UTAMA"
    TAMBAHAN = "TAMBAHAN"


class Aspect(enum.StrEnum):
    """Aspect an indicator (IKI) measures."""

    KUANTITAS = "KUANTITAS"
    KUALITAS = "KUALITAS"
    WAKTU = "WAKTU"
    BIAYA = "BIAYA"


class Perspective(enum.StrEnum):
    """Balanced-scorecard perspective of a JPT's RHK."""

    PENERIMA_LAYANAN = "PENERIMA_LAYANAN"
    PROSES_BISNIS = "PROSES_BISNIS"
    PENGUATAN_INTERNAL = "PENGUATAN_INTERNAL"
    ANGGARAN = "ANGGARAN"


class BerAkhlak(enum.StrEnum):
    """The seven BerAKHLAK core values of the ASN (the behaviour dimensions)."""

    BERORIENTASI_PELAYANAN = "BERORIENTASI_PELAYANAN"
    AKUNTABEL = "AKUNTABEL"
    KOMPETEN = "KOMPETEN"
    HARMONIS = "HARMONIS"
    LOYAL = "LOYAL"
    ADAPTIF = "ADAPTIF"
    KOLABORATIF = "KOLABORATIF"

    @property
    def label(self) -> str:
        """Indonesian label, e.g. "Berorientasi Pelayanan"."""
        return self.value.replace("_", " ").title()


class Rating(enum.StrEnum):
    """Rating Hasil Kerja and Rating Perilaku Kerja."""

    DI_ATAS_EKSPEKTASI = "DI_ATAS_EKSPEKTASI"
    SESUAI_EKSPEKTASI = "SESUAI_EKSPEKTASI"
    DI_BAWAH_EKSPEKTASI = "DI_BAWAH_EKSPEKTASI"


class Predikat(enum.StrEnum):
    """Predikat kinerja pegawai."""

    SANGAT_BAIK = "SANGAT_BAIK"
    BAIK = "BAIK"
    BUTUH_PERBAIKAN = "BUTUH_PERBAIKAN"
    KURANG_MISCONDUCT = "KURANG_MISCONDUCT"
    SANGAT_KURANG = "SANGAT_KURANG"

    @property
    def label(self) -> str:
        """Indonesian label, e.g. "Butuh Perbaikan" or "Kurang/Misconduct"."""
        return PREDIKAT_LABELS[self]


PREDIKAT_LABELS = {
    Predikat.SANGAT_BAIK: "Sangat Baik",
    Predikat.BAIK: "Baik",
    Predikat.BUTUH_PERBAIKAN: "Butuh Perbaikan",
    Predikat.KURANG_MISCONDUCT: "Kurang/Misconduct",
    Predikat.SANGAT_KURANG: "Sangat Kurang",
}


class OrgPredikat(enum.StrEnum):
    """Organisational predikat of an OPD for a period (SE MenPANRB 3/2023)."""

    ISTIMEWA = "ISTIMEWA"
    BAIK = "BAIK"
    BUTUH_PERBAIKAN = "BUTUH_PERBAIKAN"
    KURANG = "KURANG"
    SANGAT_KURANG = "SANGAT_KURANG"


class EvaluationStatus(enum.StrEnum):
    """DRAFT while the rater works, FINAL once finalised."""

    DRAFT = "DRAFT"
    FINAL = "FINAL"


class ActivityStatus(enum.StrEnum):
    """Daily activity verification state."""

    SUBMITTED = "SUBMITTED"
    VERIFIED = "VERIFIED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"  # withdrawn by the employee before verification; counts nowhere
