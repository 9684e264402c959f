"""The one-request screens: the supervisor dashboard (GraphQL and its raw JSON twin) and the
employee home."""

from __future__ import annotations

from dataclasses import replace

from portal.core.db import transaction
from portal.mentoring.services import alerts as mentoring
from portal.mentoring.tables import MentoringAlert
from portal.performance.enums import ActivityStatus
from portal.settings import Settings
from support.api import Api
from support.apps import app_client
from support.factories import PASSWORD, Factory, Person
from support.performance_builders import (
    gid,
    insert_activities,
    insert_approved_skp,
    open_year,
    past_day,
    today,
)


async def _raise(employee: Person) -> int:
    async with transaction():
        await mentoring.raise_alert(
            employee.id, today(), 0.91, ["38 % aktivitas ditolak bulan ini"], "v0001"
        )
    row = await MentoringAlert.select(MentoringAlert.id).where(
        MentoringAlert.employee == employee.id
    )
    return int(row[0]["id"])


async def test_raw_team_dashboard_equals_the_supervisor_dashboard_operation(
    api: Api, factory: Factory, settings: Settings
) -> None:
    # given a supervisor whose team has progress, a pending activity, an open and an
    # acknowledged alert, and another team with an open alert of its own
    annual = await open_year()
    opd = await factory.opd()
    unit = await factory.unor(opd)
    boss = await factory.employee(unit, name="Kepala Puskesmas")
    staff = [await factory.employee(unit, supervisor=boss, name=f"Staf {i}") for i in range(3)]
    for member in staff[:2]:
        _, indicators = await insert_approved_skp(member, annual.id, rater_id=boss.id)
        await insert_activities(member.id, annual.id, indicators[0], [past_day(2)], quantity=4.0)
        await insert_activities(
            member.id,
            annual.id,
            indicators[1],
            [past_day(1)],
            status=ActivityStatus.SUBMITTED,
            key_prefix="pending",
        )
    open_alert = await _raise(staff[0])
    acknowledged = await _raise(staff[1])
    await MentoringAlert.update({MentoringAlert.status: "ACKNOWLEDGED"}).where(
        MentoringAlert.id == acknowledged
    )
    other_boss = await factory.employee(unit, name="Kepala Lain")
    await _raise(await factory.employee(unit, supervisor=other_boss, account=False))
    token = await api.login(boss.username, PASSWORD)

    # when the dashboard is fetched through GraphQL and through the raw endpoint
    data = await api.data("SupervisorDashboard", token=token)
    async with app_client(replace(settings, bench_endpoints=True)) as (_, client):
        response = await client.get(
            "/api/team-dashboard", headers={"Authorization": f"Bearer {token}"}
        )

    # then both carry the same payload: only the own team's open alert, and its notification
    assert response.status_code == 200, response.text
    assert response.json() == data
    alerts = data["mentoringAlerts"]
    assert alerts["totalCount"] == 1
    assert [e["node"]["id"] for e in alerts["edges"]] == [gid("MentoringAlert", open_alert)]
    assert alerts["edges"][0]["node"]["employee"]["name"] == "Staf 0"
    assert data["unreadNotificationCount"] == 2  # one per alert raised in the team
    assert len(data["teamProgress"]) == len(staff)
    assert sum(m["pendingVerificationCount"] for m in data["teamProgress"]) == 2


async def test_employee_home_shows_the_offer_without_a_score(api: Api, factory: Factory) -> None:
    # given an employee with an approved SKP, some verified work and an open alert
    annual = await open_year()
    opd = await factory.opd()
    unit = await factory.unor(opd)
    boss = await factory.employee(unit)
    member = await factory.employee(unit, supervisor=boss)
    _, indicators = await insert_approved_skp(member, annual.id, rater_id=boss.id)
    await insert_activities(member.id, annual.id, indicators[0], [past_day(3)], quantity=6.0)
    alert = await _raise(member)
    token = await api.login(member.username, PASSWORD)

    # when the employee opens the home screen
    data = await api.data("EmployeeHome", token=token)

    # then it holds their progress and the support offered, in one request
    assert data["mySkp"]["status"] == "APPROVED"
    (rhk,) = data["mySkp"]["rhks"]
    assert [i["progress"]["verifiedQuantity"] for i in rhk["indicators"]] == [6.0, 0.0]
    assert [o["id"] for o in data["mySupportOffers"]] == [gid("MentoringAlert", alert)]
    assert "score" not in data["mySupportOffers"][0]
    assert data["unreadFeedbackCount"] == 0
    assert data["feedbackThreads"]["totalCount"] == 0
    assert isinstance(data["trainingRecommendations"], list)
    assert data["unreadNotificationCount"] == 0


async def test_the_raw_dashboard_is_off_unless_the_benchmark_setting_is_on(
    api: Api, factory: Factory
) -> None:
    # given a logged-in supervisor on an app with the default settings
    opd = await factory.opd()
    boss = await factory.employee(await factory.unor(opd))
    token = await api.login(boss.username, PASSWORD)

    # when the benchmark-only endpoint is asked for
    response = await api.client.get(
        "/api/team-dashboard", headers={"Authorization": f"Bearer {token}"}
    )

    # then it does not exist
    assert response.status_code == 404
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
