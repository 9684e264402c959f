"""E-mail over SMTP with aiosmtplib (async: a slow mail server never blocks the event loop)."""

from __future__ import annotations

from email.message import EmailMessage

import aiosmtplib

from portal.settings import Settings

SMTP_TIMEOUT = 20.0


def compose(settings: Settings, to: str, subject: str, text: str) -> EmailMessage:
    """A plain-text message from the portal's sender address."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    return message


async def send(settings: Settings, message: EmailMessage) -> None:
    """Send through ``PORTAL_SMTP_HOST`` (STARTTLS unless switched off); raise on failure."""
    if not settings.smtp_host:
        raise RuntimeError("PORTAL_SMTP_HOST is not set")
    await aiosmtplib.send(
        message,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username,
        password=settings.smtp_password,
        start_tls=settings.smtp_starttls,
        timeout=SMTP_TIMEOUT,
    )
