"""Writes approved SKPs, activities and evaluations straight into the tables.

For evaluation, curve and incentive tests that need an approved SKP (or many FINAL
evaluations) without walking the SKP workflow through GraphQL each time.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from portal.accounts.tables import UserAccount
from portal.core.auth import Role
from portal.people.enums import JabatanKind
from portal.people.tables import Employee
from portal.performance.enums import (
    ActivityStatus,
    Aspect,
    BerAkhlak,
    EvaluationStatus,
    PeriodKind,
    Predikat,
    RhkKind,
    SkpStatus,
)
from portal.performance.planning.services import periods
from portal.performance.rows import PeriodRow
from portal.performance.tables import (
    Activity,
    Evaluation,
    EvaluationBehaviour,
    EvaluationIndicator,
    Indicator,
    Period,
    Rhk,
    Skp,
)
from support.api import Api
from support.factories import PASSWORD, Factory, Person

YEAR = 2026
_keys = itertools.count(1)


@dataclass(frozen=True, slots=True)
class Year:
    """The annual period and its evaluation periods (quarters by default)."""

    annual: PeriodRow
    children: list[PeriodRow]

    @property
    def q1(self) -> PeriodRow:
        """The first evaluation period."""
        return self.children[0]


@dataclass(frozen=True, slots=True)
class SkpIds:
    """An inserted approved SKP: its id and its indicators' ids in the order given."""

    skp_id: int
    indicator_ids: list[int]


async def year(number: int = YEAR, frequency: PeriodKind = PeriodKind.QUARTERLY) -> Year:
    """Create the annual period of ``number`` with its evaluation periods."""
    annual = await periods.create_year(None, number, frequency)
    return Year(annual=annual, children=await periods.children(annual.id))


async def close_period(period: PeriodRow) -> None:
    """Mark a period CLOSED."""
    await Period.update({Period.status: "CLOSED"}).where(Period.id == period.id)


async def approved_skp(
    employee: Person,
    rater: Person | None,
    period: PeriodRow,
    indicators: Sequence[tuple[RhkKind, float, Aspect]] = (
        (RhkKind.UTAMA, 100.0, Aspect.KUANTITAS),
    ),
    *,
    status: SkpStatus = SkpStatus.APPROVED,
) -> SkpIds:
    """Write an SKP (APPROVED by default) with one RHK per indicator ``(kind, target, aspect)``.

    The jabatan kind is copied from the employee, as the SKP service does.
    """
    row = (
        await Employee.select(Employee.jabatan_kind, Employee.jabatan_name)
        .where(Employee.id == employee.id)
        .first()
    )
    assert row is not None
    now = datetime.now(UTC)
    approved = status is SkpStatus.APPROVED
    inserted = await Skp.insert(
        Skp(
            employee=employee.id,
            period=period.id,
            rater=rater.id if rater else None,
            opd=employee.opd_id,
            unor=employee.unor_id,
            jabatan_name=row["jabatan_name"],
            jabatan_kind=row["jabatan_kind"],
            status=status.value,
            submitted_at=now if approved else None,
            approved_at=now if approved else None,
        )
    )
    skp_id = int(inserted[0]["id"])
    indicator_ids = []
    for n, (kind, target, aspect) in enumerate(indicators):
        rhk = await Rhk.insert(
            Rhk(skp=skp_id, kind=kind.value, description=f"RHK {n + 1}", position=n)
        )
        ind = await Indicator.insert(
            Indicator(
                rhk=rhk[0]["id"],
                skp=skp_id,
                aspect=aspect.value,
                description=f"Indikator {n + 1}",
                target_value=float(target),
                unit="dokumen",
                position=0,
            )
        )
        indicator_ids.append(int(ind[0]["id"]))
    return SkpIds(skp_id=skp_id, indicator_ids=indicator_ids)


