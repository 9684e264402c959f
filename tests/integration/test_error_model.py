"""The error model front-end teams program against (issue 16).

One catalogue of codes (the ``ErrorCode`` enum), the same code for the same condition,
Indonesian messages unless ``Accept-Language`` prefers English, ``path`` lists, ``retryAfter``
in extensions, the headers browsers may read, and screens that keep what did not fail.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx

from portal.core.auth import Role
from portal.core.error_codes import CATALOGUE
from portal.settings import Settings
from support.api import Api, operations
from support.apps import app_client
from support.factories import PASSWORD, Factory

EN = {"Accept-Language": "en-US,en;q=0.9,id;q=0.5"}
ID = {"Accept-Language": "id-ID,id;q=0.9,en;q=0.8"}


async def _post(
    client: httpx.AsyncClient, query: str, token: str | None, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    all_headers = {**(headers or {}), **({"Authorization": f"Bearer {token}"} if token else {})}
    response = await client.post("/graphql", json={"query": query}, headers=all_headers)
    assert response.status_code < 500, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_messages_are_indonesian_unless_english_is_preferred(
    api: Api, factory: Factory
) -> None:
    admin = await factory.admin("admin.bkpsdm", Role.ADMIN_BKPSDM)
    token = await api.login(admin, PASSWORD)
    query = '{ node(id: "not-an-id") { id } }'
    default = await _post(api.client, query, token)
    indonesian = await _post(api.client, query, token, ID)
    english = await _post(api.client, query, token, EN)
    for body in (default, indonesian, english):
        assert body["errors"][0]["extensions"]["code"] == "INVALID_ID", body
    assert default["errors"][0]["message"] == CATALOGUE["INVALID_ID"].id
    assert indonesian["errors"][0]["message"] == CATALOGUE["INVALID_ID"].id
    assert english["errors"][0]["message"] == CATALOGUE["INVALID_ID"].en
    # userErrors too, and the code is an enum value of the schema
    login = operations()["Login"]
    variables = {"input": {"username": "nobody", "password": "wrong-password"}}
    for headers, text in ((ID, CATALOGUE["INVALID_CREDENTIALS"].id), (EN, None)):
        response = await api.client.post(
            "/graphql", json={"query": login, "variables": variables}, headers=headers
        )
        errors = response.json()["data"]["login"]["userErrors"]
        assert errors[0]["code"] == "INVALID_CREDENTIALS", errors
        if text is None:
            assert errors[0]["message"] == CATALOGUE["INVALID_CREDENTIALS"].en
        else:
            assert errors[0]["message"] != CATALOGUE["INVALID_CREDENTIALS"].en


async def test_the_same_condition_gets_the_same_code_and_no_invented_field(
    api: Api, factory: Factory
) -> None:
    admin = await factory.admin("admin.bkpsdm", Role.ADMIN_BKPSDM)
    token = await api.login(admin, PASSWORD)
    # an account without an employee record asks for its own activities: no field was sent
    body = await _post(api.client, "{ activities(first: 5) { totalCount } }", token)
    error = body["errors"][0]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "field" not in error["extensions"]
    assert error["message"] == CATALOGUE["NOT_FOUND"].id
    # a bad id in a filter: the field as a path
    body = await _post(
        api.client, '{ activities(first: 5, filter: { employeeId: "x" }) { totalCount } }', token
    )
    error = body["errors"][0]
    assert error["extensions"]["code"] == "INVALID_ID"
    assert error["extensions"]["path"] == ["employeeId"]
    # an expired/garbled token is a documented code
    body = await _post(api.client, "{ viewer { username } }", "garbage.token.value")
    assert body["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"
    assert "INVALID_TOKEN" in CATALOGUE


async def test_user_errors_carry_a_path(api: Api, factory: Factory) -> None:
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    token = await api.login(person.nip, PASSWORD)
    body = await _post(
        api.client,
        'mutation { markFeedbackThreadRead(input: { threadId: "bad" }) '
        "{ userErrors { code field path } } }",
        token,
    )
    errors = body["data"]["markFeedbackThreadRead"]["userErrors"]
    assert errors, body
    assert errors[0]["code"] == "INVALID_ID"
    assert errors[0]["path"] == errors[0]["field"].split(".")


async def test_rate_limit_tells_when_to_retry_and_browsers_may_read_it(
    settings: Settings, factory: Factory
) -> None:
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    origin = "https://portal.example.go.id"
    limited = replace(settings, rate_limit_per_minute=1, cors_origins=(origin,))
    async with app_client(limited) as (_, client):
        token = await Api(client).login(person.nip, PASSWORD)
        headers = {"Authorization": f"Bearer {token}", "Origin": origin}
        responses = [
            await client.post(
                "/graphql", json={"query": "{ viewer { username } }"}, headers=headers
            )
            for _ in range(2)
        ]
    limited_response = responses[-1]
    assert limited_response.status_code == 429
    error = limited_response.json()["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["extensions"]["retryAfter"] == int(limited_response.headers["retry-after"])
    for response in responses:
        exposed = {
            h.strip().lower()
            for h in response.headers.get("access-control-expose-headers", "").split(",")
        }
        assert {"retry-after", "x-request-id"} <= exposed, response.headers


async def test_one_failing_part_of_a_screen_keeps_the_rest(api: Api, factory: Factory) -> None:
    """admin.bkpsdm has no employee record: recommendations fail, the other parts answer."""
    admin = await factory.admin("admin.bkpsdm", Role.ADMIN_BKPSDM)
    token = await api.login(admin, PASSWORD)
    body = await _post(
        api.client, "{ mySkp { id } trainingRecommendations { course { id } } }", token
    )
    assert body["data"] is not None, body  # was `data: null` while the roots were non-null
    assert body["data"]["trainingRecommendations"] is None
    assert ["trainingRecommendations"] in [e["path"] for e in body["errors"]]
    # the whole home screen: every root the failing parts do not own still arrives
    home = await api.op("EmployeeHome", token=token)
    assert home["data"] is not None, home
    assert isinstance(home["data"]["unreadNotificationCount"], int)
    failed = {e["path"][0] for e in home.get("errors", [])}
    assert "unreadNotificationCount" not in failed
    for root in failed:
        assert home["data"][root] is None
