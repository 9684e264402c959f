"""Database engines, transactions and the per-request SQL query counter.

The engine is chosen from settings: SQLite (WAL mode, IMMEDIATE write transactions, a busy
timeout) by default, PostgreSQL with an asyncpg pool when ``PORTAL_DATABASE_URL`` says so.
Every write in the portal goes through :func:`transaction`.
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import json
import logging
import re
import sqlite3
import string
import weakref
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    Iterable,
    Iterator,
    Sequence,
)
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager, nullcontext
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import asyncpg.exceptions as pg_errors
from piccolo.columns import Column, ForeignKey
from piccolo.columns.combination import WhereRaw
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType
from piccolo.querystring import QueryString

from portal.core.errors import ServiceUnavailableError
from portal.core.pagination import HasId, Page, PageRequest, page_of
from portal.settings import Settings

logger = logging.getLogger("portal.db")

_query_count: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "portal_query_count", default=None
)


def _count_query() -> None:
    counter = _query_count.get()
    if counter is not None:
        counter[0] += 1


AfterWrite = Callable[[frozenset[int] | None], Awaitable[None]]
"""Told after a committed write: the employees it was scoped to, or None (unscoped)."""
_write_listener: AfterWrite | None = None
# Tables whose writes change nothing a cached read shows (the audit trail, login sessions):
# a login must not invalidate every cached answer.
_UNREAD_TABLES = frozenset({"audit_entry", "auth_session"})
_WRITE_WORDS = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)
_write_scope: contextvars.ContextVar[frozenset[int] | None] = contextvars.ContextVar(
    "portal_write_scope", default=None
)


def set_write_listener(listener: AfterWrite | None) -> None:
    """Call ``listener`` after every committed write (the response cache's data versions).

    Every statement that is not a plain read counts, whoever runs it (services, imports, jobs,
    tests): inside :func:`transaction` the listener runs once, after the commit; outside, after
    the statement (it committed on its own). A write in a bare Piccolo transaction would be
    noticed before its commit: writes go through :func:`transaction` (ARCHITECTURE.md).

    The listener gets the employees the write was scoped to (:func:`write_scope`) when
    *every* write statement of the transaction ran under a declared scope, else None.
    """
    global _write_listener  # noqa: PLW0603 - one process-wide hook, set by the app at start-up
    _write_listener = listener


@contextmanager
def write_scope(employee_ids: Iterable[int | None]) -> Iterator[None]:
    """Declare whom the writes of the block change: every viewer whose screens show them.

    The employees must cover every row the block's statements write that a hot screen reads
    (the activity's owner, whoever gets a notification, both sides of a feedback thread...):
    the response cache then moves only their data versions, and answers that depend on
    nobody of them stay cached. A write outside any scope moves the global version, so a
    forgotten declaration costs hits, never correctness; a scope too narrow serves stale
    answers (``tests/integration/test_response_cache.py`` compares them). Nested scopes add up.
    """
    outer = _write_scope.get() or frozenset()
    ids = frozenset(i for i in employee_ids if i is not None)
    token = _write_scope.set(outer | ids)
    try:
        yield
    finally:
        _write_scope.reset(token)


@dataclasses.dataclass(slots=True)
class _Written:
    """What the write statements of one open transaction touched."""

    any: bool = False
    unscoped: bool = False
    employees: set[int] = dataclasses.field(default_factory=set)


_written: contextvars.ContextVar[_Written | None] = contextvars.ContextVar(
    "portal_written", default=None
)


def writes(querystring: Any) -> bool:  # noqa: ANN401 - a Piccolo QueryString
    """Whether a statement may change rows a read shows (unsure counts as a write)."""
    meta = getattr(querystring.table, "_meta", None)
    if meta is not None and meta.tablename in _UNREAD_TABLES:
        return False
    node = querystring
    while node.template.startswith("{}") and node.args and hasattr(node.args[0], "template"):
        node = node.args[0]  # an UPDATE or DELETE is "{} WHERE {}" around its head
    head = node.template.lstrip()[:6].upper()
    if head.startswith("SELECT"):
        return False
    if head.startswith("WITH"):  # a read, unless a data-modifying CTE hides in it
        return _WRITE_WORDS.search(node.template) is not None
    return True


async def _noted(querystring: Any) -> None:  # noqa: ANN401 - a Piccolo QueryString
    """Tell the write listener about a write (after the commit when a transaction is open)."""
    listener = _write_listener
    if listener is None or not writes(querystring):
        return
    scope = _write_scope.get()
    written = _written.get()
    if written is None:
        await listener(scope)
        return
    written.any = True
    if scope is None:
        written.unscoped = True
    else:
        written.employees |= scope


async def _counted(querystring: Any, run: Awaitable[Any]) -> Any:  # noqa: ANN401
    """Count the statement, ``run`` it (the engine's own run) and note it if it writes."""
    _count_query()
    result = await run
    if _write_listener is not None:
        await _noted(querystring)
    return result


@contextmanager
def count_queries() -> Iterator[list[int]]:
    """Count SQL statements run in this context (used by N+1 tests and benchmarks).

    Yields:
        A one-element list whose item is the running count.
    """
    counter = [0]
    outer = _query_count.get()
    token = _query_count.set(counter)
    try:
        yield counter
    finally:
        _query_count.reset(token)
        if outer is not None:  # nested counters (metrics around a benchmark header) both count
            outer[0] += counter[0]


class PortalSQLiteTransaction(SQLiteTransaction):
    """A transaction that rolls back and closes its connection also when cancelled again.

    Piccolo's exit skips the close when the ROLLBACK is interrupted: a request cancelled a
    second time meanwhile (an anyio cancel scope does that at every await) left its aiosqlite
    connection open, with its non-daemon thread, for the life of the process.
    """

    __slots__ = ()

    async def __aexit__(
        self,
        exception_type: type[BaseException] | None,
        exception: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        """COMMIT and close as Piccolo does; on error, ROLLBACK and close come what may."""
        if self._parent or exception is None:
            return bool(await super().__aexit__(exception_type, exception, traceback))
        self.engine.current_transaction.reset(self.context)
        await _to_the_end(self._roll_back_and_close())  # as in PortalPostgresTransaction
        return False

    async def _roll_back_and_close(self) -> None:
        try:
            if not self._rolled_back:
                await self.rollback()  # type: ignore[no-untyped-call]
        except Exception:  # the original error is the one to report; closing rolls back anyway
            logger.debug("rollback failed", exc_info=True)
        finally:
            await self.connection.close()


class PortalSQLiteEngine(SQLiteEngine):
    """SQLite engine that counts queries."""

    async def run_querystring(self, querystring: Any, in_pool: bool = False) -> Any:  # noqa: ANN401
        """Run a query, counting it (and noting a write)."""
        return await _counted(querystring, super().run_querystring(querystring, in_pool=in_pool))

    def transaction(
        self,
        transaction_type: TransactionType = TransactionType.deferred,
        allow_nested: bool = True,
    ) -> SQLiteTransaction:
        """A transaction that closes its connection even when its rollback is interrupted."""
        return PortalSQLiteTransaction(
            engine=self, transaction_type=transaction_type, allow_nested=allow_nested
        )


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
        if exception is not None:
            self.engine.current_transaction.reset(self.context)
            # A cancelled request may be cancelled again while it rolls back: anyio cancel
            # scopes re-deliver the cancellation at every await until they exit, and a timeout
            # can fire on top of another cancellation. Interrupted there, the connection was
            # never given back: checked out for good, idle in its transaction (with its locks
            # unless the server had aborted it), so TRUNCATE and even the pool's close waited
            # forever. The rollback and the release therefore run to their end in a task of
            # their own, which a cancellation of this one does not stop.
            lost = await _to_the_end(self._roll_back_and_give_back())
        else:
            broken = False
            if not self._committed and not self._rolled_back:
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

    async def _roll_back_and_give_back(self) -> bool:
        """ROLLBACK and release the connection; return whether the connection was lost."""
        broken = False
        if not self._rolled_back:
            try:
                await self.rollback()  # type: ignore[no-untyped-call]
            except Exception:  # noqa: BLE001 - the original error is the one to report
                # The connection is gone (the server rolled the transaction back) or in an
                # unknown state: never hand it to the next request.
                broken = True
        lost = _is_closed(self.connection)
        await self._give_back(broken=broken)
        return lost

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


def _idle(connection: Any) -> bool:  # noqa: ANN401 - an asyncpg connection
    """Whether nothing runs on the connection: no query being cancelled, no transaction."""
    protocol = getattr(connection, "_protocol", None)
    cancelling = getattr(protocol, "_is_cancelling", None)
    return (
        protocol is not None
        and cancelling is not None
        and not cancelling()
        and not getattr(connection, "_cancellations", True)
        and not connection.is_in_transaction()
    )


async def _keep_session(connection: Any) -> None:  # noqa: ANN401 - an asyncpg connection
    """Give an idle connection back to the pool without asyncpg's reset statement.

    asyncpg's pool sends ``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL``
    on every release: one more round trip for each statement run outside a transaction (the
    session read of every request among them). The portal keeps no session state to undo: no
    advisory locks, no ``LISTEN``, no cursors outside transactions, no session ``SET`` (its
    settings are startup parameters). An open transaction is still rolled back: the pool does
    that itself before calling this. A connection released in the middle of something (a
    cancelled query whose rows may still be streaming) gets asyncpg's full reset, as before,
    which fails on a busy connection and makes the pool terminate it.
    """
    if not _idle(connection):
        await connection.reset()


class PortalPostgresEngine(PostgresEngine):
    """PostgreSQL engine that counts queries and survives lost connections."""

    async def start_connection_pool(self, **kwargs: Any) -> None:  # noqa: ANN401
        """The pool, releasing connections without a reset statement (:func:`_keep_session`)."""
        await super().start_connection_pool(**{"reset": _keep_session, **kwargs})

    async def run_querystring(self, querystring: Any, in_pool: bool = True) -> Any:  # noqa: ANN401
        """Run a query, counting it (and noting a write)."""
        return await _counted(querystring, super().run_querystring(querystring, in_pool=in_pool))

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


_T = TypeVar("_T")
_Row = TypeVar("_Row", bound=HasId)
_finishing: set[asyncio.Task[Any]] = set()


async def _to_the_end(work: Coroutine[Any, Any, _T]) -> _T:
    """Await ``work`` in a task of its own, which a cancellation of the caller does not stop.

    A cancelled caller stops waiting at once (the cancellation propagates) while ``work`` goes
    on to its end; the task is kept referenced until then.
    """
    task = asyncio.ensure_future(work)
    _finishing.add(task)
    task.add_done_callback(_finishing.discard)
    return await asyncio.shield(task)


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
        # No JIT: it pays off for long analytical queries, not for a request's short statements,
        # and a high cost estimate alone switched it on (27 ms of compiling for a 3 ms
        # recursive subordinate lookup).
        server_settings = {"plan_cache_mode": "force_custom_plan", "jit": "off"}
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
async def transaction(scope: Iterable[int | None] | None = None) -> AsyncIterator[None]:
    """Run the block in one database transaction (IMMEDIATE on SQLite).

    Nested calls join the outer transaction, so a service may call another service. Callbacks
    registered with :func:`on_commit` run after the outermost transaction commits, never after
    a rollback. ``scope``: the block's writes change only what screens show of these
    employees (:func:`write_scope`).
    """
    engine = get_engine()
    if isinstance(engine, SQLiteEngine):
        tx = engine.transaction(transaction_type=TransactionType.immediate)
    else:
        tx = engine.transaction()
    scoped = nullcontext() if scope is None else write_scope(scope)
    if engine.current_transaction.get() is not None:
        async with tx:
            with scoped:
                yield
        return
    callbacks: list[AfterCommit] = []
    written = _Written()
    token = _after_commit.set(callbacks)
    written_token = _written.set(written)
    try:
        async with _writer_turn(engine), tx:
            with scoped:
                yield
    finally:
        _written.reset(written_token)
        _after_commit.reset(token)
    listener = _write_listener
    if written.any and listener is not None:
        await listener(None if written.unscoped else frozenset(written.employees))
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


@asynccontextmanager
async def one_connection() -> AsyncIterator[None]:
    """Run a block of reads on one connection (a plain transaction, not the writers' queue).

    Outside a transaction every statement takes a pooled connection and gives it back, and
    asyncpg resets the session on each return: a second round trip per statement (SQLite opens
    a connection per statement). Inside an open transaction the block simply joins it. Writes
    still go through :func:`transaction`.
    """
    async with get_engine().transaction():
        yield


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


_numbered: dict[str, str] = {}


def _postgres_sql(template: str) -> str:
    """A statement with Piccolo's ``{}`` placeholders as PostgreSQL's ``$1…`` (once per text)."""
    sql = _numbered.get(template)
    if sql is None:
        fields = sum(1 for _, name, _, _ in string.Formatter().parse(template) if name is not None)
        sql, _ = QueryString(template, *([None] * fields)).compile_string(engine_type="postgres")
        _numbered[template] = sql
    return sql


async def fetch_rows(template: str, *args: Any) -> Sequence[Sequence[Any]]:  # noqa: ANN401
    """The rows of one read statement as tuples, in the select list's order.

    ``template`` is raw SQL with Piccolo's ``{}`` placeholders, like ``Table.raw``'s, but
    only a read (no write listener is told). On PostgreSQL the rows are asyncpg's records
    as they come (they index like tuples): no Piccolo query object, no compiling the
    statement again, no dict for every row. On SQLite, Piccolo's rows in column order.
    """
    engine = get_engine()
    if isinstance(engine, PortalPostgresEngine):
        sql = _postgres_sql(template)
        transaction = engine.current_transaction.get()
        if transaction is not None:
            _count_query()
            rows: Sequence[Sequence[Any]] = await transaction.connection.fetch(sql, *args)
            return rows
        if engine.pool is not None:
            _count_query()
            pooled: Sequence[Sequence[Any]] = await engine._run_in_pool(sql, args)  # noqa: SLF001
            return pooled
    found = await engine.run_querystring(QueryString(template, *args))
    return [tuple(row.values()) for row in found]


def select_list(*columns: Any) -> str:  # noqa: ANN401 - piccolo columns are untyped
    """The SELECT list Piccolo writes for plain ``columns`` (aliases included), for raw SQL.

    Hot read paths build their statement once at import: building a Piccolo select walks every
    column through ``ForeignKey.__getattribute__`` on each call (a fifth of a 96-member team
    dashboard's CPU went to composing its SQL).
    """
    return ", ".join(str(c.get_select_string("postgres", with_alias=True)) for c in columns)


def ids_match(qualified_column: str, sql_type: str = "bigint") -> str:
    """SQL testing ``qualified_column`` against a list bound as one parameter (:func:`ids_param`).

    PostgreSQL: ``= ANY({}::bigint[])``; SQLite: ``IN (SELECT value FROM json_each({}))``.
    One parameter instead of one per value: Piccolo's ``is_in`` cleans every value through the
    column, and a statement text that grows with the list defeats asyncpg's statement cache.
    """
    if is_sqlite():
        return f"{qualified_column} IN (SELECT value FROM json_each({{}}))"  # noqa: S608
    return f"{qualified_column} = ANY({{}}::{sql_type}[])"


def ids_param(ids: Iterable[int]) -> Any:  # noqa: ANN401 - list or JSON text, per engine
    """The bound value for :func:`ids_match` (an empty list matches nothing)."""
    values = sorted({int(i) for i in ids})
    return json.dumps(values) if is_sqlite() else values


def texts_param(texts: Iterable[str]) -> Any:  # noqa: ANN401 - list or JSON text, per engine
    """The bound value for ``ids_match(column, "text")``: a list of strings."""
    values = sorted(set(texts))
    return json.dumps(values) if is_sqlite() else values


def id_in(column: Any, ids: Iterable[int]) -> WhereRaw:  # noqa: ANN401 - piccolo column
    """``column IN ids`` for a Piccolo ``where``, the list bound as one parameter.

    See :func:`ids_match`. Only a table's own integer column (no joined call chain).
    """
    return WhereRaw(ids_match(column_sql(column)), ids_param(ids))


def texts_in(column: Any, texts: Iterable[str]) -> WhereRaw:  # noqa: ANN401 - piccolo column
    """``column IN texts`` for a text column, the list bound as one parameter (as :func:`id_in`)."""
    return WhereRaw(ids_match(column_sql(column), "text"), texts_param(texts))


def column_sql(column: Any) -> str:  # noqa: ANN401 - piccolo column
    """``"table"."column"``: a table's own column (no joined call chain) in raw SQL."""
    meta = column._meta  # noqa: SLF001 - piccolo's public column metadata
    if meta.call_chain:
        raise ValueError("expected a column of the queried table, not a joined one")
    return f'"{meta.table._meta.tablename}"."{meta.db_column_name}"'  # noqa: SLF001 - as above


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


INSERT_CHUNK = 500  # rows per INSERT statement: well inside SQLite's and PostgreSQL's bind limits


async def insert_returning(
    table: Any,  # noqa: ANN401 - a piccolo table class
    rows: Sequence[Any],
    *returning: Any,  # noqa: ANN401 - piccolo columns
) -> list[dict[str, Any]]:
    """Insert ORM rows, one statement per :data:`INSERT_CHUNK`; the ``returning`` columns.

    Match the answers to the rows by a column, not by position. For writes whose number of
    rows is the caller's (bulk assignments, templates): the statement count stays put however
    long the list gets.
    """
    found: list[dict[str, Any]] = []
    for start in range(0, len(rows), INSERT_CHUNK):
        found += await table.insert(*rows[start : start + INSERT_CHUNK]).returning(*returning)
    return found


UPDATE_CHUNK = 500  # rows per UPDATE ... FROM (VALUES ...): up to 60 columns within the bind limits


def _cell(column: Any) -> str:  # noqa: ANN401 - piccolo column
    """The placeholder of a value written to ``column``: PostgreSQL is told its type."""
    if is_sqlite():
        return "{}"
    declared = str(column.column_type)
    sql_type = {"SERIAL": "INTEGER", "BIGSERIAL": "BIGINT"}.get(declared.upper(), declared)
    return f"CAST({{}} AS {sql_type})"


async def update_rows(
    keys: Sequence[Any],  # piccolo columns
    columns: Sequence[Any],  # piccolo columns
    rows: Sequence[Sequence[Any]],
    *,
    null_keeps: bool = False,
) -> None:
    """Give many rows their own values with one statement per :data:`UPDATE_CHUNK` rows.

    Each row is the ``keys``' values then the ``columns``' values; the table's rows matching
    the keys get those values: ``UPDATE t SET c = v.columnN FROM (VALUES (...), ...) AS v WHERE
    t.k = v.column1``, which both engines read (SQLite since 3.33; PostgreSQL is told each
    value's type). With ``null_keeps`` a None leaves the stored value as it is. For writes
    whose number of rows is the caller's (an import, an evaluation's lines): the statement
    count stays put however long the list gets.
    """
    if not rows:
        return
    table = keys[0]._meta.table  # noqa: SLF001 - piccolo's public column metadata
    name = table._meta.tablename  # noqa: SLF001 - as above
    every = [*keys, *columns]
    if len(every) > 60:  # noqa: PLR2004 - UPDATE_CHUNK's bound
        raise ValueError("update_rows writes at most 60 columns")
    # one row of placeholders (values of several columns, not an id list: see ids_match)
    cells = ", ".join(_cell(c) for c in every)
    sets = ", ".join(
        f'"{c._meta.db_column_name}" = '  # noqa: SLF001 - as above
        + (
            f'COALESCE(v.column{n}, "{name}"."{c._meta.db_column_name}")'  # noqa: SLF001
            if null_keeps
            else f"v.column{n}"
        )
        for n, c in enumerate(columns, start=len(keys) + 1)
    )
    match = " AND ".join(
        f'"{name}"."{k._meta.db_column_name}" = v.column{n}'  # noqa: SLF001 - as above
        for n, k in enumerate(keys, start=1)
    )
    for start in range(0, len(rows), UPDATE_CHUNK):
        chunk = rows[start : start + UPDATE_CHUNK]
        values = ", ".join(f"({cells})" for _ in chunk)
        await table.raw(
            f'UPDATE "{name}" SET {sets} FROM (VALUES {values}) AS v WHERE {match}',  # noqa: S608 - column names and placeholders only
            *(value for row in chunk for value in row),
        )


def row_columns(table: Any, row: type, **computed: Any) -> tuple[Any, ...]:  # noqa: ANN401
    """The select list that fills the dataclass ``row``, in its field order.

    Each field is ``computed[name]`` when given (a joined or aliased column), else the table's
    column of that name, else, for a field ``x_id``, the foreign key ``x`` aliased ``x_id``.
    The row type is then the one place a domain lists what it reads.
    """
    columns: list[Any] = []
    for item in dataclasses.fields(row):
        name = item.name
        if name in computed:
            columns.append(computed[name])
        elif isinstance(getattr(table, name, None), Column):
            columns.append(getattr(table, name))
        elif name.endswith("_id") and isinstance(getattr(table, name[:-3], None), ForeignKey):
            columns.append(getattr(table, name[:-3]).as_alias(name))
        else:
            raise ValueError(f"{table.__name__} has no column for {row.__name__}.{name}")
    return tuple(columns)


async def newest_first(
    table: Any,  # noqa: ANN401 - piccolo table
    columns: Sequence[Any],
    where: Sequence[Any],
    request: PageRequest,
    convert: Callable[[dict[str, Any]], _Row],
    *,
    total: int | None = None,
) -> Page[_Row]:
    """A page of the table's rows matching every clause of ``where``, newest (highest id) first.

    ``columns`` are selected and each row made with ``convert``; the matching rows are counted
    unless the caller knows their ``total``.
    """
    query = table.select(*columns).order_by(table.id, ascending=False)
    count = table.count()
    for clause in where:
        query = query.where(clause)
        count = count.where(clause)
    if request.after_pk is not None:
        query = query.where(table.id < request.after_pk)
    rows = [convert(r) for r in await query.limit(request.first + 1)]
    return page_of(rows, request, await count if total is None else total)


async def ping() -> None:
    """One round trip to the database (readiness probes)."""
    engine = get_engine()
    await engine.run_ddl("SELECT 1", in_pool=isinstance(engine, PostgresEngine))


def pool_state() -> tuple[int, int, int] | None:
    """(size, idle, max) of the PostgreSQL pool, or None (SQLite, or no pool open)."""
    pool = getattr(get_engine(), "pool", None)
    if pool is None:
        return None
    return pool.get_size(), pool.get_idle_size(), pool.get_max_size()
