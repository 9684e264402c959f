"""Live subscriptions across real workers: a graphql-transport-ws client on worker A receives
what a mutation on worker B caused (through Redis pub/sub), subscribing to a thread one may not
read is refused, and Redis trouble neither breaks requests nor live delivery for good.

Data: ``portal demo --no-serve --employees 80`` in its own database (``test_e2e_subs``). Demo
logins (password ``Tangsel#2026``): ``pegawai`` and their supervisor ``atasan``; ``admin.opd``
(ADMIN_OPD of the pegawai's Dinas Kesehatan), ``admin.bkpsdm`` (city-wide admin) - both see a
thread's metadata only, never its messages - and ``sosialisasi`` (an employee at BKPSDM).

The shared Redis may carry other test runs' events; every wait below matches on a unique body.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from portal.core.ids import decode_global_id
from support.api import operations
from support.services import require_services
from support.workers import (
    ROOT,
    Worker,
    free_port,
    portal_command,
    portal_env,
    recreate_database,
    workers,
)
from support.ws import account_id_of, connect, count_subscribers, wait_for_subscribers

pytestmark = pytest.mark.services

PASSWORD = "Tangsel#2026"  # the documented demo password
DATABASE = "test_e2e_subs"


@dataclass(frozen=True)
class Services:
    database_url: str
    redis_url: str


@pytest.fixture(scope="module")
def services() -> Services:
    pg, redis_url = require_services()
    database = recreate_database(pg, DATABASE)
    portal_command("demo", "--no-serve", "--employees", "80", env=portal_env(database, redis_url))
    return Services(database_url=database, redis_url=redis_url)


@pytest.fixture(scope="module")
def pair(services: Services) -> Iterator[list[Worker]]:
    with workers(2, portal_env(services.database_url, services.redis_url)) as started:
        yield started


# --- HTTP helpers ----------------------------------------------------------------------------


async def gql(
    base_url: str, name: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> dict[str, Any]:
    """Run a named operation on a worker; return the JSON body (HTTP 200 required)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        response = await client.post(
            "/graphql",
            json={"query": operations()[name], "variables": variables or {}, "operationName": name},
            headers=headers,
        )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def data(
    base_url: str, name: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> dict[str, Any]:
    body = await gql(base_url, name, variables, token)
    assert not body.get("errors"), body["errors"]
    result: dict[str, Any] = body["data"]
    return result


async def login(base_url: str, username: str) -> str:
    payload = (
        await data(base_url, "Login", {"input": {"username": username, "password": PASSWORD}})
    )["login"]
    assert payload["userErrors"] == [], payload["userErrors"]
    token: str = payload["accessToken"]
    return token


async def employee_id(base_url: str, token: str) -> str:
    viewer = (await data(base_url, "Viewer", token=token))["viewer"]
    found: str = viewer["employee"]["id"]
    return found


async def open_thread(base_url: str, token: str, about: str, topic: str) -> str:
    payload = (
        await data(
            base_url,
            "OpenFeedbackThread",
            {
                "input": {
                    "employeeId": about,
                    "topic": topic,
                    "kind": "IMPROVEMENT",
                    "body": "Waktu respon layanan perlu diperbaiki.",
                }
            },
            token,
        )
    )["openFeedbackThread"]
    assert payload["userErrors"] == [], payload["userErrors"]
    thread: str = payload["thread"]["id"]
    return thread


async def post(base_url: str, token: str, thread: str, body: str) -> dict[str, Any]:
    payload: dict[str, Any] = (
        await data(
            base_url, "PostFeedbackMessage", {"input": {"threadId": thread, "body": body}}, token
        )
    )["postFeedbackMessage"]
    return payload


def unique(text: str) -> str:
    return f"{text} [{uuid.uuid4().hex[:12]}]"


@dataclass
class Conversation:
    """``atasan`` opened a thread about ``pegawai`` (tokens from either worker work on both)."""

    pegawai: str
    atasan: str
    pegawai_employee: str
    atasan_employee: str
    thread: str

    @property
    def thread_pk(self) -> int:
        return decode_global_id(self.thread)[1]


async def conversation(a: str, b: str) -> Conversation:
    pegawai = await login(a, "pegawai")
    atasan = await login(b, "atasan")
    pegawai_employee = await employee_id(a, pegawai)
    thread = await open_thread(b, atasan, pegawai_employee, unique("Waktu respon layanan"))
    return Conversation(
        pegawai=pegawai,
        atasan=atasan,
        pegawai_employee=pegawai_employee,
        atasan_employee=await employee_id(b, atasan),
        thread=thread,
    )


# --- delivery across workers -----------------------------------------------------------------


async def test_a_message_posted_on_b_reaches_the_subscriber_on_a(
    pair: list[Worker], services: Services
) -> None:
    a, b = (w.url for w in pair)
    talk = await conversation(a, b)
    account = account_id_of(talk.pegawai)
    thread_channel = f"thread:{talk.thread_pk}"
    notice_channel = f"notifications:{account}"
    before = {
        c: await count_subscribers(services.redis_url, c) for c in (thread_channel, notice_channel)
    }

    # given pegawai subscribed on worker A to the thread and to their notifications
    async with connect(a, talk.pegawai) as ws:
        messages = await ws.subscribe("ThreadMessageAdded", {"threadId": talk.thread})
        notices = await ws.subscribe("NotificationReceived")
        for channel, count in before.items():
            await wait_for_subscribers(services.redis_url, channel, count)

        # when atasan posts through worker B
        body = unique("Mohon respon pendaftaran di bawah 10 menit")
        posted = await post(b, talk.atasan, talk.thread, body)
        assert posted["userErrors"] == []

        # then the subscriber on A receives the message (a `next` with the body)
        live = await ws.next_matching(
            messages, lambda d: d["threadMessageAdded"]["body"] == body, within=15
        )
        message = live["threadMessageAdded"]
        assert message["id"] == posted["message"]["id"]
        assert message["author"]["id"] == talk.atasan_employee
        # and the THREAD_MESSAGE notification the post caused on B
        notice = await ws.next_matching(
            notices, lambda d: d["notificationReceived"]["body"] == body, within=15
        )
        assert notice["notificationReceived"]["kind"] == "THREAD_MESSAGE"
        assert notice["notificationReceived"]["subjectId"] == talk.thread

        # and the stored notification is the one that went live
        listing = await data(a, "Notifications", {"first": 5}, talk.pegawai)
        stored = [e["node"] for e in listing["notifications"]["edges"]]
        assert notice["notificationReceived"]["id"] in [n["id"] for n in stored]


async def test_the_author_on_b_and_the_reader_on_a_see_the_same_live_thread(
    pair: list[Worker], services: Services
) -> None:
    # given both participants subscribed, each on a different worker
    a, b = (w.url for w in pair)
    talk = await conversation(a, b)
    channel = f"thread:{talk.thread_pk}"
    before = await count_subscribers(services.redis_url, channel)
    async with connect(a, talk.pegawai) as on_a, connect(b, talk.atasan) as on_b:
        sub_a = await on_a.subscribe("ThreadMessageAdded", {"threadId": talk.thread})
        sub_b = await on_b.subscribe("ThreadMessageAdded", {"threadId": talk.thread})
        await wait_for_subscribers(services.redis_url, channel, before + 1)

        # when pegawai replies through A
        body = unique("Siap, akan saya perbaiki")
        assert (await post(a, talk.pegawai, talk.thread, body))["userErrors"] == []

        # then both receive it
        for ws, sub in ((on_a, sub_a), (on_b, sub_b)):
            got = await ws.next_matching(
                sub, lambda d: d["threadMessageAdded"]["body"] == body, within=15
            )
            assert got["threadMessageAdded"]["author"]["id"] == talk.pegawai_employee


OUTSIDERS = ["admin.bkpsdm", "admin.opd", "sosialisasi"]


@pytest.mark.parametrize("username", OUTSIDERS)
async def test_who_may_not_read_the_thread_cannot_subscribe_to_it(
    pair: list[Worker], username: str
) -> None:
    # given a thread between pegawai and atasan, and a viewer outside it: an admin who sees
    # its metadata only (never message text), or an unrelated employee
    a, b = (w.url for w in pair)
    talk = await conversation(a, b)
    token = await login(a, username)

    async with connect(a, token) as ws:
        # when they subscribe to the thread's messages
        op = await ws.subscribe("ThreadMessageAdded", {"threadId": talk.thread})

        # then the subscription gets an `error` (not a `next`): refused with NOT_FOUND
        reply = await ws.receive(op, within=10)
        assert reply["type"] == "error", reply
        assert reply["id"] == op
        assert [e["extensions"]["code"] for e in reply["payload"]] == ["NOT_FOUND"]

        # and a message posted afterwards never reaches them
        body = unique("Rahasia percakapan")
        assert (await post(b, talk.atasan, talk.thread, body))["userErrors"] == []
        with pytest.raises(TimeoutError):
            await ws.receive(op, within=1.5)

        # while the connection itself stays usable for what they may see
        notices = await ws.subscribe("NotificationReceived")
        with pytest.raises(TimeoutError):
            await ws.receive(notices, within=0.5)


async def test_an_unauthenticated_websocket_is_refused(pair: list[Worker]) -> None:
    from httpx_ws import WebSocketDisconnect

    a, _ = pair
    async with connect(a.url, None, init=False) as ws:
        with pytest.raises(WebSocketDisconnect) as refused:
            await ws.init(None)
    assert refused.value.code == 4403


# --- Redis trouble ---------------------------------------------------------------------------
#
# Two situations are covered. (1) A worker whose Redis is not there at all (a port where nothing
# listens): requests must still be served and the failure logged. (2) Redis going away and
# coming back while a client is subscribed: RedisBroker.subscribe reconnects with backoff
# (0.2 s doubling to 5 s) and live delivery resumes. (2) runs against a private
# `redis-server` this test starts and stops itself, so the shared Redis other tests use is never
# touched.


def closed_port() -> int:
    """A local port where nothing listens."""
    port = free_port()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    return port


@contextmanager
def logged_worker(env: dict[str, str], log: Path) -> Iterator[str]:
    """One uvicorn worker whose output goes to ``log``; yield its base URL."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "portal.app:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise AssertionError(f"worker exited early:\n{log.read_text()}")
                try:
                    if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError("worker did not start")
                time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


async def test_without_redis_a_worker_still_logs_people_in(
    services: Services, tmp_path: Path
) -> None:
    # given a worker pointed at a Redis where nothing listens
    env = portal_env(services.database_url, f"redis://127.0.0.1:{closed_port()}/0")
    with logged_worker(env, tmp_path / "worker.log") as url:
        # then unauthenticated operations work (login needs the database only)
        assert (await data(url, "Login", {"input": {"username": "atasan", "password": "x" * 12}}))[
            "login"
        ]["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
        assert await login(url, "atasan")
        async with httpx.AsyncClient(base_url=url, timeout=5) as client:
            assert (await client.get("/healthz")).status_code == 200


async def test_without_redis_queries_and_mutations_keep_working_and_the_failure_is_logged(
    services: Services, tmp_path: Path
) -> None:
    # given a worker pointed at a Redis where nothing listens
    log = tmp_path / "worker.log"
    env = portal_env(services.database_url, f"redis://127.0.0.1:{closed_port()}/0")
    with logged_worker(env, log) as url:
        atasan = await login(url, "atasan")
        pegawai = await login(url, "pegawai")

        # when querying and writing (a write that also publishes live events)
        viewer = await gql(url, "Viewer", token=pegawai)
        assert viewer.get("errors") is None
        about = viewer["data"]["viewer"]["employee"]["id"]
        thread = await open_thread(url, atasan, about, unique("Tanpa Redis"))
        body = unique("Pesan saat Redis mati")
        posted = await post(url, atasan, thread, body)

        # then both work (HTTP 200, no userErrors) and the message is stored
        assert posted["userErrors"] == []
        listing = await data(url, "FeedbackThreadMessages", {"id": thread, "first": 10}, pegawai)
        assert body in [e["node"]["body"] for e in listing["node"]["messages"]["edges"]]
        notices = await data(url, "Notifications", {"first": 5}, pegawai)
        assert body in [e["node"]["body"] for e in notices["notifications"]["edges"]]

    # and the broker failure was logged
    await wait_for_log(log, "event publish failed")


REDIS_SERVER = shutil.which("redis-server")


@asynccontextmanager
async def private_redis(port: int) -> AsyncIterator[asyncio.subprocess.Process]:
    """A throw-away ``redis-server`` on ``port`` (no persistence), stopped on exit."""
    assert REDIS_SERVER is not None
    process = await asyncio.create_subprocess_exec(
        REDIS_SERVER,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while True:
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                if process.returncode is not None or loop.time() > deadline:
                    raise AssertionError("private redis-server did not start") from None
                await asyncio.sleep(0.05)
            else:
                writer.close()
                await writer.wait_closed()
                break
        yield process
    finally:
        await stop(process)


async def stop(process: asyncio.subprocess.Process) -> None:
    """Stop a private redis-server (idempotent)."""
    if process.returncode is None:
        process.terminate()
        await asyncio.wait_for(process.wait(), 10)


async def post_tolerating_one_500(base_url: str, token: str, thread: str, body: str) -> None:
    """Post, allowing one HTTP 500 (see ``test_the_first_request_and_event_after_redis_returns``).

    After a Redis restart the worker's pools still hold connections the old server closed: the
    first authenticated request fails with HTTP 500 and the first publish is dropped. That is
    covered (as a bug) by its own test; here it is only stepped over.
    """
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        for attempt in range(2):
            response = await client.post(
                "/graphql",
                json={
                    "query": operations()["PostFeedbackMessage"],
                    "variables": {"input": {"threadId": thread, "body": body}},
                    "operationName": "PostFeedbackMessage",
                },
                headers={"Authorization": f"Bearer {token}"},
            )
            if response.status_code == 500 and attempt == 0:
                continue
            assert response.status_code == 200, response.text
            return


@pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed")
async def test_live_delivery_resumes_when_redis_comes_back(
    services: Services, tmp_path: Path
) -> None:
    port = free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"
    env = portal_env(services.database_url, redis_url)
    async with private_redis(port) as redis:
        with (
            logged_worker(env, tmp_path / "a.log") as a,
            logged_worker(env, tmp_path / "b.log") as b,
        ):
            talk = await conversation(a, b)
            channel = f"notifications:{account_id_of(talk.pegawai)}"
            async with connect(a, talk.pegawai) as ws:
                # given pegawai subscribed on A, and live delivery from B working
                notices = await ws.subscribe("NotificationReceived")
                await wait_for_subscribers(redis_url, channel, 0)
                body = unique("Sebelum gangguan")
                assert (await post(b, talk.atasan, talk.thread, body))["userErrors"] == []
                await ws.next_matching(notices, lambda d: d["notificationReceived"]["body"] == body)

                # when Redis goes away, the subscriber on A notices, and Redis comes back
                await stop(redis)
                await wait_for_log(tmp_path / "a.log", "lost")
                async with private_redis(port):
                    # then A subscribes again by itself (RedisBroker's reconnect loop; its
                    # backoff is at most 5 s)
                    await wait_for_subscribers(redis_url, channel, 0, within=15)
                    # (B's stale pooled connections: one failed request, one dropped event)
                    await post_tolerating_one_500(b, talk.atasan, talk.thread, unique("Pemanasan"))

                    # and a message posted on B is delivered live on A again
                    body = unique("Setelah gangguan")
                    assert (await post(b, talk.atasan, talk.thread, body))["userErrors"] == []
                    notice = await ws.next_matching(
                        notices, lambda d: d["notificationReceived"]["body"] == body, within=15
                    )
                    assert notice["notificationReceived"]["kind"] == "THREAD_MESSAGE"


@pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed")
async def test_the_first_request_and_event_after_redis_returns_are_not_lost(
    services: Services, tmp_path: Path
) -> None:
    port = free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"
    env = portal_env(services.database_url, redis_url)
    async with private_redis(port) as redis:
        with logged_worker(env, tmp_path / "worker.log") as url:
            # given a subscriber and a working round trip on one worker
            talk = await conversation(url, url)
            channel = f"notifications:{account_id_of(talk.pegawai)}"
            async with connect(url, talk.pegawai) as ws:
                notices = await ws.subscribe("NotificationReceived")
                await wait_for_subscribers(redis_url, channel, 0)
                body = unique("Sebelum gangguan")
                assert (await post(url, talk.atasan, talk.thread, body))["userErrors"] == []
                await ws.next_matching(notices, lambda d: d["notificationReceived"]["body"] == body)

                # when Redis restarts and the subscriber is back
                await stop(redis)
                await wait_for_log(tmp_path / "worker.log", "lost")
                async with private_redis(port):
                    await wait_for_subscribers(redis_url, channel, 0, within=15)

                    # then the very next post works and is delivered live
                    body = unique("Setelah gangguan")
                    assert (await post(url, talk.atasan, talk.thread, body))["userErrors"] == []
                    await ws.next_matching(
                        notices, lambda d: d["notificationReceived"]["body"] == body, within=10
                    )


async def wait_for_log(log: Path, text: str, within: float = 10) -> None:
    """Wait until ``text`` appears in a worker's log."""
    deadline = time.monotonic() + within
    while text not in (content := await asyncio.to_thread(log.read_text)):
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} never logged:\n{content}")
        await asyncio.sleep(0.1)
