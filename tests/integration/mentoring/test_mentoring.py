"""Mentoring alerts: scoring from the database, one open alert per employee, supervisor
actions, and who sees what (the employee sees the offer and its reasons, never a score)."""

from __future__ import annotations

import json
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from ml import registry
from ml.outcomes import outcome_labels, read_outcomes
from ml.pipeline import train
from ml.synth import generate, write_world
from portal.accounts.tables import UserAccount
from portal.cli import _drift_line
from portal.core.auth import Role
from portal.core.db import transaction
from portal.core.ids import encode_global_id
from portal.mentoring.services import alerts, scoring
from portal.mentoring.tables import MentoringAlert, MentoringScore, MentoringScoringRun
from portal.notifications.tables import Notification
from portal.people.tables import Employee
from portal.performance.enums import PeriodKind
from portal.performance.planning.services import periods
from portal.performance.tables import Activity
from support.api import Api
from support.factories import PASSWORD, Factory
from support.training_builders import competency, course
from training.enums import CompetencyKind
from training.tables import TrainingAssignment

TODAY = date(2026, 11, 27)


@pytest.fixture(scope="session")
def model_root() -> Path:
    """A small model trained once on a synthetic world (the real training code path)."""
    root = Path(tempfile.mkdtemp(prefix="portal-model-"))
    world = generate(150, seed=3, start=date(2025, 11, 1), end=TODAY - timedelta(days=1))
    write_world(world, root / "data")
    train(root / "data", root / "models", seed=0)
    return root / "models"


async def _team(factory: Factory):
    opd = await factory.opd()
    unit = await factory.unor(opd)
    boss = await factory.employee(unit, name="Kepala Puskesmas")
    staff = [await factory.employee(unit, supervisor=boss, name=f"Staf {i}") for i in range(3)]
    outsider = await factory.employee(unit, name="Pegawai Lain")
    # a fixed hire date: without one the hire date falls back to the row's creation time,
    # which is after TODAY once the wall clock passes it
    await Employee.update({Employee.hired_on: date(2015, 1, 5)}).where(
        Employee.id.is_in([boss.id, *(p.id for p in staff), outsider.id])
    )
    return boss, staff, outsider


async def _raise(employee_id: int) -> int:
    async with transaction():
        return await alerts.raise_alert(
            employee_id, TODAY, 0.91, ["38 % aktivitas ditolak bulan ini"], "v0001"
        )


async def test_scoring_stores_scores_and_raises_alerts_to_direct_supervisors(
    api: Api, factory: Factory, model_root: Path
) -> None:
    boss, staff, _ = await _team(factory)
    await periods.create_year(None, 2026, PeriodKind.QUARTERLY)
    annual = await periods.annual_for(TODAY)
    assert annual is not None
    # staff 0 logs steadily, staff 1 stopped logging four weeks ago
    rows = []
    for back in range(1, 80):
        day = TODAY - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        for person, active in ((staff[0], True), (staff[1], back > 28)):
            if active:
                rows.append(
                    Activity(
                        employee=person.id,
                        period=annual.id,
                        activity_date=day,
                        description="Pelayanan",
                        quantity=5.0,
                        status="VERIFIED",
                        idempotency_key=f"{person.id}-{day}",
                    )
                )
    await Activity.insert(*rows)

    summary = await scoring.score_db(None, as_of=TODAY, model_root=model_root)

    assert summary.scored == 5  # every active employee, whatever their band
    assert await MentoringScore.count() == 5
    raised = await MentoringAlert.select()
    assert len(raised) == summary.alerts_raised == summary.high == 1  # 5 % of 5, rounded up
    for alert in raised:
        assert alert["supervisor"] == boss.id or alert["employee"] == boss.id
    again = await scoring.score_db(None, as_of=TODAY, model_root=model_root)
    assert again.alerts_raised == 0  # no repeats while an alert is open
    assert await MentoringAlert.count() == len(raised)

    # each run records its input drift against the model's training data
    assert summary.drift is not None
    assert summary.drift["rows"] == 5
    assert 0.0 <= summary.drift["missing_share"] <= 1.0
    assert summary.drift["drifted"]  # five hand-made employees are nothing like the training city
    assert "BEYOND THRESHOLD" in _drift_line(summary.drift)
    runs = await MentoringScoringRun.select().order_by(MentoringScoringRun.id)
    assert [(r["scored"], r["model_version"], r["drifted"]) for r in runs] == [
        (5, summary.model_version, True),
        (5, again.model_version, True),
    ]


