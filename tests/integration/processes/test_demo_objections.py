"""The demo city carries keberatan the demo logins can see and decide."""

from __future__ import annotations

from datetime import date

from portal import demo
from portal.people.demo_org import DEMO_PASSWORD
from support.api import Api


async def test_demo_pegawai_may_object_and_the_city_has_one_of_each_state(
    api: Api, db: None
) -> None:
    # given a small demo city
    await demo.seed(n_employees=60, history_days=20, today=date(2026, 12, 7))

    # when the pegawai login lists their objections and their FINAL annual evaluation
    token = await api.login("pegawai", DEMO_PASSWORD)
    data = await api.data("Objections", {"first": 10}, token=token)
    assert data["objections"]["edges"] == []
    mine = await api.data("MyEvaluations", {"first": 20}, token=token)
    final = [e["node"] for e in mine["evaluations"]["edges"] if e["node"]["status"] == "FINAL"]
    windows = [
        (await api.data("ObjectionWindow", {"evaluationId": e["id"]}, token=token))[
            "objectionWindow"
        ]
        for e in final
    ]

    # then exactly one (last year's annual) is open to a keberatan
    assert [w["canFile"] for w in windows].count(True) == 1
    # and BKPSDM sees the city's three, one of each state
    admin = await api.login("admin.bkpsdm", DEMO_PASSWORD)
    city = await api.data("Objections", {"first": 10}, token=admin)
    states = sorted(e["node"]["status"] for e in city["objections"]["edges"])
    assert states == ["CHANGED", "SUBMITTED", "UPHELD"]
