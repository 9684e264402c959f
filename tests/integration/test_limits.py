"""Limits that reject abusive requests with a typed error, never an HTTP 500: the per-request
cost budget, no schema hints in production errors, and a time budget per operation.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

import pytest
from graphql import parse

from portal.core.cost import LIST_FACTOR, operation_cost
from portal.feedback import service as feedback_service
from portal.feedback.tables import FeedbackMessage, FeedbackThread
from portal.schema import build_schema
from portal.settings import Environment, Settings
from support.api import Api, operations
from support.apps import app_client
from support.factories import PASSWORD, Factory
from support.performance_builders import gid

# feedbackThreads(first: 100) * messages(first: 100): 1 + 100 * (3 + 100 * 4) = 40 301
NESTED_CONNECTIONS = """
{ feedbackThreads(first: 100) { edges { node {
    messages(first: 100) { edges { node { id body } } } } } } }
"""


async def _token(api: Api, factory: Factory) -> str:
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    return await api.login(person.nip, PASSWORD)


# --- cost budget ------------------------------------------------------------------------------


def test_every_named_operation_fits_the_cost_budget_with_margin(settings: Settings) -> None:
    """Worst case: every `first` at the maximum page size (no variables sent)."""
    schema = build_schema(settings)._schema
    costs = {
        name: operation_cost(schema, parse(text), name, default_page_size=settings.max_page_size)
        for name, text in operations().items()
    }
    print(f"\ncost of each named operation (limit {settings.max_query_cost}):")  # noqa: T201
    for name, cost in sorted(costs.items(), key=lambda item: -(item[1] or 0)):
        print(f"{cost:>8}  {name}")  # noqa: T201
    assert all(cost is not None for cost in costs.values())
    heaviest = max(cost or 0 for cost in costs.values())
    assert heaviest * 2 <= settings.max_query_cost, heaviest


async def test_costly_query_is_refused_with_its_cost_and_the_limit(
    api: Api, factory: Factory, settings: Settings
) -> None:
    token = await _token(api, factory)
    body = await api.raw(NESTED_CONNECTIONS, token=token)
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"] == {
        "code": "QUERY_TOO_COSTLY",
        "cost": 40_301,
        "limit": settings.max_query_cost,
    }
    assert "40301" in error["message"]


async def test_accepted_operations_report_their_cost(
    api: Api, factory: Factory, settings: Settings
) -> None:
    token = await _token(api, factory)
    body = await api.op("EmployeeDirectory", {"first": 10}, token=token)
    assert not body.get("errors"), body
    small = body["extensions"]["cost"]
    assert small["limit"] == settings.max_query_cost
    body = await api.op("EmployeeDirectory", {"first": 100}, token=token)
    large = body["extensions"]["cost"]["requested"]
    # the page size multiplies the cost of one employee's selection
    assert (large - 1) == (small["requested"] - 1) * 10
    viewer = await api.op("Viewer", token=token)
    expected = operation_cost(build_schema(settings)._schema, parse(operations()["Viewer"]))
    assert viewer["extensions"]["cost"]["requested"] == expected


def test_cost_model_counts_fields_lists_and_connections(settings: Settings) -> None:
    schema = build_schema(settings)._schema
    assert operation_cost(schema, parse("{ __typename viewer { username } }")) == 3
    # plain list of objects: * LIST_FACTOR; scalar lists cost one field
    assert operation_cost(schema, parse("{ opds { id name } }")) == 1 + LIST_FACTOR * 2
    assert operation_cost(schema, parse("{ viewer { roles } }")) == 2
    # connection: * first, and `edges` inside it is not multiplied again
    connection = "{ employees(first: 7) { totalCount edges { node { id } } } }"
    assert operation_cost(schema, parse(connection)) == 1 + 7 * (1 + (1 + (1 + 1)))
    fragment = "{ ...F } fragment F on Query { employees(first: 7) { edges { node { id } } } }"
    assert operation_cost(schema, parse(fragment)) == 1 + 7 * 3
    variable = "query($n: Int!) { employees(first: $n) { edges { node { id } } } }"
    assert operation_cost(schema, parse(variable), variables={"n": 3}) == 1 + 3 * 3
    assert operation_cost(schema, parse(variable)) == 1 + settings.max_page_size * 3
    defaulted = "query($n: Int = 5) { employees(first: $n) { edges { node { id } } } }"
    assert operation_cost(schema, parse(defaulted)) == 1 + 5 * 3


@pytest.mark.parametrize("leaf", ["username", "__typename"])
async def test_fragment_bomb_is_measured_fast_and_refused(
    api: Api, factory: Factory, settings: Settings, leaf: str
) -> None:
    """30 fragments each spreading the previous one twice: 2^30 fields once expanded, from a
    document of 400 tokens. Strawberry's depth and alias limiters expand every spread (hours
    of CPU for this one); the measure is linear and refuses it before they run."""
    token = await _token(api, factory)
    fragments = [f"fragment F0 on Viewer {{ {leaf} }}"]
    fragments += [f"fragment F{i} on Viewer {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 31)]
    document = "{ viewer { ...F30 } } " + " ".join(fragments)
    started = time.perf_counter()
    body = await api.raw(document, token=token)
    assert time.perf_counter() - started < 2
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {
        "code": "TOO_MANY_FIELDS",
        "fields": 1 + 2**30,
        "limit": settings.max_tokens,
    }


async def test_fragments_chained_300_deep_are_refused_without_a_recursion_error(
    api: Api, factory: Factory
) -> None:
    token = await _token(api, factory)
    chain = [f"fragment U{i} on Unit {{ children {{ ...U{i + 1} }} }}" for i in range(300)]
    document = "{ opds { units { ...U0 } } } " + " ".join([*chain, "fragment U300 on Unit { id }"])
    body = await api.raw(document, token=token)
    assert body["data"] is None
    assert body["errors"] == [
        {
            "message": "Kueri bersarang lebih dari 64 tingkat",
            "extensions": {"code": "QUERY_TOO_DEEP", "limit": 64},
        }
    ]


async def test_graphiql_introspection_fits_the_budget(api: Api) -> None:
    from graphql import get_introspection_query

    body = await api.raw(get_introspection_query(descriptions=True))
    assert not body.get("errors"), body["errors"]
    assert body["extensions"]["cost"]["requested"] < 1_000


# --- no schema hints in production ----------------------------------------------------------

TYPO_FIELD = "{ viewer { usernme } }"
TYPO_ARGUMENT = "{ employees(frist: 1) { totalCount } }"
TYPO_ENUM = """
mutation($input: OpenThreadInput!) { openFeedbackThread(input: $input) { userErrors { code } } }
"""
TYPO_ENUM_VARIABLES = {
    "input": {"employeeId": "x", "topic": "Topik", "kind": "IMPROVEMNT", "body": "Isi"}
}


async def _typo_messages(api: Api) -> list[str]:
    bodies = [
        await api.raw(TYPO_FIELD),
        await api.raw(TYPO_ARGUMENT),
        await api.raw(TYPO_ENUM, TYPO_ENUM_VARIABLES),
    ]
    messages = []
    for body in bodies:
        error = body["errors"][0]  # a misspelt required argument is also a missing one
        assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED", error
        messages.append(error["message"])
    return messages


async def test_development_errors_suggest_names(api: Api) -> None:
    messages = await _typo_messages(api)
    assert all("Did you mean" in message for message in messages), messages


async def test_production_errors_carry_no_suggestions(settings: Settings, db: None) -> None:
    production = replace(settings, env=Environment.PRODUCTION)
    async with app_client(production) as (_, client):
        messages = await _typo_messages(Api(client))
    assert not any("Did you mean" in message for message in messages), messages
    assert not any(hint in " ".join(messages) for hint in ("username", "first", "IMPROVEMENT"))
    assert "usernme" in messages[0]  # the error still says what is wrong


# --- time budget ------------------------------------------------------------------------------


async def test_slow_mutation_times_out_and_rolls_back(
    settings: Settings, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The message and thread rows are written, then the request stalls inside the transaction
    (just before the after-commit event is queued): the timeout cancels it and nothing stays."""
    opd = await factory.opd()
    unit = await factory.unor(opd)
    boss = await factory.employee(unit)
    staff = await factory.employee(unit, supervisor=boss)
    variables = {
        "input": {
            "employeeId": gid("Employee", staff.id),
            "topic": "Waktu respon layanan",
            "kind": "IMPROVEMENT",
            "body": "Mohon dipercepat.",
        }
    }
    stalled = asyncio.Event()

    async def stall(*_: object) -> None:
        stalled.set()
        await asyncio.sleep(30)

    async with app_client(replace(settings, operation_timeout_seconds=0.5)) as (_, client):
        api = Api(client)
        token = await api.login(boss.nip, PASSWORD)
        with monkeypatch.context() as patch:
            patch.setattr(feedback_service, "publish_after_commit", stall)
            started = time.perf_counter()
            body = await api.op("OpenFeedbackThread", variables, token=token)
        assert stalled.is_set()
        assert time.perf_counter() - started < 5
        assert body["data"] is None
        [error] = body["errors"]
        assert error["extensions"]["code"] == "TIMEOUT"
        assert await FeedbackThread.count() == 0
        assert await FeedbackMessage.count() == 0
        # the worker and its database connections are fine afterwards
        data = await api.data("OpenFeedbackThread", variables, token=token)
        assert data["openFeedbackThread"]["userErrors"] == []
        assert await FeedbackThread.count() == 1


async def test_operations_within_the_budget_are_untouched(settings: Settings, db: None) -> None:
    async with app_client(replace(settings, operation_timeout_seconds=5)) as (_, client):
        body = await Api(client).raw("{ __typename }")
    assert body["data"] == {"__typename": "Query"}
