"""The response cache answers byte for byte what plain execution answers (issue 22).

Two apps share one database: the app under test (response cache on, the default) and a twin
with ``response_cache=False``. Random sequences of writes (seeded; ``PORTAL_CACHE_SEEDS`` runs
more) go through the real GraphQL endpoint as the people who make them, plus a write outside
any request (as an import or a job does); after each, every hot operation is asked by every
kind of viewer (pegawai, atasan, the atasan's atasan, an acting atasan, admins) of both apps,
twice of the cached one (a miss that stores, then a hit), and the bodies must be equal bytes.
A version bump that a write forgot leaves a stale stored answer, and the comparison fails.
"""

from __future__ import annotations

import os
import random
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
import pytest
from graphql import parse
from litestar import Litestar

from portal.core import clock, response_cache
from portal.core.db import transaction
from portal.core.documents import printed, urql_printed, with_typename
from portal.core.ids import encode_global_id
from portal.people.tables import Employee
from portal.settings import Settings
from support.api import Api, operations
from support.apps import app_client
from support.factories import Factory
from support.security_world import SecurityWorld, build_security_world

VIEWERS = ("staff_a", "boss_a", "head_a", "peer_a", "admin_a", "bkpsdm", "staff_b", "boss_b")
UNRELATED = ("staff_b", "boss_b")
"""Another OPD's team: no write of the steps changes their screens, scoped ones keep them."""
SIDES = ("staff_a", "boss_a")
READS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("EmployeeHome", {}),
    ("SupervisorDashboard", {}),
    ("SupervisorDashboard", {"directOnly": False}),
    ("TeamProgress", {}),
    ("MySkp", {}),
)
STEPS = 24  # every kind of write once, then random ones (mostly scoped)
SEEDS = [int(s) for s in os.environ.get("PORTAL_CACHE_SEEDS", "22").split(",")]


