"""Shared GraphQL building blocks: Node, connections, userErrors, permissions, error masking."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Generic, Protocol, Self, TypeVar

import strawberry
from graphql.error import GraphQLError
from litestar import Response
from strawberry.extensions import MaskErrors
from strawberry.permission import BasePermission
from strawberry.types import Info
from strawberry.types.field import StrawberryField

from portal.core.auth import Role, Viewer
from portal.core.db import database_unavailable
from portal.core.error_codes import CATALOGUE, LANGUAGE, checked
from portal.core.error_codes import message as localised
from portal.core.errors import AuthenticationError, DomainError, ServiceUnavailableError
from portal.core.ids import decode_id_of
from portal.core.pagination import (
    BY_ID,
    MAX_PAGE_SIZE,
    Page,
    PageRequest,
    SortKey,
    encode_cursor,
    page_request,
)

if TYPE_CHECKING:
    from portal.core.context import Context

logger = logging.getLogger("portal.graphql")
# graphql-core ends validation and coercion messages with " Did you mean 'x'?" hints
_SUGGESTION = re.compile(r"\s*Did you mean\b.*$", re.DOTALL)

T = TypeVar("T")
R = TypeVar("R")
P = TypeVar("P")

Input = Annotated[T, strawberry.argument(name="input")]
"""A mutation's ``input`` argument, as ``data: Input[XInput]`` (``input`` is a Python builtin)."""

# Root fields a screen composes are nullable (GitHub's choice): one failing part answers null
# with its error, and the other parts of the same query still arrive.
NULLABLE_PART = (
    " Nullable: on failure it is null with an error, and the rest of a screen query still answers."
)


_ERROR_CODES: Any = Enum(  # type: ignore[misc]
    "ErrorCode",
    {code: strawberry.enum_value(code, description=e.en) for code, e in CATALOGUE.items()},
)
ErrorCodeType: Any = strawberry.enum(
    _ERROR_CODES,
    name="ErrorCode",
    description="Every error code of the API: `UserError.code` and every error's "
    "`extensions.code` (one code per condition; the README lists them with their meaning).",
)


@strawberry.type(description="A business-rule failure of a mutation, with a stable code.")
class UserError:
    """One entry of a payload's ``userErrors``."""

    field: str | None = strawberry.field(
        description="Input field the error is about, dot-separated (camelCase), or null for the "
        "whole input.",
        deprecation_reason="Use `path` (a list, one entry per level); removal 2027-06-30.",
    )
    message: str = strawberry.field(
        description="Human-readable explanation: Indonesian, or English when the request's "
        "Accept-Language prefers it."
    )
    code: ErrorCodeType = strawberry.field(
        description="Stable machine-readable code from the `ErrorCode` catalogue."
    )
    path: list[str] | None = strawberry.field(
        default=None,
        description="Path to the input field the error is about, one entry per level of the "
        'mutation\'s input, e.g. ["indicators", "0", "targetValue"]; null for the whole input.',
    )

    english: strawberry.Private[str | None] = None

    def __post_init__(self) -> None:
        """Codes become catalogue members (unknown ones are logged); ``field`` gives ``path``."""
        raw = self.code.value if isinstance(self.code, Enum) else str(self.code)
        self.code = ErrorCodeType(checked(raw))
        self.message = localised(raw, self.message, english=self.english)
        if self.path is None and self.field:
            self.path = self.field.split(".")


def user_errors(exc: DomainError) -> list[UserError]:
    """Map a domain error to ``userErrors`` entries."""
    return [
        UserError(field=e.field, message=e.message, code=e.code, english=e.english)
        for e in exc.errors
    ]


@strawberry.interface(description="An object with a globally unique, opaque ID.")
class Node:
    """Relay Node interface."""

    id: strawberry.ID = strawberry.field(
        description="Opaque global ID; fetch the object again with `node(id:)`."
    )


NodeResolver = Callable[["Info[Context, None]", int], Awaitable[Node | None]]
_NODE_RESOLVERS: dict[str, NodeResolver] = {}


def register_node(type_name: str, resolver: NodeResolver) -> None:
    """Let ``node(id:)`` resolve IDs of ``type_name`` (the resolver applies row scoping)."""
    _NODE_RESOLVERS[type_name] = resolver


def node_resolver(type_name: str) -> NodeResolver | None:
    """The registered resolver for ``type_name``."""
    return _NODE_RESOLVERS.get(type_name)


