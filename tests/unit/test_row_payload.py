"""core.graphql.RowPayload: a payload's object field and userErrors from its class statement."""

from __future__ import annotations

from dataclasses import dataclass

import strawberry

from portal.core.graphql import RowPayload, UserError


@dataclass(frozen=True)
class ThingRow:
    name: str


@strawberry.type(description="A thing.")
class ThingType:
    """The thing's object type."""

    name: str = strawberry.field(description="Its name.")

    @classmethod
    def from_row(cls, row: ThingRow) -> ThingType:
        """Build from a row."""
        return cls(name=row.name.upper())


@strawberry.type(description="Result of saveThing.")
class ThingPayload(RowPayload[ThingRow], thing=(ThingType, "The thing saved.")):
    """Thing payload."""


@strawberry.type
class Query:
    """A schema to print the payload in."""

    @strawberry.field
    def save_thing(self) -> ThingPayload:
        """Unused."""
        return ThingPayload.of(None, [])


def test_the_object_field_comes_first_then_user_errors() -> None:
    sdl = str(strawberry.Schema(query=Query))
    payload = sdl[sdl.index('"""Result of saveThing."""') :].split("}", maxsplit=1)[0]
    assert payload == (
        '"""Result of saveThing."""\n'
        "type ThingPayload {\n"
        '  """The thing saved."""\n'
        "  thing: ThingType\n"
        "\n"
        '  """Why it failed."""\n'
        "  userErrors: [UserError!]!\n"
    )


def test_of_a_row_converts_it_with_the_types_from_row() -> None:
    payload = ThingPayload.of(ThingRow("lamp"), [])
    assert payload.thing == ThingType(name="LAMP")  # type: ignore[attr-defined]
    assert payload.user_errors == []  # type: ignore[attr-defined]


def test_of_a_failure_has_no_object_and_the_errors() -> None:
    errors = [UserError(field="name", message="Wajib diisi", code="REQUIRED")]
    payload = ThingPayload.of(None, errors)
    assert payload.thing is None  # type: ignore[attr-defined]
    assert payload.user_errors == errors  # type: ignore[attr-defined]
