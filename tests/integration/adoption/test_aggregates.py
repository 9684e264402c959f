"""The funnel read from the maintained aggregates equals the funnel computed from scratch.

The world of :mod:`support.adoption_facts_world` is bulk-written (no hook ran), so the first
read fills the aggregates in (the reader's repair). Then rounds of random writes: activities
logged, verified, rejected, withdrawn, moved to another date (each followed by the hook the
performance domain calls in its write transaction), check-ins and changed start days (which
the reader's repair catches); after every round the incremental funnel equals
``sql.funnel_rows`` computed from the activity rows, for the city, one OPD and one unit.
"""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

from portal.adoption import sql
from portal.adoption.services import aggregates, dashboard
from portal.adoption.tables import Attendance, EmployeeWeek, Session
from portal.core.db import transaction
from portal.people.tables import Employee
from portal.performance.tables import Activity, Period
from support.adoption_facts_world import END, START, build, wib
from support.factories import Factory


async def _funnels_agree(scope: sql.Scope) -> int:
    incremental = await dashboard.funnel_rows(scope, START, END)
    scratch = await sql.funnel_rows(scope, START, END)
    assert incremental == scratch
    return len(scratch)


async def _all_agree() -> None:
    assert await _funnels_agree(sql.Scope()) > 0
    (row,) = await Employee.select(Employee.opd, Employee.unor).limit(1)
    await _funnels_agree(sql.Scope(opd_ids=(row["opd"],)))
    await _funnels_agree(sql.Scope(opd_ids=(row["opd"],), unit_ids=(row["unor"],)))


async def _random_writes(rng: random.Random, period_id: int, round_no: int) -> None:
    people = [r["id"] for r in await Employee.select(Employee.id)]
    acts = await Activity.select(
        Activity.id, Activity.employee, Activity.activity_date, Activity.status
    )
    for n in range(12):
        kind = rng.choice(("log", "log", "verify", "reject", "withdraw", "move"))
        async with transaction():
            if kind == "log":
                emp = rng.choice(people)
                day = START + timedelta(days=rng.randrange((END - START).days))
                logged = wib(day, rng.choice((7, 15, 22))) + timedelta(days=rng.choice((0, 2, 9)))
                await Activity.insert(
                    Activity(
                        employee=emp,
                        period=period_id,
                        activity_date=day,
                        description="Kerja",
                        status="SUBMITTED",
                        idempotency_key=f"r{round_no}-{n}",
                        logged_at=logged,
                    )
                )
                await aggregates.activities_changed({emp: [day]})
                continue
            a = rng.choice(acts)
            emp, day = a["employee"], a["activity_date"]
            if kind in ("verify", "reject"):
                verified_at = wib(day, 10) + timedelta(days=rng.choice((0, 1, 4, 8)))
                status = "VERIFIED" if kind == "verify" else "REJECTED"
                await Activity.update(
                    {Activity.status: status, Activity.verified_at: verified_at}
                ).where(Activity.id == a["id"])
                await aggregates.activities_changed({emp: [day]})
            elif kind == "withdraw":
                await Activity.update({Activity.status: "WITHDRAWN"}).where(Activity.id == a["id"])
                await aggregates.activities_changed({emp: [day]})
            else:
                moved = day + timedelta(days=rng.choice((-9, -1, 1, 3, 15)))
                await Activity.update({Activity.activity_date: moved}).where(Activity.id == a["id"])
                await aggregates.activities_changed({emp: [day, moved]})
    # writes outside the performance domain, which the reader's repair catches
    sessions = [r["id"] for r in await Session.select(Session.id)]
    attended = {r["employee"] for r in await Attendance.select(Attendance.employee)}
    absent = [p for p in people if p not in attended]
    if absent:
        await Attendance.insert(Attendance(session=rng.choice(sessions), employee=absent[0]))
    hired = START + timedelta(days=rng.randrange(40))
    await Employee.update({Employee.hired_on: hired}).where(Employee.id == rng.choice(people))


