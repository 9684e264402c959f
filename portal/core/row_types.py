"""Object types built from a service row: ``from_row`` copies the row's like-named attributes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Generic, Self, TypeVar

import strawberry
from strawberry.types.base import StrawberryOptional
from strawberry.types.enum import StrawberryEnumDefinition

from portal.core.ids import encode_global_id

R = TypeVar("R")
T = TypeVar("T")

# the GraphQL name a Node's ID is encoded under (None: no ``id`` to fill), whether the type keeps
# the row, then each field filled from the row: (name, conversion of the value or None)
_Plan = tuple[str | None, bool, tuple[tuple[str, Callable[[Any], Any] | None], ...]]


def _conversion(field_type: object) -> Callable[[Any], Any] | None:
    """The enum an enum field's stored string becomes (None for any other field)."""
    if isinstance(field_type, StrawberryOptional):
        field_type = field_type.of_type
    if isinstance(field_type, StrawberryEnumDefinition):
        return field_type.wrapped_cls
    return None


_PLANS: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
        kinds = {f.python_name: f.type for f in definition.fields}
        filled = [f.name for f in dataclasses.fields(cls) if f.init]
        plan = (
            definition.name if "id" in filled else None,
            "row" in filled,
            tuple((n, _conversion(kinds[n])) for n in filled if n not in ("id", "row")),
        )
        _PLANS[cls] = plan
    return plan


def from_attributes(cls: type[T], row: Any, **given: Any) -> T:  # noqa: ANN401 - any row
    """An instance of the Strawberry type ``cls`` with its fields taken from ``row``.

    Every field given at construction comes from the row's attribute of the same name (an enum
    field's string becomes the enum member; None stays None), a Node's ``id`` from ``row.id``
    under the type's GraphQL name, and a ``row`` field keeps the row itself; ``given`` holds the
    fields whose value is not the row's like-named attribute.
    """
    node_name, keeps_row, fields = _plan(cls)
    values: dict[str, Any] = {"row": row} if keeps_row else {}
    values.update(given)
    for name, convert in fields:
        if name not in values:
            value = getattr(row, name)
            values[name] = value if convert is None or value is None else convert(value)
    if node_name is not None and "id" not in values:
        values["id"] = strawberry.ID(encode_global_id(node_name, row.id))
    make: Callable[..., T] = cls
    return make(**values)


class FromRow(Generic[R]):
    """Mixin of a Strawberry type that shows one service row (``from_row``: from_attributes).

    For example::

        @strawberry.type(name="Survey", description="A pulse survey.")
        class SurveyType(Node, FromRow[SurveyRow]):
            row: strawberry.Private[SurveyRow]
            title: str = strawberry.field(description="Title.")
    """

    @classmethod
    def from_row(cls, row: R, **given: Any) -> Self:  # noqa: ANN401 - field values
        """Build from a service row (``given``: fields that are not the row's attribute)."""
        return from_attributes(cls, row, **given)
