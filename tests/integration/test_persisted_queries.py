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
from graphql import OperationType, parse
from httpx_ws import aconnect_ws

from portal.cli import main as cli
from portal.core.documents import (
    client_preset_id,
    client_preset_print,
    printed,
    urql_printed,
    with_typename,
)
from portal.core.persisted import PersistedQueries, document_hash, load_manifest
from portal.core.store import Store, build_store
from portal.schema import build_schema
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
    files = [p for p in OPERATIONS_DIR.rglob("*.graphql") if "fragments" not in p.parts]
    manifest = load_manifest(settings.operations_dir)
    assert len(manifest) == len(files) == len(operations())
    for text in operations().values():
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
            # a named operation with one more field is another document
            await post(api, query=viewer.replace("username", "username roles", 1), token=token),
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


# --- what standard clients send, unchanged, in allow-list mode ---------------------------------


def _client_forms(document: str) -> dict[str, str]:
    """The texts Apollo Client / urql send for a named operation (graphql-js ``print``)."""
    parsed = parse(document)
    uncommented = "\n".join(
        line for line in document.splitlines() if not line.lstrip().startswith("#")
    )
    return {
        "printed": printed(parsed),
        "printed with __typename": printed(with_typename(parsed)),
        "without comments": uncommented,
        "on one line": " ".join(uncommented.split()),
        "client-preset form": client_preset_print(parsed),
    }


async def test_allow_list_accepts_what_standard_clients_send(
    settings: Settings, factory: Factory
) -> None:
    """Apollo/urql text and APQ hashes, codegen client-preset ids, ``documentId`` requests."""
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    viewer = operations()["Viewer"]
    preset_id = client_preset_id(parse(viewer))
    async with app_client(replace(settings, persisted_only=True)) as (_, client):
        api = Api(client)
        token = await api.login(person.nip, PASSWORD)
        expected = (await post(api, query=viewer, token=token))["data"]["viewer"]["username"]
        assert expected == person.username
        for label, text in _client_forms(viewer).items():
            by_text = await post(api, query=text, token=token)
            assert not by_text.get("errors"), (label, by_text)
            assert by_text["data"]["viewer"]["username"] == expected, label
            # Apollo's persisted-queries link: the hash of the text it printed, hash alone
            by_hash = await post(api, extensions=apq(document_hash(text)), token=token)
            if label.startswith("printed"):
                assert by_hash["data"]["viewer"]["username"] == expected, (label, by_hash)
        # GraphQL Codegen client-preset: {"documentId": "sha256:…"} and the id as an APQ hash
        headers = {"Authorization": f"Bearer {token}"}
        response = await client.post("/graphql", json={"documentId": preset_id}, headers=headers)
        assert response.status_code == 200, response.text
        assert response.json()["data"]["viewer"]["username"] == expected
        as_apq = await post(api, extensions=apq(preset_id), token=token)
        assert as_apq["data"]["viewer"]["username"] == expected
        bare = await post(api, extensions=apq(preset_id.removeprefix("sha256:")), token=token)
        assert bare["data"]["viewer"]["username"] == expected
        unknown = await client.post(
            "/graphql", json={"documentId": "sha256:" + "0" * 64}, headers=headers
        )
        assert unknown.status_code == 200
        assert code_of(unknown.json()) == "PERSISTED_QUERY_NOT_FOUND"


async def test_allow_list_accepts_the_web_apps_generated_manifest(settings: Settings) -> None:
    """Every id codegen writes to persisted-documents.json resolves to a named operation."""
    persisted = PersistedQueries(operations().values(), persisted_only=True)
    for name, document in operations().items():
        preset = client_preset_print(parse(document))
        assert persisted.lookup(client_preset_id(parse(document))) == preset, name
        assert persisted.is_named(preset), name
    generated = OPERATIONS_DIR.parents[1] / "web" / "src" / "gql" / "persisted-documents.json"
    if generated.exists():  # written by `npm run codegen` (make web); CI runs it after this
        manifest = json.loads(generated.read_text(encoding="utf-8"))
        assert len(manifest) == len(operations())
        assert {key: persisted.lookup(key) for key in manifest} == manifest


