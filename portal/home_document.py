"""``GET /`` with the home's data in it, for a browser that holds a valid document cookie.

On a slow connection every request costs its round trip (DevTools' "Slow 3G" adds 2 s to each),
so a home that needs the app's script and then its data cannot appear within 3 s. The document
itself can carry it: with a valid document cookie (:mod:`portal.accounts.services.document`) of
an account whose home is the employee home, the server runs the home's first queries — the named
operations the page's inline early script sends (``web/src/app/early.ts``), printed as the app
prints them, listed by the build in ``home-operations.json`` — through the real schema with that
session's viewer (the same authorization as a ``/graphql`` request), and embeds their answers in
``index.html`` as a non-executable JSON script. The page's inline renderer
(``web/src/app/home-render.ts``) draws the home from them before the app's script has arrived;
the app's GraphQL client then takes them instead of fetching them again.

The answer is ``private, no-store`` and varies by cookie. Anything that goes wrong on this
path (no build list, a database error, an operation answering with errors, the rate limit)
serves the plain document instead, logged: the app then fetches its data itself.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litestar import Request
from strawberry import Schema
from strawberry.http import process_result

from portal.accounts.services.document import COOKIE, document_viewer
from portal.core import clock
from portal.core.context import Context, enforce_rate_limit
from portal.core.http import authenticator_of, client_address
from portal.core.requests import current_request_id, new_request_id
from portal.settings import Settings

logger = logging.getLogger(__name__)

OPERATIONS_FILE = "home-operations.json"
DATA_ID = "kinerja-home-data"
TODAY = "$today"  # early.ts TODAY: today's date in the operations' variables
_STYLESHEET = re.compile(rb"<link\b[^>]*\brel=[\"']?stylesheet\b[^>]*>\s*", re.IGNORECASE)
_HREF = re.compile(rb"\bhref=[\"']?(/assets/[A-Za-z0-9._-]+\.css)\b")
# Characters that could end the script element or confuse the HTML parser, as JSON escapes.
_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_ESCAPED = re.compile("[<>&\u2028\u2029]")


@dataclass(frozen=True, slots=True)
class HomeOperation:
    """One operation of the home, as the app's client sends it."""

    operation_name: str
    query: str
    variables: dict[str, Any]


def script_json(value: object) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``</script>``, no ``<!--``."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _ESCAPED.sub(lambda m: _ESCAPES[m.group(0)], text)


def embed(html: bytes, data: str, stylesheet: Callable[[str], bytes | None]) -> bytes:
    """``html`` with ``data`` as a JSON script before its first script and its styles inline.

    The data comes before the inline early script, which reads it. Each stylesheet link of the
    head becomes a ``<style>`` with the file's text (``stylesheet(href)``; a link it cannot
    read stays): a link would hold back the first paint and the inline renderer (a script
    waits for the stylesheets above it) until the stylesheet has arrived, a round trip later.
    """
    block = f'<script type="application/json" id="{DATA_ID}">{data}</script>\n'.encode()
    head_end = html.find(b"</head>")
    head, rest = (html[:head_end], html[head_end:]) if head_end >= 0 else (html, b"")

    def inline(match: re.Match[bytes]) -> bytes:
        href = _HREF.search(match.group(0))
        text = stylesheet(href.group(1).decode()) if href else None
        if text is None or b"</style" in text.lower():
            return match.group(0)
        return b"<style>" + text + b"</style>\n"

    head = _STYLESHEET.sub(inline, head)
    first_script = head.find(b"<script")
    head = head[:first_script] + block + head[first_script:] if first_script >= 0 else head + block
    return head + rest


def load_home_operations(web_dir: Path) -> list[HomeOperation]:
    """The home's operations the build listed (none without a build)."""
    path = web_dir / OPERATIONS_FILE
    if not path.is_file():
        return []
    raw = json.loads(path.read_text(encoding="utf-8"))
    return [
        HomeOperation(str(op["operationName"]), str(op["query"]), dict(op["variables"]))
        for op in raw
    ]


def with_today(variables: dict[str, Any], today: str) -> dict[str, Any]:
    """The variables with ``$today`` replaced by today's date (as early.ts does)."""
    text = json.dumps(variables).replace(json.dumps(TODAY), json.dumps(today))
    result: dict[str, Any] = json.loads(text)
    return result


class HomeDocument:
    """Builds the home's document with its data for one request (or says it cannot)."""

    def __init__(self, settings: Settings, schema: Schema) -> None:
        self.settings = settings
        self.schema = schema

    async def answers(self, request: Request[Any, Any, Any]) -> list[dict[str, Any]] | None:
        """The home's answers for the request's document cookie; ``None``: serve it plain."""
        viewer = await document_viewer(self.settings, request.cookies.get(COOKIE))
        if viewer is None or viewer.employee_id is None:
            return None  # nobody, or an administrator (their home is elsewhere)
        operations = load_home_operations(self.settings.web_dir)
        if not operations:
            return None
        state = request.app.state
        await enforce_rate_limit(self.settings, state.store, viewer.account_id)
        today = clock.today().isoformat()
        answers: list[dict[str, Any]] = []
        for op in operations:
            variables = with_today(op.variables, today)
            # a context of its own per operation, as three /graphql requests would have
            context = Context(
                settings=self.settings,
                store=state.store,
                broker=state.broker,
                request_id=current_request_id.get() or new_request_id(),
                authenticator=authenticator_of(state),
                client_address=client_address(request.scope),
                viewer=viewer,
            )
            result = await self.schema.execute(
                op.query,
                variable_values=variables,
                context_value=context,
                operation_name=op.operation_name,
            )
            if result.errors:
                logger.info(
                    "home document: %s answered with errors, serving the plain document",
                    op.operation_name,
                )
                return None
            answers.append(
                {
                    "operationName": op.operation_name,
                    "variables": variables,
                    "body": process_result(result),
                }
            )
        return answers

    async def page(
        self,
        request: Request[Any, Any, Any],
        html: bytes,
        stylesheet: Callable[[str], bytes | None],
    ) -> bytes | None:
        """``html`` with the home's data and its styles inline, or ``None`` (serve it plain)."""
        if not request.cookies.get(COOKIE):
            return None
        try:
            answers = await self.answers(request)
        except Exception:
            logger.exception("home document: could not embed the home, serving the plain one")
            return None
        if answers is None:
            return None
        return embed(html, script_json({"answers": answers}), stylesheet)
