"""Per-request dataloaders of the training module (no N+1 on lists of courses or assignments)."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from portal.core.context import LoaderSet
from training.rows import (
    AssignmentRow,
    CompetencyRow,
    CourseRatingRow,
    CourseRow,
    CourseSessionRow,
    RatingSummary,
)
from training.services import assignments, catalogue


class TrainingLoaders(LoaderSet):
    """One set per request; each batches keys within a tick into one query."""

    def __init__(self) -> None:
        self.course: DataLoader[int, CourseRow | None] = DataLoader(catalogue.courses_by_ids)
        self.competency: DataLoader[int, CompetencyRow | None] = DataLoader(
            catalogue.competencies_by_ids
        )
        self.competencies_by_course: DataLoader[int, list[CompetencyRow]] = DataLoader(
            catalogue.competencies_by_course
        )
        self.sessions_by_course: DataLoader[int, list[CourseSessionRow]] = DataLoader(
            catalogue.sessions_by_course
        )
        self.seats_taken: DataLoader[int, int] = DataLoader(catalogue.seats_taken)
        self.rating_summary: DataLoader[int, RatingSummary] = DataLoader(catalogue.rating_summaries)
        self.assignment: DataLoader[int, AssignmentRow | None] = DataLoader(
            assignments.assignments_by_ids
        )
        self.rating_by_assignment: DataLoader[int, CourseRatingRow | None] = DataLoader(
            assignments.ratings_by_assignment
        )
