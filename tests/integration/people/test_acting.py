"""Plt/Plh acting raters through GraphQL: appointed by admins for a date range, they verify,
give feedback and evaluate in the principal's place, and both names are recorded."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from portal.core import clock
from portal.core.audit import AuditEntry
from portal.core.ids import encode_global_id
from portal.performance.enums import ActivityStatus
from support import performance_factory as pf
from support.api import Api
from support.factories import Factory


def gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def appoint(
    api: Api, world: pf.World, who: str, principal: str, acting: str, *, first: date, last: date
) -> dict[str, Any]:
    data = await api.data(
        "AppointActing",
        {
            "input": {
                "principalId": gid("Employee", world.people[principal].id),
                "actingId": gid("Employee", world.people[acting].id),
                "kind": "PLH",
                "startsOn": first.isoformat(),
                "endsOn": last.isoformat(),
                "reason": "Cuti tahunan pejabat penilai",
            }
        },
        token=world.token(who),
    )
    payload: dict[str, Any] = data["appointActing"]
    return payload


async def verify(api: Api, world: pf.World, who: str, activity_id: int) -> dict[str, Any]:
    data = await api.data(
        "VerifyActivities",
        {"input": {"activityIds": [gid("Activity", activity_id)], "approve": True}},
        token=world.token(who),
    )
    (result,) = data["verifyActivities"]["results"]
    return dict(result)


async def node(api: Api, world: pf.World, who: str, type_name: str, pk: int) -> Any:
    data = await api.data("ActingRecord", {"id": gid(type_name, pk)}, token=world.token(who))
    return data["node"]


async def test_a_plh_acts_as_rater_in_range_and_both_names_are_recorded(
    api: Api, factory: Factory
) -> None:
    # given staff (rated by boss) with an approved SKP and two submitted activities
    world = await pf.build_world(api, factory)
    staff, boss, peer = (world.people[k] for k in ("staff", "boss", "peer"))
    skp = await pf.approved_skp(staff, boss, world.year.annual)
    submitted = ActivityStatus.SUBMITTED
    first_activity, second_activity = [
        await pf.verified_activity(staff, world.year.annual, date(2026, 2, d), 3, status=submitted)
        for d in (3, 4)
    ]
    today = clock.today()
    # peer cannot verify staff's work while not appointed
    assert codes(await verify(api, world, "peer", first_activity)) == ["NOT_FOUND"]

    # when the Dinkes admin appoints peer as Plh of boss from yesterday to next week
    made = await appoint(
        api,
        world,
        "admin_opd",
        "boss",
        "peer",
        first=today - timedelta(days=1),
        last=today + timedelta(7),
    )

    # then the appointment is in force, and both officials are told
    assert made["userErrors"] == []
    appointment = made["appointment"]
    assert appointment["activeToday"] is True
    assert appointment["acting"]["id"] == gid("Employee", peer.id)
    for who in ("peer", "boss"):
        notes = await api.data("Notifications", {"first": 5}, token=world.token(who))
        assert [e["node"]["kind"] for e in notes["notifications"]["edges"]] == ["ACTING_APPOINTED"]
    # and peer verifies staff's activity: verifier peer, for boss
    verified = await verify(api, world, "peer", first_activity)
    assert verified["userErrors"] == []
    record = await node(api, world, "staff", "Activity", first_activity)
    assert record["verifier"]["id"] == gid("Employee", peer.id)
    assert record["verifiedFor"]["id"] == gid("Employee", boss.id)
    # and peer reads staff's SKP and opens a feedback thread about staff
    skp_node = await api.data("SkpById", {"id": gid("Skp", skp.skp_id)}, token=world.token("peer"))
    assert skp_node["node"] is not None
    thread = await api.data(
        "OpenFeedbackThread",
        {
            "input": {
                "employeeId": gid("Employee", staff.id),
                "topic": "Laporan vaksinasi",
                "kind": "IMPROVEMENT",
                "body": "Mohon lengkapi bukti dukung.",
            }
        },
        token=world.token("peer"),
    )
    assert thread["openFeedbackThread"]["userErrors"] == []
    # and peer starts and fills staff's Q1 evaluation: rater boss, acting rater peer
    started = await api.data(
        "StartEvaluation",
        {"input": {"skpId": gid("Skp", skp.skp_id), "periodId": gid("Period", world.year.q1.id)}},
        token=world.token("peer"),
    )
    assert started["startEvaluation"]["userErrors"] == []
    evaluation_gid = started["startEvaluation"]["evaluation"]["id"]
    record = await api.data("ActingRecord", {"id": evaluation_gid}, token=world.token("boss"))
    assert record["node"]["rater"]["id"] == gid("Employee", boss.id)
    assert record["node"]["actingRater"]["id"] == gid("Employee", peer.id)
    # but peer does not reach boss's own data (the principal is not a subordinate)
    boss_node = await api.data(
        "EmployeeById", {"id": gid("Employee", boss.id)}, token=world.token("peer")
    )
    assert boss_node["node"]["profile"] is None
    # and the audit names both
    (entry,) = await AuditEntry.select(AuditEntry.after).where(
        AuditEntry.action == "ACTIVITY_VERIFIED"
    )
    after = entry["after"] if isinstance(entry["after"], dict) else json.loads(entry["after"])
    assert (after["verifier_id"], after["verified_for"]) == (peer.id, boss.id)

    # when the admin revokes it
    revoked = await api.data(
        "RevokeActing", {"input": {"appointmentId": appointment["id"]}}, token=world.token("bkpsdm")
    )
    assert revoked["revokeActing"]["appointment"]["activeToday"] is False

    # then peer no longer verifies, nor reads staff's SKP
    assert codes(await verify(api, world, "peer", second_activity)) == ["NOT_FOUND"]
    skp_node = await api.data("SkpById", {"id": gid("Skp", skp.skp_id)}, token=world.token("peer"))
    assert skp_node["node"] is None


async def test_only_admins_of_the_opd_appoint_and_only_in_range(api: Api, factory: Factory) -> None:
    world = await pf.build_world(api, factory)
    staff = world.people["staff"]
    activity = await pf.verified_activity(
        staff, world.year.annual, date(2026, 2, 3), 1, status=ActivityStatus.SUBMITTED
    )
    today = clock.today()
    week = today + timedelta(days=7)

    # an admin of another OPD, the principal and a pegawai cannot appoint
    for who in ("admin_other", "boss", "staff"):
        refused = await appoint(api, world, who, "boss", "peer", first=today, last=week)
        assert codes(refused) == ["FORBIDDEN"], who
    # nonsense is refused with a field
    backwards = await appoint(api, world, "admin_opd", "boss", "peer", first=week, last=today)
    assert codes(backwards) == ["INVALID_VALUE"]
    itself = await appoint(api, world, "admin_opd", "boss", "boss", first=today, last=week)
    assert codes(itself) == ["INVALID_VALUE"]

    # an appointment that starts tomorrow gives nothing today
    later = await appoint(
        api, world, "bkpsdm", "boss", "peer", first=today + timedelta(days=1), last=week
    )
    assert later["userErrors"] == []
    assert later["appointment"]["activeToday"] is False
    assert codes(await verify(api, world, "peer", activity)) == ["NOT_FOUND"]
    # the same pair over overlapping dates is refused
    overlap = await appoint(api, world, "admin_opd", "boss", "peer", first=week, last=week)
    assert codes(overlap) == ["OVERLAP"]

    # the list: the two officials and the admins, nobody else
    for who, seen in (
        ("peer", 1), ("boss", 1), ("admin_opd", 1), ("bkpsdm", 1),
        ("staff", 0), ("admin_other", 0), ("outsider", 0),
    ):  # fmt: skip
        data = await api.data("ActingAppointments", {"first": 10}, token=world.token(who))
        assert data["actingAppointments"]["totalCount"] == seen, who
    active = await api.data(
        "ActingAppointments",
        {"first": 10, "activeOn": today.isoformat()},
        token=world.token("bkpsdm"),
    )
    assert active["actingAppointments"]["totalCount"] == 0


async def test_feedback_by_a_plh_records_both_names(api: Api, factory: Factory) -> None:
    # given peer appointed Plh of boss (staff's supervisor) from today to next week
    world = await pf.build_world(api, factory)
    staff, boss, peer = (world.people[k] for k in ("staff", "boss", "peer"))
    today = clock.today()
    made = await appoint(
        api, world, "admin_opd", "boss", "peer", first=today, last=today + timedelta(7)
    )
    assert made["userErrors"] == []

    # when peer opens a thread about staff and boss replies in it
    opened = await api.data(
        "OpenFeedbackThread",
        {
            "input": {
                "employeeId": gid("Employee", staff.id),
                "topic": "Laporan vaksinasi",
                "kind": "IMPROVEMENT",
                "body": "Mohon lengkapi bukti dukung.",
            }
        },
        token=world.token("peer"),
    )
    thread_id = opened["openFeedbackThread"]["thread"]["id"]
    reply = await api.data(
        "PostFeedbackMessage",
        {"input": {"threadId": thread_id, "body": "Saya tambahkan: sebelum Jumat."}},
        token=world.token("boss"),
    )
    assert reply["postFeedbackMessage"]["message"]["writtenFor"] is None

    # then staff reads peer's message as written for boss, boss's in boss's own name
    data = await api.data(
        "FeedbackThreadMessages", {"id": thread_id, "first": 10}, token=world.token("staff")
    )
    written = [
        (e["node"]["author"]["id"], (e["node"]["writtenFor"] or {}).get("id"))
        for e in data["node"]["messages"]["edges"]
    ]
    assert sorted(written, key=str) == sorted(
        [(gid("Employee", peer.id), gid("Employee", boss.id)), (gid("Employee", boss.id), None)],
        key=str,
    )

    # when peer records a dialog kinerja with staff
    dialog = await api.data(
        "RecordDialogKinerja",
        {
            "input": {
                "employeeId": gid("Employee", staff.id),
                "heldOn": today.isoformat(),
                "wentWell": "Cakupan vaksinasi naik",
                "toImprove": "Bukti dukung terlambat",
                "participantIds": [],
                "actions": [],
            }
        },
        token=world.token("peer"),
    )
    # then the dialog names peer as leader, for boss; the audit says so too
    recorded = dialog["recordDialogKinerja"]
    assert recorded["userErrors"] == []
    assert recorded["dialog"]["ledBy"]["id"] == gid("Employee", peer.id)
    assert recorded["dialog"]["ledFor"]["id"] == gid("Employee", boss.id)
    (entry,) = await AuditEntry.select(AuditEntry.after).where(
        AuditEntry.action == "DIALOG_RECORDED"
    )
    after = entry["after"] if isinstance(entry["after"], dict) else json.loads(entry["after"])
    assert after["led_for"] == boss.id
