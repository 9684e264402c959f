"""Follow-up of a period's predikat: TPP factors, awards, payroll exports, development plans.

The incentive table (:class:`~portal.performance.tables.IncentiveRule`) maps a predikat, and
optionally a minimum share of verified activity, to a TPP performance factor and award
eligibility. It is the city's to set (BKPSDM edits it through ``setIncentiveRules``); until it
does, :func:`default_rules` applies. The most specific rule wins: for the employee's predikat,
the rule with the highest ``min_verified_share`` the employee reaches (:func:`apply_rules`).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from piccolo.query.functions.aggregate import Count

from portal.core import audit
from portal.core.auth import Viewer
from portal.core.db import id_in, transaction
from portal.core.errors import DomainError, FieldError, NotFoundError
from portal.people.services import directory as people
from portal.performance import policy, sql
from portal.performance.enums import ActivityStatus, EvaluationStatus, Predikat, Rating
from portal.performance.evaluation.services import combined, evaluations
from portal.performance.planning.services import periods
from portal.performance.rows import PeriodRow
from portal.performance.tables import Activity, Evaluation, IncentiveRule

MAX_RULES = 50
MAX_NOTE = 500
MAX_TPP_FACTOR = 2.0

# Predikat that call for a development plan (DESIGN.md §3 "Follow-up").
DEVELOPMENT_PREDIKAT = (
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG_MISCONDUCT,
    Predikat.SANGAT_KURANG,
)
DEVELOPMENT_PLAN = {
    Predikat.BUTUH_PERBAIKAN: "Coaching oleh atasan dan pelatihan sesuai kesenjangan kinerja",
    Predikat.KURANG_MISCONDUCT: "Konseling dan mentoring perilaku kerja (BerAKHLAK)",
    Predikat.SANGAT_KURANG: "Rencana perbaikan kinerja: coaching, mentoring dan pelatihan",
}

CSV_HEADER = (
    "nip",
    "nama",
    "jabatan",
    "unit_kerja",
    "predikat",
    "porsi_aktivitas_terverifikasi",
    "faktor_tpp",
    "layak_penghargaan",
)


@dataclass(frozen=True, slots=True)
class IncentiveRuleRow:
    """One rule of the incentive table."""

    predikat: Predikat
    min_verified_share: float
    tpp_factor: float
    award_eligible: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class IncentiveRow:
    """One employee's line of the payroll export."""

    evaluation_id: int
    employee_id: int
    nip: str
    name: str
    jabatan: str
    unit: str
    predikat: Predikat
    verified_share: float | None
    tpp_factor: float | None
    award_eligible: bool


@dataclass(frozen=True, slots=True)
class DevelopmentCandidate:
    """An employee whose FINAL predikat calls for a development plan."""

    evaluation_id: int
    employee_id: int
    period_id: int
    predikat: Predikat
    hasil_rating: Rating | None
    perilaku_rating: Rating | None
    plan: str


def default_rules() -> list[IncentiveRuleRow]:
    """A sensible starting table; the real factors are the city's to set (BKPSDM).

    SANGAT_BAIK keeps the full TPP and is award-eligible from 80 % verified activity; BAIK
    keeps the full TPP from 50 % verified activity (0.95 below); BUTUH_PERBAIKAN 0.8,
    KURANG_MISCONDUCT 0.6, SANGAT_KURANG 0.4.
    """
    return [
        IncentiveRuleRow(Predikat.SANGAT_BAIK, 0.0, 1.0, award_eligible=False),
        IncentiveRuleRow(
            Predikat.SANGAT_BAIK, 0.8, 1.0, award_eligible=True, note="Layak penghargaan"
        ),
        IncentiveRuleRow(
            Predikat.BAIK, 0.0, 0.95, award_eligible=False, note="Aktivitas terverifikasi < 50 %"
        ),
        IncentiveRuleRow(Predikat.BAIK, 0.5, 1.0, award_eligible=False),
        IncentiveRuleRow(Predikat.BUTUH_PERBAIKAN, 0.0, 0.8, award_eligible=False),
        IncentiveRuleRow(Predikat.KURANG_MISCONDUCT, 0.0, 0.6, award_eligible=False),
        IncentiveRuleRow(Predikat.SANGAT_KURANG, 0.0, 0.4, award_eligible=False),
    ]


