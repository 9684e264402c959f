"""Login under attack: bounded Argon2 off the event loop, backoff per address and per name,
and unknown usernames that cannot be told from known ones (the external probe, item 4).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

import pytest

from portal.accounts.services import sessions, throttle
from portal.core import security
from portal.core.audit import AuditEntry
from portal.core.store import MemoryStore
from portal.settings import Settings
from support.api import Api
from support.apps import app_client
from support.factories import PASSWORD, Factory


def test_backoff_doubles_from_the_allowance_up_to_the_cap() -> None:
    waits = [throttle.backoff_seconds(n, free=5, cap_seconds=30) for n in range(1, 12)]
    assert waits == [0, 0, 0, 0, 1, 2, 4, 8, 16, 30, 30]


async def test_hashing_runs_at_most_n_at_once_and_off_the_event_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    running = 0
    peak = 0

    def slow_verify(password_hash: str, password: str) -> bool:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        time.sleep(0.1)  # blocks its thread, not the loop
        running -= 1
        return False

    monkeypatch.setattr(security, "verify_password", slow_verify)
    hashing = security.PasswordHashing(concurrency=2, wait_seconds=10)
    ticks = 0

    async def heartbeat() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    beat = asyncio.create_task(heartbeat())
    started = time.monotonic()
    await asyncio.gather(*(hashing.verify(None, "x") for _ in range(8)))
    elapsed = time.monotonic() - started
    beat.cancel()
    assert peak == 2
    assert elapsed >= 0.35  # 8 verifications, 2 at a time, 0.1 s each
    assert ticks >= 10  # the loop kept serving while they ran


async def test_a_login_that_waits_too_long_for_a_hashing_slot_is_refused_typed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def slow_verify(password_hash: str, password: str) -> bool:
        time.sleep(0.5)
        return False

    monkeypatch.setattr(security, "verify_password", slow_verify)
    hashing = security.PasswordHashing(concurrency=1, wait_seconds=0.05)
    first = asyncio.create_task(hashing.verify(None, "x"))
    await asyncio.sleep(0.01)
    with pytest.raises(security.HashingBusyError):
        await hashing.verify(None, "y")
    assert await first is False


async def test_logins_cannot_starve_other_requests(
    settings: Settings, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the probe: 16 concurrent bogus logins pushed others' { viewer } from 5 ms to 3.3 s
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))

    real = security.verify_password

    def costly_verify(password_hash: str, password: str) -> bool:
        time.sleep(0.2)  # stands for a 64 MiB Argon2 run
        return real(password_hash, password)

    bounded = replace(settings, max_concurrent_hashes=2, hash_wait_seconds=30)
    async with app_client(bounded) as (_, client):
        api = Api(client)
        token = await api.login(person.nip, PASSWORD)
        monkeypatch.setattr(security, "verify_password", costly_verify)
        bogus = [
            api.data("Login", {"input": {"username": f"1990{i:014d}", "password": "tebakan"}})
            for i in range(16)
        ]
        logins = asyncio.gather(*bogus)
        await asyncio.sleep(0.05)
        started = time.monotonic()
        viewer = await api.data("Viewer", token=token)
        took = time.monotonic() - started
        answers = await logins
    assert viewer["viewer"]["username"] == person.nip
    assert took < 1.0, f"{{ viewer }} took {took:.2f}s behind 16 logins"
    assert {a["login"]["userErrors"][0]["code"] for a in answers} <= {
        "INVALID_CREDENTIALS",
        "TOO_MANY_ATTEMPTS",
    }


async def test_unknown_and_known_usernames_do_the_same_work(
    settings: Settings, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # timing: both verify exactly one Argon2 hash and write one audit entry
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    verified: list[bool] = []
    real = security.verify_password

    def counting(password_hash: str, password: str) -> bool:
        verified.append(True)
        return real(password_hash, password)

    monkeypatch.setattr(security, "verify_password", counting)
    store = MemoryStore()
    work = {}
    for username in (person.nip, "198501012010032999"):
        verified.clear()
        before = await AuditEntry.count()
        with pytest.raises(sessions.DomainError) as refused:
            await sessions.login(settings, username, "salah-sekali", store=store)
        work[username] = (
            len(verified),
            await AuditEntry.count() - before,
            refused.value.errors[0].code,
            refused.value.errors[0].message,
        )
    known, unknown = work.values()
    assert known == unknown == (1, 1, "INVALID_CREDENTIALS", "Username atau kata sandi salah")


async def test_a_stranger_cannot_lock_anyone_out(api: Api, factory: Factory, settings) -> None:
    # the probe: anyone could lock any employee with 5 requests (NIPs are guessable)
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    store = MemoryStore()
    for _ in range(settings.lockout_threshold + 3):
        with pytest.raises(sessions.DomainError):
            await sessions.login(
                settings, person.nip, "tebakan", store=store, client_address="203.0.113.9"
            )
    # the owner, from their own address, logs in at once
    pair = await sessions.login(
        settings, person.nip, PASSWORD, store=store, client_address="198.51.100.7"
    )
    assert pair.access_token


async def test_one_address_guessing_many_names_is_slowed_down(settings: Settings, db: None) -> None:
    # the probe: 150 unauthenticated logins in 36 s, none refused
    store = MemoryStore()
    codes = []
    for i in range(throttle.ADDRESS_FREE + 5):
        with pytest.raises(sessions.DomainError) as refused:
            await sessions.login(
                settings, f"19900101{i:010d}", "tebakan", store=store, client_address="203.0.113.9"
            )
        codes.append(refused.value.errors[0].code)
    assert codes[: throttle.ADDRESS_FREE] == ["INVALID_CREDENTIALS"] * throttle.ADDRESS_FREE
    assert set(codes[throttle.ADDRESS_FREE :]) == {"TOO_MANY_ATTEMPTS"}
    # another address is not affected
    with pytest.raises(sessions.DomainError) as other:
        await sessions.login(settings, "ghost", "tebakan", store=store, client_address="192.0.2.1")
    assert other.value.errors[0].code == "INVALID_CREDENTIALS"