class Writes:
    """The writes a random step chooses from, each as the person who would make it."""

    def __init__(self, world: SecurityWorld, rng: random.Random) -> None:
        self.world = world
        self.rng = rng
        self.pending: list[str] = []
        self.appointment: str | None = None
        self.counter = 0

    def token(self, who: str) -> str | None:
        return self.world.tokens[_role(who)]

    async def op(self, name: str, variables: dict[str, Any], who: str) -> dict[str, Any]:
        body = await self.world.api.op(name, variables, token=self.token(who))
        assert not body.get("errors"), (name, body["errors"])
        return dict(body["data"])

    async def activity(self) -> dict[str, Any]:
        skp = (await self.op("MySkp", {}, "staff_a"))["mySkp"]
        indicators = [i["id"] for r in skp["rhks"] for i in r["indicators"]]
        self.counter += 1
        return {
            "activityDate": (clock.today() - timedelta(days=1)).isoformat(),
            "description": f"Vaksinasi {self.counter}",
            "quantity": self.rng.choice([1, 3, 7]),
            "unit": "dosis vaksin",
            "evidenceLinks": ["https://drive.example.go.id/foto/1"],
            "durationMinutes": 60,
            "indicatorId": self.rng.choice(indicators),
        }

    async def log_activity(self) -> None:
        activity = await self.activity()
        key = f"cache-{self.counter}"
        data = await self.op(
            "LogActivity", {"input": {"idempotencyKey": key, "activity": activity}}, "staff_a"
        )
        self.pending.append(data["logActivity"]["activity"]["id"])

    async def log_batch(self) -> None:
        items = [
            {"idempotencyKey": f"batch-{self.counter}-{n}", "activity": await self.activity()}
            for n in range(2)
        ]
        data = await self.op("LogActivities", {"input": {"items": items}}, "staff_a")
        for result in data["logActivities"]["results"]:
            assert not result["userErrors"], result
            self.pending.append(result["activity"]["id"])

    async def update_activity(self) -> None:
        if not self.pending:
            await self.log_activity()
        target = self.rng.choice(self.pending)
        variables = {"input": {"activityId": target, "activity": await self.activity()}}
        await self.op("UpdateActivity", variables, "staff_a")

    async def withdraw(self) -> None:
        """staff_a withdraws a submitted activity; boss_a is notified."""
        if not self.pending:
            await self.log_activity()
        target = self.pending.pop(self.rng.randrange(len(self.pending)))
        await self.op("WithdrawActivity", {"input": {"activityId": target}}, "staff_a")

    async def verify(self) -> None:
        if not self.pending:
            await self.log_activity()
        ids, self.pending = self.pending, []
        approve = self.rng.random() < 0.7
        note = None if approve else "Bukti kurang"
        variables = {"input": {"activityIds": ids, "approve": approve, "note": note}}
        await self.op("VerifyActivities", variables, "boss_a")

    async def feedback(self) -> None:
        thread = {
            "employeeId": self.world.gid("staff_a"),
            "topic": f"Topik {self.counter}",
            "kind": self.rng.choice(["IMPROVEMENT", "APPRECIATION"]),
            "body": "Mohon perhatikan waktu pelaporan",
        }
        await self.op("OpenFeedbackThread", {"input": thread}, "boss_a")

    async def read_notifications(self) -> None:
        await self.op(
            "MarkNotificationsRead", {"input": {}}, self.rng.choice(["staff_a", "boss_a"])
        )

    async def read_thread(self) -> None:
        home = await self.op("EmployeeHome", {}, "staff_a")
        edges = home["feedbackThreads"]["edges"]
        if edges:
            thread = self.rng.choice(edges)["node"]["id"]
            await self.op("MarkFeedbackThreadRead", {"input": {"threadId": thread}}, "staff_a")

    async def post_message(self) -> None:
        """A message in one of staff_a's threads, by staff_a or by boss_a."""
        edges = (await self.op("EmployeeHome", {}, "staff_a"))["feedbackThreads"]["edges"]
        if not edges:
            await self.feedback()
            edges = (await self.op("EmployeeHome", {}, "staff_a"))["feedbackThreads"]["edges"]
        thread = self.rng.choice(edges)["node"]["id"]
        message = {"threadId": thread, "body": f"Baik, segera {self.counter}"}
        await self.op("PostFeedbackMessage", {"input": message}, self.rng.choice(SIDES))

    async def act_on_alert(self) -> None:
        board = await self.op("SupervisorDashboard", {}, "boss_a")
        edges = board["mentoringAlerts"]["edges"]
        if edges:
            alert = {"alertId": edges[0]["node"]["id"], "action": "ACKNOWLEDGE"}
            await self.op("ActOnMentoringAlert", {"input": alert}, "boss_a")

    async def acting(self) -> None:
        """The Kepala Dinas's admin appoints peer_a Plh for boss_a (or the Plh is revoked)."""
        if self.appointment is None:
            appointment = {
                "principalId": self.world.gid("boss_a"),
                "actingId": self.world.gid("peer_a"),
                "kind": "PLH",
                "startsOn": clock.today().isoformat(),
                "endsOn": (clock.today() + timedelta(days=3)).isoformat(),
                "reason": "Cuti tahunan",
            }
            data = await self.op("AppointActing", {"input": appointment}, "admin_a")
            self.appointment = data["appointActing"]["appointment"]["id"]
        else:
            revoke = {"appointmentId": self.appointment}
            await self.op("RevokeActing", {"input": revoke}, "admin_a")
            self.appointment = None

    async def job_write(self) -> None:
        """A write outside any request (an import, a nightly job): a renamed employee."""
        who = self.rng.choice(["staff_a", "peer_a"])
        async with transaction():
            await Employee.update({Employee.name: f"Nama Baru {self.counter}"}).where(
                Employee.id == self.world.people[who].id
            )
        self.counter += 1

    def scoped(self) -> list[Any]:
        """The writes that declare whom they change (core.db.write_scope)."""
        return [
            self.log_activity,
            self.log_batch,
            self.update_activity,
            self.withdraw,
            self.verify,
            self.feedback,
            self.post_message,
            self.read_notifications,
            self.read_thread,
        ]

    def all(self) -> list[Any]:
        return [*self.scoped(), self.act_on_alert, self.acting, self.job_write]


def _role(login: str) -> str:
    from support.security_world import _role_of

    return _role_of(login)


