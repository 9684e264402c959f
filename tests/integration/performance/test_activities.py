"""Daily activities through GraphQL: idempotent logging (also under concurrent retries), the
validation rules, offline batches, verification by the direct supervisor, reject -> fix ->
verify, and the progress that only verified work counts toward.

Given in every test: the 2026 period and the approved SKP chain Kepala Dinas -> Kepala
Puskesmas (boss) -> Perawat Satu (staff, two indicators: 1200 doses, 12 reports).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from portal.core import clock
from portal.core.audit import AuditEntry
from portal.core.db import count_queries
from portal.performance.planning.services import activities as activities_service
from portal.performance.tables import Activity, Period
from support.api import Api
from support.factories import Factory
from support.performance_builders import (
    Chain,
    Cycle,
    Org,
    approved_chain,
    build_org,
    codes,
    gid,
    past_day,
    pk_of,
    today,
)


@dataclass
class World:
    org: Org
    cycle: Cycle
    chain: Chain

    @property
    def t(self) -> dict[str, str]:
        return self.org.tokens

    @property
    def doses(self) -> str:
        """The staff's first indicator (1200 dosis vaksin)."""
        return self.chain.staff.indicators[0]

    @property
    def reports(self) -> str:
        """The staff's second indicator (12 laporan)."""
        return self.chain.staff.indicators[1]


async def _world(api: Api, factory: Factory) -> World:
    org = await build_org(api, factory)
    cycle = Cycle(api, org.period)
    return World(org=org, cycle=cycle, chain=await approved_chain(cycle, org))


def fields(
    *,
    day: date | None = None,
    description: str = "Vaksinasi campak di posyandu",
    quantity: float = 10,
    unit: str = "dosis vaksin",
    indicator: str | None = None,
    links: list[str] | None = None,
    duration: int | None = 120,
) -> dict[str, Any]:
    """An ``ActivityFields`` input."""
    value: dict[str, Any] = {
        "activityDate": (day or past_day(1)).isoformat(),
        "description": description,
        "quantity": quantity,
        "unit": unit,
        "evidenceLinks": links if links is not None else ["https://drive.example.go.id/foto/1"],
        "durationMinutes": duration,
    }
    if indicator is not None:
        value["indicatorId"] = indicator
    return value


async def log(api: Api, token: str, key: str, activity: dict[str, Any]) -> dict[str, Any]:
    """LogActivity payload."""
    payload: dict[str, Any] = (
        await api.data(
            "LogActivity", {"input": {"idempotencyKey": key, "activity": activity}}, token=token
        )
    )["logActivity"]
    return payload


async def logged(api: Api, token: str, key: str, activity: dict[str, Any]) -> str:
    """Log an activity that must succeed; return its ID."""
    payload = await log(api, token, key, activity)
    assert payload["userErrors"] == [], payload["userErrors"]
    activity_id: str = payload["activity"]["id"]
    return activity_id


async def verify(
    api: Api, token: str, ids: list[str], *, approve: bool = True, note: str | None = None
) -> dict[str, Any]:
    """VerifyActivities payload."""
    variables: dict[str, Any] = {"activityIds": ids, "approve": approve}
    if note is not None:
        variables["note"] = note
    payload: dict[str, Any] = (
        await api.data("VerifyActivities", {"input": variables}, token=token)
    )["verifyActivities"]
    return payload


async def update(api: Api, token: str, activity_id: str, activity: dict[str, Any]) -> Any:
    """UpdateActivity payload."""
    return (
        await api.data(
            "UpdateActivity",
            {"input": {"activityId": activity_id, "activity": activity}},
            token=token,
        )
    )["updateActivity"]


async def rows_with_key(key: str) -> int:
    return await Activity.count().where(Activity.idempotency_key == key)


async def set_status(api: Api, token: str, period_id: int, status: str) -> None:
    payload = (
        await api.data(
            "SetPeriodStatus",
            {"input": {"periodId": gid("Period", period_id), "status": status}},
            token=token,
        )
    )["setPeriodStatus"]
    assert payload["userErrors"] == [], payload["userErrors"]
    assert payload["period"]["status"] == status


# --- logging and idempotency -----------------------------------------------------------------


