"""The committed SDL, the named operations and the documentation rules of the schema."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from graphql import (
    FragmentDefinitionNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    concat_ast,
    parse,
    validate,
)

from portal.core.vocabulary import Vocabulary
from portal.enum_labels import ENUM_VALUES, labelled_values
from portal.schema import build_schema, enum_labels_json, sdl
from support.api import OPERATIONS_DIR, operations

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "graphql" / "schema.graphql"


def test_committed_schema_matches_the_code() -> None:
    # given the SDL the code produces, when compared with the committed contract, then equal
    assert SCHEMA_FILE.read_text(encoding="utf-8") == sdl(), (
        "graphql/schema.graphql drifted: run `portal export-schema -o graphql/schema.graphql`"
    )


def test_committed_enum_labels_match_the_code() -> None:
    # the web app builds these in; they must say what enumLabels answers
    committed = SCHEMA_FILE.with_name("enum-labels.json").read_text(encoding="utf-8")
    assert committed == enum_labels_json(), (
        "graphql/enum-labels.json drifted: run "
        "`portal export-enum-labels -o graphql/enum-labels.json`"
    )


def test_graphql_folder_is_never_a_python_package() -> None:
    assert not (SCHEMA_FILE.parent / "__init__.py").exists()


@cache
def _schema() -> GraphQLSchema:
    return build_schema()._schema


FRAGMENTS_DIR = OPERATIONS_DIR / "fragments"
OPERATION_FILES = sorted(
    p for p in OPERATIONS_DIR.rglob("*.graphql") if FRAGMENTS_DIR not in p.parents
)


@pytest.mark.parametrize("name", sorted(operations()))
def test_every_operation_document_validates_against_the_schema(name: str) -> None:
    # the operation with the shared fragments it spreads, as clients and the allow-list see it
    errors = validate(_schema(), parse(operations()[name]))
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize("path", OPERATION_FILES, ids=lambda p: p.name)
def test_one_named_operation_per_file_named_like_the_file(path: Path) -> None:
    document = parse(path.read_text(encoding="utf-8"))
    names = [d.name.value for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    assert names == [path.stem], "one named operation per file, named like the file"
    fragments = [d for d in document.definitions if isinstance(d, FragmentDefinitionNode)]
    assert all(f.loc for f in fragments)


def test_all_documents_together_form_one_valid_project() -> None:
    """What graphql-inspector and codegen check: every file at once, fragments defined once.

    Fragments shared by several operations live in graphql/operations/fragments/ (one per file,
    named like the file); a fragment a single operation uses may stay in that operation's file.
    """
    texts = [p.read_text(encoding="utf-8") for p in sorted(OPERATIONS_DIR.rglob("*.graphql"))]
    project = concat_ast([parse(text) for text in texts])
    errors = validate(_schema(), project)
    # one document holding every operation: only rules about the whole set may fail, and none does
    assert errors == [], [e.message for e in errors][:10]
    for path in sorted(FRAGMENTS_DIR.glob("*.graphql")):
        document = parse(path.read_text(encoding="utf-8"))
        assert [d.name.value for d in document.definitions] == [path.stem]  # type: ignore[attr-defined]
        assert all(isinstance(d, FragmentDefinitionNode) for d in document.definitions)


def test_operations_are_discoverable_by_name() -> None:
    assert {"Login", "Viewer", "EmployeeDirectory", "ImportEmployees"} <= set(operations())


def test_every_type_field_and_argument_has_a_description() -> None:
    schema = build_schema()._schema
    missing: list[str] = []
    for name, gql_type in schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not gql_type.description:
            missing.append(name)
        if isinstance(gql_type, (GraphQLObjectType, GraphQLInterfaceType)):
            for field_name, field in gql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
        if isinstance(gql_type, GraphQLInputObjectType):
            for field_name, field in gql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
        if isinstance(gql_type, GraphQLEnumType) and not gql_type.description:
            missing.append(name)
    assert missing == []


def test_every_enum_value_and_argument_has_a_description() -> None:
    """Issue 16 counted 139 of 139 enum values and 102 of 152 arguments undocumented."""
    schema = _schema()
    values = [
        f"{name}.{value}"
        for name, gql_type in schema.type_map.items()
        if isinstance(gql_type, GraphQLEnumType) and not name.startswith("__")
        for value, definition in gql_type.values.items()
        if not definition.description
    ]
    arguments = [
        f"{name}.{field}({arg})"
        for name, gql_type in schema.type_map.items()
        if isinstance(gql_type, (GraphQLObjectType, GraphQLInterfaceType))
        and not name.startswith("__")
        for field, definition in gql_type.fields.items()
        for arg, argument in definition.args.items()
        if not argument.description
    ]
    assert (values, arguments) == ([], [])


def test_every_enum_has_indonesian_display_labels() -> None:
    """``enumLabels`` covers every enum value of the schema (ErrorCode: the error catalogue)."""
    schema = _schema()
    for name, gql_type in schema.type_map.items():
        if isinstance(gql_type, GraphQLEnumType) and not name.startswith("__"):
            if name == "ErrorCode":
                continue
            labelled = labelled_values(gql_type)
            assert list(labelled) == list(gql_type.values), name
            assert all(label.strip() for _, label in labelled.values()), name


def test_enum_labels_table_holds_only_the_enums_no_vocabulary_documents() -> None:
    # an entry for a vocabulary, or for an enum gone from the schema, would never be read
    enums = {
        name: getattr(gql_type, "wrapped_cls", None)
        for name, gql_type in _schema().type_map.items()
        if isinstance(gql_type, GraphQLEnumType)
    }
    assert set(ENUM_VALUES) <= set(enums)
    vocabularies = [
        name
        for name in ENUM_VALUES
        if isinstance(enums[name], type) and issubclass(enums[name], Vocabulary)
    ]
    assert vocabularies == []
