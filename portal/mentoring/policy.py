"""Who may see and act on mentoring alerts (DESIGN.md §6: private, supportive, never a label).

Scores and alerts are for the employee's supervisor chain and BKPSDM (audience ``SCORES`` of
:mod:`portal.people.visibility`); the employee sees the offer and its reasons (never a score)
until it is dismissed; only the supervisor chain responds.
"""

from __future__ import annotations

from portal.core.auth import Viewer
from portal.core.errors import PermissionDeniedError
from portal.mentoring.enums import AlertStatus
from portal.people import visibility


async def can_see_scores(viewer: Viewer, employee_id: int) -> bool:
    """The employee's supervisor chain and BKPSDM (not ADMIN_OPD, not the employee)."""
    return await visibility.allows(viewer, visibility.SCORES, employee_id)


async def can_see_alert(viewer: Viewer, employee_id: int, status: str) -> bool:
    """The alert's audience, plus the employee while the offer stands (not once dismissed)."""
    if viewer.employee_id == employee_id and status != AlertStatus.DISMISSED:
        return True
    return await can_see_scores(viewer, employee_id)


async def require_responder(viewer: Viewer, employee_id: int) -> None:
    """Only the supervisor chain responds to an alert (BKPSDM watches, the employee is told)."""
    if not await can_see_scores(viewer, employee_id) or viewer.employee_id is None:
        raise PermissionDeniedError("Hanya atasan pegawai yang menanggapi peringatan ini")