async def verified_activity(
    employee: Person,
    period: PeriodRow,
    on: date,
    quantity: float,
    *,
    indicator_id: int | None = None,
    status: ActivityStatus = ActivityStatus.VERIFIED,
    verifier: Person | None = None,
) -> int:
    """Write one activity (VERIFIED by default) of ``employee`` in the annual ``period``."""
    done = status is not ActivityStatus.SUBMITTED
    inserted = await Activity.insert(
        Activity(
            employee=employee.id,
            period=period.id,
            indicator=indicator_id,
            activity_date=on,
            description="Kegiatan harian",
            quantity=float(quantity),
            unit="dokumen",
            evidence_links=[],
            status=status.value,
            idempotency_key=f"factory-{next(_keys)}",
            verifier=verifier.id if verifier and done else None,
            verified_at=datetime.now(UTC) if done else None,
        )
    )
    return int(inserted[0]["id"])


async def evaluation(
    employee: Person,
    rater: Person | None,
    skp_id: int,
    period: PeriodRow,
    predikat: Predikat | None,
    *,
    status: EvaluationStatus = EvaluationStatus.FINAL,
    indicator_ids: Sequence[int] = (),
) -> int:
    """Write an evaluation (FINAL with ``predikat`` by default) with its seven behaviour lines.

    ``indicator_ids`` get an indicator line each, realised at 1.
    """
    final = status is EvaluationStatus.FINAL
    inserted = await Evaluation.insert(
        Evaluation(
            skp=skp_id,
            period=period.id,
            employee=employee.id,
            opd=employee.opd_id,
            rater=rater.id if rater else None,
            status=status.value,
            predikat=predikat.value if predikat else None,
            finalised_at=datetime.now(UTC) if final else None,
        )
    )
    evaluation_id = int(inserted[0]["id"])
    await EvaluationBehaviour.insert(
        *(EvaluationBehaviour(evaluation=evaluation_id, value=v.value, note="") for v in BerAkhlak)
    )
    if indicator_ids:
        await EvaluationIndicator.insert(
            *(
                EvaluationIndicator(evaluation=evaluation_id, indicator=i, realisation=1.0)
                for i in indicator_ids
            )
        )
    return evaluation_id


# --- a small organisation for evaluation tests ------------------------------------------------


@dataclass
class World:
    """Dinas Kesehatan and Bapenda, with logins.

    ``sekda`` (JPT Madya, at Setda) rates ``head`` (JPT Pratama, Kepala Dinas), who rates
    ``boss`` (Kepala Puskesmas), who rates ``staff`` and ``peer``. ``outsider`` works at Bapenda.
    """

    year: Year
    people: dict[str, Person]
    tokens: dict[str, str]
    accounts: dict[str, int]
    opd_id: int
    other_opd_id: int

    def token(self, who: str) -> str:
        """Access token of a person or admin label."""
        return self.tokens[who]


async def build_world(api: Api, factory: Factory) -> World:
    """Create the organisation, the 2026 period with quarters, admins; log everybody in."""
    the_year = await year()
    setda = await factory.opd("SETDA", "Sekretariat Daerah")
    dinkes = await factory.opd("DINKES", "Dinas Kesehatan")
    bapenda = await factory.opd("BAPENDA", "Badan Pendapatan Daerah")
    setda_unit = await factory.unor(setda, "SETDA")
    head_unit = await factory.unor(dinkes, "DINKES")
    pkm = await factory.unor(dinkes, "DINKES.PKM", parent_id=head_unit)
    b_unit = await factory.unor(bapenda, "BAPENDA")
    sekda = await factory.employee(
        setda_unit, name="Sekretaris Daerah", jabatan_kind=JabatanKind.JPT_MADYA
    )
    head = await factory.employee(
        head_unit, supervisor=sekda, name="Kepala Dinas", jabatan_kind=JabatanKind.JPT_PRATAMA
    )
    boss = await factory.employee(
        pkm, supervisor=head, name="Kepala Puskesmas", jabatan_kind=JabatanKind.ADMINISTRATOR
    )
    staff = await factory.employee(pkm, supervisor=boss, name="Perawat Satu")
    peer = await factory.employee(pkm, supervisor=boss, name="Perawat Dua")
    outsider = await factory.employee(b_unit, name="Pegawai Bapenda")
    people = {
        "sekda": sekda,
        "head": head,
        "boss": boss,
        "staff": staff,
        "peer": peer,
        "outsider": outsider,
    }
    logins = {k: p.username for k, p in people.items()}
    logins["admin_opd"] = await factory.admin("admin.dinkes", Role.ADMIN_OPD, dinkes)
    logins["admin_other"] = await factory.admin("admin.bapenda", Role.ADMIN_OPD, bapenda)
    logins["bkpsdm"] = await factory.admin("admin.bkpsdm", Role.ADMIN_BKPSDM)
    tokens = {label: await api.login(username, PASSWORD) for label, username in logins.items()}
    rows = await UserAccount.select(UserAccount.id, UserAccount.username)
    by_name = {r["username"]: r["id"] for r in rows}
    return World(
        year=the_year,
        people=people,
        tokens=tokens,
        accounts={label: by_name[u] for label, u in logins.items()},
        opd_id=dinkes,
        other_opd_id=bapenda,
    )


