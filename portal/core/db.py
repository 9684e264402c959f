"""Database engines, transactions and the per-request SQL query counter.

The engine is chosen from settings: SQLite (WAL mode, IMMEDIATE write transactions, a busy
timeout) by default, PostgreSQL with an asyncpg pool when ``PORTAL_DATABASE_URL`` says so.
Every write in the portal goes through :func:`transaction`.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import sqlite3
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager, nullcontext
from pathlib import Path
from types import TracebackType
from typing import Any

import asyncpg.exceptions as pg_errors
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from portal.core.errors import ServiceUnavailableError
from portal.settings import Settings

logger = logging.getLogger("portal.db")

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


class PortalPostgresTransaction(PostgresTransaction):
    """A transaction that always gives its connection back, also when the server went away.

    Piccolo's own exit returns the connection to the pool only when COMMIT or ROLLBACK works,
    and resets the task's current transaction only then: after a server restart ROLLBACK fails
    on the dead connection, so the pool slot could leak and later queries of the task would
    still use the dead connection. Here the connection is released (or, when its state is
    unknown, terminated so the pool opens a fresh one) whatever happens, and a failure caused
    by the lost connection surfaces as :class:`ServiceUnavailableError`.
    """

    __slots__ = ()

    async def __aenter__(self) -> PostgresTransaction:
        """Take a pooled connection and BEGIN (giving the connection back if BEGIN fails)."""
        if self._parent is not None:
            return self._parent
        self.connection = await self.get_connection()  # type: ignore[no-untyped-call]
        try:
            self.transaction = self.connection.transaction()
            await self.begin()  # type: ignore[no-untyped-call]
        except BaseException as exc:
            lost = _is_closed(self.connection)
            await self._give_back(broken=True)
            if isinstance(exc, Exception) and (lost or _connection_lost(exc)):
                raise ServiceUnavailableError("database connection lost") from exc
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(
        self,
        exception_type: type[BaseException] | None,
        exception: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        """COMMIT, or ROLLBACK on error; always release the connection and the task."""
        if self._parent:
            return exception is None
        failure = exception
        broken = False
        if exception is not None:
            if not self._rolled_back:
                try:
                    await self.rollback()  # type: ignore[no-untyped-call]
                except Exception:  # noqa: BLE001 - the original error is the one to report
                    # The connection is gone (the server rolled the transaction back) or in an
                    # unknown state: never hand it to the next request.
                    broken = True
        elif not self._committed and not self._rolled_back:
            try:
                await self.commit()  # type: ignore[no-untyped-call]
            except BaseException as exc:  # noqa: BLE001 - re-raised below, after the release
                broken = True  # applied or not, we cannot tell: retries must be idempotent
                failure = exc
        lost = _is_closed(self.connection)
        self.engine.current_transaction.reset(self.context)
        await self._give_back(broken=broken)
        if failure is None:
            return True
        if isinstance(failure, Exception) and (lost or _connection_lost(failure)):
            raise ServiceUnavailableError("database connection lost") from failure
        if failure is not exception:
            raise failure
        return False

    async def _give_back(self, *, broken: bool) -> None:
        connection = self.connection
        try:
            if broken and not _is_closed(connection):
                connection.terminate()
            if self.engine.pool:
                await self.engine.pool.release(connection)
            elif not _is_closed(connection):
                await connection.close()
        except Exception:  # asyncpg terminates what it cannot reset
            logger.debug("discarded a broken database connection", exc_info=True)


class PortalPostgresEngine(PostgresEngine):
    """PostgreSQL engine that counts queries and survives lost connections."""

    async def run_querystring(self, querystring: Any, in_pool: bool = True) -> Any:  # noqa: ANN401
        """Run a query, counting it."""
        _count_query()
        return await super().run_querystring(querystring, in_pool=in_pool)

    async def _run_in_pool(self, query: str, args: Sequence[Any] | None = None) -> Any:  # noqa: ANN401
        """Run one statement on a pooled connection; a connection lost under it is typed."""
        if not self.pool:
            raise ValueError("A pool isn't currently running.")
        connection = await self.pool.acquire()
        try:
            return await connection.fetch(query, *(args or []))
        except Exception as exc:
            if not _connection_lost(exc) and _is_closed(connection):
                raise ServiceUnavailableError("database connection lost") from exc
            raise
        finally:
            try:
                await self.pool.release(connection)
            except Exception:  # the result is good; asyncpg dropped what it could not reset
                logger.debug("discarded a broken database connection", exc_info=True)

    def transaction(self, allow_nested: bool = True) -> PostgresTransaction:
        """A transaction that releases its connection even when the server went away."""
        return PortalPostgresTransaction(engine=self, allow_nested=allow_nested)


# Failures that mean "the database cannot be reached right now" rather than "this request is
# wrong": refused or reset connections, a server shutting down or starting up, a session the
# server terminated, no free connection slots.
_UNAVAILABLE: tuple[type[BaseException], ...] = (
    ServiceUnavailableError,
    ConnectionError,  # refused, reset, aborted, broken pipe
    pg_errors.PostgresConnectionError,  # class 08, and ConnectionDoesNotExistError
    pg_errors.CannotConnectNowError,  # 57P03: starting up / shutting down
    pg_errors.AdminShutdownError,  # 57P01
    pg_errors.CrashShutdownError,  # 57P02
    pg_errors.TooManyConnectionsError,  # 53300
    # asyncpg's protocol lost track of a session the server ended under it ("cannot switch to
    # state …; another operation is in progress"): that connection is unusable, a new one works
    pg_errors.InternalClientError,
)


def _is_closed(connection: Any) -> bool:  # noqa: ANN401 - asyncpg connection or pool proxy
    """Whether a connection is closed; one the pool already took back (it closed) counts too."""
    try:
        return bool(connection.is_closed())
    except pg_errors.InterfaceError:  # "connection has been released back to the pool"
        return True


def _connection_lost(exc: BaseException) -> bool:
    return isinstance(exc, _UNAVAILABLE)


def database_unavailable(exc: BaseException) -> bool:
    """Whether ``exc``, or an exception that led to it, means the database is unreachable.

    SQLite counts as unavailable when a writer waited out the whole busy timeout.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if _connection_lost(current):
            return True
        if isinstance(current, sqlite3.OperationalError) and "locked" in str(current):
            return True
        current = current.__cause__ or current.__context__
    return False


