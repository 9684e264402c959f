"""Password hashing (Argon2id) and signed access tokens (JWT, HS256).

Argon2 parameters follow RFC 9106's second recommended option (t=3, m=64 MiB, p=4), which
argon2-cffi ships as its default profile; hashes record their parameters, so raising them later
rehashes on the next login.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from portal.core.errors import AuthenticationError


def _build_hasher() -> PasswordHasher:
    """Argon2id with RFC 9106 parameters; a test suite may ask for the cheapest profile.

    ``PORTAL_INSECURE_FAST_HASH=1`` exists only so the test suite does not spend minutes
    hashing; it is refused when ``PORTAL_ENV=production``.
    """
    if os.environ.get("PORTAL_INSECURE_FAST_HASH") == "1":
        if os.environ.get("PORTAL_ENV", "").lower() == "production":
            raise RuntimeError("PORTAL_INSECURE_FAST_HASH is not allowed in production")
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher()


_hasher = _build_hasher()
_ALGORITHM = "HS256"
_AUDIENCE = "kinerja-portal"

MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    """Argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (constant time)."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than the current ones."""
    return _hasher.check_needs_rehash(password_hash)


# A real hash so unknown usernames cost as much as wrong passwords (no user enumeration by time).
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def burn_verification_time(password: str) -> None:
    """Spend one verification's time when the username does not exist."""
    verify_password(_DUMMY_HASH, password)


@dataclass(frozen=True, slots=True)
class AccessClaims:
    """What a valid access token says about its holder."""

    account_id: int
    token_id: str
    expires_at: datetime
    username: str
    employee_id: int | None
    employee_opd_id: int | None
    roles: tuple[str, ...]
    admin_opd_ids: tuple[int, ...]


def create_access_token(
    *,
    secret: str,
    account_id: int,
    username: str,
    employee_id: int | None,
    employee_opd_id: int | None,
    roles: tuple[str, ...],
    admin_opd_ids: tuple[int, ...],
    lifetime: timedelta,
    now: datetime | None = None,
) -> tuple[str, AccessClaims]:
    """Sign a short-lived access token; return ``(token, claims)``."""
    issued = now or datetime.now(UTC)
    info = AccessClaims(
        account_id=account_id,
        token_id=uuid.uuid4().hex,
        expires_at=issued + lifetime,
        username=username,
        employee_id=employee_id,
        employee_opd_id=employee_opd_id,
        roles=roles,
        admin_opd_ids=admin_opd_ids,
    )
    payload: dict[str, Any] = {
        "sub": str(account_id),
        "jti": info.token_id,
        "iat": int(issued.timestamp()),
        "exp": int(info.expires_at.timestamp()),
        "aud": _AUDIENCE,
        "usr": username,
        "emp": employee_id,
        "opd": employee_opd_id,
        "rol": list(roles),
        "aop": list(admin_opd_ids),
    }
    return jwt.encode(payload, secret, algorithm=_ALGORITHM), info


def decode_access_token(token: str, *, secret: str) -> AccessClaims:
    """Verify signature, audience and expiry.

    Raises:
        AuthenticationError: code ``TOKEN_EXPIRED`` or ``INVALID_TOKEN``.
    """
    try:
        payload = jwt.decode(token, secret, algorithms=[_ALGORITHM], audience=_AUDIENCE)
    except jwt.ExpiredSignatureError as exc:
        raise AuthenticationError("Access token expired", "TOKEN_EXPIRED") from exc
    except jwt.PyJWTError as exc:
        raise AuthenticationError("Invalid access token", "INVALID_TOKEN") from exc
    try:
        return AccessClaims(
            account_id=int(payload["sub"]),
            token_id=str(payload["jti"]),
            expires_at=datetime.fromtimestamp(int(payload["exp"]), UTC),
            username=str(payload["usr"]),
            employee_id=payload.get("emp"),
            employee_opd_id=payload.get("opd"),
            roles=tuple(payload.get("rol", ())),
            admin_opd_ids=tuple(payload.get("aop", ())),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise AuthenticationError("Invalid access token", "INVALID_TOKEN") from exc


def new_refresh_token() -> tuple[str, str]:
    """A random refresh token and the SHA-256 hex digest stored in the database."""
    raw = secrets.token_urlsafe(32)
    return raw, refresh_token_digest(raw)


def refresh_token_digest(raw: str) -> str:
    """SHA-256 hex digest of a refresh token."""
    return hashlib.sha256(raw.encode()).hexdigest()
