"""The named operations of ``graphql/operations/`` and the forms standard clients send them in.

Every ``*.graphql`` file holds one named operation (named like the file) or shared fragments
(``graphql/operations/fragments/``). An operation's *document* is its file plus the fragments it
spreads, transitively. Clients do not send that text byte for byte:

- Apollo Client and urql send ``print(parse(document))`` (graphql-js ``print``), their APQ hash
  is the SHA-256 of that text, and their normalised caches add ``__typename`` to every selection
  set below the root first; urql then drops the blank line between definitions
  (:func:`urql_printed`), so its text differs from Apollo's for documents with fragments;
- the GraphQL Codegen client-preset writes ``persisted-documents.json`` with
  ``printExecutableGraphQLDocument`` of ``@graphql-tools/documents``: definitions, variables,
  fields, spreads and directive arguments sorted (the root selections of a mutation keep their
  order), printed, whitespace collapsed; the key is ``sha256:`` + the SHA-256 of that text.

:func:`client_preset_print` is a port of ``printExecutableGraphQLDocument`` (checked against the
web app's generated manifest by ``tests/contract/test_persisted_documents.py``), and
:func:`canonical` is the key two documents share when they differ only in layout, comments,
order and ``__typename``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from graphql import (
    DefinitionNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    NameNode,
    OperationDefinitionNode,
    OperationType,
    SelectionNode,
    SelectionSetNode,
    parse,
    print_ast,
)

SHA256_PREFIX = "sha256:"
_N = TypeVar("_N")
_WHITESPACE = re.compile(r"\s+")
# urql's sanitizeDocument: strings kept as they are; outside them a comment and the line breaks
# after it become one line break
_URQL_STRINGS = re.compile(r'("{3}[\s\S]*"{3}|"(?:\\.|[^"])*")')
_URQL_BREAKS = re.compile(r"(?:#[^\n\r]+)?(?:[\r\n]+|\Z)")


def sha256_hex(text: str) -> str:
    """Lowercase hex SHA-256 of the UTF-8 text (the APQ and persisted-document hash)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Operation:
    """A named operation: its complete document (operation + fragments) and where it lives."""

    name: str
    kind: str
    document: str
    path: Path


class OperationsError(ValueError):
    """The operations folder breaks its rules (duplicate names, unknown fragments, …)."""


def load_operations(directory: Path) -> dict[str, Operation]:
    """Every named operation under ``directory`` with the fragments it spreads appended.

    Raises:
        OperationsError: a name defined twice, or a spread of a fragment nobody defines.
    """
    fragments: dict[str, str] = {}
    fragment_nodes: dict[str, FragmentDefinitionNode] = {}
    found: list[tuple[OperationDefinitionNode, str, Path]] = []
    for path in sorted(directory.rglob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        for definition in parse(text).definitions:
            if isinstance(definition, FragmentDefinitionNode):
                name = definition.name.value
                if name in fragment_nodes:
                    raise OperationsError(f"fragment {name} defined twice ({path})")
                fragment_nodes[name] = definition
                loc = definition.loc
                fragments[name] = text[loc.start : loc.end] if loc else print_ast(definition)
            elif isinstance(definition, OperationDefinitionNode):
                found.append((definition, text, path))
    result: dict[str, Operation] = {}
    for node, text, path in found:
        if node.name is None:
            raise OperationsError(f"anonymous operation in {path}")
        name = node.name.value
        if name in result:
            raise OperationsError(f"operation {name} defined twice ({path})")
        own = {
            d.name.value for d in parse(text).definitions if isinstance(d, FragmentDefinitionNode)
        }
        needed = [f for f in _spread_closure(node, fragment_nodes) if f not in own]
        document = (
            text
            if not needed
            else text.rstrip("\n") + "\n\n" + "\n\n".join(fragments[f] for f in needed) + "\n"
        )
        result[name] = Operation(name, node.operation.value, document, path)
    return result


def _spread_closure(
    node: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]
) -> list[str]:
    """Names of the fragments ``node`` spreads, directly or through other fragments, in order."""
    seen: list[str] = []
    pending = list(_spreads(node.selection_set))
    while pending:
        name = pending.pop(0)
        if name in seen:
            continue
        fragment = fragments.get(name)
        if fragment is None:
            raise OperationsError(f"fragment {name} is spread but defined nowhere")
        seen.append(name)
        pending.extend(_spreads(fragment.selection_set))
    return seen


