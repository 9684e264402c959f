"""A committed transaction tells the cache whom it changed, or "anything" (issue 22).

Only a transaction whose every write statement ran under a declared scope is scoped; one
undeclared write makes the whole commit global (the safety net of the data versions).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from portal.core import response_cache
from portal.core.db import set_write_listener, transaction, write_scope
from portal.core.store import MemoryStore
from portal.people.tables import Opd

Told = list[frozenset[int] | None]


@pytest.fixture
async def told(db: None) -> AsyncIterator[Told]:
    heard: Told = []

    async def listener(employee_ids: frozenset[int] | None) -> None:
        heard.append(employee_ids)

    set_write_listener(listener)
    try:
        yield heard
    finally:
        set_write_listener(None)


def _opd(code: str) -> Opd:
    return Opd(code=code, name=f"Dinas {code}", short_name=code)


async def test_a_transaction_of_scoped_writes_is_told_once_with_its_employees(told: Told) -> None:
    # when every write of a transaction runs under a scope (two, one nested in a service call)
    async with transaction(scope=[7]):
        await Opd.insert(_opd("S-1"))
        with write_scope([9, None]):
            await Opd.insert(_opd("S-2"))
        assert told == []  # nothing before the commit
    # then the listener hears once, after the commit, of exactly those employees
    assert told == [frozenset({7, 9})]


async def test_one_undeclared_write_makes_the_commit_global(told: Told) -> None:
    # when one write of the transaction runs outside the declared scope
    async with transaction():
        with write_scope([7]):
            await Opd.insert(_opd("M-1"))
        await Opd.update({Opd.name: "Dinas Lain"}).where(Opd.code == "M-1")
    # then the commit is global (None), and reads alone tell nothing
    async with transaction(scope=[7]):
        await Opd.select(Opd.id)
    assert told == [None]


async def _insert_then_fail() -> None:
    async with transaction(scope=[7]):
        await Opd.insert(_opd("R-1"))
        raise RuntimeError


async def test_a_rolled_back_scoped_transaction_tells_nothing(told: Told) -> None:
    with pytest.raises(RuntimeError):
        await _insert_then_fail()
    assert told == []


async def test_scoped_commits_move_the_employees_and_the_wide_version_not_the_global(
    db: None,
) -> None:
    # given the response cache's store registered for this process
    store = MemoryStore()
    response_cache.register(store)
    try:
        # when a scoped write and then an undeclared one commit
        async with transaction(scope=[7, 9]):
            await Opd.insert(_opd("V-1"))
        scoped = await store.mget(
            [response_cache.VERSION_KEY, response_cache.WIDE_KEY, "rc:v:emp:7", "rc:v:emp:9"]
        )
        async with transaction():
            await Opd.insert(_opd("V-2"))
        after = await store.mget([response_cache.VERSION_KEY, "rc:v:emp:7"])
    finally:
        response_cache.unregister(store)
        await store.close()
    # then the first moved employees 7 and 9 (and the wide version), the second the global one;
    # a new employee counter starts at a value no earlier window of it can have had
    assert scoped[0] is None
    assert all(value is not None and int(value) > 10**18 for value in scoped[1:])
    assert after == ["1", scoped[2]]