async def _body(
    client: httpx.AsyncClient, name: str, variables: dict[str, Any], token: str
) -> bytes:
    response = await client.post(
        "/graphql",
        json={"query": operations()[name], "variables": variables, "operationName": name},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    return response.content


async def _compare(
    world: SecurityWorld,
    plain: httpx.AsyncClient,
    step: str,
    hits: list[bool],
    kept: tuple[str, ...] = (),
) -> int:
    """Compare every viewer's hot reads; return how many answered without errors.

    ``kept``: viewers whose complete answers must still be stored (the first ask a hit).
    """
    cached = world.api.client
    complete = 0
    for who in VIEWERS:
        token = world.tokens[_role(who)]
        assert token is not None
        for name, variables in READS:
            expected = await _body(plain, name, variables, token)
            first = await _body(cached, name, variables, token)
            first_hit = hits[-1]
            again = await _body(cached, name, variables, token)
            assert first == expected, (step, who, name, variables)
            assert again == expected, (step, who, name, variables)
            ok = b'"errors"' not in expected
            complete += ok
            if who in kept and ok:
                assert first_hit, ("a scoped write dropped an unrelated answer", step, who, name)
    return complete


@pytest.fixture
async def world(api: Api, factory: Factory) -> SecurityWorld:
    world = await build_security_world(api, factory)
    for login in ("head_a",):  # logins the security world keeps under a hidden label
        if _role(login) not in world.tokens:
            pytest.fail(f"{login} has no token")
    return world


@pytest.fixture
def hits(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each lookup of the response cache found a stored answer, in order."""
    found_each: list[bool] = []
    lookup = response_cache.ResponseCache.lookup

    async def counted(self: response_cache.ResponseCache, key: str, **kwargs: Any) -> Any:
        found = await lookup(self, key, **kwargs)
        found_each.append(found[0] is not None)
        return found

    monkeypatch.setattr(response_cache.ResponseCache, "lookup", counted)
    return found_each


@pytest.mark.parametrize("seed", SEEDS)
async def test_cached_answers_equal_plain_execution_after_every_write(
    world: SecurityWorld,
    settings: Settings,
    app: Litestar,
    hits: list[bool],
    seed: int,
) -> None:
    # given the app under test (cache on) and a twin without the cache on the same database
    assert settings.response_cache
    rng = random.Random(seed)
    async with app_client(replace(settings, response_cache=False)) as (_, plain):
        complete = await _compare(world, plain, "start", hits)
        writes = Writes(world, rng)
        scoped = {action.__name__ for action in writes.scoped()}
        # when random writes happen one after another (each kind at least once, then mostly
        # the scoped ones: the frequent writes of the day)
        actions = writes.all()
        rng.shuffle(actions)
        actions += [
            rng.choice(writes.scoped() if rng.random() < 0.8 else writes.all())
            for _ in range(STEPS - len(actions))
        ]
        kept_asks = 0
        for step, action in enumerate(actions):
            await action()
            # then after each, every viewer's cached answers equal plain execution's bytes
            kept = UNRELATED if action.__name__ in scoped else ()
            kept_asks += len(kept)
            complete += await _compare(world, plain, f"{step}: {action.__name__}", hits, kept)
    # and the cache answered every second ask of an answer without errors (errors: never),
    # and the other team's answers survived every scoped write (asserted in _compare)
    assert complete > (len(actions) + 1) * len(READS)
    assert sum(hits) >= complete
    assert kept_asks >= len(scoped) * len(UNRELATED)


async def test_unknown_documents_and_errors_run_normally(
    world: SecurityWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a hot operation's document with a different layout, and one asked with a bad id
    token = world.tokens[_role("boss_a")]
    stored: list[str] = []
    save = response_cache.ResponseCache.save

    async def spy(self: response_cache.ResponseCache, key: str, version: str, body: bytes) -> None:
        stored.append(key)
        await save(self, key, version, body)

    monkeypatch.setattr(response_cache.ResponseCache, "save", spy)
    lines = operations()["SupervisorDashboard"].splitlines()
    reformatted = " ".join(" ".join(x for x in lines if not x.lstrip().startswith("#")).split())

    # when both are asked
    plain = await world.api.raw(reformatted, {}, token=token)
    failed = await world.api.op(
        "SupervisorDashboard", {"periodId": encode_global_id("Period", 999_999)}, token=token
    )

    # then the first executes normally (nothing stored) and the error is never stored
    assert plain["data"]["teamProgress"] is not None
    assert failed.get("errors")
    assert stored == []


@pytest.mark.parametrize("form", ["urql with __typename", "urql", "printed"])
async def test_the_forms_clients_send_are_served_with_their_own_answers(
    world: SecurityWorld,
    settings: Settings,
    hits: list[bool],
    form: str,
) -> None:
    # given a hot operation as the web app sends it (urql's print, graphcache's __typename)
    document = parse(operations()["SupervisorDashboard"])
    text = {
        "urql with __typename": urql_printed(with_typename(document)),
        "urql": urql_printed(document),
        "printed": printed(document),
    }[form]
    token = world.tokens[_role("boss_a")]

    async def ask(client: httpx.AsyncClient, query: str) -> bytes:
        response = await client.post(
            "/graphql",
            json={"query": query, "variables": {}, "operationName": "SupervisorDashboard"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, response.text
        return response.content

    # when it is asked twice, after the file's own text was answered and stored
    async with app_client(replace(settings, response_cache=False)) as (_, plain):
        expected = await ask(plain, text)
    from_file = await ask(world.api.client, operations()["SupervisorDashboard"])
    first = await ask(world.api.client, text)
    again = await ask(world.api.client, text)

    # then the second ask is a hit, and every answer is the plain execution of its own text
    assert hits == [False, False, True]
    assert first == again == expected
    assert (b"__typename" in expected) == ("__typename" in text)
    assert (b"__typename" in from_file) is False
