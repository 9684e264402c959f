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
