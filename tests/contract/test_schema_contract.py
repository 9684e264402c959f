"""The committed SDL, the named operations and the documentation rules of the schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    parse,
    validate,
)

from portal.schema import build_schema, sdl
from support.api import OPERATIONS_DIR, operations

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "graphql" / "schema.graphql"


def test_committed_schema_matches_the_code() -> None:
    # given the SDL the code produces, when compared with the committed contract, then equal
    assert SCHEMA_FILE.read_text(encoding="utf-8") == sdl(), (
        "graphql/schema.graphql drifted: run `portal export-schema -o graphql/schema.graphql`"
    )


def test_graphql_folder_is_never_a_python_package() -> None:
    assert not (SCHEMA_FILE.parent / "__init__.py").exists()


@pytest.mark.parametrize("path", sorted(OPERATIONS_DIR.rglob("*.graphql")), ids=lambda p: p.name)
def test_every_operation_document_validates_against_the_schema(path: Path) -> None:
    schema = build_schema()._schema
    document = parse(path.read_text(encoding="utf-8"))
    errors = validate(schema, document)
    assert errors == [], [e.message for e in errors]
    names = [d.name.value for d in document.definitions if hasattr(d, "operation") and d.name]
    assert names == [path.stem], "one named operation per file, named like the file"


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
