"""``importEmployees`` answers unreadable CSV with userErrors INVALID_CSV, not INTERNAL_ERROR.

Found by the schema fuzzer (tests/security/test_fuzz.py) with ``csv: "\\r0"``.
"""

from __future__ import annotations

import csv

import pytest

from portal.core.auth import Role
from portal.people.services.importer import COLUMNS
from support.api import Api
from support.factories import PASSWORD, Factory


@pytest.mark.parametrize(
    "text",
    ["\r0", ",".join(COLUMNS) + "\n" + "x" * (csv.field_size_limit() + 1) + "\n"],
    ids=["bare-carriage-return", "field-over-limit"],
)
async def test_unreadable_csv_is_a_user_error(api: Api, factory: Factory, text: str) -> None:
    # given a BKPSDM admin
    await factory.admin("admin.bkpsdm", Role.ADMIN_BKPSDM)
    token = await api.login("admin.bkpsdm", PASSWORD)

    # when importing text the csv reader cannot split
    body = await api.op("ImportEmployees", {"input": {"csv": text}}, token=token)

    # then the payload says why, and nothing was applied
    assert body.get("errors") is None, body["errors"]
    payload = body["data"]["importEmployees"]
    assert [e["code"] for e in payload["userErrors"]] == ["INVALID_CSV"]
    assert payload["applied"] is False
