"""The one GraphQL schema, merging every domain's queries and mutations."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    MaxAliasesLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext, Info
from strawberry.types.graphql import OperationType

from portal import enum_labels
from portal.accounts.resolvers import AccountsMutation, AccountsQuery
from portal.adoption.mutations import AdoptionMutation
from portal.adoption.queries import AdoptionQuery
from portal.coaching.resolvers import CoachingMutation, CoachingQuery
from portal.core.context import Context
from portal.core.cost import CostCache, QueryCostLimiter
from portal.core.errors import DomainError
from portal.core.exports_graphql import ExportMutation
from portal.core.graphql import IsAuthenticated, Node, PortalMaskErrors, node_resolver
from portal.core.hooks import HooksRunner
from portal.core.ids import decode_global_id
from portal.core.jobs_graphql import JobQuery
from portal.core.text_input import RejectUnstorableText
from portal.core.timeout import OperationTimeout
from portal.enum_labels import EnumLabelsQuery
from portal.feedback.mutations import FeedbackMutation
from portal.feedback.queries import FeedbackQuery, FeedbackSubscription
from portal.mentoring.resolvers import (
    MentoringMutation,
    MentoringQuery,
    MentoringSubscription,
)
from portal.notifications.resolvers import (
    NotificationMutation,
    NotificationQuery,
    NotificationSubscription,
)
from portal.people.mutations import ActingMutation, PeopleMutation
from portal.people.queries import ActingQuery, MoveQuery, PeopleQuery
from portal.performance.evaluation.mutations import EvaluationMutation
from portal.performance.evaluation.queries import EvaluationQuery
from portal.performance.planning.mutations import PerformanceMutation
from portal.performance.planning.queries import PerformanceQuery
from portal.processes.resolvers import ProcessesMutation, ProcessesQuery
from portal.settings import Settings, get_settings
from training.mutations import TrainingMutation
from training.queries import TrainingQuery

MAX_NODES = 100

logger = logging.getLogger("portal.graphql")


async def _resolve_node(info: Info[Context, None], global_id: str, *, strict: bool) -> Node | None:
    try:
        type_name, pk = decode_global_id(global_id)
    except DomainError:
        if strict:  # node(id:): a malformed id is the client's bug, typed INVALID_ID
            raise
        return None
    resolver = node_resolver(type_name)
    return await resolver(info, pk) if resolver else None


@strawberry.type(description="Relay entry points shared by every domain.")
class NodeQuery:
    """``node`` and ``nodes``."""

    @strawberry.field(
        description="Fetch any object by global ID; null when it does not exist or is not "
        "visible to the viewer; an error with code INVALID_ID when the id is malformed.",
        permission_classes=[IsAuthenticated],
    )
    async def node(self, info: Info[Context, None], id: strawberry.ID) -> Node | None:  # noqa: A002
        """One object."""
        return await _resolve_node(info, id, strict=True)

    @strawberry.field(
        description=f"Fetch up to {MAX_NODES} objects by global ID, in order (null entries for "
        "missing, invisible or malformed ones).",
        permission_classes=[IsAuthenticated],
    )
    async def nodes(self, info: Info[Context, None], ids: list[strawberry.ID]) -> list[Node | None]:
        """Many objects."""
        if len(ids) > MAX_NODES:
            raise GraphQLError(f"At most {MAX_NODES} ids", extensions={"code": "TOO_MANY_IDS"})
        return list(await asyncio.gather(*(_resolve_node(info, i, strict=False) for i in ids)))


@strawberry.type(description="Read entry points of Kinerja Portal.")
class Query(
    NodeQuery,
    EnumLabelsQuery,
    JobQuery,
    AccountsQuery,
    PeopleQuery,
    PerformanceQuery,
    EvaluationQuery,
    FeedbackQuery,
    CoachingQuery,
    NotificationQuery,
    AdoptionQuery,
    TrainingQuery,
    MentoringQuery,
    ProcessesQuery,
    ActingQuery,
    MoveQuery,
):
    """Root query."""


@strawberry.type(description="Write entry points; each takes `input` and returns `userErrors`.")
class Mutation(
    AccountsMutation,
    ExportMutation,
    PeopleMutation,
    PerformanceMutation,
    EvaluationMutation,
    FeedbackMutation,
    CoachingMutation,
    NotificationMutation,
    AdoptionMutation,
    TrainingMutation,
    MentoringMutation,
    ProcessesMutation,
    ActingMutation,
):
    """Root mutation."""


@strawberry.type(description="Live events over graphql-transport-ws, delivered from any worker.")
class Subscription(NotificationSubscription, FeedbackSubscription, MentoringSubscription):
    """Root subscription."""


class PortalSchema(strawberry.Schema):
    """The schema; errors are logged once, by :class:`PortalMaskErrors`.

    Strawberry logs every error of every response with its stack trace before extensions see
    it: a wrong password or a refused permission would flood the log like a crash. The masking
    extension already logs what needs attention (unexpected errors with the request id and
    trace, database outages as one warning line); client errors stay at debug level.
    """

    # the settings' validation rules and token limit (set by build_schema): what strawberry's
    # AddValidationRules and MaxTokensLimiter extensions did in their on_operation hooks,
    # without two extension objects and their hooks on every request
    validation_rules: tuple[type[ASTValidationRule], ...] = ()
    max_tokens: int | None = None

    def _create_execution_context(  # noqa: PLR0917 - strawberry's signature
        self,
        query: str | None,
        allowed_operation_types: Iterable[OperationType],
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,  # noqa: ANN401
        root_value: Any | None = None,  # noqa: ANN401
        operation_name: str | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionContext:
        """Strawberry's execution context with the portal's rules and token limit."""
        context = super()._create_execution_context(
            query,
            allowed_operation_types,
            variable_values,
            context_value,
            root_value,
            operation_name,
            operation_extensions,
        )
        context.validation_rules = (*context.validation_rules, *self.validation_rules)
        if self.max_tokens is not None:
            context.parse_options["max_tokens"] = self.max_tokens
        return context

    def create_extensions_runner(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension]
    ) -> SchemaExtensionsRunner:
        """Hooks wrapped once per extension class, not for every request (core.hooks)."""
        return HooksRunner(execution_context=execution_context, extensions=extensions)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Client errors at debug level only (see the class docstring)."""
        for error in errors:
            logger.debug("GraphQL error at %s: %s", error.path, error.message)


