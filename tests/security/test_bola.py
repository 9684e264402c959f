"""Broken object-level authorization: a matrix generated from the schema.

Every type implementing ``Node`` in the schema is crossed with every role of
:data:`support.security_world.ROLES`. For each pair, every object of that type in the world is
fetched through ``node(id:)`` and all of them at once through ``nodes(ids:)``: objects the
specification (``support.security_scope``) keeps from the role must come back ``null`` with
nothing of them anywhere in the response, and the others must come back, so no case passes by
returning nothing. A Node type added to the schema without objects in the world, or without a
rule, fails here by name.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import graphql
import pytest

from portal.core.ids import encode_global_id
from portal.schema import build_schema
from support.security_scope import RULES, Facts, profile_visible, visible
from support.security_world import ROLES, SecurityWorld, WorldObject


@pytest.fixture(scope="module")
def world(security_world: SecurityWorld) -> SecurityWorld:
    """The module's world; these tests change nothing, so facts may be cached."""
    security_world.detector.frozen = True
    return security_world


@cache
def _schema() -> graphql.GraphQLSchema:
    return build_schema()._schema


def node_types() -> list[str]:
    """Every object type of the schema implementing ``Node``."""
    schema = _schema()
    node = schema.get_type("Node")
    assert isinstance(node, graphql.GraphQLInterfaceType)
    return sorted(t.name for t in schema.get_implementations(node).objects)


def _fields(type_name: str) -> str:
    """The type's fields that need no argument: leaves, and the ``id`` of objects it links to.

    Linked objects are judged by the leak detector too, so an object visible to the role that
    links to one that is not shows up. An employee's ``profile`` is selected by its NIP.
    """
    object_type = _schema().get_type(type_name)
    assert isinstance(object_type, graphql.GraphQLObjectType)
    selected = []
    for name, field in object_type.fields.items():
        if any(graphql.is_required_argument(a) for a in field.args.values()):
            continue
        target = graphql.get_named_type(field.type)
        if graphql.is_leaf_type(target):
            selected.append(name)
        elif (
            isinstance(target, graphql.GraphQLObjectType | graphql.GraphQLInterfaceType)
            and "id" in target.fields
        ):
            selected.append(f"{name} {{ id }}")
    if type_name == "Employee":
        selected.append("profile { nip }")
    return " ".join(selected)


def _documents(type_name: str) -> tuple[str, str]:
    selection = f"__typename id ... on {type_name} {{ {_fields(type_name)} }}"
    return (
        f"query BolaNode($id: ID!) {{ node(id: $id) {{ {selection} }} }}",
        f"query BolaNodes($ids: [ID!]!) {{ nodes(ids: $ids) {{ {selection} }} }}",
    )


def _objects(world: SecurityWorld, type_name: str) -> list[WorldObject]:
    objects = world.objects.get(type_name)
    assert objects, f"no fixture object for Node type {type_name}"
    assert type_name in RULES, f"no scope rule for Node type {type_name}"
    return objects


async def _facts(world: SecurityWorld, obj: WorldObject) -> Facts:
    facts = await world.detector.facts(obj.type_name, obj.pk)
    assert facts is not None, obj
    return facts


def _check_returned(
    node: dict[str, Any] | None, obj: WorldObject, expected: bool, role: str
) -> None:
    what = f"{obj.type_name}:{obj.pk} as {role}"
    if not expected:
        assert node is None, f"{what} must be null, got {node}"
        return
    assert node is not None, f"{what} must be returned"
    assert node["id"] == obj.gid
    assert node["__typename"] == obj.type_name


async def _check_profile(
    world: SecurityWorld, node: dict[str, Any] | None, facts: Facts, role: str
) -> None:
    if node is None or facts.type_name != "Employee":
        return
    expected = profile_visible(world.scopes[role], facts)
    assert (node["profile"] is not None) == expected, f"profile of Employee:{facts.pk} as {role}"


