"""Login throttling: exponential backoff per client address and per username, never a lock.

Failed logins are counted in the shared store under three keys, each with its own allowance
before a backoff starts (the delay doubles with every further failure, up to a cap, and the
count forgets itself ``WINDOW_SECONDS`` after the last failure):

* the client address (``ADDRESS_FREE`` failures): one address guessing many accounts;
* the username from that address (``settings.lockout_threshold`` failures): a user's typos,
  or one attacker guessing one account;
* the username from anywhere (``USER_FREE`` failures, a short cap): many addresses guessing
  one account.

A stranger cannot lock anybody out: their failures slow down their own address, and the
account-wide key needs ``USER_FREE`` failures within the window and then delays a login by
``USER_CAP_SECONDS`` at most. Unknown usernames are counted exactly like known ones (the key is
a hash of the name as typed), so the answers never tell whether an account exists.

The store is Redis when configured; during a Redis outage it counts in-process (per worker),
so throttling degrades to per-worker limits instead of stopping.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from portal.core.store import Store

WINDOW_SECONDS = 15 * 60
ADDRESS_FREE = 20
ADDRESS_CAP_SECONDS = 15 * 60
PAIR_CAP_SECONDS = 5 * 60
USER_FREE = 50
USER_CAP_SECONDS = 30
MAX_ADDRESSES = 32  # addresses remembered per username, for an administrator's unlock


@dataclass(frozen=True, slots=True)
class _Key:
    name: str
    free: int
    cap_seconds: int


def _digest(username: str) -> str:
    return hashlib.sha256(username.encode()).hexdigest()[:32]


def _addresses_key(username: str) -> str:
    """The addresses that failed for a username in the window (space-separated, bounded)."""
    return f"login:addrs:{_digest(username)}"


def _keys(username: str, address: str | None, pair_free: int) -> tuple[_Key, ...]:
    user = _digest(username)
    where = address or "unknown"
    return (
        _Key(f"login:addr:{where}", ADDRESS_FREE, ADDRESS_CAP_SECONDS),
        _Key(f"login:pair:{user}:{where}", pair_free, PAIR_CAP_SECONDS),
        _Key(f"login:user:{user}", USER_FREE, USER_CAP_SECONDS),
    )


def backoff_seconds(failures: int, free: int, cap_seconds: int) -> int:
    """Seconds to wait after the ``failures``-th failure (0 within the allowance).

    1 s at the ``free``-th failure, 2 s at the next, 4 s … up to ``cap_seconds``.
    """
    if failures < free:
        return 0
    return int(min(2 ** min(failures - free, 30), cap_seconds))


@dataclass(frozen=True, slots=True)
class ThrottleStatus:
    """A username's throttle state, as administrators see it."""

    failures: int  # from anywhere, in the window
    backing_off: bool  # past an allowance: logins wait, doubling with every failure
    wait_seconds: int  # left of the current wait (0 between two failures)


class LoginThrottle:
    """Backoff of failed logins, shared by every worker through the store."""

    def __init__(self, store: Store, pair_free: int) -> None:
        self._store = store
        self._pair_free = max(pair_free, 1)

    async def retry_after(self, username: str, address: str | None) -> int:
        """Seconds to wait before this login may be tried (0: now)."""
        now = time.time()
        wait = 0.0
        for key in _keys(username, address, self._pair_free):
            until = await self._store.get(key.name + ":until")
            if until:
                wait = max(wait, float(until) - now)
        return math.ceil(wait) if wait > 0 else 0

    async def failed(self, username: str, address: str | None) -> None:
        """Count a failure under every key; start the backoff of those past their allowance."""
        now = time.time()
        for key in _keys(username, address, self._pair_free):
            failures = await self._store.incr(key.name, ttl_seconds=WINDOW_SECONDS)
            delay = backoff_seconds(failures, key.free, key.cap_seconds)
            if delay:
                await self._store.set(key.name + ":until", str(now + delay), ttl_seconds=delay)
        await self._remember(username, address)

    async def status(self, username: str) -> ThrottleStatus:
        """A username's failures in the window, whether its backoff regime is on, the wait left.

        The regime counts the username-wide key and the username's pair with every address
        that failed for it in the window (what an administrator's unlock lifts): it is on once
        one of them reached its allowance, and stays on (each further failure doubling the
        wait) until the window passes, a right password from that address, or an unlock.
        """
        user = _digest(username)
        failures = int(await self._store.get(f"login:user:{user}") or 0)
        now = time.time()
        wait = 0.0
        backing_off = failures >= USER_FREE
        for name in await self._names_of(username):
            until = await self._store.get(name + ":until")
            if until:
                wait = max(wait, float(until) - now)
            if name.startswith("login:pair:"):
                backing_off |= int(await self._store.get(name) or 0) >= self._pair_free
        seconds = math.ceil(wait) if wait > 0 else 0
        return ThrottleStatus(failures, backing_off or seconds > 0, seconds)

    async def clear(self, username: str) -> None:
        """Lift every backoff of a username (an administrator's unlock or password reset).

        The addresses' own counts stay: an address that guesses keeps its backoff.
        """
        for name in await self._names_of(username):
            await self._store.delete(name)
            await self._store.delete(name + ":until")
        await self._store.delete(_addresses_key(username))

    async def _names_of(self, username: str) -> list[str]:
        user = _digest(username)
        known = (await self._store.get(_addresses_key(username)) or "").split()
        return [f"login:user:{user}", *(f"login:pair:{user}:{a}" for a in known)]

    async def _remember(self, username: str, address: str | None) -> None:
        key = _addresses_key(username)
        known = (await self._store.get(key) or "").split()
        where = address or "unknown"
        if where not in known:
            known = [*known, where][-MAX_ADDRESSES:]
        await self._store.set(key, " ".join(known), ttl_seconds=WINDOW_SECONDS)

    async def succeeded(self, username: str, address: str | None) -> None:
        """A right password from this address clears this address's count for the username."""
        pair = _keys(username, address, self._pair_free)[1]
        await self._store.delete(pair.name)
        await self._store.delete(pair.name + ":until")