async def test_incremental_funnel_equals_the_funnel_from_scratch(factory: Factory) -> None:
    await build(factory, seed=17)
    (period,) = await Period.select(Period.id)
    rng = random.Random(22)

    # the first read fills in every employee (bulk-written, no hook ran)
    assert await EmployeeWeek.count() == 0
    await _all_agree()
    assert await EmployeeWeek.count() > 0

    for round_no in range(4):
        await _random_writes(rng, period["id"], round_no)
        await _all_agree()

    # and a rebuild from scratch leaves the same numbers
    before = await dashboard.funnel_rows(sql.Scope(), START, END)
    assert await aggregates.rebuild() == await Employee.count()
    assert await dashboard.funnel_rows(sql.Scope(), START, END) == before


async def test_a_write_recomputes_only_its_employee_and_weeks(factory: Factory) -> None:
    built, _ = await build(factory, seed=5)
    await dashboard.funnel_rows(sql.Scope(), START, END)
    emp = min(built.facts)
    rows = await EmployeeWeek.select(EmployeeWeek.id, EmployeeWeek.employee, EmployeeWeek.wk)
    (act,) = await (
        Activity.select(Activity.id, Activity.activity_date)
        .where((Activity.employee == emp) & (Activity.status != "VERIFIED"))
        .limit(1)
    )
    day = act["activity_date"]
    monday = day - timedelta(days=day.weekday())

    # when one activity of one employee is verified
    async with transaction():
        await Activity.update(
            {Activity.status: "VERIFIED", Activity.verified_at: wib(day, 9)}
        ).where(Activity.id == act["id"])
        await aggregates.activities_changed({emp: [day]})

    # then the rows of every other employee and week are the same rows (same ids)
    after = await EmployeeWeek.select(EmployeeWeek.id, EmployeeWeek.employee, EmployeeWeek.wk)
    untouched = {
        (r["employee"], r["wk"]): r["id"]
        for r in rows
        if not (r["employee"] == emp and r["wk"] == monday)
    }
    now = {(r["employee"], r["wk"]): r["id"] for r in after}
    assert {k: now.get(k) for k in untouched} == untouched
    assert await sql.funnel_rows(sql.Scope(), START, END) == await dashboard.funnel_rows(
        sql.Scope(), START, END
    )


async def test_concurrent_writers_of_one_employee_leave_exact_aggregates(factory: Factory) -> None:
    # given a world whose aggregates are filled in
    built, _ = await build(factory, seed=9)
    (period,) = await Period.select(Period.id)
    await dashboard.funnel_rows(sql.Scope(), START, END)
    emp = min(built.facts)
    day = START + timedelta(days=8)
    pending = await Activity.select(Activity.id).where(
        (Activity.employee == emp) & (Activity.status != "VERIFIED")
    )

    async def log(n: int) -> None:
        async with transaction():
            await Activity.insert(
                Activity(
                    employee=emp,
                    period=period["id"],
                    activity_date=day + timedelta(days=n % 3),
                    description="Kerja",
                    status="SUBMITTED",
                    idempotency_key=f"c-{n}",
                    logged_at=wib(day, 8) + timedelta(days=n % 3),
                )
            )
            await asyncio.sleep(0.01)  # the other writers run meanwhile
            await aggregates.activities_changed({emp: [day + timedelta(days=n % 3)]})

    async def verify(activity_id: int) -> None:
        async with transaction():
            await Activity.update(
                {Activity.status: "VERIFIED", Activity.verified_at: wib(day, 12)}
            ).where(Activity.id == activity_id)
            (row,) = await Activity.select(Activity.activity_date).where(Activity.id == activity_id)
            await asyncio.sleep(0.01)
            await aggregates.activities_changed({emp: [row["activity_date"]]})

    # when several transactions write the same employee's activities at once
    await asyncio.gather(*(log(n) for n in range(6)), *(verify(r["id"]) for r in pending[:6]))

    # then the aggregates are exact: recomputing that employee changes nothing
    incremental = await dashboard.funnel_rows(sql.Scope(), START, END)
    assert incremental == await sql.funnel_rows(sql.Scope(), START, END)
    assert await Activity.count().where(Activity.idempotency_key.like("c-%")) == 6
