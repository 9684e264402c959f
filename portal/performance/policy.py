"""Who may change what in the performance domain (the workflow roles).

Who may READ an employee's performance data is the people domain's private scope
(:mod:`portal.people.visibility`, audience ``PRIVATE``), composed by every query. Changing it
follows the workflow roles: the employee edits their own drafts and logs their own work; the
rater (pejabat penilai, captured on the SKP) approves, verifies and evaluates; admins manage
periods, curves and incentive tables.
"""

from __future__ import annotations

from portal.core.auth import Role, Viewer
from portal.core.errors import PermissionDeniedError
from portal.people import visibility
from portal.performance.rows import SkpRow


def require_self(viewer: Viewer, employee_id: int) -> None:
    """Only the employee themself may do this (own SKP drafts, own activities)."""
    if viewer.employee_id != employee_id:
        raise PermissionDeniedError("Hanya pegawai yang bersangkutan yang dapat melakukan ini")


def require_rater(viewer: Viewer, rater_id: int | None) -> None:
    """Only the rater (pejabat penilai) may do this.

    The top of the city's hierarchy (the Sekda) is rated by the regional head, who has no
    account; for an SKP without a rater, ADMIN_BKPSDM acts on the regional head's behalf.
    """
    if rater_id is None:
        if viewer.is_bkpsdm:
            return
        raise PermissionDeniedError("SKP tanpa pejabat penilai disetujui oleh admin BKPSDM")
    if viewer.employee_id != rater_id:
        raise PermissionDeniedError("Hanya pejabat penilai yang dapat melakukan ini")


async def rater_acting(viewer: Viewer, rater_id: int | None) -> int | None:
    """Require the rater, or a Plt/Plh acting for the rater today; who is acting.

    Returns:
        None when the viewer is the rater (or BKPSDM for an SKP without one); the viewer's
        employee id when they act (Plt/Plh) in the rater's place, so both names are recorded.
    """
    if (
        rater_id is not None
        and viewer.employee_id is not None
        and viewer.employee_id != rater_id
        and await visibility.acts_for(viewer, rater_id)
    ):
        return viewer.employee_id
    require_rater(viewer, rater_id)
    return None


def is_closed_skp_rater(viewer: Viewer, skp: SkpRow) -> bool:
    """Whether the viewer is the captured rater of an SKP a mutasi closed (issue 20).

    The old rater evaluates the months served under them though the employee has left their
    supervisor chain; the SKP, its evaluations and nothing else of the employee.
    """
    return (
        skp.served_until is not None
        and skp.rater_id is not None
        and viewer.employee_id == skp.rater_id
    )


def require_bkpsdm(viewer: Viewer) -> None:
    """City-wide administration (periods, curves, incentive table)."""
    if not viewer.is_bkpsdm:
        raise PermissionDeniedError("Hanya admin BKPSDM yang dapat melakukan ini")


def require_admin_of(viewer: Viewer, opd_id: int) -> None:
    """An admin with authority over the OPD (ADMIN_OPD of it, or BKPSDM)."""
    if not viewer.administers_opd(opd_id):
        raise PermissionDeniedError("Anda bukan admin OPD ini")


def is_supervisor_role(viewer: Viewer) -> bool:
    """Whether the viewer supervises anyone."""
    return Role.ATASAN in viewer.roles
