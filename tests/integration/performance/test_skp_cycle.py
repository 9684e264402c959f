"""The SKP cycle through GraphQL: planning with cascading, the approval workflow, revisions,
validation, ekspektasi and annex, and bulk RHK templates.

The organisation (see ``support.performance_builders.build_org``): Kepala Dinas (JPT Pratama,
no supervisor) -> Kepala Puskesmas (Administrator) -> two Pelaksana, and an employee of another
OPD. An SKP whose owner has no supervisor has no rater; ADMIN_BKPSDM approves it on behalf of
the regional head (``policy.require_rater``).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from portal.core.audit import AuditEntry
from portal.core.auth import Role
from portal.people.enums import JabatanKind
from portal.people.tables import Employee
from portal.performance.planning.services import skp as skp_service
from portal.performance.tables import Indicator, Rhk, Skp, SkpRevision
from support.api import Api
from support.factories import PASSWORD, Factory, Person
from support.performance_builders import (
    Cycle,
    Org,
    approved_chain,
    build_org,
    codes,
    gid,
    indicator,
    open_year,
    pk_of,
    rhk,
)


async def _org(api: Api, factory: Factory) -> tuple[Org, Cycle]:
    org = await build_org(api, factory)
    return org, Cycle(api, org.period)


async def _audit(action: str, skp: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = (
        await AuditEntry.select(AuditEntry.account_id, AuditEntry.before, AuditEntry.after)
        .where(
            (AuditEntry.action == action)
            & (AuditEntry.entity_type == "Skp")
            & (AuditEntry.entity_id == str(pk_of(skp)))
        )
        .order_by(AuditEntry.id)
        .output(load_json=True)
    )
    return rows


# --- JPT at the top: perspective, no parent, who approves -------------------------------------


async def test_jpt_head_plans_with_perspectives_and_bkpsdm_approves_an_skp_without_rater(
    api: Api, factory: Factory
) -> None:
    # given the Kepala Dinas (JPT Pratama) at the top of the hierarchy
    org, cycle = await _org(api, factory)
    t = org.tokens

    # when they start their SKP, then it has no rater and no rater's superior
    created = await cycle.create_skp(t["head"])
    assert created["status"] == "DRAFT"
    assert created["rater"] is None
    assert created["raterSuperior"] is None
    skp = created["id"]

    # when an UTAMA RHK has no perspective, then PERSPECTIVE_REQUIRED
    missing = await cycle.save_rhk(t["head"], skp, rhk("Meningkatnya layanan kesehatan"))
    assert codes(missing["userErrors"]) == ["PERSPECTIVE_REQUIRED"]
    assert missing["rhk"] is None

    # when it has one (and no parent), then it is saved
    saved = await cycle.add_rhk(
        t["head"], skp, rhk("Meningkatnya layanan kesehatan", perspective="PENERIMA_LAYANAN")
    )
    assert saved["perspective"] == "PENERIMA_LAYANAN"
    assert saved["parentRhk"] is None
    submitted = await cycle.submit(t["head"], skp)
    assert submitted["userErrors"] == []
    assert submitted["skp"]["status"] == "SUBMITTED"

    # then neither the head themself nor the OPD admin can approve an SKP without rater
    own = await cycle.approve(t["head"], skp)
    assert codes(own["userErrors"]) == ["FORBIDDEN"]
    admin_opd = await cycle.approve(t["admin_opd"], skp)
    assert codes(admin_opd["userErrors"]) == ["FORBIDDEN"]
    # but ADMIN_BKPSDM can, on the regional head's behalf: no SKP is left without approver
    approved = await cycle.approve(t["bkpsdm"], skp)
    assert approved["userErrors"] == []
    assert approved["skp"]["status"] == "APPROVED"
    assert approved["skp"]["approvedAt"]


async def test_sekda_rates_the_jpt_head_below_and_bkpsdm_rates_the_sekda(
    api: Api, factory: Factory
) -> None:
    # given a Sekda (JPT Madya, no supervisor) above a Kepala Dinas (JPT Pratama)
    annual = await open_year()
    cycle = Cycle(api, gid("Period", annual.id))
    setda = await factory.opd("SETDA", "Sekretariat Daerah")
    dinas = await factory.opd("DPMPTSP", "Dinas Penanaman Modal dan PTSP")
    sekda = await factory.employee(
        await factory.unor(setda), name="Sekda", jabatan_kind=JabatanKind.JPT_MADYA
    )
    head = await factory.employee(
        await factory.unor(dinas),
        supervisor=sekda,
        name="Kepala DPMPTSP",
        jabatan_kind=JabatanKind.JPT_PRATAMA,
    )
    await factory.admin("bkpsdm", Role.ADMIN_BKPSDM)
    t_sekda = await api.login(sekda.username, PASSWORD)
    t_head = await api.login(head.username, PASSWORD)
    t_bkpsdm = await api.login("bkpsdm", PASSWORD)

    # when the head plans before the Sekda has any SKP (JPT are exempt from cascading)
    head_skp = await cycle.create_skp(t_head)
    assert head_skp["rater"]["id"] == gid("Employee", sekda.id)
    assert head_skp["raterSuperior"] is None
    await cycle.add_rhk(
        t_head, head_skp["id"], rhk("Perizinan terbit tepat waktu", perspective="PROSES_BISNIS")
    )
    assert (await cycle.submit(t_head, head_skp["id"]))["userErrors"] == []

    # then BKPSDM may not approve an SKP that has a rater; the Sekda approves it
    assert codes((await cycle.approve(t_bkpsdm, head_skp["id"]))["userErrors"]) == ["FORBIDDEN"]
    approved = await cycle.approve(t_sekda, head_skp["id"])
    assert approved["skp"]["status"] == "APPROVED"

    # and the Sekda's own SKP (no rater) is approved by BKPSDM
    sekda_skp = await cycle.approved_skp(
        t_sekda, t_bkpsdm, [rhk("Tata kelola pemerintahan", perspective="PENGUATAN_INTERNAL")]
    )
    assert (await cycle.skp(t_sekda, sekda_skp.skp))["status"] == "APPROVED"  # type: ignore[index]


# --- cascading -------------------------------------------------------------------------------


async def test_staff_cascades_only_from_the_boss_approved_skp(api: Api, factory: Factory) -> None:
    # given the head's approved SKP and the boss's draft intervening in it
    org, cycle = await _org(api, factory)
    t, p = org.tokens, org.people
    head = await cycle.approved_skp(
        t["head"], t["bkpsdm"], [rhk("Derajat kesehatan", perspective="PENERIMA_LAYANAN")]
    )
    boss_skp = await cycle.create_skp(t["boss"])
    assert boss_skp["rater"]["id"] == gid("Employee", p["head"].id)
    assert boss_skp["raterSuperior"] is None
    boss_rhk = await cycle.add_rhk(
        t["boss"], boss_skp["id"], rhk("Cakupan imunisasi", parent=head.rhks[0])
    )
    assert boss_rhk["parentRhk"] == {"id": head.rhks[0]}

    # when the staff starts an SKP, then rater and rater's superior are captured
    staff_skp = await cycle.create_skp(t["staff"])
    assert staff_skp["rater"]["id"] == gid("Employee", p["boss"].id)
    assert staff_skp["raterSuperior"]["id"] == gid("Employee", p["head"].id)
    skp = staff_skp["id"]
    duplicate = await api.data("CreateSkp", {"input": {"periodId": org.period}}, token=t["staff"])
    assert codes(duplicate["createSkp"]["userErrors"]) == ["DUPLICATE"]

    # while the boss's SKP is not approved, nothing can be cascaded from it
    cascadable = await api.data("CascadableRhks", {"periodId": org.period}, token=t["staff"])
    assert cascadable["cascadableRhks"] == []
    early = await cycle.save_rhk(t["staff"], skp, rhk("Vaksinasi", parent=boss_rhk["id"]))
    assert codes(early["userErrors"]) == ["RATER_SKP_NOT_APPROVED"]
    without = await cycle.save_rhk(t["staff"], skp, rhk("Vaksinasi"))
    assert codes(without["userErrors"]) == ["PARENT_RHK_REQUIRED"]
    foreign = await cycle.save_rhk(t["staff"], skp, rhk("Vaksinasi", parent=head.rhks[0]))
    assert codes(foreign["userErrors"]) == ["INVALID_PARENT_RHK"]
    # a TAMBAHAN RHK needs no parent, but the SKP cannot be submitted before the boss's
    await cycle.add_rhk(t["staff"], skp, rhk("Piket posyandu", kind="TAMBAHAN"))
    blocked = await cycle.submit(t["staff"], skp)
    assert set(codes(blocked["userErrors"])) == {"NO_RHK_UTAMA", "RATER_SKP_NOT_APPROVED"}

    # when the head approves the boss's SKP
    assert (await cycle.submit(t["boss"], boss_skp["id"]))["userErrors"] == []
    assert (await cycle.approve(t["head"], boss_skp["id"]))["skp"]["status"] == "APPROVED"

    # then the staff sees the boss's RHKs and cascades from them, and only from them
    cascadable = await api.data("CascadableRhks", {"periodId": org.period}, token=t["staff"])
    assert cascadable["cascadableRhks"] == [
        {"id": boss_rhk["id"], "kind": "UTAMA", "description": "Cakupan imunisasi"}
    ]
    head_cascadable = await api.data("CascadableRhks", {"periodId": org.period}, token=t["head"])
    assert head_cascadable["cascadableRhks"] == []
    still_foreign = await cycle.save_rhk(t["staff"], skp, rhk("Vaksinasi", parent=head.rhks[0]))
    assert codes(still_foreign["userErrors"]) == ["INVALID_PARENT_RHK"]
    peer_skp = await cycle.create_skp(t["peer"])
    peer_rhk = await cycle.add_rhk(
        t["peer"], peer_skp["id"], rhk("Imunisasi lanjutan", parent=boss_rhk["id"])
    )
    sideways = await cycle.save_rhk(t["staff"], skp, rhk("Vaksinasi", parent=peer_rhk["id"]))
    assert codes(sideways["userErrors"]) == ["INVALID_PARENT_RHK"]
    ok = await cycle.add_rhk(t["staff"], skp, rhk("Vaksinasi", parent=boss_rhk["id"]))
    assert ok["parentRhk"] == {"id": boss_rhk["id"]}
    assert (await cycle.submit(t["staff"], skp))["skp"]["status"] == "SUBMITTED"


# --- workflow --------------------------------------------------------------------------------


async def test_returned_skp_is_edited_resubmitted_and_approved_with_audit_trail(
    api: Api, factory: Factory
) -> None:
    # given the staff's submitted SKP under an approved boss SKP
    org, cycle = await _org(api, factory)
    t = org.tokens
    head = await cycle.approved_skp(
        t["head"], t["bkpsdm"], [rhk("Derajat kesehatan", perspective="PENERIMA_LAYANAN")]
    )
    boss = await cycle.approved_skp(t["boss"], t["head"], [rhk("Imunisasi", parent=head.rhks[0])])
    skp = (await cycle.create_skp(t["staff"]))["id"]
    first = await cycle.add_rhk(
        t["staff"], skp, rhk("Vaksinasi", parent=boss.rhks[0], indicators=[indicator(target=5)])
    )
    assert (await cycle.submit(t["staff"], skp))["skp"]["status"] == "SUBMITTED"

    # when the rater returns it without a real note, then it is refused
    short = await cycle.return_(t["boss"], skp, "  ")
    assert codes(short["userErrors"]) == ["INVALID_LENGTH"]
    # when the rater returns it with a note
    returned = await cycle.return_(t["boss"], skp, "Target dosis terlalu rendah")
    assert returned["userErrors"] == []
    assert returned["skp"]["status"] == "RETURNED"

    # then the owner sees the note, may edit and resubmit
    seen = await cycle.skp(t["staff"], skp)
    assert seen is not None
    assert seen["status"] == "RETURNED"
    assert seen["returnNote"] == "Target dosis terlalu rendah"
    edited = await cycle.save_rhk(
        t["staff"],
        skp,
        rhk(
            "Vaksinasi",
            parent=boss.rhks[0],
            indicators=[{**indicator(target=1200), "id": first["indicators"][0]["id"]}],
        ),
        rhk_id=first["id"],
    )
    assert edited["userErrors"] == []
    assert edited["rhk"]["id"] == first["id"]
    assert edited["rhk"]["indicators"][0]["id"] == first["indicators"][0]["id"]
    assert edited["rhk"]["indicators"][0]["targetValue"] == 1200
    assert (await cycle.submit(t["staff"], skp))["skp"]["status"] == "SUBMITTED"
    approved = await cycle.approve(t["boss"], skp)
    assert approved["userErrors"] == []
    assert approved["skp"]["status"] == "APPROVED"
    assert approved["skp"]["returnNote"] is None

    # and every transition left an audit entry with before and after
    submitted = await _audit("SKP_SUBMITTED", skp)
    assert [(a["before"]["status"], a["after"]["status"]) for a in submitted] == [
        ("DRAFT", "SUBMITTED"),
        ("RETURNED", "SUBMITTED"),
    ]
    assert all(a["after"]["submitted_at"] for a in submitted)
    (ret,) = await _audit("SKP_RETURNED", skp)
    assert ret["before"] == {"status": "SUBMITTED"}
    assert ret["after"] == {"status": "RETURNED", "return_note": "Target dosis terlalu rendah"}
    (app,) = await _audit("SKP_APPROVED", skp)
    assert app["before"] == {"status": "SUBMITTED"}
    assert app["after"]["status"] == "APPROVED"
    assert app["after"]["approved_at"]
    assert app["account_id"] is not None
    assert app["account_id"] != submitted[0]["account_id"]  # the rater, not the owner


async def test_only_the_rater_approves_or_returns_and_twice_is_invalid_state(
    api: Api, factory: Factory
) -> None:
    # given the staff's submitted SKP
    org, cycle = await _org(api, factory)
    t = org.tokens
    head = await cycle.approved_skp(
        t["head"], t["bkpsdm"], [rhk("Derajat kesehatan", perspective="PENERIMA_LAYANAN")]
    )
    boss = await cycle.approved_skp(t["boss"], t["head"], [rhk("Imunisasi", parent=head.rhks[0])])
    skp = (await cycle.create_skp(t["staff"]))["id"]
    await cycle.add_rhk(t["staff"], skp, rhk("Vaksinasi", parent=boss.rhks[0]))
    await cycle.submit(t["staff"], skp)

    # when anyone but the rater approves or returns it, then FORBIDDEN (or NOT_FOUND when
    # they may not even see it: existence is never revealed)
    expected = {
        "staff": "FORBIDDEN",
        "head": "FORBIDDEN",  # the rater's superior reads it but does not rate
        "admin_opd": "FORBIDDEN",
        "bkpsdm": "FORBIDDEN",  # the SKP has a rater
        "peer": "NOT_FOUND",
        "outsider": "NOT_FOUND",
    }
    for who, code in expected.items():
        approve = await cycle.approve(t[who], skp)
        assert codes(approve["userErrors"]) == [code], who
        assert approve["skp"] is None
        back = await cycle.return_(t[who], skp, "Tolong diperbaiki")
        assert codes(back["userErrors"]) == [code], who
    assert (await cycle.skp(t["staff"], skp))["status"] == "SUBMITTED"  # type: ignore[index]

    # when the rater approves twice, then the second is INVALID_STATE, and so is a return
    assert (await cycle.approve(t["boss"], skp))["skp"]["status"] == "APPROVED"
    again = await cycle.approve(t["boss"], skp)
    assert codes(again["userErrors"]) == ["INVALID_STATE"]
    late_return = await cycle.return_(t["boss"], skp, "Terlambat")
    assert codes(late_return["userErrors"]) == ["INVALID_STATE"]
    assert len(await _audit("SKP_APPROVED", skp)) == 1


async def test_concurrent_approvals_of_one_skp_have_exactly_one_winner(
    api: Api, factory: Factory
) -> None:
    # given a submitted SKP
    org, cycle = await _org(api, factory)
    t = org.tokens
    skp = (await cycle.create_skp(t["head"]))["id"]
    await cycle.add_rhk(t["head"], skp, rhk("Derajat kesehatan", perspective="ANGGARAN"))
    await cycle.submit(t["head"], skp)

    # when the rater double-clicks (approve, approve, return at once)
    results = await asyncio.gather(
        cycle.approve(t["bkpsdm"], skp),
        cycle.approve(t["bkpsdm"], skp),
        cycle.return_(t["bkpsdm"], skp, "Perbaiki target"),
    )

    # then exactly one transition won, the others are INVALID_STATE, and one audit entry exists
    winners = [r for r in results if r["userErrors"] == []]
    assert len(winners) == 1
    assert all(codes(r["userErrors"]) == ["INVALID_STATE"] for r in results if r["userErrors"])
    final = await cycle.skp(t["head"], skp)
    assert final is not None
    assert final["status"] == winners[0]["skp"]["status"]
    transitions = await _audit("SKP_APPROVED", skp) + await _audit("SKP_RETURNED", skp)
    assert len(transitions) == 1


async def test_approved_skp_is_locked_and_changes_only_through_a_recorded_revision(
    api: Api, factory: Factory
) -> None:
    # given the staff's approved SKP
    org, cycle = await _org(api, factory)
    t = org.tokens
    chain = await approved_chain(cycle, org)
    skp = chain.staff.skp
    before = await cycle.skp(t["staff"], skp)
    assert before is not None

    # when the owner edits it, then SKP_LOCKED, whatever the edit
    locked = await cycle.save_rhk(t["staff"], skp, rhk("Tambahan", kind="TAMBAHAN"))
    assert codes(locked["userErrors"]) == ["SKP_LOCKED"]
    annex = await api.data(
        "UpdateSkp", {"input": {"skpId": skp, "resources": "Laptop"}}, token=t["staff"]
    )
    assert codes(annex["updateSkp"]["userErrors"]) == ["SKP_LOCKED"]
    removed = await api.data(
        "RemoveRhk", {"input": {"rhkId": chain.staff.rhks[0]}}, token=t["staff"]
    )
    assert codes(removed["removeRhk"]["userErrors"]) == ["SKP_LOCKED"]
    expectations = await api.data(
        "SetSkpExpectations",
        {"input": {"skpId": skp, "expectations": [{"value": "LOYAL", "expectation": "Setia"}]}},
        token=t["boss"],
    )
    assert codes(expectations["setSkpExpectations"]["userErrors"]) == ["SKP_LOCKED"]
    resubmit = await cycle.submit(t["staff"], skp)
    assert codes(resubmit["userErrors"]) == ["INVALID_STATE"]

    # when someone outside revises it, or the reason is missing, then nothing happens
    assert codes((await cycle.revise(t["peer"], skp, "Saya mau"))["userErrors"]) == ["NOT_FOUND"]
    assert codes((await cycle.revise(t["head"], skp, "Saya mau"))["userErrors"]) == ["FORBIDDEN"]
    assert codes((await cycle.revise(t["staff"], skp, "x"))["userErrors"]) == ["INVALID_LENGTH"]
    assert await SkpRevision.count() == 0

    # when the owner revises it with a reason
    revised = await cycle.revise(t["staff"], skp, "Target berubah karena realokasi anggaran")
    assert revised["userErrors"] == []

    # then it is a draft again with the revision recorded, and a snapshot of what was approved
    assert revised["skp"]["status"] == "DRAFT"
    assert revised["skp"]["revision"] == 1
    assert revised["skp"]["revisions"] == [
        {"revision": 1, "reason": "Target berubah karena realokasi anggaran"}
    ]
    (row,) = await SkpRevision.select().where(SkpRevision.skp == pk_of(skp)).output(load_json=True)
    assert row["revision"] == 1
    assert row["reason"] == "Target berubah karena realokasi anggaran"
    snapshot = row["snapshot"]
    assert snapshot["status"] == "APPROVED"
    assert [r["id"] for r in snapshot["rhk"]] == [pk_of(r["id"]) for r in before["rhks"]]
    assert [i["target_value"] for i in snapshot["rhk"][0]["indicators"]] == [1200, 12]
    assert len(await _audit("SKP_REVISED", skp)) == 1
    # and it can be changed, resubmitted and approved again
    await cycle.add_rhk(t["staff"], skp, rhk("Penyuluhan", kind="TAMBAHAN"))
    assert (await cycle.submit(t["staff"], skp))["skp"]["status"] == "SUBMITTED"
    again = await cycle.approve(t["boss"], skp)
    assert again["skp"]["status"] == "APPROVED"
    after = await cycle.skp(t["staff"], skp)
    assert after is not None
    assert after["revision"] == 1
    assert len(after["rhks"]) == 2
    # a draft cannot be "revised"
    await cycle.revise(t["boss"], skp, "Revisi kedua oleh penilai")
    assert codes((await cycle.revise(t["boss"], skp, "Revisi ketiga"))["userErrors"]) == [
        "INVALID_STATE"
    ]


# --- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        (rhk(""), "INVALID_LENGTH", "description"),
        (rhk("   \n  "), "INVALID_LENGTH", "description"),
        (rhk("Vaksinasi", indicators=[indicator(f"Indikator {n}") for n in range(11)]),
         "INVALID_INDICATORS", "indicators"),
        (rhk("Vaksinasi", indicators=[]), "INVALID_INDICATORS", "indicators"),
        (rhk("Vaksinasi", indicators=[indicator(target=0)]), "INVALID_TARGET",
         "indicators.0.targetValue"),
        (rhk("Vaksinasi", indicators=[indicator(), indicator(target=-5)]), "INVALID_TARGET",
         "indicators.1.targetValue"),
        (rhk("Vaksinasi", indicators=[indicator(description="")]), "INVALID_LENGTH",
         "indicators.0.description"),
        (rhk("Vaksinasi", indicators=[indicator(unit="")]), "INVALID_LENGTH",
         "indicators.0.unit"),
        (rhk("Vaksinasi", kind="TAMBAHAN", perspective="ANGGARAN"), "PERSPECTIVE_NOT_ALLOWED",
         "perspective"),
    ],
)  # fmt: skip
async def test_invalid_rhk_is_refused_with_a_code_and_nothing_is_stored(
    api: Api, factory: Factory, fields: dict[str, Any], code: str, field: str
) -> None:
    # given the staff's draft SKP
    org, cycle = await _org(api, factory)
    t = org.tokens
    skp = (await cycle.create_skp(t["staff"]))["id"]

    # when saving an invalid (TAMBAHAN, so no parent is needed) RHK
    payload = await cycle.save_rhk(t["staff"], skp, {**fields, "kind": "TAMBAHAN"})

    # then the error names the code and the field, and nothing was written
    assert payload["rhk"] is None
    assert [(e["code"], ".".join(e["path"] or ()) or None) for e in payload["userErrors"]] == [
        (code, field)
    ]
    assert await Rhk.count() == 0
    assert await Indicator.count() == 0


async def test_unknown_aspect_is_a_graphql_validation_error_not_a_crash(
    api: Api, factory: Factory
) -> None:
    org, cycle = await _org(api, factory)
    skp = (await cycle.create_skp(org.tokens["staff"]))["id"]
    bad = {**rhk("Vaksinasi", kind="TAMBAHAN")}
    bad["indicators"] = [{**indicator(), "aspect": "KECEPATAN"}]
    document = """
        mutation Bad($input: SaveRhkInput!) {
          saveRhk(input: $input) { rhk { id } userErrors { code } }
        }
    """
    # when the enum value does not exist (through variables and inline), then a GraphQL error
    body = await api.raw(document, {"input": {"skpId": skp, "rhk": bad}}, token=org.tokens["staff"])
    assert body.get("data") is None
    assert body["errors"]
    assert "KECEPATAN" in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["code"] != "INTERNAL_ERROR"
    inline = (
        "mutation { saveRhk(input: {"
        f'skpId: "{skp}", rhk: {{kind: UTAMA, description: "Vaksinasi", indicators: '
        '[{aspect: KECEPATAN, description: "Dosis", targetValue: 1, unit: "x"}]}'
        "}) { rhk { id } } }"
    )
    inline_body = await api.raw(inline, token=org.tokens["staff"])
    assert inline_body.get("data") is None
    assert inline_body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert await Rhk.count() == 0


# --- ekspektasi and annex --------------------------------------------------------------------


async def test_rater_sets_expectations_and_owner_edits_the_annex(
    api: Api, factory: Factory
) -> None:
    # given the staff's draft SKP
    org, cycle = await _org(api, factory)
    t = org.tokens
    skp = (await cycle.create_skp(t["staff"]))["id"]

    def expectations(*items: tuple[str, str]) -> dict[str, Any]:
        return {
            "input": {
                "skpId": skp,
                "expectations": [{"value": v, "expectation": e} for v, e in items],
            }
        }

    # when the rater sets ekspektasi khusus pimpinan
    set_ = await api.data(
        "SetSkpExpectations",
        expectations(
            ("KOLABORATIF", "Aktif dalam tim lintas puskesmas"),
            ("BERORIENTASI_PELAYANAN", "Ramah kepada pasien"),
        ),
        token=t["boss"],
    )
    # then they are listed in BerAKHLAK order with labels
    assert set_["setSkpExpectations"]["userErrors"] == []
    assert set_["setSkpExpectations"]["skp"]["expectations"] == [
        {
            "value": "BERORIENTASI_PELAYANAN",
            "label": "Berorientasi Pelayanan",
            "expectation": "Ramah kepada pasien",
        },
        {
            "value": "KOLABORATIF",
            "label": "Kolaboratif",
            "expectation": "Aktif dalam tim lintas puskesmas",
        },
    ]
    # when one is replaced and another cleared, then only the rest remains
    changed = await api.data(
        "SetSkpExpectations",
        expectations(("KOLABORATIF", ""), ("BERORIENTASI_PELAYANAN", "Tepat waktu melayani")),
        token=t["boss"],
    )
    assert [
        (e["value"], e["expectation"]) for e in changed["setSkpExpectations"]["skp"]["expectations"]
    ] == [("BERORIENTASI_PELAYANAN", "Tepat waktu melayani")]
    # and nobody else sets them
    for who, code in (("head", "FORBIDDEN"), ("peer", "NOT_FOUND"), ("admin_opd", "FORBIDDEN")):
        other = await api.data("SetSkpExpectations", expectations(("LOYAL", "Setia")), token=t[who])
        assert codes(other["setSkpExpectations"]["userErrors"]) == [code], who

    # when the owner edits the annex, then only the given fields change
    first = await api.data(
        "UpdateSkp",
        {"input": {"skpId": skp, "resources": "Cold chain, 2 vaksinator", "consequences": "TPP"}},
        token=t["staff"],
    )
    assert first["updateSkp"]["userErrors"] == []
    second = await api.data(
        "UpdateSkp",
        {"input": {"skpId": skp, "accountability": "Laporan bulanan ke Kapus"}},
        token=t["staff"],
    )
    assert second["updateSkp"]["skp"] == {
        "id": skp,
        "resources": "Cold chain, 2 vaksinator",
        "accountability": "Laporan bulanan ke Kapus",
        "consequences": "TPP",
    }
    too_long = await api.data(
        "UpdateSkp", {"input": {"skpId": skp, "resources": "x" * 5001}}, token=t["staff"]
    )
    assert codes(too_long["updateSkp"]["userErrors"]) == ["INVALID_LENGTH"]
    by_rater = await api.data(
        "UpdateSkp", {"input": {"skpId": skp, "resources": "Diganti"}}, token=t["boss"]
    )
    assert codes(by_rater["updateSkp"]["userErrors"]) == ["FORBIDDEN"]
    full = await cycle.skp(t["boss"], skp)
    assert full is not None
    assert full["resources"] == "Cold chain, 2 vaksinator"
    assert [e["value"] for e in full["expectations"]] == ["BERORIENTASI_PELAYANAN"]


# --- bulk RHK templates ----------------------------------------------------------------------

TEMPLATE_TEXT = "Terlayaninya permohonan perizinan berusaha"
OTHER_JABATAN = "Analis Perizinan"


async def _template_unit(
    api: Api, factory: Factory
) -> tuple[Cycle, dict[str, str], dict[str, Person], int, str, str]:
    """DPMPTSP: the head (approved SKP) and a unit of six staff; returns cycle, tokens, people,
    the unit, the period and the head's RHK."""
    annual = await open_year()
    cycle = Cycle(api, gid("Period", annual.id))
    opd = await factory.opd("DPMPTSP", "Dinas Penanaman Modal dan PTSP")
    other_opd = await factory.opd("DISDUK", "Dinas Kependudukan")
    top_unit = await factory.unor(opd, "DPMPTSP")
    unit = await factory.unor(opd, "DPMPTSP.PELAYANAN", parent_id=top_unit)
    head = await factory.employee(
        top_unit, name="Kepala DPMPTSP", jabatan_kind=JabatanKind.JPT_PRATAMA
    )
    people = {"head": head}
    for n in range(1, 7):
        people[f"s{n}"] = await factory.employee(unit, supervisor=head, name=f"Staf {n}")
    people["outsider"] = await factory.employee(await factory.unor(other_opd), name="Luar")
    await Employee.update({Employee.jabatan_name: OTHER_JABATAN}).where(
        Employee.id.is_in([people["s5"].id, people["s6"].id])
    )
    logins = {k: p.username for k, p in people.items()}
    logins["admin_opd"] = await factory.admin("admin.dpmptsp", Role.ADMIN_OPD, opd)
    logins["admin_other"] = await factory.admin("admin.disduk", Role.ADMIN_OPD, other_opd)
    logins["bkpsdm"] = await factory.admin("bkpsdm", Role.ADMIN_BKPSDM)
    tokens = {k: await api.login(u, PASSWORD) for k, u in logins.items()}
    head_skp = await cycle.approved_skp(
        tokens["head"], tokens["bkpsdm"], [rhk("Iklim investasi", perspective="PROSES_BISNIS")]
    )
    return cycle, tokens, people, unit, cycle.period, head_skp.rhks[0]


