"""What every HTTP entry point shares: one bearer authentication, one rate limit, one error shape.

The GraphQL endpoint builds its context with :func:`context_getter`; the plain REST endpoints
(downloads, charts) take the viewer as a Litestar dependency (:data:`VIEWER_DEPENDENCY`, the
``viewer`` parameter of a handler) and let :data:`REST_EXCEPTION_HANDLERS` turn domain errors
into the GraphQL error shape. Both authenticate with the app's authenticator (kept on the app
state as ``authenticator``) and count against the same per-user rate limit.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.datastructures import Headers, State
from litestar.di import Provide
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.handlers import BaseRouteHandler
from litestar.types import ExceptionHandlersMap, Scope

from portal.core.auth import Viewer
from portal.core.context import (
    Authenticator,
    Context,
    bearer_token,
    enforce_rate_limit,
)
from portal.core.error_codes import LANGUAGE, preferred_language
from portal.core.errors import (
    AuthenticationError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
)
from portal.core.requests import current_request_id, new_request_id, note_viewer

NO_STORE = {"Cache-Control": "no-store"}


def authenticator_of(state: State) -> Authenticator:
    """The app's authenticator (set by ``create_app``)."""
    authenticator: Authenticator = state.authenticator
    return authenticator


def client_address(scope: Scope) -> str | None:
    """The peer's address (the proxy's, unless the server is told to trust forwarded headers)."""
    client = scope.get("client")
    return str(client[0]) if client else None


async def context_getter(state: State, headers: Headers, scope: Scope) -> Context:
    """Litestar dependency building a fresh context for each HTTP request or WebSocket."""
    return await _context(state, headers, scope)


async def graphql_http_context(request: Request[Any, Any, Any]) -> Context:
    """The context of a ``POST /graphql``, with its request and sub-response, as one dependency.

    Strawberry's controller resolves the context, the sub-response and the root value as three
    dependencies: Litestar runs independent dependencies in a task group (three tasks) and the
    sub-response in a worker thread, a tenth of the cheapest request. Here they are one step.
    """
    ctx = await _context(request.app.state, request.headers, request.scope)
    ctx.request = request
    ctx.response = Response({})
    return ctx


async def _context(state: State, headers: Headers, scope: Scope) -> Context:
    language = preferred_language(headers.get("accept-language"))
    LANGUAGE.set(language)
    ctx = Context(
        client_address=client_address(scope),
        language=language,
        settings=state.settings,
        store=state.store,
        broker=state.broker,
        request_id=current_request_id.get() or new_request_id(),
        authenticator=authenticator_of(state),
    )
    await ctx.authenticate(bearer_token(headers.get("authorization")))
    if ctx.viewer is not None:
        note_viewer(ctx.viewer.account_id)
        await enforce_rate_limit(ctx.settings, ctx.store, ctx.viewer.account_id)
    return ctx


class RestAuthenticationError(NotAuthorizedException):
    """HTTP 401 that names why (``UNAUTHENTICATED``, ``TOKEN_EXPIRED``, ``TOKEN_REVOKED``…)."""

    def __init__(self, error: AuthenticationError) -> None:
        super().__init__(detail=str(error), headers={"WWW-Authenticate": "Bearer"})
        self.code = error.code


async def provide_viewer(request: Request[Any, Any, Any]) -> Viewer:
    """The authenticated viewer of a REST request, rate limited like a GraphQL request.

    Raises:
        RestAuthenticationError: without a valid bearer token.
    """
    state = request.app.state
    try:
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            raise AuthenticationError
        viewer = await authenticator_of(state)(state.settings, state.store, token)
    except AuthenticationError as exc:
        raise RestAuthenticationError(exc) from exc
    note_viewer(viewer.account_id)
    await enforce_rate_limit(state.settings, state.store, viewer.account_id)
    return viewer


VIEWER_DEPENDENCY = {"viewer": Provide(provide_viewer)}
"""Route-level dependencies of an authenticated REST router: handlers take ``viewer: Viewer``."""


def error_response(status: int, code: str, message: str) -> Response[dict[str, Any]]:
    """The GraphQL error shape (``errors[0].extensions.code``) for a plain HTTP answer."""
    return Response(
        {"errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status,
        headers=NO_STORE,
    )


def _domain_error(_: Request[Any, Any, Any], exc: DomainError) -> Response[dict[str, Any]]:
    first = exc.errors[0]
    if isinstance(exc, PermissionDeniedError):
        return error_response(403, "FORBIDDEN", first.message)
    if isinstance(exc, NotFoundError):
        return error_response(404, "NOT_FOUND", first.message)
    return error_response(400, first.code, first.message)


REST_EXCEPTION_HANDLERS: ExceptionHandlersMap = {DomainError: _domain_error}
"""Domain errors of a REST handler: 403 FORBIDDEN, 404 NOT_FOUND, else 400 with their code."""


CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(content: bytes, filename: str, media_type: str) -> Response[bytes]:
    """A file download that no cache keeps."""
    return Response(
        content,
        media_type=media_type,
        headers={**NO_STORE, "Content-Disposition": f'attachment; filename="{filename}"'},
    )


def setting_guard(name: str) -> Any:  # noqa: ANN401 - a Litestar guard
    """A guard that hides a route (404) unless the boolean setting ``name`` is on."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if not getattr(connection.app.state.settings, name):
            raise NotFoundException

    return guard