async def test_logging_is_idempotent_per_key(api: Api, factory: Factory) -> None:
    w = await _world(api, factory)
    t = w.t

    # when the staff logs a day's work toward an indicator
    first = await log(api, t["staff"], "uuid-0001", fields(indicator=w.doses, quantity=25))

    # then it is stored and awaits verification
    assert first["userErrors"] == []
    assert first["replayed"] is False
    activity = first["activity"]
    assert activity["status"] == "SUBMITTED"
    assert activity["quantity"] == 25
    assert activity["idempotencyKey"] == "uuid-0001"
    assert activity["indicator"]["id"] == w.doses

    # when the phone retries with the same key and the same body (also padded)
    again = await log(api, t["staff"], "uuid-0001", fields(indicator=w.doses, quantity=25))
    padded = await log(api, t["staff"], "  uuid-0001 ", fields(indicator=w.doses, quantity=25))

    # then the first result comes back, marked replayed, and no second row exists
    for retry in (again, padded):
        assert retry["userErrors"] == []
        assert retry["replayed"] is True
        assert retry["activity"] == activity
    assert await rows_with_key("uuid-0001") == 1
    # but the same key with different content is no retry: a typed conflict, nothing stored
    other = await log(api, t["staff"], "uuid-0001", fields(indicator=w.doses, quantity=99))
    assert codes(other["userErrors"]) == ["IDEMPOTENCY_CONFLICT"]
    assert other["activity"] is None
    assert other["replayed"] is False
    assert await rows_with_key("uuid-0001") == 1
    # keys are per employee: the same key from a colleague is a different activity
    peer = await log(api, t["peer"], "uuid-0001", fields(quantity=3))
    assert peer["replayed"] is False
    assert peer["activity"]["id"] != activity["id"]
    assert await rows_with_key("uuid-0001") == 2
    assert await AuditEntry.count().where(AuditEntry.action == "ACTIVITY_LOGGED") == 2


async def test_concurrent_retries_with_one_key_store_exactly_one_activity(
    api: Api, factory: Factory
) -> None:
    w = await _world(api, factory)

    # when ten clients send the same activity under the same key at the same moment
    results = await asyncio.gather(
        *(
            log(api, w.t["staff"], "race-key", fields(indicator=w.doses, quantity=5))
            for _ in range(10)
        )
    )

    # then one row exists, every response carries its id, and only one was not a replay
    assert all(r["userErrors"] == [] for r in results), [r["userErrors"] for r in results]
    assert {r["activity"]["id"] for r in results} == {results[0]["activity"]["id"]}
    assert sorted(r["replayed"] for r in results) == [False] + [True] * 9
    assert await rows_with_key("race-key") == 1
    (row,) = await Activity.select(Activity.id, Activity.quantity).where(
        Activity.idempotency_key == "race-key"
    )
    assert gid("Activity", row["id"]) == results[0]["activity"]["id"]
    winner = next(r for r in results if not r["replayed"])
    assert winner["activity"]["quantity"] == row["quantity"]


async def test_concurrent_batch_uploads_of_the_same_items_store_each_once(
    api: Api, factory: Factory
) -> None:
    w = await _world(api, factory)
    items = [
        {"idempotencyKey": f"offline-{n}", "activity": fields(day=past_day(n + 1), quantity=n)}
        for n in range(4)
    ]
    bodies = await asyncio.gather(
        *(
            api.data("LogActivities", {"input": {"items": items}}, token=w.t["staff"])
            for _ in range(5)
        )
    )
    ids = [[r["activity"]["id"] for r in b["logActivities"]["results"]] for b in bodies]
    assert all(x == ids[0] for x in ids)
    assert await Activity.count() == 4
    # each item was stored by exactly one upload; the others report a replay of that row
    for n in range(4):
        fresh = [b for b in bodies if not b["logActivities"]["results"][n]["replayed"]]
        assert len(fresh) == 1
    assert await AuditEntry.count().where(AuditEntry.action == "ACTIVITY_LOGGED") == 4


