"""Vocabularies of the BKPSDM processes."""

from __future__ import annotations

from enum import auto

from portal.core.vocabulary import Vocabulary


class ObjectionStatus(Vocabulary):
    """Where a keberatan stands; UPHELD and CHANGED are final."""

    SUBMITTED = auto(), "Filed, waiting for the decision.", "Diajukan"
    UPHELD = auto(), "Decided: the predikat stays.", "Predikat dikuatkan"
    CHANGED = auto(), "Decided: the predikat was changed.", "Predikat diubah"


class ObjectionDecision(Vocabulary):
    """What the atasan pejabat penilai decides."""

    UPHOLD = auto(), "Keep the evaluation's predikat.", "Tetapkan predikat"
    CHANGE = auto(), "Change the ratings, and so the predikat.", "Ubah predikat"


class DocumentKind(Vocabulary):
    """The official documents the portal issues (PermenPANRB 6/2022)."""

    SKP = auto(), "The SKP with its Lampiran (RHK, indicators, perilaku).", "Dokumen SKP"
    EVALUATION = auto(), "The Dokumen Evaluasi Kinerja of a period.", "Dokumen Evaluasi Kinerja"

    @property
    def document_title(self) -> str:
        """The document's official title (its label names it in lists)."""
        return (
            "Sasaran Kinerja Pegawai"
            if self is DocumentKind.SKP
            else "Dokumen Evaluasi Kinerja Pegawai"
        )