def apply_rules(
    rules: Sequence[IncentiveRuleRow], predikat: Predikat, verified_share: float | None
) -> tuple[float | None, bool, IncentiveRuleRow | None]:
    """The TPP factor and award eligibility the table gives a predikat and verified share.

    Args:
        rules: The incentive table.
        predikat: The employee's FINAL predikat.
        verified_share: Verified / all logged activities in the period; ``None`` (nothing
            logged) reaches only rules with a minimum share of 0.

    Returns:
        ``(tpp_factor, award_eligible, rule)`` of the most specific rule reached (highest
        ``min_verified_share``); ``(None, False, None)`` when no rule covers the predikat.
    """
    share = verified_share if verified_share is not None and math.isfinite(verified_share) else 0
    reached = [r for r in rules if r.predikat is predikat and r.min_verified_share <= share]
    if not reached:
        return None, False, None
    best = max(reached, key=lambda r: r.min_verified_share)
    return best.tpp_factor, best.award_eligible, best


_ORDER = {p: n for n, p in enumerate(Predikat)}


def _sorted(rules: Sequence[IncentiveRuleRow]) -> list[IncentiveRuleRow]:
    return sorted(rules, key=lambda r: (_ORDER[r.predikat], r.min_verified_share))


async def list_rules() -> list[IncentiveRuleRow]:
    """The stored table, or :func:`default_rules` while BKPSDM has not set one."""
    rows = await IncentiveRule.select(
        IncentiveRule.predikat,
        IncentiveRule.min_verified_share,
        IncentiveRule.tpp_factor,
        IncentiveRule.award_eligible,
        IncentiveRule.note,
    )
    if not rows:
        return default_rules()
    return _sorted(
        [
            IncentiveRuleRow(
                predikat=Predikat(r["predikat"]),
                min_verified_share=float(r["min_verified_share"]),
                tpp_factor=float(r["tpp_factor"]),
                award_eligible=bool(r["award_eligible"]),
                note=r["note"] or "",
            )
            for r in rows
        ]
    )


def validate_rules(rules: Sequence[IncentiveRuleRow]) -> list[IncentiveRuleRow]:
    """Check a whole table; every predikat needs a base rule (minimum share 0)."""
    errors: list[FieldError] = []
    if not 1 <= len(rules) <= MAX_RULES:
        errors.append(
            FieldError("INVALID_RULES", f"Tabel memerlukan 1-{MAX_RULES} aturan", "rules")
        )
    seen: set[tuple[Predikat, float]] = set()
    cleaned = []
    for n, rule in enumerate(rules):
        share, factor = rule.min_verified_share, rule.tpp_factor
        if not (math.isfinite(share) and 0 <= share <= 1):
            errors.append(
                FieldError(
                    "INVALID_SHARE",
                    "Porsi aktivitas terverifikasi harus antara 0 dan 1",
                    f"rules.{n}.minVerifiedShare",
                )
            )
        if not (math.isfinite(factor) and 0 <= factor <= MAX_TPP_FACTOR):
            errors.append(
                FieldError(
                    "INVALID_TPP_FACTOR",
                    f"Faktor TPP harus antara 0 dan {MAX_TPP_FACTOR:g}",
                    f"rules.{n}.tppFactor",
                )
            )
        note = rule.note.strip()
        if len(note) > MAX_NOTE:
            errors.append(
                FieldError(
                    "INVALID_LENGTH",
                    f"Catatan paling banyak {MAX_NOTE} karakter",
                    f"rules.{n}.note",
                )
            )
        if (rule.predikat, share) in seen:
            errors.append(
                FieldError(
                    "DUPLICATE_RULE",
                    "Aturan dengan predikat dan porsi minimum yang sama sudah ada",
                    f"rules.{n}",
                )
            )
        seen.add((rule.predikat, share))
        cleaned.append(
            IncentiveRuleRow(rule.predikat, float(share), float(factor), rule.award_eligible, note)
        )
    covered = {p for p, share in seen if share == 0}
    errors.extend(
        FieldError(
            "MISSING_BASE_RULE",
            f"Predikat {p.label} memerlukan aturan dengan porsi minimum 0",
            "rules",
        )
        for p in Predikat
        if p not in covered
    )
    if errors:
        raise DomainError(*errors)
    return _sorted(cleaned)


