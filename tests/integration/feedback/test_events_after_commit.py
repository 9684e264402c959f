"""Live events go out only after the transaction commits; a rolled-back write publishes nothing.

A subscriber listens on the process's broker (``portal.core.events.get_broker()``: in-process
by default, Redis when the session's app installed one) in a background task. To make "nothing
arrived" deterministic rather than a matter of waiting, each check ends by publishing a
sentinel on the same channel straight through the broker: events on one channel arrive in
order, so when the sentinel arrives first, nothing was published before it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from typing import Any

import pytest

from portal.accounts.tables import UserAccount
from portal.core.auth import Role, Viewer
from portal.core.db import transaction
from portal.core.events import get_broker
from portal.feedback import service as feedback
from portal.feedback.tables import FeedbackMessage
from portal.notifications.services import inbox as notifications
from portal.notifications.tables import Notification
from support.factories import Factory, Person

WAIT = 5.0  # seconds to wait for something that must arrive
QUIET = 0.3  # seconds to wait for something that must not arrive

_sentinels = itertools.count(1)


class Listener:
    """Collects the events of one channel in a background task."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.committed_on_arrival: dict[int, bool] = {}
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        async for event in get_broker().subscribe(self.channel):
            if self.channel.startswith("thread:") and "id" in event and "body" in event:
                # is the message visible to another connection when its event arrives?
                self.committed_on_arrival[int(event["id"])] = await FeedbackMessage.exists().where(
                    FeedbackMessage.id == int(event["id"])
                )
            self.queue.put_nowait(event)

    async def start(self) -> None:
        """Subscribe, and return once the subscription demonstrably receives events."""
        self._task = asyncio.create_task(self._run())
        deadline = asyncio.get_running_loop().time() + WAIT
        while True:
            marker = await self._publish_sentinel()
            try:
                while True:
                    event = await asyncio.wait_for(self.queue.get(), timeout=0.2)
                    if event.get("sentinel") == marker:
                        return
            except TimeoutError:
                if asyncio.get_running_loop().time() > deadline:
                    raise AssertionError(f"subscription to {self.channel} never came up") from None

    async def _publish_sentinel(self) -> int:
        marker = next(_sentinels)
        await get_broker().publish(self.channel, {"sentinel": marker})
        return marker

    async def next_event(self) -> dict[str, Any]:
        """The next real (non-sentinel) event; fail when none comes in time."""
        while True:
            event = await asyncio.wait_for(self.queue.get(), timeout=WAIT)
            if "sentinel" not in event:
                return event

    async def assert_silent(self) -> None:
        """Nothing was published on the channel so far (checked with a sentinel)."""
        await asyncio.sleep(QUIET)
        marker = await self._publish_sentinel()
        event = await asyncio.wait_for(self.queue.get(), timeout=WAIT)
        assert event == {"sentinel": marker}, f"unexpected event on {self.channel}: {event}"

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


async def listening(channel: str) -> Listener:
    listener = Listener(channel)
    await listener.start()
    return listener


async def account_of(person: Person) -> int:
    row = await UserAccount.select(UserAccount.id).where(UserAccount.employee == person.id).first()
    assert row is not None
    return int(row["id"])


async def viewer_for(person: Person, roles: frozenset[Role] = frozenset({Role.PEGAWAI})) -> Viewer:
    return Viewer(
        account_id=await account_of(person),
        username=person.username,
        employee_id=person.id,
        employee_opd_id=person.opd_id,
        roles=roles,
        admin_opd_ids=frozenset(),
    )


@pytest.fixture
async def pair(factory: Factory) -> tuple[Person, Person]:
    """A supervisor and their staff member."""
    opd = await factory.opd("DINKES", "Dinas Kesehatan")
    unit = await factory.unor(opd, "DINKES.PKM")
    boss = await factory.employee(unit, name="Kepala Puskesmas")
    staff = await factory.employee(unit, supervisor=boss, name="Perawat Satu")
    return boss, staff


