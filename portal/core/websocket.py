"""Limits on ``graphql-transport-ws`` connections: stream caps and the persisted-query allow-list.

Every operation a socket runs counts as one stream while it is open (a subscription until it
completes; a query or mutation sent over the socket only while it executes). Streams are
capped per connection and per user. The per-user count lives in the worker that holds the
sockets, so with N workers a user may open up to N times the cap; each worker still bounds its
own memory and Redis subscriptions.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from graphql import GraphQLError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage

from portal.core.metrics import SUBSCRIPTIONS_OPEN
from portal.core.persisted import REQUIRED, PersistedQueries

TOO_MANY_SUBSCRIPTIONS = "TOO_MANY_SUBSCRIPTIONS"


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


def limited_transport_ws_handler(
    *, slots: StreamSlots, per_connection: int, persisted: PersistedQueries
) -> type[BaseGraphQLTransportWSHandler[Any, Any]]:
    """A graphql-transport-ws handler that applies the caps and the allow-list on subscribe."""

    class LimitedTransportWSHandler(BaseGraphQLTransportWSHandler[Any, Any]):
        """Refuses a ``subscribe`` over a cap (or off the allow-list) with a typed ``error``."""

        async def handle_subscribe(self, message: SubscribeMessage) -> None:
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
            account_id: int = self.context.viewer.account_id
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