async def test_a_batch_costs_the_same_queries_for_5_or_50_items(api: Api, factory: Factory) -> None:
    w = await _world(api, factory)

    async def upload(n: int, prefix: str) -> int:
        items = [
            {"idempotencyKey": f"{prefix}-{i}", "activity": fields(day=past_day(1 + i % 20))}
            for i in range(n)
        ]
        with count_queries() as counter:
            payload = (
                await api.data("LogActivities", {"input": {"items": items}}, token=w.t["staff"])
            )["logActivities"]
        assert all(r["userErrors"] == [] and not r["replayed"] for r in payload["results"])
        return counter[0]

    small, large = await upload(5, "small"), await upload(50, "large")
    assert small == large, (small, large)
    assert await Activity.count() == 55
    assert await AuditEntry.count().where(AuditEntry.action == "ACTIVITY_LOGGED") == 55


# --- validation ------------------------------------------------------------------------------


async def test_every_validation_rule_returns_its_code_and_stores_nothing(
    api: Api, factory: Factory
) -> None:
    w = await _world(api, factory)
    tomorrow = today() + timedelta(days=1)
    six_links = [f"https://bukti.example.go.id/{n}" for n in range(6)]
    cases: list[tuple[str, str, dict[str, Any]]] = [
        ("FUTURE_DATE", "k-future", fields(day=tomorrow)),
        ("NO_PERIOD", "k-2024", fields(day=date(2024, 5, 2))),
        ("NEGATIVE_QUANTITY", "k-negative", fields(quantity=-1)),
        ("TEXT_TOO_SHORT", "k-short", fields(description=" ab ")),
        ("TEXT_TOO_LONG", "k-long", fields(description="x" * 2001)),
        ("INVALID_LINK", "k-ftp", fields(links=["ftp://files.example.go.id/foto.jpg"])),
        ("INVALID_LINK", "k-js", fields(links=["javascript:alert(1)"])),
        ("INVALID_LINK", "k-nohost", fields(links=["https://"])),
        ("TOO_MANY_LINKS", "k-links", fields(links=six_links)),
        ("INVALID_DURATION", "k-duration", fields(duration=0)),
        # an indicator of someone else's SKP (the boss's)
        ("INDICATOR_NOT_IN_SKP", "k-boss-ind", fields(indicator=w.chain.boss.indicators[0])),
        ("INVALID_IDEMPOTENCY_KEY", "", fields()),
        ("INVALID_IDEMPOTENCY_KEY", "   ", fields()),
        ("INVALID_IDEMPOTENCY_KEY", "k" * 81, fields()),
        ("INVALID_ID", "k-bad-id", fields(indicator="not-an-id")),
    ]
    for code, key, activity in cases:
        payload = await log(api, w.t["staff"], key, activity)
        assert codes(payload["userErrors"]) == [code], (code, key, payload["userErrors"])
        assert payload["activity"] is None
        assert payload["replayed"] is False
    assert await Activity.count() == 0
    # a failed key is not burnt: the corrected activity goes through with the same key
    assert (await log(api, w.t["staff"], "k-negative", fields(quantity=1)))["replayed"] is False
    # and several problems are all reported at once
    many = await log(
        api, w.t["staff"], "k-many", fields(day=tomorrow, quantity=-3, description="x", links=[""])
    )
    assert set(codes(many["userErrors"])) == {
        "FUTURE_DATE",
        "NEGATIVE_QUANTITY",
        "TEXT_TOO_SHORT",
        "INVALID_LINK",
    }


async def test_closed_period_refuses_logging_and_fixing(api: Api, factory: Factory) -> None:
    w = await _world(api, factory)
    pending = await logged(api, w.t["staff"], "before-close", fields(indicator=w.doses))

    # when BKPSDM closes the year
    await set_status(api, w.t["bkpsdm"], w.org.period_id, "CLOSED")
    # then nothing can be logged or fixed in it
    closed = await log(api, w.t["staff"], "after-close", fields(indicator=w.doses))
    assert codes(closed["userErrors"]) == ["PERIOD_CLOSED"]
    fixed = await update(api, w.t["staff"], pending, fields(quantity=3))
    assert codes(fixed["userErrors"]) == ["PERIOD_CLOSED"]
    # and a non-admin cannot reopen it
    refused = (
        await api.data(
            "SetPeriodStatus",
            {"input": {"periodId": w.org.period, "status": "OPEN"}},
            token=w.t["admin_opd"],
        )
    )["setPeriodStatus"]
    assert codes(refused["userErrors"]) == ["FORBIDDEN"]
    # when reopened, then logging works again
    await set_status(api, w.t["bkpsdm"], w.org.period_id, "OPEN")
    assert (await log(api, w.t["staff"], "after-close", fields()))["userErrors"] == []