@strawberry.type(description="Pagination state of a connection.")
class PageInfo:
    """Relay PageInfo."""

    has_next_page: bool = strawberry.field(description="More items follow `endCursor`.")
    has_previous_page: bool = strawberry.field(description="Items precede `startCursor`.")
    start_cursor: str | None = strawberry.field(
        description="Cursor of the first edge; pass it as `before` for the previous page "
        "(lists with `last`/`before`)."
    )
    end_cursor: str | None = strawberry.field(
        description="Cursor of the last edge; pass it as `after` for the next page."
    )


@strawberry.type(description="An item of a connection with its cursor.")
class Edge(Generic[T]):
    """Relay edge."""

    cursor: str = strawberry.field(description="Opaque cursor of this item.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="A page of items (Relay connection) with the total count.")
class Connection(Generic[T]):
    """Relay connection."""

    edges: list[Edge[T]] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description="Pagination state.")
    total_count: int = strawberry.field(description="Number of items matching, over all pages.")


@strawberry.enum(description="Direction of a list's ordering.")
class OrderDirection(Enum):
    """``orderBy.direction``."""

    ASC = "ASC"
    DESC = "DESC"


class OrderInput:
    """Base of a list's ``orderBy`` input: a ``field`` enum and a ``direction``.

    A subclass names its fields once, in the class statement; the enum ``<Name>OrderField``
    (its values in the order given) and both input fields are made from them, so every list
    orders the same way::

        @strawberry.input(description="Ordering of an employee list (default: ID order).")
        class EmployeeOrderInput(
            OrderInput,
            fields={"NAME": directory.EMPLOYEE_BY_NAME, "NIP": directory.EMPLOYEE_BY_NIP},
            what="What an employee list can be ordered by (then by ID).",
        ):
            \"\"\"``orderBy`` of the employee lists.\"\"\"

    ``fields`` maps each value to the service's :class:`SortKey` (None where the service sorts
    by the value's name itself); the enum's values are described in ``portal.enum_labels``.
    """

    field: Enum
    direction: OrderDirection
    sorts: dict[str, SortKey]

    def __init_subclass__(
        cls,
        *,
        fields: dict[str, SortKey | None],
        what: str,
        default: OrderDirection = OrderDirection.ASC,
        direction: str = "Ascending (default) or descending.",
        field: str = "The sort column.",
        **kwargs: Any,  # noqa: ANN401 - passed on to object
    ) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__name__.removesuffix("Input")
        choices = Enum(f"{name}Field", {value: value for value in fields})  # type: ignore[misc]
        choices.__doc__ = f"``{cls.__name__}.field``."
        strawberry.enum(choices, description=what)
        cls.__annotations__ = {"field": choices, "direction": OrderDirection}
        cls.field = strawberry.field(description=field)
        cls.direction = strawberry.field(default=default, description=direction)
        cls.sorts = {value: sort for value, sort in fields.items() if sort is not None}

    def key(self) -> tuple[SortKey, OrderDirection]:
        """The service's ordering and the direction."""
        return self.sorts[self.field.value], self.direction


def sorted_page_request(
    first: int | None,
    after: str | None,
    *,
    last: int | None,
    before: str | None,
    order: tuple[SortKey, OrderDirection] | None,
    default: SortKey = BY_ID,
    max_size: int = MAX_PAGE_SIZE,
) -> PageRequest:
    """Pagination arguments of a sortable connection.

    ``order`` is the ``orderBy`` chosen (its field's :class:`SortKey` and direction), ``default``
    the list's own order without one.
    """
    sort = default
    if order is not None:
        key, direction = order
        sort = key.reverse(direction == OrderDirection.DESC)
    return page_request(first, after, last=last, before=before, sort=sort, max_size=max_size)


def ordered_page_request(
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    order_by: OrderInput | None,
    *,
    default: SortKey = BY_ID,
) -> PageRequest:
    """:func:`sorted_page_request` for a list's Relay arguments and its ``orderBy``.

    Without ``order_by`` the list keeps its ``default`` order.
    """
    order = order_by.key() if order_by else None
    return sorted_page_request(first, after, last=last, before=before, order=order, default=default)


def to_connection(page: Page[R], convert: Callable[[R], T]) -> Connection[T]:
    """Build a connection from a service page."""
    cursors = page.cursors or tuple(encode_cursor(key) for key in page.keys)
    edges = [
        Edge(cursor=cursor, node=convert(item))
        for cursor, item in zip(cursors, page.items, strict=True)
    ]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=page.total_count,
    )


def viewer_of(info: Info[Context, None]) -> Viewer:
    """The authenticated viewer, or an UNAUTHENTICATED error."""
    ctx = info.context
    if ctx.viewer is None:
        raise ctx.auth_error or AuthenticationError
    return ctx.viewer


