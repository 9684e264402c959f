"""Accounts service: sessions, login, refresh, logout, grants and account management.

Account management by administrators is at the end of this module (list, create administrator
accounts, reset passwords, unlock, deactivate).

A login opens a session (:class:`~portal.accounts.tables.AuthSession`); its ``sid`` is in
every access token of that login and is the ``family`` of its refresh tokens. Every request
reads the session and the account's current grants from the database (:func:`authenticate`):
logout, a reused refresh token, a deactivation or a changed grant take effect on the next
request, and when the database cannot answer the request fails (503) instead of trusting the
token. Access tokens carry no roles.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from piccolo.columns import Column

from portal.accounts import policy, sql
from portal.accounts.services.throttle import LoginThrottle, ThrottleStatus
from portal.accounts.tables import AuthSession, RefreshToken, RoleGrant, UserAccount
from portal.core import audit
from portal.core.auth import Role, Viewer
from portal.core.db import id_in, transaction
from portal.core.errors import (
    AuthenticationError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
)
from portal.core.pagination import page_size
from portal.core.security import (
    AccessClaims,
    HashingBusyError,
    PasswordHashing,
    create_access_token,
    decode_access_token,
    hash_password,
    needs_rehash,
    new_refresh_token,
    refresh_token_digest,
)
from portal.core.store import Store
from portal.people import facts as people_facts
from portal.people.services import directory as people
from portal.settings import Settings

# Why a session ended (``auth_session.end_reason``).
ENDED_BY_LOGOUT = "LOGOUT"
ENDED_BY_REFRESH_REUSE = "REFRESH_REUSE"
ENDED_BY_PASSWORD_RESET = "PASSWORD_RESET"  # noqa: S105 - a reason, not a password
ENDED_BY_DEACTIVATION = "DEACTIVATED"


@dataclass(frozen=True, slots=True)
class TokenPair:
    """What a successful login or refresh returns."""

    access_token: str
    refresh_token: str
    claims: AccessClaims
    roles: tuple[Role, ...]


@dataclass(frozen=True, slots=True)
class Principal:
    """Who an account is right now: its roles as of this read."""

    username: str
    employee_id: int | None
    employee_opd_id: int | None
    roles: frozenset[Role]
    admin_opd_ids: frozenset[int]


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


@cache
def _hashing(concurrency: int, wait_seconds: float) -> PasswordHashing:
    return PasswordHashing(concurrency, wait_seconds)


def password_hashing(settings: Settings) -> PasswordHashing:
    """The process's bounded password hashing for these settings."""
    return _hashing(settings.max_concurrent_hashes, settings.hash_wait_seconds)


async def principal_for(
    account_id: int,
    username: str,
    employee_id: int | None,
    grants: tuple[tuple[str, int | None], ...] | None = None,
    standing: people_facts.EmployeeStanding | None = None,
) -> Principal | None:
    """The account's roles from its grants and its employee record (None: employee inactive).

    ``standing``: the employee's standing when the caller has read it already (the session
    read joins it); otherwise it is read here.
    """
    if grants is None:
        rows = await RoleGrant.select(RoleGrant.role, RoleGrant.opd).where(
            RoleGrant.account == account_id
        )
        grants = tuple((str(g["role"]), g["opd"]) for g in rows)
    roles = {Role(role) for role, _ in grants if role in Role.__members__}
    admin_opds = frozenset(opd for role, opd in grants if role == Role.ADMIN_OPD and opd)
    employee_opd: int | None = None
    if employee_id is not None:
        if standing is None:
            standing = await people_facts.employee_standing(employee_id)
        if standing is None or not standing.active:
            return None
        roles.add(Role.PEGAWAI)
        employee_opd = standing.opd_id
        if standing.has_subordinates:
            roles.add(Role.ATASAN)
    return Principal(
        username=username,
        employee_id=employee_id,
        employee_opd_id=employee_opd,
        roles=frozenset(roles),
        admin_opd_ids=admin_opds,
    )