async def test_closed_evaluation_period_refuses_activities_dated_inside_it(
    api: Api, factory: Factory
) -> None:
    w = await _world(api, factory)
    # given Triwulan I closed by BKPSDM (the year stays OPEN)
    q1 = (
        await Period.select(Period.id)
        .where((Period.parent == w.org.period_id) & (Period.number == 1))
        .first()
    )
    assert q1 is not None
    await set_status(api, w.t["bkpsdm"], q1["id"], "CLOSED")
    open_q2 = await logged(api, w.t["staff"], "q2", fields(day=date(today().year, 5, 4)))
    # when the staff logs work dated in February, or moves an activity there
    payload = await log(api, w.t["staff"], "late-q1", fields(day=date(today().year, 2, 10)))
    moved = await update(api, w.t["staff"], open_q2, fields(day=date(today().year, 3, 31)))
    # then it is refused like any closed period; the open quarters still take work
    assert codes(payload["userErrors"]) == ["PERIOD_CLOSED"]
    assert codes(moved["userErrors"]) == ["PERIOD_CLOSED"]
    assert (await log(api, w.t["staff"], "q2b", fields(day=date(today().year, 4, 1))))[
        "userErrors"
    ] == []
    assert await Activity.count() == 2


async def test_activities_of_a_closed_period_cannot_be_verified_any_more(
    api: Api, factory: Factory
) -> None:
    w = await _world(api, factory)
    pending = await logged(api, w.t["staff"], "pending", fields(indicator=w.doses))
    # given the year closed by BKPSDM with an activity still awaiting verification
    await set_status(api, w.t["bkpsdm"], w.org.period_id, "CLOSED")
    # when the supervisor verifies it
    payload = await verify(api, w.t["boss"], [pending])
    # then it is refused and stays as it was
    (row,) = await Activity.select(Activity.status).where(Activity.id == pk_of(pending))
    assert row["status"] == "SUBMITTED"
    assert [codes(r["userErrors"]) for r in payload["results"]] == [["PERIOD_CLOSED"]]


# --- batches ---------------------------------------------------------------------------------


async def test_batch_upload_reports_each_item_in_order(api: Api, factory: Factory) -> None:
    w = await _world(api, factory)
    earlier = await logged(api, w.t["staff"], "sent-yesterday", fields(quantity=4))
    items = [
        {"idempotencyKey": "b-good-1", "activity": fields(day=past_day(3), indicator=w.doses)},
        {"idempotencyKey": "b-future", "activity": fields(day=today() + timedelta(days=2))},
        {"idempotencyKey": "sent-yesterday", "activity": fields(quantity=4)},
        {"idempotencyKey": "b-good-2", "activity": fields(day=past_day(2), indicator=w.reports)},
        {"idempotencyKey": "b-negative", "activity": fields(quantity=-2)},
    ]

    # when the phone uploads what it recorded offline
    payload = (await api.data("LogActivities", {"input": {"items": items}}, token=w.t["staff"]))[
        "logActivities"
    ]

    # then each item has its own result, in input order
    assert payload["userErrors"] == []
    results = payload["results"]
    assert [r["index"] for r in results] == [0, 1, 2, 3, 4]
    assert [r["idempotencyKey"] for r in results] == [i["idempotencyKey"] for i in items]
    assert [codes(r["userErrors"]) for r in results] == [
        [],
        ["FUTURE_DATE"],
        [],
        [],
        ["NEGATIVE_QUANTITY"],
    ]
    assert [r["replayed"] for r in results] == [False, False, True, False, False]
    assert [r["activity"] is not None for r in results] == [True, False, True, True, False]
    assert results[2]["activity"]["id"] == earlier
    assert results[0]["activity"]["status"] == results[3]["activity"]["status"] == "SUBMITTED"
    # and only the good ones were stored (plus the earlier one)
    stored = {r["idempotency_key"] for r in await Activity.select(Activity.idempotency_key)}
    assert stored == {"sent-yesterday", "b-good-1", "b-good-2"}
    (replayed,) = await Activity.select(Activity.quantity).where(
        Activity.idempotency_key == "sent-yesterday"
    )
    assert replayed["quantity"] == 4

    # when the same batch is uploaded again (the response was lost), then nothing doubles
    retry = (await api.data("LogActivities", {"input": {"items": items}}, token=w.t["staff"]))[
        "logActivities"
    ]["results"]
    assert [r["replayed"] for r in retry] == [True, False, True, True, False]
    assert [r["activity"]["id"] if r["activity"] else None for r in retry] == [
        r["activity"]["id"] if r["activity"] else None for r in results
    ]
    assert await Activity.count() == 3

    # a key repeated inside one batch is stored once, the second occurrence is a replay,
    # and a third with other content is a conflict
    twice = [
        {"idempotencyKey": "dup", "activity": fields(quantity=1)},
        {"idempotencyKey": "dup", "activity": fields(quantity=1)},
        {"idempotencyKey": "dup", "activity": fields(quantity=2)},
    ]
    dup = (await api.data("LogActivities", {"input": {"items": twice}}, token=w.t["staff"]))[
        "logActivities"
    ]["results"]
    assert [r["replayed"] for r in dup] == [False, True, False]
    assert dup[0]["activity"]["id"] == dup[1]["activity"]["id"]
    assert codes(dup[2]["userErrors"]) == ["IDEMPOTENCY_CONFLICT"]
    assert await rows_with_key("dup") == 1


