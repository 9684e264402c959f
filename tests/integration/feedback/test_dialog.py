"""Dialog kinerja records through GraphQL: who records them, validation, the agreed actions the
employee sees until they are done, references from threads, and who may read them.

The organisation (``support.performance_builders.build_org`` plus two people): Kepala Dinas
(``head``) -> Kepala Puskesmas (``boss``) -> Perawat Satu (``staff``) and Perawat Dua (``peer``);
``junior`` reports to ``staff``; ``colleague`` works in another unit of the same OPD;
``outsider`` works at Bapenda. A dialog is read by the employee and their supervisor chain only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from support.api import Api
from support.factories import PASSWORD, Factory, Person
from support.performance_builders import Org, build_org, codes, gid, past_day, today

WENT_WELL = "Cakupan imunisasi naik 12% dibanding triwulan lalu."
TO_IMPROVE = "Waktu respon layanan pendaftaran masih 25 menit."


@dataclass
class World:
    org: Org
    people: dict[str, Person]
    tokens: dict[str, str]

    def employee(self, label: str) -> str:
        return gid("Employee", self.people[label].id)


@pytest.fixture
async def world(api: Api, factory: Factory) -> World:
    org = await build_org(api, factory)
    people = dict(org.people)
    tokens = dict(org.tokens)
    other_unit = await factory.unor(org.opd_id, "DINKES.LAB")
    people["colleague"] = await factory.employee(other_unit, name="Analis Laboratorium")
    people["junior"] = await factory.employee(
        org.pkm_unit, supervisor=people["staff"], name="Perawat Magang"
    )
    for label in ("colleague", "junior"):
        tokens[label] = await api.login(people[label].username, PASSWORD)
    return World(org=org, people=people, tokens=tokens)


def dialog_input(world: World, **overrides: Any) -> dict[str, Any]:
    """A RecordDialogInput about ``staff`` held two days ago with two agreed actions."""
    fields: dict[str, Any] = {
        "employeeId": world.employee("staff"),
        "heldOn": past_day(2).isoformat(),
        "wentWell": WENT_WELL,
        "toImprove": TO_IMPROVE,
        "participantIds": [world.employee("head")],
        "actions": [
            {
                "description": "Atur ulang jadwal loket pendaftaran",
                "dueOn": past_day(1).isoformat(),
            },
            {"description": "Ikuti pelatihan layanan prima"},
        ],
    }
    fields.update(overrides)
    return fields


async def record(api: Api, token: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Run RecordDialogKinerja; return the payload."""
    data = await api.data("RecordDialogKinerja", {"input": fields}, token=token)
    payload: dict[str, Any] = data["recordDialogKinerja"]
    return payload


async def recorded(api: Api, world: World, by: str = "boss") -> dict[str, Any]:
    payload = await record(api, world.tokens[by], dialog_input(world))
    assert payload["userErrors"] == [], payload["userErrors"]
    dialog: dict[str, Any] = payload["dialog"]
    return dialog


async def open_actions(api: Api, token: str, employee: str | None = None) -> list[dict[str, Any]]:
    variables = {"employeeId": employee} if employee else {}
    actions: list[dict[str, Any]] = (await api.data("OpenDialogActions", variables, token=token))[
        "openDialogActions"
    ]
    return actions


async def complete(api: Api, token: str, action: str) -> dict[str, Any]:
    data = await api.data("CompleteDialogAction", {"input": {"actionId": action}}, token=token)
    payload: dict[str, Any] = data["completeDialogAction"]
    return payload


# --- recording -------------------------------------------------------------------------------