async def replace_rules(
    viewer: Viewer, rules: Sequence[IncentiveRuleRow]
) -> list[IncentiveRuleRow]:
    """Replace the whole incentive table atomically (BKPSDM); audited with before and after."""
    policy.require_bkpsdm(viewer)
    cleaned = validate_rules(rules)
    async with transaction():
        await sql.lock_incentive_rules()  # two concurrent replaces must not leave both behind
        before = await list_rules()
        await IncentiveRule.delete(force=True)
        await IncentiveRule.insert(
            *(
                IncentiveRule(
                    predikat=r.predikat.value,
                    min_verified_share=r.min_verified_share,
                    tpp_factor=r.tpp_factor,
                    award_eligible=r.award_eligible,
                    note=r.note,
                )
                for r in cleaned
            )
        )
        await audit.record(
            account_id=viewer.account_id,
            action="INCENTIVE_RULES_REPLACED",
            entity_type="IncentiveRule",
            before={"rules": [_rule_json(r) for r in before]},
            after={"rules": [_rule_json(r) for r in cleaned]},
        )
    return await list_rules()


def _rule_json(rule: IncentiveRuleRow) -> dict[str, object]:
    return {
        "predikat": rule.predikat.value,
        "min_verified_share": rule.min_verified_share,
        "tpp_factor": rule.tpp_factor,
        "award_eligible": rule.award_eligible,
        "note": rule.note,
    }


async def _period(period_id: int) -> PeriodRow:
    try:
        return await periods.get_period(period_id)
    except NotFoundError as exc:
        raise NotFoundError("Period", "periodId") from exc


async def verified_shares(
    employee_ids: Sequence[int], period: PeriodRow
) -> dict[int, tuple[int, int]]:
    """(verified, logged) activity counts of each employee within the period (one GROUP BY)."""
    if not employee_ids:
        return {}
    rows = await (
        Activity.select(
            Activity.employee.as_alias("employee_id"),
            Activity.status,
            Count(Activity.id, alias="n"),
        )
        .where(
            id_in(Activity.employee, employee_ids)
            & (Activity.status != ActivityStatus.WITHDRAWN.value)
            & (Activity.activity_date >= period.starts_on)
            & (Activity.activity_date <= period.ends_on)
        )
        .group_by(Activity.employee, Activity.status)
    )
    result: dict[int, tuple[int, int]] = {}
    for r in rows:
        verified, total = result.get(r["employee_id"], (0, 0))
        n = int(r["n"])
        if r["status"] == ActivityStatus.VERIFIED:
            verified += n
        result[r["employee_id"]] = (verified, total + n)
    return result


async def require_incentive_export(viewer: Viewer, period_id: int, opd_id: int) -> PeriodRow:
    """The period, when the viewer may export the OPD's incentive lines for it (else raise)."""
    policy.require_admin_of(viewer, opd_id)
    period = await _period(period_id)
    (opd,) = await people.opds_by_ids([opd_id])
    if opd is None:
        raise NotFoundError("Opd", "opdId")
    return period


async def incentive_rows(viewer: Viewer, period_id: int, opd_id: int) -> list[IncentiveRow]:
    """The payroll lines of an OPD's FINAL evaluations for a period (an admin of the OPD)."""
    period = await require_incentive_export(viewer, period_id, opd_id)
    evaluated = await Evaluation.select(
        Evaluation.id,
        Evaluation.employee.as_alias("employee_id"),
        Evaluation.predikat,
        Evaluation.combined_predikat,
    ).where(
        (Evaluation.opd == opd_id)
        & (Evaluation.period == period_id)
        & (Evaluation.status == EvaluationStatus.FINAL.value)
        & combined.counted()  # a year split by a mutasi: one line, the combined predikat
    )
    employee_ids = [r["employee_id"] for r in evaluated]
    employees = {e.id: e for e in await people.employees_by_ids(employee_ids) if e}
    units = {
        u.id: u
        for u in await people.unors_by_ids(sorted({e.unor_id for e in employees.values()}))
        if u
    }
    shares = await verified_shares(employee_ids, period)
    table = await list_rules()
    result = []
    for r in evaluated:
        employee = employees.get(r["employee_id"])
        if employee is None:  # pragma: no cover - cascaded away with the employee
            continue
        predikat = Predikat(combined.effective_predikat(r["predikat"], r["combined_predikat"]))
        verified, total = shares.get(employee.id, (0, 0))
        share = verified / total if total else None
        factor, award, _ = apply_rules(table, predikat, share)
        unit = units.get(employee.unor_id)
        result.append(
            IncentiveRow(
                evaluation_id=r["id"],
                employee_id=employee.id,
                nip=employee.nip,
                name=employee.name,
                jabatan=employee.jabatan_name,
                unit=unit.name if unit else "",
                predikat=predikat,
                verified_share=share,
                tpp_factor=factor,
                award_eligible=award,
            )
        )
    return sorted(result, key=lambda row: (row.unit, row.name, row.nip))


