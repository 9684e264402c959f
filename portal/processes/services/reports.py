"""Period reports for BKPSDM (issue 20): the predikat recap and completion monitoring.

* **Rekap predikat**: FINAL evaluations of a period per OPD and predikat, with each OPD's
  shares and organisational predikat checked against the distribution curve
  (:func:`portal.performance.rules.check_curve`), and the city-wide total.
* **Monitoring kelengkapan**: per OPD, active employees without an approved SKP for the year,
  without an activity logged in the last seven days (city calendar), and without a FINAL
  evaluation for the period; and the list of those employees.

Rows are scoped per role: ADMIN_BKPSDM sees the city, ADMIN_OPD their OPDs, nobody else.
Each report is also a CSV, XLSX and PDF download (:mod:`portal.processes.http`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from portal.core import clock
from portal.core.auth import Viewer
from portal.core.errors import NotFoundError, PermissionDeniedError
from portal.people import facts as people_facts
from portal.people.services import directory as people
from portal.performance import facts as performance_facts
from portal.performance import rules
from portal.performance.enums import OrgPredikat, Predikat, SkpStatus
from portal.performance.planning.services import periods
from portal.performance.rows import PeriodRow

QUIET_DAYS = 7
CITY_LABEL = "Seluruh OPD"


@dataclass(frozen=True, slots=True)
class RecapRow:
    """One OPD's predikat distribution (``opd_id`` None: the total of the rows above)."""

    opd_id: int | None
    opd_name: str
    counts: dict[Predikat, int]
    shares: dict[Predikat, float]
    total: int
    org_predikat: OrgPredikat | None
    violations: list[str]


@dataclass(frozen=True, slots=True)
class CompletionRow:
    """One OPD's completion counts (``opd_id`` None: the total)."""

    opd_id: int | None
    opd_name: str
    employees: int
    without_skp: int
    not_logging: int
    not_evaluated: int


@dataclass(frozen=True, slots=True)
class GapRow:
    """An employee with at least one gap."""

    id: int
    employee_id: int
    nip: str
    name: str
    opd_name: str
    skp_status: str | None
    logged_recently: bool
    evaluated: bool


def _scope(viewer: Viewer) -> frozenset[int] | None:
    """OPDs the viewer reports on (None: the whole city)."""
    if viewer.is_bkpsdm:
        return None
    if viewer.admin_opd_ids:
        return viewer.admin_opd_ids
    raise PermissionDeniedError("Laporan periode hanya untuk admin BKPSDM dan admin OPD")


async def _period(period_id: int) -> PeriodRow:
    try:
        return await periods.get_period(period_id)
    except NotFoundError as exc:
        raise NotFoundError("Period", "periodId") from exc


async def _opds(viewer: Viewer) -> list[tuple[int, str, str]]:
    """(id, code, name) of the OPDs in the viewer's scope, by name."""
    scope = _scope(viewer)
    return [
        (o.id, o.code, o.name) for o in await people.list_opds() if scope is None or o.id in scope
    ]


async def predikat_recap(viewer: Viewer, period_id: int) -> list[RecapRow]:
    """Per OPD of the viewer's scope, then the total ("Seluruh OPD")."""
    opds = await _opds(viewer)
    await _period(period_id)
    counts = await performance_facts.final_predikat_counts(period_id)
    orgs = await performance_facts.org_predikats(period_id)
    rows: list[RecapRow] = []
    city = dict.fromkeys(Predikat, 0)
    for opd_id, _, name in opds:
        mine = {p: counts.get(opd_id, {}).get(p.value, 0) for p in Predikat}
        for p, n in mine.items():
            city[p] += n
        org = OrgPredikat(orgs[opd_id]) if opd_id in orgs else None
        violations = [v.code for v in rules.check_curve(org, mine)] if org else []
        rows.append(
            RecapRow(
                opd_id, name, mine, rules.curve_shares(mine), sum(mine.values()), org, violations
            )
        )
    rows.append(
        RecapRow(None, CITY_LABEL, city, rules.curve_shares(city), sum(city.values()), None, [])
    )
    return rows


