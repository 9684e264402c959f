"""Writes the external probe found unaudited now leave an audit entry (with the request id),
and the entries of a conversation never carry its text.

``tests/contract/test_every_mutation_is_audited.py`` checks every mutation of the schema
statically; these are the probe's reproductions, run.
"""

from __future__ import annotations

from typing import Any

import httpx

from portal.core.audit import AuditEntry
from support.api import operations
from support.factories import PASSWORD, Factory

SECRET_TEXT = "Isi percakapan yang rahasia"


async def _run(
    client: httpx.AsyncClient, name: str, variables: dict[str, Any], token: str | None = None
) -> tuple[dict[str, Any], str]:
    """Run a named operation; return ``(data, request id)``."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        "/graphql",
        json={"query": operations()[name], "operationName": name, "variables": variables},
        headers=headers,
    )
    body = response.json()
    assert not body.get("errors"), body
    (payload,) = body["data"].values()
    if isinstance(payload, dict) and "userErrors" in payload:
        assert payload["userErrors"] == [], payload
    return body["data"], response.headers["x-request-id"]


async def _entries(request_id: str) -> list[dict[str, Any]]:
    return await AuditEntry.select(
        AuditEntry.action, AuditEntry.entity_type, AuditEntry.account_id, AuditEntry.after
    ).where(AuditEntry.request_id == request_id)


async def test_messages_read_marks_and_notifications_are_audited(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    opd = await factory.opd()
    unit = await factory.unor(opd)
    boss = await factory.employee(unit)
    staff = await factory.employee(unit, supervisor=boss)
    tokens = {}
    for person in (boss, staff):
        data, _ = await _run(
            client, "Login", {"input": {"username": person.username, "password": PASSWORD}}
        )
        tokens[person.username] = data["login"]["accessToken"]
    from portal.core.ids import encode_global_id

    opened, _ = await _run(
        client,
        "OpenFeedbackThread",
        {
            "input": {
                "employeeId": encode_global_id("Employee", staff.id),
                "topic": "Waktu respon layanan",
                "kind": "IMPROVEMENT",
                "body": SECRET_TEXT,
            }
        },
        tokens[boss.username],
    )
    thread_id = opened["openFeedbackThread"]["thread"]["id"]
    staff_token = tokens[staff.username]

    posted, request = await _run(
        client,
        "PostFeedbackMessage",
        {"input": {"threadId": thread_id, "body": SECRET_TEXT + " (balasan)"}},
        staff_token,
    )
    message_id = posted["postFeedbackMessage"]["message"]["id"]
    assert [e["action"] for e in await _entries(request)] == ["MESSAGE_POSTED"]

    _, request = await _run(
        client,
        "EditFeedbackMessage",
        {"input": {"messageId": message_id, "body": SECRET_TEXT + " (diubah)"}},
        staff_token,
    )
    assert [e["action"] for e in await _entries(request)] == ["MESSAGE_EDITED"]

    _, request = await _run(
        client, "MarkFeedbackThreadRead", {"input": {"threadId": thread_id}}, staff_token
    )
    assert [e["action"] for e in await _entries(request)] == ["THREAD_READ"]

    marked, request = await _run(client, "MarkNotificationsRead", {"input": {}}, staff_token)
    assert marked["markNotificationsRead"]["marked"] >= 1
    (entry,) = await _entries(request)
    assert entry["action"] == "NOTIFICATIONS_READ"
    assert entry["account_id"] is not None

    # the audit log is read by BKPSDM: a conversation's text must not travel there
    everything = await AuditEntry.select(AuditEntry.before, AuditEntry.after)
    assert "rahasia" not in str(everything)
