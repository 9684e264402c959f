"""Feedback threads through GraphQL: every workflow and every visibility rule.

The organisation (``support.performance_builders.build_org`` plus two people): Kepala Dinas
(``head``) -> Kepala Puskesmas (``boss``) -> Perawat Satu (``staff``, the employee the threads are
about) and Perawat Dua (``peer``); ``junior`` reports to ``staff``; ``colleague`` works in
another unit of the same OPD and has no subordinates; ``outsider`` works at Bapenda. Admins:
``admin_opd`` (Dinas Kesehatan), ``admin_other_opd`` (Bapenda), ``bkpsdm`` (city-wide) and
``sosialisasi``.

Who reads what: the employee and their supervisor chain read and write a thread; admins of the
employee's OPD (and BKPSDM) see its metadata through ``node(id:)`` and ``feedbackThreads`` but
``messages`` is null for them; everybody else sees nothing (null / NOT_FOUND).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from portal.feedback.tables import FeedbackMessage
from support.api import Api
from support.factories import PASSWORD, Factory, Person
from support.performance_builders import (
    Org,
    build_org,
    codes,
    gid,
    insert_activities,
    insert_approved_skp,
    past_day,
    pk_of,
)

TOPIC = "Waktu respon layanan"
FIRST = "Waktu respon layanan pendaftaran perlu diperbaiki, rata-rata 25 menit minggu ini."


@dataclass
class World:
    org: Org
    people: dict[str, Person]
    tokens: dict[str, str]
    staff_indicator: int
    staff_activity: int
    peer_indicator: int
    peer_activity: int

    def employee(self, label: str) -> str:
        return gid("Employee", self.people[label].id)


@pytest.fixture
async def world(api: Api, factory: Factory) -> World:
    org = await build_org(api, factory)
    people = dict(org.people)
    tokens = dict(org.tokens)
    other_unit = await factory.unor(org.opd_id, "DINKES.LAB", parent_id=None)
    people["colleague"] = await factory.employee(other_unit, name="Analis Laboratorium")
    people["junior"] = await factory.employee(
        org.pkm_unit, supervisor=people["staff"], name="Perawat Magang"
    )
    for label in ("colleague", "junior"):
        tokens[label] = await api.login(people[label].username, PASSWORD)
    boss_id = people["boss"].id
    _, staff_indicators = await insert_approved_skp(
        people["staff"], org.period_id, rater_id=boss_id
    )
    _, peer_indicators = await insert_approved_skp(people["peer"], org.period_id, rater_id=boss_id)
    (staff_activity,) = await insert_activities(
        people["staff"].id, org.period_id, staff_indicators[0], [past_day(3)], key_prefix="s"
    )
    (peer_activity,) = await insert_activities(
        people["peer"].id, org.period_id, peer_indicators[0], [past_day(3)], key_prefix="p"
    )
    return World(
        org=org,
        people=people,
        tokens=tokens,
        staff_indicator=staff_indicators[0],
        staff_activity=staff_activity,
        peer_indicator=peer_indicators[0],
        peer_activity=peer_activity,
    )


# --- helpers ---------------------------------------------------------------------------------


async def open_thread(
    api: Api, token: str, employee: str, *, body: str = FIRST, **extra: Any
) -> dict[str, Any]:
    """Run OpenFeedbackThread (kind IMPROVEMENT unless given); return the payload."""
    fields = {"employeeId": employee, "topic": TOPIC, "kind": "IMPROVEMENT", "body": body, **extra}
    data = await api.data("OpenFeedbackThread", {"input": fields}, token=token)
    payload: dict[str, Any] = data["openFeedbackThread"]
    return payload


async def opened(api: Api, world: World, by: str = "boss", **extra: Any) -> str:
    """A thread about ``staff`` opened by ``by``; return its global ID."""
    payload = await open_thread(api, world.tokens[by], world.employee("staff"), **extra)
    assert payload["userErrors"] == [], payload["userErrors"]
    thread_id: str = payload["thread"]["id"]
    return thread_id


async def post(api: Api, token: str, thread: str, body: str) -> dict[str, Any]:
    """Run PostFeedbackMessage; return the payload."""
    data = await api.data(
        "PostFeedbackMessage", {"input": {"threadId": thread, "body": body}}, token=token
    )
    payload: dict[str, Any] = data["postFeedbackMessage"]
    return payload


async def posted(api: Api, token: str, thread: str, body: str) -> str:
    """Post and return the new message's global ID (fails on userErrors)."""
    payload = await post(api, token, thread, body)
    assert payload["userErrors"] == [], payload["userErrors"]
    message_id: str = payload["message"]["id"]
    return message_id