async def _issue(
    settings: Settings, account_id: int, session_id: str, roles: frozenset[Role]
) -> TokenPair:
    """A new access token and refresh token of ``session_id`` (inside the caller's transaction)."""
    token, claims = create_access_token(
        secret=settings.secret_key,
        account_id=account_id,
        session_id=session_id,
        lifetime=timedelta(minutes=settings.access_token_minutes),
    )
    raw, digest = new_refresh_token()
    expires_at = _now() + timedelta(days=settings.refresh_token_days)
    await RefreshToken.insert(
        RefreshToken(
            account=account_id, token_hash=digest, family=session_id, expires_at=expires_at
        )
    )
    await AuthSession.update({AuthSession.expires_at: expires_at}).where(
        AuthSession.sid == session_id
    )
    return TokenPair(
        access_token=token, refresh_token=raw, claims=claims, roles=tuple(sorted(roles))
    )


_ACCOUNT_COLUMNS = (
    UserAccount.id,
    UserAccount.username,
    UserAccount.password_hash,
    UserAccount.employee,
    UserAccount.active,
)


def _invalid_credentials() -> DomainError:
    return DomainError.single("INVALID_CREDENTIALS", "Username atau kata sandi salah")


def _throttled(seconds: int) -> DomainError:
    return DomainError.single(
        "TOO_MANY_ATTEMPTS",
        f"Terlalu banyak percobaan masuk; coba lagi dalam {max(seconds, 1)} detik",
    )


async def login(
    settings: Settings,
    username: str,
    password: str,
    *,
    store: Store,
    client_address: str | None = None,
) -> TokenPair:
    """Check credentials under throttling and open a session.

    Unknown usernames and wrong passwords are answered alike in body, code and time: both
    verify one Argon2 hash, count against the same throttle keys and write one audit entry.

    Raises:
        DomainError: ``INVALID_CREDENTIALS``, ``TOO_MANY_ATTEMPTS`` (backoff, or every hashing
            slot busy) or ``ACCOUNT_DISABLED`` (only after the right password).
    """
    username = username.strip().lower()
    if not username or not password or len(password) > 1024 or len(username) > 64:  # noqa: PLR2004
        raise _invalid_credentials()
    throttle = LoginThrottle(store, settings.lockout_threshold)
    wait = await throttle.retry_after(username, client_address)
    if wait:
        raise _throttled(wait)
    rows = await UserAccount.select(*_ACCOUNT_COLUMNS).where(UserAccount.username == username)
    account = rows[0] if rows else None
    try:
        matched = await password_hashing(settings).verify(
            account["password_hash"] if account else None, password
        )
    except HashingBusyError as exc:
        raise _throttled(1) from exc
    account_id = int(account["id"]) if account else None
    if not matched or account is None or account_id is None:
        await throttle.failed(username, client_address)
        async with transaction():
            await audit.record(
                account_id=account_id,
                action="LOGIN_FAILED",
                entity_type="UserAccount",
                entity_id=account_id,
            )
        raise _invalid_credentials()
    await throttle.succeeded(username, client_address)
    employee_id = account["employee"] if isinstance(account["employee"], int) else None
    principal = await principal_for(account_id, account["username"], employee_id)
    if not account["active"] or principal is None:
        raise DomainError.single("ACCOUNT_DISABLED", "Akun dinonaktifkan")
    now = _now()
    values: dict[Column | str, Any] = {
        UserAccount.failed_attempts: 0,
        UserAccount.locked_until: None,
        UserAccount.last_login_at: now,
    }
    if needs_rehash(account["password_hash"]):
        values[UserAccount.password_hash] = await password_hashing(settings).hash(password)
    session_id = secrets.token_hex(16)
    async with transaction():
        await UserAccount.update(values).where(UserAccount.id == account_id)
        await AuthSession.insert(
            AuthSession(
                sid=session_id,
                account=account_id,
                expires_at=now + timedelta(days=settings.refresh_token_days),
            )
        )
        pair = await _issue(settings, account_id, session_id, principal.roles)
        await audit.record(
            account_id=account_id,
            action="LOGIN",
            entity_type="AuthSession",
            entity_id=session_id,
        )
    return pair


