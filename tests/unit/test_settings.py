"""Settings from the environment: defaults, validation and the production secret rule."""

from __future__ import annotations

import secrets
import stat
from pathlib import Path

import pytest

from portal.settings import Environment, SettingsError, load_settings


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in (
        "PORTAL_DATABASE_URL",
        "PORTAL_REDIS_URL",
        "PORTAL_ENV",
        "PORTAL_SECRET_KEY",
        "PORTAL_LOCKOUT_THRESHOLD",
        "PORTAL_SECRET_KEY_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # the generated development key lands in tmp_path/var/
    return monkeypatch


def test_defaults_are_sqlite_and_in_process(clean_env: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///var/portal.sqlite"
    assert not settings.is_postgres
    assert settings.redis_url is None
    assert settings.env is Environment.DEVELOPMENT


def test_development_generates_a_key_once_under_var_and_keeps_it(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # the probe's reproduction: without PORTAL_ENV the key was a constant of the source, so a
    # token signed with it claiming ADMIN_BKPSDM was accepted by any such deployment
    import portal.settings as settings_module

    first = load_settings().secret_key
    key_file = tmp_path / "var" / "secret_key"
    assert key_file.read_text().strip() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_settings().secret_key == first  # kept across restarts: tokens stay valid
    assert len(first) >= 32
    published = [v for k, v in vars(settings_module).items() if isinstance(v, str)]
    assert first not in published
    # another checkout (another var/) gets another key
    other = tmp_path / "elsewhere"
    other.mkdir()
    clean_env.chdir(other)
    assert load_settings().secret_key != first


def test_a_published_or_weak_key_is_refused_in_any_environment(
    clean_env: pytest.MonkeyPatch,
) -> None:
    for weak in ("development-only-secret-do-not-use-in-production", "x" * 40, "abc" * 20):
        clean_env.setenv("PORTAL_SECRET_KEY", weak)
        with pytest.raises(SettingsError, match="PORTAL_SECRET_KEY"):
            load_settings()
        clean_env.setenv("PORTAL_ENV", "production")
        with pytest.raises(SettingsError, match="PORTAL_SECRET_KEY"):
            load_settings()
        clean_env.delenv("PORTAL_ENV")


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
    clean_env.setenv("PORTAL_SECRET_KEY", "x" * 40)  # long but one character repeated
    with pytest.raises(SettingsError, match="distinct"):
        load_settings()
    clean_env.setenv("PORTAL_SECRET_KEY", secrets.token_urlsafe(40))
    assert load_settings().is_production
    # production never falls back to a generated file
    clean_env.delenv("PORTAL_SECRET_KEY")
    with pytest.raises(SettingsError, match="PORTAL_SECRET_KEY"):
        load_settings()
    assert not (Path("var") / "secret_key").exists()


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
