"""Delivery outside the portal: each account's channels (e-mail, Web Push) and quiet hours.

The in-portal notification is always stored and streamed live; what leaves the portal is
chosen by the account itself. What leaves says little: a mentoring alert only that something
needs attention (never the reasons or a score), other kinds their title; the details stay
behind the login.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

from portal.core import audit
from portal.core.auth import Viewer
from portal.core.db import id_in, is_unique_violation, transaction
from portal.core.errors import DomainError
from portal.notifications.tables import ChannelPreference, Delivery, Notification, PushSubscription

WIB = timezone(timedelta(hours=7), "WIB")
IN_APP = "IN_APP"
EMAIL = "EMAIL"
PUSH = "PUSH"
CHANNEL_NAMES = (IN_APP, EMAIL, PUSH)
MENTORING_ALERT = "MENTORING_ALERT"
# The kinds of notification a user chooses channels for: each notification kind falls in one.
CATEGORIES = ("MENTORING", "VERIFICATION", "FEEDBACK", "TRAINING", "PERFORMANCE", "OTHER")
_CATEGORY_PREFIXES = (
    ("MENTORING_", "MENTORING"),
    ("ACTIVITY_", "VERIFICATION"),
    ("THREAD_", "FEEDBACK"),
    ("FEEDBACK_", "FEEDBACK"),
    ("DIALOG_", "FEEDBACK"),
    ("TRAINING_", "TRAINING"),
    ("COACHING_", "TRAINING"),
    ("SESSION_", "TRAINING"),
    ("SKP_", "PERFORMANCE"),
    ("EVALUATION_", "PERFORMANCE"),
    ("OBJECTION_", "PERFORMANCE"),
)
MAX_SUBSCRIPTIONS = 10
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,185}\.[^@\s]{2,}$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_B64URL = re.compile(r"^[A-Za-z0-9_-]+=*$")

_delivery_on = False
_push_key: list[str] = []  # the VAPID application server key, when Web Push is configured


def set_delivery(enabled: bool, web_push_key: str | None = None) -> None:
    """Switch delivery outside the portal on (SMTP or VAPID configured) for this process."""
    global _delivery_on  # noqa: PLW0603 - set once at start-up
    _delivery_on = enabled
    _push_key[:] = [web_push_key] if web_push_key else []


def web_push_key() -> str | None:
    """The application server key browsers subscribe with (None: Web Push is off)."""
    return _push_key[0] if _push_key else None


def delivery_enabled() -> bool:
    """Whether new notifications are handed to the delivery job."""
    return _delivery_on


@dataclass(frozen=True, slots=True)
class Channels:
    """One account's choices."""

    email: str | None = None
    email_enabled: bool = False
    push_enabled: bool = False
    quiet_start: int | None = None  # minutes after WIB midnight
    quiet_end: int | None = None
    push_subscriptions: int = 0
    # category -> the channels the account turned off for it (nothing: every channel on)
    muted: Mapping[str, frozenset[str]] = dataclasses.field(default_factory=dict)

    def allows(self, kind: str, channel: str) -> bool:
        """Whether a notification of ``kind`` goes through ``channel`` for this account."""
        return channel not in self.muted.get(category_of(kind), frozenset())


@dataclass(frozen=True, slots=True)
class PushTarget:
    """A subscription to deliver to."""

    id: int
    endpoint: str
    p256dh: str
    auth: str


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One notification to deliver, with its account's channels."""

    notification_id: int
    account_id: int
    kind: str
    title: str
    channels: Channels
    push: tuple[PushTarget, ...]


def category_of(kind: str) -> str:
    """The category a notification kind falls in (``OTHER`` for the rest)."""
    for prefix, category in _CATEGORY_PREFIXES:
        if kind.startswith(prefix):
            return category
    return "OTHER"


def _parse_muted(text: str | None) -> dict[str, frozenset[str]]:
    try:
        raw = json.loads(text) if text else {}
    except ValueError:
        return {}
    if not isinstance(raw, dict):
        return {}
    return {
        str(category): frozenset(c for c in channels if c in CHANNEL_NAMES)
        for category, channels in raw.items()
        if category in CATEGORIES and isinstance(channels, list)
    }


def _dump_muted(muted: Mapping[str, frozenset[str]]) -> str:
    kept = {c: sorted(muted[c]) for c in CATEGORIES if muted.get(c)}
    return json.dumps(kept, separators=(",", ":")) if kept else ""


def hhmm(minutes: int | None) -> str | None:
    """``22:00`` for 1320."""
    return None if minutes is None else f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(value: str | None, field: str) -> int | None:
    if value is None or value == "":
        return None
    match = _HHMM.match(value)
    if match is None:
        raise DomainError.single("INVALID_TIME", "Gunakan format JJ:MM, mis. 21:00", field)
    return int(match.group(1)) * 60 + int(match.group(2))


