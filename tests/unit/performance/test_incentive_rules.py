"""The incentive table's pure parts: apply_rules, validation, and the CSV/XLSX writers."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from portal.core.errors import DomainError
from portal.performance.enums import Predikat
from portal.performance.evaluation.services.incentives import (
    IncentiveRow,
    IncentiveRuleRow,
    apply_rules,
    default_rules,
    to_csv,
    to_xlsx,
    validate_rules,
)

SB, B, BP, KM, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG_MISCONDUCT,
    Predikat.SANGAT_KURANG,
)


@pytest.mark.parametrize(
    ("predikat", "share", "factor", "award"),
    [
        (SB, 0.95, 1.0, True),
        (SB, 0.8, 1.0, True),  # the threshold itself is reached
        (SB, 0.79, 1.0, False),
        (SB, None, 1.0, False),  # nothing logged reaches only the base rule
        (B, 0.5, 1.0, False),
        (B, 0.49, 0.95, False),
        (B, None, 0.95, False),
        (BP, 1.0, 0.8, False),
        (KM, 0.3, 0.6, False),
        (SK, 0.0, 0.4, False),
    ],
)
def test_default_table(predikat: Predikat, share: float | None, factor: float, award: bool) -> None:
    got_factor, got_award, rule = apply_rules(default_rules(), predikat, share)
    assert (got_factor, got_award) == (factor, award)
    assert rule is not None
    assert rule.predikat is predikat


def test_the_highest_threshold_reached_wins_whatever_the_order() -> None:
    rules = [
        IncentiveRuleRow(B, 0.9, 1.1, award_eligible=True),
        IncentiveRuleRow(B, 0.0, 0.9, award_eligible=False),
        IncentiveRuleRow(B, 0.6, 1.0, award_eligible=False),
        IncentiveRuleRow(SB, 0.7, 2.0, award_eligible=True),
    ]
    assert apply_rules(rules, B, 0.95)[:2] == (1.1, True)
    assert apply_rules(rules, B, 0.75)[:2] == (1.0, False)
    assert apply_rules(rules, B, 0.1)[:2] == (0.9, False)
    assert apply_rules(list(reversed(rules)), B, 0.75)[:2] == (1.0, False)


def test_no_rule_for_the_predikat_gives_no_factor() -> None:
    rules = [IncentiveRuleRow(SB, 0.5, 1.0, award_eligible=True)]
    assert apply_rules(rules, B, 1.0) == (None, False, None)
    assert apply_rules(rules, SB, 0.4) == (None, False, None)
    assert apply_rules(rules, SB, float("nan")) == (None, False, None)


@given(
    predikat=st.sampled_from(list(Predikat)),
    share=st.none() | st.floats(min_value=0, max_value=1),
)
def test_a_valid_table_always_gives_a_factor_in_range(
    predikat: Predikat, share: float | None
) -> None:
    factor, _, rule = apply_rules(validate_rules(default_rules()), predikat, share)
    assert factor is not None
    assert 0 <= factor <= 2
    assert rule is not None
    assert rule.min_verified_share <= (share or 0)


def test_validation_lists_every_problem() -> None:
    bad = [
        IncentiveRuleRow(SB, 0.0, 2.5, award_eligible=True),
        IncentiveRuleRow(SB, 0.0, 1.0, award_eligible=True),
        IncentiveRuleRow(B, -0.1, 1.0, award_eligible=False),
        IncentiveRuleRow(BP, 0.0, float("inf"), award_eligible=False, note="x" * 501),
    ]
    with pytest.raises(DomainError) as caught:
        validate_rules(bad)
    found = sorted((e.code, e.field) for e in caught.value.errors)
    assert found == [
        ("DUPLICATE_RULE", "rules.1"),
        ("INVALID_LENGTH", "rules.3.note"),
        ("INVALID_SHARE", "rules.2.minVerifiedShare"),
        ("INVALID_TPP_FACTOR", "rules.0.tppFactor"),
        ("INVALID_TPP_FACTOR", "rules.3.tppFactor"),
        ("MISSING_BASE_RULE", "rules"),
        ("MISSING_BASE_RULE", "rules"),
        ("MISSING_BASE_RULE", "rules"),
    ]
    with pytest.raises(DomainError):
        validate_rules([])


def _row(name: str, share: float | None) -> IncentiveRow:
    return IncentiveRow(
        evaluation_id=1,
        employee_id=1,
        nip="198501012010032001",
        name=name,
        jabatan="Perawat",
        unit="+Puskesmas",
        predikat=BP,
        verified_share=share,
        tpp_factor=0.8,
        award_eligible=False,
    )


def test_writers_keep_nip_as_text_and_defuse_formulas() -> None:
    rows = [_row('=HYPERLINK("http://x")', 0.123456), _row("@Sum", None)]
    lines = list(csv.reader(io.StringIO(to_csv(rows))))
    assert lines[1][:4] == [
        "198501012010032001",
        '\'=HYPERLINK("http://x")',
        "Perawat",
        "'+Puskesmas",
    ]
    assert lines[1][5] == "0.1235"
    assert lines[2][1] == "'@Sum"
    assert lines[2][5] == ""
    sheet = load_workbook(io.BytesIO(to_xlsx(rows))).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert values[0][0] == "198501012010032001"
    assert values[0][1] == '\'=HYPERLINK("http://x")'
    assert sheet.cell(2, 1).data_type == "s"


def test_quantity_targets_are_pro_rated_to_the_evaluation_period() -> None:
    from portal.performance.enums import Aspect
    from portal.performance.rules import period_target

    assert period_target(1200.0, Aspect.KUANTITAS, 0.25) == 300.0
    # levels (quality, time, cost) apply whole in every period
    for aspect in (Aspect.KUALITAS, Aspect.WAKTU, Aspect.BIAYA):
        assert period_target(85.0, aspect, 0.25) == 85.0