async def thread_node(
    api: Api, token: str, thread: str, first: int = 50, after: str | None = None
) -> dict[str, Any] | None:
    """The thread through ``node(id:)`` (FeedbackThreadMessages), or None."""
    variables = {"id": thread, "first": first, "after": after}
    node: dict[str, Any] | None = (
        await api.data("FeedbackThreadMessages", variables, token=token)
    )["node"]
    return node


async def thread_action(api: Api, name: str, token: str, thread: str) -> dict[str, Any]:
    """Run one of the ThreadActionInput mutations; return its payload."""
    data = await api.data(name, {"input": {"threadId": thread}}, token=token)
    payload: dict[str, Any] = data[name[0].lower() + name[1:]]
    return payload


async def inbox(api: Api, token: str, **variables: Any) -> dict[str, Any]:
    """FeedbackThreads (the viewer's inbox unless ``employeeId`` is given)."""
    return await api.data("FeedbackThreads", {"first": 50, **variables}, token=token)


async def notifications(api: Api, token: str, **variables: Any) -> dict[str, Any]:
    """Notifications query (list and unread count)."""
    return await api.data("Notifications", {"first": 50, **variables}, token=token)


def kinds(listing: dict[str, Any]) -> list[str]:
    return [e["node"]["kind"] for e in listing["notifications"]["edges"]]


# --- opening ---------------------------------------------------------------------------------


async def test_supervisor_opens_a_thread_about_a_subordinate_with_references(
    api: Api, world: World
) -> None:
    # given the staff's own indicator and activity
    indicator = gid("Indicator", world.staff_indicator)
    activity = gid("Activity", world.staff_activity)

    # when the direct supervisor opens an IMPROVEMENT thread referencing them
    payload = await open_thread(
        api,
        world.tokens["boss"],
        world.employee("staff"),
        indicatorId=indicator,
        activityId=activity,
    )

    # then the thread exists with its references, opened by the supervisor
    assert payload["userErrors"] == []
    thread = payload["thread"]
    assert thread["topic"] == TOPIC
    assert thread["kind"] == "IMPROVEMENT"
    assert thread["status"] == "OPEN"
    assert thread["employee"]["id"] == world.employee("staff")
    assert thread["openedBy"]["id"] == world.employee("boss")
    assert thread["referenceIds"] == [indicator, activity]
    # and the employee reads the first message in their inbox, unread
    listing = await inbox(api, world.tokens["staff"])
    assert [e["node"]["id"] for e in listing["feedbackThreads"]["edges"]] == [thread["id"]]
    assert listing["feedbackThreads"]["edges"][0]["node"]["unreadCount"] == 1
    assert listing["unreadFeedbackCount"] == 1
    node = await thread_node(api, world.tokens["staff"], thread["id"])
    assert node is not None
    assert [e["node"]["body"] for e in node["messages"]["edges"]] == [FIRST]
    assert node["messages"]["edges"][0]["node"]["author"]["id"] == world.employee("boss")


@pytest.mark.parametrize(
    ("field", "target"),
    [
        ("indicatorId", "peer_indicator"),
        ("activityId", "peer_activity"),
        ("evaluationId", "missing_evaluation"),
    ],
)
async def test_a_reference_to_someone_elses_object_is_refused(
    api: Api, world: World, field: str, target: str
) -> None:
    # given an object that does not concern the staff member (the peer's, or none at all)
    value = {
        "peer_indicator": gid("Indicator", world.peer_indicator),
        "peer_activity": gid("Activity", world.peer_activity),
        "missing_evaluation": gid("Evaluation", 999_999),
    }[target]

    # when the supervisor opens a thread about the staff member referencing it
    payload = await open_thread(
        api, world.tokens["boss"], world.employee("staff"), **{field: value}
    )

    # then INVALID_REFERENCE on that field and no thread was created
    assert payload["thread"] is None
    assert [(e["code"], ".".join(e["path"] or ()) or None) for e in payload["userErrors"]] == [
        ("INVALID_REFERENCE", field)
    ]
    listing = await inbox(api, world.tokens["boss"], employeeId=world.employee("staff"))
    assert listing["feedbackThreads"]["totalCount"] == 0