def _template_input(period: str, unit: int, parent: str, **extra: Any) -> dict[str, Any]:
    return {
        "input": {
            "periodId": period,
            "unorId": gid("Unor", unit),
            "rhk": rhk(
                TEMPLATE_TEXT,
                parent=parent,
                indicators=[
                    indicator("Izin terbit", 1500, "izin"),
                    indicator("Waktu proses", 3, "hari", aspect="WAKTU"),
                ],
            ),
            **extra,
        }
    }


async def test_admin_opd_applies_an_rhk_template_to_a_unit_filtered_by_jabatan(
    api: Api, factory: Factory
) -> None:
    cycle, t, p, unit, period, parent = await _template_unit(api, factory)
    # given s1 without SKP, s2 with a draft, s3 approved, s4 with the same RHK already,
    # and s5, s6 in another jabatan
    s2 = (await cycle.create_skp(t["s2"]))["id"]
    await cycle.add_rhk(t["s2"], s2, rhk("Pengarsipan", kind="TAMBAHAN"))
    s3 = await cycle.approved_skp(t["s3"], t["head"], [rhk("Verifikasi berkas", parent=parent)])
    s4 = (await cycle.create_skp(t["s4"]))["id"]
    await cycle.add_rhk(t["s4"], s4, rhk(f"  {TEMPLATE_TEXT.upper()} ", parent=parent))
    rhk_before = await Rhk.count()

    # when the OPD admin applies the template to the unit's "Pengadministrasi Umum"
    data = await api.data(
        "ApplyRhkTemplate",
        _template_input(period, unit, parent, jabatanName="Pengadministrasi Umum"),
        token=t["admin_opd"],
    )
    payload = data["applyRhkTemplate"]

    # then exactly s1 and s2 got it, s3 and s4 were skipped with the reason, s5/s6 untouched
    assert payload["userErrors"] == []
    name = {gid("Employee", person.id): label for label, person in p.items()}
    created = {name[c["employee"]["id"]]: c for c in payload["created"]}
    skipped = {name[s["employee"]["id"]]: s["reason"] for s in payload["skipped"]}
    assert sorted(created) == ["s1", "s2"]
    assert skipped == {"s3": "SKP berstatus APPROVED", "s4": "RHK yang sama sudah ada"}
    assert all(c["rhk"]["description"] == TEMPLATE_TEXT for c in created.values())
    assert all(c["skp"]["status"] == "DRAFT" for c in created.values())
    assert created["s2"]["skp"]["id"] == s2
    assert await Rhk.count() == rhk_before + 2
    for label in ("s1", "s2"):
        mine = (await api.data("MySkp", {"periodId": period}, token=t[label]))["mySkp"]
        got = [r for r in mine["rhks"] if r["description"] == TEMPLATE_TEXT]
        assert len(got) == 1
        assert [i["targetValue"] for i in got[0]["indicators"]] == [1500, 3]
    assert (await api.data("MySkp", {"periodId": period}, token=t["s5"]))["mySkp"] is None
    approved_s3 = await cycle.skp(t["s3"], s3.skp)
    assert approved_s3 is not None
    assert [r["description"] for r in approved_s3["rhks"]] == ["Verifikasi berkas"]
    assert await AuditEntry.count().where(AuditEntry.action == "RHK_TEMPLATE_APPLIED") == 1

    # when it runs again, then everybody is skipped ("RHK yang sama sudah ada")
    again = (
        await api.data(
            "ApplyRhkTemplate",
            _template_input(period, unit, parent, jabatanName="Pengadministrasi Umum"),
            token=t["admin_opd"],
        )
    )["applyRhkTemplate"]
    assert again["created"] == []
    assert {name[s["employee"]["id"]]: s["reason"] for s in again["skipped"]} == {
        "s1": "RHK yang sama sudah ada",
        "s2": "RHK yang sama sudah ada",
        "s3": "SKP berstatus APPROVED",
        "s4": "RHK yang sama sudah ada",
    }
    assert await Rhk.count() == rhk_before + 2


