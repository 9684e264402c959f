"""Typed settings read from the environment.

With nothing set the portal runs on a SQLite file under ``./var`` with an in-process broker and
store, so one command starts it. ``PORTAL_DATABASE_URL`` (``postgresql://…``) and
``PORTAL_REDIS_URL`` switch to the shared services that several workers need.
"""

from __future__ import annotations

import enum
import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Where a development run keeps the signing key it generated on first start (``var/`` is
# gitignored, like the default SQLite file). Never a constant in the source: a key that is
# published lets anyone sign a token claiming any role.
SECRET_KEY_FILE = Path("var") / "secret_key"
MIN_SECRET_LENGTH = 32
MIN_SECRET_DISTINCT_CHARACTERS = 12
# Values published in this repository's history or its docs; refused everywhere.
KNOWN_SECRETS = frozenset(
    {
        "development-only-secret-do-not-use-in-production",
        "change-me",
        "changeme",
        "secret",
    }
)
# The named operation documents of the repository (pre-registered persisted queries).
OPERATIONS_DIR = Path(__file__).resolve().parents[1] / "graphql" / "operations"
# The web app's build (``npm run build`` in web/), served at ``/``.
WEB_DIR = Path(__file__).resolve().parents[1] / "web" / "dist"
# The city's time zone (WIB); WITA is Asia/Makassar, WIT Asia/Jayapura.
DEFAULT_TIMEZONE = "Asia/Jakarta"


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
    db_pool_min: int = 2
    db_pool_max: int = 10
    max_query_depth: int = 10
    max_aliases: int = 30
    max_tokens: int = 4000
    max_page_size: int = 100
    cors_origins: tuple[str, ...] = field(default=())
    query_count_header: bool = False
    bench_endpoints: bool = False  # /api/team-dashboard: a benchmark's baseline, not an API
    redis_prefix: str = "portal:"
    rate_limit_per_minute: int = 600
    max_query_cost: int = 25_000
    persisted_only: bool = False
    # serialized answers of the hot screens, keyed by the data version (core/response_cache.py)
    response_cache: bool = True
    operations_dir: Path = OPERATIONS_DIR
    max_subscriptions_per_user: int = 10
    max_subscriptions_per_connection: int = 5
    operation_timeout_seconds: float = 10.0
    ws_init_timeout_seconds: float = 10.0
    ws_recheck_seconds: float = 60.0
    max_concurrent_hashes: int = 2
    hash_wait_seconds: float = 5.0
    web_dir: Path = WEB_DIR
    objection_days: int = 14  # keberatan: days after an annual evaluation is final
    # operations (issue 23): logs, tracing, the nightly job, delivery outside the portal
    log_format: str = "text"  # "json" (one object a line; the default in production) or "text"
    otel_exporter: str = ""  # "" off, "otlp" (OTEL_EXPORTER_OTLP_* variables), "console"
    scoring_cron: str = "0 19 * * *"  # the nightly scoring: 02:00 WIB
    smtp_host: str | None = None  # e-mail delivery off when unset
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_starttls: bool = True
    mail_from: str = "Kinerja Portal <no-reply@localhost>"
    vapid_private_key: str | None = field(default=None, repr=False)  # Web Push off when unset
    vapid_subject: str = "mailto:admin@localhost"
    public_url: str = (
        "http://localhost:8000"  # links in e-mail, push messages and documents' QR codes
    )
    timezone: str = DEFAULT_TIMEZONE  # every date rule's "today" (portal.core.clock)

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


def _limit(name: str, default: int) -> int:
    """A non-negative integer limit (``0`` switches the limit off)."""
    value = _int(name, default)
    if value < 0:
        raise SettingsError(f"{name} must be 0 (off) or positive, got {value}")
    return value


def _flag(name: str) -> bool:
    """``1`` on, ``0`` or unset off; anything else is refused rather than guessed."""
    raw = os.environ.get(name, "")
    if raw not in {"", "0", "1"}:
        raise SettingsError(f"{name} must be 1 or 0, got {raw!r}")
    return raw == "1"


def _choice(name: str, allowed: tuple[str, ...], default: str) -> str:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(repr(a) for a in allowed)}")
    return raw.lower()


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a number of seconds, got {raw!r}") from exc
    if not value >= 0:  # also refuses NaN
        raise SettingsError(f"{name} must be 0 (off) or positive, got {raw!r}")
    return value