async def test_the_employee_opens_a_thread_about_themself(api: Api, world: World) -> None:
    # when the staff member asks a question about their own indicator
    indicator = gid("Indicator", world.staff_indicator)
    payload = await open_thread(
        api,
        world.tokens["staff"],
        world.employee("staff"),
        indicatorId=indicator,
        kind="QUESTION",
        topic="Target dosis vaksin",
        body="Apakah target 1200 dosis termasuk vaksin booster?",
    )

    # then it is theirs, and their supervisor chain can read and answer it
    assert payload["userErrors"] == []
    thread = payload["thread"]
    assert thread["kind"] == "QUESTION"
    assert thread["openedBy"]["id"] == world.employee("staff")
    for label in ("boss", "head"):
        listing = await inbox(api, world.tokens[label], employeeId=world.employee("staff"))
        assert [e["node"]["id"] for e in listing["feedbackThreads"]["edges"]] == [thread["id"]]
        node = await thread_node(api, world.tokens[label], thread["id"])
        assert node is not None
        assert node["messages"]["totalCount"] == 1
        assert node["unreadCount"] == 1
    assert (await post(api, world.tokens["boss"], thread["id"], "Ya, termasuk."))[
        "userErrors"
    ] == []
    # and the employee is told about the answer
    assert "THREAD_MESSAGE" in kinds(await notifications(api, world.tokens["staff"]))


async def test_a_thread_the_employee_opens_reaches_their_supervisor(api: Api, world: World) -> None:
    # given the staff member opens a question about themself
    thread = await opened(api, world, by="staff", kind="QUESTION")

    # then their direct supervisor is notified and finds it in their inbox
    boss_notifications = await notifications(api, world.tokens["boss"])
    assert "THREAD_MESSAGE" in kinds(boss_notifications)
    listing = await inbox(api, world.tokens["boss"])
    assert thread in [e["node"]["id"] for e in listing["feedbackThreads"]["edges"]]


@pytest.mark.parametrize("opener", ["peer", "colleague", "junior", "outsider"])
async def test_only_the_employee_and_their_chain_may_open_a_thread(
    api: Api, world: World, opener: str
) -> None:
    payload = await open_thread(api, world.tokens[opener], world.employee("staff"))
    assert payload["thread"] is None
    assert codes(payload["userErrors"]) == ["FORBIDDEN"]


@pytest.mark.parametrize("opener", ["admin_opd", "bkpsdm"])
async def test_admins_cannot_open_threads(api: Api, world: World, opener: str) -> None:
    payload = await open_thread(api, world.tokens[opener], world.employee("staff"))
    assert payload["thread"] is None
    assert codes(payload["userErrors"]) == ["FORBIDDEN"]


async def test_topic_and_kind_are_validated(api: Api, world: World) -> None:
    short = await open_thread(api, world.tokens["boss"], world.employee("staff"), topic="ab")
    assert [(e["code"], ".".join(e["path"] or ()) or None) for e in short["userErrors"]] == [
        ("INVALID_LENGTH", "topic")
    ]
    empty = await open_thread(api, world.tokens["boss"], world.employee("staff"), body="   ")
    assert [(e["code"], ".".join(e["path"] or ()) or None) for e in empty["userErrors"]] == [
        ("INVALID_LENGTH", "body")
    ]
    bad_kind = await api.op(
        "OpenFeedbackThread",
        {
            "input": {
                "employeeId": world.employee("staff"),
                "topic": TOPIC,
                "kind": "GOSSIP",
                "body": FIRST,
            }
        },
        token=world.tokens["boss"],
    )
    assert bad_kind["errors"]


# --- visibility ------------------------------------------------------------------------------


