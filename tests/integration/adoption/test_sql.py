"""The SQL of portal.adoption.sql agrees with the pure definitions of metrics.py.

Given a small random but seeded world (two OPDs, people who joined mid-period, sessions,
invitations, late registrations, activities logged late or verified late around public
holidays), every funnel row and every cohort computed by the database equals what
``metrics.funnel`` and ``metrics.cohort`` compute from the same facts in Python.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from portal.adoption import metrics, sql
from portal.adoption.metrics import PersonFacts
from support.adoption_facts_world import END, START, build
from support.factories import Factory


async def test_funnel_sql_equals_the_pure_definition(factory: Factory) -> None:
    built, _ = await build(factory)
    rows = await sql.funnel_rows(sql.Scope(), START, END)
    by_key = {(r.opd_id, r.week): r.counts for r in rows}
    checked = 0
    for monday in metrics.weeks_between(START, END):
        for opd in set(built.opd_of.values()):
            people = [f for pid, f in built.facts.items() if built.opd_of[pid] == opd]
            expected = metrics.funnel(people, monday)
            if expected.employees == 0:
                assert (opd, monday) not in by_key
                continue
            assert by_key[(opd, monday)] == expected, (opd, monday)
            checked += 1
    assert checked >= 14
    assert any(c.engaged for c in by_key.values())
    assert any(c.weekly_active < c.weekly_active_all for c in by_key.values())


async def test_scoped_funnel_only_covers_the_opd(factory: Factory) -> None:
    built, _ = await build(factory, seed=5)
    opd = min(set(built.opd_of.values()))
    rows = await sql.funnel_rows(sql.Scope(opd_ids=(opd,)), START, END)
    assert rows
    assert {r.opd_id for r in rows} == {opd}


async def test_cohorts_sql_equals_the_pure_definition(factory: Factory) -> None:
    built, program_id = await build(factory, seed=11)
    rows = await sql.cohort_rows(program_id, date(2026, 8, 1))
    groups: dict[date, list[PersonFacts]] = defaultdict(list)
    for facts in built.program_facts.values():
        assert facts.invited_on is not None
        groups[facts.invited_on].append(facts)
    assert [r.session_day for r in rows] == sorted(groups)
    for row in rows:
        assert row.counts == metrics.cohort(groups[row.session_day]), row.session_day
        assert row.weeks_observed == 8