def _positive_seconds(name: str, default: float) -> float:
    value = _seconds(name, default)
    if value == 0:
        raise SettingsError(f"{name} must be positive")
    return value


def _timezone(raw: str) -> str:
    """An IANA time zone name (``Asia/Jakarta``, ``Asia/Makassar``, ``Asia/Jayapura``)."""
    name = raw.strip() or DEFAULT_TIMEZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SettingsError(
            f"PORTAL_TIMEZONE must be an IANA time zone like Asia/Jakarta, got {raw!r}"
        ) from exc
    return name


def _is_origin(value: str) -> bool:
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises on a malformed port
    except ValueError:
        return False
    return (
        parts.scheme in {"http", "https"}
        and bool(parts.hostname)
        and parts.path in {"", "/"}
        and not (parts.query or parts.fragment or parts.username)
    )


def _origins(raw: str) -> tuple[str, ...]:
    """Comma-separated origins (``scheme://host[:port]``, no path) or ``*``.

    Browsers send ``Origin`` without a trailing slash; a configured one is dropped so the CORS
    and WebSocket checks compare like with like.
    """
    origins = tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())
    for origin in origins:
        if origin != "*" and not _is_origin(origin):
            raise SettingsError(
                f"PORTAL_CORS_ORIGINS: {origin!r} is not an origin like https://portal.example.go.id"
            )
    return origins


def weak_secret_reason(secret: str) -> str | None:
    """Why ``secret`` is too weak to sign tokens with, or None when it will do."""
    if secret.strip().lower() in KNOWN_SECRETS:
        return "is a published value"
    if len(secret) < MIN_SECRET_LENGTH:
        return f"has fewer than {MIN_SECRET_LENGTH} characters"
    if len(set(secret)) < MIN_SECRET_DISTINCT_CHARACTERS:
        return f"has fewer than {MIN_SECRET_DISTINCT_CHARACTERS} distinct characters"
    return None


