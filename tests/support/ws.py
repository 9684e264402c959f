"""A small ``graphql-transport-ws`` client for end-to-end tests (over httpx-ws).

One :class:`GraphQLWS` is one WebSocket: ``connection_init`` with a bearer token in the payload,
then any number of ``subscribe`` operations whose messages are buffered per operation ID.
Pings from the server are answered with pongs.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx

from support.api import operations
from support.services import e2e_redis_prefix

PROTOCOL = "graphql-transport-ws"
Message = dict[str, Any]


class GraphQLWS:
    """A connected graphql-transport-ws client."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self._ids = itertools.count(1)
        self._buffers: defaultdict[str, deque[Message]] = defaultdict(deque)

    async def init(self, payload: dict[str, Any] | None, within: float = 10) -> Message:
        """Send ``connection_init``; return the server's reply (``connection_ack`` on success)."""
        message: Message = {"type": "connection_init"}
        if payload is not None:
            message["payload"] = payload
        await self.ws.send_json(message)
        while True:
            reply: Message = await self.ws.receive_json(timeout=within)
            if reply.get("type") == "ping":
                await self.ws.send_json({"type": "pong"})
                continue
            return reply

    async def subscribe(self, name: str, variables: dict[str, Any] | None = None) -> str:
        """Start the named operation of graphql/operations/; return its operation ID."""
        op_id = str(next(self._ids))
        await self.ws.send_json(
            {
                "id": op_id,
                "type": "subscribe",
                "payload": {
                    "query": operations()[name],
                    "variables": variables or {},
                    "operationName": name,
                },
            }
        )
        return op_id

    async def complete(self, op_id: str) -> None:
        """Stop a subscription."""
        await self.ws.send_json({"id": op_id, "type": "complete"})

    async def receive(self, op_id: str, within: float = 10) -> Message:
        """The next message (``next``, ``error`` or ``complete``) of one operation."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not self._buffers[op_id]:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"no message for operation {op_id} within {within}s")
            message: Message = await self.ws.receive_json(timeout=remaining)
            kind = message.get("type")
            if kind == "ping":
                await self.ws.send_json({"type": "pong"})
            elif "id" in message:
                self._buffers[str(message["id"])].append(message)
        return self._buffers[op_id].popleft()

    async def next_matching(
        self, op_id: str, predicate: Callable[[dict[str, Any]], bool], within: float = 10
    ) -> dict[str, Any]:
        """The ``data`` of the first ``next`` of ``op_id`` that satisfies ``predicate``.

        Other ``next`` messages (events caused by somebody else on a shared Redis) are skipped;
        an ``error`` or ``complete`` fails the wait.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"no matching event for operation {op_id} within {within}s")
            message = await self.receive(op_id, remaining)
            assert message["type"] == "next", message
            assert not message["payload"].get("errors"), message
            data: dict[str, Any] = message["payload"]["data"]
            if predicate(data):
                return data


@asynccontextmanager
async def connect(
    base_url: str, token: str | None, *, init: bool = True
) -> AsyncIterator[GraphQLWS]:
    """Open a WebSocket to ``base_url``/graphql and (by default) authenticate with ``token``.

    The ``connection_init`` payload is ``{"authorization": "Bearer <token>"}``; the server must
    answer ``connection_ack``.
    """
    from httpx_ws import aconnect_ws

    async with (
        httpx.AsyncClient(base_url=base_url, timeout=30) as client,
        aconnect_ws(
            "/graphql",
            client,
            subprotocols=[PROTOCOL],
            keepalive_ping_interval_seconds=None,
        ) as ws,
    ):
        session = GraphQLWS(ws)
        if init:
            payload = {"authorization": f"Bearer {token}"} if token else None
            reply = await session.init(payload)
            assert reply.get("type") == "connection_ack", reply
        yield session


def account_id_of(access_token: str) -> int:
    """The account ID (``sub``) inside an access token, read without verifying it."""
    payload = access_token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return int(claims["sub"])


async def wait_for_subscribers(
    redis_url: str, channel: str, more_than: int, within: float = 10
) -> None:
    """Wait until Redis counts more than ``more_than`` subscribers of the broker ``channel``.

    The server subscribes to Redis asynchronously after a ``subscribe`` message; publishing
    before that would be lost, so tests wait for the subscription to exist.
    """
    from redis.asyncio import Redis

    redis = Redis.from_url(redis_url)
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            if await subscriber_count(redis, channel) > more_than:
                return
            if loop.time() > deadline:
                raise TimeoutError(f"nobody subscribed to {channel} within {within}s")
            await asyncio.sleep(0.05)
    finally:
        await redis.aclose()


async def subscriber_count(redis: Any, channel: str) -> int:
    """Subscribers of a broker channel (the workers' prefix + ``events:`` + ``channel``)."""
    ((_, count),) = await redis.pubsub_numsub(f"{e2e_redis_prefix()}events:{channel}")
    return int(count)


async def count_subscribers(redis_url: str, channel: str) -> int:
    """Subscribers of a broker channel right now."""
    from redis.asyncio import Redis

    redis = Redis.from_url(redis_url)
    try:
        return await subscriber_count(redis, channel)
    finally:
        await redis.aclose()
