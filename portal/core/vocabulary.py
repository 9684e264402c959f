"""Vocabulary: a domain enum whose members say what they mean, written once.

A schema enum's value needs a description (English, for the SDL and codegen) and a display
label (Indonesian, for screens, served by ``enumLabels``). Declaring both with the member keeps
the value, its meaning and its label in one place: adding a value without them fails at import.
"""

from __future__ import annotations

import enum
from typing import Any, Self


class Vocabulary(enum.StrEnum):
    """A :class:`~enum.StrEnum` whose members carry a description and an Indonesian label.

    A member is ``NAME = auto(), description, label``; its value is its name, so
    ``SkpStatus.DRAFT == "DRAFT"``, as stored in the database and spelled in the API::

        class SkpStatus(Vocabulary):
            DRAFT = auto(), "Being written by the employee.", "Draf"

    ``portal.enum_labels`` reads both for the schema's value descriptions and ``enumLabels``
    (exported as ``graphql/enum-labels.json``); ``label`` is the one Indonesian name of the value,
    on screens, in messages and in the official documents alike.
    """

    _value_: str
    description: str
    label: str

    @staticmethod
    def _generate_next_value_(name: str, start: int, count: int, last_values: list[Any]) -> str:  # noqa: ARG004 - enum's hook signature
        """``auto()`` is the member's name (StrEnum's own would lower-case it)."""
        return name

    def __new__(cls, value: str, description: str = "", label: str = "") -> Self:
        """Make one member (at class creation; ``SkpStatus("DRAFT")`` is a lookup, not a call).

        The defaults are there for mypy, which checks that lookup against this signature; a
        member declared without its description or label fails here.
        """
        if not (description.strip() and label.strip()):
            raise TypeError(f"{cls.__name__}.{value}: give its description and label")
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        member.label = label
        return member
