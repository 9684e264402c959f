"""Client errors do not flood the log; an unexpected error is logged once, with its request id."""

from __future__ import annotations

import logging

import pytest

import portal.accounts.resolvers as account_resolvers
from portal.core.error_codes import CATALOGUE
from support.api import Api
from support.factories import PASSWORD, Factory


async def test_client_errors_are_not_logged_as_errors(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # a bad token first: its reason must not stick to the field for the next request
    expired = await api.raw("{ viewer { username } }", token="not-a-token")
    # an unauthenticated query, a validation error and a wrong password
    refused = await api.raw("{ viewer { username } }")
    invalid = await api.raw("{ viewer { salary } }")
    wrong = await api.op("Login", {"input": {"username": "nobody", "password": "not-it-123"}})

    assert expired["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert invalid["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert wrong["data"]["login"]["userErrors"]
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_an_unexpected_error_is_logged_once_with_the_request_id(
    api: Api, factory: Factory, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    token = await api.login(person.nip, PASSWORD)

    def broken(_: object) -> object:
        raise RuntimeError("a bug")

    monkeypatch.setattr(account_resolvers, "viewer_type", broken)
    caplog.set_level(logging.DEBUG)

    body = await api.raw("{ viewer { username } }", token=token)

    error = body["errors"][0]
    assert error["extensions"]["code"] == "INTERNAL_ERROR"
    assert error["message"] == CATALOGUE["INTERNAL_ERROR"].id  # nothing of the bug leaks
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(logged) == 1
    assert error["extensions"]["requestId"] in logged[0].getMessage()
    assert logged[0].exc_info is not None