async def test_running_a_template_twice_skips_everyone_the_second_time(
    api: Api, factory: Factory
) -> None:
    _cycle, t, _p, unit, period, parent = await _template_unit(api, factory)
    first = (
        await api.data(
            "ApplyRhkTemplate", _template_input(period, unit, parent), token=t["admin_opd"]
        )
    )["applyRhkTemplate"]
    assert len(first["created"]) == 6
    assert first["skipped"] == []
    count = await Rhk.count()
    second = (
        await api.data(
            "ApplyRhkTemplate", _template_input(period, unit, parent), token=t["admin_opd"]
        )
    )["applyRhkTemplate"]
    assert second["created"] == []
    assert [s["reason"] for s in second["skipped"]] == ["RHK yang sama sudah ada"] * 6
    assert await Rhk.count() == count
    assert await Skp.count() == 7  # the head's and the six created once


async def test_template_by_a_supervisor_touches_only_their_subordinates(
    api: Api, factory: Factory
) -> None:
    # given a unit shared by the teams of two supervisors
    annual = await open_year()
    period = gid("Period", annual.id)
    opd = await factory.opd()
    top = await factory.unor(opd)
    unit = await factory.unor(opd, parent_id=top)
    boss1 = await factory.employee(top, jabatan_kind=JabatanKind.PENGAWAS)
    boss2 = await factory.employee(top, jabatan_kind=JabatanKind.PENGAWAS)
    team1 = [await factory.employee(unit, supervisor=boss1) for _ in range(3)]
    team2 = [await factory.employee(unit, supervisor=boss2) for _ in range(2)]
    token = await api.login(boss1.username, PASSWORD)

    # when boss1 applies a TAMBAHAN template to the unit
    variables = {
        "input": {
            "periodId": period,
            "unorId": gid("Unor", unit),
            "rhk": rhk("Piket layanan informasi", kind="TAMBAHAN"),
        }
    }
    payload = (await api.data("ApplyRhkTemplate", variables, token=token))["applyRhkTemplate"]

    # then only boss1's team got it; boss2's team has no SKP at all
    assert payload["userErrors"] == []
    assert sorted(c["employee"]["id"] for c in payload["created"]) == sorted(
        gid("Employee", e.id) for e in team1
    )
    assert payload["skipped"] == []
    assert await Skp.count().where(Skp.employee.is_in([e.id for e in team2])) == 0
    # and boss2 cannot reach boss1's team either way round
    token2 = await api.login(boss2.username, PASSWORD)
    again = (await api.data("ApplyRhkTemplate", variables, token=token2))["applyRhkTemplate"]
    assert sorted(c["employee"]["id"] for c in again["created"]) == sorted(
        gid("Employee", e.id) for e in team2
    )
    assert await Rhk.count() == 5