async def test_the_supervisors_supervisor_reads_and_posts(api: Api, world: World) -> None:
    # given a thread the direct supervisor opened
    thread = await opened(api, world)

    # when the supervisor's supervisor reads it, then they see the messages
    node = await thread_node(api, world.tokens["head"], thread)
    assert node is not None
    assert [e["node"]["body"] for e in node["messages"]["edges"]] == [FIRST]
    assert node["unreadCount"] == 1

    # when they post, then it works, the thread joins their inbox, and both others are told
    await posted(api, world.tokens["head"], thread, "Mohon dibahas pada rapat Senin.")
    listing = await inbox(api, world.tokens["head"])
    assert [e["node"]["id"] for e in listing["feedbackThreads"]["edges"]] == [thread]
    for label in ("boss", "staff"):
        assert "THREAD_MESSAGE" in kinds(await notifications(api, world.tokens[label])), label
    head_kinds = kinds(await notifications(api, world.tokens["head"]))
    assert "THREAD_MESSAGE" not in head_kinds  # nobody is notified of their own message


@pytest.mark.parametrize(
    "viewer", ["outsider", "peer", "colleague", "junior", "admin_other_opd", "sosialisasi"]
)
async def test_everybody_else_sees_nothing_and_cannot_write(
    api: Api, world: World, viewer: str
) -> None:
    # given a thread about the staff member with a message
    thread = await opened(api, world)
    token = world.tokens[viewer]

    # when someone outside the chain (and not an admin of the OPD) looks for it
    # then node(id:) is null
    assert await thread_node(api, token, thread) is None
    # and listing the staff member's threads is NOT_FOUND, their own inbox does not have it
    body = await api.op(
        "FeedbackThreads", {"first": 10, "employeeId": world.employee("staff")}, token=token
    )
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert FIRST not in json.dumps(body)
    own = await inbox(api, token)
    assert own["feedbackThreads"]["totalCount"] == 0
    assert own["unreadFeedbackCount"] == 0
    # and every write is NOT_FOUND (indistinguishable from a missing thread)
    attempt = await post(api, token, thread, "Boleh ikut berkomentar?")
    assert attempt["message"] is None
    assert [(e["code"], ".".join(e["path"] or ()) or None) for e in attempt["userErrors"]] == [
        ("NOT_FOUND", "threadId")
    ]
    for name in (
        "MarkFeedbackThreadRead",
        "AcknowledgeFeedback",
        "ResolveFeedbackThread",
        "ReopenFeedbackThread",
    ):
        payload = await thread_action(api, name, token, thread)
        assert payload["thread"] is None, name
        assert codes(payload["userErrors"]) == ["NOT_FOUND"], name
    # and the staff member's messages cannot be edited by them either
    boss_view = await thread_node(api, world.tokens["boss"], thread)
    assert boss_view is not None
    first_message = boss_view["messages"]["edges"][0]
    edit = await api.data(
        "EditFeedbackMessage",
        {"input": {"messageId": first_message["node"]["id"], "body": "diubah"}},
        token=token,
    )
    assert codes(edit["editFeedbackMessage"]["userErrors"]) == ["NOT_FOUND"]


@pytest.mark.parametrize("admin", ["admin_opd", "bkpsdm"])
async def test_admins_of_the_opd_see_metadata_but_never_message_text(
    api: Api, world: World, admin: str
) -> None:
    # given a thread with two messages
    thread = await opened(api, world)
    await posted(api, world.tokens["staff"], thread, "Baik, akan saya perbaiki.")
    token = world.tokens[admin]

    # when an admin of the employee's OPD opens it by ID
    body = await api.op("FeedbackThreadMessages", {"id": thread, "first": 10}, token=token)

    # then the metadata is there, messages are null, and no message text leaks anywhere
    assert body.get("errors") is None
    node = body["data"]["node"]
    assert node["id"] == thread
    assert node["topic"] == TOPIC
    assert node["kind"] == "IMPROVEMENT"
    assert node["status"] == "OPEN"
    assert node["employee"]["id"] == world.employee("staff")
    assert node["messages"] is None
    assert node["unreadCount"] == 0
    raw = json.dumps(body)
    assert FIRST not in raw
    assert "perbaiki" not in raw

    # when listing the employee's threads, then the same metadata, and still no text
    listing = await api.op(
        "FeedbackThreads", {"first": 10, "employeeId": world.employee("staff")}, token=token
    )
    assert listing.get("errors") is None
    edges = listing["data"]["feedbackThreads"]["edges"]
    assert [e["node"]["id"] for e in edges] == [thread]
    assert edges[0]["node"]["openedBy"]["id"] == world.employee("boss")
    assert FIRST not in json.dumps(listing)

    # and the admin cannot post or act on it
    attempt = await post(api, token, thread, "Catatan admin")
    assert codes(attempt["userErrors"]) == ["NOT_FOUND"]
    for name in ("ResolveFeedbackThread", "MarkFeedbackThreadRead", "AcknowledgeFeedback"):
        assert codes((await thread_action(api, name, token, thread))["userErrors"]) == [
            "NOT_FOUND"
        ], name
    boss_view = await thread_node(api, world.tokens["boss"], thread)
    assert boss_view is not None
    assert boss_view["messages"]["totalCount"] == 2


