"""Apps with settings of their own (limits, production mode), next to the session's app.

The database pool is the session's; each app gets its own store and broker, and its own
``httpx`` client that speaks HTTP and WebSocket in process. :func:`serve` puts an app behind a
real uvicorn server when a test needs what only a server does (HTTP 403 on a refused handshake).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from httpx_ws.transport import ASGIWebSocketTransport
from litestar import Litestar

from portal.app import create_app
from portal.core.pubsub import MemoryBroker
from portal.core.store import MemoryStore, Store
from portal.settings import Settings
from support.workers import free_port


@asynccontextmanager
async def app_client(
    settings: Settings, store: Store | None = None
) -> AsyncIterator[tuple[Litestar, httpx.AsyncClient]]:
    """A fresh app for ``settings`` and a client calling it (HTTP and WebSocket, in process)."""
    app = create_app(settings)
    app.state.settings = settings
    app.state.store = store or MemoryStore()
    app.state.broker = MemoryBroker()
    try:
        async with httpx.AsyncClient(
            transport=ASGIWebSocketTransport(app), base_url="http://testserver"
        ) as client:
            yield app, client
    finally:
        await app.state.broker.close()
        if store is None:
            await app.state.store.close()


@asynccontextmanager
async def serve(app: Litestar) -> AsyncIterator[str]:
    """Serve an app prepared by :func:`app_client` with uvicorn; yield its base URL."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()  # re-raise why it did not start
            await asyncio.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
