"""Nobody outside the scoping rules can read or change an SKP, an indicator or an activity.

Readers of an employee's performance data: the employee, their supervisor chain (also the
supervisor's supervisor), an ADMIN_OPD of their OPD and ADMIN_BKPSDM. Everybody else - an
unrelated employee, a peer under the same supervisor, an ADMIN_OPD of another OPD, a
PENGELOLA_SOSIALISASI - gets ``null`` from ``node(id:)``, NOT_FOUND from queries and mutations
(existence is never revealed); readers who are not the owner get FORBIDDEN when they try to
change what only the owner may change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from portal.people.enums import JabatanKind
from portal.performance.tables import Activity, Indicator, Rhk, Skp, SkpExpectation
from support.api import Api
from support.factories import PASSWORD, Factory
from support.performance_builders import (
    Chain,
    Cycle,
    Org,
    approved_chain,
    build_org,
    codes,
    gid,
    past_day,
    pk_of,
    rhk,
)

OUTSIDERS = ("outsider", "peer", "admin_other_opd", "sosialisasi")
READERS = ("staff", "boss", "head", "admin_opd", "bkpsdm")
NOT_OWNER_READERS = ("boss", "head", "admin_opd", "bkpsdm")  # the owner's chain and admins


@dataclass
class World:
    org: Org
    cycle: Cycle
    chain: Chain
    verified: str  # the staff's verified activity
    submitted: str  # the staff's activity awaiting verification

    @property
    def staff_employee(self) -> str:
        return gid("Employee", self.org.people["staff"].id)


async def _world(api: Api, factory: Factory) -> World:
    org = await build_org(api, factory)
    cycle = Cycle(api, org.period)
    chain = await approved_chain(cycle, org)
    ids = []
    for key, quantity in (("done", 30), ("waiting", 12)):
        payload = (
            await api.data(
                "LogActivity",
                {
                    "input": {
                        "idempotencyKey": key,
                        "activity": {
                            "activityDate": past_day(2).isoformat(),
                            "description": "Vaksinasi di posyandu Melati",
                            "quantity": quantity,
                            "unit": "dosis vaksin",
                            "indicatorId": chain.staff.indicators[0],
                        },
                    }
                },
                token=org.tokens["staff"],
            )
        )["logActivity"]
        assert payload["userErrors"] == []
        ids.append(payload["activity"]["id"])
    verified = (
        await api.data(
            "VerifyActivities",
            {"input": {"activityIds": [ids[0]], "approve": True}},
            token=org.tokens["boss"],
        )
    )["verifyActivities"]
    assert verified["results"][0]["userErrors"] == []
    return World(org=org, cycle=cycle, chain=chain, verified=ids[0], submitted=ids[1])


async def _state() -> list[Any]:
    """Everything an outsider could try to change, to compare before and after."""
    return [
        await Skp.select().order_by(Skp.id),
        await Rhk.select().order_by(Rhk.id),
        await Indicator.select().order_by(Indicator.id),
        await Activity.select().order_by(Activity.id),
        await SkpExpectation.select().order_by(SkpExpectation.id),
    ]


# --- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", OUTSIDERS + READERS)
async def test_who_can_read_an_skp_its_indicators_and_activities(
    api: Api, factory: Factory, viewer: str
) -> None:
    # given the staff's approved SKP, a verified and a submitted activity
    w = await _world(api, factory)
    token = w.org.tokens[viewer]
    can_read = viewer in READERS
    targets = {
        "Skp": w.chain.staff.skp,
        "Rhk": w.chain.staff.rhks[0],
        "Indicator": w.chain.staff.indicators[0],
        "Indicator2": w.chain.staff.indicators[1],
        "Activity": w.verified,
        "Activity2": w.submitted,
    }

    # when fetching each through node(id:), then only readers see it, outsiders get null
    for label, global_id in targets.items():
        node = (await api.data("PerformanceNode", {"id": global_id}, token=token))["node"]
        if can_read:
            assert node is not None, label
            assert node["id"] == global_id
            assert node["__typename"] == label.rstrip("2")
        else:
            assert node is None, label
    # and the same through nodes(ids:)
    nodes = (await api.data("PerformanceNodes", {"ids": list(targets.values())}, token=token))[
        "nodes"
    ]
    assert [n is not None for n in nodes] == [can_read] * len(targets)
    # and the whole SKP screen
    assert ((await w.cycle.skp(token, w.chain.staff.skp)) is not None) == can_read
    if can_read:
        indicator = (
            await api.data("PerformanceNode", {"id": w.chain.staff.indicators[0]}, token=token)
        )["node"]
        assert indicator["progress"]["verifiedQuantity"] == 30

    # when listing the staff's activities and SKPs by employee, then NOT_FOUND for outsiders
    variables = {"first": 10, "filter": {"employeeId": w.staff_employee}}
    activities = await api.op("Activities", variables, token=token)
    skps = await api.op("Skps", variables, token=token)
    if can_read:
        assert activities.get("errors") is None
        assert {e["node"]["id"] for e in activities["data"]["activities"]["edges"]} == {
            w.verified,
            w.submitted,
        }
        assert [e["node"]["id"] for e in skps["data"]["skps"]["edges"]] == [w.chain.staff.skp]
    else:
        for body in (activities, skps):
            assert body["data"] is None
            assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]
            assert "Perawat" not in str(body)
    # and the unfiltered SKP list shows the staff's SKP only to readers
    listed = (await api.data("Skps", {"first": 100}, token=token))["skps"]["edges"]
    assert (w.chain.staff.skp in {e["node"]["id"] for e in listed}) == can_read
    # and the pending list shows the submitted activity only to the direct supervisor
    pending = (
        await api.data("Activities", {"first": 10, "filter": {"pendingForMe": True}}, token=token)
    )["activities"]["edges"]
    assert [e["node"]["id"] for e in pending] == ([w.submitted] if viewer == "boss" else [])


# --- changing --------------------------------------------------------------------------------


OWNER_EDITS = ("SubmitSkp", "SaveRhk", "RemoveRhk", "UpdateSkp", "UpdateActivity")
RATER_ACTIONS = (
    "ApproveSkp",
    "ReturnSkp",
    "ReviseSkp",
    "SetSkpExpectations",
    "VerifyActivities",
)


async def _mutations(
    api: Api, w: World, token: str, names: tuple[str, ...] = OWNER_EDITS + RATER_ACTIONS
) -> dict[str, list[str]]:
    """Try changes on the staff's SKP and activities; return the codes per attempt."""
    skp, rhk_id = w.chain.staff.skp, w.chain.staff.rhks[0]
    activity = {
        "activityDate": past_day(1).isoformat(),
        "description": "Dipalsukan",
        "quantity": 9999,
        "indicatorId": w.chain.staff.indicators[0],
    }
    inputs: dict[str, dict[str, Any]] = {
        "SubmitSkp": {"skpId": skp},
        "ApproveSkp": {"skpId": skp},
        "ReturnSkp": {"skpId": skp, "note": "Dikembalikan"},
        "ReviseSkp": {"skpId": skp, "note": "Direvisi orang lain"},
        "SaveRhk": {"skpId": skp, "rhk": rhk("Sisipan", kind="TAMBAHAN")},
        "RemoveRhk": {"rhkId": rhk_id},
        "UpdateSkp": {"skpId": skp, "resources": "Diubah orang lain"},
        "SetSkpExpectations": {
            "skpId": skp,
            "expectations": [{"value": "LOYAL", "expectation": "Diubah"}],
        },
        "UpdateActivity": {"activityId": w.submitted, "activity": activity},
        "VerifyActivities": {
            "activityIds": [w.submitted, w.verified],
            "approve": False,
            "note": "Ditolak orang lain",
        },
    }
    results: dict[str, list[str]] = {}
    for name in names:
        data = await api.data(name, {"input": inputs[name]}, token=token)
        payload = data[name[0].lower() + name[1:]]
        if name == "VerifyActivities":
            results[name] = codes(payload["userErrors"]) + [
                c for r in payload["results"] for c in codes(r["userErrors"])
            ]
            assert all(r["activity"] is None for r in payload["results"])
        else:
            results[name] = codes(payload["userErrors"])
            payload.pop("userErrors")
            assert all(v in (None, [], False) for v in payload.values()), (name, payload)
    return results