async def test_an_admin_of_another_opd_sees_nothing(api: Api, world: World) -> None:
    thread = await opened(api, world)
    token = world.tokens["admin_other_opd"]
    assert await thread_node(api, token, thread) is None
    body = await api.op(
        "FeedbackThreads", {"first": 10, "employeeId": world.employee("staff")}, token=token
    )
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert TOPIC not in json.dumps(body)


# --- messages --------------------------------------------------------------------------------


async def test_message_length_is_limited_to_4000_characters(api: Api, world: World) -> None:
    thread = await opened(api, world)
    too_long = await post(api, world.tokens["staff"], thread, "x" * 4001)
    assert too_long["message"] is None
    assert [(e["code"], ".".join(e["path"] or ()) or None) for e in too_long["userErrors"]] == [
        ("INVALID_LENGTH", "body")
    ]
    blank = await post(api, world.tokens["staff"], thread, " \n ")
    assert codes(blank["userErrors"]) == ["INVALID_LENGTH"]
    exactly = await post(api, world.tokens["staff"], thread, "y" * 4000)
    assert exactly["userErrors"] == []
    assert len(exactly["message"]["body"]) == 4000
    opening = await open_thread(api, world.tokens["boss"], world.employee("staff"), body="z" * 4001)
    assert codes(opening["userErrors"]) == ["INVALID_LENGTH"]


async def test_the_author_edits_within_the_window_and_history_is_kept(
    api: Api, world: World
) -> None:
    # given a message by the supervisor
    thread = await opened(api, world)
    message = await posted(api, world.tokens["boss"], thread, "Rapat hari Senin jam 9.")

    # when the author edits it twice
    first = await api.data(
        "EditFeedbackMessage",
        {"input": {"messageId": message, "body": "Rapat hari Selasa jam 9."}},
        token=world.tokens["boss"],
    )
    second = await api.data(
        "EditFeedbackMessage",
        {"input": {"messageId": message, "body": "Rapat hari Selasa jam 10."}},
        token=world.tokens["boss"],
    )

    # then the text changed, the edit time is set, and the earlier texts are kept in order
    assert first["editFeedbackMessage"]["userErrors"] == []
    edited = second["editFeedbackMessage"]["message"]
    assert edited["body"] == "Rapat hari Selasa jam 10."
    assert edited["editedAt"] is not None
    assert edited["editHistory"] == ["Rapat hari Senin jam 9.", "Rapat hari Selasa jam 9."]
    node = await thread_node(api, world.tokens["staff"], thread)
    assert node is not None
    last = node["messages"]["edges"][-1]["node"]
    assert last["body"] == "Rapat hari Selasa jam 10."
    assert last["editedAt"] is not None

    # when the edit is invalid, then INVALID_LENGTH and nothing changes
    bad = await api.data(
        "EditFeedbackMessage",
        {"input": {"messageId": message, "body": "x" * 4001}},
        token=world.tokens["boss"],
    )
    assert codes(bad["editFeedbackMessage"]["userErrors"]) == ["INVALID_LENGTH"]


@pytest.mark.parametrize("editor", ["staff", "head"])
async def test_another_participant_cannot_edit_a_message(
    api: Api, world: World, editor: str
) -> None:
    thread = await opened(api, world)
    message = await posted(api, world.tokens["boss"], thread, "Teks asli")
    data = await api.data(
        "EditFeedbackMessage",
        {"input": {"messageId": message, "body": "Teks palsu"}},
        token=world.tokens[editor],
    )
    assert data["editFeedbackMessage"]["message"] is None
    assert codes(data["editFeedbackMessage"]["userErrors"]) == ["FORBIDDEN"]
    node = await thread_node(api, world.tokens["boss"], thread)
    assert node is not None
    assert node["messages"]["edges"][-1]["node"]["body"] == "Teks asli"


