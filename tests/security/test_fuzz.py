"""Schema-driven fuzzing of /graphql with hypothesis-graphql, through the real app, per role.

Queries and mutations valid against ``graphql/schema.graphql`` are posted as an anonymous
client, an employee, their supervisor and a BKPSDM admin, in the security world of
``support.security_world``. Whatever the document, the app must answer without a 5xx and
without a masked internal error, and nothing in the answer may fall outside the role's scope
(``support.security_scope``: every object with an ID is looked up and judged, and the world's
canary texts may only appear where their object is visible). Mutations change the world as
they go, so the scope is judged against the database at the time of each answer.

Size: ``PORTAL_FUZZ_EXAMPLES`` examples per role and operation type. The default, 80, keeps the
module under a minute on CI and is derandomized (the same documents every run, so CI never
turns red by chance); any explicit value draws new documents each run, e.g.
``PORTAL_FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/security/test_fuzz.py -n0``. A failure prints
the document and the response.
"""

from __future__ import annotations

import json
import logging
import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.core.error_codes import CATALOGUE
from support.graphql_fuzz import documents
from support.security_world import SecurityWorld

EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES") or 80)
FUZZ_ROLES = ("anonymous", "employee", "supervisor", "bkpsdm")
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="PORTAL_FUZZ_EXAMPLES" not in os.environ,
    database=None,  # no example files in the work tree; failures print the document
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
# outcomes per (role, kind): "clean", "executed" (ran, typed errors) or "rejected:CODE" (not run)
STATS: dict[tuple[str, str], Counter[str]] = {}
MASKED = (CATALOGUE["INTERNAL_ERROR"].id, CATALOGUE["INTERNAL_ERROR"].en, "Unexpected error")


@pytest.fixture(scope="module", autouse=True)
def _quiet_typed_errors() -> Iterator[None]:
    """Strawberry logs every GraphQL error with its traceback; thousands of expected typed errors
    (INVALID_ID, NOT_FOUND...) cost more to format than the requests take. Unexpected errors are
    still logged by ``portal.graphql`` and fail the test with their document."""
    logger = logging.getLogger("strawberry.execution")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


def _outcome(body: dict[str, Any]) -> str:
    """``clean``, ``executed`` (ran, with typed errors) or ``rejected:CODE`` (not run)."""
    errors = body.get("errors") or []
    if not errors:
        return "clean"
    if body.get("data") is not None or any(e.get("path") for e in errors):
        return "executed"
    return "rejected:" + str((errors[0].get("extensions") or {}).get("code"))


async def _post(world: SecurityWorld, role: str, document: str) -> dict[str, Any]:
    token = world.tokens[role]
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    # ASCII JSON: escapes carry any string, lone surrogates included, as a browser sends them
    payload = json.dumps({"query": document}).encode("ascii")
    response = await world.api.client.post("/graphql", content=payload, headers=headers)
    assert response.status_code < 500, (response.status_code, response.text, document)
    body: dict[str, Any] = response.json()
    return body


async def _check(world: SecurityWorld, role: str, kind: str, document: str) -> None:
    body = await _post(world, role, document)
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code != "INTERNAL_ERROR", (error, document)
        assert not error.get("message", "").startswith(MASKED), (error, document)
    leaks = await world.detector.leaks(body, world.scopes[role])
    assert leaks == [], (leaks, document, body)
    STATS.setdefault((role, kind), Counter())[_outcome(body)] += 1


@pytest.mark.parametrize("kind", ["query", "mutation"])
@pytest.mark.parametrize("role", FUZZ_ROLES)
@FUZZ
@given(data=st.data())
async def test_generated_operations_never_fail_or_leak(
    security_world: SecurityWorld, role: str, kind: str, data: st.DataObject
) -> None:
    document = data.draw(documents(kind), label="document")
    await _check(security_world, role, kind, document)


def test_most_generated_operations_execute() -> None:
    # then most documents got past validation and the limits (depth, aliases, tokens, cost)
    # and ran; an anonymous client is refused before anything runs, so it is not counted
    lines = []
    for (role, kind), counts in sorted(STATS.items()):
        total = sum(counts.values())
        ran = counts["clean"] + counts["executed"]
        refusals = ", ".join(
            f"{code.removeprefix('rejected:')} {n}"
            for code, n in counts.most_common()
            if code.startswith("rejected:")
        )
        lines.append(
            f"{role}/{kind}: {ran}/{total} executed ({counts['clean']} without errors); "
            f"not run: {refusals or 'none'}"
        )
        if role != "anonymous":
            assert ran >= 0.6 * total, lines
    print("\n".join(lines))  # noqa: T201 - shown with -s, and in the failure message
