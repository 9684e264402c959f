"""Operator endpoints: ``/metrics`` (Prometheus), ``/health/live`` and ``/health/ready``.

They carry no personal data and need no token; the reverse proxy keeps ``/metrics`` on the
internal network (deploy/Caddyfile).
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

from portal.core.db import pool_state
from portal.core.metrics import exposition, record_pool
from portal.ops.health import Readiness


def ops_handlers() -> list[Any]:
    """The route handlers (one :class:`Readiness` per app)."""
    readiness = Readiness()

    @get("/metrics", include_in_schema=False)
    async def metrics() -> Response[bytes]:
        """Prometheus exposition of every worker of this server."""
        state = pool_state()
        if state is not None:
            record_pool(*state)
        body, content_type = exposition()
        return Response(body, media_type=content_type, headers={"cache-control": "no-store"})

    @get("/health/live", sync_to_thread=False, include_in_schema=False)
    def live() -> dict[str, str]:
        """The process serves requests (restart it when this fails)."""
        return {"status": "ok"}

    @get("/health/ready", include_in_schema=False)
    async def ready(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
        """Database, Redis and migrations: 200 when all are fine, 503 (with which) when not."""
        state = request.app.state
        checks = await readiness.run(state.store, state.settings.redis_url is not None)
        ok = all(c.ok for c in checks)
        body = {
            "status": "ok" if ok else "unavailable",
            "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks},
        }
        return Response(body, status_code=200 if ok else 503)

    return [metrics, live, ready]