async def test_batch_limits_100_items(api: Api, factory: Factory) -> None:
    w = await _world(api, factory)

    def batch(n: int, prefix: str) -> dict[str, Any]:
        return {
            "input": {
                "items": [
                    {"idempotencyKey": f"{prefix}-{i}", "activity": fields(day=past_day(1 + i))}
                    for i in range(n)
                ]
            }
        }

    # when 101 items are uploaded, then the whole batch is refused and nothing is stored
    too_many = (await api.data("LogActivities", batch(101, "over"), token=w.t["staff"]))[
        "logActivities"
    ]
    assert codes(too_many["userErrors"]) == ["BATCH_TOO_LARGE"]
    assert too_many["results"] == []
    assert await Activity.count() == 0
    # when exactly 100 are uploaded, then all are stored
    full = (await api.data("LogActivities", batch(100, "max"), token=w.t["staff"]))["logActivities"]
    assert full["userErrors"] == []
    assert all(r["userErrors"] == [] for r in full["results"])
    assert await Activity.count() == 100


# --- verification, reject -> fix -> verify, progress -----------------------------------------


async def _progress(api: Api, token: str) -> dict[str, dict[str, Any]]:
    """The staff's indicator progress by indicator ID, from MySkp."""
    skp = (await api.data("MySkp", token=token))["mySkp"]
    return {i["id"]: i["progress"] for r in skp["rhks"] for i in r["indicators"]}


async def _pending(api: Api, token: str) -> list[dict[str, Any]]:
    data = await api.data(
        "Activities", {"first": 50, "filter": {"pendingForMe": True}}, token=token
    )
    return [e["node"] for e in data["activities"]["edges"]]