def build_engine(settings: Settings) -> Engine[Any]:
    """Create the engine the settings describe (no connection is opened here)."""
    if settings.is_postgres:
        dsn = settings.database_url.replace("postgres://", "postgresql://", 1)
        # Every statement is planned for its own values. Piccolo sends IN lists as parameters,
        # and after five runs of one statement PostgreSQL may switch to a generic plan that
        # cannot see them: the team dashboard's tally then read a whole year of activities
        # through the date index (375 ms instead of 15 ms on the 13 000-employee bench city).
        server_settings = {"plan_cache_mode": "force_custom_plan"}
        return PortalPostgresEngine(config={"dsn": dsn, "server_settings": server_settings})
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
        async with _writer_turn(engine), tx:
            yield
    finally:
        _after_commit.reset(token)
    for callback in callbacks:
        await callback()


_sqlite_writers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def _writer_turn(engine: Engine[Any]) -> AbstractAsyncContextManager[Any]:
    """On SQLite, one write transaction at a time per process, in arrival order.

    SQLite has one writer at a time anyway. Without this, every concurrent request of the
    process would wait in BEGIN IMMEDIATE on SQLite's busy handler, which polls (up to every
    100 ms), keeps a thread per waiter and lets late arrivals overtake: under 20 concurrent
    writers requests starved past the 10 s operation timeout. Queued on an asyncio lock they
    are served in order; only the other worker processes still meet on the busy timeout.
    """
    if not isinstance(engine, SQLiteEngine):
        return nullcontext()
    loop = asyncio.get_running_loop()
    lock = _sqlite_writers.get(loop)
    if lock is None:
        lock = _sqlite_writers[loop] = asyncio.Lock()
    return lock


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