async def test_a_run_flags_the_mentoring_capacity_not_every_score_above_a_fixed_threshold(
    factory: Factory, model_root: Path
) -> None:
    # Given 20 employees, half of whom stopped logging a month ago
    opd = await factory.opd()
    unit = await factory.unor(opd)
    boss = await factory.employee(unit, name="Kepala Seksi")
    staff = [await factory.employee(unit, supervisor=boss, account=False) for _ in range(19)]
    people = [boss, *staff]
    await Employee.update({Employee.hired_on: date(2015, 1, 5)}).where(
        Employee.id.is_in([p.id for p in people])
    )
    await periods.create_year(None, 2026, PeriodKind.QUARTERLY)
    annual = await periods.annual_for(TODAY)
    assert annual is not None
    rows = [
        Activity(
            employee=person.id,
            period=annual.id,
            activity_date=day,
            description="Pelayanan",
            quantity=float(3 + n % 4),
            status="VERIFIED",
            idempotency_key=f"cap-{person.id}-{day}",
        )
        for n, person in enumerate(people)
        for back in range(1, 200)
        if (day := TODAY - timedelta(days=back)).weekday() < 5 and (n % 2 == 0 or back > 30)
    ]
    for start in range(0, len(rows), 1000):  # PostgreSQL takes at most 32 767 parameters
        await Activity.insert(*rows[start : start + 1000])
    _, metadata = registry.load(model_root)

    # When the city is scored
    summary = await scoring.score_db(None, as_of=TODAY, model_root=model_root)

    # Then HIGH is the top 5 % of the run (1 of 20) and MEDIUM the next slice up to 15 % (2)
    assert summary.capacity_share == metadata["capacity_share"] == 0.05
    assert (summary.scored, summary.high, summary.medium) == (20, 1, 2)
    stored = sorted(  # ties broken by employee id, as the run does
        await MentoringScore.select(
            MentoringScore.employee, MentoringScore.score, MentoringScore.band
        ),
        key=lambda r: (-r["score"], r["employee"]),
    )
    assert [r["band"] for r in stored[:3]] == ["HIGH", "MEDIUM", "MEDIUM"]
    assert {r["band"] for r in stored[3:]} == {"LOW"}
    assert summary.alerts_raised == await MentoringAlert.count() == 1
    # and the run still counts what the model's own threshold would have flagged (drift)
    threshold = metadata["thresholds"]["high"]
    assert summary.above_threshold == sum(r["score"] >= threshold for r in stored)


async def test_bkpsdm_sees_the_drift_of_scoring_runs_and_only_aggregates(
    api: Api, factory: Factory, model_root: Path
) -> None:
    boss, _, _ = await _team(factory)
    summary = await scoring.score_db(None, as_of=TODAY, model_root=model_root)
    assert summary.drift is not None
    query = (
        "query($only: Boolean!) { mentoringScoringRuns(first: 5, driftedOnly: $only) "
        "{ asOf modelVersion scored drifted driftedFeatures maxPsi missingShare "
        "features { feature psi missingShare } phases { name seconds } } }"
    )
    bkpsdm = await factory.admin("bkpsdm", Role.ADMIN_BKPSDM)
    token = await api.login(bkpsdm, PASSWORD)
    body = await api.raw(query, {"only": False}, token=token)
    (run,) = body["data"]["mentoringScoringRuns"]
    assert run["modelVersion"] == summary.model_version
    assert run["scored"] == summary.scored == 5  # the boss, three staff and the outsider
    assert run["drifted"] is summary.drift["drifted"]
    drifted = await api.raw(query, {"only": True}, token=token)
    assert len(drifted["data"]["mentoringScoringRuns"]) == int(summary.drift["drifted"])
    assert run["driftedFeatures"] == summary.drift["drifted_features"]
    assert run["maxPsi"] == summary.drift["max_psi"]
    assert run["features"][0]["psi"] == summary.drift["max_psi"]
    # the run keeps how long each phase took, in the order they ran
    assert [p["name"] for p in run["phases"]] == [
        "db_read",
        "validate",
        "features",
        "predict",
        "explain",
        "write",
    ]
    assert all(p["seconds"] >= 0 for p in run["phases"])
    assert {p["name"]: p["seconds"] for p in run["phases"][:-1]} == {
        k: v for k, v in summary.phases.items() if k != "write"
    }
    assert "employee" not in str(run).lower()
    # a supervisor (or anyone but BKPSDM) does not see the model's monitoring
    refused = await api.raw(query, {"only": False}, token=await api.login(boss.username, PASSWORD))
    assert refused["data"] is None or refused["data"]["mentoringScoringRuns"] is None
    assert refused["errors"]


