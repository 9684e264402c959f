"""Who may do what with feedback threads and dialog kinerja.

Threads about an employee are read and written by the employee and their supervisor chain
(audience ``CONVERSATION`` of :mod:`portal.people.visibility`); admins of the employee's OPD
see their metadata only (``PRIVATE``). A dialog kinerja is recorded by someone up the chain.
"""

from __future__ import annotations

from portal.core.auth import Viewer
from portal.core.errors import PermissionDeniedError
from portal.people import visibility
from portal.people.rows import EmployeeRow


async def can_converse(viewer: Viewer, employee_id: int) -> bool:
    """The employee or someone in their supervisor chain: may read and write threads."""
    return await visibility.allows(viewer, visibility.CONVERSATION, employee_id)


async def can_see_metadata(viewer: Viewer, employee: EmployeeRow) -> bool:
    """Participants, and admins of the employee's OPD (metadata only): the private scope."""
    return await visibility.may_read(viewer, employee)


async def require_dialog_recorder(viewer: Viewer, employee_id: int) -> int:
    """A dialog kinerja is recorded by a supervisor of the employee (never the employee).

    Returns:
        The recorder's employee id.
    """
    if viewer.employee_id is None or viewer.employee_id == employee_id:
        raise PermissionDeniedError("Dialog kinerja dicatat oleh atasan")
    if not await can_converse(viewer, employee_id):
        raise PermissionDeniedError("Hanya atasan pegawai ini")
    return viewer.employee_id