async def test_an_edit_after_the_window_is_refused(api: Api, world: World) -> None:
    # given a message sent 16 minutes ago (the window is 15)
    thread = await opened(api, world)
    message = await posted(api, world.tokens["boss"], thread, "Teks lama")
    await FeedbackMessage.update(
        {FeedbackMessage.created_at: datetime.now(UTC) - timedelta(minutes=16)}
    ).where(FeedbackMessage.id == pk_of(message))

    # when its author edits it, then EDIT_WINDOW_PASSED and the text stays
    data = await api.data(
        "EditFeedbackMessage",
        {"input": {"messageId": message, "body": "Teks baru"}},
        token=world.tokens["boss"],
    )
    assert data["editFeedbackMessage"]["message"] is None
    assert codes(data["editFeedbackMessage"]["userErrors"]) == ["EDIT_WINDOW_PASSED"]
    node = await thread_node(api, world.tokens["staff"], thread)
    assert node is not None
    assert node["messages"]["edges"][-1]["node"]["body"] == "Teks lama"
    assert node["messages"]["edges"][-1]["node"]["editedAt"] is None

    # while one sent 14 minutes ago may still be edited
    recent = await posted(api, world.tokens["boss"], thread, "Teks kedua")
    await FeedbackMessage.update(
        {FeedbackMessage.created_at: datetime.now(UTC) - timedelta(minutes=14)}
    ).where(FeedbackMessage.id == pk_of(recent))
    ok = await api.data(
        "EditFeedbackMessage",
        {"input": {"messageId": recent, "body": "Teks kedua (revisi)"}},
        token=world.tokens["boss"],
    )
    assert ok["editFeedbackMessage"]["userErrors"] == []


async def test_unread_counts_follow_read_state(api: Api, world: World) -> None:
    # given a thread the supervisor opened and two more supervisor messages
    thread = await opened(api, world)
    await posted(api, world.tokens["boss"], thread, "Kedua")
    await posted(api, world.tokens["boss"], thread, "Ketiga")

    # then the employee has 3 unread, the writer none
    staff_view = await inbox(api, world.tokens["staff"])
    assert staff_view["unreadFeedbackCount"] == 3
    assert staff_view["feedbackThreads"]["edges"][0]["node"]["unreadCount"] == 3
    boss_view = await inbox(api, world.tokens["boss"])
    assert boss_view["unreadFeedbackCount"] == 0
    assert boss_view["feedbackThreads"]["edges"][0]["node"]["unreadCount"] == 0

    # when the employee marks the thread read, then the counts drop to zero
    marked = await thread_action(api, "MarkFeedbackThreadRead", world.tokens["staff"], thread)
    assert marked["userErrors"] == []
    assert marked["thread"]["unreadCount"] == 0
    assert (await inbox(api, world.tokens["staff"]))["unreadFeedbackCount"] == 0

    # when the employee replies, then the supervisor has one unread, the employee none
    await posted(api, world.tokens["staff"], thread, "Siap, akan saya perbaiki.")
    assert (await inbox(api, world.tokens["boss"]))["unreadFeedbackCount"] == 1
    assert (await inbox(api, world.tokens["staff"]))["unreadFeedbackCount"] == 0

    # and a second thread adds to the employee's total, per thread
    second = await opened(api, world, topic="Kelengkapan laporan")
    staff_view = await inbox(api, world.tokens["staff"])
    assert staff_view["unreadFeedbackCount"] == 1
    per_thread = {
        e["node"]["id"]: e["node"]["unreadCount"] for e in staff_view["feedbackThreads"]["edges"]
    }
    assert per_thread == {thread: 0, second: 1}


