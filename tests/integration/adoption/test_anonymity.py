"""No API path reveals an individual survey answer - admins included.

Given respondents in three OPDs (4 in DINKES, 5 in BAPENDA, 7 in DISDUKCAPIL): results exist
only as aggregates of groups of at least five, after the survey closed; a group that would let
someone subtract their way to a smaller group is withheld too; no ID of an answer resolves.
"""

from __future__ import annotations

import itertools

import pytest

from portal.adoption.tables import SurveyResponse
from portal.core.audit import AuditEntry
from portal.core.auth import Role
from portal.core.ids import encode_global_id
from portal.schema import build_schema
from support.adoption_world import World, build_world, close_survey, today_iso
from support.api import Api
from support.factories import PASSWORD, Factory

ADMINS = ("manager", "bkpsdm", "admin_dinkes", "admin_bapenda")


async def answered_world(api: Api, factory: Factory) -> tuple[World, str]:
    world = await build_world(api, factory, extra_b=3)  # BAPENDA: five people
    capil = await factory.opd("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil")
    unit = await factory.unor(capil, "DISDUKCAPIL")
    for i in range(7):
        person = await factory.employee(unit, name=f"Petugas Capil {i}")
        world.people[f"capil{i}"] = person
        world.tokens[f"capil{i}"] = await api.login(person.username, PASSWORD)
    world.opds["capil"] = capil
    created = await world.mutate(
        "CreateSurvey",
        {"title": "Survei denyut", "opensOn": today_iso(-2), "closesOn": today_iso(3)},
        "manager",
    )
    survey = created["survey"]["id"]
    respondents = ["kadis", "perawat1", "perawat2", "perawat3"]  # DINKES: 4 of 5
    respondents += [f"bapenda{i}" for i in range(1, 6)] + [f"capil{i}" for i in range(7)]
    for n, who in enumerate(respondents):
        answer = {
            "surveyId": survey,
            "comfort": 1 + n % 5,
            "stress": 5 - n % 5,
            "understanding": 3,
            "comment": f"rahasia {who}",
        }
        result = await world.mutate("AnswerSurvey", answer, who)
        assert result["accepted"] is True, result
        assert set(result) == {"accepted", "survey", "userErrors"}  # the answer never comes back
    return world, survey


@pytest.mark.parametrize("who", [*ADMINS, "perawat1"])
async def test_no_id_of_an_answer_resolves(api: Api, factory: Factory, who: str) -> None:
    world, _ = await answered_world(api, factory)
    pks = [r["id"] for r in await SurveyResponse.select(SurveyResponse.id)]
    assert len(pks) == 16
    names = ("SurveyResponse", "Response", "SurveyAnswer", "Answer", "AdoptionSurveyResponse")
    for name, pk in itertools.product(names, [*pks, 0, 10**6]):
        body = await world.api.op(
            "AdoptionNode", {"id": encode_global_id(name, pk)}, token=world.tokens[who]
        )
        assert body.get("errors") is None
        assert body["data"]["node"] is None, (name, pk)


def test_the_schema_has_no_type_for_an_answer() -> None:
    schema = build_schema()._schema
    for name, gql_type in schema.type_map.items():
        fields = getattr(gql_type, "fields", None) or {}
        assert "respondent" not in fields, name
        if "comfort" in fields:
            assert name in {"PulseAggregate", "AnswerSurveyInput"}, name


async def test_results_are_withheld_while_the_survey_is_open(api: Api, factory: Factory) -> None:
    world, survey = await answered_world(api, factory)
    for who in ADMINS:
        result = (await world.data("SurveyResults", {"surveyId": survey}, who))["surveyResults"]
        assert result["published"] is False
        assert result["groups"] == []