def _spreads(selection_set: SelectionSetNode | None) -> Iterable[str]:
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FragmentSpreadNode):
            yield selection.name.value
        elif isinstance(selection, (FieldNode, InlineFragmentNode)):
            yield from _spreads(selection.selection_set)


# --- the forms clients send -------------------------------------------------------------------


def printed(document: DocumentNode) -> str:
    """``print(parse(text))`` as graphql-js 16 prints it (what Apollo Client and urql send).

    graphql-core's ``print_ast`` follows graphql-js 17 (``{ a: 1 }``, wrapped lists), so the
    executable subset of graphql-js 16's printer is ported here: hashes must match byte for byte.
    """
    return _print(document)


def urql_printed(document: DocumentNode) -> str:
    """What urql sends and hashes (``stringifyDocument`` of ``@urql/core``).

    Its printer prints like graphql-js 16, and the text is then sanitised: runs of line breaks
    outside strings collapse to one, so the blank line between definitions goes (and, a quirk
    of its regular expression, a line break is put before each string literal).
    """
    parts = _URQL_STRINGS.split(printed(document))
    return "".join(
        part if index % 2 else _URQL_BREAKS.sub("\n", part) for index, part in enumerate(parts)
    ).strip()


def with_typename(document: DocumentNode) -> DocumentNode:
    """``__typename`` added to every selection set below the operation roots (Apollo, urql)."""

    def add(selection_set: SelectionSetNode | None, *, root: bool) -> SelectionSetNode | None:
        if selection_set is None:
            return None
        selections: list[SelectionNode] = [_map_children(s, add) for s in selection_set.selections]
        has = any(
            isinstance(s, FieldNode) and s.name.value == "__typename" and s.alias is None
            for s in selections
        )
        if not root and not has:
            selections.append(
                FieldNode(name=NameNode(value="__typename"), arguments=(), directives=())
            )
        return _with(selection_set, selections=tuple(selections))

    definitions: list[DefinitionNode] = []
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            definitions.append(
                _with(definition, selection_set=add(definition.selection_set, root=True))
            )
        elif isinstance(definition, FragmentDefinitionNode):
            definitions.append(
                _with(definition, selection_set=add(definition.selection_set, root=False))
            )
        else:
            definitions.append(definition)
    return _with(document, definitions=tuple(definitions))


def without_typename(document: DocumentNode) -> DocumentNode:
    """Every unaliased ``__typename`` field removed (what caches add, nothing a server needs)."""

    def strip(selection_set: SelectionSetNode | None, *, root: bool) -> SelectionSetNode | None:
        del root
        if selection_set is None:
            return None
        kept = [
            _map_children(s, strip)
            for s in selection_set.selections
            if not (isinstance(s, FieldNode) and s.name.value == "__typename" and s.alias is None)
        ]
        return _with(selection_set, selections=tuple(kept))

    definitions = [
        _with(d, selection_set=strip(d.selection_set, root=True))
        if isinstance(d, (OperationDefinitionNode, FragmentDefinitionNode))
        else d
        for d in document.definitions
    ]
    return _with(document, definitions=tuple(definitions))


def client_preset_print(document: DocumentNode) -> str:
    """``printExecutableGraphQLDocument`` (``@graphql-tools/documents``), as codegen hashes it."""
    return _collapse(_print(_sort_document(document)))


def client_preset_id(document: DocumentNode) -> str:
    """The client-preset's persisted-document id: ``sha256:`` + hash of the printed form."""
    return SHA256_PREFIX + sha256_hex(client_preset_print(document))


def canonical(query: str) -> str | None:
    """The key documents share when they differ only in layout, order and ``__typename``.

    ``None`` when the text does not parse.
    """
    try:
        document = parse(query)
    except GraphQLError:
        return None
    return client_preset_print(without_typename(document))


def variants(document_text: str) -> dict[str, str]:
    """``{hash: text to run}`` for every form a standard client may send or hash the document in.

    The file text itself, the printed text and urql's form of it, both also with ``__typename``
    added (each under its plain SHA-256), and the client-preset's form (under ``sha256:<hex>``
    and the bare hex, as APQ-style requests carry it).
    """
    document = parse(document_text)
    typed = with_typename(document)
    forms = [
        document_text,
        printed(document),
        printed(typed),
        urql_printed(document),
        urql_printed(typed),
    ]
    found = {sha256_hex(text): text for text in forms}
    preset = client_preset_print(document)
    found[sha256_hex(preset)] = preset
    found[SHA256_PREFIX + sha256_hex(preset)] = preset
    return found


