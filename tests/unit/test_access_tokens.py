"""Access tokens: verified once per worker, their expiry checked on every use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portal.core import security
from portal.core.errors import AuthenticationError
from portal.core.security import create_access_token, decode_access_token

SECRET = "s" * 40


def _token(lifetime: timedelta = timedelta(minutes=15)) -> tuple[str, security.AccessClaims]:
    return create_access_token(secret=SECRET, account_id=7, session_id="sid-7", lifetime=lifetime)


def test_a_token_is_verified_once_then_answered_from_the_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token, claims = _token()
    calls: list[str] = []
    verify = security._verify

    def counting(token: str, secret: str) -> security.AccessClaims:
        calls.append(token)
        return verify(token, secret)

    monkeypatch.setattr(security, "_verify", counting)
    first = decode_access_token(token, secret=SECRET)
    second = decode_access_token(token, secret=SECRET)
    assert first == second
    assert (first.account_id, first.session_id, first.token_id) == (7, "sid-7", claims.token_id)
    assert calls == [token]


def test_a_cached_token_still_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    token, claims = _token()
    decode_access_token(token, secret=SECRET)  # verified and cached
    monkeypatch.setattr(security, "_now_seconds", claims.expires_at.timestamp)
    with pytest.raises(AuthenticationError) as refused:
        decode_access_token(token, secret=SECRET)
    assert refused.value.code == "TOKEN_EXPIRED"


def test_another_secret_or_a_changed_token_is_verified_anew() -> None:
    token, _ = _token()
    decode_access_token(token, secret=SECRET)
    with pytest.raises(AuthenticationError) as other_secret:
        decode_access_token(token, secret="t" * 40)
    assert other_secret.value.code == "INVALID_TOKEN"
    header, payload, signature = token.split(".")
    tampered = f"{header}.{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    with pytest.raises(AuthenticationError) as bad_signature:
        decode_access_token(tampered, secret=SECRET)
    assert bad_signature.value.code == "INVALID_TOKEN"


def test_an_expired_token_is_refused_and_not_cached() -> None:
    token, _ = create_access_token(
        secret=SECRET,
        account_id=7,
        session_id="sid-7",
        lifetime=timedelta(minutes=1),
        now=datetime.now(UTC) - timedelta(hours=1),
    )
    for _ in range(2):
        with pytest.raises(AuthenticationError) as refused:
            decode_access_token(token, secret=SECRET)
        assert refused.value.code == "TOKEN_EXPIRED"
    assert (SECRET, token) not in security._VERIFIED


def test_the_cache_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(security, "_VERIFIED_MAX", 3)
    monkeypatch.setattr(security, "_VERIFIED", {})
    for _ in range(7):
        decode_access_token(_token()[0], secret=SECRET)
    assert 1 <= len(security._VERIFIED) <= 3