async def _end_session(session_id: str, reason: str, now: datetime) -> None:
    await AuthSession.update({AuthSession.ended_at: now, AuthSession.end_reason: reason}).where(
        (AuthSession.sid == session_id) & AuthSession.ended_at.is_null()
    )
    await RefreshToken.update({RefreshToken.revoked_at: now}).where(
        (RefreshToken.family == session_id) & RefreshToken.revoked_at.is_null()
    )


async def refresh(settings: Settings, raw_token: str) -> TokenPair:
    """Rotate a refresh token: the old one is spent, a new pair of the same session is issued.

    Raises:
        DomainError: ``INVALID_REFRESH_TOKEN`` when unknown, expired, revoked or already used.
            A reuse ends the whole session: its access tokens are refused from the next
            request on, wherever they are.
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
            reuse = token["used_at"] is not None and token["revoked_at"] is None
            await _end_session(token["family"], ENDED_BY_REFRESH_REUSE, now)
            if reuse:
                await audit.record(
                    account_id=token["account"],
                    action="REFRESH_REUSE",
                    entity_type="AuthSession",
                    entity_id=token["family"],
                )
        elif (_aware(token["expires_at"]) or now) > now:
            session = await AuthSession.select(AuthSession.ended_at).where(
                AuthSession.sid == token["family"]
            )
            accounts = await UserAccount.select(*_ACCOUNT_COLUMNS).where(
                UserAccount.id == token["account"]
            )
            if session and session[0]["ended_at"] is None and accounts and accounts[0]["active"]:
                account = accounts[0]
                employee = account["employee"] if isinstance(account["employee"], int) else None
                principal = await principal_for(account["id"], account["username"], employee)
                if principal is not None:
                    await RefreshToken.update({RefreshToken.used_at: now}).where(
                        RefreshToken.id == token["id"]
                    )
                    pair = await _issue(settings, account["id"], token["family"], principal.roles)
                    await audit.record(
                        account_id=account["id"],
                        action="REFRESH",
                        entity_type="AuthSession",
                        entity_id=token["family"],
                    )
                    return pair
    raise invalid


async def logout(viewer: Viewer, raw_refresh_token: str | None) -> None:
    """End the viewer's session (every token of it), and the refresh token's when it differs."""
    now = _now()
    async with transaction():
        await _end_session(viewer.session_id, ENDED_BY_LOGOUT, now)
        if raw_refresh_token:
            rows = await RefreshToken.select(RefreshToken.family).where(
                (RefreshToken.token_hash == refresh_token_digest(raw_refresh_token))
                & (RefreshToken.account == viewer.account_id)
            )
            if rows and rows[0]["family"] != viewer.session_id:
                await _end_session(rows[0]["family"], ENDED_BY_LOGOUT, now)
        await audit.record(
            account_id=viewer.account_id,
            action="LOGOUT",
            entity_type="AuthSession",
            entity_id=viewer.session_id,
        )


async def authenticate(settings: Settings, store: Store, token: str) -> Viewer:
    """The viewer for a bearer token, as of now: the session and the roles are read each time.

    ``store`` is not consulted: the session record is in the database, which answers or
    fails the request (fail closed).

    Raises:
        AuthenticationError: ``TOKEN_EXPIRED``, ``INVALID_TOKEN``, ``TOKEN_REVOKED`` (the
            session ended: logout, refresh-token reuse) or ``ACCOUNT_DISABLED``.
    """
    del store
    claims = decode_access_token(token, secret=settings.secret_key)
    record = await sql.session_record(claims.session_id)
    if record is None or record.account_id != claims.account_id:
        raise AuthenticationError("Invalid access token", "INVALID_TOKEN")
    if record.ended_at is not None:
        raise AuthenticationError("Session ended", "TOKEN_REVOKED")
    if not record.active:
        raise AuthenticationError("Account disabled", "ACCOUNT_DISABLED")
    principal = await principal_for(
        claims.account_id, record.username, record.employee_id, record.grants, record.standing
    )
    if principal is None:
        raise AuthenticationError("Account disabled", "ACCOUNT_DISABLED")
    return Viewer(
        account_id=claims.account_id,
        username=principal.username,
        employee_id=principal.employee_id,
        employee_opd_id=principal.employee_opd_id,
        roles=principal.roles,
        admin_opd_ids=principal.admin_opd_ids,
        token_id=claims.token_id,
        session_id=claims.session_id,
        expires_at=claims.expires_at,
    )


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
# password never reaches the audit log. A reset or a deactivation ends the account's sessions:
# its access tokens are refused from the next request on.

ADMIN_ROLES = (Role.ADMIN_OPD, Role.ADMIN_BKPSDM, Role.PENGELOLA_SOSIALISASI)
MAX_ACCOUNTS = 100

_COLUMNS = (
    UserAccount.id,
    UserAccount.username,
    UserAccount.employee,
    UserAccount.active,
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
    backing_off: bool  # the login backoff regime is on (shown as locked until lifted)
    locked_until: datetime | None  # the end of the current wait, if any
    last_login_at: datetime | None
    created_at: datetime
    grants: tuple[tuple[Role, int | None], ...]

    @property
    def is_admin_account(self) -> bool:
        """Holds an administrator role (only BKPSDM manages those)."""
        return any(role in ADMIN_ROLES for role, _ in self.grants)

    def locked(self, now: datetime) -> bool:
        """Slowed down by failed logins at ``now``: the backoff regime is on or a wait runs."""
        return self.backing_off or (
            self.locked_until is not None and (_aware(self.locked_until) or now) > now
        )


async def _rows(
    raw: list[dict[str, object]], throttle: LoginThrottle | None = None
) -> list[AccountRow]:
    """Accounts with their grants, OPD and (given the throttle) their login backoff."""
    ids = [int(str(r["id"])) for r in raw]
    grants: dict[int, list[tuple[Role, int | None]]] = defaultdict(list)
    if ids:
        for g in await RoleGrant.select(RoleGrant.account, RoleGrant.role, RoleGrant.opd).where(
            id_in(RoleGrant.account, ids)
        ):
            grants[int(g["account"])].append((Role(g["role"]), g["opd"]))
    employee_ids = sorted({int(str(r["employee"])) for r in raw if r["employee"] is not None})
    employees = {e.id: e for e in await people.employees_by_ids(employee_ids) if e is not None}
    # failed logins back off (never a lock in the database): the throttle's state per name
    backoff: dict[int, ThrottleStatus] = {}
    if throttle is not None:
        for r in raw:
            backoff[int(str(r["id"]))] = await throttle.status(str(r["username"]))
    now = datetime.now(UTC)
    idle = ThrottleStatus(0, backing_off=False, wait_seconds=0)
    out = []
    for r in raw:
        employee_id = None if r["employee"] is None else int(str(r["employee"]))
        employee = employees.get(employee_id) if employee_id is not None else None
        state = backoff.get(int(str(r["id"])), idle)
        out.append(
            AccountRow(
                id=int(str(r["id"])),
                username=str(r["username"]),
                employee_id=employee_id,
                employee_opd_id=employee.opd_id if employee else None,
                active=bool(r["active"]),
                failed_attempts=state.failures,
                backing_off=state.backing_off,
                locked_until=(
                    now + timedelta(seconds=state.wait_seconds) if state.wait_seconds else None
                ),
                last_login_at=r["last_login_at"],  # type: ignore[arg-type]
                created_at=r["created_at"],  # type: ignore[arg-type]
                grants=tuple(sorted(grants[int(str(r["id"]))], key=lambda g: (g[0], g[1] or 0))),
            )
        )
    return out


def login_throttle(store: Store, settings: Settings) -> LoginThrottle:
    """The shared backoff of failed logins (what ``login`` consults)."""
    return LoginThrottle(store, settings.lockout_threshold)


async def list_accounts(
    viewer: Viewer,
    *,
    search: str | None,
    first: int,
    throttle: LoginThrottle | None = None,
) -> list[AccountRow]:
    """Accounts the viewer manages or sees, by username (at most ``first``, 1-100).

    ADMIN_BKPSDM: every account; ADMIN_OPD: the accounts of their OPDs' employees.
    ``search`` matches the username (the NIP of an employee) or part of it.
    """
    policy.require_account_manager(viewer)
    page_size(first, "first", MAX_ACCOUNTS)
    query = UserAccount.select(*_COLUMNS)
    if not viewer.is_bkpsdm:
        employee_ids = await people_facts.employee_ids_of_opds(sorted(viewer.admin_opd_ids))
        query = query.where(id_in(UserAccount.employee, employee_ids))
    term = (search or "").strip().lower()
    if term:
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(UserAccount.username.like(f"%{escaped}%"))
    raw = await query.order_by(UserAccount.username).limit(first)
    return await _rows(raw, throttle)


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


async def _reload(account_id: int, throttle: LoginThrottle | None = None) -> AccountRow:
    raw = await UserAccount.select(*_COLUMNS).where(UserAccount.id == account_id)
    (row,) = await _rows(raw, throttle)
    return row


async def _revoke_sessions(account_id: int, reason: str) -> None:
    """End every open session of the account: its access tokens fail on the next request."""
    now = datetime.now(UTC)
    await AuthSession.update({AuthSession.ended_at: now, AuthSession.end_reason: reason}).where(
        (AuthSession.account == account_id) & AuthSession.ended_at.is_null()
    )
    await RefreshToken.update({RefreshToken.revoked_at: now}).where(
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


async def reset_password(
    viewer: Viewer, account_id: int, new_password: str, throttle: LoginThrottle
) -> AccountRow:
    """Set a new password and lift the login backoff; the account's sessions end at once."""
    policy.check_password_strength(new_password)
    async with transaction():
        row = await _managed(viewer, account_id)
        await UserAccount.update({UserAccount.password_hash: hash_password(new_password)}).where(
            UserAccount.id == row.id
        )
        await _revoke_sessions(row.id, ENDED_BY_PASSWORD_RESET)
        await audit.record(
            account_id=viewer.account_id,
            action="ACCOUNT_PASSWORD_RESET",
            entity_type="UserAccount",
            entity_id=row.id,
        )
    await throttle.clear(row.username)
    return await _reload(account_id, throttle)


