"""The demo city carries keberatan the demo logins can see and decide."""

from __future__ import annotations

from datetime import date

from portal import demo
from portal.people.demo_org import DEMO_PASSWORD
from support.api import Api


async def test_demo_pegawai_waits_for_a_decision_the_superior_can_make(api: Api, db: None) -> None:
    # given a small demo city
    await demo.seed(n_employees=60, history_days=20, today=date(2026, 12, 7))

    # when the pegawai login lists their objections
    token = await api.login("pegawai", DEMO_PASSWORD)
    data = await api.data("Objections", {"first": 10}, token=token)

    # then one waits for the decision of their rater's superior
    (edge,) = data["objections"]["edges"]
    objection = edge["node"]
    assert objection["status"] == "SUBMITTED"
    assert objection["decider"] is not None
    # and BKPSDM sees the city's three, one of each state
    admin = await api.login("admin.bkpsdm", DEMO_PASSWORD)
    city = await api.data("Objections", {"first": 10}, token=admin)
    states = sorted(e["node"]["status"] for e in city["objections"]["edges"])
    assert states == ["CHANGED", "SUBMITTED", "UPHELD"]
