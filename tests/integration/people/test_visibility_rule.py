"""The one visibility rule (portal.people.visibility), per role and per audience.

Both forms of the rule are asked the same questions: ``allows`` (and ``reaches``, which looks
the OPD up itself) for one employee and ``sql_clause`` for the list, run over the employee
table; they must name the same employees, and those must be the ones DESIGN.md §5 and README
"Visibility" promise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from portal.core import clock
from portal.core.auth import Role, Viewer
from portal.people import visibility
from portal.people.tables import ActingAppointment, Employee
from portal.people.visibility import (
    CONVERSATION,
    OVERSIGHT,
    PRIVATE,
    RECORDS,
    SCORES,
    Audience,
)
from support.factories import Factory


@dataclass
class City:
    opd_a: int
    opd_b: int
    ids: dict[str, int]  # label -> employee id


async def _city(factory: Factory) -> City:
    # given OPD A with a head, a supervisor and two staff (a chain of three levels), and OPD B
    opd_a, opd_b = await factory.opd(), await factory.opd()
    unit_a, unit_b = await factory.unor(opd_a), await factory.unor(opd_b)
    head = await factory.employee(unit_a, name="Kepala", account=False)
    boss = await factory.employee(unit_a, supervisor=head, name="Atasan", account=False)
    staff = await factory.employee(unit_a, supervisor=boss, name="Staf", account=False)
    peer = await factory.employee(unit_a, supervisor=boss, name="Rekan", account=False)
    other = await factory.employee(unit_b, name="Pegawai B", account=False)
    ids = {"head": head.id, "boss": boss.id, "staff": staff.id, "peer": peer.id, "other": other.id}
    # and peer stands in for boss today (Plh); other stood in for boss last month, no longer
    today = clock.today()
    await ActingAppointment.insert(
        ActingAppointment(
            principal=boss.id, acting=peer.id, opd=opd_a, kind="PLH",
            starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=2),
        ),
        ActingAppointment(
            principal=boss.id, acting=other.id, opd=opd_a, kind="PLT",
            starts_on=today - timedelta(days=40), ends_on=today - timedelta(days=10),
        ),
    )  # fmt: skip
    return City(opd_a, opd_b, ids)


def _viewer(
    employee_id: int | None,
    opd_id: int | None,
    roles: set[Role],
    admin_opds: frozenset[int] = frozenset(),
) -> Viewer:
    return Viewer(
        account_id=1,
        username="v",
        employee_id=employee_id,
        employee_opd_id=opd_id,
        roles=frozenset(roles),
        admin_opd_ids=admin_opds,
    )


def _viewers(city: City) -> dict[str, Viewer]:
    ids, a = city.ids, city.opd_a
    return {
        "pegawai": _viewer(ids["staff"], a, {Role.PEGAWAI}),
        "atasan_direct": _viewer(ids["boss"], a, {Role.PEGAWAI, Role.ATASAN}),
        "atasan_indirect": _viewer(ids["head"], a, {Role.PEGAWAI, Role.ATASAN}),
        "admin_opd": _viewer(None, None, {Role.ADMIN_OPD}, frozenset({a})),
        "admin_other_opd": _viewer(None, None, {Role.ADMIN_OPD}, frozenset({city.opd_b})),
        "bkpsdm": _viewer(None, None, {Role.ADMIN_BKPSDM}),
        "pengelola": _viewer(None, None, {Role.PENGELOLA_SOSIALISASI}),
        "outsider": _viewer(ids["other"], city.opd_b, {Role.PEGAWAI}),
        "plh": _viewer(ids["peer"], a, {Role.PEGAWAI}),
    }


EVERYONE = {"head", "boss", "staff", "peer", "other"}
OPD_A = {"head", "boss", "staff", "peer"}

# who reaches whom, per audience: the promise of DESIGN.md §5 / README, written out by hand
EXPECTED: dict[Audience, dict[str, set[str]]] = {
    PRIVATE: {
        "pegawai": {"staff"},
        "atasan_direct": {"boss", "staff", "peer"},
        "atasan_indirect": {"head", "boss", "staff", "peer"},
        "admin_opd": OPD_A,
        "admin_other_opd": {"other"},
        "bkpsdm": EVERYONE,
        "pengelola": set(),
        "outsider": {"other"},
        "plh": {"peer", "staff"},  # boss's staff, not boss
    },
    OVERSIGHT: {
        "pegawai": set(),
        "atasan_direct": {"staff", "peer"},
        "atasan_indirect": {"boss", "staff", "peer"},
        "admin_opd": OPD_A,
        "admin_other_opd": {"other"},
        "bkpsdm": EVERYONE,
        "pengelola": set(),
        "outsider": set(),
        "plh": {"staff"},
    },
    CONVERSATION: {
        "pegawai": {"staff"},
        "atasan_direct": {"boss", "staff", "peer"},
        "atasan_indirect": {"head", "boss", "staff", "peer"},
        "admin_opd": set(),
        "admin_other_opd": set(),
        "bkpsdm": set(),
        "pengelola": set(),
        "outsider": {"other"},
        "plh": {"peer", "staff"},
    },
    SCORES: {
        "pegawai": set(),
        "atasan_direct": {"staff", "peer"},
        "atasan_indirect": {"boss", "staff", "peer"},
        "admin_opd": set(),
        "admin_other_opd": set(),
        "bkpsdm": EVERYONE,
        "pengelola": set(),
        "outsider": set(),
        "plh": {"staff"},
    },
    RECORDS: {
        "pegawai": {"staff"},
        "atasan_direct": {"boss"},
        "atasan_indirect": {"head"},
        "admin_opd": OPD_A,
        "admin_other_opd": {"other"},
        "bkpsdm": EVERYONE,
        "pengelola": set(),
        "outsider": {"other"},
        "plh": {"peer"},
    },
}
CASES = [(audience, role) for audience, roles in EXPECTED.items() for role in roles]


async def _listed(viewer: Viewer, audience: Audience, *, own_opd_column: bool) -> set[int]:
    opd_column = '"employee"."opd"' if own_opd_column else None
    clause = await visibility.sql_clause(viewer, audience, '"employee"."id"', opd_column)
    query = f'SELECT "employee"."id" FROM "employee" WHERE {clause.sql}'  # noqa: S608
    rows = await Employee.raw(query, *clause.params)
    return {r["id"] for r in rows}


@pytest.mark.parametrize(("audience", "role"), CASES, ids=[f"{a.name}-{r}" for a, r in CASES])
async def test_one_employee_and_the_list_answer_alike(
    factory: Factory, audience: Audience, role: str
) -> None:
    city = await _city(factory)
    viewer = _viewers(city)[role]
    expected = {city.ids[label] for label in EXPECTED[audience][role]}
    opd_of = {i: (city.opd_b if label == "other" else city.opd_a) for label, i in city.ids.items()}

    # when the rule is asked about each employee, and for the list (with and without a row OPD)
    one_by_one = {
        i for i in city.ids.values() if await visibility.allows(viewer, audience, i, opd_of[i])
    }
    by_id = {i for i in city.ids.values() if await visibility.reaches(viewer, audience, i)}
    listed = await _listed(viewer, audience, own_opd_column=True)
    joined = await _listed(viewer, audience, own_opd_column=False)

    # then all four name exactly the promised employees
    assert one_by_one == expected
    assert by_id == expected
    assert listed == expected
    assert joined == expected


async def test_the_supervisor_chain_is_read_once_per_request(factory: Factory) -> None:
    from portal.core.db import count_queries

    city = await _city(factory)
    viewer = _viewers(city)["atasan_indirect"]
    with count_queries() as counter:
        for i in city.ids.values():
            await visibility.allows(viewer, PRIVATE, i, city.opd_a)
        await visibility.sql_clause(viewer, OVERSIGHT, '"employee"."id"')
    assert counter[0] == 1


async def test_readable_employee_hides_what_the_viewer_may_not_read(factory: Factory) -> None:
    from portal.core.errors import NotFoundError

    city = await _city(factory)
    viewers = _viewers(city)
    found = await visibility.readable_employee(viewers["atasan_direct"], city.ids["staff"])
    assert found.id == city.ids["staff"]
    for who, label in (("outsider", "staff"), ("pegawai", "peer"), ("pegawai", "head")):
        with pytest.raises(NotFoundError):
            await visibility.readable_employee(viewers[who], city.ids[label])
    with pytest.raises(NotFoundError):
        await visibility.readable_employee(viewers["bkpsdm"], 10**9)  # missing looks the same


async def test_the_opd_admin_relation_needs_the_employee_opd(factory: Factory) -> None:
    city = await _city(factory)
    with pytest.raises(ValueError, match="OPD"):
        await visibility.allows(_viewers(city)["admin_opd"], PRIVATE, city.ids["staff"])
