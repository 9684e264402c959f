"""Who may read or change what in the training module: decided here, and only here.

The catalogue is public to logged-in users (DRAFT and ARCHIVED courses to admins only) and
managed by ADMIN_BKPSDM. Who may read an employee's assignments, JP ledger and recommendations
(audience ``PRIVATE``) and who may assign them training (``OVERSIGHT``) is decided in
:mod:`portal.people.visibility`; this module holds the training module's own rules.
"""

from __future__ import annotations

from portal.core.auth import Viewer
from portal.core.errors import PermissionDeniedError
from training.enums import CourseStatus

PUBLIC_STATUSES = frozenset({CourseStatus.PUBLISHED, CourseStatus.CLOSED})


def require_bkpsdm(viewer: Viewer) -> None:
    """The catalogue is run by BKPSDM."""
    if not viewer.is_bkpsdm:
        raise PermissionDeniedError("Hanya admin BKPSDM yang dapat mengelola katalog pelatihan")


def sees_unpublished(viewer: Viewer | None) -> bool:
    """Admins see DRAFT and ARCHIVED courses; everybody else only the public ones."""
    return viewer is not None and viewer.is_admin


def course_visible(viewer: Viewer | None, status: str) -> bool:
    """Whether the viewer may see a course in ``status``."""
    return status in PUBLIC_STATUSES or sees_unpublished(viewer)


def require_self(viewer: Viewer, employee_id: int) -> None:
    """Only the employee themself may do this (self-enrolment, ratings, dismissals)."""
    if viewer.employee_id != employee_id:
        raise PermissionDeniedError("Hanya pegawai yang bersangkutan yang dapat melakukan ini")


def own_employee_id(viewer: Viewer) -> int:
    """The viewer's employee record, required for self-service actions."""
    if viewer.employee_id is None:
        raise PermissionDeniedError("Akun ini tidak terhubung dengan data pegawai")
    return viewer.employee_id
