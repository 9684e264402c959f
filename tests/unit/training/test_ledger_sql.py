"""The rules the training SQL applies are the Python rules of training.ledger.

training/sql.py generates its SQL from ledger's constants; here each SQL predicate is run (on
an in-memory SQLite) over a grid of JP totals, years and dates, and must answer exactly what
``ledger.is_at_risk`` and ``Ledger.reached`` answer. Change either and this fails.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from training import ledger, sql
from training.enums import AssignmentStatus, CourseMode
from training.ledger import JP_RIGHT, LedgerEntry

TODAY = date(2026, 7, 15)
DAYS = [date(2026, 1, 1), date(2026, 3, 31), TODAY, date(2026, 12, 31)]
YEARS = [2025, 2026, 2027]
COMPLETED = [(0, 0), (5, 0), (0, 12), (JP_RIGHT - 1, 0), (12, 8), (JP_RIGHT, 0), (30, 4)]
PLANNED = [(0, 0), (1, 0), (0, 6), (JP_RIGHT, 0), (3, 4)]


def _sql_predicate(expression: str, params: tuple[object, ...], jp: tuple[int, ...]) -> bool:
    """Evaluate a predicate over (ck, cn, pk, pn) with its ``{}`` parameters, as the SQL does."""
    totals = "SELECT ? AS ck, ? AS cn, ? AS pk, ? AS pn"
    query = f"SELECT CASE WHEN {expression} THEN 1 ELSE 0 END FROM ({totals})"  # noqa: S608
    with sqlite3.connect(":memory:") as conn:  # the predicate's parameters come first
        (hit,) = conn.execute(query.replace("{}", "?"), (*params, *jp)).fetchone()
    return bool(hit)


def _ledger(year: int, on: date, jp: tuple[int, ...]) -> ledger.Ledger:
    ck, cn, pk, pn = jp
    entries = [
        LedgerEntry(ck, CourseMode.KLASIKAL, AssignmentStatus.COMPLETED),
        LedgerEntry(cn, CourseMode.NONKLASIKAL, AssignmentStatus.COMPLETED),
        LedgerEntry(pk, CourseMode.KLASIKAL, AssignmentStatus.ASSIGNED),
        LedgerEntry(pn, CourseMode.NONKLASIKAL, AssignmentStatus.ENROLLED),
    ]
    return ledger.compute(entries, year=year, today=on)


@pytest.mark.parametrize("on", DAYS)
@pytest.mark.parametrize("year", YEARS)
def test_at_risk_sql_is_the_ledger_rule(year: int, on: date) -> None:
    for ck, cn in COMPLETED:
        for pk, pn in PLANNED:
            expected = ledger.is_at_risk(ck + cn, pk + pn, year, on)
            params = sql.at_risk_params(year, on)
            jp = (ck, cn, pk, pn)
            assert _sql_predicate(sql.AT_RISK, params, jp) == expected, (year, on, jp)
            assert _ledger(year, on, jp).at_risk == expected


def test_reached_sql_is_the_ledger_rule() -> None:
    for ck, cn in COMPLETED:
        jp = (ck, cn, 0, 0)
        assert _sql_predicate(sql.REACHED, (), jp) == _ledger(2026, TODAY, jp).reached, jp


def test_the_norm_in_the_sql_comes_from_the_ledger_constant() -> None:
    assert str(JP_RIGHT) in sql.AT_RISK
    assert str(JP_RIGHT) in sql.REACHED
    assert "20" not in sql.AT_RISK.replace(str(JP_RIGHT), "")


def test_the_sql_spells_no_assignment_status_itself() -> None:
    # statuses inside the SQL come from training.enums (a renamed value cannot drift from it)
    source = Path(sql.__file__).read_text(encoding="utf-8")
    assert re.findall(r"status\\?\"?\s*(?:=|<>)\s*'[A-Z_]+'", source) == []
    assert f"'{AssignmentStatus.COMPLETED.value}'" in sql._PEERS
