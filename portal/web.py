"""The portal's own web app: the Vite build of ``web/`` served at ``/``, GraphiQL at ``/graphql``.

Hashed assets (``assets/…``) never change under their name, so browsers keep them for a year;
``index.html``, the service worker and the manifest are revalidated on every load, so a new
release reaches every device on its next start. Client routes (``/aktivitas/baru``) get
``index.html`` (the app routes them); a missing file with an extension is a plain 404.
Brotli or gzip copies written by the build are sent to browsers that accept them.
The inline scripts of ``index.html`` (the home's first queries, sent before the app's script
has downloaded; the home's renderer) and its inline style are allowed by their SHA-256 in the
page's CSP, never by ``'unsafe-inline'``. ``GET /`` with a valid document cookie embeds the
home's data (:mod:`portal.home_document`); without one it is the plain ``index.html``.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import mimetypes
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath
from litestar.response import File

from portal.home_document import HomeDocument
from portal.settings import Settings

# The app loads nothing from elsewhere; the API and its WebSocket are same-origin.
APP_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# A script element without a src attribute: its text is what the CSP hash covers.
# (A JSON data script is never executed: it needs no hash.)
_INLINE_SCRIPT = re.compile(
    rb"<script(?![^>]*\bsrc=)(?![^>]*\btype=[\"']?application/json)[^>]*>(.*?)</script>",
    re.DOTALL | re.IGNORECASE,
)
_INLINE_STYLE = re.compile(rb"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)
IMMUTABLE = "public, max-age=31536000, immutable"
PRIVATE = "private, no-store"  # a page with one viewer's data
REVALIDATE = "no-cache"
_TYPES = {".webmanifest": "application/manifest+json", ".js": "text/javascript"}
_ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
EXPLORER = "explorer"
# Paths of the server's own endpoints: an unknown one is a 404, never the app's index.html.
SERVER_PATHS = ("api/", "exports/", "adoption/", "graphql", "healthz")
NOT_BUILT = "The web app is not built: run `make web` (npm ci and npm run build in web/)."


def _media_type(path: Path) -> str:
    return (
        _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    )


def _cache_control(relative: str) -> str:
    hashed = relative.startswith(("assets/", f"{EXPLORER}/assets/"))
    return IMMUTABLE if hashed else REVALIDATE


def _hashes(pattern: re.Pattern[bytes], html: bytes) -> str:
    return "".join(
        " 'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in pattern.findall(html)
    )


def page_csp(html: bytes) -> str:
    """The app's CSP for one page: ``APP_CSP`` with the SHA-256 of its inline scripts and styles."""
    scripts = _hashes(_INLINE_SCRIPT, html)
    styles = _hashes(_INLINE_STYLE, html)
    return APP_CSP.replace("script-src 'self'", "script-src 'self'" + scripts, 1).replace(
        "style-src 'self'", "style-src 'self'" + styles, 1
    )


@lru_cache(maxsize=8)
def _page_csp(path: Path, mtime_ns: int) -> str:
    del mtime_ns  # part of the cache key only: a new build is hashed again
    return page_csp(path.read_bytes())


@lru_cache(maxsize=8)
def _read(path: Path, mtime_ns: int) -> bytes:
    del mtime_ns  # part of the cache key only: a new build is read again
    return path.read_bytes()


def _asset(root: Path, href: str) -> bytes | None:
    """The text of a built file named by an ``/assets/…`` link (``None`` if it is not one)."""
    path = root / href.lstrip("/")
    if not href.startswith("/assets/") or not path.is_file():
        return None
    return _read(path, path.stat().st_mtime_ns)