async def test_supervisor_verifies_rejects_and_the_fixed_activity_is_verified(
    api: Api, factory: Factory
) -> None:
    w = await _world(api, factory)
    t, p = w.t, w.org.people
    staff_id = gid("Employee", p["staff"].id)
    # given three activities of the staff and one of the peer
    a1 = await logged(
        api, t["staff"], "a1", fields(day=past_day(5), indicator=w.doses, quantity=10)
    )
    a2 = await logged(api, t["staff"], "a2", fields(day=past_day(4), indicator=w.doses, quantity=5))
    a3 = await logged(
        api, t["staff"], "a3", fields(day=past_day(3), indicator=w.reports, quantity=1)
    )
    peer = await logged(api, t["peer"], "p1", fields(day=past_day(2), quantity=2))
    await logged(api, t["outsider"], "o1", fields(day=past_day(2), quantity=2))

    # then the boss's pending list holds exactly the team's submitted work, newest first
    pending = await _pending(api, t["boss"])
    assert [a["id"] for a in pending] == [peer, a3, a2, a1]
    assert {a["employee"]["id"] for a in pending} == {staff_id, gid("Employee", p["peer"].id)}
    assert await _pending(api, t["head"]) == []  # not the head's direct reports
    # and nothing counts toward progress before verification
    before = await _progress(api, t["staff"])
    assert before[w.doses]["verifiedQuantity"] == 0
    assert before[w.doses]["progress"] == 0

    # when the boss verifies a1
    done = await verify(api, t["boss"], [a1])
    assert done["userErrors"] == []
    (r1,) = done["results"]
    assert r1["userErrors"] == []
    assert r1["activityId"] == a1
    assert r1["activity"]["status"] == "VERIFIED"
    assert r1["activity"]["verifier"]["id"] == gid("Employee", p["boss"].id)
    assert r1["activity"]["verifiedAt"]

    # when the boss rejects a2 without a note, then NOTE_REQUIRED and nothing changes
    for note in (None, "", "  ", "ok"):
        refused = await verify(api, t["boss"], [a2], approve=False, note=note)
        assert codes(refused["userErrors"]) == ["NOTE_REQUIRED"]
        assert refused["results"] == []
    too_long = await verify(api, t["boss"], [a2], approve=False, note="x" * 1001)
    assert codes(too_long["userErrors"]) == ["INVALID_LENGTH"]
    # with a note, then it is REJECTED and the note is visible to the employee
    rejected = await verify(api, t["boss"], [a2], approve=False, note="Foto bukti tidak terbaca")
    assert rejected["results"][0]["activity"]["status"] == "REJECTED"
    mine = await api.data(
        "Activities", {"first": 10, "filter": {"status": "REJECTED"}}, token=t["staff"]
    )
    (node,) = [e["node"] for e in mine["activities"]["edges"]]
    assert (node["id"], node["rejectionNote"]) == (a2, "Foto bukti tidak terbaca")

    # when the head (the supervisor's supervisor) or an outsider verifies, then per-item NOT_FOUND
    for who in ("head", "outsider", "peer", "staff"):
        foreign = await verify(api, t[who], [a3])
        assert [codes(r["userErrors"]) for r in foreign["results"]] == [["NOT_FOUND"]], who
        assert foreign["results"][0]["activity"] is None
    # when an item is verified twice, a mix is reported per item, in order
    mixed = await verify(api, t["boss"], [a3, a1, gid("Activity", 999_999), a2])
    assert [codes(r["userErrors"]) for r in mixed["results"]] == [
        [],
        ["INVALID_STATE"],
        ["NOT_FOUND"],
        ["INVALID_STATE"],
    ]
    assert [r["activityId"] for r in mixed["results"]] == [a3, a1, gid("Activity", 999_999), a2]

    # then progress counts verified work only (a2 is rejected)
    mid = await _progress(api, t["staff"])
    assert mid[w.doses]["verifiedQuantity"] == 10
    assert mid[w.doses]["progress"] == pytest.approx(10 / 1200)
    assert mid[w.reports]["verifiedQuantity"] == 1
    assert mid[w.reports]["progress"] == pytest.approx(1 / 12)


