"""Accounts service: login, token refresh, logout, role grants, account management.

Administrators list accounts, create administrator accounts, reset passwords, unlock and
deactivate (the end of this module).

Access tokens are short-lived JWTs carrying the roles (so a request needs no account lookup);
refresh tokens are random, stored hashed, rotated on every use, and a reused (stolen) refresh
token revokes its whole family. Logout revokes the refresh family and puts the access token's
ID on a denylist in the shared store until it would have expired.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from piccolo.columns import Column

from portal.accounts import policy
from portal.accounts.tables import RefreshToken, RoleGrant, UserAccount
from portal.core import audit
from portal.core.auth import Role, Viewer
from portal.core.db import id_in, transaction
from portal.core.errors import (
    AuthenticationError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
)
from portal.core.security import (
    AccessClaims,
    burn_verification_time,
    create_access_token,
    decode_access_token,
    hash_password,
    needs_rehash,
    new_refresh_token,
    refresh_token_digest,
    verify_password,
)
from portal.core.store import Store
from portal.people import facts as people_facts
from portal.people import service as people
from portal.settings import Settings

_REVOKED_PREFIX = "revoked-access:"


@dataclass(frozen=True, slots=True)
class TokenPair:
    """What a successful login or refresh returns."""

    access_token: str
    refresh_token: str
    claims: AccessClaims


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


async def _issue(settings: Settings, account: dict[str, object], family: str) -> TokenPair:
    account_id = int(str(account["id"]))
    employee_id = account["employee"]
    grants = await RoleGrant.select(RoleGrant.role, RoleGrant.opd).where(
        RoleGrant.account == account_id
    )
    roles = {Role(g["role"]) for g in grants}
    admin_opds = tuple(sorted(g["opd"] for g in grants if g["role"] == Role.ADMIN_OPD and g["opd"]))
    employee_opd: int | None = None
    if isinstance(employee_id, int):
        roles.add(Role.PEGAWAI)
        employee = await people.get_employee(employee_id)
        employee_opd = employee.opd_id
        if await people.has_subordinates(employee_id):
            roles.add(Role.ATASAN)
    token, claims = create_access_token(
        secret=settings.secret_key,
        account_id=account_id,
        username=str(account["username"]),
        employee_id=employee_id if isinstance(employee_id, int) else None,
        employee_opd_id=employee_opd,
        roles=tuple(sorted(roles)),
        admin_opd_ids=admin_opds,
        lifetime=timedelta(minutes=settings.access_token_minutes),
    )
    raw, digest = new_refresh_token()
    await RefreshToken.insert(
        RefreshToken(
            account=account_id,
            token_hash=digest,
            family=family,
            expires_at=_now() + timedelta(days=settings.refresh_token_days),
        )
    )
    return TokenPair(access_token=token, refresh_token=raw, claims=claims)


_ACCOUNT_COLUMNS = (
    UserAccount.id,
    UserAccount.username,
    UserAccount.password_hash,
    UserAccount.employee,
    UserAccount.active,
    UserAccount.failed_attempts,
    UserAccount.locked_until,
)


async def login(settings: Settings, username: str, password: str) -> TokenPair:
    """Check credentials, apply lockout, and issue tokens.

    Raises:
        DomainError: ``INVALID_CREDENTIALS`` (same message for unknown user and bad password),
            ``ACCOUNT_LOCKED`` or ``ACCOUNT_DISABLED``.
    """
    username = username.strip().lower()
    invalid = DomainError.single("INVALID_CREDENTIALS", "Username atau kata sandi salah")
    if not username or not password or len(password) > 1024:  # noqa: PLR2004
        raise invalid
    rows = await UserAccount.select(*_ACCOUNT_COLUMNS).where(UserAccount.username == username)
    if not rows:
        burn_verification_time(password)
        raise invalid
    account = rows[0]
    now = _now()
    locked_until = _aware(account["locked_until"])
    if locked_until is not None and locked_until > now:
        raise DomainError.single(
            "ACCOUNT_LOCKED",
            f"Akun terkunci sementara; coba lagi setelah {locked_until:%H:%M} UTC",
        )
    if not verify_password(account["password_hash"], password):
        async with transaction():
            attempts = account["failed_attempts"] + 1
            lock = attempts >= settings.lockout_threshold
            await UserAccount.update(
                {
                    UserAccount.failed_attempts: 0 if lock else attempts,
                    UserAccount.locked_until: (
                        now + timedelta(minutes=settings.lockout_minutes) if lock else None
                    ),
                }
            ).where(UserAccount.id == account["id"])
            await audit.record(
                account_id=account["id"],
                action="LOGIN_LOCKED" if lock else "LOGIN_FAILED",
                entity_type="UserAccount",
                entity_id=account["id"],
            )
        raise invalid
    if not account["active"]:
        raise DomainError.single("ACCOUNT_DISABLED", "Akun dinonaktifkan")
    async with transaction():
        values: dict[Column | str, Any] = {
            UserAccount.failed_attempts: 0,
            UserAccount.locked_until: None,
            UserAccount.last_login_at: now,
        }
        if needs_rehash(account["password_hash"]):
            values[UserAccount.password_hash] = hash_password(password)
        await UserAccount.update(values).where(UserAccount.id == account["id"])
        pair = await _issue(settings, account, family=secrets.token_hex(8))
        await audit.record(
            account_id=account["id"],
            action="LOGIN",
            entity_type="UserAccount",
            entity_id=account["id"],
        )
    return pair


async def refresh(settings: Settings, raw_token: str) -> TokenPair:
    """Rotate a refresh token: the old one is spent, a new pair is issued.

    Raises:
        DomainError: ``INVALID_REFRESH_TOKEN`` when unknown, expired, revoked or already used
            (reuse also revokes every token of the family).
    """
    invalid = DomainError.single(
        "INVALID_REFRESH_TOKEN", "Sesi berakhir; silakan masuk kembali", "refreshToken"
    )
    digest = refresh_token_digest(raw_token)
    async with transaction():
        rows = await RefreshToken.select().where(RefreshToken.token_hash == digest)
        if not rows:
            raise invalid
        token = rows[0]
        now = _now()
        if token["used_at"] is not None or token["revoked_at"] is not None:
            await RefreshToken.update({RefreshToken.revoked_at: now}).where(
                (RefreshToken.family == token["family"]) & RefreshToken.revoked_at.is_null()
            )
            reuse = token["used_at"] is not None and token["revoked_at"] is None
            if reuse:
                await audit.record(
                    account_id=token["account"],
                    action="REFRESH_REUSE",
                    entity_type="UserAccount",
                    entity_id=token["account"],
                )
        elif (_aware(token["expires_at"]) or now) <= now:
            pass
        else:
            accounts = await UserAccount.select(*_ACCOUNT_COLUMNS).where(
                UserAccount.id == token["account"]
            )
            if accounts and accounts[0]["active"]:
                await RefreshToken.update({RefreshToken.used_at: now}).where(
                    RefreshToken.id == token["id"]
                )
                return await _issue(settings, accounts[0], family=token["family"])
    raise invalid


async def logout(store: Store, viewer: Viewer, raw_refresh_token: str | None) -> None:
    """Revoke the refresh family (when given) and deny the current access token."""
    async with transaction():
        if raw_refresh_token:
            rows = await RefreshToken.select(RefreshToken.family).where(
                (RefreshToken.token_hash == refresh_token_digest(raw_refresh_token))
                & (RefreshToken.account == viewer.account_id)
            )
            if rows:
                await RefreshToken.update({RefreshToken.revoked_at: _now()}).where(
                    (RefreshToken.family == rows[0]["family"]) & RefreshToken.revoked_at.is_null()
                )
        await audit.record(
            account_id=viewer.account_id,
            action="LOGOUT",
            entity_type="UserAccount",
            entity_id=viewer.account_id,
        )
    await store.set(_REVOKED_PREFIX + viewer.token_id, "1", ttl_seconds=24 * 3600)


async def authenticate(settings: Settings, store: Store, token: str) -> Viewer:
    """The viewer for a bearer token.

    Raises:
        AuthenticationError: ``TOKEN_EXPIRED``, ``INVALID_TOKEN`` or ``TOKEN_REVOKED``.
    """
    claims = decode_access_token(token, secret=settings.secret_key)
    if await store.get(_REVOKED_PREFIX + claims.token_id):
        raise AuthenticationError("Access token revoked", "TOKEN_REVOKED")
    return Viewer.from_claims(claims)


async def create_account(
    *,
    username: str,
    password: str | None = None,
    password_hash: str | None = None,
    employee_id: int | None = None,
    grants: tuple[tuple[Role, int | None], ...] = (),
) -> int:
    """Create an account (inside the caller's transaction when there is one); return its ID.

    ``password_hash`` lets bulk seeding reuse one hash instead of hashing per account.
    """
    if password_hash is None:
        if password is None:
            raise ValueError("password or password_hash is required")
        policy.check_password_strength(password)
        password_hash = hash_password(password)
    username = username.strip().lower()
    async with transaction():
        if await UserAccount.exists().where(UserAccount.username == username):
            raise DomainError.single("DUPLICATE", "Username sudah dipakai", "username")
        result = await UserAccount.insert(
            UserAccount(username=username, password_hash=password_hash, employee=employee_id)
        )
        account_id = int(result[0]["id"])
        for role, opd in grants:
            await grant_role(account_id, role, opd)
    return account_id


async def grant_role(account_id: int, role: Role, opd_id: int | None = None) -> None:
    """Grant an explicit role; ADMIN_OPD needs an OPD, the others must not have one."""
    if role in (Role.PEGAWAI, Role.ATASAN):
        raise DomainError.single("INVALID_ROLE", f"{role} is derived, not granted", "role")
    if (role is Role.ADMIN_OPD) != (opd_id is not None):
        raise DomainError.single("INVALID_ROLE", "ADMIN_OPD, and only it, takes an OPD", "opd")
    async with transaction():
        exists = await RoleGrant.exists().where(
            (RoleGrant.account == account_id)
            & (RoleGrant.role == role.value)
            & (RoleGrant.opd.is_null() if opd_id is None else RoleGrant.opd == opd_id)
        )
        if not exists:
            await RoleGrant.insert(RoleGrant(account=account_id, role=role.value, opd=opd_id))


# --- account management by administrators ---------------------------------------------------
# ADMIN_BKPSDM manages every account (but their own) and alone creates administrator accounts;
# an ADMIN_OPD manages the employee accounts of their OPDs (policy.may_manage_account). A
# password never reaches the audit log. A reset or a deactivation revokes the account's refresh
# tokens, so its sessions end at the next refresh.

ADMIN_ROLES = (Role.ADMIN_OPD, Role.ADMIN_BKPSDM, Role.PENGELOLA_SOSIALISASI)
MAX_ACCOUNTS = 100

_COLUMNS = (
    UserAccount.id,
    UserAccount.username,
    UserAccount.employee,
    UserAccount.active,
    UserAccount.failed_attempts,
    UserAccount.locked_until,
    UserAccount.last_login_at,
    UserAccount.created_at,
)


@dataclass(frozen=True, slots=True)
class AccountRow:
    """An account as administrators see it (never its password hash)."""

    id: int
    username: str
    employee_id: int | None
    employee_opd_id: int | None
    active: bool
    failed_attempts: int
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime
    grants: tuple[tuple[Role, int | None], ...]

    @property
    def is_admin_account(self) -> bool:
        """Holds an administrator role (only BKPSDM manages those)."""
        return any(role in ADMIN_ROLES for role, _ in self.grants)

    def locked(self, now: datetime) -> bool:
        """Locked out by failed logins at ``now``."""
        return self.locked_until is not None and (_aware(self.locked_until) or now) > now


async def _rows(raw: list[dict[str, object]]) -> list[AccountRow]:
    ids = [int(str(r["id"])) for r in raw]
    grants: dict[int, list[tuple[Role, int | None]]] = defaultdict(list)
    if ids:
        for g in await RoleGrant.select(RoleGrant.account, RoleGrant.role, RoleGrant.opd).where(
            id_in(RoleGrant.account, ids)
        ):
            grants[int(g["account"])].append((Role(g["role"]), g["opd"]))
    employee_ids = sorted({int(str(r["employee"])) for r in raw if r["employee"] is not None})
    employees = {e.id: e for e in await people.employees_by_ids(employee_ids) if e is not None}
    out = []
    for r in raw:
        employee_id = None if r["employee"] is None else int(str(r["employee"]))
        employee = employees.get(employee_id) if employee_id is not None else None
        out.append(
            AccountRow(
                id=int(str(r["id"])),
                username=str(r["username"]),
                employee_id=employee_id,
                employee_opd_id=employee.opd_id if employee else None,
                active=bool(r["active"]),
                failed_attempts=int(str(r["failed_attempts"])),
                locked_until=r["locked_until"],  # type: ignore[arg-type]
                last_login_at=r["last_login_at"],  # type: ignore[arg-type]
                created_at=r["created_at"],  # type: ignore[arg-type]
                grants=tuple(sorted(grants[int(str(r["id"]))], key=lambda g: (g[0], g[1] or 0))),
            )
        )
    return out


async def list_accounts(viewer: Viewer, *, search: str | None, first: int) -> list[AccountRow]:
    """Accounts the viewer manages or sees, by username (at most ``first``, 1-100).

    ADMIN_BKPSDM: every account; ADMIN_OPD: the accounts of their OPDs' employees.
    ``search`` matches the username (the NIP of an employee) or part of it.
    """
    policy.require_account_manager(viewer)
    if not 1 <= first <= MAX_ACCOUNTS:
        raise DomainError.single("INVALID_VALUE", "first harus 1-100", "first")
    query = UserAccount.select(*_COLUMNS)
    if not viewer.is_bkpsdm:
        employee_ids = await people_facts.employee_ids_of_opds(sorted(viewer.admin_opd_ids))
        query = query.where(id_in(UserAccount.employee, employee_ids))
    term = (search or "").strip().lower()
    if term:
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(UserAccount.username.like(f"%{escaped}%"))
    raw = await query.order_by(UserAccount.username).limit(first)
    return await _rows(raw)


async def _managed(viewer: Viewer, account_id: int) -> AccountRow:
    policy.require_account_manager(viewer)
    raw = await UserAccount.select(*_COLUMNS).where(UserAccount.id == account_id)
    if not raw:
        raise NotFoundError("Akun", "accountId")
    (row,) = await _rows(raw)
    if row.id == viewer.account_id:
        raise PermissionDeniedError("Akun sendiri tidak dapat diubah dari sini")
    if not policy.may_manage_account(
        viewer,
        account_id=row.id,
        employee_opd_id=row.employee_opd_id,
        is_admin_account=row.is_admin_account,
    ):
        raise NotFoundError("Akun", "accountId")
    return row


async def _reload(account_id: int) -> AccountRow:
    (row,) = await _rows(await UserAccount.select(*_COLUMNS).where(UserAccount.id == account_id))
    return row


async def _revoke_sessions(account_id: int) -> None:
    await RefreshToken.update({RefreshToken.revoked_at: datetime.now(UTC)}).where(
        (RefreshToken.account == account_id) & RefreshToken.revoked_at.is_null()
    )


async def create_admin_account(
    viewer: Viewer, *, username: str, password: str, role: Role, opd_id: int | None
) -> AccountRow:
    """Create an administrator account (ADMIN_BKPSDM only) with one administrator role."""
    policy.require_bkpsdm(viewer)
    if role not in ADMIN_ROLES:
        raise DomainError.single("INVALID_ROLE", "Peran harus peran administrator", "role")
    name = username.strip().lower()
    if not 3 <= len(name) <= 64 or not all(c.isalnum() or c in "._-" for c in name):  # noqa: PLR2004
        raise DomainError.single(
            "INVALID_VALUE", "Nama pengguna 3-64 karakter: huruf, angka, titik, -, _", "username"
        )
    async with transaction():
        account_id = await create_account(
            username=name, password=password, grants=((role, opd_id),)
        )
        await audit.record(
            account_id=viewer.account_id,
            action="ACCOUNT_CREATED",
            entity_type="UserAccount",
            entity_id=account_id,
            after={"username": name, "role": role.value, "opd_id": opd_id},
        )
    return await _reload(account_id)


async def reset_password(viewer: Viewer, account_id: int, new_password: str) -> AccountRow:
    """Set a new password (and unlock); the account's sessions end at their next refresh."""
    policy.check_password_strength(new_password)
    async with transaction():
        row = await _managed(viewer, account_id)
        await UserAccount.update(
            {
                UserAccount.password_hash: hash_password(new_password),
                UserAccount.failed_attempts: 0,
                UserAccount.locked_until: None,
            }
        ).where(UserAccount.id == row.id)
        await _revoke_sessions(row.id)
        await audit.record(
            account_id=viewer.account_id,
            action="ACCOUNT_PASSWORD_RESET",
            entity_type="UserAccount",
            entity_id=row.id,
        )
    return await _reload(account_id)


async def unlock(viewer: Viewer, account_id: int) -> AccountRow:
    """Lift a lockout after failed logins."""
    async with transaction():
        row = await _managed(viewer, account_id)
        await UserAccount.update(
            {UserAccount.failed_attempts: 0, UserAccount.locked_until: None}
        ).where(UserAccount.id == row.id)
        await audit.record(
            account_id=viewer.account_id,
            action="ACCOUNT_UNLOCKED",
            entity_type="UserAccount",
            entity_id=row.id,
            before={
                "failed_attempts": row.failed_attempts,
                "locked": row.locked(datetime.now(UTC)),
            },
        )
    return await _reload(account_id)


async def set_active(viewer: Viewer, account_id: int, *, active: bool) -> AccountRow:
    """Deactivate (no login, sessions revoked) or reactivate an account."""
    async with transaction():
        row = await _managed(viewer, account_id)
        if row.active != active:
            await UserAccount.update({UserAccount.active: active}).where(UserAccount.id == row.id)
            if not active:
                await _revoke_sessions(row.id)
            await audit.record(
                account_id=viewer.account_id,
                action="ACCOUNT_ACTIVATED" if active else "ACCOUNT_DEACTIVATED",
                entity_type="UserAccount",
                entity_id=row.id,
                before={"active": row.active},
                after={"active": active},
            )
    return await _reload(account_id)
