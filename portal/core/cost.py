"""Static cost of a GraphQL operation, computed before execution and capped per request.

The model, in one line per rule:

- every field costs 1, ``__typename`` included;
- a field with a ``first`` argument (a connection) multiplies the cost of its selection by
  ``first`` (a literal, the request's variable, the variable's default, or the maximum page
  size when none is known); the ``edges`` list right inside it is not multiplied again;
- any other list of objects multiplies the cost of its selection by :data:`LIST_FACTOR`;
- inside introspection (``__schema``, ``__type``) nothing multiplies: those lists are small
  and in memory, and GraphiQL's introspection query must fit.

The cost is at least the number of fields the document expands to, fragments included. It is
computed right after parsing, in time linear in the document (each fragment is costed once),
and an operation over the budget skips the other validation rules: strawberry's depth and alias
limiters expand every fragment spread, which takes exponential time for nested spreads.
Costs are cached per document text, operation name and the integer variables (the only ones a
page size can come from).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    TypeNameMetaFieldDef,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
)
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension

LIST_FACTOR = 10
PAGE_ARGUMENT = "first"
# Far above any sensible depth limit; deeper documents are refused without walking further.
MAX_NESTING = 64


class _TooDeepError(Exception):
    """The walk went deeper than :data:`MAX_NESTING` fields."""


Tally = tuple[int, int]  # (cost, depth in fields)


class _Walker:
    """Costs the selections of one operation.

    Each method returns the cost and the depth (in fields) of what it walked; ``level`` is the
    number of fields around it. Nesting beyond :data:`MAX_NESTING` stops the walk, so the
    recursion stays far from Python's limit whatever fragments a document chains.
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
        default_page_size: int,
    ) -> None:
        self.schema = schema
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.variables = dict(variables)
        for definition in operation.variable_definitions or ():
            name = definition.variable.name.value
            if name not in self.variables and isinstance(definition.default_value, IntValueNode):
                self.variables[name] = int(definition.default_value.value)
        self.default_page_size = default_page_size
        self._fragments: dict[tuple[str, bool, bool], Tally] = {}
        self._visiting: set[str] = set()

    def selection_set(
        self,
        node: SelectionSetNode,
        parent: GraphQLNamedType | None,
        *,
        covered: bool,
        flat: bool,
        level: int,
    ) -> Tally:
        """Cost of a selection set.

        ``covered``: a list here is the ``edges`` of a connection already multiplied by
        ``first``; ``flat``: nothing multiplies (introspection, or counting fields).
        """
        cost = depth = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                tally = self.field(selection, parent, covered=covered, flat=flat, level=level)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                tally = self.selection_set(
                    selection.selection_set, target, covered=covered, flat=flat, level=level
                )
            elif isinstance(selection, FragmentSpreadNode):
                tally = self.fragment(selection.name.value, covered=covered, flat=flat, level=level)
            else:  # pragma: no cover - the three selection kinds of the spec
                continue
            cost += tally[0]
            depth = max(depth, tally[1])
        return cost, depth

    def fragment(self, name: str, *, covered: bool, flat: bool, level: int) -> Tally:
        key = (name, covered, flat)
        if key not in self._fragments:
            definition = self.fragments.get(name)
            if definition is None or name in self._visiting:  # unknown or cyclic: invalid
                return 0, 0
            self._visiting.add(name)
            target = self.schema.get_type(definition.type_condition.name.value)
            tally = self.selection_set(
                definition.selection_set, target, covered=covered, flat=flat, level=level
            )
            self._visiting.discard(name)
            self._fragments[key] = tally
        tally = self._fragments[key]
        if level + tally[1] > MAX_NESTING:
            raise _TooDeepError
        return tally

    def field(
        self,
        node: FieldNode,
        parent: GraphQLNamedType | None,
        *,
        covered: bool,
        flat: bool,
        level: int,
    ) -> Tally:
        if level >= MAX_NESTING:
            raise _TooDeepError
        if node.selection_set is None:
            return 1, 1
        definition = _field_definition(parent, node.name.value)
        if definition is None:  # invalid, refused by validation; still count what it expands to
            cost, depth = self.selection_set(
                node.selection_set, None, covered=False, flat=flat, level=level + 1
            )
            return 1 + cost, 1 + depth
        flat = flat or any(definition is meta for meta in _INTROSPECTION)
        page = None if flat else self.page_size(node, definition)
        if page is not None:
            multiplier = page
        elif is_list_type(get_nullable_type(definition.type)) and not (covered or flat):
            multiplier = LIST_FACTOR
        else:
            multiplier = 1
        target = get_named_type(definition.type)
        cost, depth = self.selection_set(
            node.selection_set, target, covered=page is not None, flat=flat, level=level + 1
        )
        return 1 + multiplier * cost, 1 + depth

    def page_size(self, node: FieldNode, definition: GraphQLField) -> int | None:
        if PAGE_ARGUMENT not in definition.args:
            return None
        value: object = None
        for argument in node.arguments or ():
            if argument.name.value != PAGE_ARGUMENT:
                continue
            if isinstance(argument.value, IntValueNode):
                value = int(argument.value.value)
            elif isinstance(argument.value, VariableNode):
                value = self.variables.get(argument.value.name.value)
        if not isinstance(value, int) or isinstance(value, bool):
            return self.default_page_size
        return max(value, 0)


_INTROSPECTION = (SchemaMetaFieldDef, TypeMetaFieldDef)
_META_FIELDS = {
    "__schema": SchemaMetaFieldDef,
    "__type": TypeMetaFieldDef,
    "__typename": TypeNameMetaFieldDef,
}


