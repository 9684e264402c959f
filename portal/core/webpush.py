"""Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291).

py-vapid signs the JWT that identifies the portal to the browser vendor's push service;
http_ece encrypts the payload for the subscription's keys, so the push service carries it
without being able to read it. The request goes out with httpx.
"""

from __future__ import annotations

import base64
import json
import os
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import http_ece
import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

TTL_SECONDS = 24 * 3600
PUSH_TIMEOUT = 15.0


class PushGone(Exception):  # noqa: N818 - the push service's word (HTTP 404/410)
    """The subscription no longer exists (the browser unsubscribed): forget it."""


@dataclass(frozen=True, slots=True)
class Subscription:
    """A browser's push subscription (``PushSubscription.toJSON()``)."""

    endpoint: str
    p256dh: str  # base64url, uncompressed P-256 point
    auth: str  # base64url, 16 bytes


def b64url_decode(value: str) -> bytes:
    """Decode base64url with or without padding."""
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def b64url_encode(value: bytes) -> str:
    """Encode base64url without padding."""
    return base64.urlsafe_b64encode(value).rstrip(b"=").decode()


def generate_private_key() -> str:
    """A new VAPID private key as base64url of its raw 32 bytes (PORTAL_VAPID_PRIVATE_KEY)."""
    key = ec.generate_private_key(ec.SECP256R1())
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    return b64url_encode(raw)


def vapid(private_key: str) -> Vapid02:
    """The VAPID signer of a base64url private key."""
    signer: Vapid02 = Vapid02.from_string(private_key)
    return signer


def public_key(private_key: str) -> str:
    """The application server key browsers subscribe with (base64url uncompressed point)."""
    point = vapid(private_key).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url_encode(point)


def encrypt(payload: bytes, subscription: Subscription) -> bytes:
    """The aes128gcm body for ``subscription`` (a fresh sender key and salt each time)."""
    sender = ec.generate_private_key(ec.SECP256R1())
    body: bytes = http_ece.encrypt(
        payload,
        salt=os.urandom(16),
        private_key=sender,
        dh=b64url_decode(subscription.p256dh),
        auth_secret=b64url_decode(subscription.auth),
        version="aes128gcm",
    )
    return body


def vapid_headers(private_key: str, endpoint: str, subject: str) -> dict[str, str]:
    """The ``Authorization: vapid t=…,k=…`` header for the endpoint's push service."""
    parts = urlsplit(endpoint)
    claims = {
        "aud": f"{parts.scheme}://{parts.netloc}",
        "sub": subject,
        "exp": int(time.time()) + 12 * 3600,
    }
    headers: dict[str, str] = vapid(private_key).sign(claims)
    return headers


async def send(
    subscription: Subscription,
    message: dict[str, Any],
    *,
    private_key: str,
    subject: str,
    client: httpx.AsyncClient | None = None,
) -> int:
    """POST the encrypted message to the subscription's endpoint; return the HTTP status.

    Raises:
        PushGone: the push service says the subscription is gone (404 or 410).
        httpx.HTTPStatusError: any other refusal (retried by the delivery job).
    """
    body = encrypt(json.dumps(message, ensure_ascii=False).encode(), subscription)
    headers = {
        **vapid_headers(private_key, subscription.endpoint, subject),
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "TTL": str(TTL_SECONDS),
        "Urgency": "normal",
    }
    own = client is None
    http = client or httpx.AsyncClient(timeout=PUSH_TIMEOUT)
    try:
        response = await http.post(subscription.endpoint, content=body, headers=headers)
    finally:
        if own:
            await http.aclose()
    if response.status_code in {404, 410}:
        raise PushGone(subscription.endpoint)
    response.raise_for_status()
    return response.status_code
