"""PostgreSQL sessions of the portal plan every statement for its own values."""

from __future__ import annotations

import httpx
import pytest

from portal.core.db import get_engine
from portal.settings import Settings


async def test_statements_get_custom_plans_on_postgresql(
    settings: Settings, client: httpx.AsyncClient
) -> None:
    """``client`` starts the app, and with it the connection pool."""
    if not settings.is_postgres:
        pytest.skip("PostgreSQL only: SQLite has no plan cache")
    engine = get_engine()
    # several pooled statements in a row: the setting holds on every connection the pool hands out
    for _ in range(12):
        rows = await engine._run_in_pool("SHOW plan_cache_mode")  # type: ignore[attr-defined]
        assert rows[0]["plan_cache_mode"] == "force_custom_plan"
        rows = await engine._run_in_pool("SHOW jit")  # type: ignore[attr-defined]
        assert rows[0]["jit"] == "off"


async def test_a_released_connection_is_not_reset_but_an_open_transaction_is_rolled_back(
    settings: Settings, client: httpx.AsyncClient
) -> None:
    """No reset statement per release (the portal keeps no session state); no leaked transaction."""
    if not settings.is_postgres:
        pytest.skip("PostgreSQL only: SQLite has no connection pool")
    pool = get_engine().pool  # type: ignore[attr-defined]
    sent: list[str] = []
    connection = await pool.acquire()
    connection.add_query_logger(lambda record: sent.append(record.query))
    await connection.execute("BEGIN")
    await connection.execute("CREATE TEMPORARY TABLE released_probe (id int) ON COMMIT DROP")
    await pool.release(connection)  # left inside its transaction: the pool rolls it back
    assert sent[-1] == "ROLLBACK"
    assert not any("RESET ALL" in query for query in sent)
    async with pool.acquire() as again:
        assert not again.is_in_transaction()
        exists = await again.fetchval("SELECT to_regclass('released_probe') IS NOT NULL")
    assert exists is False
