"""Opening and closing a pulse survey through GraphQL: who may, the day rules, results on close."""

from __future__ import annotations

from portal.core.audit import AuditEntry
from support.adoption_world import build_world, today_iso
from support.api import Api
from support.factories import Factory


async def test_manager_opens_a_scheduled_survey_and_closes_it_publishing_results(
    api: Api, factory: Factory
) -> None:
    world = await build_world(api, factory, extra_b=3)
    later = await world.mutate(
        "CreateSurvey",
        {"title": "Survei terjadwal", "opensOn": today_iso(3), "closesOn": today_iso(10)},
        "manager",
    )
    survey = later["survey"]["id"]
    refused = await world.mutate("AnswerSurvey", _answer(survey), "kadis")
    assert refused["userErrors"][0]["code"] == "SURVEY_NOT_OPEN"
    # a survey opened today cannot close before tomorrow
    opened = await world.mutate("OpenSurvey", {"surveyId": survey}, "manager")
    assert opened["userErrors"] == []
    assert opened["survey"]["opensOn"] == today_iso()
    assert opened["survey"]["isOpen"] is True
    early = await world.mutate("CloseSurvey", {"surveyId": survey}, "manager")
    assert early["userErrors"][0]["code"] == "SURVEY_NOT_OPEN"

    running = await world.mutate(
        "CreateSurvey",
        {"title": "Survei berjalan", "opensOn": today_iso(-1), "closesOn": today_iso(5)},
        "manager",
    )
    survey = running["survey"]["id"]
    for who in ("bapenda1", "bapenda2", "bapenda3", "bapenda4", "bapenda5"):
        answered = await world.mutate("AnswerSurvey", _answer(survey), who)
        assert answered["accepted"] is True
    hidden = await api.data("SurveyResults", {"surveyId": survey}, token=world.tokens["manager"])
    assert hidden["surveyResults"]["published"] is False
    # only managers open and close
    for who in ("bapenda1", "admin_bapenda"):
        denied = await world.mutate("CloseSurvey", {"surveyId": survey}, who)
        assert denied["userErrors"][0]["code"] == "FORBIDDEN"
    closed = await world.mutate("CloseSurvey", {"surveyId": survey}, "manager")
    assert closed["userErrors"] == []
    assert closed["survey"]["closesOn"] == today_iso(-1)
    assert closed["survey"]["isOpen"] is False
    late = await world.mutate("AnswerSurvey", _answer(survey), "kadis")
    assert late["userErrors"][0]["code"] == "SURVEY_CLOSED"
    shown = await api.data("SurveyResults", {"surveyId": survey}, token=world.tokens["manager"])
    assert shown["surveyResults"]["published"] is True
    groups = [g for g in shown["surveyResults"]["groups"] if not g["result"]["suppressed"]]
    assert [g["result"]["respondents"] for g in groups] == [5]
    # closed stays closed
    again = await world.mutate("OpenSurvey", {"surveyId": survey}, "manager")
    assert again["userErrors"][0]["code"] == "SURVEY_CLOSED"
    assert await AuditEntry.exists().where(AuditEntry.action == "ADOPTION_SURVEY_CLOSED")
    assert await AuditEntry.exists().where(AuditEntry.action == "ADOPTION_SURVEY_OPENED")


def _answer(survey: str) -> dict[str, object]:
    return {"surveyId": survey, "comfort": 4, "stress": 2, "understanding": 4, "comment": ""}
