"""Who may do what in the socialization program: decided here, and only here.

* Program managers (PENGELOLA_SOSIALISASI) and ADMIN_BKPSDM run programs, sessions, invitations,
  attendance and surveys, and see every metric and every attendance list.
* ADMIN_OPD sees the programs and metrics of their OPD(s), and the invitations and attendance
  of their OPD's employees (audience ``RECORDS`` of :mod:`portal.people.visibility`).
* Every employee sees their own invitations and attendance, the programs and sessions they are
  invited to, answers open surveys once, and gives feedback on sessions they attended.
* Individual survey answers are readable by no one (see ``surveys.py``).
"""

from __future__ import annotations

from portal.core.auth import Role, Viewer
from portal.core.errors import PermissionDeniedError


def is_manager(viewer: Viewer) -> bool:
    """Program manager or city-wide administrator."""
    return viewer.has_role(Role.PENGELOLA_SOSIALISASI) or viewer.is_bkpsdm


def require_manager(viewer: Viewer) -> None:
    """Only program managers and BKPSDM administrators may run the program."""
    if not is_manager(viewer):
        raise PermissionDeniedError(
            "Hanya pengelola sosialisasi atau admin BKPSDM yang dapat melakukan ini"
        )


def metric_opds(viewer: Viewer) -> frozenset[int] | None:
    """OPDs whose metrics the viewer may read; None means every OPD.

    Raises:
        PermissionDeniedError: for viewers who are neither managers nor OPD administrators.
    """
    if is_manager(viewer):
        return None
    if viewer.admin_opd_ids:
        return viewer.admin_opd_ids
    raise PermissionDeniedError("Hanya pengelola sosialisasi dan admin yang dapat melihat metrik")


def require_metric_opd(viewer: Viewer, opd_id: int) -> None:
    """The viewer may read this OPD's metrics."""
    allowed = metric_opds(viewer)
    if allowed is not None and opd_id not in allowed:
        raise PermissionDeniedError("Anda hanya dapat melihat metrik OPD Anda")
