"""``graphql-transport-ws`` connections: session checks, renewal, stream caps, allow-list.

A socket is as good as its session. The session is checked again before every ``next``
message leaves the server, every ``ws_recheck_seconds`` while the socket is idle, and at the
access token's expiry. When the check fails the socket is closed:

* ``4401`` (reason ``TOKEN_REVOKED``, ``ACCOUNT_DISABLED`` or ``INVALID_TOKEN``): the session
  ended (logout, a reused refresh token, a deactivated account). Do not reconnect with it.
* ``4403`` (reason ``TOKEN_EXPIRED``): the access token expired. Reconnect with a renewed
  token (``graphql-ws`` clients retry 4403 and call ``connectionParams`` again), or renew in
  band before expiry, below.
* ``4503`` (reason ``SERVICE_UNAVAILABLE``): the session store could not answer; nothing is
  delivered unchecked. Reconnect later.

In-band renewal keeps the socket and its subscriptions: send
``{"type": "ping", "payload": {"authorization": "Bearer <new access token>"}}``. The server
answers ``{"type": "pong", "payload": {"renewed": true, "expiresAt": "<ISO 8601>"}}`` and
checks the new token from then on, or ``{"renewed": false, "code": "<why>"}`` and keeps the old
one (which still ends the socket when it expires). The new token must be the same account's.

Streams: every operation a socket runs counts as one stream while it is open (a subscription
until it completes; a query or mutation sent over the socket only while it executes). Streams are
capped per connection and per user. The per-user count lives in the worker that holds the
sockets, so with N workers a user may open up to N times the cap; each worker still bounds its
own memory and Redis subscriptions.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any

from graphql import GraphQLError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage

from portal.core.context import Context, bearer_token
from portal.core.error_codes import LANGUAGE
from portal.core.errors import AuthenticationError
from portal.core.metrics import SUBSCRIPTIONS_OPEN
from portal.core.persisted import REQUIRED, PersistedQueries

logger = logging.getLogger(__name__)

TOO_MANY_SUBSCRIPTIONS = "TOO_MANY_SUBSCRIPTIONS"
CLOSE_SESSION_ENDED = 4401
CLOSE_TOKEN_EXPIRED = 4403
CLOSE_SERVICE_UNAVAILABLE = 4503


def close_code_for(error: AuthenticationError) -> int:
    """The close code of a socket whose session check failed with ``error``."""
    return CLOSE_TOKEN_EXPIRED if error.code == "TOKEN_EXPIRED" else CLOSE_SESSION_ENDED


def token_of(payload: dict[str, Any]) -> str | None:
    """The access token of a ``connection_init`` or renewal ``ping`` payload."""
    raw = payload.get("authorization") or payload.get("Authorization") or ""
    return bearer_token(raw) if " " in str(raw) else (str(raw) or None)


class StreamSlots:
    """Open WebSocket streams per account, in this worker (``per_user = 0``: no cap)."""

    def __init__(self, per_user: int) -> None:
        self.per_user = per_user
        self._open: Counter[int] = Counter()

    def acquire(self, account_id: int) -> bool:
        """Take a slot; False when the account already holds ``per_user`` of them."""
        if self.per_user and self._open[account_id] >= self.per_user:
            return False
        self._open[account_id] += 1
        SUBSCRIPTIONS_OPEN.inc()
        return True

    def release(self, account_id: int) -> None:
        """Give a slot back."""
        self._open[account_id] -= 1
        SUBSCRIPTIONS_OPEN.dec()
        if self._open[account_id] <= 0:
            del self._open[account_id]

    def held(self, account_id: int) -> int:
        """Slots the account holds now."""
        return self._open[account_id]


class SessionCheckedTransportWSHandler(BaseGraphQLTransportWSHandler[Any, Any]):
    """Closes the socket when its session ends; renews its token in band (module docstring)."""

    recheck_seconds: float = 60.0
    context: Context
    _watchdog: asyncio.Task[None] | None = None
    _closing = False

    async def handle_message(self, message: Any) -> None:  # noqa: ANN401 - any JSON
        """Refuse a message that is not a JSON object (close 4400) instead of crashing."""
        if not isinstance(message, dict):  # "hello", 123, null: not a protocol message
            await self.handle_invalid_message("Message must be a JSON object")
            return
        await super().handle_message(message)  # type: ignore[arg-type]

    async def handle_connection_init(self, message: Any) -> None:  # noqa: ANN401
        """Acknowledge (or refuse) the connection; start watching its session."""
        await super().handle_connection_init(message)
        if self.connection_acknowledged and self._watchdog is None:
            self._watchdog = asyncio.create_task(self._watch())

    async def shutdown(self) -> None:
        """Stop the session watch, then the operations."""
        if self._watchdog is not None:
            self._watchdog.cancel()
            with suppress(asyncio.CancelledError):
                await self._watchdog
        await super().shutdown()

    async def _watch(self) -> None:
        """Re-check the session every ``recheck_seconds`` and at the token's expiry."""
        while not self._closing:
            delay = self.recheck_seconds
            viewer = self.context.viewer
            if viewer is not None and viewer.expires_at is not None:
                until_expiry = (viewer.expires_at - datetime.now(UTC)).total_seconds()
                delay = min(delay, max(until_expiry, 0) + 0.05)
            await asyncio.sleep(delay)
            await self.session_alive()

    async def session_alive(self) -> bool:
        """Check the socket's session now; close the socket (once) when it is over."""
        if self._closing:
            return False
        context = self.context
        try:
            viewer = await context.authenticator(
                context.settings, context.store, context.token or ""
            )
        except AuthenticationError as exc:
            await self._close(close_code_for(exc), exc.code)
            return False
        except Exception:  # the store cannot answer: fail closed
            logger.warning("websocket session check failed; closing", exc_info=True)
            await self._close(CLOSE_SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE")
            return False
        context.viewer = viewer
        return True

    async def _close(self, code: int, reason: str) -> None:
        if self._closing:
            return
        self._closing = True
        with suppress(Exception):
            await self.websocket.close(code=code, reason=reason)

    async def send_message(self, message: Any) -> None:  # noqa: ANN401 - a protocol message
        """Send, but check the session before any ``next`` (no data after it ended)."""
        if message.get("type") == "next" and not await self.session_alive():
            return  # nothing leaves for a session that ended
        if self._closing:
            return
        await super().send_message(message)

    async def handle_ping(self, message: Any) -> None:  # noqa: ANN401
        """A ``ping`` carrying ``authorization`` renews the token; any other gets a ``pong``."""
        payload = message.get("payload")
        if not isinstance(payload, dict) or not token_of(payload):
            await super().handle_ping(message)
            return
        await self.send_message({"type": "pong", "payload": await self._renew(payload)})

    async def _renew(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Swap the socket's token for a newer one of the same account (subscriptions stay)."""
        context = self.context
        token = token_of(payload)
        if not self.connection_acknowledged or context.viewer is None or token is None:
            return {"renewed": False, "code": "UNAUTHENTICATED"}
        try:
            viewer = await context.authenticator(context.settings, context.store, token)
        except AuthenticationError as exc:
            return {"renewed": False, "code": exc.code}
        current = context.viewer
        if current is None or viewer.account_id != current.account_id:
            return {"renewed": False, "code": "FORBIDDEN"}
        context.token, context.viewer = token, viewer
        expires = viewer.expires_at.isoformat() if viewer.expires_at else None
        return {"renewed": True, "expiresAt": expires}


def limited_transport_ws_handler(
    *,
    slots: StreamSlots,
    per_connection: int,
    persisted: PersistedQueries,
    recheck_seconds: float = 60.0,
) -> type[BaseGraphQLTransportWSHandler[Any, Any]]:
    """A graphql-transport-ws handler with session checks, renewal, caps and the allow-list."""
    checks_every = recheck_seconds

    class LimitedTransportWSHandler(SessionCheckedTransportWSHandler):
        """Refuses a ``subscribe`` over a cap (or off the allow-list) with a typed ``error``."""

        recheck_seconds = checks_every

        async def handle_subscribe(self, message: SubscribeMessage) -> None:
            # messages of this operation in the language the socket's handshake preferred
            LANGUAGE.set("en" if getattr(self.context, "language", "id") == "en" else "id")
            if not self.connection_acknowledged or message["id"] in self.operations:
                await super().handle_subscribe(message)  # protocol violations close the socket
                return
            if not persisted.allows(message["payload"].get("query")):
                await self._refuse(message["id"], REQUIRED, "Only named operations may run")
                return
            if per_connection and len(self.operations) >= per_connection:
                await self._refuse(
                    message["id"],
                    TOO_MANY_SUBSCRIPTIONS,
                    f"At most {per_connection} subscriptions per connection",
                )
                return
            viewer = self.context.viewer
            if viewer is None:  # pragma: no cover - acknowledged sockets always have one
                await self._close(CLOSE_SESSION_ENDED, "UNAUTHENTICATED")
                return
            account_id = viewer.account_id
            if not slots.acquire(account_id):
                await self._refuse(
                    message["id"],
                    TOO_MANY_SUBSCRIPTIONS,
                    f"At most {slots.per_user} subscriptions per user; close one first",
                )
                return
            try:
                await super().handle_subscribe(message)
            finally:
                operation = self.operations.get(message["id"])
                if operation is not None and operation.task is not None:
                    # runs however the stream ends: completed, cancelled, socket closed
                    operation.task.add_done_callback(lambda _: slots.release(account_id))
                else:
                    slots.release(account_id)

        async def _refuse(self, operation_id: str, code: str, message: str) -> None:
            error = GraphQLError(message, extensions={"code": code})
            await self.send_message(
                {"id": operation_id, "type": "error", "payload": [error.formatted]}
            )

    return LimitedTransportWSHandler