async def test_a_rolled_back_notification_publishes_nothing(pair: tuple[Person, Person]) -> None:
    _, staff = pair
    account = await account_of(staff)
    listener = await listening(notifications.channel(account))
    try:
        # when a notification is written inside a transaction that then fails
        async def notify_then_fail() -> None:
            async with transaction():
                rows = await notifications.notify_employees(
                    [staff.id], "THREAD_MESSAGE", "Tidak pernah terkirim", "rollback"
                )
                assert len(rows) == 1  # written, but not yet committed
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            await notify_then_fail()

        # then nothing was published and nothing was stored
        await listener.assert_silent()
        assert await Notification.count().where(Notification.account == account) == 0

        # when the same write commits, then its event arrives with the stored row's ID
        async with transaction():
            (row,) = await notifications.notify_employees(
                [staff.id], "THREAD_MESSAGE", "Terkirim", "commit"
            )
        event = await listener.next_event()
        assert event["id"] == row.id
        assert event["account_id"] == account
        assert event["kind"] == "THREAD_MESSAGE"
        assert event["title"] == "Terkirim"
        assert await Notification.count().where(Notification.account == account) == 1
    finally:
        await listener.stop()


async def test_a_notification_outside_any_transaction_is_published_at_once(
    pair: tuple[Person, Person],
) -> None:
    _, staff = pair
    listener = await listening(notifications.channel(await account_of(staff)))
    try:
        (row,) = await notifications.notify_employees([staff.id], "COACHING_ASSIGNED", "Langsung")
        assert (await listener.next_event())["id"] == row.id
    finally:
        await listener.stop()


async def test_post_message_publishes_on_the_thread_channel_after_commit(
    pair: tuple[Person, Person],
) -> None:
    # given a thread the supervisor opened about the staff member
    boss, staff = pair
    boss_viewer = await viewer_for(boss, frozenset({Role.PEGAWAI, Role.ATASAN}))
    thread = await feedback.open_thread(
        boss_viewer,
        employee_id=staff.id,
        topic="Waktu respon layanan",
        kind="IMPROVEMENT",
        body="Pesan pembuka",
    )
    channel = feedback.thread_channel(thread.id)
    assert channel == f"thread:{thread.id}"
    listener = await listening(channel)
    staff_listener = await listening(notifications.channel(await account_of(staff)))
    try:
        # when the supervisor posts
        message = await feedback.post_message(boss_viewer, thread.id, "Mohon diperbaiki")

        # then the event carries the message, and it was committed when the event arrived
        event = await listener.next_event()
        assert event["id"] == message.id
        assert event["thread_id"] == thread.id
        assert event["author_id"] == boss.id
        assert event["body"] == "Mohon diperbaiki"
        assert listener.committed_on_arrival[message.id] is True
        # and the staff member's THREAD_MESSAGE notification went out too
        notice = await staff_listener.next_event()
        assert notice["kind"] == "THREAD_MESSAGE"
        assert notice["body"] == "Mohon diperbaiki"
    finally:
        await listener.stop()
        await staff_listener.stop()


async def test_a_post_inside_a_failing_outer_transaction_publishes_nothing(
    pair: tuple[Person, Person],
) -> None:
    # given a thread and listeners on its channel and on the employee's notifications
    boss, staff = pair
    boss_viewer = await viewer_for(boss, frozenset({Role.PEGAWAI, Role.ATASAN}))
    thread = await feedback.open_thread(
        boss_viewer,
        employee_id=staff.id,
        topic="Waktu respon layanan",
        kind="IMPROVEMENT",
        body="Pesan pembuka",
    )
    account = await account_of(staff)
    before = await Notification.count().where(Notification.account == account)
    listener = await listening(feedback.thread_channel(thread.id))
    staff_listener = await listening(notifications.channel(account))
    try:
        # when the post joins an outer transaction that then fails
        async def post_then_fail() -> None:
            async with transaction():
                await feedback.post_message(boss_viewer, thread.id, "Tidak jadi")
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            await post_then_fail()

        # then neither the message nor its notification was published, or stored
        await listener.assert_silent()
        await staff_listener.assert_silent()
        assert (
            await FeedbackMessage.count().where(
                (FeedbackMessage.thread == thread.id) & (FeedbackMessage.body == "Tidak jadi")
            )
            == 0
        )
        assert await Notification.count().where(Notification.account == account) == before

        # and a later successful post is published as usual
        message = await feedback.post_message(boss_viewer, thread.id, "Jadi")
        assert (await listener.next_event())["id"] == message.id
        assert (await staff_listener.next_event())["body"] == "Jadi"
    finally:
        await listener.stop()
        await staff_listener.stop()
