"""Password hashing (Argon2id) and signed access tokens (JWT, HS256).

Argon2 parameters follow RFC 9106's second recommended option (t=3, m=64 MiB, p=4), which
argon2-cffi ships as its default profile; hashes record their parameters, so raising them later
rehashes on the next login.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

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


_T = TypeVar("_T")
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


class HashingBusyError(Exception):
    """Every password-hashing slot stayed busy for the whole wait: the login is refused."""


class PasswordHashing:
    """Argon2 off the event loop, at most ``concurrency`` at a time in this process.

    One verification takes 64 MiB and tens to hundreds of milliseconds of CPU. Run inline it
    blocks the event loop (every other request of the worker waits); run unbounded, a burst of
    logins takes every core. Here it runs in a thread (argon2-cffi releases the GIL) behind a
    semaphore; a login that cannot get a slot within ``wait_seconds`` is refused, typed.
    """

    def __init__(self, concurrency: int, wait_seconds: float) -> None:
        self.concurrency = max(concurrency, 1)
        self.wait_seconds = wait_seconds
        self._semaphore: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _slots(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self._semaphore is None or self._loop is not loop:
            self._semaphore, self._loop = asyncio.Semaphore(self.concurrency), loop
        return self._semaphore

    async def _run(self, work: Callable[[], _T]) -> _T:
        slots = self._slots()
        try:
            await asyncio.wait_for(slots.acquire(), timeout=self.wait_seconds)
        except TimeoutError as exc:
            raise HashingBusyError from exc
        try:
            return await asyncio.to_thread(work)
        finally:
            slots.release()

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """Whether ``password`` matches; with no hash (unknown user) a dummy one is verified."""
        target = password_hash or _DUMMY_HASH
        matched = await self._run(lambda: verify_password(target, password))
        return matched and password_hash is not None

    async def hash(self, password: str) -> str:
        """An Argon2id hash of ``password``."""
        return await self._run(lambda: hash_password(password))


@dataclass(frozen=True, slots=True)
class AccessClaims:
    """What a valid access token says about its holder: who, which session, until when.

    Roles are not in the token: they are read from the database on every request, so a
    demotion or a deactivation takes effect on the next request instead of at expiry.
    """

    account_id: int
    session_id: str
    token_id: str
    expires_at: datetime


def create_access_token(
    *,
    secret: str,
    account_id: int,
    session_id: str,
    lifetime: timedelta,
    now: datetime | None = None,
) -> tuple[str, AccessClaims]:
    """Sign a short-lived access token of one session; return ``(token, claims)``."""
    issued = now or datetime.now(UTC)
    info = AccessClaims(
        account_id=account_id,
        session_id=session_id,
        token_id=uuid.uuid4().hex,
        expires_at=issued + lifetime,
    )
    payload: dict[str, Any] = {
        "sub": str(account_id),
        "sid": session_id,
        "jti": info.token_id,
        "iat": int(issued.timestamp()),
        "exp": int(info.expires_at.timestamp()),
        "aud": _AUDIENCE,
    }
    return jwt.encode(payload, secret, algorithm=_ALGORITHM), info


# Access tokens whose signature and claims were verified, with what they say: a token is
# verified once per worker, then only its expiry is checked (PyJWT's checks, the key
# preparation included, were a tenth of the cheapest request). Keyed by the secret too, so a
# rotated secret verifies everything anew. Bounded: emptied when full.
_VERIFIED: dict[tuple[str, str], AccessClaims] = {}
_VERIFIED_MAX = 4096
_now_seconds = time.time  # the cached path's clock (a test moves it past a token's expiry)


def decode_access_token(token: str, *, secret: str) -> AccessClaims:
    """Verify signature, audience and expiry (the expiry on every call, the rest once).

    Whether the session is still open is not a property of the token: the caller reads the
    session record on every request (``portal.accounts.service.authenticate``).

    Raises:
        AuthenticationError: code ``TOKEN_EXPIRED`` or ``INVALID_TOKEN`` (also a token of the
            kind issued before sessions existed, which names no session).
    """
    key = (secret, token)
    known = _VERIFIED.get(key)
    if known is not None:
        if known.expires_at.timestamp() <= _now_seconds():
            raise AuthenticationError("Access token expired", "TOKEN_EXPIRED")
        return known
    claims = _verify(token, secret)
    if len(_VERIFIED) >= _VERIFIED_MAX:
        _VERIFIED.clear()
    _VERIFIED[key] = claims
    return claims


def _verify(token: str, secret: str) -> AccessClaims:
    """The claims of a token, checked by PyJWT (signature, audience, expiry, required claims)."""
    try:
        payload = jwt.decode(
            token,
            secret,
            algorithms=[_ALGORITHM],
            audience=_AUDIENCE,
            options={"require": ["exp", "sub", "sid", "jti"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise AuthenticationError("Access token expired", "TOKEN_EXPIRED") from exc
    except jwt.PyJWTError as exc:
        raise AuthenticationError("Invalid access token", "INVALID_TOKEN") from exc
    try:
        session_id = payload["sid"]
        if not isinstance(session_id, str) or not session_id:
            raise TypeError("sid")
        return AccessClaims(
            account_id=int(payload["sub"]),
            session_id=session_id,
            token_id=str(payload["jti"]),
            expires_at=datetime.fromtimestamp(int(payload["exp"]), UTC),
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
