"""Database, app, API-client and factory fixtures."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator

import httpx
import pytest
from litestar import Litestar

from portal.core.store import MemoryStore, RedisStore, Store
from portal.settings import Settings, get_settings
from support.api import Api
from support.factories import Factory
from support.services import in_ci, reachable

TABLES = [
    "mentoring_outcome",
    "mentoring_scoring_run",
    "official_document",
    "objection",
    "acting_appointment",
    "employee_move",
    "mentoring_alert",
    "mentoring_score",
    "course_rating",
    "recommendation_dismissal",
    "training_assignment",
    "course_session",
    "course_competency",
    "course",
    "competency",
    "adoption_latency_tail",
    "adoption_employee_week",
    "adoption_employee_fact",
    "adoption_survey_response",
    "adoption_survey",
    "adoption_session_feedback",
    "adoption_attendance",
    "adoption_invitation",
    "adoption_session_unit",
    "adoption_session",
    "adoption_program_unit",
    "adoption_program_opd",
    "adoption_program",
    "notification",
    "coaching_session",
    "coaching_assignment",
    "feedback_message_edit",
    "thread_read_state",
    "feedback_message",
    "feedback_thread",
    "dialog_action",
    "dialog_kinerja",
    "audit_entry",
    "refresh_token",
    "auth_session",
    "role_grant",
    "user_account",
    "evaluation_behaviour",
    "evaluation_indicator",
    "evaluation",
    "opd_curve",
    "incentive_rule",
    "activity",
    "indicator",
    "rhk",
    "skp_expectation",
    "skp_revision",
    "skp",
    "period",
    "employee",
    "unor",
    "opd",
]


async def _reset_postgres(settings: Settings) -> None:
    from portal.core.db import get_engine

    name = settings.database_url.rsplit("/", 1)[-1]
    if "test" not in name:
        raise RuntimeError(f"refusing to wipe database {name!r}: its name must contain 'test'")
    engine = get_engine()
    await engine.run_ddl("DROP SCHEMA IF EXISTS public CASCADE", in_pool=False)
    await engine.run_ddl("CREATE SCHEMA public", in_pool=False)


@pytest.fixture(scope="session")
async def settings() -> Settings:
    """Settings of the test run, with a freshly migrated database."""
    from portal.migrate import migrate

    settings = get_settings()
    if settings.is_postgres:
        if not reachable(settings.database_url):
            message = f"PostgreSQL unreachable at {settings.database_url}"
            if in_ci():
                pytest.fail(message)
            pytest.skip(message)
        await _reset_postgres(settings)
    if settings.redis_url and not reachable(settings.redis_url):
        message = f"Redis unreachable at {settings.redis_url}"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    await migrate(settings)
    return settings


@pytest.fixture(scope="session")
async def app(settings: Settings) -> Litestar:
    """The ASGI app under test."""
    from portal.app import create_app

    return create_app(settings)


@pytest.fixture(scope="session")
async def client(app: Litestar, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """HTTP client calling the app in the test's event loop.

    Litestar's test client runs the lifespan in a separate thread and loop, where an asyncpg
    pool could not be shared with the test code; so the app's startup runs here instead.
    """
    from portal.app import shutdown, startup

    await startup(app.state, settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
    await shutdown(app.state)


@pytest.fixture
async def db(settings: Settings, app: Litestar) -> None:
    """A clean database for one test, and an empty store beside it.

    The store holds what was derived from the previous test's rows: cached adoption metrics
    (ids repeat after a wipe, so a cached funnel would name this test's OPDs with the last
    test's numbers), export files, rate-limit and login-throttle counters (usernames repeat
    across tests, so one test's failed logins would slow down the next one's).
    """
    await wipe_database(settings)
    store = getattr(app.state, "store", None)
    if store is not None:
        await empty_store(store)


async def empty_store(store: Store) -> None:
    """Drop every key of a store (in-process or Redis, only under the store's own prefix)."""
    if isinstance(store, MemoryStore):
        store._data.clear()
    elif isinstance(store, RedisStore):
        async for key in store._redis.scan_iter(match=store._prefix + "*"):
            await store._redis.delete(key)
        store._fallback._data.clear()


async def wipe_database(settings: Settings) -> None:
    """Empty every table (for fixtures of a wider scope than ``db``)."""
    from portal.core.db import get_engine

    engine = get_engine()
    if settings.is_postgres:
        await engine.run_ddl(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    else:
        # One plain connection with foreign keys off: RESTRICT self-references (unit tree)
        # would refuse a bulk DELETE mid-statement.
        with sqlite3.connect(settings.sqlite_path) as conn:
            conn.execute("PRAGMA foreign_keys = OFF")
            for table in TABLES:
                conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names


@pytest.fixture
async def api(client: httpx.AsyncClient, db: None) -> Api:
    """GraphQL client speaking the named operations of graphql/operations/."""
    return Api(client)


@pytest.fixture
async def factory(db: None) -> Factory:
    """Builds organisations, employees and accounts directly in the database."""
    return Factory()
