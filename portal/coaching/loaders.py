"""Per-request dataloaders of the coaching domain (no N+1 on lists of assignments)."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from portal.coaching import service
from portal.coaching.service import AssignmentRow, SessionRow
from portal.core.context import LoaderSet


class CoachingLoaders(LoaderSet):
    """One set per request; each batches keys within a tick into one query."""

    def __init__(self) -> None:
        self.assignment: DataLoader[int, AssignmentRow | None] = DataLoader(
            service.assignments_by_ids
        )
        self.sessions: DataLoader[int, list[SessionRow]] = DataLoader(
            service.sessions_by_assignment
        )
