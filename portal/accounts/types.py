"""GraphQL types, inputs and payloads of the accounts domain."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry
from strawberry.types import Info

from portal.accounts.services import sessions
from portal.core.auth import Role
from portal.core.context import Context
from portal.core.graphql import (
    Connection,
    UserError,
    sorted_page_request,
    to_connection,
    viewer_of,
)
from portal.core.ids import encode_global_id
from portal.people.loaders import PeopleLoaders
from portal.people.services import directory as people
from portal.people.types import EmployeeOrderInput, EmployeeType, OpdType, employee_field

strawberry.enum(
    Role,
    description="PEGAWAI (every employee), ATASAN (has subordinates), ADMIN_OPD (one OPD), "
    "ADMIN_BKPSDM (city-wide), PENGELOLA_SOSIALISASI (socialization program manager).",
)


@strawberry.type(name="Viewer", description="The logged-in user.")
class ViewerType:
    """The viewer."""

    username: str = strawberry.field(description="Login name (the NIP for employees).")
    roles: list[Role] = strawberry.field(description="Roles held, sorted.")
    employee_id: strawberry.Private[int | None]
    admin_opd_ids: strawberry.Private[frozenset[int]]
    account_id: strawberry.Private[int]

    @strawberry.field(
        description="Opaque ID of the account: stable per account, for client caches "
        "(node(id:) does not fetch it)."
    )
    def id(self) -> strawberry.ID:
        """Account identity."""
        return strawberry.ID(encode_global_id("Viewer", self.account_id))

    @strawberry.field(description="The viewer's employee record, or null for an admin account.")
    async def employee(self, info: Info[Context, None]) -> EmployeeType | None:
        """Own employee record."""
        if self.employee_id is None:
            return None
        row = await PeopleLoaders.of(info).employee.load(self.employee_id)
        return EmployeeType.from_row(row) if row else None

    @strawberry.field(description="OPDs the viewer administers as ADMIN_OPD.")
    async def administered_opds(self, info: Info[Context, None]) -> list[OpdType]:
        """Administered OPDs."""
        rows = await PeopleLoaders.of(info).opd.load_many(sorted(self.admin_opd_ids))
        return [OpdType.from_row(r) for r in rows if r]

    @strawberry.field(
        description="The viewer's subordinates: direct reports, or the whole chain below."
    )
    async def team(  # noqa: PLR0917 - the Relay arguments, scope and ordering
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        direct_only: bool = True,
        last: int | None = None,
        before: str | None = None,
        order_by: EmployeeOrderInput | None = None,
    ) -> Connection[EmployeeType]:
        """Subordinates."""
        request = sorted_page_request(
            first,
            after,
            last=last,
            before=before,
            order=order_by.key() if order_by else None,
        )
        page = await people.list_team(viewer_of(info), request, direct_only=direct_only)
        return to_connection(page, EmployeeType.from_row)


def viewer_type(info: Info[Context, None]) -> ViewerType:
    """Map the request's viewer."""
    viewer = viewer_of(info)
    return ViewerType(
        username=viewer.username,
        roles=sorted(viewer.roles),
        employee_id=viewer.employee_id,
        admin_opd_ids=viewer.admin_opd_ids,
        account_id=viewer.account_id,
    )


@strawberry.input(description="Credentials.")
class LoginInput:
    """Login input."""

    username: str = strawberry.field(description="NIP for employees, or the admin username.")
    password: str = strawberry.field(description="Password.")


@strawberry.input(description="A refresh token to exchange.")
class RefreshTokenInput:
    """Refresh input."""

    refresh_token: str = strawberry.field(description="The refresh token from login/refresh.")


@strawberry.input(description="What to revoke at logout.")
class LogoutInput:
    """Logout input."""

    refresh_token: str | None = strawberry.field(
        default=None, description="Refresh token of this session, revoked with its family."
    )