def _check_anonymous(body: dict[str, Any]) -> None:
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    data = body.get("data") or {}
    assert not [v for v in data.values() if v], data


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("type_name", node_types())
async def test_node_and_nodes_return_only_what_the_role_may_see(
    world: SecurityWorld, type_name: str, role: str
) -> None:
    # given every object of the type and what the specification lets the role see
    objects = _objects(world, type_name)
    scope, token, api = world.scopes[role], world.tokens[role], world.api
    facts = [await _facts(world, o) for o in objects]
    expected = [visible(scope, f) for f in facts]
    one, many = _documents(type_name)

    # when fetching each by node(id:), then only those in scope come back, with nothing leaked
    for obj, fact, exp in zip(objects, facts, expected, strict=True):
        body = await api.raw(one, {"id": obj.gid}, token=token)
        assert await world.detector.leaks(body, scope) == []
        if token is None:
            _check_anonymous(body)
            continue
        assert not body.get("errors"), body["errors"]
        _check_returned(body["data"]["node"], obj, exp, role)
        await _check_profile(world, body["data"]["node"], fact, role)

    # when fetching all at once by nodes(ids:), then the same, position by position
    body = await api.raw(many, {"ids": [o.gid for o in objects]}, token=token)
    assert await world.detector.leaks(body, scope) == []
    if token is None:
        _check_anonymous(body)
        return
    assert not body.get("errors"), body["errors"]
    returned = body["data"]["nodes"]
    assert len(returned) == len(objects)
    for node, obj, fact, exp in zip(returned, objects, facts, expected, strict=True):
        _check_returned(node, obj, exp, role)
        await _check_profile(world, node, fact, role)


async def test_the_matrix_is_not_vacuous(world: SecurityWorld) -> None:
    # given the world, then every type has objects some role sees, and every type that is not
    # public has objects some logged-in role may not see
    public = {"Opd", "Unor", "Employee", "Period", "Survey", "Competency"}
    for type_name in node_types():
        facts = [await _facts(world, o) for o in _objects(world, type_name)]
        seen = [
            visible(scope, f)
            for role, scope in world.scopes.items()
            if role != "anonymous"
            for f in facts
        ]
        assert any(seen), f"no role may see any {type_name}"
        assert type_name in public or not all(seen), f"every role sees every {type_name}"


async def test_a_global_id_of_one_type_does_not_open_another(world: SecurityWorld) -> None:
    # given the staff's SKP id re-labelled as other types, when fetched by the bkpsdm admin
    skp = world.objects["Skp"][0]
    ids = [encode_global_id(t, skp.pk) for t in ("Secret", "UserAccount", "RoleGrant")]
    body = await world.api.raw(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        {"ids": ids},
        token=world.tokens["bkpsdm"],
    )
    # then nothing resolves
    assert body["data"]["nodes"] == [None, None, None]


# --- list entry points with an employee argument -------------------------------------------------

# entry point -> (document taking $id, the Node type it lists, or None)
EMPLOYEE_LISTS: dict[str, tuple[str, str | None]] = {
    "feedbackThreads": (
        "feedbackThreads(first: 50, employeeId: $id) { edges { node { id topic } } }",
        "FeedbackThread",
    ),
    "openDialogActions": ("openDialogActions(employeeId: $id) { id description }", "DialogAction"),
    "coachingAssignments": (
        (
            "coachingAssignments(first: 50, employeeId: $id, asCoach: false) "
            "{ edges { node { id goal employee { id } } } }"
        ),
        "CoachingAssignment",
    ),
    "trainingAssignments": (
        "trainingAssignments(first: 50, employeeId: $id) { edges { node { id reason } } }",
        "TrainingAssignment",
    ),
    "skps": (
        (
            "skps(first: 50, filter: {employeeId: $id}) "
            "{ edges { node { id employee { id profile { nip } } rhks { id description } } } }"
        ),
        "Skp",
    ),
    "activities": (
        "activities(first: 50, filter: {employeeId: $id}) { edges { node { id description } } }",
        "Activity",
    ),
    "evaluations": (
        "evaluations(first: 50, filter: {employeeId: $id}) { edges { node { id } } }",
        "Evaluation",
    ),
    "jpLedger": ("jpLedger(employeeId: $id) { year completedJp plannedJp remainingJp }", None),
    "trainingRecommendations": (
        "trainingRecommendations(employeeId: $id, limit: 10) { score course { id } }",
        None,
    ),
}


