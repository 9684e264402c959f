"""Keberatan through GraphQL: filing within the deadline, the decision, scoping, and the
predikat change reaching the distribution curve and the incentives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from portal.core import clock
from portal.core.audit import AuditEntry
from portal.core.ids import encode_global_id
from portal.performance.enums import Aspect, Predikat, Rating, RhkKind
from portal.performance.tables import Evaluation
from support import performance_factory as pf
from support.api import Api
from support.factories import Factory

REASON = "Realisasi vaksinasi saya di atas target dan bukti dukung sudah lengkap."
DECISION = "Bukti dukung diperiksa ulang; hasil kerja memang di atas ekspektasi."


def gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def rated_world(
    api: Api, factory: Factory, finalised_at: datetime | None = None
) -> tuple[pf.World, int]:
    """Staff's FINAL annual evaluation by boss: SESUAI / DI_BAWAH -> KURANG_MISCONDUCT."""
    world = await pf.build_world(api, factory)
    skp = await pf.approved_skp(
        world.people["staff"],
        world.people["boss"],
        world.year.annual,
        [(RhkKind.UTAMA, 100, Aspect.KUANTITAS)],
    )
    evaluation_id = await pf.evaluation(
        world.people["staff"],
        world.people["boss"],
        skp.skp_id,
        world.year.annual,
        Predikat.KURANG_MISCONDUCT,
    )
    await Evaluation.update(
        {
            Evaluation.hasil_rating: Rating.SESUAI_EKSPEKTASI.value,
            Evaluation.perilaku_rating: Rating.DI_BAWAH_EKSPEKTASI.value,
            Evaluation.finalised_at: finalised_at or datetime.now(UTC),
        }
    ).where(Evaluation.id == evaluation_id)
    return world, evaluation_id


async def file(api: Api, world: pf.World, who: str, evaluation_id: int) -> dict[str, Any]:
    data = await api.data(
        "FileObjection",
        {"input": {"evaluationId": gid("Evaluation", evaluation_id), "reason": REASON}},
        token=world.token(who),
    )
    payload: dict[str, Any] = data["fileObjection"]
    return payload


async def decide(api: Api, world: pf.World, who: str, objection: str, **extra: Any) -> dict:
    data = await api.data(
        "DecideObjection",
        {"input": {"objectionId": objection, "reason": DECISION, **extra}},
        token=world.token(who),
    )
    payload: dict[str, Any] = data["decideObjection"]
    return payload


async def listed(api: Api, world: pf.World, who: str, **variables: Any) -> list[str]:
    data = await api.data("Objections", {"first": 20, **variables}, token=world.token(who))
    return [e["node"]["id"] for e in data["objections"]["edges"]]


