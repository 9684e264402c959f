"""GraphQL over HTTP: the ``application/graphql-response+json`` media type and its status codes.

A client that accepts ``application/graphql-response+json`` (Apollo Client 3.8+, urql, graphql-http
clients) gets it, and with it the newer status codes: a *request error* (the document does not
parse or validate, a variable does not coerce, a persisted document is unknown, a limit refused
the document — nothing was executed) is HTTP 400 with no ``data`` entry. Errors raised while
executing (they carry a ``path``) stay HTTP 200 with ``data``. Clients that accept only
``application/json`` (or anything) keep the legacy behaviour: always 200, ``data: null``.
"""

from __future__ import annotations

from strawberry.types import ExecutionResult

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"


def _quality(part: str) -> tuple[str, float]:
    media, *params = (p.strip() for p in part.split(";"))
    quality = 1.0
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
    return media.lower(), quality


def wants_graphql_response_json(accept: str | None) -> bool:
    """Whether ``Accept`` ranks ``application/graphql-response+json`` at least as high as JSON."""
    ranked = dict(_quality(part) for part in (accept or "").split(",") if part.strip())
    preferred = ranked.get(GRAPHQL_RESPONSE_JSON, 0.0)
    return preferred > 0 and preferred >= ranked.get(JSON, 0.0)


def is_request_error(result: ExecutionResult) -> bool:
    """Nothing was executed: no data and only errors without a ``path`` (GraphQL over HTTP)."""
    errors = result.errors or []
    return result.data is None and bool(errors) and all(e.path is None for e in errors)
