"""The naming scheme of the schema (graphql/CHANGELOG.md, "Naming scheme").

Renaming a type breaks clients that name it (fragments, type conditions, variable types), so
the names that break the scheme today are announced with their new names and the date they
change; every other name, and every new one, must follow the scheme.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
)

from portal.schema import build_schema

CHANGELOG = Path(__file__).resolve().parents[2] / "graphql" / "CHANGELOG.md"
RENAME_DATE = "2027-06-30"

# old name -> new name, both announced in the CHANGELOG (renamed on RENAME_DATE)
ANNOUNCED = {
    # object types: no `Type` suffix
    "FeatureDriftType": "FeatureDrift",
    "IndicatorProgressType": "IndicatorProgress",
    "MentoringScoringRunType": "MentoringScoringRun",
    "ModelVersionType": "ModelVersion",
    "SkpExpectationType": "SkpExpectation",
    "SkpRevisionType": "SkpRevision",
    "TeamMemberType": "TeamMember",
    "Session": "AdoptionSession",
    # input types end in `Input`; filters are `<Object>FilterInput`
    "ActivityFields": "ActivityFieldsInput",
    "RhkFields": "RhkFieldsInput",
    "ActivityFilter": "ActivityFilterInput",
    "SkpFilter": "SkpFilterInput",
    # payloads are named after the object they carry
    "ActingPayload": "ActingAppointmentPayload",
    "ActionPayload": "DialogActionPayload",
    "AssignmentPayload": "CoachingAssignmentPayload",
    "DialogPayload": "DialogKinerjaPayload",
    "MessagePayload": "FeedbackMessagePayload",
    "SessionPayload": "CoachingSessionPayload",
    "StartJobPayload": "BackgroundJobPayload",
    "ThreadPayload": "FeedbackThreadPayload",
    # one input per mutation, named after it (shared inputs split into one per mutation)
    "AccountActionInput": "UnlockAccountInput",
    "CompleteActionInput": "CompleteDialogActionInput",
    "EditMessageInput": "EditFeedbackMessageInput",
    "OpenThreadInput": "OpenFeedbackThreadInput",
    "PostMessageInput": "PostFeedbackMessageInput",
    "PushSubscriptionInput": "RegisterPushSubscriptionInput",
    "RecordDialogInput": "RecordDialogKinerjaInput",
    "RecordSessionInput": "RecordCoachingSessionInput",
    "ScheduleSessionInput": "ScheduleCoachingSessionInput",
    "ImportEmployeesInput": "ImportEmployeesInput + StartEmployeeImportInput",
    "SkpActionInput": "SubmitSkpInput + ApproveSkpInput",
    "SkpNoteInput": "ReturnSkpInput + ReviseSkpInput",
    "SurveyActionInput": "OpenSurveyInput + CloseSurveyInput",
    "ThreadActionInput": (
        "MarkFeedbackThreadReadInput + AcknowledgeFeedbackInput + ResolveFeedbackThreadInput "
        "+ ReopenFeedbackThreadInput"
    ),
}
ROOTS = frozenset({"Query", "Mutation", "Subscription"})


@cache
def _schema() -> GraphQLSchema:
    return build_schema()._schema


def _types() -> dict[str, object]:
    return {n: t for n, t in _schema().type_map.items() if not n.startswith("__")}


def _upper_first(name: str) -> str:
    return name[:1].upper() + name[1:]


def _mutations() -> dict[str, object]:
    mutation = _schema().mutation_type
    assert mutation is not None
    return dict(mutation.fields)


def test_object_types_have_no_type_suffix() -> None:
    wrong = {
        name
        for name, t in _types().items()
        if isinstance(t, GraphQLObjectType) and name not in ROOTS and name.endswith("Type")
    }
    assert wrong - ANNOUNCED.keys() == set()


def test_input_types_end_in_input() -> None:
    wrong = {
        name
        for name, t in _types().items()
        if isinstance(t, GraphQLInputObjectType) and not name.endswith("Input")
    }
    assert wrong - ANNOUNCED.keys() == set()


def test_payloads_are_named_after_the_object_they_carry() -> None:
    # `<Object>Payload` (or `<Object>sPayload` for a list), shared by the mutations on that
    # object; `<Mutation>Payload` for one mutation; payloads without an object (tokens,
    # counts) are named after their mutation's subject
    wrong = set()
    for field in _mutations().values():
        payload = get_named_type(field.type)  # type: ignore[attr-defined]
        assert isinstance(payload, GraphQLObjectType)
        assert payload.name.endswith("Payload")
        carried = {
            get_named_type(f.type).name
            for name, f in payload.fields.items()
            if name != "userErrors" and isinstance(get_named_type(f.type), GraphQLObjectType)
        }
        users = [n for n, f in _mutations().items() if get_named_type(f.type) is payload]  # type: ignore[attr-defined]
        names = {f"{c}Payload" for c in carried} | {f"{c}sPayload" for c in carried}
        if len(users) == 1:
            names.add(f"{_upper_first(users[0])}Payload")
        carried_renamed = {ANNOUNCED.get(c, c) for c in carried}
        names |= {f"{c}Payload" for c in carried_renamed}
        if carried and payload.name not in names:
            wrong.add(payload.name)
    assert wrong - ANNOUNCED.keys() == set()


def test_each_mutation_has_its_own_input_named_after_it() -> None:
    users: dict[str, list[str]] = {}
    for name, field in _mutations().items():
        if "input" in field.args:  # type: ignore[attr-defined]
            input_type = get_named_type(field.args["input"].type)  # type: ignore[attr-defined]
            users.setdefault(input_type.name, []).append(name)
    wrong = {
        input_name
        for input_name, mutations in users.items()
        if len(mutations) > 1 or input_name != f"{_upper_first(mutations[0])}Input"
    }
    assert wrong - ANNOUNCED.keys() == set()


def _list_arguments() -> list[tuple[str, str, object]]:
    found = []
    for type_name, t in _types().items():
        if isinstance(t, GraphQLObjectType):
            for field_name, field in t.fields.items():
                found += [
                    (f"{type_name}.{field_name}", arg_name, arg)
                    for arg_name, arg in field.args.items()
                ]
    return found


def test_filters_are_one_filter_input() -> None:
    wrong = {
        get_named_type(arg.type).name  # type: ignore[attr-defined]
        for _, name, arg in _list_arguments()
        if name == "filter" and not get_named_type(arg.type).name.endswith("FilterInput")  # type: ignore[attr-defined]
    }
    assert wrong - ANNOUNCED.keys() == set()


def test_orderings_are_field_and_direction() -> None:
    orderings = [(c, arg) for c, name, arg in _list_arguments() if name == "orderBy"]
    assert orderings, "no list takes orderBy"
    for coordinate, arg in orderings:
        order = get_named_type(arg.type)  # type: ignore[attr-defined]
        assert isinstance(order, GraphQLInputObjectType), coordinate
        assert order.name.endswith("OrderInput"), coordinate
        field_type = order.fields["field"].type
        assert isinstance(field_type, GraphQLNonNull), coordinate
        enum = get_named_type(field_type)
        assert isinstance(enum, GraphQLEnumType)
        assert enum.name == order.name.removesuffix("Input") + "Field", coordinate
        assert get_named_type(order.fields["direction"].type).name == "OrderDirection"


@pytest.mark.parametrize("old", sorted(ANNOUNCED))
def test_every_announced_rename_is_in_the_changelog_and_still_needed(old: str) -> None:
    # announced where front-end teams read, with the date
    text = CHANGELOG.read_text(encoding="utf-8")
    assert f"`{old}`" in text, f"announce the rename of {old} in graphql/CHANGELOG.md"
    assert RENAME_DATE in text
    # and the old name still exists (once renamed, drop it from ANNOUNCED)
    assert old in _types()