def _rating(value: str | None) -> Rating | None:
    return Rating(value) if value else None


async def development_candidates(
    viewer: Viewer, period_id: int, opd_id: int | None
) -> list[DevelopmentCandidate]:
    """Employees with a FINAL predikat of Butuh Perbaikan or worse, within the viewer's scope.

    Admins see their OPDs (BKPSDM: all, or ``opd_id``); supervisors their chain of reports.
    """
    await _period(period_id)
    query = Evaluation.select(
        Evaluation.id,
        Evaluation.employee.as_alias("employee_id"),
        Evaluation.predikat,
        Evaluation.hasil_rating,
        Evaluation.perilaku_rating,
        Evaluation.combined_hasil,
        Evaluation.combined_perilaku,
        Evaluation.combined_predikat,
    ).where(
        (Evaluation.period == period_id)
        & (Evaluation.status == EvaluationStatus.FINAL.value)
        & combined.counted()
    )
    wanted = [p.value for p in DEVELOPMENT_PREDIKAT]
    query = query.where(
        (Evaluation.combined_predikat.is_null() & Evaluation.predikat.is_in(wanted))
        | Evaluation.combined_predikat.is_in(wanted)
    )
    scope = await evaluations.scope_clause(viewer)
    if scope is not None:
        query = query.where(scope)
    if opd_id is not None:
        query = query.where(Evaluation.opd == opd_id)
    rows = await query.order_by(Evaluation.id)
    return sorted(
        (
            DevelopmentCandidate(
                evaluation_id=r["id"],
                employee_id=r["employee_id"],
                period_id=period_id,
                predikat=Predikat(r["combined_predikat"] or r["predikat"]),
                hasil_rating=_rating(r["combined_hasil"] or r["hasil_rating"]),
                perilaku_rating=_rating(r["combined_perilaku"] or r["perilaku_rating"]),
                plan=DEVELOPMENT_PLAN[Predikat(r["combined_predikat"] or r["predikat"])],
            )
            for r in rows
        ),
        key=lambda c: (-_ORDER[c.predikat], c.employee_id),
    )


# --- exports ---------------------------------------------------------------------------------


def _safe(text: str) -> str:
    """Defuse spreadsheet formula injection in free text (names, units)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _cells(row: IncentiveRow) -> list[object]:
    return [
        row.nip,
        _safe(row.name),
        _safe(row.jabatan),
        _safe(row.unit),
        row.predikat.label,
        None if row.verified_share is None else round(row.verified_share, 4),
        row.tpp_factor,
        "YA" if row.award_eligible else "TIDAK",
    ]


def to_csv(rows: Sequence[IncentiveRow]) -> str:
    """The payroll export as CSV (UTF-8 text, comma-separated, header first)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(["" if c is None else c for c in _cells(row)])
    return out.getvalue()


def to_xlsx(rows: Sequence[IncentiveRow]) -> bytes:
    """The payroll export as an XLSX workbook (NIP kept as text, shares as percentages)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Insentif"
    sheet.append(list(CSV_HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(_cells(row))
        line = sheet.max_row
        sheet.cell(line, 1).number_format = "@"  # 18-digit NIPs must not become floats
        sheet.cell(line, 6).number_format = "0.0%"
    for column, width in zip("ABCDEFGH", (22, 32, 32, 32, 18, 16, 12, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