def _development_secret(path: Path) -> str:
    """The key kept in ``path``, generated (mode 0600) on the first run."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker generated it first
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(secret + "\n")
    return secret


def _secret_key(env: Environment) -> str:
    """``PORTAL_SECRET_KEY``; in development, generated once and kept under ``var/``.

    Raises:
        SettingsError: in production without a strong key; anywhere with a published or
            weak one (a weak key given on purpose in development is refused too, since a
            development server may still be reachable).
    """
    secret = os.environ.get("PORTAL_SECRET_KEY", "")
    if not secret:
        if env is Environment.PRODUCTION:
            raise SettingsError(
                f"PORTAL_SECRET_KEY (at least {MIN_SECRET_LENGTH} random characters) is "
                "required when PORTAL_ENV=production"
            )
        path = Path(os.environ.get("PORTAL_SECRET_KEY_FILE") or SECRET_KEY_FILE)
        try:
            secret = _development_secret(path)
        except OSError as exc:
            raise SettingsError(
                f"no PORTAL_SECRET_KEY and cannot keep a generated one in {path}: {exc}"
            ) from exc
        source = str(path)
    else:
        source = "PORTAL_SECRET_KEY"
    reason = weak_secret_reason(secret)
    if reason is not None:
        raise SettingsError(
            f"{source} {reason}; use e.g. `python -c 'import secrets; "
            "print(secrets.token_urlsafe(48))'`"
        )
    return secret


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
    secret = _secret_key(env)
    origins = _origins(os.environ.get("PORTAL_CORS_ORIGINS", ""))
    ws_init_timeout = _seconds("PORTAL_WS_INIT_TIMEOUT_SECONDS", 10.0)
    if ws_init_timeout == 0:
        raise SettingsError("PORTAL_WS_INIT_TIMEOUT_SECONDS must be positive")
    return Settings(
        database_url=database_url,
        redis_url=os.environ.get("PORTAL_REDIS_URL") or None,
        env=env,
        secret_key=secret,
        access_token_minutes=_int("PORTAL_ACCESS_TOKEN_MINUTES", 15),
        refresh_token_days=_int("PORTAL_REFRESH_TOKEN_DAYS", 14),
        lockout_threshold=_int("PORTAL_LOCKOUT_THRESHOLD", 5),
        db_pool_min=_int("PORTAL_DB_POOL_MIN", 2),
        db_pool_max=_int("PORTAL_DB_POOL_MAX", 10),
        cors_origins=origins,
        query_count_header=os.environ.get("PORTAL_QUERY_COUNT_HEADER") == "1",
        bench_endpoints=_flag("PORTAL_BENCH_ENDPOINTS"),
        redis_prefix=os.environ.get("PORTAL_REDIS_PREFIX") or "portal:",
        rate_limit_per_minute=_int("PORTAL_RATE_LIMIT_PER_MINUTE", 600),
        max_query_cost=_limit("PORTAL_MAX_QUERY_COST", 25_000),
        persisted_only=_flag("PORTAL_PERSISTED_ONLY"),
        response_cache=os.environ.get("PORTAL_RESPONSE_CACHE", "1") != "0",
        operations_dir=Path(os.environ.get("PORTAL_OPERATIONS_DIR") or OPERATIONS_DIR),
        max_subscriptions_per_user=_limit("PORTAL_MAX_SUBSCRIPTIONS_PER_USER", 10),
        max_subscriptions_per_connection=_limit("PORTAL_MAX_SUBSCRIPTIONS_PER_CONNECTION", 5),
        operation_timeout_seconds=_seconds("PORTAL_OPERATION_TIMEOUT_SECONDS", 10.0),
        ws_init_timeout_seconds=ws_init_timeout,
        ws_recheck_seconds=_positive_seconds("PORTAL_WS_RECHECK_SECONDS", 60.0),
        max_concurrent_hashes=max(_int("PORTAL_MAX_CONCURRENT_HASHES", 2), 1),
        hash_wait_seconds=_seconds("PORTAL_HASH_WAIT_SECONDS", 5.0),
        web_dir=Path(os.environ.get("PORTAL_WEB_DIR") or WEB_DIR),
        objection_days=_limit("PORTAL_OBJECTION_DAYS", 14),
        log_format=_choice(
            "PORTAL_LOG_FORMAT",
            ("json", "text"),
            "json" if env is Environment.PRODUCTION else "text",
        ),
        otel_exporter=_choice("PORTAL_OTEL_EXPORTER", ("", "otlp", "console"), ""),
        scoring_cron=os.environ.get("PORTAL_SCORING_CRON") or "0 19 * * *",
        smtp_host=os.environ.get("PORTAL_SMTP_HOST") or None,
        smtp_port=_int("PORTAL_SMTP_PORT", 587),
        smtp_username=os.environ.get("PORTAL_SMTP_USERNAME") or None,
        smtp_password=os.environ.get("PORTAL_SMTP_PASSWORD") or None,
        smtp_starttls=os.environ.get("PORTAL_SMTP_STARTTLS", "1") != "0",
        mail_from=os.environ.get("PORTAL_MAIL_FROM") or "Kinerja Portal <no-reply@localhost>",
        vapid_private_key=os.environ.get("PORTAL_VAPID_PRIVATE_KEY") or None,
        vapid_subject=os.environ.get("PORTAL_VAPID_SUBJECT") or "mailto:admin@localhost",
        public_url=(os.environ.get("PORTAL_PUBLIC_URL") or "http://localhost:8000").rstrip("/"),
        timezone=_timezone(os.environ.get("PORTAL_TIMEZONE", "")),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return load_settings()