async def test_rejected_activity_is_fixed_resubmitted_verified_and_then_counts(
    api: Api, factory: Factory
) -> None:
    # given a verified (a1), a rejected (a2) activity of the staff and a pending one of the peer
    w = await _world(api, factory)
    t, p = w.t, w.org.people
    staff_id = gid("Employee", p["staff"].id)
    a1 = await logged(
        api, t["staff"], "a1", fields(day=past_day(5), indicator=w.doses, quantity=10)
    )
    a2 = await logged(api, t["staff"], "a2", fields(day=past_day(4), indicator=w.doses, quantity=5))
    a3 = await logged(
        api, t["staff"], "a3", fields(day=past_day(3), indicator=w.reports, quantity=1)
    )
    peer = await logged(api, t["peer"], "p1", fields(day=past_day(2), quantity=2))
    await verify(api, t["boss"], [a1, a3])
    await verify(api, t["boss"], [a2], approve=False, note="Foto bukti tidak terbaca")

    # when the employee edits a verified activity, then ALREADY_VERIFIED
    locked = await update(
        api, t["staff"], a1, fields(day=past_day(5), indicator=w.doses, quantity=50)
    )
    assert codes(locked["userErrors"]) == ["ALREADY_VERIFIED"]
    # when they fix the rejected one, then it is SUBMITTED again without the note
    fixed = await update(
        api,
        t["staff"],
        a2,
        fields(
            day=past_day(4),
            indicator=w.doses,
            quantity=6,
            links=["https://bukti.example.go.id/jelas"],
        ),
    )
    assert fixed["userErrors"] == []
    assert fixed["activity"] == {
        "id": a2,
        "status": "SUBMITTED",
        "quantity": 6,
        "description": "Vaksinasi campak di posyandu",
        "rejectionNote": None,
    }
    assert [a["id"] for a in await _pending(api, t["boss"])] == [peer, a2]
    assert await AuditEntry.exists().where(
        (AuditEntry.action == "ACTIVITY_RESUBMITTED") & (AuditEntry.entity_id == str(pk_of(a2)))
    )
    # and once verified it counts, with its fixed quantity
    assert (await verify(api, t["boss"], [a2]))["results"][0]["activity"]["status"] == "VERIFIED"
    after = await _progress(api, t["staff"])
    assert after[w.doses]["verifiedQuantity"] == 16
    assert after[w.doses]["progress"] == pytest.approx(16 / 1200)
    full = await w.cycle.skp(t["boss"], w.chain.staff.skp)
    assert full is not None
    doses = next(i for r in full["rhks"] for i in r["indicators"] if i["id"] == w.doses)
    assert doses["progress"]["verifiedQuantity"] == 16
    assert doses["progress"]["submittedQuantity"] == 0
    assert [a["id"] for a in await _pending(api, t["boss"])] == [peer]

    # and the supervisor's team view agrees
    team = (await api.data("TeamProgress", token=t["boss"]))["teamProgress"]
    by_employee = {m["employee"]["id"]: m for m in team}
    assert by_employee[staff_id]["pendingVerificationCount"] == 0
    assert by_employee[gid("Employee", p["peer"].id)]["pendingVerificationCount"] == 1
    assert {
        i["indicator"]["id"]: i["verifiedQuantity"] for i in by_employee[staff_id]["indicators"]
    } == {
        w.doses: 16,
        w.reports: 1,
    }
    assert by_employee[staff_id]["lastActivityDate"] == past_day(3).isoformat()


