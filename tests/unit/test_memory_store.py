"""The in-process store drops expired keys that nobody reads again, and answers MGET."""

from __future__ import annotations

import pytest

from portal.core import store as store_module
from portal.core.store import MemoryStore


async def test_expired_keys_are_swept_without_being_read(monkeypatch: pytest.MonkeyPatch) -> None:
    # given yesterday's entries, never read again, and a clock past their expiry
    now = [1000.0]
    monkeypatch.setattr(store_module.time, "monotonic", lambda: now[0])
    store = MemoryStore()
    for i in range(10):
        await store.set(f"old:{i}", "x", ttl_seconds=60)
    now[0] += 61

    # when enough new entries are written
    for i in range(MemoryStore.SWEEP_EVERY):
        await store.set(f"new:{i}", "y", ttl_seconds=60)

    # then the old ones are gone from memory, the new ones stay
    assert not any(key.startswith("old:") for key in store._data)
    assert await store.mget(["new:0", "old:0", "missing"]) == ["y", None, None]