def quiet_until(channels: Channels, now: datetime) -> datetime | None:
    """When the account's quiet hours end, if ``now`` is inside them (else None)."""
    start, end = channels.quiet_start, channels.quiet_end
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(WIB)
    minute = local.hour * 60 + local.minute
    inside = start <= minute < end if start < end else (minute >= start or minute < end)
    if not inside:
        return None
    ends = local.replace(hour=end // 60, minute=end % 60, second=0, microsecond=0)
    if ends <= local:
        ends += timedelta(days=1)
    return ends.astimezone(UTC)


def outside_text(kind: str, title: str) -> tuple[str, str]:
    """(subject, text) of what leaves the portal about a notification."""
    if kind == MENTORING_ALERT:
        return (
            "Ada hal yang perlu perhatian Anda",
            "Ada hal yang perlu perhatian Anda di Kinerja Portal. Silakan masuk untuk melihatnya.",
        )
    return title, f"{title}. Silakan masuk ke Kinerja Portal untuk melihat detailnya."


async def _channels_of(account_id: int) -> Channels:
    rows = await ChannelPreference.select().where(ChannelPreference.account == account_id)
    count: int = await PushSubscription.count().where(PushSubscription.account == account_id)
    if not rows:
        return Channels(push_subscriptions=count)
    r = rows[0]
    return Channels(
        email=r["email"],
        email_enabled=bool(r["email_enabled"]),
        push_enabled=bool(r["push_enabled"]),
        quiet_start=r["quiet_start"],
        quiet_end=r["quiet_end"],
        push_subscriptions=count,
        muted=_parse_muted(r["muted"]),
    )


async def in_app_muted(account_ids: Sequence[int], kind: str) -> set[int]:
    """The accounts that turned the portal's own channel off for notifications of ``kind``."""
    if not account_ids:
        return set()
    rows = await ChannelPreference.select(ChannelPreference.account, ChannelPreference.muted).where(
        id_in(ChannelPreference.account, account_ids) & (ChannelPreference.muted != "")
    )
    category = category_of(kind)
    return {
        int(r["account"])
        for r in rows
        if IN_APP in _parse_muted(r["muted"]).get(category, frozenset())
    }


async def my_channels(viewer: Viewer) -> Channels:
    """The viewer's own channel choices."""
    return await _channels_of(viewer.account_id)


async def set_channels(
    viewer: Viewer,
    *,
    email: str | None,
    email_enabled: bool,
    push_enabled: bool,
    quiet_start: str | None,
    quiet_end: str | None,
    kinds: Sequence[tuple[str, bool, bool, bool]] | None = None,
) -> Channels:
    """Change the viewer's channels and quiet hours (audited).

    ``kinds``: (category, in app, e-mail, push) for the categories to change; None keeps the
    choices per category as they are.
    """
    email = (email or "").strip() or None
    if email is not None and (len(email) > 254 or not _EMAIL.match(email)):  # noqa: PLR2004
        raise DomainError.single("INVALID_EMAIL", "Alamat e-mail tidak valid", "email")
    if email_enabled and email is None:
        raise DomainError.single("EMAIL_REQUIRED", "Isi alamat e-mail terlebih dahulu", "email")
    start = _minutes(quiet_start, "quietHoursStart")
    end = _minutes(quiet_end, "quietHoursEnd")
    if (start is None) != (end is None):
        message = "Isi awal dan akhir jam tenang, atau kosongkan keduanya"
        raise DomainError.single("INVALID_TIME", message, "quietHoursEnd")
    values: dict[str, Any] = {
        "email": email,
        "email_enabled": email_enabled,
        "push_enabled": push_enabled,
        "quiet_start": start,
        "quiet_end": end,
    }
    async with transaction():
        existing = await ChannelPreference.select(
            ChannelPreference.id, ChannelPreference.muted
        ).where(ChannelPreference.account == viewer.account_id)
        if kinds is not None:
            muted = dict(_parse_muted(existing[0]["muted"] if existing else None))
            for category, in_app, by_email, by_push in kinds:
                if category not in CATEGORIES:
                    message = "Jenis notifikasi tidak dikenal"
                    raise DomainError.single("INVALID_VALUE", message, "kinds")
                on = {IN_APP: in_app, EMAIL: by_email, PUSH: by_push}
                muted[category] = frozenset(c for c, enabled in on.items() if not enabled)
            values["muted"] = _dump_muted(muted)
        if existing:
            await ChannelPreference.update(values).where(  # type: ignore[arg-type]
                ChannelPreference.id == existing[0]["id"]
            )
        else:
            await ChannelPreference.insert(ChannelPreference(account=viewer.account_id, **values))
        await audit.record(
            account_id=viewer.account_id,
            action="NOTIFICATION_CHANNELS_SET",
            entity_type="UserAccount",
            entity_id=viewer.account_id,
            after={k: v for k, v in values.items() if k != "email"}
            | {"email_set": email is not None},
        )
    return await _channels_of(viewer.account_id)


def _check_subscription(endpoint: str, p256dh: str, auth: str) -> None:
    parts = urlsplit(endpoint)
    local = parts.hostname in {"localhost", "127.0.0.1", "::1"}
    if not (parts.scheme == "https" or (parts.scheme == "http" and local)) or len(endpoint) > 1000:  # noqa: PLR2004
        raise DomainError.single("INVALID_ENDPOINT", "Endpoint push harus https", "endpoint")
    for value, field, size in ((p256dh, "p256dh", 87), (auth, "auth", 22)):
        if not _B64URL.match(value) or len(value.rstrip("=")) != size:
            raise DomainError.single("INVALID_KEY", "Kunci langganan push tidak valid", field)


async def add_push_subscription(viewer: Viewer, endpoint: str, p256dh: str, auth: str) -> int:
    """Register this browser for the viewer (again: it moves to the viewer); return the count."""
    _check_subscription(endpoint, p256dh, auth)
    async with transaction():
        await PushSubscription.delete().where(PushSubscription.endpoint == endpoint)
        count: int = await PushSubscription.count().where(
            PushSubscription.account == viewer.account_id
        )
        if count >= MAX_SUBSCRIPTIONS:
            raise DomainError.single(
                "TOO_MANY_SUBSCRIPTIONS", f"Maksimal {MAX_SUBSCRIPTIONS} perangkat", "endpoint"
            )
        await PushSubscription.insert(
            PushSubscription(account=viewer.account_id, endpoint=endpoint, p256dh=p256dh, auth=auth)
        )
        await audit.record(
            account_id=viewer.account_id,
            action="PUSH_SUBSCRIBED",
            entity_type="UserAccount",
            entity_id=viewer.account_id,
        )
    return count + 1


async def remove_push_subscription(viewer: Viewer, endpoint: str) -> bool:
    """Forget one of the viewer's browsers."""
    async with transaction():
        removed = (
            await PushSubscription.delete()
            .where(
                (PushSubscription.endpoint == endpoint)
                & (PushSubscription.account == viewer.account_id)
            )
            .returning(PushSubscription.id)
        )
        if removed:
            await audit.record(
                account_id=viewer.account_id,
                action="PUSH_UNSUBSCRIBED",
                entity_type="UserAccount",
                entity_id=viewer.account_id,
            )
    return bool(removed)


async def forget_subscription(subscription_id: int) -> None:
    """Drop a subscription the push service says is gone (the delivery job)."""
    async with transaction():
        await PushSubscription.delete().where(PushSubscription.id == subscription_id)


async def outgoing(notification_ids: Sequence[int]) -> list[Outgoing]:
    """The notifications to deliver with their accounts' channels (the delivery job)."""
    rows = await Notification.select(
        Notification.id, Notification.account, Notification.kind, Notification.title
    ).where(id_in(Notification.id, notification_ids))
    out = []
    cache: dict[int, tuple[Channels, tuple[PushTarget, ...]]] = {}
    for r in rows:
        account = int(r["account"])
        if account not in cache:
            subs = await PushSubscription.select(
                PushSubscription.id,
                PushSubscription.endpoint,
                PushSubscription.p256dh,
                PushSubscription.auth,
            ).where(PushSubscription.account == account)
            cache[account] = (
                await _channels_of(account),
                tuple(PushTarget(**s) for s in subs),
            )
        channels, push = cache[account]
        out.append(Outgoing(int(r["id"]), account, r["kind"], r["title"], channels, push))
    return out


async def claim_delivery(notification_id: int, channel: str) -> bool:
    """Record that ``channel`` delivers this notification; False when it already did."""
    try:
        async with transaction():
            await Delivery.insert(Delivery(notification=notification_id, channel=channel))
    except Exception as exc:
        if is_unique_violation(exc):
            return False
        raise
    return True


async def release_delivery(notification_id: int, channel: str) -> None:
    """Undo :func:`claim_delivery` after a failed send, so the retry sends it."""
    async with transaction():
        await Delivery.delete().where(
            (Delivery.notification == notification_id) & (Delivery.channel == channel)
        )


async def purge_notifications(*, read_before: datetime, unread_before: datetime) -> int:
    """Delete notifications past their retention; return how many (the retention job).

    Read ones older than ``read_before``, any older than ``unread_before``; their delivery
    rows go with them.
    """
    async with transaction():
        removed = (
            await Notification.delete()
            .where(
                ((Notification.read_at.is_not_null()) & (Notification.created_at < read_before))
                | (Notification.created_at < unread_before)
            )
            .returning(Notification.id)
        )
    return len(removed)