async def test_one_open_alert_per_employee_and_the_supervisor_is_notified(
    api: Api, factory: Factory
) -> None:
    _, staff, _ = await _team(factory)
    assert await _raise(staff[0].id) == 1
    assert await _raise(staff[0].id) == 0
    assert await MentoringAlert.count() == 1
    notes = await Notification.select(Notification.kind, Notification.title)
    assert [n["kind"] for n in notes] == ["MENTORING_ALERT"]
    assert "Tawarkan dukungan" in notes[0]["title"]


async def test_visibility_of_alerts_and_scores(api: Api, factory: Factory) -> None:
    boss, staff, outsider = await _team(factory)
    await _raise(staff[0].id)
    (alert,) = await MentoringAlert.select(MentoringAlert.id)
    gid = encode_global_id("MentoringAlert", alert["id"])
    query = (
        "query($id: ID!) { node(id: $id) { ... on MentoringAlert { id reasons score status } } }"
    )
    bkpsdm = await factory.admin("bkpsdm", Role.ADMIN_BKPSDM)
    admin_opd = await factory.admin("adminopd", Role.ADMIN_OPD, staff[0].opd_id)

    as_boss = await api.raw(query, {"id": gid}, token=await api.login(boss.username, PASSWORD))
    assert as_boss["data"]["node"]["score"] == pytest.approx(0.91)
    as_bkpsdm = await api.raw(query, {"id": gid}, token=await api.login(bkpsdm, PASSWORD))
    assert as_bkpsdm["data"]["node"]["score"] == pytest.approx(0.91)
    employee_token = await api.login(staff[0].username, PASSWORD)
    as_employee = await api.raw(query, {"id": gid}, token=employee_token)
    assert as_employee["data"]["node"]["reasons"] == ["38 % aktivitas ditolak bulan ini"]
    assert as_employee["data"]["node"]["score"] is None  # an offer, never a risk score
    offers = await api.raw("{ mySupportOffers { reasons score } }", token=employee_token)
    assert offers["data"]["mySupportOffers"] == [
        {"reasons": ["38 % aktivitas ditolak bulan ini"], "score": None}
    ]
    for username in (outsider.username, staff[1].username, admin_opd):
        body = await api.raw(query, {"id": gid}, token=await api.login(username, PASSWORD))
        assert body["data"]["node"] is None, username


async def _act(api: Api, token: str, alert_id: int, **fields) -> dict:
    mutation = (
        "mutation($input: ActOnMentoringAlertInput!) { actOnMentoringAlert(input: $input) "
        "{ alert { status action dismissReason coachingAssignmentId } "
        "userErrors { path code } } }"
    )
    variables = {"input": {"alertId": encode_global_id("MentoringAlert", alert_id), **fields}}
    body = await api.raw(mutation, variables, token=token)
    return body["data"]["actOnMentoringAlert"]


