"""Litestar application: GraphQL endpoint, WebSocket subscriptions, lifespan of DB and Redis."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any, ClassVar, cast

import msgspec
from cross_web import HTTPException as StrawberryHTTPException
from litestar import Litestar, Request, Response, get, post
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.middleware.base import DefineMiddleware
from litestar.status_codes import HTTP_200_OK
from litestar.types import Dependencies
from piccolo.engine.postgres import PostgresEngine
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, process_result
from strawberry.litestar import make_graphql_controller
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult

from portal.accounts.services.sessions import authenticate
from portal.adoption.http import ADOPTION_ROUTER
from portal.core.context import Context
from portal.core.db import database_unavailable, get_engine
from portal.core.documents import Operation, load_operations
from portal.core.error_codes import LANGUAGE, checked
from portal.core.error_codes import message as localised
from portal.core.errors import ServiceUnavailableError
from portal.core.events import set_broker
from portal.core.exports import set_file_store
from portal.core.exports_http import EXPORT_FILES_ROUTER
from portal.core.http import (
    RestAuthenticationError,
    context_getter,
    error_response,
    graphql_http_context,
)
from portal.core.jobs import set_queue
from portal.core.logs import configure_logging
from portal.core.media import GRAPHQL_RESPONSE_JSON, is_request_error, wants_graphql_response_json
from portal.core.metrics import MetricsMiddleware, operation_metrics
from portal.core.persisted import DOCUMENT_ID, PersistedQueries, PersistedQueryError
from portal.core.pubsub import build_broker
from portal.core.response_cache import ResponseCache, Versions, hot_documents, is_wide
from portal.core.response_cache import register as register_cache_store
from portal.core.response_cache import unregister as unregister_cache_store
from portal.core.security_headers import QueryCountMiddleware, SecurityHeadersMiddleware
from portal.core.store import Store, build_store
from portal.core.websocket import StreamSlots, limited_transport_ws_handler, token_of
from portal.home_document import HomeDocument
from portal.ops import delivery
from portal.ops.http import ops_handlers
from portal.ops.jobs import build_queue
from portal.ops.tracing import Tracing, build_tracing
from portal.people.visibility import supervised_ids
from portal.performance.evaluation.http import EXPORTS_ROUTER
from portal.performance.planning.http import BENCH_ROUTER
from portal.processes.http import DOCUMENTS_ROUTER, REPORTS_ROUTER, VERIFY_ROUTER
from portal.schema import build_schema
from portal.settings import Settings, SettingsError, get_settings
from portal.web import explorer_page, web_handlers

logger = logging.getLogger("portal")

MAX_BODY_BYTES = 5 * 1024 * 1024
# Response headers cross-origin clients need: when to retry (429, 503), which request to report
EXPOSED_HEADERS = ("Retry-After", "X-Request-Id")


async def startup(state: State, settings: Settings) -> None:
    """Open the database pool and the store/broker connections (once per worker)."""
    engine = get_engine()
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(
            min_size=settings.db_pool_min, max_size=settings.db_pool_max
        )
    state.settings = settings
    state.store = build_store(settings.redis_url, settings.redis_prefix)
    set_file_store(state.store)
    register_cache_store(state.store)  # data versions move even with the response cache off
    state.broker = build_broker(settings.redis_url, settings.redis_prefix)
    set_broker(state.broker)
    state.jobs = build_queue(settings)
    set_queue(state.jobs)
    delivery.configure(settings)


async def shutdown(state: State) -> None:
    """Close what :func:`startup` opened."""
    await state.jobs.close()
    await state.broker.close()
    unregister_cache_store(state.store)
    await state.store.close()
    engine = get_engine()
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()


def internal_error_handler(_: Any, exc: Exception) -> Response[dict[str, Any]]:  # noqa: ANN401
    """Unexpected errors: HTTP 500 (logged); an unreachable database: 503 with Retry-After."""
    if database_unavailable(exc):  # an outage (restart, failover), not a bug: retry later
        logger.warning("database unavailable: %r", exc)
        retry = ServiceUnavailableError.retry_after_seconds
        extensions = {"code": "SERVICE_UNAVAILABLE", "retryAfter": retry}
        return Response(
            {"errors": [{"message": localised("SERVICE_UNAVAILABLE"), "extensions": extensions}]},
            status_code=503,
            headers={"Retry-After": str(ServiceUnavailableError.retry_after_seconds)},
        )
    logger.error("unhandled error", exc_info=exc)
    return Response(
        {
            "errors": [
                {"message": localised("INTERNAL_ERROR"), "extensions": {"code": "INTERNAL_ERROR"}}
            ]
        },
        status_code=500,
    )


INVALID_JSON_REASON = "Unable to parse request body as JSON"
NOT_AN_OBJECT_REASON = "The request body must be a JSON object"
_TRANSPORT_CODES = {
    INVALID_JSON_REASON: "INVALID_JSON",
    NOT_AN_OBJECT_REASON: "INVALID_JSON",
    "Unsupported content type": "UNSUPPORTED_CONTENT_TYPE",
}


def transport_error_code(status: int, reason: str) -> str:
    """The ``extensions.code`` of an HTTP-level refusal of ``/graphql``."""
    if status == 405:  # noqa: PLR2004
        return "METHOD_NOT_ALLOWED"
    if status == 404:  # noqa: PLR2004
        return "NOT_FOUND"
    return _TRANSPORT_CODES.get(reason, "BAD_REQUEST")


class TypedTransportErrors:
    """``/graphql`` refusals before execution as typed JSON errors, never a 500.

    Strawberry answers a bad body with plain text (and lets a body that is not UTF-8, or JSON
    that is not an object, through as an exception). Mixed into the controller before
    strawberry's base so these methods win.
    """

    run: Any

    def decode_json(self, data: str | bytes) -> object:
        """JSON of a body or a WebSocket message; undecodable bytes count as invalid JSON.

        ``json.loads`` raises ``UnicodeDecodeError`` (not ``JSONDecodeError``) on bytes that
        are not UTF-8, which strawberry would let through as a 500.
        """
        try:
            return json.loads(data)
        except UnicodeDecodeError as exc:
            raise json.JSONDecodeError("body is not UTF-8", "", 0) from exc

    def parse_json(self, data: str | bytes) -> object:
        """An HTTP body: a JSON object (or a batch list, which strawberry refuses itself)."""
        try:
            parsed = self.decode_json(data)
        except json.JSONDecodeError as exc:
            raise StrawberryHTTPException(400, INVALID_JSON_REASON) from exc
        if not isinstance(parsed, dict | list):
            raise StrawberryHTTPException(400, NOT_AN_OBJECT_REASON)
        return parsed

    async def execute_request(
        self,
        request: Any,  # noqa: ANN401 - Litestar Request
        context: Any,  # noqa: ANN401
        root_value: Any,  # noqa: ANN401
    ) -> Response[Any]:
        """Transport errors (bad body, content type, method) as typed JSON, one log line."""
        try:
            response: Response[Any] = await self.run(
                request, context=context, root_value=root_value
            )
        except StrawberryHTTPException as exc:
            code = transport_error_code(exc.status_code, exc.reason)
            logger.info("refused /graphql request: %s %s (%s)", exc.status_code, code, exc.reason)
            return error_response(exc.status_code, code, exc.reason)
        return response


async def authenticate_socket(context: Context) -> None:
    """Authenticate a WebSocket at ``connection_init`` (refused with 4403 and a code if not).

    Raises:
        ConnectionRejectionError: no valid token, or the session could not be checked.
    """
    try:
        await context.authenticate(token_of(context.connection_params or {}))
    except Exception as exc:
        if not database_unavailable(exc):
            raise
        # the session cannot be checked: refuse (fail closed); the client retries
        logger.warning("database unavailable at WebSocket connect: %r", exc)
        raise ConnectionRejectionError({"code": "SERVICE_UNAVAILABLE"}) from exc
    if context.viewer is None:
        reason = context.auth_error.code if context.auth_error else "UNAUTHENTICATED"
        raise ConnectionRejectionError({"code": reason})


def document_id_in_extensions(body: Any) -> Any:  # noqa: ANN401 - a decoded JSON body
    """A persisted-document request's top-level ``documentId`` copied into its extensions."""
    if isinstance(body, dict) and isinstance(body.get(DOCUMENT_ID), str):
        extensions = body.get("extensions")
        if extensions is None or isinstance(extensions, dict):
            body["extensions"] = {**(extensions or {}), DOCUMENT_ID: body[DOCUMENT_ID]}
    return body


