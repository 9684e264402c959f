"""Vocabularies of the BKPSDM processes."""

from __future__ import annotations

import enum


class ObjectionStatus(enum.StrEnum):
    """Where a keberatan stands; UPHELD and CHANGED are final."""

    SUBMITTED = "SUBMITTED"
    UPHELD = "UPHELD"
    CHANGED = "CHANGED"

    @property
    def label(self) -> str:
        """Indonesian display label."""
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    ObjectionStatus.SUBMITTED: "Diajukan",
    ObjectionStatus.UPHELD: "Predikat dikuatkan",
    ObjectionStatus.CHANGED: "Predikat diubah",
}


class ObjectionDecision(enum.StrEnum):
    """What the atasan pejabat penilai decides."""

    UPHOLD = "UPHOLD"
    CHANGE = "CHANGE"


class DocumentKind(enum.StrEnum):
    """The official documents the portal issues (PermenPANRB 6/2022)."""

    SKP = "SKP"
    EVALUATION = "EVALUATION"

    @property
    def label(self) -> str:
        """Indonesian title."""
        return (
            "Sasaran Kinerja Pegawai"
            if self is DocumentKind.SKP
            else ("Dokumen Evaluasi Kinerja Pegawai")
        )
