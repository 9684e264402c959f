"""The portal's background jobs (registered by name; see :mod:`portal.core.jobs`).

* ``people.import_employees``: a large SIMPEG import with progress (``startEmployeeImport``).
* ``mentoring.nightly_scoring``: the nightly scoring, a unique cron job of ``portal worker``.
* ``exports.build``: a large export (``startExport``); the kinds are registered by the
  domains' export modules, imported here so that a job worker knows them all.
* ``notifications.deliver`` and ``ops.retention`` are registered by their own modules.

Each job is safe to run again: the import and the scoring write in one transaction each, so
an attempt killed halfway leaves nothing behind and the retry starts over.
"""

from __future__ import annotations

import asyncio
from typing import Any

from portal.adoption import exports as _adoption_exports  # noqa: F401
from portal.core.jobs import (
    JSON,
    InProcessQueue,
    JobContext,
    JobQueue,
    job,
    viewer_from_snapshot,
)
from portal.core.metrics import record_scoring
from portal.core.saq_queue import SaqQueue, saq_queue
from portal.people.services import importer
from portal.performance.evaluation import exports as _incentive_exports  # noqa: F401
from portal.settings import Settings

IMPORT_EMPLOYEES = "people.import_employees"
NIGHTLY_SCORING = "mentoring.nightly_scoring"
MAX_REPORTED_ERRORS = 100


@job(IMPORT_EMPLOYEES, retries=3, heartbeat_seconds=10)
async def import_employees(
    ctx: JobContext, *, csv: str, partial: bool, dry_run: bool, viewer: JSON
) -> JSON:
    """Parse, check and apply a SIMPEG CSV as the viewer who started it, with progress."""
    rows, errors = importer.parse_csv(csv)
    total = max(len(rows), 1)
    done = 0
    pending: set[asyncio.Task[None]] = set()

    def advance(n: int) -> None:  # the importer's (synchronous) progress callback
        nonlocal done
        done += n
        task = asyncio.create_task(ctx.progress(0.05 + 0.9 * done / total))
        pending.add(task)
        task.add_done_callback(pending.discard)

    await ctx.progress(0.05, force=True)  # parsed
    report = await importer.import_rows(
        rows,
        errors,
        viewer=viewer_from_snapshot(viewer),
        partial=partial,
        dry_run=dry_run,
        progress=advance,
    )
    await asyncio.gather(*pending, return_exceptions=True)
    return {
        "applied": report.applied,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": len(report.errors),
        "errors": [
            {
                "line": e.line,
                "nip": e.nip,
                "code": e.code,
                "message": e.message,  # Indonesian, as every user error by default
                "messageEn": e.english or e.message,
            }
            for e in report.errors[:MAX_REPORTED_ERRORS]
        ],
    }


@job(NIGHTLY_SCORING, retries=2, timeout_seconds=3 * 3600, heartbeat_seconds=300)
async def nightly_scoring(ctx: JobContext, **_: Any) -> JSON:  # noqa: ANN401
    """Score every active employee, raise alerts, and export the drift gauges."""
    # pandas and scikit-learn cost seconds: imported by the job, never by the API at start-up
    from portal.mentoring.services.scoring import score_db  # noqa: PLC0415

    await ctx.progress(0.01, force=True)
    summary = await score_db(None)
    record_scoring(
        scored=summary.scored,
        high=summary.high,
        above_threshold=summary.above_threshold,
        capacity_share=summary.capacity_share,
    )
    return {
        "as_of": summary.as_of.isoformat(),
        "model_version": summary.model_version,
        "scored": summary.scored,
        "high": summary.high,
        "medium": summary.medium,
        "alerts_raised": summary.alerts_raised,
        "seconds": round(summary.seconds, 2),
    }


def build_queue(settings: Settings) -> JobQueue:
    """SAQ on Redis when ``PORTAL_REDIS_URL`` is set, else the in-process queue.

    With Redis, ``portal worker`` processes run the jobs; without, the API process does
    (``portal demo``, development).
    """
    if settings.redis_url:
        return SaqQueue(saq_queue(settings.redis_url, settings.redis_prefix))
    return InProcessQueue()