class IsAuthenticated(BasePermission):
    """Field permission: a valid access token is required."""

    message = "Authentication required"
    error_extensions: dict[str, Any] = {"code": "UNAUTHENTICATED"}  # noqa: RUF012

    def has_permission(self, source: Any, info: Info[Context, None], **kwargs: Any) -> bool:  # noqa: ANN401
        """Allow when the request carries a valid, unrevoked token.

        A bad token raises its own error (``TOKEN_EXPIRED``, ``TOKEN_REVOKED``, ...). Strawberry
        keeps one permission instance per field for every request, so the reason must never be
        stored on ``self``: it would answer the next, token-less request too.
        """
        ctx = info.context
        if ctx.viewer is None and ctx.auth_error is not None:
            raise ctx.auth_error
        return ctx.viewer is not None


def has_role(*roles: Role) -> type[BasePermission]:
    """Field permission: the viewer must hold one of ``roles``."""

    class HasRole(BasePermission):
        message = "You are not allowed to do this"
        error_extensions: dict[str, Any] = {"code": "FORBIDDEN"}  # noqa: RUF012

        def has_permission(self, source: Any, info: Info[Context, None], **kwargs: Any) -> bool:  # noqa: ANN401
            viewer = info.context.viewer
            return viewer is not None and any(r in viewer.roles for r in roles)

    HasRole.__name__ = "HasRole_" + "_".join(roles)
    return HasRole


class PortalMaskErrors(MaskErrors):
    """Expected errors keep their message and get a ``code``; anything else is masked.

    Masked errors are logged with the request id, which is also returned in ``extensions`` so
    a user's report can be matched to the log line. With ``hide_suggestions`` (production),
    "Did you mean …?" hints are cut from every message: they would reveal the schema that
    disabled introspection hides. (graphql-core 3.3 has a ``hide_suggestions`` flag, but
    strawberry's validation and execution calls do not pass it through.)
    """

    def __init__(self, *, hide_suggestions: bool = False) -> None:
        super().__init__()
        self.hide_suggestions = hide_suggestions

    def _process_result(self, result: object) -> None:
        """As strawberry's, without its ``runtime_checkable`` protocol check (slow per request)."""
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._process_errors(errors)  # type: ignore[attr-defined]

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        request_id = getattr(self.execution_context.context, "request_id", None)
        if getattr(self.execution_context.context, "language", None) == "en":
            LANGUAGE.set("en")
        processed = [_localise(self._one(error, request_id)) for error in errors]
        if any((e.extensions or {}).get("code") == ServiceUnavailableError.code for e in processed):
            _ask_to_retry(self.execution_context.context)
        if self.hide_suggestions:
            processed = [_without_suggestion(error) for error in processed]
        return processed

    @staticmethod
    def _one(error: GraphQLError, request_id: str | None) -> GraphQLError:
        original = error.original_error
        if original is None:
            extensions = dict(error.extensions or {})
            extensions.setdefault("code", "GRAPHQL_VALIDATION_FAILED")
            return _copy(error, error.message, extensions)
        if isinstance(original, AuthenticationError):
            return _copy(error, str(original), {"code": original.code})
        if isinstance(original, DomainError):
            first = original.errors[0]
            extra: dict[str, Any] = {"code": first.code, "_specific": first.message}
            if first.english:
                extra["_english"] = first.english
            if first.field:
                extra["field"] = first.field
                extra["path"] = first.path
            return _copy(error, first.message, extra)
        if isinstance(original, GraphQLError):  # raised on purpose with extensions
            return error
        if database_unavailable(original):  # an outage, not a bug: no stack trace
            logger.warning(
                "database unavailable (request %s) at %s: %r", request_id, error.path, original
            )
            return _copy(
                error,
                "Layanan sedang tidak tersedia, silakan coba lagi",
                {
                    "code": ServiceUnavailableError.code,
                    "requestId": request_id,
                    "retryAfter": ServiceUnavailableError.retry_after_seconds,
                },
            )
        logger.error(
            "unexpected error (request %s) at %s", request_id, error.path, exc_info=original
        )
        return _copy(
            error, "Internal server error", {"code": "INTERNAL_ERROR", "requestId": request_id}
        )


def _localise(error: GraphQLError) -> GraphQLError:
    """The message in the request's language, from the catalogue (validation keeps its own).

    A domain error's specific Indonesian text stays when Indonesian is wanted; other errors
    (permissions, limits, authentication) get the catalogue's text for their code.
    """
    extensions = dict(error.extensions or {})
    code = extensions.get("code")
    if not isinstance(code, str) or code == "GRAPHQL_VALIDATION_FAILED":
        return error
    specific = extensions.pop("_specific", None)
    english = extensions.pop("_english", None)
    text = localised(
        checked(code),
        specific if isinstance(specific, str) else None,
        params=extensions,
        english=english if isinstance(english, str) else None,
    )
    if text == error.message and "_specific" not in (error.extensions or {}):
        return error
    return _copy(error, text, extensions)