@pytest.mark.parametrize("viewer", OUTSIDERS)
async def test_outsiders_cannot_change_anything_and_learn_nothing(
    api: Api, factory: Factory, viewer: str
) -> None:
    w = await _world(api, factory)
    before = await _state()

    # when an outsider tries every change, then each is NOT_FOUND and nothing changed
    results = await _mutations(api, w, w.org.tokens[viewer])
    assert results == {
        "SubmitSkp": ["NOT_FOUND"],
        "ApproveSkp": ["NOT_FOUND"],
        "ReturnSkp": ["NOT_FOUND"],
        "ReviseSkp": ["NOT_FOUND"],
        "SaveRhk": ["NOT_FOUND"],
        "RemoveRhk": ["NOT_FOUND"],
        "UpdateSkp": ["NOT_FOUND"],
        "SetSkpExpectations": ["NOT_FOUND"],
        "UpdateActivity": ["NOT_FOUND"],
        "VerifyActivities": ["NOT_FOUND", "NOT_FOUND"],
    }
    assert await _state() == before


async def test_outsiders_cannot_borrow_someone_elses_rhk_or_indicator(
    api: Api, factory: Factory
) -> None:
    w = await _world(api, factory)
    t = w.org.tokens
    before_activities = await Activity.count()
    for viewer in ("outsider", "peer"):
        # when an employee logs work against the staff's indicator, then it is refused
        payload = (
            await api.data(
                "LogActivity",
                {
                    "input": {
                        "idempotencyKey": f"steal-{viewer}",
                        "activity": {
                            "activityDate": past_day(1).isoformat(),
                            "description": "Menumpang indikator",
                            "indicatorId": w.chain.staff.indicators[0],
                        },
                    }
                },
                token=t[viewer],
            )
        )["logActivity"]
        assert codes(payload["userErrors"]) == ["INDICATOR_NOT_IN_SKP"]
        # when they "replace" the staff's RHK from their own SKP, then NOT_FOUND
        own = await w.cycle.create_skp(t[viewer])
        replace = await w.cycle.save_rhk(
            t[viewer], own["id"], rhk("Ambil alih", kind="TAMBAHAN"), rhk_id=w.chain.staff.rhks[0]
        )
        assert codes(replace["userErrors"]) == ["NOT_FOUND"]
        # or keep the staff's indicator inside their own RHK, then NOT_FOUND
        keep = await w.cycle.save_rhk(
            t[viewer],
            own["id"],
            rhk(
                "Ambil indikator",
                kind="TAMBAHAN",
                indicators=[
                    {
                        "id": w.chain.staff.indicators[0],
                        "aspect": "KUANTITAS",
                        "description": "Dicuri",
                        "targetValue": 1,
                        "unit": "x",
                    }
                ],
            ),
        )
        assert codes(keep["userErrors"]) == ["NOT_FOUND"]
    # accounts without an employee record cannot log at all
    for viewer in ("admin_other_opd", "sosialisasi", "bkpsdm"):
        payload = (
            await api.data(
                "LogActivity",
                {
                    "input": {
                        "idempotencyKey": "admin",
                        "activity": {
                            "activityDate": past_day(1).isoformat(),
                            "description": "x" * 5,
                        },
                    }
                },
                token=t[viewer],
            )
        )["logActivity"]
        assert codes(payload["userErrors"]) == ["FORBIDDEN"]
    assert await Activity.count() == before_activities
    (indicator,) = await Indicator.select(Indicator.description, Indicator.rhk).where(
        Indicator.id == pk_of(w.chain.staff.indicators[0])
    )
    assert indicator == {
        "description": "Dosis vaksin diberikan",
        "rhk": pk_of(w.chain.staff.rhks[0]),
    }


