"""The accounts domain's rules: what a password must be.

Who may call what is coarse (``IsAuthenticated`` on the fields); login throttling and lockout
live with the login itself (:func:`portal.accounts.service.login`).
"""

from __future__ import annotations

from portal.core.errors import DomainError, FieldError
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