def _without_suggestion(error: GraphQLError) -> GraphQLError:
    message = _SUGGESTION.sub("", error.message)
    if message == error.message:
        return error
    return _copy(error, message, dict(error.extensions or {}))


def _ask_to_retry(context: object) -> None:
    """Answer HTTP 503 with Retry-After (the GraphQL errors still say SERVICE_UNAVAILABLE)."""
    response = getattr(context, "response", None)
    if isinstance(response, Response):  # not on WebSockets: there the error code is the signal
        response.status_code = 503
        response.headers["Retry-After"] = str(ServiceUnavailableError.retry_after_seconds)


def _copy(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message=message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )


class FromRowType(Protocol):
    """An object type built from one service row (``from_row``)."""

    @classmethod
    def from_row(cls, row: Any, /) -> Any:  # noqa: ANN401 - any row, any type
        """The object of ``row``."""


class RowPayload(Generic[R]):
    """Base of a mutation's payload: the object written (null on failure) and ``userErrors``.

    The class statement names the object's field once, as ``name=(type, description)``; both
    fields are made from it (the object's first, then ``userErrors``), and :meth:`of` is the
    payload builder :func:`mutate` and :func:`mutate_node` take::

        @strawberry.type(description="Result of createProgram.")
        class ProgramPayload(RowPayload[ProgramRow], program=(ProgramType, "The program.")):
            \"\"\"Program payload.\"\"\"

        return await mutate(info, lambda viewer: programs.create(viewer, ...), ProgramPayload.of)
    """

    _object: ClassVar[tuple[str, type[FromRowType]]]

    def __init_subclass__(cls, **field: tuple[type[FromRowType], str]) -> None:
        super().__init_subclass__()
        ((name, (kind, description)),) = field.items()
        cls.__annotations__ = {name: kind | None, "user_errors": list[UserError]}
        setattr(cls, name, strawberry.field(description=description))
        setattr(cls, "user_errors", strawberry.field(description="Why it failed."))  # noqa: B010
        cls._object = (name, kind)

    @classmethod
    def of(cls, row: R | None, errors: list[UserError]) -> Self:
        """The payload of ``row`` written, or of the failure's ``errors`` (``row`` None)."""
        name, kind = cls._object
        make: Callable[..., Self] = cls
        return make(**{name: None if row is None else kind.from_row(row)}, user_errors=errors)


async def run_payload(
    action: Callable[[], Awaitable[R]],
) -> tuple[R | None, list[UserError]]:
    """Run a mutation's service call; turn domain errors into ``userErrors``."""
    try:
        return await action(), []
    except DomainError as exc:
        return None, user_errors(exc)


async def mutate(
    info: Info[Context, None],
    action: Callable[[Viewer], Awaitable[R]],
    payload: Callable[[R | None, list[UserError]], P],
) -> P:
    """A mutation's body: ``action`` as the viewer, its result (or ``userErrors``) as ``payload``.

    ``payload`` gets the result and no errors, or None and the domain error's ``userErrors``.
    """
    viewer = viewer_of(info)
    return payload(*await run_payload(lambda: action(viewer)))


async def mutate_node(
    info: Info[Context, None],
    node: tuple[str, str, str],
    action: Callable[[Viewer, int], Awaitable[R]],
    payload: Callable[[R | None, list[UserError]], P],
) -> P:
    """:func:`mutate` for a write about one node: ``action`` gets the viewer and its key.

    ``node`` is (global ID, expected type, input field); a malformed ID is a user error too.
    """
    global_id, type_name, field = node
    return await mutate(
        info, lambda viewer: action(viewer, decode_id_of(global_id, type_name, field)), payload
    )


def viewer_mutation(description: str, *permissions: type[BasePermission]) -> StrawberryField:
    """A mutation for a signed-in viewer (``IsAuthenticated``), with further ``permissions``."""
    field: StrawberryField = strawberry.mutation(
        description=description, permission_classes=[IsAuthenticated, *permissions]
    )
    return field


def viewer_field(description: str, *permissions: type[BasePermission]) -> StrawberryField:
    """A query field for a signed-in viewer (``IsAuthenticated``), with further ``permissions``."""
    field: StrawberryField = strawberry.field(
        description=description, permission_classes=[IsAuthenticated, *permissions]
    )
    return field