@pytest.mark.parametrize("leader", ["boss", "head"])
async def test_a_supervisor_in_the_chain_records_a_dialog(
    api: Api, world: World, leader: str
) -> None:
    # when a supervisor (direct or up the chain) records a dialog with two agreed actions
    payload = await record(api, world.tokens[leader], dialog_input(world))

    # then it is stored with its participants and actions, led by the recorder
    assert payload["userErrors"] == []
    dialog = payload["dialog"]
    assert dialog["heldOn"] == past_day(2).isoformat()
    assert dialog["wentWell"] == WENT_WELL
    assert dialog["toImprove"] == TO_IMPROVE
    assert dialog["employee"]["id"] == world.employee("staff")
    assert dialog["ledBy"]["id"] == world.employee(leader)
    assert {p["id"] for p in dialog["participants"]} == {
        world.employee("staff"),
        world.employee(leader),
        world.employee("head"),
    }
    assert [a["description"] for a in dialog["actions"]] == [
        "Atur ulang jadwal loket pendaftaran",
        "Ikuti pelatihan layanan prima",
    ]
    assert [a["dueOn"] for a in dialog["actions"]] == [past_day(1).isoformat(), None]
    assert all(a["doneAt"] is None for a in dialog["actions"])


async def test_the_employee_cannot_record_a_dialog_about_themself(api: Api, world: World) -> None:
    payload = await record(api, world.tokens["staff"], dialog_input(world))
    assert payload["dialog"] is None
    assert codes(payload["userErrors"]) == ["FORBIDDEN"]
    assert await open_actions(api, world.tokens["staff"]) == []


@pytest.mark.parametrize(
    "viewer", ["peer", "colleague", "junior", "outsider", "admin_opd", "bkpsdm"]
)
async def test_nobody_outside_the_chain_records_a_dialog(
    api: Api, world: World, viewer: str
) -> None:
    payload = await record(api, world.tokens[viewer], dialog_input(world))
    assert payload["dialog"] is None
    assert codes(payload["userErrors"]) == ["FORBIDDEN"]


async def test_a_dialog_cannot_be_dated_in_the_future(api: Api, world: World) -> None:
    tomorrow = (today() + timedelta(days=1)).isoformat()
    payload = await record(api, world.tokens["boss"], dialog_input(world, heldOn=tomorrow))
    assert payload["dialog"] is None
    assert [(e["code"], ".".join(e["path"] or ()) or None) for e in payload["userErrors"]] == [
        ("FUTURE_DATE", "heldOn")
    ]
    # today itself is fine
    same_day = await record(
        api, world.tokens["boss"], dialog_input(world, heldOn=today().isoformat())
    )
    assert same_day["userErrors"] == []


async def test_agreed_actions_and_references_are_validated(api: Api, world: World) -> None:
    short = await record(
        api,
        world.tokens["boss"],
        dialog_input(world, actions=[{"description": "ok"}, {"description": "Cukup panjang"}]),
    )
    assert [(e["code"], ".".join(e["path"] or ()) or None) for e in short["userErrors"]] == [
        ("INVALID_LENGTH", "actions.0")
    ]
    missing_evaluation = await record(
        api, world.tokens["boss"], dialog_input(world, evaluationId=gid("Evaluation", 999_999))
    )
    assert [
        (e["code"], ".".join(e["path"] or ()) or None) for e in missing_evaluation["userErrors"]
    ] == [("INVALID_REFERENCE", "evaluationId")]
    assert await open_actions(api, world.tokens["staff"]) == []


# --- agreed actions --------------------------------------------------------------------------


async def test_agreed_actions_show_for_the_employee_until_completed(api: Api, world: World) -> None:
    # given a dialog with two agreed actions
    dialog = await recorded(api, world)
    first, second = (a["id"] for a in dialog["actions"])

    # then the employee sees both, due-dated first
    actions = await open_actions(api, world.tokens["staff"])
    assert [a["id"] for a in actions] == [first, second]
    # and the supervisor chain sees them when asking for the employee
    for label in ("boss", "head"):
        chain_view = await open_actions(api, world.tokens[label], world.employee("staff"))
        assert [a["id"] for a in chain_view] == [first, second], label
    # and the supervisor's own list is empty (the actions are the employee's)
    assert await open_actions(api, world.tokens["boss"]) == []

    # when the employee completes the first one
    done = await complete(api, world.tokens["staff"], first)
    assert done["userErrors"] == []
    assert done["action"]["doneAt"] is not None

    # then only the second remains, and completing again is refused
    assert [a["id"] for a in await open_actions(api, world.tokens["staff"])] == [second]
    again = await complete(api, world.tokens["staff"], first)
    assert codes(again["userErrors"]) == ["ALREADY_DONE"]

    # when the supervisor completes the second, then the list is empty
    assert (await complete(api, world.tokens["boss"], second))["userErrors"] == []
    assert await open_actions(api, world.tokens["staff"]) == []
    # and the dialog still shows both actions, done
    node = (await api.data("DialogKinerjaById", {"id": dialog["id"]}, token=world.tokens["staff"]))[
        "node"
    ]
    assert all(a["doneAt"] is not None for a in node["actions"])


