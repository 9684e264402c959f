"""Database engines, transactions and the per-request SQL query counter.

The engine is chosen from settings: SQLite (WAL mode, IMMEDIATE write transactions, a busy
timeout) by default, PostgreSQL with an asyncpg pool when ``PORTAL_DATABASE_URL`` says so.
Every write in the portal goes through :func:`transaction`.
"""

from __future__ import annotations

import contextvars
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from portal.settings import Settings

_query_count: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "portal_query_count", default=None
)


def _count_query() -> None:
    counter = _query_count.get()
    if counter is not None:
        counter[0] += 1


@contextmanager
def count_queries() -> Iterator[list[int]]:
    """Count SQL statements run in this context (used by N+1 tests and benchmarks).

    Yields:
        A one-element list whose item is the running count.
    """
    counter = [0]
    token = _query_count.set(counter)
    try:
        yield counter
    finally:
        _query_count.reset(token)


class PortalSQLiteEngine(SQLiteEngine):
    """SQLite engine that counts queries."""

    async def run_querystring(self, querystring: Any, in_pool: bool = False) -> Any:  # noqa: ANN401
        """Run a query, counting it."""
        _count_query()
        return await super().run_querystring(querystring, in_pool=in_pool)


class PortalPostgresEngine(PostgresEngine):
    """PostgreSQL engine that counts queries."""

    async def run_querystring(self, querystring: Any, in_pool: bool = True) -> Any:  # noqa: ANN401
        """Run a query, counting it."""
        _count_query()
        return await super().run_querystring(querystring, in_pool=in_pool)


def build_engine(settings: Settings) -> Engine[Any]:
    """Create the engine the settings describe (no connection is opened here)."""
    if settings.is_postgres:
        dsn = settings.database_url.replace("postgres://", "postgresql://", 1)
        return PortalPostgresEngine(config={"dsn": dsn})
    path = settings.sqlite_path
    path.parent.mkdir(parents=True, exist_ok=True)
    # A generous busy timeout: writers queue behind each other instead of failing.
    return PortalSQLiteEngine(path=str(path), timeout=30)


def enable_wal(path: Path) -> None:
    """Switch a SQLite file to WAL mode (persistent in the file; readers never block writers)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")


def get_engine() -> Engine[Any]:
    """The engine configured in ``portal.piccolo_conf``."""
    from portal.piccolo_conf import DB  # noqa: PLC0415 - avoids an import cycle at start-up

    engine: Engine[Any] = DB
    return engine


AfterCommit = Callable[[], Awaitable[None]]

_after_commit: contextvars.ContextVar[list[AfterCommit] | None] = contextvars.ContextVar(
    "portal_after_commit", default=None
)


@asynccontextmanager
async def transaction() -> AsyncIterator[None]:
    """Run the block in one database transaction (IMMEDIATE on SQLite).

    Nested calls join the outer transaction, so a service may call another service. Callbacks
    registered with :func:`on_commit` run after the outermost transaction commits, never after
    a rollback.
    """
    engine = get_engine()
    if isinstance(engine, SQLiteEngine):
        tx = engine.transaction(transaction_type=TransactionType.immediate)
    else:
        tx = engine.transaction()
    if engine.current_transaction.get() is not None:
        async with tx:
            yield
        return
    callbacks: list[AfterCommit] = []
    token = _after_commit.set(callbacks)
    try:
        async with tx:
            yield
    finally:
        _after_commit.reset(token)
    for callback in callbacks:
        await callback()


async def on_commit(callback: AfterCommit) -> None:
    """Run ``callback`` once the current transaction commits (at once when none is open)."""
    pending = _after_commit.get()
    if pending is None:
        await callback()
    else:
        pending.append(callback)


def in_transaction() -> bool:
    """Whether a transaction is open in this task."""
    return get_engine().current_transaction.get() is not None


def is_sqlite() -> bool:
    """Whether the configured engine is SQLite."""
    return isinstance(get_engine(), SQLiteEngine)


def contains_ci(column: Any, text: str) -> Any:  # noqa: ANN401 - piccolo columns are untyped
    """Case-insensitive substring filter with LIKE wildcards in ``text`` escaped.

    SQLite's LIKE is already case-insensitive for ASCII; PostgreSQL needs ILIKE.
    """
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return column.like(pattern) if is_sqlite() else column.ilike(pattern)


def is_unique_violation(exc: BaseException) -> bool:
    """Whether ``exc`` is a unique-constraint violation on either engine."""
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc).upper()
    try:
        from asyncpg.exceptions import UniqueViolationError  # noqa: PLC0415
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        return False
    return isinstance(exc, UniqueViolationError)


async def bulk_insert(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert many rows fast, inside the current transaction (required).

    Demo seeding and benchmarks write millions of activity rows; building ORM objects for
    each would take minutes. SQLite gets one ``executemany``; PostgreSQL gets ``COPY``.
    """
    engine = get_engine()
    current = engine.current_transaction.get()
    if current is None:
        raise RuntimeError("bulk_insert needs an open transaction")
    if isinstance(engine, SQLiteEngine):
        placeholders = ", ".join("?" for _ in columns)
        names = ", ".join(f'"{c}"' for c in columns)
        await current.connection.executemany(
            f'INSERT INTO "{table}" ({names}) VALUES ({placeholders})',  # noqa: S608 - fixed names
            [tuple(r) for r in rows],
        )
    else:
        await current.connection.copy_records_to_table(
            table, records=[tuple(r) for r in rows], columns=list(columns)
        )