async def test_concurrent_verify_and_reject_of_one_activity_have_one_winner(
    api: Api, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = await _world(api, factory)
    activity = await logged(api, w.t["staff"], "double", fields(indicator=w.doses, quantity=10))
    # two requests overlap: each reads the activity before the other one writes (a slow
    # network or two workers; the delay only makes the interleaving deterministic)
    read = activities_service.activities_by_ids

    async def slow_read(ids: list[int]) -> Any:
        rows = await read(ids)
        await asyncio.sleep(0.3)
        return rows

    monkeypatch.setattr(activities_service, "activities_by_ids", slow_read)

    # when the supervisor's two devices verify and reject the same activity at once
    approved, rejected = await asyncio.gather(
        verify(api, w.t["boss"], [activity]),
        verify(api, w.t["boss"], [activity], approve=False, note="Bukti kurang"),
    )

    # then exactly one wins, the other gets INVALID_STATE, and the answer matches the database
    outcomes = [approved["results"][0], rejected["results"][0]]
    (row,) = await Activity.select(Activity.status).where(Activity.id == pk_of(activity))
    for outcome in outcomes:
        if outcome["userErrors"] == []:
            assert outcome["activity"]["status"] == row["status"], (outcomes, row)
    assert sorted(len(o["userErrors"]) for o in outcomes) == [0, 1], outcomes
    decisions = await AuditEntry.count().where(
        (AuditEntry.entity_type == "Activity")
        & (AuditEntry.entity_id == str(pk_of(activity)))
        & AuditEntry.action.is_in(["ACTIVITY_VERIFIED", "ACTIVITY_REJECTED"])
    )
    assert decisions == 1


# --- the day boundary ---------------------------------------------------------------------------


async def test_today_is_the_local_date_at_the_day_boundary(api: Api, factory: Factory) -> None:
    w = await _world(api, factory)
    day = past_day(3)
    late_evening_utc = datetime.combine(day - timedelta(days=1), time(23, 30), UTC)
    # Given 23:30 UTC, which is 06:30 the next morning in Jakarta (and later still in Jayapura),
    # when the staff logs that morning's work, then it is today's, not a FUTURE_DATE.
    for zone, key in (("Asia/Jakarta", "wib"), ("Asia/Jayapura", "wit")):
        with clock.frozen(late_evening_utc, tz=zone):
            payload = await log(api, w.t["staff"], f"boundary-{key}", fields(day=day))
        assert payload["userErrors"] == [], (zone, payload["userErrors"])
    # and a deployment in UTC still sees the evening before: the same date is in the future.
    with clock.frozen(late_evening_utc, tz="UTC"):
        payload = await log(api, w.t["staff"], "boundary-utc", fields(day=day))
    assert codes(payload["userErrors"]) == ["FUTURE_DATE"]


async def test_racing_different_content_under_one_key_stores_one_and_refuses_the_rest(
    api: Api, factory: Factory
) -> None:
    w = await _world(api, factory)
    results = await asyncio.gather(
        *(log(api, w.t["staff"], "race-2", fields(quantity=n + 1)) for n in range(6))
    )
    stored = [r for r in results if r["activity"] is not None]
    assert await rows_with_key("race-2") == 1
    assert len(stored) == 1
    assert all(
        codes(r["userErrors"]) == ["IDEMPOTENCY_CONFLICT"] for r in results if r not in stored
    )


# --- withdraw ------------------------------------------------------------------------------------


async def withdraw(api: Api, token: str, activity_id: str) -> dict[str, Any]:
    """WithdrawActivity payload."""
    payload: dict[str, Any] = (
        await api.data("WithdrawActivity", {"input": {"activityId": activity_id}}, token=token)
    )["withdrawActivity"]
    return payload


async def test_withdrawing_a_submitted_activity(api: Api, factory: Factory) -> None:
    w = await _world(api, factory)
    mistake = await logged(api, w.t["staff"], "oops", fields(indicator=w.doses, quantity=500))
    kept = await logged(api, w.t["staff"], "real", fields(indicator=w.doses, quantity=20))

    # when the supervisor tries, or a colleague, then it is refused (typed)
    assert codes((await withdraw(api, w.t["boss"], mistake))["userErrors"]) == ["FORBIDDEN"]
    assert codes((await withdraw(api, w.t["peer"], mistake))["userErrors"]) == ["NOT_FOUND"]

    # when the author withdraws it
    payload = await withdraw(api, w.t["staff"], mistake)

    # then it is WITHDRAWN, audited, the supervisor is told, and the supervisor no longer has it
    assert payload["userErrors"] == []
    assert payload["activity"] == {"id": mistake, "status": "WITHDRAWN"}
    audit = await AuditEntry.select(AuditEntry.entity_id).where(
        AuditEntry.action == "ACTIVITY_WITHDRAWN"
    )
    assert [a["entity_id"] for a in audit] == [str(pk_of(mistake))]
    notes = (await api.data("Notifications", {"first": 10}, token=w.t["boss"]))["notifications"]
    kinds = [e["node"]["kind"] for e in notes["edges"]]
    assert "ACTIVITY_WITHDRAWN" in kinds
    decided = await verify(api, w.t["boss"], [mistake, kept])
    assert [codes(r["userErrors"]) for r in decided["results"]] == [["INVALID_STATE"], []]

    # and a second withdrawal, a fix, or withdrawing a verified one is refused
    assert codes((await withdraw(api, w.t["staff"], mistake))["userErrors"]) == ["INVALID_STATE"]
    fixed = await update(api, w.t["staff"], mistake, fields(indicator=w.doses, quantity=5))
    assert codes(fixed["userErrors"]) == ["INVALID_STATE"]
    assert codes((await withdraw(api, w.t["staff"], kept))["userErrors"]) == ["INVALID_STATE"]

    # and a late retry of its key replays the withdrawn activity instead of bringing it back
    retry = await log(api, w.t["staff"], "oops", fields(indicator=w.doses, quantity=500))
    assert retry["replayed"] is True
    assert retry["activity"]["status"] == "WITHDRAWN"
    assert await rows_with_key("oops") == 1
