"""Bad input of every kind gets a typed error, never an HTTP 500; limits reject abuse."""

from __future__ import annotations

import pytest

from portal.schema import build_schema
from portal.settings import Environment, Settings
from support.api import Api
from support.apps import app_client
from support.factories import PASSWORD, Factory


async def _token(api: Api, factory: Factory) -> str:
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    return await api.login(person.nip, PASSWORD)


@pytest.mark.parametrize(
    "body",
    [
        b"not json at all",
        b"{",
        b"[]",
        b'{"query": 42}',
        b'{"variables": {}}',
        b'{"query": "{ viewer { username } }", "variables": "oops"}',
    ],
)
async def test_malformed_http_bodies_are_4xx_not_500(api: Api, body: bytes) -> None:
    response = await api.client.post(
        "/graphql", content=body, headers={"Content-Type": "application/json"}
    )
    assert 400 <= response.status_code < 500, response.text


@pytest.mark.parametrize(
    ("body", "content_type", "code"),
    [
        (b'"hello"', "application/json", "INVALID_JSON"),
        (b"null", "application/json", "INVALID_JSON"),
        (b"123", "application/json", "INVALID_JSON"),
        (b"true", "application/json", "INVALID_JSON"),
        (b'{"query": "{ __typename }"\xff\xfe}', "application/json", "INVALID_JSON"),
        (b"\xff\xfe\xfd", "application/json; charset=utf-8", "INVALID_JSON"),
        (b"not json at all", "application/json", "INVALID_JSON"),
        (b'{"query": "{ __typename }"}', "text/plain", "UNSUPPORTED_CONTENT_TYPE"),
        (
            b'{"query": "{ __typename }"}',
            "application/x-www-form-urlencoded",
            ("UNSUPPORTED_CONTENT_TYPE"),
        ),
        (b"query=x", "", "UNSUPPORTED_CONTENT_TYPE"),
    ],
)
async def test_bad_bodies_are_a_typed_400_and_one_log_line_without_traceback(
    api: Api, body: bytes, content_type: str, code: str, caplog: pytest.LogCaptureFixture
) -> None:
    # the probe's reproduction: curl --data '"hello"' (also null, 123, true, invalid UTF-8)
    caplog.set_level("INFO")
    headers = {"Content-Type": content_type} if content_type else {}
    response = await api.client.post("/graphql", content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == code
    assert response.headers["x-request-id"]
    records = [r for r in caplog.records if r.name.startswith(("portal", "strawberry", "litestar"))]
    assert len(records) == 1, [r.getMessage() for r in records]
    assert records[0].exc_info is None
    assert "Traceback" not in caplog.text


async def test_syntax_and_validation_errors_are_typed(api: Api, factory: Factory) -> None:
    token = await _token(api, factory)
    syntax = await api.raw("{ viewer { username ", token=token)
    assert syntax["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    unknown = await api.raw("{ viewer { salary } }", token=token)
    assert unknown["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    wrong_type = await api.raw(
        "query($n: Int!) { employees(first: $n) { totalCount } }", {"n": "ten"}, token=token
    )
    assert wrong_type["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_mutations_over_get_are_refused(api: Api) -> None:
    response = await api.client.get(
        "/graphql", params={"query": "mutation { logout(input: {}) { ok } }"}
    )
    assert 400 <= response.status_code < 500


async def test_query_depth_limit(api: Api, factory: Factory) -> None:
    token = await _token(api, factory)
    nested = "name"
    for _ in range(6):
        nested = f"profile {{ supervisor {{ {nested} }} }}"
    deep = f"{{ viewer {{ employee {{ {nested} }} }} }}"
    body = await api.raw(deep, token=token)
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    assert body.get("data") is None


async def test_alias_limit(api: Api, factory: Factory) -> None:
    token = await _token(api, factory)
    aliases = " ".join(f"a{i}: viewer {{ username }}" for i in range(31))
    body = await api.raw("{ " + aliases + " }", token=token)
    assert "aliases found" in body["errors"][0]["message"]


async def test_token_limit(api: Api, factory: Factory) -> None:
    token = await _token(api, factory)
    fields = " ".join(["username"] * 4100)
    body = await api.raw("{ viewer { " + fields + " } }", token=token)
    assert "more than 4000 tokens" in body["errors"][0]["message"]


async def test_request_body_size_limit(api: Api) -> None:
    huge = "x" * (6 * 1024 * 1024)
    response = await api.client.post("/graphql", json={"query": "{ __typename }", "pad": huge})
    assert response.status_code == 413


async def test_nodes_refuses_more_than_100_ids(api: Api, factory: Factory) -> None:
    token = await _token(api, factory)
    body = await api.op("EmployeesByIds", {"ids": ["x"] * 101}, token=token)
    assert body["errors"][0]["extensions"]["code"] == "TOO_MANY_IDS"


async def test_security_headers_are_set(api: Api) -> None:
    response = await api.client.post("/graphql", json={"query": "{ __typename }"})
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-request-id"]
    assert "content-security-policy" not in response.headers  # GraphiQL needs inline scripts


async def test_production_adds_csp_and_hsts(settings: Settings) -> None:
    from dataclasses import replace

    production = replace(settings, env=Environment.PRODUCTION, secret_key="p" * 40)
    async with app_client(production) as (_, client):
        response = await client.get("/healthz")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert csp == "default-src 'none'; frame-ancestors 'none'"
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")
    assert response.headers["cache-control"] == "no-store"


def test_production_schema_refuses_introspection(settings: Settings) -> None:
    from dataclasses import replace

    schema = build_schema(replace(settings, env=Environment.PRODUCTION))
    result = schema.execute_sync("{ __schema { types { name } } }")
    assert result.errors
    assert "introspection" in result.errors[0].message.lower()
    dev = build_schema(replace(settings, env=Environment.DEVELOPMENT))
    assert dev.execute_sync("{ __schema { queryType { name } } }").errors is None


async def test_login_with_oversized_or_empty_input_is_a_user_error(api: Api) -> None:
    for username, password in (("", ""), ("a" * 5000, "b" * 5000)):
        data = await api.data("Login", {"input": {"username": username, "password": password}})
        assert data["login"]["userErrors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_production_app_serves_no_graphiql(settings: Settings) -> None:
    from dataclasses import replace

    import httpx

    from portal.app import create_app

    app = create_app(replace(settings, env=Environment.PRODUCTION))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://prod") as client:
        page = await client.get("/graphql", headers={"Accept": "text/html"})
    assert "graphiql" not in page.text.lower()
    assert page.status_code >= 400


async def test_per_user_rate_limit_answers_429_with_a_code(
    settings: Settings, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from portal.core import context

    # a frozen clock: the five requests fall into one window whatever the minute (the test was
    # flaky when a minute boundary fell between them and the counter started over)
    frozen = 1_800_000_030.0  # 30 s into a minute
    monkeypatch.setattr(context, "clock", lambda: frozen)

    import httpx

    from portal.app import create_app
    from portal.core.pubsub import MemoryBroker
    from portal.core.store import MemoryStore
    from support.api import Api
    from support.factories import Factory

    factory = Factory()
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    limited = replace(settings, rate_limit_per_minute=3)
    app = create_app(limited)
    # the database pool is the session's; only this app's store and broker are its own
    app.state.settings, app.state.store, app.state.broker = limited, MemoryStore(), MemoryBroker()
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://limited") as client:
            api = Api(client)
            token = await api.login(person.nip, PASSWORD)  # anonymous: not counted
            statuses = []
            for _ in range(5):
                response = await client.post(
                    "/graphql",
                    json={"query": "{ viewer { username } }"},
                    headers={"Authorization": f"Bearer {token}"},
                )
                statuses.append(response.status_code)
            assert statuses[:3] == [200, 200, 200]
            assert statuses[3:] == [429, 429]
            assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
            assert response.headers["retry-after"] == "30"
    finally:
        await app.state.store.close()
