"""No named mutation whose work follows a list grows its SQL with that list (no N+1 on writes).

The companion of ``test_operation_query_counts.py``, which runs every named query: each mutation
of graphql/operations/ below acts on a list whose length is the caller's (ids sent, rows of a
CSV, the employees of a unit, the viewer's unread notifications). On the security world
(tests/support/security_world.py) each runs twice, on fresh lists of :data:`SMALL` and then
:data:`LARGE` items: the statement count may not grow while the answer reports more work done
(:data:`PER_ITEM` names the known per-item statements left, and bounds them). Mutations that act
on one object (or a list fixed by the domain) are not here.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from portal.adoption.tables import Program
from portal.core.db import count_queries
from portal.core.ids import encode_global_id
from portal.notifications.tables import Notification
from portal.people.enums import JabatanKind
from portal.people.tables import Unor
from portal.performance.enums import (
    ActivityStatus,
    Aspect,
    EvaluationStatus,
    OrgPredikat,
    Predikat,
    RhkKind,
)
from portal.performance.planning.services import periods
from support.api import Api
from support.factories import Factory, Person
from support.performance_builders import past_day
from support.performance_factory import approved_skp, evaluation, verified_activity
from support.security_world import SecurityWorld, build_security_world
from support.training_builders import course

SMALL, LARGE = 2, 6
# statements a case may still spend per item, with why (known, bounded, to be removed)
PER_ITEM: dict[str, int] = {}
_SEQ = itertools.count(1)


@dataclass(frozen=True, slots=True)
class Call:
    """One named mutation as one role, and how much work its answer reports."""

    operation: str
    variables: dict[str, Any]
    role: str
    work: Callable[[dict[str, Any]], int]


Case = Callable[[SecurityWorld, Factory, int], Awaitable[Call]]


async def _unit_of(world: SecurityWorld, factory: Factory, size: int) -> tuple[int, list[Person]]:
    """A fresh unit under the puskesmas of OPD a with ``size`` staff of boss_a."""
    (pkm,) = await Unor.select(Unor.code).where(Unor.id == world.units["pkm_a"])
    unit = await factory.unor(world.opds["a"], f"{pkm['code']}.U{next(_SEQ)}", world.units["pkm_a"])
    staff = [
        await factory.employee(unit, supervisor=world.people["boss_a"], name=f"Staf {i}")
        for i in range(size)
    ]
    return unit, staff


def _activities(size: int) -> list[dict[str, Any]]:
    """``size`` LogActivityInput items of staff_a on distinct past days."""
    return [
        {
            "idempotencyKey": f"offline-{next(_SEQ)}",
            "activity": {
                "activityDate": past_day(1 + i).isoformat(),
                "description": "Vaksinasi campak di posyandu",
                "quantity": 10,
                "unit": "dosis vaksin",
                "evidenceLinks": ["https://drive.example.go.id/foto/1"],
                "durationMinutes": 60,
            },
        }
        for i in range(size)
    ]


def _results_without_errors(key: str) -> Callable[[dict[str, Any]], int]:
    def work(answer: dict[str, Any]) -> int:
        return sum(1 for r in answer[key]["results"] if not r["userErrors"])

    return work


async def _log_activities(world: SecurityWorld, factory: Factory, size: int) -> Call:
    return Call(
        "LogActivities",
        {"input": {"items": _activities(size)}},
        "employee",
        _results_without_errors("logActivities"),
    )


async def _verify_activities(world: SecurityWorld, factory: Factory, size: int) -> Call:
    logged = await world.api.data(
        "LogActivities", {"input": {"items": _activities(size)}}, token=world.tokens["employee"]
    )
    ids = [r["activity"]["id"] for r in logged["logActivities"]["results"]]
    return Call(
        "VerifyActivities",
        {"input": {"activityIds": ids, "approve": True}},
        "supervisor",
        _results_without_errors("verifyActivities"),
    )


async def _verify_team(world: SecurityWorld, factory: Factory, size: int) -> Call:
    """One submitted activity of each of ``size`` staff: one notification per employee."""
    _, staff = await _unit_of(world, factory, size)
    annual = await periods.get_period(world.period_id)
    ids = [
        encode_global_id(
            "Activity",
            await verified_activity(
                person, annual, past_day(1), 2, status=ActivityStatus.SUBMITTED
            ),
        )
        for person in staff
    ]
    return Call(
        "VerifyActivities",
        {"input": {"activityIds": ids, "approve": False, "note": "Bukti belum lengkap"}},
        "supervisor",
        _results_without_errors("verifyActivities"),
    )


async def _apply_rhk_template(world: SecurityWorld, factory: Factory, size: int) -> Call:
    unit, _ = await _unit_of(world, factory, size)
    indicators = [
        {"aspect": "KUANTITAS", "description": "Laporan posyandu", "targetValue": 12, "unit": "x"},
        {"aspect": "WAKTU", "description": "Tepat waktu", "targetValue": 12, "unit": "bulan"},
    ]
    rhk = {"kind": "TAMBAHAN", "description": "Pelaporan posyandu", "indicators": indicators}
    return Call(
        "ApplyRhkTemplate",
        {
            "input": {
                "periodId": encode_global_id("Period", world.period_id),
                "unorId": encode_global_id("Unor", unit),
                "rhk": rhk,
            }
        },
        "admin_opd",
        lambda answer: len(answer["applyRhkTemplate"]["created"]),
    )


async def _assign_training_to_unit(world: SecurityWorld, factory: Factory, size: int) -> Call:
    unit, _ = await _unit_of(world, factory, size)
    course_id = await course(f"Kursus unit {next(_SEQ)}")
    return Call(
        "AssignTrainingToUnit",
        {
            "input": {
                "courseId": encode_global_id("Course", course_id),
                "unorId": encode_global_id("Unor", unit),
                "reason": "Kesenjangan kompetensi",
            }
        },
        "admin_opd",
        lambda answer: int(answer["assignTrainingToUnit"]["created"]),
    )


async def _invite_unit(world: SecurityWorld, factory: Factory, size: int) -> Call:
    unit, _ = await _unit_of(world, factory, size)
    program = await Program.select(Program.id).order_by(Program.id).first()
    assert program is not None
    start = datetime.now(UTC) + timedelta(days=3)
    session = await world.call(
        "CreateSession",
        {
            "programId": encode_global_id("Program", program["id"]),
            "title": f"Sesi {next(_SEQ)}",
            "startsAt": start.isoformat(),
            "endsAt": (start + timedelta(hours=2)).isoformat(),
            "facilitator": "Tim BKPSDM",
            "capacity": 30,
            "place": "Aula",
        },
        "sosialisasi",
    )
    return Call(
        "InviteUnit",
        {
            "input": {
                "sessionId": session["session"]["id"],
                "unitId": encode_global_id("Unor", unit),
                "includeSubunits": True,
            }
        },
        "sosialisasi",
        lambda answer: int(answer["inviteUnit"]["invited"]),
    )


async def _unread(world: SecurityWorld, size: int) -> list[int]:
    account = world.scopes["employee"].account_id
    rows = await Notification.insert(
        *(Notification(account=account, kind="INFO", title=f"Kabar {i}") for i in range(size))
    )
    return [int(r["id"]) for r in rows]


async def _mark_all_read(world: SecurityWorld, factory: Factory, size: int) -> Call:
    account = world.scopes["employee"].account_id
    await Notification.update({Notification.read_at: datetime.now(UTC)}).where(
        Notification.account == account
    )  # what building the world left unread
    await _unread(world, size)
    return Call(
        "MarkNotificationsRead",
        {"input": {}},
        "employee",
        lambda answer: int(answer["markNotificationsRead"]["marked"]),
    )


async def _mark_some_read(world: SecurityWorld, factory: Factory, size: int) -> Call:
    ids = [encode_global_id("Notification", pk) for pk in await _unread(world, size)]
    return Call(
        "MarkNotificationsRead",
        {"input": {"ids": ids}},
        "employee",
        lambda answer: int(answer["markNotificationsRead"]["marked"]),
    )


async def _import_employees(world: SecurityWorld, factory: Factory, size: int) -> Call:
    (pkm,) = await Unor.select(Unor.code).where(Unor.id == world.units["pkm_a"])
    boss = world.people["boss_a"].nip
    header = "nip,nama,jenis_pegawai,golongan,jenis_jabatan,nama_jabatan,kode_unor,nip_atasan"
    rows = [
        f"{factory.nip()},Pegawai Baru {next(_SEQ)},PNS,III/a,{JabatanKind.PELAKSANA.value},"
        f"Pengadministrasi Umum,{pkm['code']},{boss}"
        for _ in range(size)
    ]
    return Call(
        "ImportEmployees",
        {"input": {"csv": "\n".join([header, *rows]) + "\n"}},
        "bkpsdm",
        lambda answer: int(answer["importEmployees"]["created"]),
    )


async def _import_updates(world: SecurityWorld, factory: Factory, size: int) -> Call:
    """The SIMPEG export again, with ``size`` employees renamed and moved to a new supervisor."""
    unit, staff = await _unit_of(world, factory, size)
    (code,) = await Unor.select(Unor.code).where(Unor.id == unit)
    boss = world.people["peer_a"].nip
    header = "nip,nama,jenis_pegawai,golongan,jenis_jabatan,nama_jabatan,kode_unor,nip_atasan"
    rows = [
        f"{p.nip},Nama Baru {next(_SEQ)},PNS,III/a,{JabatanKind.PELAKSANA.value},"
        f"Pengadministrasi Umum,{code['code']},{boss}"
        for p in staff
    ]
    return Call(
        "ImportEmployees",
        {"input": {"csv": "\n".join([header, *rows]) + "\n"}},
        "bkpsdm",
        lambda answer: int(answer["importEmployees"]["updated"]),
    )


async def _record_dialog(world: SecurityWorld, factory: Factory, size: int) -> Call:
    due = (datetime.now(UTC) + timedelta(days=14)).date().isoformat()
    return Call(
        "RecordDialogKinerja",
        {
            "input": {
                "employeeId": world.gid("staff_a"),
                "heldOn": past_day(2).isoformat(),
                "wentWell": "Laporan tepat waktu",
                "toImprove": "Dokumentasi",
                "actions": [
                    {"description": f"Tindak lanjut {i + 1}", "dueOn": due} for i in range(size)
                ],
            }
        },
        "supervisor",
        lambda answer: len(answer["recordDialogKinerja"]["dialog"]["actions"]),
    )


async def _create_program(world: SecurityWorld, factory: Factory, size: int) -> Call:
    opds = [await factory.opd() for _ in range(size)]
    today = datetime.now(UTC).date()
    return Call(
        "CreateProgram",
        {
            "input": {
                "name": f"Sosialisasi {next(_SEQ)}",
                "goal": "Semua pegawai mencatat aktivitas harian",
                "startsOn": today.isoformat(),
                "endsOn": (today + timedelta(days=60)).isoformat(),
                "targetOpdIds": [encode_global_id("Opd", o) for o in opds],
            }
        },
        "sosialisasi",
        lambda answer: len(answer["createProgram"]["program"]["targetOpds"]),
    )


async def _update_evaluation(world: SecurityWorld, factory: Factory, size: int) -> Call:
    """A DRAFT evaluation of a fresh staff member over ``size`` indicators, all realised."""
    _, (person,) = await _unit_of(world, factory, 1)
    annual = await periods.get_period(world.period_id)
    quarter = await periods.get_period(world.quarter_id)
    skp = await approved_skp(
        person,
        world.people["boss_a"],
        annual,
        [(RhkKind.UTAMA, 10.0, Aspect.KUANTITAS)] * size,
    )
    evaluation_id = await evaluation(
        person,
        world.people["boss_a"],
        skp.skp_id,
        quarter,
        None,
        status=EvaluationStatus.DRAFT,
        indicator_ids=skp.indicator_ids,
    )
    realisation = 7.0
    return Call(
        "UpdateEvaluation",
        {
            "input": {
                "evaluationId": encode_global_id("Evaluation", evaluation_id),
                "indicators": [
                    {
                        "indicatorId": encode_global_id("Indicator", i),
                        "realisation": realisation,
                        "evidence": "https://drive.example.go.id/bukti/1",
                    }
                    for i in skp.indicator_ids
                ],
            }
        },
        "supervisor",
        lambda answer: sum(
            1
            for line in answer["updateEvaluation"]["evaluation"]["indicators"]
            if line["realisation"] == realisation
        ),
    )


async def _finalise_opd_period(world: SecurityWorld, factory: Factory, size: int) -> Call:
    """A fresh OPD whose ``size`` staff have FINAL evaluations of the quarter; BKPSDM finalises."""
    opd = await factory.opd()
    unit = await factory.unor(opd)
    boss = await factory.employee(unit, jabatan_kind=JabatanKind.ADMINISTRATOR, name="Kepala")
    annual = await periods.get_period(world.period_id)
    quarter = await periods.get_period(world.quarter_id)
    for n in range(size):
        person = await factory.employee(unit, supervisor=boss, name=f"Staf {n}")
        skp = await approved_skp(person, boss, annual)
        await evaluation(person, boss, skp.skp_id, quarter, Predikat.BAIK)
    ids = {
        "opdId": encode_global_id("Opd", opd),
        "periodId": encode_global_id("Period", quarter.id),
    }
    await world.call("SetOrgPredikat", {**ids, "orgPredikat": OrgPredikat.BAIK.value}, "bkpsdm")
    return Call(
        "FinaliseOpdPeriod",
        {"input": {**ids, "overrideReason": "Kurva diterima setelah rapat tim penilai"}},
        "bkpsdm",
        lambda answer: int(answer["finaliseOpdPeriod"]["curve"]["total"]),
    )


async def _set_incentive_rules(world: SecurityWorld, factory: Factory, size: int) -> Call:
    """The base rule of every predikat and ``size`` tiers above it (one table, replaced whole)."""
    base = [{"predikat": p.value, "tppFactor": 1.0} for p in Predikat]
    tiers = [
        {"predikat": Predikat.BAIK.value, "tppFactor": 1.0 + n / 100, "minVerifiedShare": n / 10}
        for n in range(1, size + 1)
    ]
    return Call(
        "SetIncentiveRules",
        {"input": {"rules": base + tiers}},
        "bkpsdm",
        lambda answer: len(answer["setIncentiveRules"]["rules"]) - len(base),
    )


CASES: dict[str, Case] = {
    "LogActivities": _log_activities,
    "VerifyActivities": _verify_activities,
    "VerifyActivities (a team)": _verify_team,
    "ApplyRhkTemplate": _apply_rhk_template,
    "AssignTrainingToUnit": _assign_training_to_unit,
    "InviteUnit": _invite_unit,
    "MarkNotificationsRead (all)": _mark_all_read,
    "MarkNotificationsRead (ids)": _mark_some_read,
    "ImportEmployees": _import_employees,
    "ImportEmployees (updates)": _import_updates,
    "RecordDialogKinerja": _record_dialog,
    "CreateProgram": _create_program,
    "UpdateEvaluation": _update_evaluation,
    "FinaliseOpdPeriod": _finalise_opd_period,
    "SetIncentiveRules": _set_incentive_rules,
}


async def _measure(
    world: SecurityWorld, factory: Factory, case: Case, size: int
) -> tuple[int, int]:
    """(SQL statements, work reported) of one run of the case on ``size`` fresh items."""
    call = await case(world, factory, size)
    with count_queries() as counter:
        body = await world.api.op(call.operation, call.variables, token=world.tokens[call.role])
    assert not body.get("errors"), body["errors"]
    (answer,) = body["data"].values()
    assert answer["userErrors"] == [], answer["userErrors"]
    return counter[0], call.work(body["data"])


@pytest.fixture
async def world(api: Api, factory: Factory) -> SecurityWorld:
    return await build_security_world(api, factory)


async def test_no_list_mutation_grows_its_sql_with_its_list(
    world: SecurityWorld, factory: Factory
) -> None:
    # given every mutation measured on SMALL fresh items, then on LARGE ones
    small = {label: await _measure(world, factory, case, SMALL) for label, case in CASES.items()}
    large = {label: await _measure(world, factory, case, LARGE) for label, case in CASES.items()}

    # then each did the larger work (the list reached the code) ...
    assert {label: work for label, (_, work) in small.items()} == dict.fromkeys(CASES, SMALL)
    assert {label: work for label, (_, work) in large.items()} == dict.fromkeys(CASES, LARGE)
    # ... with no more statements (PER_ITEM: at most that many more per item)
    grown = {
        label: (small[label][0], large[label][0])
        for label in CASES
        if large[label][0] > small[label][0] + PER_ITEM.get(label, 0) * (LARGE - SMALL)
    }
    assert grown == {}