@strawberry.type(description="Tokens of a new session, or why there is none.")
class AuthPayload:
    """Login/refresh payload."""

    access_token: str | None = strawberry.field(
        description="Short-lived JWT for `Authorization: Bearer` (HTTP) or `connection_params."
        "authorization` (WebSocket)."
    )
    refresh_token: str | None = strawberry.field(
        description="Single-use token to obtain the next access token."
    )
    access_token_expires_at: datetime | None = strawberry.field(
        description="When the access token expires."
    )
    roles: list[Role] = strawberry.field(
        description="Roles held now (the server reads them on every request, not from the token)."
    )
    user_errors: list[UserError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Outcome of a logout.")
class LogoutPayload:
    """Logout payload."""

    ok: bool = strawberry.field(description="True when the session was revoked.")
    user_errors: list[UserError] = strawberry.field(description="Why it failed.")


@strawberry.type(name="AccountRole", description="A role granted to an account.")
class AccountRoleType:
    """A role grant."""

    role: Role = strawberry.field(description="The role.")
    opd_id: strawberry.Private[int | None]

    @strawberry.field(description="The OPD an ADMIN_OPD administers; null for other roles.")
    async def opd(self, info: Info[Context, None]) -> OpdType | None:
        """The OPD of the grant."""
        if self.opd_id is None:
            return None
        row = await PeopleLoaders.of(info).opd.load(self.opd_id)
        return OpdType.from_row(row) if row else None


@strawberry.type(name="Account", description="A login account, as administrators see it.")
class AccountType:
    """An account (never its password)."""

    row: strawberry.Private[sessions.AccountRow]

    @strawberry.field(description="Opaque ID of the account (use it in account mutations).")
    def id(self) -> strawberry.ID:
        """Global ID."""
        return strawberry.ID(encode_global_id("UserAccount", self.row.id))

    @strawberry.field(description="Login name (the NIP for employees).")
    def username(self) -> str:
        """Username."""
        return self.row.username

    @strawberry.field(description="False when deactivated: no login, no session refresh.")
    def active(self) -> bool:
        """Active."""
        return self.row.active

    @strawberry.field(
        description="Logins under this username are slowed down after repeated failed logins "
        "(the backoff regime: from the allowance of failures on, every further failure doubles "
        "the wait) until 15 minutes pass without a failure, a successful login from the address "
        "that failed, or unlockAccount; the account itself is never locked in the database."
    )
    def locked(self) -> bool:
        """Locked."""
        return self.row.locked(datetime.now(UTC))

    @strawberry.field(
        description="When the current wait of the login backoff ends, if one runs now "
        "(null between two failures, also while locked)."
    )
    def locked_until(self) -> datetime | None:
        """Lockout end."""
        return self.row.locked_until if self.row.locked(datetime.now(UTC)) else None

    @strawberry.field(
        description="Failed logins under this username in the last 15 minutes (from anywhere)."
    )
    def failed_attempts(self) -> int:
        """Failed attempts."""
        return self.row.failed_attempts

    @strawberry.field(description="Last successful login.")
    def last_login_at(self) -> datetime | None:
        """Last login."""
        return self.row.last_login_at

    @strawberry.field(description="When the account was created.")
    def created_at(self) -> datetime:
        """Created."""
        return self.row.created_at

    @strawberry.field(description="Granted roles (PEGAWAI and ATASAN are derived, not listed).")
    def roles(self) -> list[AccountRoleType]:
        """Role grants."""
        return [AccountRoleType(role=role, opd_id=opd) for role, opd in self.row.grants]

    employee = employee_field(
        "employee_id", description="The employee who logs in with it; null for an admin account."
    )


@strawberry.input(description="A new administrator account (ADMIN_BKPSDM only).")
class CreateAdminAccountInput:
    """Create an admin account."""

    username: str = strawberry.field(description="3-64 characters: letters, digits, . - _.")
    password: str = strawberry.field(description="Initial password (at least the minimum length).")
    role: Role = strawberry.field(
        description="ADMIN_OPD (with `opdId`), ADMIN_BKPSDM or PENGELOLA_SOSIALISASI."
    )
    opd_id: strawberry.ID | None = strawberry.field(
        default=None, description="The OPD an ADMIN_OPD administers."
    )


@strawberry.input(description="An account to unlock.")
class AccountActionInput:
    """Unlock; the base of the inputs that act on one account."""

    account_id: strawberry.ID = strawberry.field(description="The account.")


@strawberry.input(description="A new password set by an administrator.")
class ResetAccountPasswordInput(AccountActionInput):
    """Reset a password."""

    new_password: str = strawberry.field(description="The new password.")


@strawberry.input(description="Deactivate or reactivate an account.")
class SetAccountActiveInput(AccountActionInput):
    """Set active."""

    active: bool = strawberry.field(description="False to deactivate (sessions are revoked).")


@strawberry.type(description="Result of an account mutation.")
class AccountPayload:
    """Account payload."""

    account: AccountType | None = strawberry.field(description="The account after the change.")
    user_errors: list[UserError] = strawberry.field(description="Why it failed.")
