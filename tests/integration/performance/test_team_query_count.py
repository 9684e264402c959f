"""The supervisor's team view issues a constant number of SQL queries (no N+1).

Each team member has an approved SKP with two indicators, verified activities toward both and
one activity awaiting verification; the data is written straight into the tables for speed.
"""

from __future__ import annotations

from portal.core.db import count_queries
from portal.performance.enums import ActivityStatus
from support.api import Api
from support.factories import PASSWORD, Factory
from support.performance_builders import (
    gid,
    insert_activities,
    insert_approved_skp,
    open_year,
    past_day,
)

VERIFIED_DAYS = 3  # verified activities per indicator, 2 units each
DAYS = [past_day(n) for n in range(2, 2 + VERIFIED_DAYS)]


async def _team_queries(api: Api, factory: Factory, period_id: int, size: int) -> int:
    # given a supervisor with ``size`` subordinates, each with SKP, indicators and activities
    opd = await factory.opd()
    unit = await factory.unor(opd)
    boss = await factory.employee(unit)
    members = []
    for _ in range(size):
        member = await factory.employee(unit, supervisor=boss, account=False)
        _, indicators = await insert_approved_skp(member, period_id, rater_id=boss.id)
        for indicator_id in indicators:
            await insert_activities(
                member.id, period_id, indicator_id, DAYS, quantity=2.0, verifier_id=boss.id
            )
        await insert_activities(
            member.id,
            period_id,
            indicators[0],
            [past_day(1)],
            quantity=5.0,
            status=ActivityStatus.SUBMITTED,
            key_prefix="pending",
        )
        members.append(member)
    token = await api.login(boss.username, PASSWORD)

    # when the supervisor opens the team view
    with count_queries() as counter:
        data = await api.data("TeamProgress", token=token)

    # then every member is there with correct numbers (only verified work counts)
    team = data["teamProgress"]
    assert sorted(m["employee"]["id"] for m in team) == sorted(
        gid("Employee", m.id) for m in members
    )
    for member in team:
        assert member["skp"]["status"] == "APPROVED"
        assert member["pendingVerificationCount"] == 1
        assert member["lastActivityDate"] == past_day(1).isoformat()
        assert [i["verifiedQuantity"] for i in member["indicators"]] == [2.0 * VERIFIED_DAYS] * 2
        assert member["averageProgress"] == 2.0 * VERIFIED_DAYS / 100
    return counter[0]


async def test_team_progress_query_count_does_not_grow_with_the_team(
    api: Api, factory: Factory
) -> None:
    annual = await open_year()
    small = await _team_queries(api, factory, annual.id, 5)
    large = await _team_queries(api, factory, annual.id, 50)
    assert small > 0, (small, large)
    assert small == large


async def test_indirect_team_view_query_count_is_constant_too(api: Api, factory: Factory) -> None:
    annual = await open_year()
    counts = []
    for size in (2, 12):
        opd = await factory.opd()
        unit = await factory.unor(opd)
        head = await factory.employee(unit)
        for _ in range(size):
            boss = await factory.employee(unit, supervisor=head, account=False)
            member = await factory.employee(unit, supervisor=boss, account=False)
            for person in (boss, member):
                _, indicators = await insert_approved_skp(person, annual.id, rater_id=None)
                await insert_activities(person.id, annual.id, indicators[1], DAYS)
        token = await api.login(head.username, PASSWORD)
        with count_queries() as counter:
            data = await api.data("TeamProgress", {"directOnly": False}, token=token)
        assert len(data["teamProgress"]) == 2 * size
        assert all(
            [i["verifiedQuantity"] for i in m["indicators"]] == [0.0, float(VERIFIED_DAYS)]
            for m in data["teamProgress"]
        )
        counts.append(counter[0])
    assert counts[0] == counts[1]