async def unlock(viewer: Viewer, account_id: int, throttle: LoginThrottle) -> AccountRow:
    """Lift the login backoff of an account's username (from every address that failed)."""
    async with transaction():
        row = await _managed(viewer, account_id)
        state = await throttle.status(row.username)
        await audit.record(
            account_id=viewer.account_id,
            action="ACCOUNT_UNLOCKED",
            entity_type="UserAccount",
            entity_id=row.id,
            before={
                "failed_attempts": state.failures,
                "backing_off": state.backing_off,
                "backoff_seconds": state.wait_seconds,
            },
        )
    await throttle.clear(row.username)
    return await _reload(account_id, throttle)


async def set_active(viewer: Viewer, account_id: int, *, active: bool) -> AccountRow:
    """Deactivate (no login, sessions revoked) or reactivate an account."""
    async with transaction():
        row = await _managed(viewer, account_id)
        if row.active != active:
            await UserAccount.update({UserAccount.active: active}).where(UserAccount.id == row.id)
            if not active:
                await _revoke_sessions(row.id, ENDED_BY_DEACTIVATION)
            await audit.record(
                account_id=viewer.account_id,
                action="ACCOUNT_ACTIVATED" if active else "ACCOUNT_DEACTIVATED",
                entity_type="UserAccount",
                entity_id=row.id,
                before={"active": row.active},
                after={"active": active},
            )
    return await _reload(account_id)
