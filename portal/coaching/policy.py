"""Who may do what with coaching, mentoring and counselling assignments.

The supervisor chain and admins of the employee's OPD assign and cancel (audience ``OVERSIGHT``
of :mod:`portal.people.visibility`); the coach runs the sessions; the employee, the coach and
those who manage the employee read the assignment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.core.auth import Viewer
from portal.people import visibility
from portal.people.services import directory as people

if TYPE_CHECKING:
    from portal.coaching.service import AssignmentRow


async def can_manage(viewer: Viewer, employee_id: int) -> bool:
    """Supervisor chain of the employee, or an admin of their OPD."""
    return await visibility.may_manage(viewer, await people.get_employee(employee_id))


async def can_read(viewer: Viewer, row: AssignmentRow) -> bool:
    """The coach, and whoever may read the employee's private data (people.visibility)."""
    return viewer.employee_id == row.coach_id or await visibility.reaches(
        viewer, visibility.PRIVATE, row.employee_id
    )
