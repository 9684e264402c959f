"""Structured logs: one JSON object a line, with the request id and the viewer's account id.

``PORTAL_LOG_FORMAT=json`` (the production default) switches every logger of the process
(the portal's, uvicorn's, SAQ's) to :class:`JsonFormatter`. Secrets never reach a log line:
fields whose name says token, password, secret or authorization are replaced, and bearer
tokens and JWTs inside messages are masked.
"""

from __future__ import annotations

import json
import logging
import logging.config
import re
from datetime import UTC, datetime
from typing import Any

from portal.core.requests import current_request_id, current_request_state

REDACTED = "[redacted]"
_SECRET_NAME = re.compile(
    r"token|password|passwd|secret|authorization|cookie|api[_-]?key", re.IGNORECASE
)
# a bearer token, a JWT (three base64url parts), or a password=… pair inside a message
_SECRET_TEXT = re.compile(
    r"(?i)(bearer\s+)[\w\-.~+/=]+"
    r"|eyJ[\w-]+\.[\w-]+\.[\w-]+"
    r"|((?:password|passwd|token|secret)\s*[=:]\s*)\S+"
)
# attributes every LogRecord has: anything else came from ``extra=`` and is logged as a field
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "taskName",
}


def redact_text(text: str) -> str:
    """``text`` with bearer tokens, JWTs and ``password=…`` values masked."""

    def mask(match: re.Match[str]) -> str:
        prefix = match.group(1) or match.group(2) or ""
        return f"{prefix}{REDACTED}"

    return _SECRET_TEXT.sub(mask, text)


def _safe(key: str, value: Any) -> Any:  # noqa: ANN401 - log fields are arbitrary
    if _SECRET_NAME.search(key):
        return REDACTED
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return redact_text(repr(value))


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object: time, level, logger, message, request and viewer ids."""

    def format(self, record: logging.LogRecord) -> str:
        """Serialise ``record`` (secrets masked)."""
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact_text(record.getMessage()),
        }
        request_id = current_request_id.get()
        if request_id:
            entry["request_id"] = request_id
        state = current_request_state.get()
        if state is not None:
            if state.viewer_id is not None:
                entry["viewer_id"] = state.viewer_id
            if state.operation:
                entry["operation"] = state.operation
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = _safe(key, value)
        if record.exc_info:
            entry["exception"] = redact_text(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(log_format: str, level: str = "INFO") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for the process (uvicorn's ``log_config`` too)."""
    formatter: dict[str, Any] = (
        {"()": f"{__name__}.JsonFormatter"}
        if log_format == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"portal": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "portal",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            name: {"handlers": ["stderr"], "level": level, "propagate": False}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "saq")
        },
        "root": {"handlers": ["stderr"], "level": level},
    }


def configure_logging(log_format: str, level: str = "INFO") -> None:
    """Apply :func:`logging_config` to this process."""
    logging.config.dictConfig(logging_config(log_format, level))