async def _completion_facts(
    viewer: Viewer, period_id: int
) -> tuple[list[tuple[int, str, str]], dict[int, list[int]], dict[int, str], set[int], set[int]]:
    opds = await _opds(viewer)
    period = await _period(period_id)
    annual = await periods.annual_of(period)
    codes = {code: opd_id for opd_id, code, _ in opds}
    members: dict[int, list[int]] = {opd_id: [] for opd_id, _, _ in opds}
    for e in await people_facts.active_employees():
        if e.opd_code in codes:
            members[codes[e.opd_code]].append(e.employee_id)
    since = datetime.combine(clock.today() - timedelta(days=QUIET_DAYS), time(), UTC)
    return (
        opds,
        members,
        await performance_facts.skp_statuses(annual.id),
        await performance_facts.employees_logging_since(since),
        await performance_facts.final_evaluation_employees(period_id),
    )


async def completion(viewer: Viewer, period_id: int) -> list[CompletionRow]:
    """Per OPD of the viewer's scope, then the total."""
    opds, members, skps, logging, evaluated = await _completion_facts(viewer, period_id)
    rows = []
    for opd_id, _, name in opds:
        ids = members[opd_id]
        rows.append(
            CompletionRow(
                opd_id=opd_id,
                opd_name=name,
                employees=len(ids),
                without_skp=sum(1 for i in ids if skps.get(i) != SkpStatus.APPROVED),
                not_logging=sum(1 for i in ids if i not in logging),
                not_evaluated=sum(1 for i in ids if i not in evaluated),
            )
        )
    rows.append(
        CompletionRow(
            None,
            CITY_LABEL,
            sum(r.employees for r in rows),
            sum(r.without_skp for r in rows),
            sum(r.not_logging for r in rows),
            sum(r.not_evaluated for r in rows),
        )
    )
    return rows


async def completion_gaps(
    viewer: Viewer, period_id: int, opd_id: int | None = None
) -> list[GapRow]:
    """Employees (of one OPD, or the scope) with any gap, by OPD and name."""
    opds, members, skps, logging, evaluated = await _completion_facts(viewer, period_id)
    if opd_id is not None and opd_id not in members:
        raise NotFoundError("Opd", "opdId")
    names = {i: name for i, _, name in opds}
    wanted = [
        (o, e)
        for o, ids in members.items()
        if opd_id is None or o == opd_id
        for e in ids
        if skps.get(e) != SkpStatus.APPROVED or e not in logging or e not in evaluated
    ]
    rows = {e.id: e for e in await people.employees_by_ids([e for _, e in wanted]) if e}
    gaps = [
        GapRow(
            id=e,
            employee_id=e,
            nip=rows[e].nip,
            name=rows[e].name,
            opd_name=names[o],
            skp_status=skps.get(e),
            logged_recently=e in logging,
            evaluated=e in evaluated,
        )
        for o, e in wanted
        if e in rows
    ]
    return sorted(gaps, key=lambda g: (g.opd_name, g.name, g.id))


# --- files ---------------------------------------------------------------------------------

RECAP_HEADER = (
    "OPD",
    *(p.label for p in Predikat),
    "Jumlah",
    "Predikat organisasi",
    "Pelanggaran kurva",
)
COMPLETION_HEADER = ("OPD", "Pegawai aktif", "Belum ada SKP disetujui",
                     f"Tidak mencatat aktivitas {QUIET_DAYS} hari", "Belum dinilai")  # fmt: skip


def recap_cells(rows: Sequence[RecapRow]) -> list[list[object]]:
    """The recap as table rows (counts with shares)."""
    return [
        [
            r.opd_name,
            *(f"{r.counts[p]} ({r.shares[p]:.0%})" if r.total else "0" for p in Predikat),
            r.total,
            r.org_predikat.value if r.org_predikat else "-",
            ", ".join(r.violations) or "-",
        ]
        for r in rows
    ]


def completion_cells(rows: Sequence[CompletionRow]) -> list[list[object]]:
    """Completion counts as table rows."""
    return [[r.opd_name, r.employees, r.without_skp, r.not_logging, r.not_evaluated] for r in rows]
