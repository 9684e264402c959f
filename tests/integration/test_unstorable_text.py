"""Text no database can store is refused with INVALID_CHARACTER, never an internal error.

Found by the schema fuzzer (tests/security/test_fuzz.py): on PostgreSQL a NUL character in any
string argument that reached a query - a login name, a directory search, a cursor-free filter,
a feedback topic - failed inside asyncpg and came back as a masked INTERNAL_ERROR (SQLite stored
it). Lone UTF-16 surrogates, which JSON escapes can carry, cannot be encoded for either
database. Both are now refused before the operation runs, in literals and in variables alike.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from support.api import Api
from support.factories import PASSWORD, Factory

LOGIN = "mutation($u: String!) { login(input: {username: $u, password: $u}) { accessToken } }"
SEARCH = "query($s: String) { employees(first: 5, filter: {search: $s}) { totalCount } }"
COURSES = 'query { courses(first: 5, filter: {search: "vaksin\\u0000"}) { totalCount } }'
ACTIVITY = (
    'mutation($d: String!) { logActivity(input: {idempotencyKey: "k1", activity: '
    '{activityDate: "2026-01-05", description: $d, quantity: 1, unit: "dosis"}}) '
    "{ userErrors { code } } }"
)


@pytest.mark.parametrize(
    ("document", "variables", "as_user"),
    [
        (LOGIN, {"u": "pegawai\x00"}, False),
        (SEARCH, {"s": "Perawat\x00"}, True),
        (SEARCH, {"s": "Perawat\ud800"}, True),
        (COURSES, {}, True),
        (ACTIVITY, {"d": "Vaksinasi\x00 posyandu"}, True),
        (ACTIVITY, {"d": "Vaksinasi \udfff"}, True),
    ],
    ids=["login-nul", "search-nul", "search-surrogate", "literal-nul", "input-nul", "surrogate"],
)
async def test_unstorable_characters_get_a_typed_error(
    api: Api, factory: Factory, document: str, variables: dict[str, Any], as_user: bool
) -> None:
    # given a logged-in employee (or nobody, for the login)
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    token = await api.login(person.username, PASSWORD) if as_user else None

    # when the operation carries a NUL or a lone surrogate (sent as JSON escapes, as a browser
    # would: a lone surrogate has no UTF-8 encoding of its own)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    payload = json.dumps({"query": document, "variables": variables}).encode("ascii")
    response = await api.client.post("/graphql", content=payload, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()

    # then it is refused with a typed error before anything runs
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID_CHARACTER"]


async def test_ordinary_text_and_escapes_still_work(api: Api, factory: Factory) -> None:
    # given an employee named with an accent, found through an escaped literal
    opd = await factory.opd()
    await factory.employee(await factory.unor(opd), name="Dr. Andi Pr\u00e1tama")
    token = await api.login((await factory.employee(await factory.unor(opd))).username, PASSWORD)
    query = 'query { employees(first: 5, filter: {search: "Pr\\u00e1tama"}) { totalCount } }'

    # when searching, then the escape is an ordinary character
    body = await api.raw(query, token=token)
    assert body.get("errors") is None, body["errors"]
    assert body["data"]["employees"]["totalCount"] == 1
