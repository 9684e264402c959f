"""Relay connections through GraphQL: backward pages (``last``/``before``) and ``orderBy`` on
the lists users sort (employee directory, team, activities and the verification queue, audit
log), and typed errors for arguments that do not fit.

Given in every test: the Dinas Kesehatan organisation of ``build_org`` (head -> boss -> staff,
peer; an outsider at Bapenda) and its admins, logged in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from portal.core.audit import AuditEntry
from portal.performance.enums import ActivityStatus
from portal.performance.tables import Evaluation, Period
from support.api import Api, operations
from support.factories import Factory
from support.performance_builders import (
    Org,
    build_org,
    insert_activities,
    insert_approved_skp,
    past_day,
    pk_of,
)


async def _walk(
    api: Api, op: str, root: str, token: str, variables: dict[str, Any], *, backward: bool
) -> list[dict[str, Any]]:
    """Every node of a connection, page by page of two, forward or backward (in list order)."""
    nodes: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        page_vars = dict(variables)
        if backward:
            page_vars.update({"last": 2, "before": cursor})
        else:
            page_vars.update({"first": 2, "after": cursor})
        data = (await api.data(op, page_vars, token=token))[root]
        page = [e["node"] for e in data["edges"]]
        assert len(page) <= 2
        info = data["pageInfo"]
        if backward:
            nodes = page + nodes
            assert info["hasNextPage"] is (cursor is not None)
            if not info["hasPreviousPage"]:
                return nodes
            cursor = info["startCursor"]
        else:
            nodes += page
            assert info["hasPreviousPage"] is (cursor is not None)
            if not info["hasNextPage"]:
                return nodes
            cursor = info["endCursor"]


def _code(body: dict[str, Any]) -> str:
    code: str = body["errors"][0]["extensions"]["code"]
    return code


# --- employee directory and team -------------------------------------------------------------


async def _directory(api: Api, factory: Factory) -> tuple[Org, list[dict[str, Any]]]:
    org = await build_org(api, factory)
    everyone = (await api.data("EmployeeDirectory", {"first": 100}, token=org.tokens["bkpsdm"]))[
        "employees"
    ]["edges"]
    return org, [e["node"] for e in everyone]


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
@pytest.mark.parametrize("backward", [False, True])
async def test_directory_by_name_pages_both_ways(
    api: Api, factory: Factory, direction: str, *, backward: bool
) -> None:
    # given five employees whose names are not in ID order
    org, everyone = await _directory(api, factory)
    by_name = sorted((e["name"] for e in everyone), reverse=direction == "DESC")
    assert by_name != [e["name"] for e in everyone]
    # when the directory is read by name, two at a time, forward or backward
    nodes = await _walk(
        api,
        "EmployeeDirectory",
        "employees",
        org.tokens["bkpsdm"],
        {"orderBy": {"field": "NAME", "direction": direction}},
        backward=backward,
    )
    # then every employee appears once, in name order
    assert [n["name"] for n in nodes] == by_name


async def test_directory_default_order_pages_backward_from_the_end(
    api: Api, factory: Factory
) -> None:
    org, everyone = await _directory(api, factory)
    ids = [e["id"] for e in everyone]
    assert ids == sorted(ids, key=pk_of)  # ID order without orderBy
    # when the last page is asked for without a cursor, then it is the end of the list
    data = (await api.data("EmployeeDirectory", {"last": 2}, token=org.tokens["bkpsdm"]))[
        "employees"
    ]
    assert [e["node"]["id"] for e in data["edges"]] == ids[-2:]
    assert data["pageInfo"]["hasPreviousPage"] is True
    assert data["pageInfo"]["hasNextPage"] is False
    assert data["totalCount"] == len(ids)
    # and walking backward gives the same list as walking forward
    nodes = await _walk(
        api, "EmployeeDirectory", "employees", org.tokens["bkpsdm"], {}, backward=True
    )
    assert [n["id"] for n in nodes] == ids


async def test_team_ordered_by_name_descending(api: Api, factory: Factory) -> None:
    org = await build_org(api, factory)
    data = (
        await api.data(
            "MyTeam",
            {"first": 10, "orderBy": {"field": "NAME", "direction": "DESC"}},
            token=org.tokens["boss"],
        )
    )["viewer"]["team"]
    assert [e["node"]["name"] for e in data["edges"]] == ["Perawat Satu", "Perawat Dua"]


@pytest.mark.parametrize(
    ("variables", "code", "path"),
    [
        ({}, "REQUIRED", ["first"]),
        ({"first": 2, "last": 2}, "INVALID_INPUT", ["last"]),
        ({"last": 2, "after": "Yzox"}, "INVALID_INPUT", ["before"]),
        ({"before": "Yzox"}, "REQUIRED", ["last"]),
        ({"last": 0}, "INVALID_PAGE_SIZE", ["last"]),
        ({"last": 101}, "INVALID_PAGE_SIZE", ["last"]),
        ({"last": 2, "before": "%%%"}, "INVALID_CURSOR", ["before"]),
        # an ID-order cursor ("c:1") in name order, and a name cursor in NIP order
        ({"first": 2, "after": "Yzox", "orderBy": {"field": "NAME"}}, "INVALID_CURSOR", ["after"]),
        (
            {"last": 2, "before": "czpOQU1FOjE6QQ", "orderBy": {"field": "NIP"}},
            "INVALID_CURSOR",
            ["before"],
        ),
    ],
)
async def test_bad_backward_and_ordering_arguments_are_typed_errors(
    api: Api, factory: Factory, variables: dict[str, Any], code: str, path: list[str]
) -> None:
    org = await build_org(api, factory)
    body = await api.op("EmployeeDirectory", variables, token=org.tokens["bkpsdm"])
    assert body["data"] is None or body["data"].get("employees") is None
    assert _code(body) == code
    assert body["errors"][0]["extensions"]["path"] == path


@pytest.mark.parametrize("first", [0, 101])
async def test_account_list_size_is_the_same_typed_error_as_a_connection(
    api: Api, factory: Factory, first: int
) -> None:
    org = await build_org(api, factory)
    body = await api.op("Accounts", {"first": first}, token=org.tokens["bkpsdm"])
    assert _code(body) == "INVALID_PAGE_SIZE"
    assert body["errors"][0]["extensions"]["path"] == ["first"]


async def test_unknown_order_field_is_a_validation_error(api: Api, factory: Factory) -> None:
    org = await build_org(api, factory)
    body = await api.op(
        "EmployeeDirectory", {"first": 2, "orderBy": {"field": "SALARY"}}, token=org.tokens["head"]
    )
    assert _code(body) == "GRAPHQL_VALIDATION_FAILED"


async def test_cursor_error_message_follows_accept_language(api: Api, factory: Factory) -> None:
    org = await build_org(api, factory)
    variables = {"last": 2, "before": "%%%"}
    query = operations()["EmployeeDirectory"]
    token = org.tokens["bkpsdm"]
    indonesian = await api.raw(query, variables, token=token)
    english = await api.raw(query, variables, token=token, headers={"Accept-Language": "en"})
    assert indonesian["errors"][0]["message"] == "Kursor halaman tidak valid"
    assert english["errors"][0]["message"] == "Not a valid pagination cursor"
    size = await api.raw(query, {"last": 0}, token=token)
    assert size["errors"][0]["message"] == "last harus antara 1 dan 100"


# --- activities and the verification queue ---------------------------------------------------


async def test_verification_queue_by_activity_date_both_ways(api: Api, factory: Factory) -> None:
    # given five submitted activities of the boss's reports, logged out of date order
    org = await build_org(api, factory)
    staff, peer = org.people["staff"].id, org.people["peer"].id
    await insert_activities(staff, org.period_id, None, [past_day(d) for d in (3, 9, 1)],
                            status=ActivityStatus.SUBMITTED, key_prefix="s")  # fmt: skip
    await insert_activities(peer, org.period_id, None, [past_day(d) for d in (5, 7)],
                            status=ActivityStatus.SUBMITTED, key_prefix="p")  # fmt: skip
    token = org.tokens["boss"]
    queue = {"filter": {"pendingForMe": True}}
    newest_logged = await _walk(api, "Activities", "activities", token, queue, backward=False)
    assert [pk_of(n["id"]) for n in newest_logged] == sorted(
        (pk_of(n["id"]) for n in newest_logged), reverse=True
    )
    oldest_first = sorted(past_day(d).isoformat() for d in (3, 9, 1, 5, 7))
    for backward in (False, True):
        # when the queue is read oldest work first, forward and backward
        nodes = await _walk(
            api,
            "Activities",
            "activities",
            token,
            {**queue, "orderBy": {"field": "ACTIVITY_DATE", "direction": "ASC"}},
            backward=backward,
        )
        # then it is in activity-date order
        assert [n["activityDate"] for n in nodes] == oldest_first
    by_date_desc = (
        await api.data(
            "Activities",
            {**queue, "last": 1, "orderBy": {"field": "ACTIVITY_DATE"}},  # DESC by default
            token=token,
        )
    )["activities"]["edges"]
    assert [e["node"]["activityDate"] for e in by_date_desc] == [oldest_first[0]]


# --- audit log -------------------------------------------------------------------------------


async def test_audit_log_by_action_and_time_both_ways(api: Api, factory: Factory) -> None:
    org = await build_org(api, factory)
    base = datetime(2026, 3, 1, 8, tzinfo=UTC)
    actions = ["SKP_APPROVED", "CURVE_OVERRIDDEN", "EVALUATION_FINALISED", "CURVE_OVERRIDDEN"]
    for n, action in enumerate(actions):
        await AuditEntry.insert(
            AuditEntry(action=action, entity_type="Test", at=base + timedelta(hours=n))
        )
    token = org.tokens["bkpsdm"]
    only = {"filter": {"entityType": "Test"}}
    for backward in (False, True):
        by_action = await _walk(
            api,
            "AuditLog",
            "auditLog",
            token,
            {**only, "orderBy": {"field": "ACTION", "direction": "ASC"}},
            backward=backward,
        )
        assert [n["action"] for n in by_action] == sorted(actions)
        # equal actions keep ID order (the tie-breaker)
        overridden = [int(n["id"]) for n in by_action if n["action"] == "CURVE_OVERRIDDEN"]
        assert overridden == sorted(overridden)
        oldest_first = await _walk(
            api,
            "AuditLog",
            "auditLog",
            token,
            {**only, "orderBy": {"field": "AT", "direction": "ASC"}},
            backward=backward,
        )
        assert [n["action"] for n in oldest_first] == actions
        newest_first = await _walk(api, "AuditLog", "auditLog", token, only, backward=backward)
        assert [n["action"] for n in newest_first] == actions[::-1]


# --- the team overview -----------------------------------------------------------------------


async def test_team_progress_is_ordered_and_its_rows_have_stable_ids(
    api: Api, factory: Factory
) -> None:
    # given the boss's two reports: staff with two activities awaiting verification, peer none
    org = await build_org(api, factory)
    staff = org.people["staff"].id
    await insert_activities(staff, org.period_id, None, [past_day(2), past_day(1)],
                            status=ActivityStatus.SUBMITTED)  # fmt: skip
    token = org.tokens["boss"]

    async def names(order: dict[str, str] | None) -> list[str]:
        variables = {"orderBy": order} if order else {}
        rows = (await api.data("TeamProgress", variables, token=token))["teamProgress"]
        return [r["employee"]["name"] for r in rows]

    assert await names({"field": "NAME"}) == ["Perawat Dua", "Perawat Satu"]
    assert await names({"field": "NAME", "direction": "DESC"}) == ["Perawat Satu", "Perawat Dua"]
    pending = {"field": "PENDING_VERIFICATIONS", "direction": "DESC"}
    assert await names(pending) == ["Perawat Satu", "Perawat Dua"]
    # a member without a value (peer: no activity yet) comes last in either direction
    for direction in ("ASC", "DESC"):
        last_day = {"field": "LAST_ACTIVITY_DATE", "direction": direction}
        assert await names(last_day) == ["Perawat Satu", "Perawat Dua"]
    # and each row has an id, distinct per member and the same on the next read
    first = (await api.data("TeamProgress", {}, token=token))["teamProgress"]
    again = (await api.data("TeamProgress", {}, token=token))["teamProgress"]
    ids = [r["id"] for r in first]
    assert len(set(ids)) == len(ids) == 2
    assert [r["id"] for r in again] == ids
    # (not the employee's id: the row is the employee in the period measured)
    assert all(r["id"] != r["employee"]["id"] for r in first)


# --- evaluations ---------------------------------------------------------------------------


async def test_evaluations_to_rate_drafts_first_both_ways(api: Api, factory: Factory) -> None:
    # given four evaluations the boss rates: two quarters of staff and peer, finalised or not
    org = await build_org(api, factory)
    boss = org.people["boss"]
    quarters = await Period.select(Period.id).where(Period.parent == org.period_id).limit(2)
    statuses = {}
    for who, first_status in (("staff", "FINAL"), ("peer", "DRAFT")):
        member = org.people[who]
        skp_id, _ = await insert_approved_skp(member, org.period_id, rater_id=boss.id)
        for quarter, status in zip(quarters, (first_status, "DRAFT"), strict=True):
            inserted = await Evaluation.insert(
                Evaluation(
                    skp=skp_id,
                    period=quarter["id"],
                    employee=member.id,
                    opd=member.opd_id,
                    rater=boss.id,
                    status=status,
                )
            )
            statuses[inserted[0]["id"]] = status
    token = org.tokens["boss"]
    to_rate = {"filter": {"toRate": True}}
    drafts_first = sorted(statuses, key=lambda pk: (statuses[pk] != "DRAFT", pk))
    for backward in (False, True):
        nodes = await _walk(
            api,
            "MyEvaluations",
            "evaluations",
            token,
            {**to_rate, "orderBy": {"field": "STATUS"}},
            backward=backward,
        )
        assert [pk_of(n["id"]) for n in nodes] == drafts_first
        newest_first = await _walk(
            api, "MyEvaluations", "evaluations", token, to_rate, backward=backward
        )
        assert [pk_of(n["id"]) for n in newest_first] == sorted(statuses, reverse=True)
