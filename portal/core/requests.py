"""The request id: set once per HTTP request or WebSocket by middleware, read anywhere.

It is set in the ASGI middleware (not in a Litestar dependency, which may run in a task of its
own whose context changes are lost) so audit entries and error logs of a request share it.
"""

from __future__ import annotations

import contextvars
import uuid

current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "portal_request_id", default=None
)


def new_request_id() -> str:
    """A short random id."""
    return uuid.uuid4().hex[:16]
