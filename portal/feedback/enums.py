"""Vocabularies of the feedback domain (registered as GraphQL enums in ``types.py``)."""

from __future__ import annotations

import enum


class ThreadKind(enum.StrEnum):
    """Thread kinds."""

    APPRECIATION = "APPRECIATION"
    IMPROVEMENT = "IMPROVEMENT"
    QUESTION = "QUESTION"
    DIALOG_KINERJA = "DIALOG_KINERJA"


class ThreadStatus(enum.StrEnum):
    """Thread status."""

    OPEN = "OPEN"
    RESOLVED = "RESOLVED"
