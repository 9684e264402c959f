"""Refuse text the databases cannot store, before anything runs.

PostgreSQL refuses the NUL character (U+0000) in text, also as a bare query parameter, and no
database stores a lone UTF-16 surrogate (U+D800-U+DFFF, which JSON escapes can produce): such
a string in a search filter, a cursor or a mutation's input used to fail deep inside a service
with a masked ``INTERNAL_ERROR`` (and on SQLite a NUL was stored). No field of the portal has a
use for either, so an operation carrying one in a literal or a variable is refused up front
with the typed error ``INVALID_CHARACTER``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from graphql import DocumentNode, GraphQLError, StringValueNode, Visitor, visit
from strawberry.extensions import SchemaExtension

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
MESSAGE = "Teks tidak boleh berisi karakter NUL atau surrogate Unicode"


def unstorable(value: Any) -> bool:  # noqa: ANN401 - any JSON value
    """Whether a JSON value holds a string with a character no database stores."""
    if isinstance(value, str):
        return _UNSTORABLE.search(value) is not None
    if isinstance(value, Mapping):
        return any(unstorable(k) or unstorable(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(unstorable(v) for v in value)
    return False


class _Finder(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_string_value(self, node: StringValueNode, *_: object) -> None:
        if _UNSTORABLE.search(node.value):
            self.found = True


def _literal_holds_unstorable(query: str | None, document: DocumentNode) -> bool:
    # such a literal comes from a \u escape or the raw character: most documents have neither
    if query is not None and "\\u" not in query and not _UNSTORABLE.search(query):
        return False
    finder = _Finder()
    visit(document, finder)
    return finder.found


class RejectUnstorableText(SchemaExtension):
    """Answers ``INVALID_CHARACTER`` instead of running an operation with unstorable text."""

    def on_validate(self) -> Iterator[None]:
        """Refuse before validation runs (other refusals, already set, take precedence)."""
        context = self.execution_context
        document = context.graphql_document
        if not context.pre_execution_errors and (
            unstorable(context.variables)
            or (document is not None and _literal_holds_unstorable(context.query, document))
        ):
            context.pre_execution_errors = [
                GraphQLError(MESSAGE, extensions={"code": "INVALID_CHARACTER"})
            ]
        yield