@pytest.mark.parametrize("viewer", ["peer", "colleague", "junior", "outsider", "admin_opd"])
async def test_outsiders_neither_see_nor_complete_agreed_actions(
    api: Api, world: World, viewer: str
) -> None:
    dialog = await recorded(api, world)
    token = world.tokens[viewer]
    assert await open_actions(api, token, world.employee("staff")) == []
    attempt = await complete(api, token, dialog["actions"][0]["id"])
    assert attempt["action"] is None
    assert codes(attempt["userErrors"]) == ["NOT_FOUND"]
    assert len(await open_actions(api, world.tokens["staff"])) == 2


# --- visibility ------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["staff", "boss", "head"])
async def test_the_employee_and_their_chain_read_the_dialog(
    api: Api, world: World, viewer: str
) -> None:
    dialog = await recorded(api, world)
    node = (await api.data("DialogKinerjaById", {"id": dialog["id"]}, token=world.tokens[viewer]))[
        "node"
    ]
    assert node is not None
    assert node["__typename"] == "DialogKinerja"
    assert node["wentWell"] == WENT_WELL
    assert node["toImprove"] == TO_IMPROVE
    assert len(node["actions"]) == 2


@pytest.mark.parametrize(
    "viewer",
    # Unlike threads, a dialog has no metadata-only view: its fields are the conversation's
    # content, so admins (of the OPD or city-wide) get null like everybody else outside.
    ["peer", "colleague", "junior", "outsider", "admin_opd", "admin_other_opd", "bkpsdm"],
)
async def test_everybody_else_gets_null_for_the_dialog(api: Api, world: World, viewer: str) -> None:
    dialog = await recorded(api, world)
    body = await api.op("DialogKinerjaById", {"id": dialog["id"]}, token=world.tokens[viewer])
    assert body.get("errors") is None
    assert body["data"]["node"] is None
    assert WENT_WELL not in json.dumps(body)


async def test_a_thread_may_reference_the_employees_dialog_only(api: Api, world: World) -> None:
    # given a dialog about the staff member and one about the peer
    dialog = await recorded(api, world)
    peer_dialog = await record(
        api, world.tokens["boss"], dialog_input(world, employeeId=world.employee("peer"))
    )
    assert peer_dialog["userErrors"] == []

    def thread_input(employee: str, dialog_id: str) -> dict[str, Any]:
        return {
            "input": {
                "employeeId": employee,
                "topic": "Tindak lanjut dialog kinerja",
                "kind": "DIALOG_KINERJA",
                "body": "Mari kita pantau tindak lanjut yang disepakati.",
                "dialogId": dialog_id,
            }
        }

    # when the supervisor opens a DIALOG_KINERJA thread referencing the staff's dialog
    ok = (
        await api.data(
            "OpenFeedbackThread",
            thread_input(world.employee("staff"), dialog["id"]),
            token=world.tokens["boss"],
        )
    )["openFeedbackThread"]
    # then it refers to it
    assert ok["userErrors"] == []
    assert ok["thread"]["kind"] == "DIALOG_KINERJA"
    assert ok["thread"]["referenceIds"] == [dialog["id"]]

    # when referencing the peer's dialog from a thread about the staff member, then refused
    wrong = (
        await api.data(
            "OpenFeedbackThread",
            thread_input(world.employee("staff"), peer_dialog["dialog"]["id"]),
            token=world.tokens["boss"],
        )
    )["openFeedbackThread"]
    assert [(e["code"], ".".join(e["path"] or ()) or None) for e in wrong["userErrors"]] == [
        ("INVALID_REFERENCE", "dialogId")
    ]