# --- a small payroll ------------------------------------------------------------------------


@dataclass
class Payroll:
    """A world whose Dinkes has FINAL Q1 evaluations (see :func:`build_payroll`)."""

    world: World
    people: dict[str, Person]


async def rated(
    factory: Factory,
    world: World,
    name: str,
    predikat: Predikat,
    activities: list[ActivityStatus],
    *,
    unit: int | None = None,
    status: EvaluationStatus = EvaluationStatus.FINAL,
) -> Person:
    """A new subordinate of ``boss`` with an evaluation for Q1 and Q1 activities."""
    boss = world.people["boss"]
    person = await factory.employee(
        unit or world.people["staff"].unor_id, supervisor=boss, name=name
    )
    skp = await approved_skp(person, boss, world.year.annual)
    await evaluation(person, boss, skp.skp_id, world.year.q1, predikat, status=status)
    for n, activity_status in enumerate(activities):
        await verified_activity(
            person, world.year.annual, date(2026, 2, 1 + n), 1, status=activity_status
        )
    return person


async def build_payroll(api: Api, factory: Factory) -> Payroll:
    """A small Dinkes rated for Q1: Ani SANGAT_BAIK (9 of 10 activities verified), "=Budi"
    BAIK (1 of 4), Citra BUTUH_PERBAIKAN (nothing logged), Dedi SANGAT_KURANG; Eka has a DRAFT
    and the Bapenda outsider a FINAL SANGAT_KURANG.
    """
    world = await build_world(api, factory)
    v, r, s = ActivityStatus.VERIFIED, ActivityStatus.REJECTED, ActivityStatus.SUBMITTED
    people = {
        "ani": await rated(factory, world, "Ani", Predikat.SANGAT_BAIK, [v] * 9 + [s]),
        "budi": await rated(factory, world, "=Budi", Predikat.BAIK, [v, r, s, s]),
        "citra": await rated(factory, world, "Citra", Predikat.BUTUH_PERBAIKAN, []),
        "dedi": await rated(factory, world, "Dedi", Predikat.SANGAT_KURANG, [r]),
        # a DRAFT, and an employee of another OPD, are not on Dinkes' payroll
        "draft": await rated(
            factory, world, "Eka", Predikat.BAIK, [], status=EvaluationStatus.DRAFT
        ),
    }
    outsider = world.people["outsider"]
    other_skp = await approved_skp(outsider, None, world.year.annual)
    await evaluation(outsider, None, other_skp.skp_id, world.year.q1, Predikat.SANGAT_KURANG)
    # work outside Q1 does not count toward the share
    await verified_activity(
        people["budi"], world.year.annual, date(2026, 4, 2), 1, status=ActivityStatus.VERIFIED
    )
    return Payroll(world=world, people=people)