async def test_supervisor_actions(api: Api, factory: Factory) -> None:
    boss, staff, outsider = await _team(factory)
    token = await api.login(boss.username, PASSWORD)
    ids = []
    for person in staff:
        await _raise(person.id)
    for person in staff:
        (row,) = await MentoringAlert.select(MentoringAlert.id).where(
            MentoringAlert.employee == person.id
        )
        ids.append(row["id"])

    ack = await _act(api, token, ids[0], action="ACKNOWLEDGE")
    assert ack["alert"]["status"] == "ACKNOWLEDGED"
    no_coach = await _act(api, token, ids[0], action="CREATE_COACHING")
    assert no_coach["userErrors"][0]["code"] == "COACH_REQUIRED"
    coached = await _act(
        api,
        token,
        ids[0],
        action="CREATE_COACHING",
        coachId=encode_global_id("Employee", outsider.id),
        goal="Pendampingan pencatatan harian",
    )
    assert coached["alert"]["status"] == "ACTED"
    assert coached["alert"]["coachingAssignmentId"]
    again = await _act(api, token, ids[0], action="DISMISS", reason="sudah ditangani")
    assert again["userErrors"][0]["code"] == "ALERT_CLOSED"

    no_reason = await _act(api, token, ids[1], action="DISMISS")
    assert no_reason["userErrors"][0]["code"] == "REASON_REQUIRED"
    dismissed = await _act(api, token, ids[1], action="DISMISS", reason="Sedang cuti melahirkan")
    assert dismissed["alert"] == {
        "status": "DISMISSED",
        "action": "DISMISS",
        "dismissReason": "Sedang cuti melahirkan",
        "coachingAssignmentId": None,
    }
    # recommending training needs a course from the employee's own recommendations
    teamwork = await competency("SK-KERJASAMA", "Kerja Sama", kind=CompetencyKind.SOSIAL_KULTURAL)
    tax = await competency("TEK-PAJAK", "Pajak Daerah", themes=("pajak",))
    fitting = await course("Kolaborasi Lintas Unit", jp=8, competency_ids=(teamwork,))
    foreign = await course("Pengelolaan Pajak Daerah", jp=8, competency_ids=(tax,))
    no_course = await _act(api, token, ids[2], action="RECOMMEND_TRAINING")
    assert no_course["userErrors"] == [{"path": ["courseId"], "code": "COURSE_REQUIRED"}]
    not_offered = await _act(
        api,
        token,
        ids[2],
        action="RECOMMEND_TRAINING",
        courseId=encode_global_id("Course", foreign),
    )
    assert not_offered["userErrors"] == [{"path": ["courseId"], "code": "COURSE_NOT_RECOMMENDED"}]
    training = await _act(
        api,
        token,
        ids[2],
        action="RECOMMEND_TRAINING",
        courseId=encode_global_id("Course", fitting),
    )
    assert training["userErrors"] == []
    assert training["alert"]["action"] == "RECOMMEND_TRAINING"
    assert training["alert"]["status"] == "ACTED"
    # then the course is assigned, with the recommendation's reasons, and both are told
    (assigned,) = await TrainingAssignment.select(
        TrainingAssignment.course, TrainingAssignment.status, TrainingAssignment.reason
    ).where(TrainingAssignment.employee == staff[2].id)
    assert assigned["course"] == fitting
    assert assigned["status"] == "ASSIGNED"
    assert assigned["reason"].startswith("Tawaran pendampingan dari atasan: JP tahun ini baru 0")
    accounts = {
        r["employee"]: r["id"]
        for r in await UserAccount.select(UserAccount.id, UserAccount.employee).where(
            UserAccount.employee.is_in([boss.id, staff[2].id])
        )
    }
    told = {
        (r["kind"], r["account"])
        for r in await Notification.select(Notification.kind, Notification.account)
    }
    assert ("TRAINING_RECOMMENDED", accounts[boss.id]) in told
    assert ("TRAINING_ASSIGNED", accounts[staff[2].id]) in told

    outsider_token = await api.login(outsider.username, PASSWORD)
    assert (await _act(api, outsider_token, ids[2], action="ACKNOWLEDGE"))["userErrors"][0][
        "code"
    ] == "NOT_FOUND"
    employee_token = await api.login(staff[2].username, PASSWORD)
    refused = await _act(
        api, employee_token, ids[2], action="DISMISS", reason="saya baik-baik saja"
    )
    assert refused["userErrors"][0]["code"] in {"FORBIDDEN", "ALERT_CLOSED"}


async def _resolve(api: Api, token: str, alert_id: int, note: str | None = None) -> dict:
    mutation = (
        "mutation($input: ResolveMentoringAlertInput!) { resolveMentoringAlert(input: $input) "
        "{ alert { status action } userErrors { path code } } }"
    )
    variables = {"input": {"alertId": encode_global_id("MentoringAlert", alert_id), "note": note}}
    body = await api.raw(mutation, variables, token=token)
    return body["data"]["resolveMentoringAlert"]


