"""Large exports as background jobs: a file built by a job, downloaded once it is ready.

A domain registers each kind of export it offers with :func:`register_export`: a ``check``
that refuses a request the viewer may not make (run when the export is started, so a refusal
is a user error at once, not a failed job) and a ``build`` that makes the file as the viewer
who started it. ``startExport`` queues the job ``exports.build``; the job reports progress,
keeps the finished file in the shared store (Redis with several workers, so any API worker
serves it; in process without Redis) for :data:`FILE_TTL_SECONDS`, and returns its download
URL. ``GET /exports/files/<token>`` serves the file to the account that started the export
only (with its bearer token): the token in the URL is unguessable, yet not enough alone.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from portal.core import audit
from portal.core.auth import Viewer
from portal.core.db import transaction
from portal.core.jobs import JSON, JobContext, job, viewer_from_snapshot
from portal.core.store import MemoryStore, Store

EXPORT_JOB = "exports.build"
FILE_TTL_SECONDS = 3600
FILE_PATH = "/exports/files/"
_KEY = "export-file:"


@dataclass(frozen=True, slots=True)
class ExportFile:
    """A finished export."""

    filename: str
    media_type: str
    content: bytes
    rows: int


Progress = Callable[[float], Awaitable[None]]
Check = Callable[[Viewer, JSON], Awaitable[None]]
Build = Callable[[Viewer, JSON, Store, str, Progress], Awaitable[ExportFile]]


@dataclass(frozen=True, slots=True)
class ExportSpec:
    """One kind of export: who may start it, and how its file is built (``CSV`` or ``XLSX``)."""

    kind: str
    check: Check
    build: Build


_EXPORTS: dict[str, ExportSpec] = {}
_stores: list[Store] = []


def register_export(kind: str, *, check: Check, build: Build) -> None:
    """Offer export ``kind`` (a value of the GraphQL ``ExportKind`` enum)."""
    _EXPORTS[kind] = ExportSpec(kind, check, build)


def export_spec(kind: str) -> ExportSpec:
    """The registered export ``kind`` (KeyError when unknown)."""
    return _EXPORTS[kind]


def set_file_store(store: Store) -> None:
    """Keep finished files in ``store`` (the app's store; the job worker's own Redis store)."""
    _stores[:] = [store]


def file_store() -> Store:
    """Where finished files are kept (an in-process store until one is set)."""
    if not _stores:
        _stores.append(MemoryStore())
    return _stores[0]


async def record_export_queued(viewer: Viewer, job_key: str, kind: str, params: JSON) -> None:
    """Audit that the viewer started an export (what and of which scope)."""
    async with transaction():
        await audit.record(
            account_id=viewer.account_id,
            action="EXPORT_QUEUED",
            entity_type="BackgroundJob",
            entity_id=job_key,
            after={"kind": kind} | params,
        )


@job(EXPORT_JOB, retries=3, heartbeat_seconds=30)
async def build_export(
    ctx: JobContext, *, kind: str, file_format: str, params: JSON, viewer: JSON
) -> JSON:
    """Build the file as the viewer who started the export and keep it for its download."""
    spec = export_spec(kind)
    owner = viewer_from_snapshot(viewer)
    await ctx.progress(0.02, force=True)
    store = file_store()
    built = await spec.build(owner, params, store, file_format, ctx.progress)
    token = secrets.token_urlsafe(32)
    record = {
        "account_id": owner.account_id,
        "filename": built.filename,
        "media_type": built.media_type,
        "content": base64.b64encode(built.content).decode("ascii"),
    }
    await store.set(_KEY + token, json.dumps(record), ttl_seconds=FILE_TTL_SECONDS)
    expires = datetime.now(UTC) + timedelta(seconds=FILE_TTL_SECONDS)
    return {
        "filename": built.filename,
        "media_type": built.media_type,
        "bytes": len(built.content),
        "rows": built.rows,
        "download_url": FILE_PATH + token,
        "expires_at": expires.isoformat(timespec="seconds"),
    }


async def finished_file(token: str, viewer: Viewer) -> ExportFile | None:
    """The file behind a download token, for the account that started the export only."""
    if not token or len(token) > 100:  # noqa: PLR2004
        return None
    raw = await file_store().get(_KEY + token)
    if raw is None:
        return None
    record: dict[str, Any] = json.loads(raw)
    if int(record["account_id"]) != viewer.account_id:
        return None
    content = base64.b64decode(record["content"])
    return ExportFile(record["filename"], record["media_type"], content, rows=0)
