"""Who may read or change what in the training module: decided here, and only here.

The catalogue is public to logged-in users (DRAFT and ARCHIVED courses to admins only) and
managed by ADMIN_BKPSDM. An employee's assignments, JP ledger and recommendations follow the
people domain's private scope: the employee, their supervisor chain, an ADMIN_OPD of their OPD
and ADMIN_BKPSDM. Assigning training is for the supervisor chain and admins of the OPD.
"""

from __future__ import annotations

from portal.core.auth import Viewer
from portal.core.errors import NotFoundError, PermissionDeniedError
from portal.people import service as people
from portal.people.service import EmployeeRow
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


async def can_read_employee(viewer: Viewer, employee: EmployeeRow) -> bool:
    """The employee, their supervisor chain, admins of their OPD, BKPSDM."""
    await people.load_scope(viewer)
    return people.can_read_private(viewer, employee)


async def readable_employee(
    viewer: Viewer, employee_id: int, field: str = "employeeId"
) -> EmployeeRow:
    """The employee whose training data the viewer wants, or NOT_FOUND (never reveals existence)."""
    try:
        employee = await people.get_employee(employee_id)
    except NotFoundError as exc:
        raise NotFoundError("Employee", field) from exc
    if not await can_read_employee(viewer, employee):
        raise NotFoundError("Employee", field)
    return employee


async def can_manage(viewer: Viewer, employee: EmployeeRow) -> bool:
    """Supervisor chain of the employee or an admin of their OPD (not the employee themself)."""
    if viewer.administers_opd(employee.opd_id):
        return True
    await people.load_scope(viewer)
    return employee.id in (viewer.subordinate_ids or frozenset())


def require_self(viewer: Viewer, employee_id: int) -> None:
    """Only the employee themself may do this (self-enrolment, ratings, dismissals)."""
    if viewer.employee_id != employee_id:
        raise PermissionDeniedError("Hanya pegawai yang bersangkutan yang dapat melakukan ini")


def own_employee_id(viewer: Viewer) -> int:
    """The viewer's employee record, required for self-service actions."""
    if viewer.employee_id is None:
        raise PermissionDeniedError("Akun ini tidak terhubung dengan data pegawai")
    return viewer.employee_id
