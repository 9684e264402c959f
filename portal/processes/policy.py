"""Who may change what in the BKPSDM processes.

Reading follows :mod:`portal.people.visibility` (the employee's :data:`PRIVATE` audience); the
decider of an objection reads it too, being the one who must decide it.
"""

from __future__ import annotations

from portal.core.auth import Viewer
from portal.core.errors import PermissionDeniedError


def require_decider(viewer: Viewer, decider_id: int | None) -> None:
    """Only the atasan of the pejabat penilai decides a keberatan.

    A rater without a superior in the portal (the Sekda, rated by the regional head) has their
    objections decided by ADMIN_BKPSDM on the regional head's behalf.
    """
    if decider_id is None:
        if viewer.is_bkpsdm:
            return
        raise PermissionDeniedError("Keberatan ini diputuskan oleh admin BKPSDM")
    if viewer.employee_id != decider_id:
        raise PermissionDeniedError("Hanya atasan pejabat penilai yang dapat memutus keberatan")


def is_decider(viewer: Viewer, decider_id: int | None) -> bool:
    """Whether the viewer decides an objection with this decider."""
    if decider_id is None:
        return viewer.is_bkpsdm
    return viewer.employee_id == decider_id