def build_schema(
    settings: Settings | None = None,
    extra_extensions: Sequence[Callable[[], SchemaExtension] | type[SchemaExtension]] = (),
) -> strawberry.Schema:
    """Build the schema with the limits and hardening the settings ask for.

    ``extra_extensions`` (metrics, tracing) are added by the app after the portal's own.
    """
    settings = settings or get_settings()
    costs = CostCache(default_page_size=settings.max_page_size)
    # The depth and alias limiters build a new rule class on every construction, and the
    # validation cache keys on the rule classes: built per request they made every validation a
    # cache miss (a quarter of a dashboard request's time). Build the rules once and share them.
    rules = (
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
        *([NoSchemaIntrospectionCustomRule] if settings.is_production else []),
    )
    # Factories, not instances: strawberry builds fresh extensions for every request. The rules
    # and the token limit are the schema's own (PortalSchema._create_execution_context).
    extensions: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
        # measured after parsing; listed after ValidationCache so a refusal replaces its result
        lambda: QueryCostLimiter(
            max_cost=settings.max_query_cost, max_fields=settings.max_tokens, cache=costs
        ),
        RejectUnstorableText,  # NUL and lone surrogates: INVALID_CHARACTER, not INTERNAL_ERROR
        lambda: OperationTimeout(seconds=settings.operation_timeout_seconds),
        lambda: PortalMaskErrors(hide_suggestions=settings.is_production),
        *extra_extensions,
    ]
    schema = PortalSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[],
        extensions=extensions,
        config=StrawberryConfig(),
    )
    schema.validation_rules = rules
    schema.max_tokens = settings.max_tokens
    enum_labels.document(schema._schema)  # noqa: SLF001 - enum value and argument descriptions
    return schema


def sdl() -> str:
    """The schema in SDL, as committed in ``graphql/schema.graphql``."""
    return build_schema().as_str() + "\n"


def enum_labels_json() -> str:
    """The enums' Indonesian labels, as committed in ``graphql/enum-labels.json``."""
    return enum_labels.label_tables(build_schema()._schema)  # noqa: SLF001 - graphql-core's
