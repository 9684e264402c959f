"""The accounts domain's rules: what a password must be, who manages which account.

Who may call what is coarse (``IsAuthenticated`` on the fields); login throttling and lockout
live with the login itself (:func:`portal.accounts.services.sessions.login`).
"""

from __future__ import annotations

from portal.core.auth import Viewer
from portal.core.errors import DomainError, FieldError, PermissionDeniedError
from portal.core.security import MIN_PASSWORD_LENGTH


def check_password_strength(password: str) -> None:
    """Reject passwords that are too short or too long."""
    if not MIN_PASSWORD_LENGTH <= len(password) <= 256:  # noqa: PLR2004
        raise DomainError(
            FieldError(
                "WEAK_PASSWORD",
                f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter",
                "password",
            )
        )


def may_manage_account(
    viewer: Viewer, *, account_id: int, employee_opd_id: int | None, is_admin_account: bool
) -> bool:
    """Whether the viewer may reset, unlock or (de)activate an account.

    ADMIN_BKPSDM manages every account but their own; an ADMIN_OPD manages the employee
    accounts of the OPDs they administer (never another administrator's account).
    """
    if account_id == viewer.account_id:
        return False
    if viewer.is_bkpsdm:
        return True
    if is_admin_account or employee_opd_id is None:
        return False
    return viewer.administers_opd(employee_opd_id)


def require_account_manager(viewer: Viewer) -> None:
    """Only administrators list and manage accounts."""
    if not viewer.is_admin:
        raise PermissionDeniedError("Hanya administrator yang dapat mengelola akun")


def require_bkpsdm(viewer: Viewer) -> None:
    """Only ADMIN_BKPSDM creates administrator accounts."""
    if not viewer.is_bkpsdm:
        raise PermissionDeniedError("Hanya Admin BKPSDM yang dapat membuat akun administrator")
