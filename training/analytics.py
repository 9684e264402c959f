"""Bulk read-only facts of the training domain, as frames for analytics (the mentoring model).

The training module owns the assignment and course tables; other domains that need them in bulk
read them through these functions.

This module imports pandas: only batch paths (``portal ml``, scoring) import it, never the web
app at start-up (``tests/unit/test_import_weight.py``).
"""

from __future__ import annotations

from datetime import date
from typing import Final

import pandas as pd

from training.enums import AssignmentStatus
from training.tables import TrainingAssignment

COMPLETION_COLUMNS: Final = ("employee_id", "completed_on", "jp")


async def completed_courses(since: date | None = None) -> pd.DataFrame:
    """Completed courses with their JP, one row per completion (the 20 JP ledger's "completed").

    Args:
        since: First completion day to read; ``None`` reads every completion.

    Returns:
        Columns :data:`COMPLETION_COLUMNS`: the employee, the completion day and the course's JP.
    """
    query = TrainingAssignment.select(
        TrainingAssignment.employee.as_alias("employee_id"),
        TrainingAssignment.completed_on,
        TrainingAssignment.course.jp_hours.as_alias("jp"),
    ).where(
        (TrainingAssignment.status == AssignmentStatus.COMPLETED.value)
        & TrainingAssignment.completed_on.is_not_null()
    )
    if since is not None:
        query = query.where(TrainingAssignment.completed_on >= since)
    return pd.DataFrame(await query, columns=list(COMPLETION_COLUMNS))
