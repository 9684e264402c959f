"""The delivery job: notifications out by e-mail and Web Push, with retries and quiet hours.

``notifications.deliver`` gets the ids of freshly stored notifications (queued after their
transaction commits). Per notification and channel it claims a delivery row first (a unique
index), so a retried job never sends the same notification twice on a channel; a send that
fails releases its claim and the job fails, to be retried with backoff. A notification whose
account is inside its quiet hours is queued again for when they end.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from portal.core import mail, webpush
from portal.core.jobs import JSON, JobContext, get_queue, job
from portal.core.metrics import NOTIFICATIONS_SENT
from portal.notifications.services import channels
from portal.notifications.services.channels import EMAIL, PUSH, Outgoing
from portal.notifications.services.inbox import DELIVER_JOB
from portal.settings import Settings, get_settings

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class Report:
    """What one run of the job did."""

    emailed: int = 0
    pushed: int = 0
    deferred: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


_configured: list[Settings] = []


def configure(settings: Settings) -> None:
    """Use ``settings`` for deliveries in this process (the app's and the worker's start-up).

    New notifications are handed to the delivery job only when a channel outside the portal
    (SMTP or VAPID) is configured.
    """
    _configured[:] = [settings]
    key = settings.vapid_private_key
    channels.set_delivery(bool(settings.smtp_host or key), webpush.public_key(key) if key else None)


def _settings() -> Settings:
    return _configured[0] if _configured else get_settings()


async def _email(settings: Settings, item: Outgoing, report: Report) -> None:
    address = item.channels.email
    if not (settings.smtp_host and item.channels.email_enabled and address):
        return
    if not item.channels.allows(item.kind, EMAIL):
        return
    if not await channels.claim_delivery(item.notification_id, EMAIL):
        return
    subject, text = channels.outside_text(item.kind, item.title)
    body = f"{text}\n\n{settings.public_url}/\n"
    try:
        await mail.send(settings, mail.compose(settings, address, subject, body))
    except Exception as exc:  # noqa: BLE001 - any failure: release, report, retry the job
        await channels.release_delivery(item.notification_id, EMAIL)
        NOTIFICATIONS_SENT.labels("email", "failed").inc()
        report.failures.append(f"email {item.notification_id}: {type(exc).__name__}")
        return
    NOTIFICATIONS_SENT.labels("email", "sent").inc()
    report.emailed += 1


async def _push(settings: Settings, item: Outgoing, report: Report) -> None:
    key = settings.vapid_private_key
    if not (key and item.channels.push_enabled and item.push):
        return
    if not item.channels.allows(item.kind, PUSH):
        return
    if not await channels.claim_delivery(item.notification_id, PUSH):
        return
    title, text = channels.outside_text(item.kind, item.title)
    message = {"title": title, "body": text, "url": f"{settings.public_url}/", "tag": item.kind}
    failed = 0
    async with httpx.AsyncClient(timeout=webpush.PUSH_TIMEOUT) as client:
        for target in item.push:
            subscription = webpush.Subscription(target.endpoint, target.p256dh, target.auth)
            try:
                await webpush.send(
                    subscription,
                    message,
                    private_key=key,
                    subject=settings.vapid_subject,
                    client=client,
                )
            except webpush.PushGone:
                await channels.forget_subscription(target.id)
                NOTIFICATIONS_SENT.labels("push", "gone").inc()
            except (httpx.HTTPError, ValueError) as exc:
                failed += 1
                NOTIFICATIONS_SENT.labels("push", "failed").inc()
                report.failures.append(f"push {item.notification_id}: {type(exc).__name__}")
            else:
                NOTIFICATIONS_SENT.labels("push", "sent").inc()
                report.pushed += 1
    if failed == len(item.push):
        await channels.release_delivery(item.notification_id, PUSH)


@job(DELIVER_JOB, retries=5, heartbeat_seconds=60, retry_delay_seconds=30)
async def deliver(ctx: JobContext, *, notification_ids: list[int], **_: Any) -> JSON:  # noqa: ANN401
    """Deliver the notifications by each account's channels (see the module docstring)."""
    settings = _settings()
    report = Report()
    now = datetime.now(UTC)
    later: dict[datetime, list[int]] = {}
    items = await channels.outgoing(notification_ids)
    for index, item in enumerate(items):
        until = channels.quiet_until(item.channels, now)
        if until is not None:
            later.setdefault(until, []).append(item.notification_id)
            report.deferred.append(item.notification_id)
            continue
        await _email(settings, item, report)
        await _push(settings, item, report)
        await ctx.progress((index + 1) / len(items))
    for until, ids in later.items():
        await get_queue().enqueue(
            DELIVER_JOB,
            notification_ids=ids,
            delay_seconds=(until - now).total_seconds(),
        )
    if report.failures:  # the claims of failed sends were released: the retry sends those
        raise RuntimeError("; ".join(report.failures[:5]))
    return {"emailed": report.emailed, "pushed": report.pushed, "deferred": report.deferred}
