"""What other domains may read of the mentoring domain (never a score or a band)."""

from __future__ import annotations

from collections.abc import Sequence

from portal.core.db import id_in
from portal.mentoring.enums import AlertStatus
from portal.mentoring.tables import MentoringAlert

OPEN_STATUSES: tuple[str, ...] = (AlertStatus.OPEN.value, AlertStatus.ACKNOWLEDGED.value)
"""An alert still waiting for the supervisor's action."""


async def open_alert_employee_ids(employee_ids: Sequence[int]) -> list[int]:
    """Which of ``employee_ids`` have an open (or acknowledged) alert; no scoping.

    The training module's recommendations read this signal (``training.services.signals``) to point
    to coaching and mentoring courses; it is never shown as a score or a band.
    """
    rows = await MentoringAlert.select(MentoringAlert.employee.as_alias("employee_id")).where(
        id_in(MentoringAlert.employee, employee_ids)
        & MentoringAlert.status.is_in(list(OPEN_STATUSES))
    )
    return [r["employee_id"] for r in rows]
