"""Response middleware: security headers on every response, SQL query counts on request."""

from __future__ import annotations

from collections.abc import Iterable

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
_CSP = b"content-security-policy"
_CACHE_CONTROL = b"cache-control"
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
        headers = _PRODUCTION_HEADERS if production else _HEADERS
        # raw (bytes) once: the headers are appended to the message as they are, without a
        # headers object per response; a response's own header of the same name is replaced,
        # except the content security policy and cache-control, which a handler may choose
        self.raw = tuple((k.encode(), v.encode()) for k, v in headers.items())
        self.replaced = frozenset(
            {name for name, _ in self.raw if name != _CSP} | {b"x-request-id"}
        )

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
                    message["headers"] = self._with_headers(message.get("headers", ()), request_id)
                await send(message)

            await self.app(scope, receive, send_wrapper)
        finally:
            current_request_id.reset(token)

    def _with_headers(
        self, headers: Iterable[tuple[bytes, bytes]], request_id: str
    ) -> list[tuple[bytes, bytes]]:
        """The response's headers with the security headers and the request id."""
        replaced = self.replaced
        present: set[bytes] = set()
        kept: list[tuple[bytes, bytes]] = []
        for name, value in headers:
            lowered = name.lower()
            present.add(lowered)
            if lowered not in replaced:
                kept.append((name, value))
        for name, value in self.raw:
            if name != _CSP or name not in present:  # a page's own policy (the web app's) wins
                kept.append((name, value))
        if _CACHE_CONTROL not in present:
            kept.append((_CACHE_CONTROL, b"no-store"))
        kept.append((b"x-request-id", request_id.encode("latin-1")))
        return kept


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