@pytest.mark.parametrize("who", ["manager", "bkpsdm"])
async def test_small_groups_are_suppressed_and_cannot_be_subtracted(
    api: Api, factory: Factory, who: str
) -> None:
    world, survey = await answered_world(api, factory)
    await close_survey(survey)
    by_opd = (await world.data("SurveyResults", {"surveyId": survey}, who))["surveyResults"]
    assert by_opd["published"] is True
    assert by_opd["minGroupSize"] == 5
    groups = {g["opd"]["name"]: g["result"] for g in by_opd["groups"]}
    hidden = {"respondents": None, "comfort": None, "stress": None, "understanding": None}
    # DINKES (4) is below the threshold; BAPENDA (5) would reach it, but city minus the shown
    # groups would then give DINKES away, so it is withheld too; DISDUKCAPIL (7) is shown.
    assert groups["Dinas Kesehatan"] == {**hidden, "suppressed": True}
    assert groups["Badan Pendapatan Daerah"] == {**hidden, "suppressed": True}
    capil = groups["Dinas Kependudukan dan Pencatatan Sipil"]
    assert capil["suppressed"] is False
    assert capil["respondents"] == 7
    assert capil["understanding"] == 3.0
    city = await world.data("SurveyResults", {"surveyId": survey, "groupBy": "CITY"}, who)
    (total,) = city["surveyResults"]["groups"]
    assert total["opd"] is None
    assert total["result"]["respondents"] == 16
    units = await world.data("SurveyResults", {"surveyId": survey, "groupBy": "UNIT"}, who)
    by_unit = {g["unit"]["name"]: g["result"] for g in units["surveyResults"]["groups"]}
    shown = [name for name, r in by_unit.items() if not r["suppressed"]]
    assert len(shown) == 1  # only DISDUKCAPIL's unit; DINKES' and BAPENDA's stay withheld
    assert by_unit[shown[0]]["respondents"] == 7


async def test_an_opd_admin_sees_only_their_groups(api: Api, factory: Factory) -> None:
    world, survey = await answered_world(api, factory)
    await close_survey(survey)
    result = await world.data("SurveyResults", {"surveyId": survey}, "admin_dinkes")
    assert [g["opd"]["name"] for g in result["surveyResults"]["groups"]] == ["Dinas Kesehatan"]
    assert result["surveyResults"]["groups"][0]["result"]["suppressed"] is True
    body = await world.api.op("SurveyResults", {"surveyId": survey}, token=world.tokens["perawat1"])
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_threshold_is_five_inclusive(api: Api, factory: Factory) -> None:
    world = await build_world(api, factory, extra_b=3)
    await factory.admin("admin.lain", Role.ADMIN_BKPSDM)
    created = await world.mutate(
        "CreateSurvey",
        {"title": "Survei lima", "opensOn": today_iso(-1), "closesOn": today_iso(1)},
        "manager",
    )
    survey = created["survey"]["id"]
    for who in ["kadis", "kapus", "perawat1", "perawat2", "perawat3"] + [
        f"bapenda{i}" for i in range(1, 6)
    ]:
        answer = {"surveyId": survey, "comfort": 4, "stress": 2, "understanding": 5}
        assert (await world.mutate("AnswerSurvey", answer, who))["accepted"] is True
    await close_survey(survey)
    result = (await world.data("SurveyResults", {"surveyId": survey}, "manager"))["surveyResults"]
    assert [(g["result"]["respondents"], g["result"]["suppressed"]) for g in result["groups"]] == [
        (5, False),
        (5, False),
    ]


async def test_the_audit_names_the_survey_never_the_answers_nor_who_answered(
    api: Api, factory: Factory
) -> None:
    # the probe: ADOPTION_SURVEY_ANSWERED carried the respondent's account
    await answered_world(api, factory)
    rows = await AuditEntry.select(
        AuditEntry.entity_type, AuditEntry.account_id, AuditEntry.before, AuditEntry.after
    ).where(AuditEntry.action == "ADOPTION_SURVEY_ANSWERED")
    assert len(rows) == 16
    assert all(r["entity_type"] == "Survey" and not r["before"] and not r["after"] for r in rows)
    assert [r["account_id"] for r in rows] == [None] * 16


async def test_trend_pools_only_published_groups(api: Api, factory: Factory) -> None:
    world, survey = await answered_world(api, factory)
    await close_survey(survey)
    rows = (await world.data("SurveyTrend", {}, "manager"))["surveyTrend"]["rows"]
    by_name = {r["opd"]["name"]: r for r in rows}
    assert by_name["Dinas Kesehatan"]["before"]["suppressed"] is True
    assert by_name["Badan Pendapatan Daerah"]["before"]["suppressed"] is True
    capil = by_name["Dinas Kependudukan dan Pencatatan Sipil"]
    assert capil["firstSessionDate"] is None  # no session yet: everything is "before"
    assert capil["before"]["respondents"] == 7
    assert capil["after"]["suppressed"] is True
