"""Settings from the environment: defaults, validation and the production secret rule."""

from __future__ import annotations

import pytest

from portal.settings import DEV_SECRET, Environment, SettingsError, load_settings


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in (
        "PORTAL_DATABASE_URL",
        "PORTAL_REDIS_URL",
        "PORTAL_ENV",
        "PORTAL_SECRET_KEY",
        "PORTAL_LOCKOUT_THRESHOLD",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_defaults_are_sqlite_and_in_process(clean_env: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///var/portal.sqlite"
    assert not settings.is_postgres
    assert settings.redis_url is None
    assert settings.env is Environment.DEVELOPMENT
    assert settings.secret_key == DEV_SECRET


def test_postgres_and_redis_urls_switch_engines(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("PORTAL_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    clean_env.setenv("PORTAL_REDIS_URL", "redis://127.0.0.1:6379/0")
    settings = load_settings()
    assert settings.is_postgres
    assert settings.redis_url == "redis://127.0.0.1:6379/0"


def test_production_refuses_to_start_without_a_secret(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("PORTAL_ENV", "production")
    with pytest.raises(SettingsError, match="PORTAL_SECRET_KEY"):
        load_settings()
    clean_env.setenv("PORTAL_SECRET_KEY", "short")
    with pytest.raises(SettingsError):
        load_settings()
    clean_env.setenv("PORTAL_SECRET_KEY", "x" * 40)
    assert load_settings().is_production


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORTAL_ENV", "staging"),
        ("PORTAL_DATABASE_URL", "mysql://x"),
        ("PORTAL_LOCKOUT_THRESHOLD", "many"),
        ("PORTAL_MAX_QUERY_COST", "-1"),
        ("PORTAL_MAX_SUBSCRIPTIONS_PER_USER", "lots"),
        ("PORTAL_PERSISTED_ONLY", "yes"),
        ("PORTAL_OPERATION_TIMEOUT_SECONDS", "soon"),
        ("PORTAL_OPERATION_TIMEOUT_SECONDS", "-5"),
        ("PORTAL_WS_INIT_TIMEOUT_SECONDS", "0"),
        ("PORTAL_CORS_ORIGINS", "portal.example.go.id"),
        ("PORTAL_CORS_ORIGINS", "https://portal.example.go.id/app"),
        ("PORTAL_CORS_ORIGINS", "https://portal.example.go.id:port"),
    ],
)
def test_invalid_values_are_refused(clean_env: pytest.MonkeyPatch, name: str, value: str) -> None:
    clean_env.setenv(name, value)
    with pytest.raises(SettingsError):
        load_settings()


def test_fast_password_hash_is_refused_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    from portal.core import security

    monkeypatch.setenv("PORTAL_INSECURE_FAST_HASH", "1")
    monkeypatch.setenv("PORTAL_ENV", "production")
    with pytest.raises(RuntimeError, match="not allowed in production"):
        security._build_hasher()
    monkeypatch.delenv("PORTAL_INSECURE_FAST_HASH")
    strong = security._build_hasher()
    assert strong.memory_cost >= 64 * 1024
    assert strong.time_cost >= 3


def test_limits_have_defaults_and_read_the_environment(clean_env: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.max_query_cost == 25_000
    assert (settings.max_subscriptions_per_user, settings.max_subscriptions_per_connection) == (
        10,
        5,
    )
    assert settings.operation_timeout_seconds == 10
    assert settings.ws_init_timeout_seconds == 10
    assert not settings.persisted_only
    assert (settings.operations_dir / "accounts" / "Login.graphql").is_file()
    clean_env.setenv("PORTAL_MAX_QUERY_COST", "0")
    clean_env.setenv("PORTAL_PERSISTED_ONLY", "1")
    clean_env.setenv("PORTAL_OPERATION_TIMEOUT_SECONDS", "2.5")
    clean_env.setenv("PORTAL_CORS_ORIGINS", "https://portal.example.go.id/, http://localhost:5173")
    settings = load_settings()
    assert settings.max_query_cost == 0  # off
    assert settings.persisted_only
    assert settings.operation_timeout_seconds == 2.5
    assert settings.cors_origins == ("https://portal.example.go.id", "http://localhost:5173")
