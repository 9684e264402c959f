"""Tables of the accounts domain: login accounts, role grants, sessions, refresh tokens.

The audit log's table (:class:`portal.core.audit.AuditEntry`) is a core mechanism; this app
lists it among its tables because its migrations created it.
"""

from __future__ import annotations

from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from portal.core.piccolo import WithId
from portal.people.tables import Employee, Opd


class UserAccount(WithId, Table, tablename="user_account"):
    """A login. Employees log in with their NIP; admins may have no employee record."""

    username = Varchar(length=64, unique=True)
    password_hash = Varchar(length=200)
    employee = ForeignKey(references=Employee, on_delete=OnDelete.cascade, null=True, unique=True)
    active = Boolean(default=True)
    failed_attempts = Integer(default=0)
    locked_until = Timestamptz(null=True, default=None)
    last_login_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class RoleGrant(WithId, Table, tablename="role_grant"):
    """An explicitly granted role (PEGAWAI and ATASAN are derived, never granted).

    Unique on (account, role, opd) through an index made in the migration.
    """

    account = ForeignKey(references=UserAccount, on_delete=OnDelete.cascade, null=False, index=True)
    role = Varchar(length=32)
    opd = ForeignKey(references=Opd, on_delete=OnDelete.cascade, null=True)


class RefreshToken(WithId, Table, tablename="refresh_token"):
    """A refresh token (only its SHA-256 is stored). Rotated on use; reuse revokes the family."""

    account = ForeignKey(references=UserAccount, on_delete=OnDelete.cascade, null=False, index=True)
    token_hash = Varchar(length=64, unique=True)
    family = Varchar(length=32, index=True)
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class AuthSession(WithId, Table, tablename="auth_session"):
    """A login session: the record every access and refresh token of one login points to.

    ``sid`` is carried by each access token and equals the ``family`` of its refresh tokens.
    Ending the session (logout, a reused refresh token) refuses all of them on their next use.
    """

    sid = Varchar(length=32, unique=True)
    account = ForeignKey(references=UserAccount, on_delete=OnDelete.cascade, null=False, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    ended_at = Timestamptz(null=True, default=None)
    end_reason = Varchar(length=32, null=True, default=None)