async def test_acknowledgement_is_by_the_employee_only_and_once(api: Api, world: World) -> None:
    thread = await opened(api, world)

    # when the supervisor tries to acknowledge, then FORBIDDEN
    by_boss = await thread_action(api, "AcknowledgeFeedback", world.tokens["boss"], thread)
    assert codes(by_boss["userErrors"]) == ["FORBIDDEN"]

    # when the employee acknowledges, then it is recorded
    ack = await thread_action(api, "AcknowledgeFeedback", world.tokens["staff"], thread)
    assert ack["userErrors"] == []
    assert ack["thread"]["acknowledgedAt"] is not None

    # and a second time is refused
    again = await thread_action(api, "AcknowledgeFeedback", world.tokens["staff"], thread)
    assert codes(again["userErrors"]) == ["ALREADY_ACKNOWLEDGED"]
    assert again["thread"] is None

    # and the opener was told once, pointing at the thread
    boss_notifications = (await notifications(api, world.tokens["boss"]))["notifications"]
    acks = [
        e["node"]
        for e in boss_notifications["edges"]
        if e["node"]["kind"] == "FEEDBACK_ACKNOWLEDGED"
    ]
    assert len(acks) == 1
    assert acks[0]["subjectId"] == thread
    assert TOPIC in acks[0]["title"]
    node = await thread_node(api, world.tokens["head"], thread)
    assert node is not None
    assert node["acknowledgedAt"] == ack["thread"]["acknowledgedAt"]


async def test_resolve_refuses_posts_until_reopened(api: Api, world: World) -> None:
    thread = await opened(api, world)

    # when the employee resolves it
    resolved = await thread_action(api, "ResolveFeedbackThread", world.tokens["staff"], thread)
    assert resolved["userErrors"] == []
    assert resolved["thread"]["status"] == "RESOLVED"
    assert resolved["thread"]["resolvedAt"] is not None

    # then posting is refused for everybody, and resolving again is INVALID_STATE
    for label in ("staff", "boss"):
        refused = await post(api, world.tokens[label], thread, "Satu hal lagi")
        assert codes(refused["userErrors"]) == ["THREAD_RESOLVED"], label
    again = await thread_action(api, "ResolveFeedbackThread", world.tokens["boss"], thread)
    assert codes(again["userErrors"]) == ["INVALID_STATE"]
    # and the status filter finds it
    by_status = await inbox(
        api, world.tokens["boss"], employeeId=world.employee("staff"), status="RESOLVED"
    )
    assert [e["node"]["id"] for e in by_status["feedbackThreads"]["edges"]] == [thread]
    open_only = await inbox(
        api, world.tokens["boss"], employeeId=world.employee("staff"), status="OPEN"
    )
    assert open_only["feedbackThreads"]["totalCount"] == 0

    # when the supervisor reopens it, then posting works again
    reopened = await thread_action(api, "ReopenFeedbackThread", world.tokens["boss"], thread)
    assert reopened["userErrors"] == []
    assert reopened["thread"]["status"] == "OPEN"
    assert reopened["thread"]["resolvedAt"] is None
    assert (await post(api, world.tokens["staff"], thread, "Satu hal lagi"))["userErrors"] == []
    reopen_again = await thread_action(api, "ReopenFeedbackThread", world.tokens["boss"], thread)
    assert codes(reopen_again["userErrors"]) == ["INVALID_STATE"]