def negotiate(request: Any, sub_response: Any, result: ExecutionResult) -> None:  # noqa: ANN401
    """Mark the response ``application/graphql-response+json`` (and 400 on a request error).

    Only when the client accepts that media type; others keep ``application/json`` and 200.
    """
    if not wants_graphql_response_json(request.headers.get("accept")):
        return
    sub_response.media_type = GRAPHQL_RESPONSE_JSON
    if is_request_error(result) and not sub_response.status_code:
        sub_response.status_code = 400


def http_result(request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:  # noqa: ANN401
    """The response body: every error with a code; no ``data`` on a request error (new spec).

    A :class:`CachedResult`'s body is already encoded: it goes through as it is.
    """
    if isinstance(result, CachedResult):
        return cast("GraphQLHTTPResponse", EncodedBody(result.body))
    response = process_result(result)
    for error in response.get("errors") or []:
        if isinstance(error, dict):
            extensions = error.setdefault("extensions", {})
            extensions.setdefault("code", "GRAPHQL_VALIDATION_FAILED")
    headers = getattr(request, "headers", None)
    accept = headers.get("accept") if headers is not None else None
    if wants_graphql_response_json(accept) and is_request_error(result):
        response.pop("data", None)
    return response


def with_negotiated_media_type(response: Response[bytes], marked: Any) -> Response[bytes]:  # noqa: ANN401
    """The media type :func:`negotiate` marked on the sub-response, if it marked one."""
    if getattr(marked, "media_type", None) == GRAPHQL_RESPONSE_JSON:
        response.media_type = GRAPHQL_RESPONSE_JSON
    return response


class CachedResult(ExecutionResult):
    """An answer whose encoded body is known: a response-cache hit, or one just stored.

    :func:`http_result` and :func:`encode_body` write its bytes through.
    """

    def __init__(self, body: bytes) -> None:
        super().__init__(data=None, errors=None)
        self.body = body


class EncodedBody(dict[str, Any]):
    """The body of a :class:`CachedResult` on its way through strawberry's response path."""

    def __init__(self, body: bytes) -> None:
        super().__init__()
        self.body = body


def persisted_queries(settings: Settings, operations: Mapping[str, Operation]) -> PersistedQueries:
    """The named operations, in every form clients send them (refuses an empty allow-list)."""
    persisted = PersistedQueries(
        [op.document for op in operations.values()],
        persisted_only=settings.persisted_only,
    )
    if settings.persisted_only and not persisted.documents:
        raise SettingsError(
            f"PORTAL_PERSISTED_ONLY=1 but {settings.operations_dir} holds no *.graphql operations"
        )
    return persisted


# Response extensions that follow from the document and variables alone (the static cost).
STATIC_EXTENSIONS = frozenset({"cost"})


def encode_body(data: object) -> bytes:
    """A response body as JSON bytes with msgspec (an :class:`EncodedBody` as it is)."""
    if isinstance(data, EncodedBody):
        return data.body
    return msgspec.json.encode(data)


@dataclasses.dataclass(slots=True)
class HotPath:
    """One request's way through the response cache (``cache`` None: not a hot request)."""

    cache: ResponseCache | None = None
    key: str = ""
    versions: Versions | None = None
    hit: CachedResult | None = None

    @classmethod
    async def start(  # noqa: PLR0917 - what the key is made of
        cls,
        settings: Settings,
        store: Store,
        hot: Mapping[str, str],
        context: Context,
        query: str | None,
        request_data: GraphQLRequestData,
    ) -> HotPath:
        """Look a hot request's answer up (anything else: an empty path)."""
        if not settings.response_cache or context.viewer is None or query is None:
            return cls()
        cache = ResponseCache(store, hot)
        name = cache.operation(query, request_data.operation_name)
        if name is None:
            return cls()
        viewer = context.viewer
        key = cache.key(name, query, request_data.variables, viewer, context.language)
        body, versions = await cache.lookup(key, wide=is_wide(viewer))
        if body is not None:
            return cls(cache, key, versions, CachedResult(body))
        if versions is not None and not versions.known:
            # what the answer depends on: the viewer and everyone they supervise today (the
            # team itself follows org data, whose writes move the global version read above);
            # read before execution, which reuses the team (Viewer.subordinate_ids)
            team = await supervised_ids(viewer)
            people = team if viewer.employee_id is None else team | {viewer.employee_id}
            if not await cache.read_employees(versions, people):
                versions = None
        return cls(cache, key, versions)

    async def keep(
        self, result: ExecutionResult, encode: Callable[[ExecutionResult], bytes]
    ) -> ExecutionResult:
        """Store a complete answer; return it as its encoded body (encoded once)."""
        if self.cache is None or self.versions is None or not _storable(result):
            return result
        fresh = CachedResult(encode(result))
        await self.cache.save(self.key, self.versions, fresh.body)
        return fresh


def _storable(result: ExecutionResult) -> bool:
    """Only complete answers are cached: no error, no partial data, no deferred parts."""
    return (
        type(result) is ExecutionResult
        and not result.errors
        and set(result.extensions or {}) <= STATIC_EXTENSIONS
        and result.data is not None
    )


def graphql_controller(settings: Settings, tracing: Tracing | None = None) -> type[Any]:
    """The ``/graphql`` controller: HTTP, WebSocket subscriptions and persisted queries."""
    operations = load_operations(settings.operations_dir)  # parsed once, for both uses below
    schema = build_schema(
        settings,
        extra_extensions=[
            # metric labels stay bounded to the named operations
            operation_metrics(set(operations)),
            *(tracing.schema_extensions if tracing else []),
        ],
    )
    persisted = persisted_queries(settings, operations)
    hot = hot_documents((name, op.document) for name, op in operations.items())

    base = make_graphql_controller(
        schema,
        path="/graphql",
        graphql_ide=None if settings.is_production else "graphiql",
        allow_queries_via_get=False,
        context_getter=context_getter,
        # cross-origin WebSocket handshakes from other origins are refused with HTTP 403
        allowed_origins=settings.cors_origins,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        connection_init_wait_timeout=timedelta(seconds=settings.ws_init_timeout_seconds),
        max_subscriptions_per_connection=settings.max_subscriptions_per_connection or None,
    )

    class GraphQLController(TypedTransportErrors, base):  # type: ignore[misc, valid-type]
        """Authenticates WebSocket clients at connection time; resolves persisted queries."""

        # strawberry's "response" dependency runs in a worker thread (sync_to_thread=True)
        dependencies: ClassVar[Dependencies] = {
            **base.dependencies,
            "response": Provide(lambda: Response({}), sync_to_thread=False),
            "http_context": Provide(graphql_http_context),
        }

        @post(status_code=HTTP_200_OK)
        async def handle_http_post(
            self,
            request: Request[Any, Any, Any],
            http_context: Context,
        ) -> Response[Any]:
            """``POST /graphql``: one dependency (see :func:`graphql_http_context`)."""
            self.temporal_response = http_context.response
            return await self.execute_request(
                request=request, context=http_context, root_value=None
            )

        async def render_graphql_ide(self, request: Any) -> Response[str]:  # noqa: ANN401
            """GraphiQL from the portal's own build (web/explorer), never from a CDN."""
            return explorer_page(settings)

        graphql_transport_ws_handler_class = limited_transport_ws_handler(
            slots=StreamSlots(settings.max_subscriptions_per_user),
            per_connection=settings.max_subscriptions_per_connection,
            persisted=persisted,
            recheck_seconds=settings.ws_recheck_seconds,
        )

        def parse_json(self, data: str | bytes) -> Any:  # noqa: ANN401 - JSON
            """The body, with a persisted-document request's ``documentId`` kept in extensions.

            GraphQL over HTTP (Appendix A) sends ``{"documentId": "sha256:…"}`` instead of a
            query; strawberry keeps only query, variables, operationName and extensions.
            """
            return document_id_in_extensions(super().parse_json(data))

        def encode_json(self, data: object) -> bytes:
            """Responses (HTTP and WebSocket) with msgspec: several times faster than ``json``.

            The stdlib encoder was 7 % of a 96-member team dashboard. Non-ASCII text is sent
            as UTF-8 instead of escapes, and a NaN becomes ``null`` instead of the
            invalid ``NaN`` token.
            """
            return encode_body(data)

        async def execute_single(  # noqa: PLR0917 - strawberry's signature
            self,
            request: Any,  # noqa: ANN401 - Litestar Request
            request_adapter: Any,  # noqa: ANN401
            sub_response: Any,  # noqa: ANN401
            context: Context,
            root_value: Any,  # noqa: ANN401
            request_data: GraphQLRequestData,
        ) -> ExecutionResult:
            """Run the document an APQ hash names (or refuse it, typed, with HTTP 200)."""
            store = context.store
            LANGUAGE.set("en" if context.language == "en" else "id")
            try:
                resolved = await persisted.resolve(
                    store, request_data.query, request_data.extensions
                )
            except PersistedQueryError as exc:
                refused = ExecutionResult(data=None, errors=[exc.graphql_error()])
                negotiate(request, sub_response, refused)
                return refused
            hot_path = await HotPath.start(
                settings, store, hot, context, resolved.query, request_data
            )
            if hot_path.hit is not None:
                negotiate(request, sub_response, hot_path.hit)
                return hot_path.hit
            result: ExecutionResult = await super().execute_single(
                request=request,
                request_adapter=request_adapter,
                sub_response=sub_response,
                context=context,
                root_value=root_value,
                request_data=dataclasses.replace(request_data, query=resolved.query),
            )
            result = await hot_path.keep(
                result, lambda r: self.encode_json(http_result(request, r))
            )
            if resolved.register_as and resolved.query and result.data is not None:
                await persisted.remember(store, resolved.register_as, resolved.query)
            negotiate(request, sub_response, result)
            return result

        async def on_ws_connect(self, context: Context) -> dict[str, Any] | None:
            await authenticate_socket(context)
            return None

        async def process_result(
            self,
            request: Any,  # noqa: ANN401 - Litestar Request or WebSocket
            result: ExecutionResult,
        ) -> GraphQLHTTPResponse:
            """Every error carries ``extensions.code``; parse errors never reach extensions.

            With ``application/graphql-response+json`` a request error has no ``data`` entry.
            """
            return http_result(request, result)

        def create_response(
            self,
            response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
            sub_response: Response[bytes],
        ) -> Response[bytes]:
            """The media type the client negotiated (``negotiate`` marked it on the response)."""
            response: Response[bytes] = super().create_response(response_data, sub_response)
            return with_negotiated_media_type(response, sub_response)

    return GraphQLController


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the ASGI application."""
    settings = settings or get_settings()
    if settings.log_format == "json":
        configure_logging("json")
    tracing = build_tracing(settings)
    controller = graphql_controller(settings, tracing)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await startup(app.state, settings)
        try:
            yield
        finally:
            await shutdown(app.state)

    @get("/healthz", sync_to_thread=False)
    def healthz() -> dict[str, str]:
        """Liveness probe."""
        return {"status": "ok"}

    codes = {401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND", 413: "TOO_LARGE"}
    codes[429] = "RATE_LIMITED"

    def http_exception_handler(_: Any, exc: HTTPException) -> Response[dict[str, Any]]:  # noqa: ANN401
        if isinstance(exc, RestAuthenticationError):
            code = exc.code  # why the token was refused (TOKEN_EXPIRED, INVALID_TOKEN, …)
        else:
            code = codes.get(exc.status_code, "BAD_REQUEST")
        extensions: dict[str, Any] = {"code": code}
        headers = exc.headers or {}
        if str(headers.get("Retry-After", "")).isdigit():
            extensions["retryAfter"] = int(headers["Retry-After"])
        text = (
            exc.detail
            if code == "BAD_REQUEST"
            else localised(checked(code), None, params=extensions)
        )
        return Response(
            {"errors": [{"message": text, "extensions": extensions}]},
            status_code=exc.status_code,
            headers=headers,
        )

    # JSON logs are configured here for the whole process (configure_logging above); Litestar's
    # default LoggingConfig would otherwise re-configure the root logger with its text format.
    own_logging: dict[str, Any] = {"logging_config": None} if settings.log_format == "json" else {}
    return Litestar(
        **own_logging,
        route_handlers=[
            controller,
            healthz,
            EXPORTS_ROUTER,
            EXPORT_FILES_ROUTER,
            ADOPTION_ROUTER,
            BENCH_ROUTER,
            DOCUMENTS_ROUTER,
            VERIFY_ROUTER,
            REPORTS_ROUTER,
            *ops_handlers(),
            *web_handlers(settings, HomeDocument(settings, controller.schema)),
        ],
        plugins=tracing.plugins if tracing else [],
        # the one authenticator of GraphQL and REST alike (portal.core.http reads it here)
        state=State({"authenticator": authenticate}),
        lifespan=[lifespan],
        # browsers let scripts read only the response headers listed here
        cors_config=CORSConfig(
            allow_origins=list(settings.cors_origins), expose_headers=list(EXPOSED_HEADERS)
        )
        if settings.cors_origins
        else None,
        middleware=[
            DefineMiddleware(SecurityHeadersMiddleware, production=settings.is_production),
            MetricsMiddleware,  # inside: the request id is set, the route is known
            *([DefineMiddleware(QueryCountMiddleware)] if settings.query_count_header else []),
        ],
        request_max_body_size=MAX_BODY_BYTES,
        exception_handlers={
            HTTPException: http_exception_handler,
            Exception: internal_error_handler,
        },
        debug=False,
    )
