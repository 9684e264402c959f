"""Feedback messages and dialog actions open with ``node(id:)`` for those who take part.

Both types implement ``Node`` and their IDs are handed out (message payloads, dialog actions),
but ``node(id:)`` used to return null for everyone. They now resolve exactly where their
thread's or dialog's text is readable: the employee and their supervisor chain; never a peer,
an admin (who sees only a thread's metadata) or anyone in another OPD.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from support.api import Api
from support.factories import Factory
from support.performance_builders import build_org, gid

READERS = ("staff", "boss", "head")
OTHERS = ("peer", "outsider", "admin_opd", "admin_other_opd", "bkpsdm", "sosialisasi")


@pytest.mark.parametrize("viewer", READERS + OTHERS)
async def test_messages_and_actions_resolve_for_participants_only(
    api: Api, factory: Factory, viewer: str
) -> None:
    # given a thread and a dialog kinerja about the staff, recorded by their supervisor
    org = await build_org(api, factory)
    staff = gid("Employee", org.people["staff"].id)
    opened = (
        await api.data(
            "OpenFeedbackThread",
            {
                "input": {
                    "employeeId": staff,
                    "topic": "Waktu respon",
                    "kind": "IMPROVEMENT",
                    "body": "Mohon dipercepat",
                }
            },
            token=org.tokens["boss"],
        )
    )["openFeedbackThread"]
    reply = (
        await api.data(
            "PostFeedbackMessage",
            {"input": {"threadId": opened["thread"]["id"], "body": "Siap"}},
            token=org.tokens["staff"],
        )
    )["postFeedbackMessage"]["message"]
    dialog = (
        await api.data(
            "RecordDialogKinerja",
            {
                "input": {
                    "employeeId": staff,
                    "heldOn": (datetime.now(UTC) - timedelta(days=1)).date().isoformat(),
                    "actions": [{"description": "Ikuti pelatihan pelaporan"}],
                }
            },
            token=org.tokens["boss"],
        )
    )["recordDialogKinerja"]["dialog"]
    action = dialog["actions"][0]

    # when the viewer opens the message and the action by global ID
    message_node = (await api.data("FeedbackNode", {"id": reply["id"]}, token=org.tokens[viewer]))[
        "node"
    ]
    action_node = (await api.data("FeedbackNode", {"id": action["id"]}, token=org.tokens[viewer]))[
        "node"
    ]

    # then participants get them, everybody else null
    if viewer in READERS:
        assert message_node == {
            "__typename": "FeedbackMessage",
            "id": reply["id"],
            "body": "Siap",
            "author": {"id": staff},
        }
        assert action_node["__typename"] == "DialogAction"
        assert action_node["description"] == "Ikuti pelatihan pelaporan"
    else:
        assert message_node is None
        assert action_node is None