def private_page(html: bytes, accept_encoding: str) -> Response[bytes]:
    """A page with one viewer's data: never stored, hashed into its own CSP, gzipped."""
    headers = {
        "cache-control": PRIVATE,
        "vary": "Cookie, Accept-Encoding",
        "content-security-policy": page_csp(html),
    }
    accepted = {part.split(";")[0].strip() for part in accept_encoding.split(",")}
    body = html
    if "gzip" in accepted:
        body = gzip.compress(html, compresslevel=6)
        headers["content-encoding"] = "gzip"
    return Response(body, media_type="text/html; charset=utf-8", headers=headers)


def serve_file(root: Path, relative: str, accept_encoding: str) -> File:
    """One built file with its cache policy, pre-compressed when the browser accepts it."""
    path = root / relative
    headers = {"cache-control": _cache_control(relative), "vary": "accept-encoding"}
    if path.suffix == ".html":
        headers["content-security-policy"] = _page_csp(path, path.stat().st_mtime_ns)
    accepted = {part.split(";")[0].strip() for part in accept_encoding.split(",")}
    for encoding, suffix in _ENCODINGS:
        compressed = path.with_name(path.name + suffix)
        if encoding in accepted and compressed.is_file():
            headers["content-encoding"] = encoding
            return File(
                compressed,
                filename=path.name,
                media_type=_media_type(path),
                headers=headers,
                content_disposition_type="inline",
            )
    return File(
        path,
        filename=path.name,
        media_type=_media_type(path),
        headers=headers,
        content_disposition_type="inline",
    )


def _resolve(root: Path, raw: str, *, production: bool) -> str | None:
    """The file under ``root`` a request path names (``None``: not a file of the build)."""
    relative = raw.strip("/")
    if not relative:
        return "index.html"
    if production and (relative == EXPLORER or relative.startswith(f"{EXPLORER}/")):
        return None  # GraphiQL is for development only
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()) or not target.is_file():
        return None
    return target.relative_to(root.resolve()).as_posix()


def explorer_page(settings: Settings) -> Response[str]:
    """GraphiQL's page from the build (shown at ``/graphql`` in development only)."""
    page = settings.web_dir / EXPLORER / "index.html"
    if not page.is_file():
        return Response(NOT_BUILT, status_code=404, media_type="text/plain")
    return Response(page.read_text(encoding="utf-8"), media_type="text/html")


def web_handlers(settings: Settings, home: HomeDocument | None = None) -> list[HTTPRouteHandler]:
    """``GET /`` and every client route: the built app (a hint when ``web/`` is not built).

    With ``home``, ``GET /`` embeds the home's data for a valid document cookie.
    """
    root = settings.web_dir
    production = settings.is_production

    def answer(path: str, accept_encoding: str) -> File | Response[str]:
        if not (root / "index.html").is_file():
            return Response(NOT_BUILT, status_code=404, media_type="text/plain")
        relative = _resolve(root, path, production=production)
        if relative is not None:
            return serve_file(root, relative, accept_encoding)
        if "." in path.rstrip("/").rsplit("/", 1)[-1] or path.lstrip("/").startswith(SERVER_PATHS):
            raise NotFoundException  # a missing file or endpoint, not a client route
        return serve_file(root, "index.html", accept_encoding)

    @get("/", include_in_schema=False)
    async def web_index(request: Request[Any, Any, Any]) -> File | Response[str] | Response[bytes]:
        """The app's ``index.html``, with the home's data for a valid document cookie."""
        index = root / "index.html"
        accept_encoding = request.headers.get("accept-encoding", "")
        if home is not None and index.is_file():
            html = _read(index, index.stat().st_mtime_ns)
            page = await home.page(request, html, lambda href: _asset(root, href))
            if page is not None:
                return private_page(page, accept_encoding)
        return answer("/", accept_encoding)

    @get("/{path:path}", include_in_schema=False, sync_to_thread=False)
    def web_file(request: Request[Any, Any, Any], path: FromPath[str]) -> File | Response[str]:
        """A file of the build, or the app's ``index.html`` for a client route."""
        return answer(path, request.headers.get("accept-encoding", ""))

    return [web_index, web_file]
