"""Response middleware: security headers on every response, SQL query counts on request."""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from portal.core.db import count_queries
from portal.core.requests import current_request_id, new_request_id

_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
}
# The API serves no HTML in production, so the strictest policy fits every response; the web
# app's pages bring their own (portal.web.APP_CSP). Production is only reachable over HTTPS
# behind the load balancer, which HSTS pins.
_PRODUCTION_HEADERS = {
    **_HEADERS,
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "strict-transport-security": "max-age=31536000; includeSubDomains",
}


class SecurityHeadersMiddleware:
    """Request ids and security headers on every response.

    Responses carry personal data, so nothing may be cached by browsers or proxies unless a
    handler says otherwise (``cache-control: no-store``). Development keeps GraphiQL working,
    which needs inline styles: no default CSP there.
    """

    def __init__(self, app: ASGIApp, *, production: bool = False) -> None:
        self.app = app
        self.headers = _PRODUCTION_HEADERS if production else _HEADERS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Give the request an id, and add the headers (and the id) to HTTP responses."""
        request_id = new_request_id()
        token = current_request_id.set(request_id)
        try:
            if scope["type"] != "http":  # type: ignore[comparison-overlap]
                await self.app(scope, receive, send)
                return

            async def send_wrapper(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = MutableScopeHeaders.from_message(message)
                    for key, value in self.headers.items():
                        if key == "content-security-policy" and key in headers:
                            continue  # a page's own policy (the web app's) replaces the default
                        headers[key] = value
                    if "cache-control" not in headers:
                        headers["cache-control"] = "no-store"
                    headers["x-request-id"] = request_id
                await send(message)

            await self.app(scope, receive, send_wrapper)
        finally:
            current_request_id.reset(token)


class QueryCountMiddleware:
    """Adds ``x-sql-queries`` (SQL statements run for the request); for benchmarks only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count the statements of this request and report them in a header."""
        if scope["type"] != "http":  # type: ignore[comparison-overlap]
            await self.app(scope, receive, send)
            return
        with count_queries() as counter:

            async def send_wrapper(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = MutableScopeHeaders.from_message(message)
                    headers["x-sql-queries"] = str(counter[0])
                await send(message)

            await self.app(scope, receive, send_wrapper)