def test_urql_form_is_what_urql_sends() -> None:
    """``stringifyDocument`` of @urql/core 6, byte for byte (its output for these documents).

    Outside strings every run of line breaks is one, and a line break ends each stretch
    before a string; strings keep their own text.
    """
    with_fragment = parse('query Q { a(s: "x\\n\\ny") { ...F } }\n\n# note\nfragment F on T { b }')
    assert urql_printed(with_fragment) == (
        'query Q {\n  a(s: \n"x\\n\\ny") {\n    ...F\n  }\n}\nfragment F on T {\n  b\n}'
    )
    block = parse('query Q { a(s: """x\n\ny""") }')
    assert urql_printed(block) == 'query Q {\n  a(s: \n"""\n  x\n  \n  y\n  """)\n}'


WEB_HASHES = OPERATIONS_DIR.parents[1] / "web" / "src" / "app" / "persisted.fixture.json"


async def test_the_web_app_runs_by_the_hashes_it_sends(
    settings: Settings, factory: Factory
) -> None:
    """urql (graphcache's ``__typename``, no blank line before a fragment) by hash alone."""
    persisted = PersistedQueries(operations().values(), persisted_only=True)
    for name, document in operations().items():
        # through graphcache, and as Login/RefreshToken/Logout are posted without a cache
        for sent in (urql_printed(with_typename(parse(document))), urql_printed(parse(document))):
            assert persisted.lookup(document_hash(sent)) == sent, name
    # the hashes web/src/app/persisted.test.ts saw the app's client send
    hashes: dict[str, str] = json.loads(WEB_HASHES.read_text(encoding="utf-8"))["hashes"]
    for name, sha in hashes.items():
        assert document_hash(urql_printed(with_typename(parse(operations()[name])))) == sha, name
    assert "\n\n" not in urql_printed(parse(operations()["Viewer"]))  # it has a fragment
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    async with app_client(replace(settings, persisted_only=True)) as (_, client):
        api = Api(client)
        token = await api.login(person.nip, PASSWORD)
        viewer = await post(api, extensions=apq(hashes["Viewer"]), token=token)
        assert viewer["data"]["viewer"]["username"] == person.username, viewer
        home = await post(api, extensions=apq(hashes["EmployeeHome"]), token=token)
        # ran as graphcache asked for it (no SKP period in this city: mySkp is NOT_FOUND)
        assert home["data"]["feedbackThreads"]["__typename"] == "FeedbackThreadConnection", home
        assert home["data"]["unreadNotificationCount"] == 0


async def test_every_subscription_is_a_named_operation() -> None:
    schema = build_schema()._schema
    assert schema.subscription_type is not None
    subscribed = set()
    for document in operations().values():
        for definition in parse(document).definitions:
            if getattr(definition, "operation", None) is OperationType.SUBSCRIPTION:
                subscribed |= {s.name.value for s in definition.selection_set.selections}  # type: ignore[attr-defined]
    assert subscribed == set(schema.subscription_type.fields)


async def test_allow_list_runs_printed_subscriptions_over_the_socket(
    settings: Settings, factory: Factory
) -> None:
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    printed_alerts = printed(with_typename(parse(operations()["MentoringAlertRaised"])))
    async with app_client(replace(settings, persisted_only=True)) as (_, client):
        token = await Api(client).login(person.nip, PASSWORD)
        async with aconnect_ws("/graphql", client, subprotocols=[PROTOCOL]) as ws:
            session = GraphQLWS(ws)
            ack = await session.init({"authorization": f"Bearer {token}"})
            assert ack["type"] == "connection_ack"
            await ws.send_json(
                {"id": "alerts", "type": "subscribe", "payload": {"query": printed_alerts}}
            )
            viewer = printed(parse(operations()["Viewer"]))
            await ws.send_json({"id": "viewer", "type": "subscribe", "payload": {"query": viewer}})
            reply = await session.receive("viewer")
            assert reply["type"] == "next", reply
            assert reply["payload"]["data"]["viewer"]["username"] == person.username
            # a refusal of "alerts" would have come first (subscribe messages run in order)
            assert not session._buffers["alerts"], session._buffers["alerts"]
