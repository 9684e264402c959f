"""Notifications that reach people: e-mail to a local SMTP server, Web Push to a local push
endpoint that checks the VAPID signature and decrypts the payload; channels, quiet hours."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from typing import Any

import http_ece
import pytest
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from litestar import Litestar, Request, post
from py_vapid import Vapid02

import portal.core.jobs as core_jobs
from portal.accounts.tables import UserAccount
from portal.core import webpush
from portal.core.jobs import InProcessQueue, JobState
from portal.notifications.services import channels
from portal.notifications.services import inbox as notifications
from portal.ops import delivery
from portal.settings import Settings
from support.api import Api
from support.apps import serve
from support.factories import PASSWORD, Factory
from support.workers import free_port

SECRET_TITLE = "Skor 0.93: aktivitas turun 60 %, dua umpan balik negatif"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@dataclasses.dataclass
class Browser:
    key: ec.EllipticCurvePrivateKey
    auth: bytes
    received: list[dict[str, Any]]

    def subscription(self, url: str) -> dict[str, str]:
        public = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": url,
            "p256dh": webpush.b64url_encode(public),
            "auth": webpush.b64url_encode(self.auth),
        }


@asynccontextmanager
async def push_service(application_key: str) -> AsyncIterator[tuple[Browser, str]]:
    """A push service and the browser behind it: checks VAPID, decrypts what it receives."""
    browser = Browser(ec.generate_private_key(ec.SECP256R1()), os.urandom(16), [])

    @post("/push/browser-1", status_code=201)
    async def receive(request: Request[Any, Any, Any]) -> None:
        authorization = request.headers["authorization"]
        assert Vapid02.verify(authorization)  # signed by the key it names
        assert f"k={application_key}" in authorization  # ... the portal's application key
        assert request.headers["content-encoding"] == "aes128gcm"
        plain = http_ece.decrypt(
            await request.body(),
            private_key=browser.key,
            auth_secret=browser.auth,
            version="aes128gcm",
        )
        browser.received.append(json.loads(plain))

    async with serve(Litestar([receive])) as url:
        yield browser, f"{url}/push/browser-1"


@pytest.fixture
def queue(monkeypatch: pytest.MonkeyPatch) -> Iterator[InProcessQueue]:
    jobs = InProcessQueue()
    monkeypatch.setattr(core_jobs, "_queue", jobs)
    yield jobs
    channels.set_delivery(False)


async def account_of(username: str) -> int:
    rows = await UserAccount.select(UserAccount.id).where(UserAccount.username == username)
    return int(rows[0]["id"])


async def delivered(jobs: InProcessQueue) -> list[JobState]:
    states = []
    for key in list(jobs._jobs):
        state = await jobs.wait(key)
        assert state is not None
        states.append(state)
    return states


async def test_mentoring_alert_email_says_only_that_something_needs_attention(
    api: Api, factory: Factory, settings: Settings, queue: InProcessQueue
) -> None:
    opd = await factory.opd()
    boss = await factory.employee(await factory.unor(opd))
    token = await api.login(boss.nip, PASSWORD)
    refused = await api.data(
        "SetNotificationChannels", {"input": {"emailEnabled": True}}, token=token
    )
    assert refused["setNotificationChannels"]["userErrors"][0]["code"] == "EMAIL_REQUIRED"
    chosen = await api.data(
        "SetNotificationChannels",
        {"input": {"email": "atasan@tangsel.go.id", "emailEnabled": True}},
        token=token,
    )
    assert chosen["setNotificationChannels"]["channels"]["emailEnabled"] is True
    with smtp_server() as (inbox, port):
        delivery.configure(
            dataclasses.replace(
                settings, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False
            )
        )
        account = await account_of(boss.nip)
        [row] = await notifications.notify_accounts(
            [account], "MENTORING_ALERT", SECRET_TITLE, "alasan: aktivitas turun"
        )
        [state] = await delivered(queue)
        assert state.status == "complete", state
        assert state.result == {"emailed": 1, "pushed": 0, "deferred": []}
        # a retried job sends nothing twice
        again = await delivery.deliver(
            core_jobs.JobContext("again", 2, _no_progress), notification_ids=[row.id]
        )
        assert again["emailed"] == 0
    assert len(inbox.messages) == 1
    recipients, message = inbox.messages[0]
    assert recipients == ["atasan@tangsel.go.id"]
    assert message["Subject"] == "Ada hal yang perlu perhatian Anda"
    text = message.get_payload(decode=True).decode()
    assert "perlu perhatian" in text
    for secret in ("0.93", "aktivitas", "umpan balik", "alasan", "Skor"):
        assert secret not in text
        assert secret not in message["Subject"]


async def _no_progress(_: float) -> None:
    return None


async def test_web_push_reaches_the_browser_encrypted_and_signed(
    api: Api, factory: Factory, settings: Settings, queue: InProcessQueue
) -> None:
    key = webpush.generate_private_key()
    application_key = webpush.public_key(key)
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    token = await api.login(person.nip, PASSWORD)
    async with push_service(application_key) as (browser, endpoint):
        registered = await api.data(
            "RegisterPushSubscription", {"input": browser.subscription(endpoint)}, token=token
        )
        assert registered["registerPushSubscription"] == {"pushSubscriptions": 1, "userErrors": []}
        await api.data("SetNotificationChannels", {"input": {"pushEnabled": True}}, token=token)
        delivery.configure(dataclasses.replace(settings, vapid_private_key=key))
        shown = await api.data("NotificationChannels", {}, token=token)
        assert shown["notificationChannels"]["webPushPublicKey"] == application_key
        account = await account_of(person.nip)
        await notifications.notify_accounts(
            [account], "ACTIVITY_VERIFIED", "Aktivitas diverifikasi"
        )
        await notifications.notify_accounts([account], "MENTORING_ALERT", SECRET_TITLE, "alasan")
        states = await delivered(queue)
    assert [s.status for s in states] == ["complete", "complete"], states
    titles = sorted(m["title"] for m in browser.received)
    assert titles == ["Ada hal yang perlu perhatian Anda", "Aktivitas diverifikasi"]
    alert = next(m for m in browser.received if m["tag"] == "MENTORING_ALERT")
    assert "0.93" not in json.dumps(alert)
    assert "alasan" not in json.dumps(alert)


async def test_quiet_hours_hold_deliveries_until_they_end(
    api: Api, factory: Factory, settings: Settings, queue: InProcessQueue
) -> None:
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    token = await api.login(person.nip, PASSWORD)
    now = datetime.now(channels.WIB)
    start = (now - timedelta(hours=1)).strftime("%H:%M")
    end = (now + timedelta(hours=1)).strftime("%H:%M")
    bad = await api.data(
        "SetNotificationChannels", {"input": {"quietHoursStart": "25:00"}}, token=token
    )
    assert bad["setNotificationChannels"]["userErrors"][0]["code"] == "INVALID_TIME"
    await api.data(
        "SetNotificationChannels",
        {
            "input": {
                "email": "pegawai@tangsel.go.id",
                "emailEnabled": True,
                "quietHoursStart": start,
                "quietHoursEnd": end,
            }
        },
        token=token,
    )
    with smtp_server() as (inbox, port):
        delivery.configure(
            dataclasses.replace(
                settings, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False
            )
        )
        [row] = await notifications.notify_accounts(
            [await account_of(person.nip)], "FEEDBACK_RECEIVED", "Umpan balik baru"
        )
        first_key = next(iter(queue._jobs))
        state = await queue.wait(first_key)
        assert state is not None
        assert state.result == {"emailed": 0, "pushed": 0, "deferred": [row.id]}
        await asyncio.sleep(0.2)
        assert inbox.messages == []
        held = [await queue.state(k) for k in queue._jobs if k != first_key]
        assert [s.status for s in held if s] == ["queued"]  # waiting for the end of quiet hours
    await queue.close()


def test_quiet_hours_spanning_midnight() -> None:
    night = channels.Channels(quiet_start=21 * 60, quiet_end=6 * 60)
    late = datetime(2026, 12, 7, 23, 30, tzinfo=channels.WIB)
    assert channels.quiet_until(night, late) == datetime(2026, 12, 8, 6, 0, tzinfo=channels.WIB)
    noon = datetime(2026, 12, 7, 12, 0, tzinfo=channels.WIB)
    assert channels.quiet_until(night, noon) is None
    assert channels.quiet_until(channels.Channels(), late.astimezone(UTC)) is None


async def test_channels_are_chosen_per_kind_of_notification(
    api: Api, factory: Factory, settings: Settings, queue: InProcessQueue
) -> None:
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    token = await api.login(person.nip, PASSWORD)
    # every kind on every channel until the person turns one off
    kinds = (await api.data("NotificationChannels", {}, token=token))["notificationChannels"]
    assert {k["category"] for k in kinds["kinds"]} == set(channels.CATEGORIES)
    assert all(k["inApp"] and k["email"] and k["push"] for k in kinds["kinds"])
    chosen = await api.data(
        "SetNotificationChannels",
        {
            "input": {
                "email": "pegawai@tangsel.go.id",
                "emailEnabled": True,
                "kinds": [
                    {"category": "FEEDBACK", "email": False},
                    {"category": "VERIFICATION", "inApp": False},
                ],
            }
        },
        token=token,
    )
    by_kind = {k["category"]: k for k in chosen["setNotificationChannels"]["channels"]["kinds"]}
    assert by_kind["FEEDBACK"] == {
        "category": "FEEDBACK",
        "inApp": True,
        "email": False,
        "push": True,
    }
    assert by_kind["VERIFICATION"]["inApp"] is False
    assert by_kind["TRAINING"] == {
        "category": "TRAINING",
        "inApp": True,
        "email": True,
        "push": True,
    }
    # kinds: null (an older client) keeps the choices per kind
    kept = await api.data(
        "SetNotificationChannels",
        {"input": {"email": "pegawai@tangsel.go.id", "emailEnabled": True}},
        token=token,
    )
    kept_kinds = kept["setNotificationChannels"]["channels"]["kinds"]
    assert {k["category"]: k for k in kept_kinds} == by_kind
    account = await account_of(person.nip)
    with smtp_server() as (inbox, port):
        delivery.configure(
            dataclasses.replace(
                settings, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False
            )
        )
        await notifications.notify_accounts([account], "FEEDBACK_RECEIVED", "Umpan balik baru")
        await notifications.notify_accounts(
            [account], "ACTIVITY_VERIFIED", "Aktivitas diverifikasi"
        )
        states = await delivered(queue)
    assert sorted((s.result or {}).get("emailed", -1) for s in states) == [0, 1]
    # feedback: in the portal only; verification: by e-mail, kept as read in the portal
    assert [m["Subject"] for _, m in inbox.messages] == ["Aktivitas diverifikasi"]
    listed = await api.data("Notifications", {"first": 10}, token=token)
    assert listed["unreadNotificationCount"] == 1
    read = {e["node"]["title"]: e["node"]["readAt"] for e in listed["notifications"]["edges"]}
    assert read["Umpan balik baru"] is None
    assert read["Aktivitas diverifikasi"] is not None


def test_notification_kinds_fall_in_categories() -> None:
    assert channels.category_of("MENTORING_ALERT") == "MENTORING"
    assert channels.category_of("ACTIVITY_REJECTED") == "VERIFICATION"
    assert channels.category_of("THREAD_MESSAGE") == "FEEDBACK"
    assert channels.category_of("TRAINING_ASSIGNED") == "TRAINING"
    assert channels.category_of("SKP_APPROVED") == "PERFORMANCE"
    assert channels.category_of("ACTING_APPOINTED") == "OTHER"