async def test_objection_changed_by_the_raters_superior_feeds_curve_and_incentives(
    api: Api, factory: Factory
) -> None:
    # given staff's FINAL annual evaluation (Kurang/Misconduct) by boss, whose superior is head
    world, evaluation_id = await rated_world(api, factory)
    head = world.people["head"]

    # when staff objects
    filed = await file(api, world, "staff", evaluation_id)

    # then it waits for head's decision, with the deadline in the city's calendar
    assert filed["userErrors"] == []
    objection = filed["objection"]
    assert objection["status"] == "SUBMITTED"
    assert objection["originalPredikat"] == "KURANG_MISCONDUCT"
    assert objection["decider"]["id"] == gid("Employee", head.id)
    assert objection["deadline"] == (clock.today() + timedelta(days=14)).isoformat()
    # and head is told, and sees it among those to decide
    notes = await api.data("Notifications", {"first": 10}, token=world.token("head"))
    kinds = [e["node"]["kind"] for e in notes["notifications"]["edges"]]
    assert "OBJECTION_FILED" in kinds
    assert await listed(api, world, "head", toDecide=True) == [objection["id"]]
    assert await listed(api, world, "boss", toDecide=True) == []

    # when boss (the rater, not the decider) tries to decide: refused
    refused = await decide(api, world, "boss", objection["id"], decision="UPHOLD")
    assert codes(refused) == ["FORBIDDEN"]

    # when head changes the ratings with reasons
    decided = await decide(
        api,
        world,
        "head",
        objection["id"],
        decision="CHANGE",
        hasil="DI_ATAS_EKSPEKTASI",
        perilaku="SESUAI_EKSPEKTASI",
    )

    # then the objection is final with the new predikat and the reasons
    assert decided["userErrors"] == []
    result = decided["objection"]
    assert result["status"] == "CHANGED"
    assert result["decidedPredikat"] == "BAIK"
    assert result["decisionReason"] == DECISION
    # and the evaluation now carries it, so the curve and the incentive export count BAIK
    evaluation = await api.data(
        "EvaluationById", {"id": gid("Evaluation", evaluation_id)}, token=world.token("staff")
    )
    assert evaluation["node"]["predikat"] == "BAIK"
    curve = await api.data(
        "DistributionCurve",
        {"opdId": gid("Opd", world.opd_id), "periodId": gid("Period", world.year.annual.id)},
        token=world.token("bkpsdm"),
    )
    counts = {c["predikat"]: c["count"] for c in curve["distributionCurve"]["counts"]}
    assert counts["BAIK"] == 1
    assert counts["KURANG_MISCONDUCT"] == 0
    rows = await api.data(
        "IncentiveRows",
        {"periodId": gid("Period", world.year.annual.id), "opdId": gid("Opd", world.opd_id)},
        token=world.token("bkpsdm"),
    )
    assert [r["predikat"] for r in rows["incentiveRows"]] == ["BAIK"]
    # and a second decision is refused: it is final
    again = await decide(api, world, "head", objection["id"], decision="UPHOLD")
    assert codes(again) == ["ALREADY_DECIDED"]
    # and both the employee and the rater were told; the audit holds filing, decision, revision
    notes = await api.data("Notifications", {"first": 10}, token=world.token("staff"))
    assert "OBJECTION_DECIDED" in [e["node"]["kind"] for e in notes["notifications"]["edges"]]
    actions = await AuditEntry.select(AuditEntry.action).where(
        AuditEntry.action.like("%OBJECTION%")
    )
    assert sorted(a["action"] for a in actions) == [
        "EVALUATION_REVISED_BY_OBJECTION",
        "OBJECTION_DECIDED",
        "OBJECTION_FILED",
    ]


async def test_upheld_objection_keeps_the_predikat(api: Api, factory: Factory) -> None:
    world, evaluation_id = await rated_world(api, factory)
    objection = (await file(api, world, "staff", evaluation_id))["objection"]

    # a CHANGE to ratings giving the same predikat is not a change
    same = await decide(
        api,
        world,
        "head",
        objection["id"],
        decision="CHANGE",
        hasil="DI_ATAS_EKSPEKTASI",
        perilaku="DI_BAWAH_EKSPEKTASI",
    )
    assert codes(same) == ["UNCHANGED"]
    missing = await decide(api, world, "head", objection["id"], decision="CHANGE")
    assert sorted(codes(missing)) == ["REQUIRED", "REQUIRED"]

    upheld = await decide(api, world, "head", objection["id"], decision="UPHOLD")
    assert upheld["userErrors"] == []
    assert upheld["objection"]["status"] == "UPHELD"
    assert upheld["objection"]["decidedPredikat"] == "KURANG_MISCONDUCT"
    row = await Evaluation.select(Evaluation.predikat).where(Evaluation.id == evaluation_id)
    assert row[0]["predikat"] == "KURANG_MISCONDUCT"


