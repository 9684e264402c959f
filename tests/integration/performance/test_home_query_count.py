"""The employee's home screen (EmployeeHome) runs a bounded number of SQL statements (issue 22).

The bound is for plain execution (a response-cache miss), authentication included, with every
list of the screen holding rows. Issue 22 asks for at most 10; plain execution is at 28 (31
before the inbox became one statement read once per request), a cache hit runs the 2 of
authentication only. The bound below pins what is reached so far; lower it as it improves.
"""

from __future__ import annotations

from portal.core.db import count_queries, transaction
from portal.mentoring.services import alerts as mentoring
from support.api import Api
from support.factories import PASSWORD, Factory
from support.performance_builders import (
    gid,
    insert_activities,
    insert_approved_skp,
    open_year,
    past_day,
    today,
)

# authentication 2, the current year 1, mySkp 4 (SKP, RHKs, indicators, their progress),
# feedback 6 (inbox, page, count, unread per thread, unread total, openers), notifications 1,
# support offers 1, recommendations 13 (the employee, catalogue, ratings, JP, signals: alerts,
# behaviour, and the indicator gaps re-reading the year, SKP, indicators, RHKs and progress)
MAX_STATEMENTS = 28


async def test_employee_home_runs_a_bounded_number_of_statements(
    api: Api, factory: Factory
) -> None:
    # given an employee with an approved SKP and verified work, feedback threads with unread
    # messages, an open alert (a support offer) and notifications
    annual = await open_year()
    opd = await factory.opd()
    unit = await factory.unor(opd)
    boss = await factory.employee(unit)
    member = await factory.employee(unit, supervisor=boss)
    _, indicators = await insert_approved_skp(member, annual.id, rater_id=boss.id)
    for indicator in indicators:
        await insert_activities(member.id, annual.id, indicator, [past_day(3)], quantity=6.0)
    async with transaction():
        await mentoring.raise_alert(member.id, today(), 0.9, ["Turun"], "v0001")
    boss_token = await api.login(boss.username, PASSWORD)
    for topic in ("Laporan", "Waktu"):
        thread = {
            "employeeId": gid("Employee", member.id),
            "topic": topic,
            "kind": "IMPROVEMENT",
            "body": "Mohon diperbaiki",
        }
        await api.data("OpenFeedbackThread", {"input": thread}, token=boss_token)
    token = await api.login(member.username, PASSWORD)

    # when the employee opens the home screen (the first time: plain execution)
    with count_queries() as counter:
        data = await api.data("EmployeeHome", token=token)

    # then every part is there, within the bound
    assert data["mySkp"]["status"] == "APPROVED"
    assert data["feedbackThreads"]["totalCount"] == 2
    assert data["unreadFeedbackCount"] == 2
    assert len(data["mySupportOffers"]) == 1
    assert data["unreadNotificationCount"] >= 2
    assert counter[0] <= MAX_STATEMENTS