def _ids_in(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["id"]} if isinstance(value.get("id"), str) else set()
        for item in value.values():
            found |= _ids_in(item)
        return found
    if isinstance(value, list):
        return set().union(*(_ids_in(v) for v in value)) if value else set()
    return set()


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("entry", list(EMPLOYEE_LISTS))
async def test_lists_by_employee_id_stay_in_scope(
    world: SecurityWorld, entry: str, role: str
) -> None:
    # given an entry point taking an employee id, and the staff of both OPDs as targets
    document, type_name = EMPLOYEE_LISTS[entry]
    query = f"query BolaList($id: ID!) {{ {document} }}"
    scope, token = world.scopes[role], world.tokens[role]
    for target in ("staff_a", "staff_b"):
        # when the role lists the target's objects
        body = await world.api.raw(query, {"id": world.gid(target)}, token=token)
        # then nothing outside the role's scope comes back
        assert await world.detector.leaks(body, scope) == [], (target, body)
        for error in body.get("errors") or []:
            assert error["extensions"]["code"] in {"NOT_FOUND", "FORBIDDEN", "UNAUTHENTICATED"}
        employee = await world.detector.facts("Employee", world.people[target].id)
        assert employee is not None
        if type_name is None or not profile_visible(scope, employee):
            continue
        # and whoever may read the target's file gets the target's objects it may see
        owned = [
            o.gid
            for o in world.objects[type_name]
            if (f := await world.detector.facts(type_name, o.pk)) is not None
            and f.employee_id == world.people[target].id
            and visible(scope, f)
        ]
        if (role, target) in {("employee", "staff_a"), ("supervisor", "staff_a")}:
            assert owned, f"the world has no {type_name} of {target} for {role}"
        assert set(owned) <= _ids_in(body.get("data")), (target, body)


# --- entry points with an OPD argument -----------------------------------------------------------

# entry point -> (document taking $opd and $period, who may call it for that OPD)
#   "admin": ADMIN_OPD of that OPD or BKPSDM; "metrics": those and program managers;
#   "scoped": anyone, the answer being limited to the viewer's scope
OPD_LISTS: dict[str, tuple[str, str]] = {
    "incentiveRows": (
        (
            "incentiveRows(periodId: $period, opdId: $opd) "
            "{ nip employee { id profile { nip } } evaluation { id } }"
        ),
        "admin",
    ),
    "distributionCurve": (
        "distributionCurve(opdId: $opd, periodId: $period) { total draftCount opd { id } }",
        "admin",
    ),
    "jpRollup": ("jpRollup(opdId: $opd) { year jpRight }", "admin"),
    "adoptionFunnel": ("adoptionFunnel(opdId: $opd) { rows { employees opd { id } } }", "metrics"),
    "surveyTrend": ("surveyTrend(opdId: $opd) { rows { firstSessionDate opd { id } } }", "metrics"),
    "developmentCandidates": (
        (
            "developmentCandidates(periodId: $period, opdId: $opd) "
            "{ plan employee { id profile { nip } } evaluation { id } }"
        ),
        "scoped",
    ),
    "jpAtRisk": (
        "jpAtRisk(first: 50, opdId: $opd) { edges { node { employee { id profile { nip } } } } }",
        "scoped",
    ),
}


def _may_call(world: SecurityWorld, role: str, rule: str, opd_id: int) -> bool:
    scope = world.scopes[role]
    admin = scope.bkpsdm or opd_id in scope.admin_opd_ids
    return scope.authenticated and (
        rule == "scoped" or admin or (rule == "metrics" and scope.manager)
    )


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("entry", list(OPD_LISTS))
async def test_lists_by_opd_id_stay_in_scope(world: SecurityWorld, entry: str, role: str) -> None:
    # given an entry point taking an OPD id, and both OPDs as targets
    document, rule = OPD_LISTS[entry]
    uses_period = "$period" in document
    arguments = "$opd: ID!, $period: ID!" if uses_period else "$opd: ID!"
    query = f"query BolaOpd({arguments}) {{ {document} }}"
    scope, token = world.scopes[role], world.tokens[role]
    for side in ("a", "b"):
        opd_id = world.opds[side]
        variables = {"opd": encode_global_id("Opd", opd_id)}
        if uses_period:
            variables["period"] = encode_global_id("Period", world.quarter_id)
        # when the role asks about the OPD
        body = await world.api.raw(query, variables, token=token)
        # then nothing outside its scope comes back, and only those allowed get an answer
        assert await world.detector.leaks(body, scope) == [], (side, body)
        codes = {e["extensions"]["code"] for e in body.get("errors") or []}
        if _may_call(world, role, rule, opd_id):
            assert not codes, (side, body["errors"])
            assert body["data"][entry] is not None
        else:
            assert codes <= {"FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"}, (side, codes)
            assert codes, (side, body)
            assert not (body.get("data") or {}).get(entry), (side, body)
        # and the OPD's admin sees the OPD's rated staff member on the payroll lines
        if entry in {"incentiveRows", "developmentCandidates"} and (role, side) == (
            "admin_opd",
            "a",
        ):
            employees = {row["employee"]["id"] for row in body["data"][entry]}
            assert world.gid("staff_a") in employees, body
