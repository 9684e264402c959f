"""The document cookie: lets ``GET /`` carry the home's data, and authorises nothing else.

The app keeps its tokens in localStorage, so the request for the page itself carries no
credentials and a server cannot put the viewer's data into it. A login (and every refresh, so
the cookie lives as long as the session) therefore also sets an HttpOnly, SameSite=Strict
cookie whose value is ``<sid>.<HMAC-SHA256(secret key, "document-cookie:" + sid)>``:

- it is bound to the session record: the session is read on every use, so logout, a reused
  refresh token, a password reset or a deactivation end it with the session, and an expired
  session (no refresh within ``refresh_token_days``) no longer renders anything;
- it cannot be forged without the server's secret key (compared in constant time), and it is
  no token of the API: ``/graphql`` authenticates bearer tokens only, so no cross-site request
  can act with it (no CSRF surface), and SameSite=Strict keeps it off cross-site navigations;
- no migration: nothing new is stored; rotating the secret key ends every document cookie
  (the app then simply fetches its data itself).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime
from typing import Any

from portal.accounts import sql
from portal.accounts.services.sessions import principal_for
from portal.core.auth import Viewer
from portal.settings import Settings

COOKIE = "kinerja_document"
_PURPOSE = b"document-cookie:"
_SID = re.compile(r"[0-9a-f]{32}")


def _mac(settings: Settings, session_id: str) -> str:
    key = settings.secret_key.encode("utf-8")
    return hmac.new(key, _PURPOSE + session_id.encode("ascii"), hashlib.sha256).hexdigest()


def document_token(settings: Settings, session_id: str) -> str:
    """The cookie's value for the session ``session_id``."""
    return f"{session_id}.{_mac(settings, session_id)}"


def secure_cookie(settings: Settings, scheme: str | None) -> bool:
    """Whether the cookie is ``Secure``: over https, or when the portal's public URL is https."""
    return scheme == "https" or settings.public_url.startswith("https://")


def set_document_cookie(
    response: Any,  # noqa: ANN401 - a Litestar Response (no Litestar import in a domain)
    settings: Settings,
    session_id: str,
    *,
    secure: bool,
) -> None:
    """Set the session's document cookie on ``response`` (kept as long as the session)."""
    response.set_cookie(
        COOKIE,
        document_token(settings, session_id),
        max_age=settings.refresh_token_days * 86_400,
        path="/",
        secure=secure,
        httponly=True,
        samesite="strict",
    )


def clear_document_cookie(response: Any, *, secure: bool) -> None:  # noqa: ANN401
    """Expire the document cookie on ``response`` (logout)."""
    response.set_cookie(
        COOKIE, "", max_age=0, path="/", secure=secure, httponly=True, samesite="strict"
    )


async def document_viewer(settings: Settings, value: str | None) -> Viewer | None:
    """The viewer a document cookie stands for, as of now; ``None`` when it stands for nobody.

    Forged, malformed, of an ended or expired session, of a disabled account or an inactive
    employee: ``None`` (the plain document is served). The session is read like a bearer
    token's, so a database outage raises (the caller serves the plain document).
    """
    if not value:
        return None
    session_id, _, mac = value.partition(".")
    if not _SID.fullmatch(session_id) or not hmac.compare_digest(
        mac.encode("ascii", "replace"), _mac(settings, session_id).encode("ascii")
    ):
        return None
    record = await sql.session_record(session_id)
    now = datetime.now(UTC)
    if (
        record is None
        or record.ended_at is not None
        or not record.active
        or (record.expires_at is not None and record.expires_at <= now)
    ):
        return None
    principal = await principal_for(
        record.account_id, record.username, record.employee_id, record.grants
    )
    if principal is None:
        return None
    return Viewer(
        account_id=record.account_id,
        username=principal.username,
        employee_id=principal.employee_id,
        employee_opd_id=principal.employee_opd_id,
        roles=principal.roles,
        admin_opd_ids=principal.admin_opd_ids,
        session_id=session_id,
    )
