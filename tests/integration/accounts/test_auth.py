"""Login, lockout, token expiry, refresh rotation and revocation through GraphQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portal.core.audit import AuditEntry
from portal.core.db import count_queries
from portal.core.security import create_access_token
from support.api import Api, claims_of
from support.factories import PASSWORD, Factory


async def _person(factory: Factory):
    opd = await factory.opd()
    unit = await factory.unor(opd)
    return await factory.employee(unit)


async def test_good_login_returns_tokens_and_viewer(api: Api, factory: Factory) -> None:
    person = await _person(factory)
    data = await api.data("Login", {"input": {"username": person.nip, "password": PASSWORD}})
    payload = data["login"]
    assert payload["userErrors"] == []
    assert payload["roles"] == ["PEGAWAI"]
    viewer = await api.data("Viewer", token=payload["accessToken"])
    assert viewer["viewer"]["username"] == person.nip
    assert viewer["viewer"]["employee"]["profile"]["nip"] == person.nip


async def test_bad_password_and_unknown_user_get_the_same_error(api: Api, factory: Factory) -> None:
    person = await _person(factory)
    wrong = await api.data("Login", {"input": {"username": person.nip, "password": "nope"}})
    unknown = await api.data("Login", {"input": {"username": "ghost", "password": "nope"}})
    assert wrong["login"]["accessToken"] is None
    assert wrong["login"]["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    assert unknown["login"]["userErrors"] == wrong["login"]["userErrors"]


async def test_failures_back_off_instead_of_locking_and_unknown_names_look_the_same(
    api: Api, factory: Factory, settings
) -> None:
    # the probe's reproduction: 5 wrong passwords locked any employee for 15 minutes with the
    # unlock time in the answer, while an unknown name answered INVALID_CREDENTIALS forever
    person = await _person(factory)
    answers = {}
    for username in (person.nip, "199001012020011999"):
        seen = []
        for _ in range(settings.lockout_threshold + 1):
            data = await api.data("Login", {"input": {"username": username, "password": "wrong"}})
            seen.append(data["login"]["userErrors"])
        answers[username] = seen
    known, unknown = answers.values()
    assert known == unknown  # body and code alike
    assert [e[0]["code"] for e in known] == ["INVALID_CREDENTIALS"] * settings.lockout_threshold + [
        "TOO_MANY_ATTEMPTS"
    ]
    assert "ACCOUNT_LOCKED" not in str(answers)
    # no lock: once the 1 s backoff has passed, the right password works
    import asyncio

    await asyncio.sleep(1.1)
    ok = await api.data("Login", {"input": {"username": person.nip, "password": PASSWORD}})
    assert ok["login"]["userErrors"] == []
    assert await AuditEntry.count().where(AuditEntry.action == "LOGIN_FAILED") == 2 * (
        settings.lockout_threshold
    )


async def test_missing_and_expired_tokens_are_typed_errors(
    api: Api, factory: Factory, settings
) -> None:
    person = await _person(factory)
    anonymous = await api.op("Viewer")
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    login = (await api.data("Login", {"input": {"username": person.nip, "password": PASSWORD}}))[
        "login"
    ]
    account_id, session_id = claims_of(login["accessToken"])
    token, _ = create_access_token(
        secret=settings.secret_key,
        account_id=account_id,
        session_id=session_id,
        lifetime=timedelta(minutes=15),
        now=datetime.now(UTC) - timedelta(hours=1),
    )
    expired = await api.op("Viewer", token=token)
    assert expired["errors"][0]["extensions"]["code"] == "TOKEN_EXPIRED"
    garbage = await api.op("Viewer", token="not-a-jwt")
    assert garbage["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"
    forged, _ = create_access_token(
        secret="another-secret-another-secret-another",
        account_id=account_id,
        session_id=session_id,
        lifetime=timedelta(minutes=15),
    )
    assert (await api.op("Viewer", token=forged))["errors"][0]["extensions"]["code"] == (
        "INVALID_TOKEN"
    )


async def test_refresh_rotates_and_a_reused_refresh_token_revokes_the_session(
    api: Api, factory: Factory
) -> None:
    person = await _person(factory)
    login = (await api.data("Login", {"input": {"username": person.nip, "password": PASSWORD}}))[
        "login"
    ]
    first = (await api.data("RefreshToken", {"input": {"refreshToken": login["refreshToken"]}}))[
        "refreshToken"
    ]
    assert first["userErrors"] == []
    assert first["refreshToken"] != login["refreshToken"]
    # the spent token is refused, and its reuse also kills the rotated one (theft detection)
    reused = (await api.data("RefreshToken", {"input": {"refreshToken": login["refreshToken"]}}))[
        "refreshToken"
    ]
    assert reused["userErrors"][0]["code"] == "INVALID_REFRESH_TOKEN"
    after = (await api.data("RefreshToken", {"input": {"refreshToken": first["refreshToken"]}}))[
        "refreshToken"
    ]
    assert after["userErrors"][0]["code"] == "INVALID_REFRESH_TOKEN"


async def test_logout_revokes_access_and_refresh_tokens(api: Api, factory: Factory) -> None:
    person = await _person(factory)
    login = (await api.data("Login", {"input": {"username": person.nip, "password": PASSWORD}}))[
        "login"
    ]
    token = login["accessToken"]
    out = await api.data("Logout", {"input": {"refreshToken": login["refreshToken"]}}, token=token)
    assert out["logout"] == {"ok": True, "userErrors": []}
    revoked = await api.op("Viewer", token=token)
    assert revoked["errors"][0]["extensions"]["code"] == "TOKEN_REVOKED"
    refreshed = (
        await api.data("RefreshToken", {"input": {"refreshToken": login["refreshToken"]}})
    )["refreshToken"]
    assert refreshed["userErrors"][0]["code"] == "INVALID_REFRESH_TOKEN"


async def test_supervisor_gets_atasan_role(api: Api, factory: Factory) -> None:
    opd = await factory.opd()
    unit = await factory.unor(opd)
    boss = await factory.employee(unit)
    await factory.employee(unit, supervisor=boss)
    data = await api.data("Login", {"input": {"username": boss.nip, "password": PASSWORD}})
    assert data["login"]["roles"] == ["ATASAN", "PEGAWAI"]


async def test_a_request_reads_its_session_grants_and_standing_in_one_statement(
    api: Api, factory: Factory
) -> None:
    # the floor of every request: the session, the account's grants and the employee's
    # standing (whence PEGAWAI and ATASAN) are one read, not one per source
    opd = await factory.opd()
    unit = await factory.unor(opd)
    boss = await factory.employee(unit)
    await factory.employee(unit, supervisor=boss)
    login = await api.data("Login", {"input": {"username": boss.nip, "password": PASSWORD}})
    headers = {"Authorization": f"Bearer {login['login']['accessToken']}"}
    floor = {"query": "{ viewer { username roles } }"}
    with count_queries() as counter:
        body = (await api.client.post("/graphql", json=floor, headers=headers)).json()
    assert body["data"]["viewer"] == {"username": boss.nip, "roles": ["ATASAN", "PEGAWAI"]}
    assert counter[0] == 1


async def test_audit_entries_carry_the_request_id_of_the_response(
    api: Api, factory: Factory
) -> None:
    person = await _person(factory)
    from support.api import operations

    response = await api.client.post(
        "/graphql",
        json={
            "query": operations()["Login"],
            "operationName": "Login",
            "variables": {"input": {"username": person.nip, "password": PASSWORD}},
        },
    )
    request_id = response.headers["x-request-id"]
    entry = await AuditEntry.select(AuditEntry.request_id).where(AuditEntry.action == "LOGIN")
    assert [e["request_id"] for e in entry] == [request_id]