@pytest.mark.parametrize("viewer", NOT_OWNER_READERS)
async def test_readers_who_are_not_the_owner_cannot_edit_the_owners_plan_or_work(
    api: Api, factory: Factory, viewer: str
) -> None:
    w = await _world(api, factory)
    before = await _state()

    # when a reader who is not the owner edits the staff's SKP or activity, then FORBIDDEN
    results = await _mutations(api, w, w.org.tokens[viewer], OWNER_EDITS)
    assert results == {name: ["FORBIDDEN"] for name in OWNER_EDITS}
    assert await _state() == before

    # and only the rater (the boss) rates and only the direct supervisor verifies
    if viewer != "boss":
        rater = await _mutations(api, w, w.org.tokens[viewer], RATER_ACTIONS)
        assert rater == {
            "ApproveSkp": ["FORBIDDEN"],
            "ReturnSkp": ["FORBIDDEN"],
            "ReviseSkp": ["FORBIDDEN"],
            "SetSkpExpectations": ["FORBIDDEN"],
            "VerifyActivities": ["NOT_FOUND", "NOT_FOUND"],
        }
        assert await _state() == before


# --- cascading links must not open a path into someone else's SKP ---------------------------


async def test_a_jpt_cannot_link_an_unrelated_rhk_as_parent_to_read_it(
    api: Api, factory: Factory
) -> None:
    # given the staff's approved SKP at Dinas Kesehatan, and the head of Bapenda (a JPT)
    w = await _world(api, factory)
    bapenda_unit = await factory.unor(w.org.other_opd_id)
    jpt = await factory.employee(
        bapenda_unit, name="Kepala Bapenda", jabatan_kind=JabatanKind.JPT_PRATAMA
    )
    token = await api.login(jpt.username, PASSWORD)
    own = await w.cycle.create_skp(token)

    # when the JPT names the staff's RHK as the parent of their own RHK
    payload = await w.cycle.save_rhk(
        token,
        own["id"],
        rhk(
            "Pendapatan asli daerah meningkat",
            perspective="ANGGARAN",
            parent=w.chain.staff.rhks[0],
        ),
    )

    # then it is refused, and nothing of the staff's SKP is reachable through it
    body = await api.raw(
        """
        query Peek($id: ID!) {
          node(id: $id) {
            ... on Skp { rhks { parentRhk { description indicators {
              description targetValue progress { verifiedQuantity } } } } }
          }
        }
        """,
        {"id": own["id"]},
        token=token,
    )
    assert "Dosis vaksin diberikan" not in str(body)
    assert await Rhk.count().where(Rhk.parent_rhk == pk_of(w.chain.staff.rhks[0])) == 0
    assert codes(payload["userErrors"]) == ["INVALID_PARENT_RHK"]
