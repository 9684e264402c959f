"""Typed settings read from the environment.

With nothing set the portal runs on a SQLite file under ``./var`` with an in-process broker and
store, so one command starts it. ``PORTAL_DATABASE_URL`` (``postgresql://…``) and
``PORTAL_REDIS_URL`` switch to the shared services that several workers need.
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEV_SECRET = "development-only-secret-do-not-use-in-production"  # noqa: S105


class Environment(enum.StrEnum):
    """Deployment environment."""

    DEVELOPMENT = "development"
    PRODUCTION = "production"


class SettingsError(RuntimeError):
    """Raised when the environment does not describe a valid configuration."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Portal configuration; build it with :func:`load_settings`."""

    database_url: str
    redis_url: str | None
    env: Environment
    secret_key: str
    access_token_minutes: int = 15
    refresh_token_days: int = 14
    lockout_threshold: int = 5
    lockout_minutes: int = 15
    db_pool_min: int = 2
    db_pool_max: int = 10
    max_query_depth: int = 10
    max_aliases: int = 30
    max_tokens: int = 4000
    max_page_size: int = 100
    cors_origins: tuple[str, ...] = field(default=())
    query_count_header: bool = False
    redis_prefix: str = "portal:"
    rate_limit_per_minute: int = 600

    @property
    def is_postgres(self) -> bool:
        """Whether the database is PostgreSQL (otherwise SQLite)."""
        return self.database_url.startswith(("postgresql://", "postgres://"))

    @property
    def sqlite_path(self) -> Path:
        """Path of the SQLite file (only meaningful when not on PostgreSQL)."""
        return Path(self.database_url.removeprefix("sqlite:///"))

    @property
    def is_production(self) -> bool:
        """Whether production hardening applies (no GraphiQL, no introspection)."""
        return self.env is Environment.PRODUCTION


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from exc


def load_settings() -> Settings:
    """Read settings from ``PORTAL_*`` environment variables.

    Raises:
        SettingsError: when a value is invalid, or production runs without a secret key.
    """
    env_raw = os.environ.get("PORTAL_ENV", Environment.DEVELOPMENT.value).lower()
    try:
        env = Environment(env_raw)
    except ValueError as exc:
        raise SettingsError("PORTAL_ENV must be 'development' or 'production'") from exc
    database_url = os.environ.get("PORTAL_DATABASE_URL") or "sqlite:///var/portal.sqlite"
    if not database_url.startswith(("sqlite:///", "postgresql://", "postgres://")):
        raise SettingsError("PORTAL_DATABASE_URL must start with sqlite:/// or postgresql://")
    secret = os.environ.get("PORTAL_SECRET_KEY", "")
    if env is Environment.PRODUCTION and len(secret) < 32:  # noqa: PLR2004
        raise SettingsError(
            "PORTAL_SECRET_KEY (at least 32 characters) is required when PORTAL_ENV=production"
        )
    origins = tuple(o for o in os.environ.get("PORTAL_CORS_ORIGINS", "").split(",") if o)
    return Settings(
        database_url=database_url,
        redis_url=os.environ.get("PORTAL_REDIS_URL") or None,
        env=env,
        secret_key=secret or DEV_SECRET,
        access_token_minutes=_int("PORTAL_ACCESS_TOKEN_MINUTES", 15),
        refresh_token_days=_int("PORTAL_REFRESH_TOKEN_DAYS", 14),
        lockout_threshold=_int("PORTAL_LOCKOUT_THRESHOLD", 5),
        lockout_minutes=_int("PORTAL_LOCKOUT_MINUTES", 15),
        db_pool_min=_int("PORTAL_DB_POOL_MIN", 2),
        db_pool_max=_int("PORTAL_DB_POOL_MAX", 10),
        cors_origins=origins,
        query_count_header=os.environ.get("PORTAL_QUERY_COUNT_HEADER") == "1",
        redis_prefix=os.environ.get("PORTAL_REDIS_PREFIX") or "portal:",
        rate_limit_per_minute=_int("PORTAL_RATE_LIMIT_PER_MINUTE", 600),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return load_settings()