async def test_messages_paginate_with_cursors(api: Api, world: World) -> None:
    # given a thread with five messages
    thread = await opened(api, world, body="Pesan 1")
    for n in range(2, 6):
        await posted(api, world.tokens["staff" if n % 2 else "boss"], thread, f"Pesan {n}")

    # when walking two at a time
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        node = await thread_node(api, world.tokens["staff"], thread, first=2, after=after)
        assert node is not None
        page = node["messages"]
        assert page["totalCount"] == 5
        assert len(page["edges"]) <= 2
        seen += [e["node"]["body"] for e in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    # then every message comes once, oldest first, in three pages
    assert seen == [f"Pesan {n}" for n in range(1, 6)]
    assert pages == 3


async def test_thread_listing_paginates_newest_first(api: Api, world: World) -> None:
    ids = [await opened(api, world, topic=f"Topik nomor {n}") for n in range(3)]
    first = await inbox(api, world.tokens["staff"], first=2)
    page = first["feedbackThreads"]
    assert page["totalCount"] == 3
    assert [e["node"]["id"] for e in page["edges"]] == [ids[2], ids[1]]
    assert page["pageInfo"]["hasNextPage"] is True
    rest = await inbox(api, world.tokens["staff"], first=2, after=page["pageInfo"]["endCursor"])
    assert [e["node"]["id"] for e in rest["feedbackThreads"]["edges"]] == [ids[0]]
    assert rest["feedbackThreads"]["pageInfo"]["hasNextPage"] is False


# --- notifications ---------------------------------------------------------------------------


async def test_notifications_of_a_conversation(api: Api, world: World) -> None:
    # given the supervisor opens a thread and writes again, and the employee acknowledges
    thread = await opened(api, world)
    await posted(api, world.tokens["boss"], thread, "Tolong dibalas sebelum Jumat.")
    await thread_action(api, "AcknowledgeFeedback", world.tokens["staff"], thread)

    # then the employee has two THREAD_MESSAGE notifications about the thread, both unread
    staff = await notifications(api, world.tokens["staff"])
    assert staff["unreadNotificationCount"] == 2
    edges = staff["notifications"]["edges"]
    assert [e["node"]["kind"] for e in edges] == ["THREAD_MESSAGE", "THREAD_MESSAGE"]
    assert all(e["node"]["subjectId"] == thread for e in edges)
    assert all(e["node"]["readAt"] is None for e in edges)
    assert edges[0]["node"]["body"] == "Tolong dibalas sebelum Jumat."
    # and the opener has FEEDBACK_ACKNOWLEDGED, never a notice of their own messages
    boss = await notifications(api, world.tokens["boss"])
    assert kinds(boss) == ["FEEDBACK_ACKNOWLEDGED"]
    # and the unread filter agrees with the count
    unread = await notifications(api, world.tokens["staff"], unreadOnly=True)
    assert unread["notifications"]["totalCount"] == 2

    # when the employee marks one read by ID
    newest = edges[0]["node"]["id"]
    marked = (
        await api.data(
            "MarkNotificationsRead", {"input": {"ids": [newest]}}, token=world.tokens["staff"]
        )
    )["markNotificationsRead"]
    # then one changed and one is left
    assert marked == {"marked": 1, "unreadCount": 1, "userErrors": []}
    again = (
        await api.data(
            "MarkNotificationsRead", {"input": {"ids": [newest]}}, token=world.tokens["staff"]
        )
    )["markNotificationsRead"]
    assert again["marked"] == 0
    own = (await api.data("NotificationById", {"id": newest}, token=world.tokens["staff"]))["node"]
    assert own["kind"] == "THREAD_MESSAGE"
    assert own["readAt"] is not None

    # when marking all read, then none is left
    everything = (
        await api.data("MarkNotificationsRead", {"input": {}}, token=world.tokens["staff"])
    )["markNotificationsRead"]
    assert everything == {"marked": 1, "unreadCount": 0, "userErrors": []}
    assert (await notifications(api, world.tokens["staff"]))["unreadNotificationCount"] == 0
    assert (await notifications(api, world.tokens["staff"], unreadOnly=True))["notifications"][
        "totalCount"
    ] == 0


async def test_someone_elses_notification_is_invisible_and_untouchable(
    api: Api, world: World
) -> None:
    # given a notification of the employee
    await opened(api, world)
    staff = await notifications(api, world.tokens["staff"])
    theirs = staff["notifications"]["edges"][0]["node"]["id"]

    # then nobody else can read it by ID, not even the supervisor or an admin
    for label in ("boss", "head", "peer", "admin_opd", "bkpsdm"):
        node = (await api.data("NotificationById", {"id": theirs}, token=world.tokens[label]))[
            "node"
        ]
        assert node is None, label
    # and marking it read as somebody else changes nothing
    other = (
        await api.data(
            "MarkNotificationsRead", {"input": {"ids": [theirs]}}, token=world.tokens["boss"]
        )
    )["markNotificationsRead"]
    assert other["marked"] == 0
    assert (await notifications(api, world.tokens["staff"]))["unreadNotificationCount"] == 1


async def test_marking_more_than_100_notifications_at_once_is_refused(
    api: Api, world: World
) -> None:
    ids = [gid("Notification", n) for n in range(1, 102)]
    data = await api.data(
        "MarkNotificationsRead", {"input": {"ids": ids}}, token=world.tokens["staff"]
    )
    assert codes(data["markNotificationsRead"]["userErrors"]) == ["TOO_MANY_IDS"]
