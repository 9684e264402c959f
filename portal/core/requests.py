"""The request id: set once per HTTP request or WebSocket by middleware, read anywhere.

It is set in the ASGI middleware (not in a Litestar dependency, which may run in a task of its
own whose context changes are lost) so audit entries and error logs of a request share it.
"""

from __future__ import annotations

import contextvars
import dataclasses
import uuid

current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "portal_request_id", default=None
)


def new_request_id() -> str:
    """A short random id."""
    return uuid.uuid4().hex[:16]


@dataclasses.dataclass(slots=True)
class RequestState:
    """What is learnt about a request while it runs, for its logs and metrics.

    One mutable object per request (set by middleware): code that runs in a task of its own
    (a Litestar dependency) writes into the same object, where a context variable set there
    would be lost.
    """

    viewer_id: int | None = None  # the account id once authenticated
    operation: str | None = None  # "graphql <OperationName>" or "<METHOD> <route template>"
    outcome: str | None = None  # set by the GraphQL extension; otherwise from the HTTP status


current_request_state: contextvars.ContextVar[RequestState | None] = contextvars.ContextVar(
    "portal_request_state", default=None
)


def note_viewer(account_id: int) -> None:
    """Remember who the request is from (its log lines carry the id, never the token)."""
    state = current_request_state.get()
    if state is not None:
        state.viewer_id = account_id
