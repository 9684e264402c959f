"""A repeated operation is parsed and validated once per worker, not on every request."""

from __future__ import annotations

import uuid

import pytest
import strawberry.schema.schema as strawberry_schema

from support.api import Api
from support.factories import PASSWORD, Factory


async def test_repeated_operation_is_validated_once(
    api: Api, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    token = await api.login(person.nip, PASSWORD)
    calls: list[object] = []
    real_validate = strawberry_schema.validate

    def counting_validate(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real_validate(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(strawberry_schema, "validate", counting_validate)
    # a document no earlier test sent, so the first request cannot hit the cache
    document = f"query Check{uuid.uuid4().hex} {{ viewer {{ username }} }}"

    # when the same operation arrives three times (with the depth and alias limits active)
    bodies = [await api.raw(document, token=token) for _ in range(3)]

    # then every answer is right, and the schema validated the document only the first time
    assert all(b["data"]["viewer"]["username"] == person.nip for b in bodies)
    assert len(calls) == 1
