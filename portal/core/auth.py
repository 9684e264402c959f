"""The viewer (who is asking) and the role checks every domain's service uses.

Coarse checks live here; row-level scoping lives in each domain's service query.
"""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass, field
from datetime import datetime

from portal.core.errors import AuthenticationError, PermissionDeniedError


class Role(enum.StrEnum):
    """Roles a logged-in user can hold; ATASAN is derived from having subordinates."""

    PEGAWAI = "PEGAWAI"
    ATASAN = "ATASAN"
    ADMIN_OPD = "ADMIN_OPD"
    ADMIN_BKPSDM = "ADMIN_BKPSDM"
    PENGELOLA_SOSIALISASI = "PENGELOLA_SOSIALISASI"


@dataclass(slots=True)
class Viewer:
    """The authenticated user of one request.

    Built by the accounts service from the session record and the account's current grants
    (never from roles carried by the token); ``expires_at`` is the access token's expiry.

    ``subordinate_ids`` is filled lazily by the people service (direct and indirect reports)
    and cached for the rest of the request.
    """

    account_id: int
    username: str
    employee_id: int | None
    employee_opd_id: int | None
    roles: frozenset[Role]
    admin_opd_ids: frozenset[int]
    token_id: str = ""
    session_id: str = ""
    expires_at: datetime | None = None
    subordinate_ids: frozenset[int] | None = field(default=None)
    scope_task: asyncio.Future[frozenset[int]] | None = field(default=None, repr=False)

    def has_role(self, role: Role) -> bool:
        """Whether the viewer holds ``role``."""
        return role in self.roles

    @property
    def is_bkpsdm(self) -> bool:
        """City-wide administrator."""
        return Role.ADMIN_BKPSDM in self.roles

    def administers_opd(self, opd_id: int) -> bool:
        """Whether the viewer is an admin with authority over ``opd_id``."""
        return self.is_bkpsdm or opd_id in self.admin_opd_ids

    @property
    def is_admin(self) -> bool:
        """Any administrator (BKPSDM or of at least one OPD)."""
        return self.is_bkpsdm or bool(self.admin_opd_ids)


def require_viewer(viewer: Viewer | None) -> Viewer:
    """Return the viewer or raise when the request is anonymous."""
    if viewer is None:
        raise AuthenticationError
    return viewer


def require_any_role(viewer: Viewer, *roles: Role) -> None:
    """Raise :class:`PermissionDeniedError` unless the viewer holds one of ``roles``."""
    if not any(r in viewer.roles for r in roles):
        raise PermissionDeniedError
