"""The visibility matrix: which employees' private fields each role can read.

Public directory fields (name, jabatan, unit) are visible to every logged-in user; the
`profile` is visible to the employee, their supervisor chain, an ADMIN_OPD of their OPD and
ADMIN_BKPSDM - through lists, `node(id:)` and `nodes(ids:)` alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from portal.core.auth import Role
from portal.core.ids import encode_global_id
from support.api import Api
from support.factories import PASSWORD, Factory, Person


@dataclass
class World:
    people: dict[str, Person]
    logins: dict[str, str]  # viewer label -> username


async def build_world(factory: Factory) -> World:
    opd_a = await factory.opd("DINKES", "Dinas Kesehatan")
    opd_b = await factory.opd("BAPENDA", "Badan Pendapatan Daerah")
    head_unit = await factory.unor(opd_a, "DINKES")
    pkm = await factory.unor(opd_a, "DINKES.PKM", parent_id=head_unit)
    b_unit = await factory.unor(opd_b, "BAPENDA")
    top = await factory.employee(head_unit, name="Kepala Dinas")
    boss = await factory.employee(pkm, supervisor=top, name="Kepala Puskesmas")
    staff1 = await factory.employee(pkm, supervisor=boss, name="Perawat Satu")
    staff2 = await factory.employee(pkm, supervisor=boss, name="Perawat Dua")
    other = await factory.employee(b_unit, name="Pegawai Bapenda")
    people = {"top": top, "boss": boss, "staff1": staff1, "staff2": staff2, "other": other}
    logins = {k: p.username for k, p in people.items()}
    logins["admin_opd_a"] = await factory.admin("admin.dinkes", Role.ADMIN_OPD, opd_a)
    logins["admin_bkpsdm"] = await factory.admin("admin.bkpsdm", Role.ADMIN_BKPSDM)
    logins["sosialisasi"] = await factory.admin("sosialisasi", Role.PENGELOLA_SOSIALISASI)
    return World(people=people, logins=logins)


ALL = {"top", "boss", "staff1", "staff2", "other"}
DINKES = {"top", "boss", "staff1", "staff2"}
MATRIX = {
    "staff1": {"staff1"},
    "boss": {"boss", "staff1", "staff2"},
    "top": DINKES,
    "other": {"other"},
    "admin_opd_a": DINKES,
    "admin_bkpsdm": ALL,
    "sosialisasi": set(),
}


@pytest.mark.parametrize("viewer", sorted(MATRIX))
async def test_private_profile_visibility_matrix(api: Api, factory: Factory, viewer: str) -> None:
    # given an organisation and a viewer of one role
    world = await build_world(factory)
    token = await api.login(world.logins[viewer], PASSWORD)
    ids = {k: encode_global_id("Employee", p.id) for k, p in world.people.items()}
    label_of = {v: k for k, v in ids.items()}

    # when reading the directory
    directory = await api.data("EmployeeDirectory", {"first": 100}, token=token)
    edges = directory["employees"]["edges"]
    # then every employee is listed with public fields, private only within scope
    assert {label_of[e["node"]["id"]] for e in edges} == ALL
    readable = {label_of[e["node"]["id"]] for e in edges if e["node"]["profile"] is not None}
    assert readable == MATRIX[viewer]
    for edge in edges:
        assert edge["node"]["name"]
        assert edge["node"]["unor"]["name"]

    # when fetching each employee by global ID, then the same rule holds
    for label, global_id in ids.items():
        node = (await api.data("EmployeeById", {"id": global_id}, token=token))["node"]
        assert node["id"] == global_id
        assert (node["profile"] is not None) == (label in MATRIX[viewer]), label
        if node["profile"] is not None:
            assert node["profile"]["nip"] == world.people[label].nip

    # when fetching all at once through nodes(ids:), then the same rule holds
    nodes = (await api.data("EmployeesByIds", {"ids": list(ids.values())}, token=token))["nodes"]
    assert {label_of[n["id"]] for n in nodes if n["profile"]} == MATRIX[viewer]


async def test_team_lists_direct_and_indirect_reports(api: Api, factory: Factory) -> None:
    world = await build_world(factory)
    token = await api.login(world.logins["top"], PASSWORD)
    direct = (await api.data("MyTeam", {"first": 10}, token=token))["viewer"]["team"]
    assert [e["node"]["name"] for e in direct["edges"]] == ["Kepala Puskesmas"]
    chain = (await api.data("MyTeam", {"first": 10, "directOnly": False}, token=token))["viewer"][
        "team"
    ]
    assert chain["totalCount"] == 3
    assert all(e["node"]["profile"] is not None for e in chain["edges"])


async def test_node_with_unknown_or_foreign_ids_returns_null(api: Api, factory: Factory) -> None:
    world = await build_world(factory)
    token = await api.login(world.logins["staff1"], PASSWORD)
    for missing in (encode_global_id("Employee", 999999), encode_global_id("Secret", 1)):
        body = await api.op("EmployeeById", {"id": missing}, token=token)
        assert body.get("errors") is None
        assert body["data"]["node"] is None
    # a malformed id is the client's bug: a typed INVALID_ID error, not a silent null
    for malformed in ("", "garbage!!"):
        body = await api.op("EmployeeById", {"id": malformed}, token=token)
        assert body["data"]["node"] is None
        assert body["errors"][0]["extensions"]["code"] == "INVALID_ID"


async def test_anonymous_requests_get_unauthenticated(api: Api, factory: Factory) -> None:
    world = await build_world(factory)
    body = await api.op(
        "EmployeeById", {"id": encode_global_id("Employee", world.people["top"].id)}
    )
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert body["data"] == {"node": None}


async def test_pagination_walks_the_directory_with_cursors(api: Api, factory: Factory) -> None:
    await build_world(factory)
    token = await api.login("admin.bkpsdm", PASSWORD)
    seen: list[str] = []
    after = None
    while True:
        page = (await api.data("EmployeeDirectory", {"first": 2, "after": after}, token=token))[
            "employees"
        ]
        assert page["totalCount"] == 5
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 5


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"first": 0}, "INVALID_PAGE_SIZE"),
        ({"first": 101}, "INVALID_PAGE_SIZE"),
        ({"first": 10, "after": "%%%"}, "INVALID_CURSOR"),
        ({"first": 10, "filter": {"opdId": "bad"}}, "INVALID_ID"),
    ],
)
async def test_bad_pagination_arguments_are_typed_errors(
    api: Api, factory: Factory, variables: dict, code: str
) -> None:
    await build_world(factory)
    token = await api.login("admin.bkpsdm", PASSWORD)
    body = await api.op("EmployeeDirectory", variables, token=token)
    assert body["errors"][0]["extensions"]["code"] == code


async def test_directory_search_and_filters(api: Api, factory: Factory) -> None:
    world = await build_world(factory)
    token = await api.login(world.logins["other"], PASSWORD)
    found = (
        await api.data(
            "EmployeeDirectory", {"first": 10, "filter": {"search": "perawat"}}, token=token
        )
    )["employees"]
    assert sorted(e["node"]["name"] for e in found["edges"]) == ["Perawat Dua", "Perawat Satu"]
    wildcard = (
        await api.data("EmployeeDirectory", {"first": 10, "filter": {"search": "%"}}, token=token)
    )["employees"]
    assert wildcard["totalCount"] == 0