def _field_definition(parent: GraphQLNamedType | None, name: str) -> GraphQLField | None:
    if name in _META_FIELDS:
        return _META_FIELDS[name]
    if isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
        field: GraphQLField | None = parent.fields.get(name)
        return field
    return None


@dataclass(frozen=True, slots=True)
class Measure:
    """What an operation costs, how many fields it expands to, and how deep they nest.

    ``fields`` counts every field once per place a fragment is spread. A document nested
    deeper than :data:`MAX_NESTING` is not costed (cost and fields 0).
    """

    cost: int
    fields: int
    depth: int


def measure_operation(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
    *,
    default_page_size: int = 100,
) -> Measure | None:
    """Cost and size of the operation, or None when the document does not name one.

    Works on unvalidated documents too: unknown fields cost 1 and are left to validation.
    """
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None
    root = schema.get_root_type(operation.operation)
    walker = _Walker(schema, document, operation, variables or {}, default_page_size)
    selections = operation.selection_set
    try:
        cost, depth = walker.selection_set(selections, root, covered=False, flat=False, level=0)
        fields, _ = walker.selection_set(selections, root, covered=False, flat=True, level=0)
    except _TooDeepError:
        return Measure(cost=0, fields=0, depth=MAX_NESTING + 1)
    return Measure(cost=cost, fields=fields, depth=depth)


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
    *,
    default_page_size: int = 100,
) -> int | None:
    """The static cost of the operation, or None when the document does not name one."""
    found = measure_operation(
        schema, document, operation_name, variables, default_page_size=default_page_size
    )
    return found.cost if found else None


class CostCache:
    """A bounded LRU of operation measures, shared by every request of one schema."""

    def __init__(self, default_page_size: int, maxsize: int = 512) -> None:
        self.default_page_size = default_page_size
        self.maxsize = maxsize
        self._measures: OrderedDict[tuple[Any, ...], Measure | None] = OrderedDict()

    def measure(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        query: str | None,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
    ) -> Measure | None:
        """The operation's measure, computed once per document, operation and page sizes."""
        key = (query, operation_name, *_int_variables(variables))
        if query is not None and key in self._measures:
            self._measures.move_to_end(key)
            return self._measures[key]
        found = measure_operation(
            schema, document, operation_name, variables, default_page_size=self.default_page_size
        )
        if query is not None:
            self._measures[key] = found
            if len(self._measures) > self.maxsize:
                self._measures.popitem(last=False)
        return found


def _int_variables(variables: Mapping[str, Any] | None) -> Iterator[tuple[str, int]]:
    for name, value in sorted((variables or {}).items()):
        if isinstance(value, int) and not isinstance(value, bool):
            yield name, value


class QueryCostLimiter(SchemaExtension):
    """Rejects an operation over the cost budget or the field limit; reports the cost otherwise.

    Both are measured right after parsing. ``max_fields`` bounds what fragments may expand a
    document to; without fragments a document holds fewer fields than tokens, so the token
    limit is a natural value. List this extension after ``ValidationCache``, so its refusal
    replaces that extension's (then trivial) validation result. Accepted operations carry
    ``extensions.cost = {requested, limit}`` in the response.
    """

    def __init__(self, *, max_cost: int, max_fields: int, cache: CostCache) -> None:
        self.max_cost = max_cost
        self.max_fields = max_fields
        self.cache = cache
        self.requested: int | None = None
        self.refusal: GraphQLError | None = None
        self.valid = False

    def on_parse(self) -> Iterator[None]:
        """Measure the parsed document before any validation rule walks it."""
        yield
        context = self.execution_context
        if context.graphql_document is None:
            return
        found = self.cache.measure(
            context.schema._schema,  # noqa: SLF001 - strawberry exposes no public accessor
            context.graphql_document,
            context.query,
            context.operation_name,
            context.variables,
        )
        if found is None:
            return
        self.refusal = self._refusal(found)
        if self.refusal is None:
            self.requested = found.cost
        else:
            # refused anyway: spare the other rules a document that may expand exponentially
            context.validation_rules = ()

    def _refusal(self, found: Measure) -> GraphQLError | None:
        if found.depth > MAX_NESTING:
            return GraphQLError(
                f"The operation nests fields more than {MAX_NESTING} levels deep",
                extensions={"code": "QUERY_TOO_DEEP", "limit": MAX_NESTING},
            )
        if self.max_fields and found.fields > self.max_fields:
            return GraphQLError(
                f"The operation expands to {found.fields} fields (fragments spread out); "
                f"at most {self.max_fields} are allowed",
                extensions={
                    "code": "TOO_MANY_FIELDS",
                    "fields": found.fields,
                    "limit": self.max_fields,
                },
            )
        if self.max_cost and found.cost > self.max_cost:
            return GraphQLError(
                f"Query cost {found.cost} exceeds the limit of {self.max_cost}: request "
                "smaller pages (`first`) or fewer nested lists",
                extensions={"code": "QUERY_TOO_COSTLY", "cost": found.cost, "limit": self.max_cost},
            )
        return None

    def on_validate(self) -> Iterator[None]:
        """Answer with the refusal instead of validation errors."""
        context = self.execution_context
        if self.refusal is not None:
            context.pre_execution_errors = [self.refusal]
        yield
        self.valid = not context.pre_execution_errors

    def get_results(self) -> dict[str, Any]:
        """``{"cost": {"requested": N, "limit": M}}`` for a valid, accepted operation."""
        if self.requested is None or not self.valid:
            return {}
        return {"cost": {"requested": self.requested, "limit": self.max_cost}}
