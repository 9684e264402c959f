"""Hypothesis strategies for GraphQL documents of the portal's schema (hypothesis-graphql).

Generated documents are valid against ``graphql/schema.graphql``. Arguments of the custom
scalars get values of the right shape most of the time and nonsense sometimes; ``ID``
arguments are often global IDs of objects that exist in a freshly built world (primary keys
restart at 1), so the fuzzer reaches real rows, not only NOT_FOUND. Every selection of an
object that has an ``id`` also selects it (``with_ids``), so the leak detector can judge each
object in the response.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path

import graphql
from hypothesis import strategies as st
from hypothesis_graphql import mutations, queries

from portal.core.ids import encode_global_id

SDL = Path(__file__).resolve().parents[2] / "graphql" / "schema.graphql"
# Mutations that end the fuzzing role's own session; the fuzzer would only lose its login.
SESSION_ENDING = frozenset({"logout"})


@cache
def schema() -> graphql.GraphQLSchema:
    """The committed SDL, parsed."""
    return graphql.build_schema(SDL.read_text(encoding="utf-8"))


def node_type_names() -> list[str]:
    """Types implementing ``Node``."""
    node = schema().get_type("Node")
    assert isinstance(node, graphql.GraphQLInterfaceType)
    return sorted(t.name for t in schema().get_implementations(node).objects)


def _string(values: st.SearchStrategy[str]) -> st.SearchStrategy[graphql.ValueNode]:
    return values.map(lambda v: graphql.StringValueNode(value=v))


def global_ids() -> st.SearchStrategy[str]:
    """Global IDs of rows that likely exist, of other types, and malformed ones."""
    real = st.builds(encode_global_id, st.sampled_from(node_type_names()), st.integers(1, 8))
    odd = st.sampled_from(
        ["", "null", "%%%", "Tm9kZTo=", encode_global_id("Secret", 1), encode_global_id("Skp", -1)]
    )
    return st.one_of(real, real, real, odd, st.text(max_size=24))


def _mostly(good: st.SearchStrategy[str], bad: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """``good`` seven times in eight: a bad scalar refuses the whole operation unexecuted."""
    # (not n == 0: hypothesis draws the simplest value, 0, far more often than one in eight)
    return st.integers(0, 7).flatmap(lambda n: bad if n == 7 else good)


def _dates() -> st.SearchStrategy[str]:
    around = st.dates(date(2025, 1, 1), date(2027, 12, 31)).map(date.isoformat)
    return _mostly(around, st.text(max_size=12))


def _datetimes() -> st.SearchStrategy[str]:
    now = datetime.now(UTC)
    near = st.integers(-90 * 24, 90 * 24).map(lambda h: (now + timedelta(hours=h)).isoformat())
    return _mostly(near, st.text(max_size=20))


def _ints() -> st.SearchStrategy[graphql.ValueNode]:
    # page sizes and years mostly in range, so queries go past argument validation
    small = st.integers(1, 100)
    year = st.integers(2024, 2028)
    wide = st.integers(-(2**31), 2**31 - 1)
    return st.one_of(small, small, year, wide).map(lambda v: graphql.IntValueNode(value=str(v)))


# strings that have broken services before, or could: NUL and lone surrogates (no database
# stores them), SQL and LIKE metacharacters, formula prefixes for CSV exports, very long text
TRICKY_STRINGS = (
    "",
    " ",
    "\x00",
    "Perawat\x00",
    "\ud800",
    "'; DROP TABLE employee; --",
    "%",
    "_",
    "\\",
    '=HYPERLINK("x")',
    "x" * 5000,
)


def _strings() -> st.SearchStrategy[str]:
    return _mostly(st.text(max_size=40), st.sampled_from(TRICKY_STRINGS))


def custom_scalars() -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    """Strategies for the custom scalars, and sharper ones for ``ID``, ``Int`` and ``String``."""
    return {
        "ID": _string(global_ids()),
        "Int": _ints(),
        "String": _string(_strings()),
        "Date": _string(_dates()),
        "DateTime": _string(_datetimes()),
        "JSON": _string(st.text(max_size=20)),
    }


# --- selecting ids ---------------------------------------------------------------------------


def _with_ids(
    selection: graphql.SelectionSetNode, parent: graphql.GraphQLNamedType
) -> graphql.SelectionSetNode:
    fields = getattr(parent, "fields", {})
    selections: list[graphql.SelectionNode] = []
    for node in selection.selections:
        if isinstance(node, graphql.FieldNode) and node.selection_set is not None:
            target = graphql.get_named_type(fields[node.name.value].type)
            selections.append(
                graphql.FieldNode(
                    alias=node.alias,
                    name=node.name,
                    arguments=node.arguments,
                    directives=node.directives,
                    selection_set=_with_ids(node.selection_set, target),
                )
            )
        elif isinstance(node, graphql.InlineFragmentNode):
            condition = node.type_condition
            on = schema().get_type(condition.name.value) if condition else parent
            assert on is not None
            selections.append(
                graphql.InlineFragmentNode(
                    type_condition=condition,
                    directives=node.directives,
                    selection_set=_with_ids(node.selection_set, on),
                )
            )
        else:
            selections.append(node)
    if "id" in fields and graphql.is_leaf_type(graphql.get_named_type(fields["id"].type)):
        selections.append(graphql.FieldNode(name=graphql.NameNode(value="id")))
    return graphql.SelectionSetNode(selections=tuple(selections))


def with_ids(document: graphql.DocumentNode) -> str:
    """Print ``document`` with ``id`` added to every selection of an object that has one."""
    definitions = []
    for definition in document.definitions:
        assert isinstance(definition, graphql.OperationDefinitionNode)
        root = schema().get_root_type(definition.operation)
        assert root is not None
        definitions.append(
            graphql.OperationDefinitionNode(
                operation=definition.operation,
                name=definition.name,
                variable_definitions=definition.variable_definitions,
                directives=definition.directives,
                selection_set=_with_ids(definition.selection_set, root),
            )
        )
    return graphql.print_ast(graphql.DocumentNode(definitions=tuple(definitions)))


def _roots(kind: str) -> list[str]:
    root = schema().query_type if kind == "query" else schema().mutation_type
    assert root is not None
    return sorted(f for f in root.fields if f not in SESSION_ENDING)


def documents(kind: str) -> st.SearchStrategy[str]:
    """Valid queries (``kind`` "query") or mutations ("mutation") of the portal's schema.

    A document has one to three root fields, each generated on its own by hypothesis-graphql
    and then merged: a strategy per root field is built once and reused, which makes a document
    about ten times cheaper to generate than one drawn from all root fields at once.
    """
    return (
        st.lists(st.sampled_from(_roots(kind)), min_size=1, max_size=3, unique=True)
        .flatmap(lambda fields: st.tuples(*(_one_root(kind, f) for f in fields)))
        .map(_merge)
    )


@cache
def _one_root(kind: str, field: str) -> st.SearchStrategy[graphql.DocumentNode]:
    make = queries if kind == "query" else mutations
    return make(
        schema(), fields=[field], custom_scalars=custom_scalars(), print_ast=lambda doc: doc
    )


def _merge(parts: tuple[graphql.DocumentNode, ...]) -> str:
    operations = [d.definitions[0] for d in parts]
    assert all(isinstance(o, graphql.OperationDefinitionNode) for o in operations)
    first = operations[0]
    assert isinstance(first, graphql.OperationDefinitionNode)
    selections = tuple(
        s
        for o in operations
        if isinstance(o, graphql.OperationDefinitionNode)
        for s in o.selection_set.selections
    )
    merged = graphql.OperationDefinitionNode(
        operation=first.operation, selection_set=graphql.SelectionSetNode(selections=selections)
    )
    return with_ids(graphql.DocumentNode(definitions=(merged,)))