async def test_template_by_outsiders_is_forbidden_and_changes_nothing(
    api: Api, factory: Factory
) -> None:
    _cycle, t, _p, unit, period, parent = await _template_unit(api, factory)
    rhks, skps = await Rhk.count(), await Skp.count()
    for who in ("outsider", "admin_other", "s1"):
        payload = (
            await api.data("ApplyRhkTemplate", _template_input(period, unit, parent), token=t[who])
        )["applyRhkTemplate"]
        assert codes(payload["userErrors"]) == ["FORBIDDEN"], who
        assert payload["created"] == payload["skipped"] == []
    # an invalid template is refused as a whole before anything is written
    bad = _template_input(period, unit, parent)
    bad["input"]["rhk"]["indicators"][0]["targetValue"] = 0
    refused = (await api.data("ApplyRhkTemplate", bad, token=t["admin_opd"]))["applyRhkTemplate"]
    assert codes(refused["userErrors"]) == ["INVALID_TARGET"]
    assert (await Rhk.count(), await Skp.count()) == (rhks, skps)


async def test_template_is_atomic_when_it_fails_halfway(
    api: Api, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a unit of six, and a failure (say, the database going away) once the drafts, RHKs
    # and indicators of all six are written, while their audit entries are
    _cycle, t, _p, unit, period, parent = await _template_unit(api, factory)
    rhks, skps = await Rhk.count(), await Skp.count()
    original = skp_service.audit.record_many
    calls = 0
    written: list[tuple[int, int]] = []

    async def flaky(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        written.append((await Rhk.count(), await Skp.count()))
        if calls == 1:
            raise RuntimeError("connection lost")
        return await original(*args, **kwargs)

    monkeypatch.setattr(skp_service.audit, "record_many", flaky)

    # when the admin applies the template
    body = await api.op(
        "ApplyRhkTemplate", _template_input(period, unit, parent), token=t["admin_opd"]
    )

    # then the request fails as a whole and nothing written before the failure was kept
    assert calls == 1
    assert written[0][0] > rhks
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_ERROR"
    assert (await Rhk.count(), await Skp.count()) == (rhks, skps)
    assert not await AuditEntry.exists().where(AuditEntry.action == "RHK_TEMPLATE_APPLIED")