async def test_responses_become_outcomes_and_labels_for_the_next_model(
    api: Api, factory: Factory, tmp_path: Path
) -> None:
    # Given three alerts to one supervisor
    boss, staff, outsider = await _team(factory)
    token = await api.login(boss.username, PASSWORD)
    for person in staff:
        await _raise(person.id)
    rows = {r["employee"]: r["id"] for r in await MentoringAlert.select()}
    # When the supervisor coaches one, dismisses one with a reason, and acknowledges the third
    await _act(
        api,
        token,
        rows[staff[0].id],
        action="CREATE_COACHING",
        coachId=encode_global_id("Employee", outsider.id),
    )
    await _act(api, token, rows[staff[1].id], action="DISMISS", reason="Sedang cuti sakit")
    await _act(api, token, rows[staff[2].id], action="ACKNOWLEDGE")
    # and later records that the coached need and the acknowledged one were addressed
    assert (await _resolve(api, token, rows[staff[0].id], "Sudah rutin melapor"))["alert"] == {
        "status": "ACTED",
        "action": "CREATE_COACHING",
    }
    assert (await _resolve(api, token, rows[staff[2].id]))["alert"]["status"] == "ACTED"
    again = await _resolve(api, token, rows[staff[0].id])
    assert again["userErrors"][0]["code"] == "ALREADY_RESOLVED"
    dismissed = await _resolve(api, token, rows[staff[1].id])
    assert dismissed["userErrors"][0]["code"] == "ALERT_NOT_ACTED"
    employee_token = await api.login(staff[0].username, PASSWORD)
    refused = await _resolve(api, employee_token, rows[staff[0].id])
    assert refused["userErrors"][0]["code"] in {"FORBIDDEN", "ALREADY_RESOLVED"}
    # Then each is outcome data, exported beside the data directory
    dataset, outcomes = await scoring.export_dir(tmp_path / "export")
    recorded = sorted(zip(outcomes["employee_id"], outcomes["outcome"], strict=True))
    assert recorded == sorted(
        [
            (staff[0].id, "COACHED"),
            (staff[0].id, "RESOLVED"),
            (staff[1].id, "DISMISSED"),
            (staff[2].id, "RESOLVED"),
        ]
    )
    assert "Sedang cuti sakit" in set(outcomes["reason"])
    assert dataset.labels.empty  # labels.csv: evaluations only; responses are outcomes
    exported = read_outcomes(tmp_path / "export")
    assert exported is not None
    assert len(exported) == 4
    # and usable as labels: support given or resolved = 1, dismissed = 0
    labels = outcome_labels(exported)
    assert dict(zip(labels["employee_id"], labels["needs_mentoring"], strict=True)) == {
        staff[0].id: 1,
        staff[1].id: 0,
        staff[2].id: 1,
    }
    assert set(labels["as_of"].dt.date) == {TODAY}


OUTCOMES_QUERY = (
    "{ mentoringAlertOutcomes { opd { name } alerts open acknowledged coached "
    "trainingRecommended dismissed resolved } }"
)


