"""Vocabularies of the performance cycle (DESIGN.md §3, PermenPANRB 6/2022, SE MenPANRB 3/2023)."""

from __future__ import annotations

from enum import auto

from portal.core.vocabulary import Vocabulary


class PeriodKind(Vocabulary):
    """An annual period or one of its evaluation periods."""

    ANNUAL = auto(), "The year an SKP is planned for.", "Tahunan"
    QUARTERLY = auto(), "A quarter: an evaluation period.", "Triwulanan"
    MONTHLY = auto(), "A month: an evaluation period.", "Bulanan"


class PeriodStatus(Vocabulary):
    """OPEN (planning and logging), EVALUATION (rating under way), CLOSED (read-only)."""

    OPEN = auto(), "Planning and logging are open.", "Terbuka"
    EVALUATION = auto(), "Being evaluated.", "Masa penilaian"
    CLOSED = auto(), "Closed.", "Ditutup"


class SkpStatus(Vocabulary):
    """SKP workflow: DRAFT -> SUBMITTED -> APPROVED, or RETURNED (with a note) -> resubmitted."""

    DRAFT = auto(), "Being written by the employee.", "Draf"
    SUBMITTED = auto(), "Submitted to the supervisor.", "Diajukan"
    APPROVED = auto(), "Approved by the supervisor.", "Disetujui"
    RETURNED = auto(), "Returned to the employee for changes.", "Dikembalikan"


class RhkKind(Vocabulary):
    """Rencana Hasil Kerja kind."""

    UTAMA = auto(), "Main planned result.", "Utama"
    TAMBAHAN = auto(), "Additional planned result.", "Tambahan"


class Aspect(Vocabulary):
    """Aspect an indicator (IKI) measures."""

    KUANTITAS = auto(), "Quantity of output.", "Kuantitas"
    KUALITAS = auto(), "Quality of output.", "Kualitas"
    WAKTU = auto(), "Timeliness.", "Waktu"
    BIAYA = auto(), "Cost.", "Biaya"


class Perspective(Vocabulary):
    """Balanced-scorecard perspective of a JPT's RHK."""

    PENERIMA_LAYANAN = auto(), "Service recipients.", "Penerima layanan"
    PROSES_BISNIS = auto(), "Business processes.", "Proses bisnis"
    PENGUATAN_INTERNAL = auto(), "Internal strengthening.", "Penguatan internal"
    ANGGARAN = auto(), "Budget.", "Anggaran"


class BerAkhlak(Vocabulary):
    """The seven BerAKHLAK core values of the ASN (the behaviour dimensions)."""

    BERORIENTASI_PELAYANAN = auto(), "Service-oriented.", "Berorientasi Pelayanan"
    AKUNTABEL = auto(), "Accountable.", "Akuntabel"
    KOMPETEN = auto(), "Competent.", "Kompeten"
    HARMONIS = auto(), "Harmonious.", "Harmonis"
    LOYAL = auto(), "Loyal.", "Loyal"
    ADAPTIF = auto(), "Adaptive.", "Adaptif"
    KOLABORATIF = auto(), "Collaborative.", "Kolaboratif"


class Rating(Vocabulary):
    """Rating Hasil Kerja and Rating Perilaku Kerja."""

    DI_ATAS_EKSPEKTASI = auto(), "Above expectations.", "Di atas ekspektasi"
    SESUAI_EKSPEKTASI = auto(), "As expected.", "Sesuai ekspektasi"
    DI_BAWAH_EKSPEKTASI = auto(), "Below expectations.", "Di bawah ekspektasi"


class Predikat(Vocabulary):
    """Predikat kinerja pegawai (labels as PermenPANRB 6/2022 writes them)."""

    SANGAT_BAIK = auto(), "Very good.", "Sangat Baik"
    BAIK = auto(), "Good.", "Baik"
    BUTUH_PERBAIKAN = auto(), "Needs improvement.", "Butuh Perbaikan"
    KURANG_MISCONDUCT = auto(), "Poor, or misconduct.", "Kurang/Misconduct"
    SANGAT_KURANG = auto(), "Very poor.", "Sangat Kurang"


class OrgPredikat(Vocabulary):
    """Organisational predikat of an OPD for a period (SE MenPANRB 3/2023)."""

    ISTIMEWA = auto(), "Outstanding organisation.", "Istimewa"
    BAIK = auto(), "Good organisation.", "Baik"
    BUTUH_PERBAIKAN = auto(), "Needs improvement.", "Butuh Perbaikan"
    KURANG = auto(), "Poor.", "Kurang"
    SANGAT_KURANG = auto(), "Very poor.", "Sangat Kurang"


class EvaluationStatus(Vocabulary):
    """DRAFT while the rater works, FINAL once finalised."""

    DRAFT = auto(), "The rater is still working on it.", "Draf"
    FINAL = auto(), "Finalised.", "Final"


class ActivityStatus(Vocabulary):
    """Daily activity verification state."""

    SUBMITTED = auto(), "Logged, waiting for the supervisor's verification.", "Menunggu verifikasi"
    VERIFIED = auto(), "Verified by the supervisor; counts towards realisation.", "Terverifikasi"
    REJECTED = auto(), "Rejected by the supervisor (with a note).", "Ditolak"
    # a withdrawn activity counts nowhere
    WITHDRAWN = auto(), "Withdrawn by the employee before verification.", "Ditarik"
