"""/metrics, /health/*, JSON logs and tracing, from the outside."""

from __future__ import annotations

import io
import json
import logging

import httpx
from prometheus_client.parser import text_string_to_metric_families

from portal.core.logs import JsonFormatter
from portal.core.metrics import METRIC_NAMES
from support.api import Api
from support.factories import PASSWORD, Factory


def _samples(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    out: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out.setdefault(sample.name, []).append((sample.labels, sample.value))
    return out


async def test_metrics_scrape_names_every_family_and_labels_operations(
    api: Api, client: httpx.AsyncClient, factory: Factory
) -> None:
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    await api.login(person.nip, PASSWORD)  # a named operation, answered ok
    wrong = await api.op("Login", {"input": {"username": person.nip, "password": "wrong-pw-1"}})
    assert wrong["data"]["login"]["userErrors"]
    await api.raw("{ viewer { salary } }")  # refused by validation, anonymous

    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    for name in METRIC_NAMES:
        assert f"# TYPE {name} " in text, name
    samples = _samples(text)
    requests = {
        (labels["operation"], labels["outcome"]): value
        for labels, value in samples["portal_requests_total"]
    }
    assert requests[("graphql Login", "ok")] >= 1
    assert requests[("graphql Login", "user_error")] >= 1
    assert requests[("graphql other", "refused")] >= 1
    statements = {
        labels["operation"]: value
        for labels, value in samples["portal_sql_statements_per_request_sum"]
    }
    assert statements["graphql Login"] >= 2  # the account read and the failed-attempt write
    failures = {labels["reason"]: value for labels, value in samples["portal_login_failures_total"]}
    assert failures["LOGIN_FAILED"] >= 1
    errors = {labels["code"] for labels, _ in samples["portal_graphql_errors_total"]}
    assert "GRAPHQL_VALIDATION_FAILED" in errors


async def test_health_live_and_ready(client: httpx.AsyncClient, db: None) -> None:
    live = await client.get("/health/live")
    assert live.status_code == 200
    assert live.json() == {"status": "ok"}
    ready = await client.get("/health/ready")
    body = ready.json()
    assert ready.status_code == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "redis", "migrations"}
    assert all(check["ok"] for check in body["checks"].values())


async def test_ready_says_which_dependency_is_missing(
    client: httpx.AsyncClient, db: None, monkeypatch: object
) -> None:
    from portal.ops import health

    async def down() -> None:
        raise ConnectionRefusedError

    monkeypatch.setattr(health, "ping", down)  # type: ignore[attr-defined]
    ready = await client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"] == {"ok": False, "detail": "ConnectionRefusedError"}


async def test_json_logs_carry_request_and_viewer_ids_never_tokens(
    api: Api, factory: Factory
) -> None:
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    token = await api.login(person.nip, PASSWORD)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    probe = logging.getLogger("portal.probe")
    probe.addHandler(handler)
    probe.setLevel(logging.INFO)

    import portal.core.http as core_http

    real = core_http.enforce_rate_limit

    async def logging_rate_limit(*args: object) -> None:
        probe.info("checking %s", f"Bearer {token}", extra={"password": "hunter2", "rows": 3})
        await real(*args)  # type: ignore[arg-type]

    core_http.enforce_rate_limit = logging_rate_limit  # type: ignore[assignment]
    try:
        response = await api.raw("{ viewer { username } }", token=token)
    finally:
        core_http.enforce_rate_limit = real
        probe.removeHandler(handler)
    assert response["data"]["viewer"]["username"]
    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert line["request_id"]
    assert line["viewer_id"] > 0
    assert line["password"] == "[redacted]"
    assert line["rows"] == 3
    assert token not in stream.getvalue()
    assert "hunter2" not in stream.getvalue()


async def test_tracing_spans_from_litestar_and_strawberry_without_arguments(
    settings: object, db: None
) -> None:
    import dataclasses

    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from portal.app import create_app
    from portal.ops import tracing
    from support.apps import app_client

    exporter = InMemorySpanExporter()
    real = tracing.build_tracing
    traced = dataclasses.replace(settings, otel_exporter="console")  # type: ignore[type-var]

    def with_memory(s: object, exporter_: object = None) -> object:
        return real(s, exporter)  # type: ignore[arg-type]

    tracing_module = __import__("portal.app", fromlist=["build_tracing"])
    tracing_module.build_tracing = with_memory
    try:
        async with app_client(traced) as (_, client):  # type: ignore[arg-type]
            body = {
                "query": "mutation Login($input: LoginInput!) { login(input: $input) { roles } }",
                "operationName": "Login",
                "variables": {"input": {"username": "nobody", "password": "s3cret-pw"}},
            }
            response = await client.post("/graphql", json=body)
            assert response.status_code == 200
    finally:
        tracing_module.build_tracing = real
    del create_app
    spans = exporter.get_finished_spans()
    names = {span.name for span in spans}
    assert any(name.startswith("POST /graphql") for name in names), names  # Litestar (ASGI)
    assert "GraphQL Mutation: Login" in names or any("Login" in n for n in names), names
    for span in spans:
        assert "s3cret-pw" not in json.dumps(dict(span.attributes or {}), default=str)
