"""The demo city carries keberatan the demo logins can see and decide."""

from __future__ import annotations

from collections import Counter
from datetime import date

from portal import demo
from portal.core.ids import encode_global_id
from portal.people.demo_org import DEMO_PASSWORD
from portal.performance.tables import Evaluation, Period, Skp
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


async def test_demo_has_one_mutasi_to_process_outside_the_personas(api: Api, db: None) -> None:
    # given a small demo city
    await demo.seed(n_employees=60, history_days=20, today=date(2026, 12, 7))
    personas = set()
    for login in ("pegawai", "atasan"):
        viewer = await api.data("Viewer", {}, token=await api.login(login, DEMO_PASSWORD))
        personas.add(viewer["viewer"]["employee"]["id"])

    # when BKPSDM lists the detected mutasi
    admin = await api.login("admin.bkpsdm", DEMO_PASSWORD)
    listed = await api.data("DetectedMutasi", {"first": 10}, token=admin)

    # then one waits, of an employee outside the personas, to a new unit and rater
    (move,) = [e["node"] for e in listed["detectedMutasi"]["edges"]]
    assert move["status"] == "DETECTED"
    assert move["employee"]["id"] not in personas
    assert move["oldUnit"]["id"] != move["newUnit"]["id"]
    assert move["oldSupervisor"]["id"] != move["newSupervisor"]["id"]
    # and processing it closes the SKP and opens one under the new rater
    applied = await api.data("ApplyMutasi", {"input": {"moveId": move["id"]}}, token=admin)
    payload = applied["applyMutasi"]
    assert payload["userErrors"] == []
    assert payload["closedSkp"]["servedUntil"] is not None
    assert payload["openedSkp"]["rater"]["id"] == move["newSupervisor"]["id"]


async def test_demo_has_a_split_year_counted_once(api: Api, db: None) -> None:
    # given a small demo city, whose last year has one employee split by a mutasi
    await demo.seed(n_employees=60, history_days=20, today=date(2026, 12, 7))
    (annual,) = await Period.select(Period.id).where(
        (Period.year == 2025) & (Period.kind == "ANNUAL")
    )
    period_id = encode_global_id("Period", annual["id"])
    admin = await api.login("admin.bkpsdm", DEMO_PASSWORD)
    # (the performance demo evaluated the whole city's last year; one employee's is split)
    split_rows = await Skp.select(Skp.employee).where(
        (Skp.period == annual["id"]) & Skp.served_until.is_not_null()
    )
    assert len(split_rows) == 1
    split = encode_global_id("Employee", split_rows[0]["employee"])
    evaluations = await Evaluation.select(Evaluation.employee).where(
        (Evaluation.period == annual["id"]) & (Evaluation.status == "FINAL")
    )
    per_employee = Counter(e["employee"] for e in evaluations)
    assert per_employee[split_rows[0]["employee"]] == 2

    # when BKPSDM reads that employee's year
    result = (
        await api.data("AnnualResult", {"employeeId": split, "periodId": period_id}, token=admin)
    )["annualResult"]

    # then it has two parts, 4 and 8 months, combined Baik
    assert [p["months"] for p in result["parts"]] == [4.0, 8.0]
    assert [p["evaluation"]["predikat"] for p in result["parts"]] == ["SANGAT_BAIK", "BAIK"]
    assert result["predikat"] == "BAIK"
    # and the city's rekap of the year counts each employee once, the split one too
    recap = await api.data("PredikatRecap", {"periodId": period_id}, token=admin)
    (city,) = [r for r in recap["predikatRecap"] if r["opd"] is None]
    assert city["total"] == len(per_employee) == len(evaluations) - 1
