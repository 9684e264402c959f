"""Vocabularies of the feedback domain (registered as GraphQL enums in ``types.py``)."""

from __future__ import annotations

from enum import auto

from portal.core.vocabulary import Vocabulary


class ThreadKind(Vocabulary):
    """Thread kinds."""

    APPRECIATION = auto(), "Appreciation.", "Apresiasi"
    IMPROVEMENT = auto(), "Something to improve.", "Perbaikan"
    QUESTION = auto(), "A question.", "Pertanyaan"
    DIALOG_KINERJA = auto(), "A performance dialogue.", "Dialog kinerja"


class ThreadStatus(Vocabulary):
    """Thread status."""

    OPEN = auto(), "Open.", "Terbuka"
    RESOLVED = auto(), "Resolved; can be reopened.", "Selesai"