# --- the port of @graphql-tools/documents sortExecutableDocument ------------------------------


def _collapse(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _key(value: str | None) -> tuple[int, str]:
    # compareKeys: a missing key sorts after every present one
    return (1, "") if value is None else (0, value)


def _stable(nodes: Sequence[Any], key: Callable[[Any], tuple[int, str]]) -> list[Any]:
    return [n for _, n in sorted(enumerate(nodes), key=lambda p: (key(p[1]), p[0]))]


def _kind_name(kind: str) -> str:
    # graphql-js Kind values (CamelCase) order definitions; graphql-core's are snake_case
    return "".join(part.capitalize() for part in kind.split("_"))


def _sort_document(document: DocumentNode) -> DocumentNode:
    definitions = _stable(
        document.definitions,
        lambda d: (0, _kind_name(d.kind) + "\0" + (d.name.value if d.name else "\uffff")),
    )
    out: list[Any] = []
    for definition in definitions:
        if isinstance(definition, OperationDefinitionNode):
            root_ordered = definition.operation is OperationType.MUTATION
            out.append(
                _with(
                    definition,
                    variable_definitions=tuple(
                        _stable(
                            definition.variable_definitions or (),
                            lambda v: _key(v.variable.name.value),
                        )
                    ),
                    directives=tuple(_directive_args(definition.directives)),
                    selection_set=_sort_selection_set(definition.selection_set, keep=root_ordered),
                )
            )
        elif isinstance(definition, FragmentDefinitionNode):
            out.append(
                _with(
                    definition,
                    directives=tuple(_sorted_directives(definition.directives)),
                    selection_set=_sort_selection_set(definition.selection_set, keep=False),
                )
            )
        else:
            out.append(definition)
    return _with(document, definitions=tuple(out))


def _sort_selection_set(selection_set: SelectionSetNode, *, keep: bool) -> SelectionSetNode:
    selections = list(selection_set.selections)
    if not keep:
        selections = _sorted_selections(selections)
    out: list[SelectionNode] = []
    for selection in selections:
        if isinstance(selection, FieldNode):
            out.append(
                _with(
                    selection,
                    directives=tuple(_directive_args(selection.directives)),
                    selection_set=_sort_selection_set(selection.selection_set, keep=False)
                    if selection.selection_set
                    else None,
                )
            )
        elif isinstance(selection, FragmentSpreadNode):
            out.append(_with(selection, directives=tuple(_sorted_directives(selection.directives))))
        elif isinstance(selection, InlineFragmentNode):
            directives = (
                _directive_args(selection.directives)
                if keep
                else _sorted_directives(selection.directives)
            )
            out.append(
                _with(
                    selection,
                    directives=tuple(directives),
                    selection_set=_sort_selection_set(selection.selection_set, keep=keep),
                )
            )
    return _with(selection_set, selections=tuple(out))


def _sorted_selections(selections: Sequence[SelectionNode]) -> list[SelectionNode]:
    def key(node: SelectionNode) -> tuple[int, str]:
        if isinstance(node, FieldNode):
            return _key("0" + node.name.value)
        if isinstance(node, FragmentSpreadNode):
            return _key("1" + node.name.value)
        if not isinstance(node, InlineFragmentNode):  # pragma: no cover - the three kinds
            raise TypeError(node.kind)
        condition = node.type_condition.name.value if node.type_condition else ""
        inner = _sorted_selections(node.selection_set.selections)
        return _key("2" + condition + _collapse(" ".join(_print(n) for n in inner)))

    return _stable(selections, key)


def _directive_args(directives: Sequence[DirectiveNode] | None) -> list[DirectiveNode]:
    return [
        _with(d, arguments=tuple(_stable(d.arguments or (), lambda a: _key(a.name.value))))
        for d in directives or ()
    ]


def _sorted_directives(directives: Sequence[DirectiveNode] | None) -> list[DirectiveNode]:
    return _stable(_directive_args(directives), lambda d: _key(d.name.value))


def _map_children(
    selection: SelectionNode,
    fn: Callable[..., SelectionSetNode | None],
) -> SelectionNode:
    if isinstance(selection, (FieldNode, InlineFragmentNode)) and selection.selection_set:
        return _with(selection, selection_set=fn(selection.selection_set, root=False))
    return selection


def _with(node: _N, **changes: Any) -> _N:  # noqa: ANN401
    """A copy of an AST node (a frozen dataclass) with some attributes replaced."""
    return replace(node, **changes)  # type: ignore[type-var]


# --- graphql-js 16 print(), executable definitions ----------------------------------------------

_MAX_LINE_LENGTH = 80
_ESCAPED = re.compile(r'[\x00-\x1f"\\\x7f-\x9f]')
_ESCAPES = {
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}


def _join(parts: Iterable[str | None], separator: str = "") -> str:
    return separator.join(p for p in parts if p)


def _wrap(start: str, value: str | None, end: str = "") -> str:
    return start + value + end if value else ""


def _indent(text: str) -> str:
    return _wrap("  ", text.replace("\n", "\n  "))


def _block(items: Iterable[str]) -> str:
    return _wrap("{\n", _indent(_join(items, "\n")), "\n}")


def _print_string(value: str) -> str:
    def escape(match: re.Match[str]) -> str:
        char = match.group(0)
        return _ESCAPES.get(char) or f"\\u{ord(char):04X}"

    return '"' + _ESCAPED.sub(escape, value) + '"'


def _print(node: Any) -> str:  # noqa: ANN401, C901, PLR0911, PLR0912 - one branch per node kind
    kind = node.kind
    p = _print
    if kind == "document":
        return _join((p(d) for d in node.definitions), "\n\n")
    if kind == "operation_definition":
        var_defs = _wrap("(", _join((p(v) for v in node.variable_definitions or ()), ", "), ")")
        name = p(node.name) if node.name else ""
        prefix = _join(
            (
                node.operation.value,
                _join((name, var_defs)),
                _join(map(p, node.directives or ()), " "),
            ),
            " ",
        )
        return ("" if prefix == "query" else prefix + " ") + p(node.selection_set)
    if kind == "variable_definition":
        default = p(node.default_value) if node.default_value else None
        return (
            p(node.variable)
            + ": "
            + p(node.type)
            + _wrap(" = ", default)
            + _wrap(" ", _join(map(p, node.directives or ()), " "))
        )
    if kind == "selection_set":
        return _block(p(s) for s in node.selections)
    if kind == "field":
        prefix = _wrap("", p(node.alias) if node.alias else None, ": ") + p(node.name)
        args = [p(a) for a in node.arguments or ()]
        line = prefix + _wrap("(", _join(args, ", "), ")")
        if len(line) > _MAX_LINE_LENGTH:
            line = prefix + _wrap("(\n", _indent(_join(args, "\n")), "\n)")
        selection = p(node.selection_set) if node.selection_set else None
        return _join((line, _join(map(p, node.directives or ()), " "), selection), " ")
    if kind in {"argument", "object_field"}:
        return p(node.name) + ": " + p(node.value)
    if kind == "fragment_spread":
        return "..." + p(node.name) + _wrap(" ", _join(map(p, node.directives or ()), " "))
    if kind == "inline_fragment":
        condition = p(node.type_condition) if node.type_condition else None
        return _join(
            (
                "...",
                _wrap("on ", condition),
                _join(map(p, node.directives or ()), " "),
                p(node.selection_set),
            ),
            " ",
        )
    if kind == "fragment_definition":
        return (
            f"fragment {p(node.name)}"
            + _wrap("(", _join((p(v) for v in node.variable_definitions or ()), ", "), ")")
            + f" on {p(node.type_condition)} "
            + _wrap("", _join(map(p, node.directives or ()), " "), " ")
            + p(node.selection_set)
        )
    if kind == "name":
        return str(node.value)
    if kind == "variable":
        return "$" + p(node.name)
    if kind in {"int_value", "float_value", "enum_value"}:
        return str(node.value)
    if kind == "string_value":
        return print_ast(node) if node.block else _print_string(node.value)
    if kind == "boolean_value":
        return "true" if node.value else "false"
    if kind == "null_value":
        return "null"
    if kind == "list_value":
        return "[" + _join(map(p, node.values), ", ") + "]"
    if kind == "object_value":
        return "{" + _join(map(p, node.fields), ", ") + "}"
    if kind == "directive":
        return "@" + p(node.name) + _wrap("(", _join(map(p, node.arguments or ()), ", "), ")")
    if kind == "named_type":
        return p(node.name)
    if kind == "list_type":
        return "[" + p(node.type) + "]"
    if kind == "non_null_type":
        return p(node.type) + "!"
    return print_ast(node)
