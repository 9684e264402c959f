"""Automatic persisted queries (Apollo APQ v1) on POST /graphql, and the allow-list mode.

Hash-only requests resolve the named operations of graphql/operations/ and documents clients
registered earlier (hash and text together) in the shared store: Redis when the run has one,
so two apps (two workers) see each other's registrations. Every refusal is HTTP 200 with a
typed ``extensions.code``, as Apollo clients expect.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from httpx_ws import aconnect_ws

from portal.cli import main as cli
from portal.core.persisted import document_hash, load_manifest
from portal.core.store import Store, build_store
from portal.settings import Settings, SettingsError
from support.api import OPERATIONS_DIR, Api, operations
from support.apps import app_client
from support.factories import PASSWORD, Factory
from support.ws import PROTOCOL, GraphQLWS


def apq(sha: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha}}


async def post(
    api: Api,
    *,
    query: str | None = None,
    extensions: dict[str, Any] | None = None,
    token: str | None = None,
    variables: dict[str, Any] | None = None,
    operation_name: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"variables": variables or {}}
    if query is not None:
        body["query"] = query
    if extensions is not None:
        body["extensions"] = extensions
    if operation_name:
        body["operationName"] = operation_name
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await api.client.post("/graphql", json=body, headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def code_of(body: dict[str, Any]) -> str:
    code: str = body["errors"][0]["extensions"]["code"]
    return code


async def _person_token(api: Api, factory: Factory) -> str:
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    return await api.login(person.nip, PASSWORD)


def unique_document() -> str:
    """A valid document no earlier run can have registered (comments are part of the hash)."""
    return f"# {uuid.uuid4()}\nquery Me {{ viewer {{ username }} }}\n"


def shared_store(settings: Settings) -> Store:
    return build_store(settings.redis_url, settings.redis_prefix)


def test_every_named_operation_is_pre_registered_by_its_sha256(settings: Settings) -> None:
    files = sorted(OPERATIONS_DIR.rglob("*.graphql"))
    manifest = load_manifest(settings.operations_dir)
    assert len(manifest) == len(files) == len(operations())
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert manifest[document_hash(text)] == text


async def test_named_operation_runs_by_hash_alone(api: Api, factory: Factory) -> None:
    token = await _person_token(api, factory)
    body = await post(
        api,
        extensions=apq(document_hash(operations()["Viewer"])),
        token=token,
        operation_name="Viewer",
    )
    assert not body.get("errors"), body
    assert body["data"]["viewer"]["username"]


async def test_unknown_hash_is_not_found_the_way_apollo_clients_expect(api: Api) -> None:
    body = await post(api, extensions=apq(document_hash(unique_document())))
    assert body["errors"] == [
        {"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}
    ]
    malformed = await post(api, extensions=apq("not-a-hash"))
    assert code_of(malformed) == "PERSISTED_QUERY_NOT_FOUND"


async def test_apollo_flow_registers_once_and_every_worker_resolves_the_hash(
    settings: Settings, factory: Factory
) -> None:
    """Miss, register with the full text, then hash-only - also through a second app."""
    document = unique_document()
    sha = document_hash(document)
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    # one store object stands for "the shared store" without Redis; with Redis each app has
    # its own connection to it, like two workers
    store_a = shared_store(settings)
    store_b = shared_store(settings) if settings.redis_url else store_a
    try:
        async with (
            app_client(settings, store_a) as (_, client_a),
            app_client(settings, store_b) as (_, client_b),
        ):
            worker_a, worker_b = Api(client_a), Api(client_b)
            token = await worker_a.login(person.nip, PASSWORD)
            miss = await post(worker_a, extensions=apq(sha), token=token)
            assert code_of(miss) == "PERSISTED_QUERY_NOT_FOUND"
            registered = await post(worker_a, query=document, extensions=apq(sha), token=token)
            assert registered["data"]["viewer"]["username"] == person.username
            for worker in (worker_a, worker_b):
                hit = await post(worker, extensions=apq(sha), token=token)
                assert hit == registered, hit
    finally:
        await store_a.close()
        if store_b is not store_a:
            await store_b.close()


async def test_hash_that_does_not_match_the_text_is_refused(api: Api) -> None:
    document = unique_document()
    body = await post(api, query=document, extensions=apq(document_hash(document + " ")))
    assert body["data"] is None
    assert code_of(body) == "PERSISTED_QUERY_HASH_MISMATCH"
    # and nothing was stored under either hash
    assert code_of(await post(api, extensions=apq(document_hash(document)))) == (
        "PERSISTED_QUERY_NOT_FOUND"
    )


async def test_invalid_documents_are_not_registered(api: Api) -> None:
    document = f"# {uuid.uuid4()}\n{{ viewer {{ salary }} }}"
    sha = document_hash(document)
    invalid = await post(api, query=document, extensions=apq(sha))
    assert code_of(invalid) == "GRAPHQL_VALIDATION_FAILED"
    assert code_of(await post(api, extensions=apq(sha))) == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    "extensions",
    [
        {"persistedQuery": {"version": 2, "sha256Hash": "0" * 64}},
        {"persistedQuery": "yes"},
    ],
)
async def test_unsupported_persisted_query_versions_are_refused(
    api: Api, extensions: dict[str, Any]
) -> None:
    body = await post(api, query="{ __typename }", extensions=extensions)
    assert code_of(body) == "PERSISTED_QUERY_NOT_SUPPORTED"


# --- allow-list mode --------------------------------------------------------------------------


async def test_allow_list_mode_runs_only_named_operations(
    settings: Settings, factory: Factory
) -> None:
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    viewer = operations()["Viewer"]
    adhoc = unique_document()
    async with app_client(replace(settings, persisted_only=True)) as (_, client):
        api = Api(client)
        token = await api.login(person.nip, PASSWORD)  # Login is a named operation
        by_text = await post(api, query=viewer, token=token, operation_name="Viewer")
        assert by_text["data"]["viewer"]["username"] == person.username
        by_hash = await post(
            api, extensions=apq(document_hash(viewer)), token=token, operation_name="Viewer"
        )
        assert by_hash == by_text
        both = await post(api, query=viewer, extensions=apq(document_hash(viewer)), token=token)
        assert both == by_text
        refused = [
            await post(api, query=adhoc, token=token),
            await post(api, query=adhoc, extensions=apq(document_hash(adhoc)), token=token),
            await post(api, query=viewer + " ", token=token),  # byte for byte, or not at all
        ]
        for body in refused:
            assert body["data"] is None
            assert code_of(body) == "PERSISTED_QUERY_REQUIRED", body
        unknown = await post(api, extensions=apq(document_hash(adhoc)), token=token)
        assert code_of(unknown) == "PERSISTED_QUERY_NOT_FOUND"


async def test_allow_list_mode_applies_to_websocket_subscriptions(
    settings: Settings, factory: Factory
) -> None:
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    async with app_client(replace(settings, persisted_only=True)) as (_, client):
        token = await Api(client).login(person.nip, PASSWORD)
        async with aconnect_ws("/graphql", client, subprotocols=[PROTOCOL]) as ws:
            session = GraphQLWS(ws)
            ack = await session.init({"authorization": f"Bearer {token}"})
            assert ack["type"] == "connection_ack"
            await ws.send_json(
                {
                    "id": "adhoc",
                    "type": "subscribe",
                    "payload": {"query": "subscription { notificationReceived { id } }"},
                }
            )
            refused = await session.receive("adhoc")
            assert refused["type"] == "error"
            assert refused["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"
            named = await session.subscribe("Viewer")  # a named query runs over the socket too
            reply = await session.receive(named)
            assert reply["type"] == "next"
            assert reply["payload"]["data"]["viewer"]["username"] == person.username


def test_allow_list_mode_without_operations_refuses_to_start(
    settings: Settings, tmp_path: Path
) -> None:
    from portal.app import create_app

    with pytest.raises(SettingsError, match="PORTAL_PERSISTED_ONLY"):
        create_app(replace(settings, persisted_only=True, operations_dir=tmp_path))


def test_export_persisted_writes_the_manifest(tmp_path: Path, settings: Settings) -> None:
    target = tmp_path / "persisted.json"
    result = CliRunner().invoke(cli, ["export-persisted", "-o", str(target)])
    assert result.exit_code == 0, result.output
    manifest = json.loads(target.read_text(encoding="utf-8"))
    assert manifest == load_manifest(settings.operations_dir)
    assert all(document_hash(text) == sha for sha, text in manifest.items())
