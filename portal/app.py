"""Litestar application: GraphQL endpoint, WebSocket subscriptions, lifespan of DB and Redis."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import msgspec
from litestar import Litestar, Response, get
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.middleware.base import DefineMiddleware
from piccolo.engine.postgres import PostgresEngine
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, process_result
from strawberry.litestar import make_graphql_controller
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult

from portal.accounts.service import authenticate
from portal.adoption.http import ADOPTION_ROUTER
from portal.core.context import Context, bearer_token
from portal.core.db import database_unavailable, get_engine
from portal.core.errors import ServiceUnavailableError
from portal.core.events import set_broker
from portal.core.http import RestAuthenticationError, context_getter
from portal.core.jobs import set_queue
from portal.core.logs import configure_logging
from portal.core.metrics import MetricsMiddleware, operation_metrics
from portal.core.persisted import (
    PersistedQueries,
    PersistedQueryError,
    load_manifest,
    operation_names,
)
from portal.core.pubsub import build_broker
from portal.core.security_headers import QueryCountMiddleware, SecurityHeadersMiddleware
from portal.core.store import build_store
from portal.core.websocket import StreamSlots, limited_transport_ws_handler
from portal.ops import delivery
from portal.ops.http import ops_handlers
from portal.ops.jobs import build_queue
from portal.ops.tracing import Tracing, build_tracing
from portal.performance.evaluation.http import EXPORTS_ROUTER
from portal.performance.planning.http import BENCH_ROUTER
from portal.schema import build_schema
from portal.settings import Settings, SettingsError, get_settings
from portal.web import explorer_page, web_handlers

logger = logging.getLogger("portal")

MAX_BODY_BYTES = 5 * 1024 * 1024


async def startup(state: State, settings: Settings) -> None:
    """Open the database pool and the store/broker connections (once per worker)."""
    engine = get_engine()
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(
            min_size=settings.db_pool_min, max_size=settings.db_pool_max
        )
    state.settings = settings
    state.store = build_store(settings.redis_url, settings.redis_prefix)
    state.broker = build_broker(settings.redis_url, settings.redis_prefix)
    set_broker(state.broker)
    state.jobs = build_queue(settings)
    set_queue(state.jobs)
    delivery.configure(settings)


async def shutdown(state: State) -> None:
    """Close what :func:`startup` opened."""
    await state.jobs.close()
    await state.broker.close()
    await state.store.close()
    engine = get_engine()
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()


def internal_error_handler(_: Any, exc: Exception) -> Response[dict[str, Any]]:  # noqa: ANN401
    """Unexpected errors: HTTP 500 (logged); an unreachable database: 503 with Retry-After."""
    if database_unavailable(exc):  # an outage (restart, failover), not a bug: retry later
        logger.warning("database unavailable: %r", exc)
        message = "Layanan sedang tidak tersedia, silakan coba lagi"
        return Response(
            {"errors": [{"message": message, "extensions": {"code": "SERVICE_UNAVAILABLE"}}]},
            status_code=503,
            headers={"Retry-After": str(ServiceUnavailableError.retry_after_seconds)},
        )
    logger.error("unhandled error", exc_info=exc)
    return Response(
        {
            "errors": [
                {"message": "Internal server error", "extensions": {"code": "INTERNAL_ERROR"}}
            ]
        },
        status_code=500,
    )


def graphql_controller(settings: Settings, tracing: Tracing | None = None) -> type[Any]:
    """The ``/graphql`` controller: HTTP, WebSocket subscriptions and persisted queries."""
    manifest = load_manifest(settings.operations_dir)
    schema = build_schema(
        settings,
        extra_extensions=[
            operation_metrics(operation_names(manifest.values())),
            *(tracing.schema_extensions if tracing else []),
        ],
    )
    persisted = PersistedQueries(manifest, persisted_only=settings.persisted_only)
    if settings.persisted_only and not persisted.manifest:
        raise SettingsError(
            f"PORTAL_PERSISTED_ONLY=1 but {settings.operations_dir} holds no *.graphql operations"
        )

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

    class GraphQLController(base):  # type: ignore[misc, valid-type]
        """Authenticates WebSocket clients at connection time; resolves persisted queries."""

        async def render_graphql_ide(self, request: Any) -> Response[str]:  # noqa: ANN401
            """GraphiQL from the portal's own build (web/explorer), never from a CDN."""
            return explorer_page(settings)

        graphql_transport_ws_handler_class = limited_transport_ws_handler(
            slots=StreamSlots(settings.max_subscriptions_per_user),
            per_connection=settings.max_subscriptions_per_connection,
            persisted=persisted,
        )

        def encode_json(self, data: object) -> bytes:
            """Responses (HTTP and WebSocket) with msgspec: several times faster than ``json``.

            The stdlib encoder was 7 % of a 96-member team dashboard. Non-ASCII text is sent
            as UTF-8 instead of escapes, and a NaN becomes ``null`` instead of the
            invalid ``NaN`` token.
            """
            return msgspec.json.encode(data)

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
            try:
                resolved = await persisted.resolve(
                    store, request_data.query, request_data.extensions
                )
            except PersistedQueryError as exc:
                return ExecutionResult(data=None, errors=[exc.graphql_error()])
            result: ExecutionResult = await super().execute_single(
                request=request,
                request_adapter=request_adapter,
                sub_response=sub_response,
                context=context,
                root_value=root_value,
                request_data=dataclasses.replace(request_data, query=resolved.query),
            )
            if resolved.register_as and resolved.query and result.data is not None:
                await persisted.remember(store, resolved.register_as, resolved.query)
            return result

        async def on_ws_connect(self, context: Context) -> dict[str, Any] | None:
            params = context.connection_params or {}
            raw = params.get("authorization") or params.get("Authorization") or ""
            token = bearer_token(raw) if " " in str(raw) else (str(raw) or None)
            await context.authenticate(token)
            if context.viewer is None:
                reason = context.auth_error.code if context.auth_error else "UNAUTHENTICATED"
                raise ConnectionRejectionError({"code": reason})
            return None

        async def process_result(
            self,
            request: Any,  # noqa: ANN401 - Litestar Request or WebSocket
            result: ExecutionResult,
        ) -> GraphQLHTTPResponse:
            """Every error carries ``extensions.code``; parse errors never reach extensions."""
            response = process_result(result)
            for error in response.get("errors") or []:
                if isinstance(error, dict):
                    extensions = error.setdefault("extensions", {})
                    extensions.setdefault("code", "GRAPHQL_VALIDATION_FAILED")
            return response

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
        return Response(
            {"errors": [{"message": exc.detail, "extensions": {"code": code}}]},
            status_code=exc.status_code,
            headers=exc.headers or {},
        )

    return Litestar(
        route_handlers=[
            controller,
            healthz,
            EXPORTS_ROUTER,
            ADOPTION_ROUTER,
            BENCH_ROUTER,
            *ops_handlers(),
            *web_handlers(settings),
        ],
        plugins=tracing.plugins if tracing else [],
        # the one authenticator of GraphQL and REST alike (portal.core.http reads it here)
        state=State({"authenticator": authenticate}),
        lifespan=[lifespan],
        cors_config=CORSConfig(allow_origins=list(settings.cors_origins))
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
