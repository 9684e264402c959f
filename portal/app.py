"""Litestar application: GraphQL endpoint, WebSocket subscriptions, lifespan of DB and Redis."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Response, get
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.middleware.base import DefineMiddleware
from piccolo.engine.postgres import PostgresEngine
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.litestar import make_graphql_controller
from strawberry.types import ExecutionResult

from portal.adoption.exports import ADOPTION_HANDLERS
from portal.context import Context, bearer_token, context_getter
from portal.core.db import get_engine
from portal.core.events import set_broker
from portal.core.pubsub import build_broker
from portal.core.security_headers import QueryCountMiddleware, SecurityHeadersMiddleware
from portal.core.store import build_store
from portal.performance.exports import EXPORT_HANDLERS
from portal.performance.raw import team_dashboard
from portal.schema import build_schema
from portal.settings import Settings, get_settings

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


async def shutdown(state: State) -> None:
    """Close what :func:`startup` opened."""
    await state.broker.close()
    await state.store.close()
    engine = get_engine()
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the ASGI application."""
    settings = settings or get_settings()
    schema = build_schema(settings)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await startup(app.state, settings)
        try:
            yield
        finally:
            await shutdown(app.state)

    base = make_graphql_controller(
        schema,
        path="/graphql",
        graphql_ide=None if settings.is_production else "graphiql",
        allow_queries_via_get=False,
        context_getter=context_getter,
        allowed_origins=settings.cors_origins,
    )

    class GraphQLController(base):  # type: ignore[misc, valid-type]
        """Authenticates WebSocket clients from ``connection_params`` at connection time."""

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

    @get("/healthz", sync_to_thread=False)
    def healthz() -> dict[str, str]:
        """Liveness probe."""
        return {"status": "ok"}

    @get("/", sync_to_thread=False, include_in_schema=False)
    def index() -> Response[str]:
        """Point humans at GraphiQL."""
        target = "/graphql" if not settings.is_production else "/healthz"
        return Response(
            content="", status_code=302, headers={"Location": target}, media_type="text/plain"
        )

    codes = {401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND", 413: "TOO_LARGE"}
    codes[429] = "RATE_LIMITED"

    def http_exception_handler(_: Any, exc: HTTPException) -> Response[dict[str, Any]]:  # noqa: ANN401
        code = codes.get(exc.status_code, "BAD_REQUEST")
        return Response(
            {"errors": [{"message": exc.detail, "extensions": {"code": code}}]},
            status_code=exc.status_code,
            headers=exc.headers or {},
        )

    def internal_error_handler(_: Any, exc: Exception) -> Response[dict[str, Any]]:  # noqa: ANN401
        logger.error("unhandled error", exc_info=exc)
        return Response(
            {
                "errors": [
                    {"message": "Internal server error", "extensions": {"code": "INTERNAL_ERROR"}}
                ]
            },
            status_code=500,
        )

    return Litestar(
        route_handlers=[
            GraphQLController,
            healthz,
            index,
            team_dashboard,
            *EXPORT_HANDLERS,
            *ADOPTION_HANDLERS,
        ],
        lifespan=[lifespan],
        cors_config=CORSConfig(allow_origins=list(settings.cors_origins))
        if settings.cors_origins
        else None,
        middleware=[
            DefineMiddleware(SecurityHeadersMiddleware),
            *([DefineMiddleware(QueryCountMiddleware)] if settings.query_count_header else []),
        ],
        request_max_body_size=MAX_BODY_BYTES,
        exception_handlers={
            HTTPException: http_exception_handler,
            Exception: internal_error_handler,
        },
        debug=False,
    )
