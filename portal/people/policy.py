"""Who may change the people domain's data (who may READ it is :mod:`portal.people.visibility`).

Employees come in through the SIMPEG import: ADMIN_BKPSDM anywhere, an ADMIN_OPD only into (and
only changing employees of) their own OPDs; the CLI is a trusted caller.
"""

from __future__ import annotations

from portal.core.auth import Viewer
from portal.core.errors import PermissionDeniedError


def import_scope(viewer: Viewer | None) -> frozenset[int] | None:
    """OPDs the viewer may import into; None means every OPD (BKPSDM, or the CLI's None viewer).

    Raises:
        PermissionDeniedError: for a viewer who administers nothing.
    """
    if viewer is None or viewer.is_bkpsdm:
        return None
    if not viewer.is_admin:
        raise PermissionDeniedError
    return viewer.admin_opd_ids


def require_appointer(viewer: Viewer, opd_id: int) -> None:
    """Plt/Plh appointments: ADMIN_OPD of the principal's OPD, or ADMIN_BKPSDM."""
    if not viewer.administers_opd(opd_id):
        raise PermissionDeniedError("Hanya admin OPD atau admin BKPSDM yang dapat menunjuk Plt/Plh")