async def test_bkpsdm_sees_what_supervisors_did_with_alerts_per_opd_and_no_one_else(
    api: Api, factory: Factory
) -> None:
    # Given alerts in two OPDs: coached then resolved, dismissed, acknowledged; one left open
    boss, staff, outsider = await _team(factory)
    other_opd = await factory.opd(name="Dinas Lain")
    other_unit = await factory.unor(other_opd)
    other_boss = await factory.employee(other_unit, name="Kepala Lain")
    other = await factory.employee(other_unit, supervisor=other_boss, name="Staf Lain")
    for person in (*staff, other):
        await _raise(person.id)
    rows = {r["employee"]: r["id"] for r in await MentoringAlert.select()}
    token = await api.login(boss.username, PASSWORD)
    await _act(
        api,
        token,
        rows[staff[0].id],
        action="CREATE_COACHING",
        coachId=encode_global_id("Employee", outsider.id),
    )
    await _resolve(api, token, rows[staff[0].id], "Sudah rutin melapor")
    await _act(api, token, rows[staff[1].id], action="DISMISS", reason="Sedang cuti sakit")
    await _act(api, token, rows[staff[2].id], action="ACKNOWLEDGE")
    bkpsdm = await factory.admin("bkpsdm", Role.ADMIN_BKPSDM)

    # When BKPSDM asks what came of the alerts
    body = await api.raw(OUTCOMES_QUERY, token=await api.login(bkpsdm, PASSWORD))

    # Then it gets counts per OPD, and nothing about a person
    by_opd = {r["opd"]["name"]: r for r in body["data"]["mentoringAlertOutcomes"]}
    assert by_opd["Dinas Lain"] == {
        "opd": {"name": "Dinas Lain"},
        "alerts": 1,
        "open": 1,
        "acknowledged": 0,
        "coached": 0,
        "trainingRecommended": 0,
        "dismissed": 0,
        "resolved": 0,
    }
    (team_opd,) = (r for name, r in by_opd.items() if name != "Dinas Lain")
    assert {k: v for k, v in team_opd.items() if k != "opd"} == {
        "alerts": 3,
        "open": 0,
        "acknowledged": 1,
        "coached": 1,
        "trainingRecommended": 0,
        "dismissed": 1,
        "resolved": 1,
    }
    # and the supervisor, the OPD admin and the employee are refused
    admin_opd = await factory.admin("adminopd", Role.ADMIN_OPD, staff[0].opd_id)
    for username in (boss.username, admin_opd, staff[0].username):
        refused = await api.raw(OUTCOMES_QUERY, token=await api.login(username, PASSWORD))
        assert refused["data"] is None, username
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", username


async def test_city_scores_explain_each_employee_as_the_stored_run_does(
    factory: Factory, model_root: Path
) -> None:
    """The demo's personas take their alert reasons from ``CityScores.explained``: the same
    score and reasons the stored run keeps for them, so an alert never contradicts the data."""
    boss, staff, outsider = await _team(factory)
    city = await scoring.score_city(TODAY, model_root=model_root)
    assert city.explained(10_000_000) is None  # no such employee
    summary = await scoring.record_scores(None, city)
    assert summary.scored == 5
    stored = {r["employee"]: r for r in await MentoringScore.select()}
    for person in (boss, *staff, outsider):
        explained = city.explained(person.id)
        assert explained is not None
        score, reasons = explained
        assert score == pytest.approx(stored[person.id]["score"])
        stored_reasons = stored[person.id]["reasons"]
        assert reasons == (
            json.loads(stored_reasons) if isinstance(stored_reasons, str) else stored_reasons
        )


async def test_alert_outcomes_within_a_range_of_days(api: Api, factory: Factory) -> None:
    # Given an alert raised last month (then dismissed) and one raised today
    boss, staff, _ = await _team(factory)
    async with transaction():
        await alerts.raise_alert(staff[0].id, TODAY - timedelta(days=30), 0.9, ["lama"], "v1")
    await _raise(staff[1].id)
    rows = {r["employee"]: r["id"] for r in await MentoringAlert.select()}
    token = await api.login(boss.username, PASSWORD)
    await _act(api, token, rows[staff[0].id], action="DISMISS", reason="Sedang cuti sakit")
    bkpsdm = await api.login(await factory.admin("bkpsdm", Role.ADMIN_BKPSDM), PASSWORD)
    query = (
        "query($from: Date, $to: Date) { mentoringAlertOutcomes(dateFrom: $from, dateTo: $to) "
        "{ alerts open dismissed } }"
    )

    async def counts(**variables: str) -> list[dict[str, int]]:
        body = await api.raw(query, variables, token=bkpsdm)
        return body["data"]["mentoringAlertOutcomes"]

    # Then each range counts only the alerts raised in it, with their outcomes
    assert await counts() == [{"alerts": 2, "open": 1, "dismissed": 1}]
    assert await counts(**{"from": TODAY.isoformat()}) == [{"alerts": 1, "open": 1, "dismissed": 0}]
    last_month = (TODAY - timedelta(days=30)).isoformat()
    assert await counts(**{"from": last_month, "to": last_month}) == [
        {"alerts": 1, "open": 0, "dismissed": 1}
    ]
    assert await counts(to=(TODAY - timedelta(days=31)).isoformat()) == []
    # and a reversed range is a typed error
    body = await api.raw(query, {"from": TODAY.isoformat(), "to": last_month}, token=bkpsdm)
    assert body["errors"][0]["extensions"]["code"] == "INVALID_RANGE"