async def test_only_the_employee_files_once_within_the_deadline(api: Api, factory: Factory) -> None:
    # final on 2026-03-01 at 20:00 UTC, which is already 2 March in Jakarta (UTC+7)
    final = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)
    world, evaluation_id = await rated_world(api, factory, finalised_at=final)

    # the rater cannot object on the employee's behalf
    assert codes(await file(api, world, "boss", evaluation_id)) == ["FORBIDDEN"]
    # an outsider does not even learn the evaluation exists
    assert codes(await file(api, world, "outsider", evaluation_id)) == ["NOT_FOUND"]

    # the last day is 16 March in Jakarta: 17 March 00:30 WIB (still 16 March in UTC) is late
    late_clock = datetime(2026, 3, 16, 17, 30, tzinfo=UTC)
    with clock.frozen(late_clock):
        late = await file(api, world, "staff", evaluation_id)
    assert codes(late) == ["DEADLINE_PASSED"]

    # ...while 16 March 23:30 WIB is in time
    with clock.frozen(datetime(2026, 3, 16, 16, 30, tzinfo=UTC)):
        filed = await file(api, world, "staff", evaluation_id)
        again = await file(api, world, "staff", evaluation_id)
    assert filed["userErrors"] == []
    assert filed["objection"]["deadline"] == "2026-03-16"
    assert codes(again) == ["ALREADY_FILED"]


async def test_quarterly_and_draft_evaluations_cannot_be_objected(
    api: Api, factory: Factory
) -> None:
    world = await pf.build_world(api, factory)
    skp = await pf.approved_skp(world.people["staff"], world.people["boss"], world.year.annual)
    quarterly = await pf.evaluation(
        world.people["staff"], world.people["boss"], skp.skp_id, world.year.q1, Predikat.BAIK
    )
    await Evaluation.update(
        {
            Evaluation.hasil_rating: Rating.SESUAI_EKSPEKTASI.value,
            Evaluation.perilaku_rating: Rating.SESUAI_EKSPEKTASI.value,
        }
    ).where(Evaluation.id == quarterly)
    assert codes(await file(api, world, "staff", quarterly)) == ["NOT_ANNUAL"]


async def test_objections_are_scoped_like_the_evaluation(api: Api, factory: Factory) -> None:
    world, evaluation_id = await rated_world(api, factory)
    objection = (await file(api, world, "staff", evaluation_id))["objection"]["id"]

    for who in ("staff", "boss", "head", "sekda", "admin_opd", "bkpsdm"):
        assert await listed(api, world, who) == [objection], who
        node = await api.data("PerformanceNode", {"id": objection}, token=world.token(who))
        assert node["node"] is not None, who
    for who in ("peer", "outsider", "admin_other"):
        assert await listed(api, world, who) == [], who
        node = await api.data("PerformanceNode", {"id": objection}, token=world.token(who))
        assert node["node"] is None, who


async def window(api: Api, world: pf.World, who: str, evaluation_id: int) -> Any:
    data = await api.data(
        "ObjectionWindow",
        {"evaluationId": gid("Evaluation", evaluation_id)},
        token=world.token(who),
    )
    return data["objectionWindow"]


async def test_the_window_shows_the_deadline_before_and_the_objection_after_filing(
    api: Api, factory: Factory
) -> None:
    # given staff's FINAL annual evaluation, final today
    world, evaluation_id = await rated_world(api, factory)
    deadline = (clock.today() + timedelta(days=14)).isoformat()

    # then staff sees the deadline and may file; boss sees the deadline but may not file
    mine = await window(api, world, "staff", evaluation_id)
    assert (mine["deadline"], mine["canFile"], mine["objection"]) == (deadline, True, None)
    theirs = await window(api, world, "boss", evaluation_id)
    assert (theirs["deadline"], theirs["canFile"]) == (deadline, False)
    # and an outsider reads nothing
    assert await window(api, world, "outsider", evaluation_id) is None

    # when staff files
    filed = await file(api, world, "staff", evaluation_id)

    # then the window carries the objection and is closed to a second filing
    after = await window(api, world, "staff", evaluation_id)
    assert after["canFile"] is False
    assert after["objection"]["id"] == filed["objection"]["id"]
    assert after["objection"]["status"] == "SUBMITTED"


async def test_the_window_closes_after_the_deadline(api: Api, factory: Factory) -> None:
    # given an evaluation final 15 days ago (the deadline is 14 days)
    world, evaluation_id = await rated_world(
        api, factory, finalised_at=datetime.now(UTC) - timedelta(days=15)
    )
    # then staff may no longer file
    closed = await window(api, world, "staff", evaluation_id)
    assert closed["canFile"] is False
    assert closed["deadline"] < clock.today().isoformat()
