"""Cache of adoption metrics in the shared store (Redis when configured, else in-process).

A result is stored under a key made of the metric's name, its parameters and the domain's
version number, for :data:`TTL_SECONDS`. Every write of this domain (programs, sessions,
invitations, attendance, surveys) bumps the version once its transaction commits, so those
changes show at once; a computation that raced a write stores under the old version, which
no reader asks for any more. Activities and verifications belong to the performance domain and
do not bump the version: their effect shows within the TTL (the answer's ``computedAt`` says
as of when it holds).

The cache saves work, no longer minutes: the funnel is summed from per-employee weekly
aggregates that every activity write updates for its own employee only
(:mod:`portal.adoption.services.aggregates`), so an uncached city funnel answers in well
under a second (bench/RESULTS.md, issue 22), and a version bump discards answers, never the
aggregates.

A store outage never fails a request: the metric is computed without the cache.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import types
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar

from portal.core.db import on_commit
from portal.core.store import Store

logger = logging.getLogger(__name__)

T = TypeVar("T")

TTL_SECONDS = 300
VERSION_KEY = "adoption:version"
VERSION_TTL_SECONDS = 7 * 24 * 3600  # far longer than any entry lives


@dataclass(frozen=True, slots=True)
class Cached(Generic[T]):
    """A metric result and where it came from."""

    value: T
    from_cache: bool
    computed_at: datetime


async def bump_after_commit(store: Store) -> None:
    """Invalidate every cached metric once the current transaction commits."""

    async def bump() -> None:
        try:
            await store.incr(VERSION_KEY, VERSION_TTL_SECONDS)
        except Exception:  # an outage must not fail a committed write; the TTL still applies
            logger.exception("bumping the adoption cache version failed")

    await on_commit(bump)


def cache_key(version: str, name: str, params: dict[str, Any]) -> str:
    """The store key of a metric for given parameters."""
    text = json.dumps(params, sort_keys=True, default=str, separators=(",", ":"))
    return f"adoption:{version}:{name}:{hashlib.sha256(text.encode()).hexdigest()[:32]}"


async def cached(
    store: Store,
    name: str,
    params: dict[str, Any],
    compute: Callable[[], Awaitable[T]],
    kind: Any,  # noqa: ANN401 - a type expression such as list[FunnelRow]
) -> Cached[T]:
    """The cached value of a metric, or compute it and cache it."""
    try:
        version = await store.get(VERSION_KEY) or "0"
        key = cache_key(version, name, params)
        raw = await store.get(key)
    except Exception:
        logger.exception("reading the adoption cache failed")
        return Cached(await compute(), from_cache=False, computed_at=datetime.now(UTC))
    if raw is not None:
        payload = json.loads(raw)
        value: T = decode(kind, payload["value"])
        return Cached(value, from_cache=True, computed_at=datetime.fromisoformat(payload["at"]))
    value = await compute()
    now = datetime.now(UTC)
    try:
        body = json.dumps({"at": now.isoformat(), "value": encode(value)}, separators=(",", ":"))
        await store.set(key, body, ttl_seconds=TTL_SECONDS)
    except Exception:
        logger.exception("writing the adoption cache failed")
    return Cached(value, from_cache=False, computed_at=now)


def encode(value: Any) -> Any:  # noqa: ANN401 - JSON-able data out of typed values
    """Plain JSON data of dataclasses, dates, tuples, lists, dicts and scalars."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return [[encode(k), encode(v)] for k, v in value.items()]
    return value


def decode(kind: Any, data: Any) -> Any:  # noqa: ANN401 - typed values out of JSON data
    """Rebuild a value of type ``kind`` from :func:`encode`'s output."""
    return _decoder(kind)(data)


def _identity(value: Any) -> Any:  # noqa: ANN401
    return value


@functools.cache
def _decoder(kind: Any) -> Callable[[Any], Any]:  # noqa: ANN401, PLR0911 - a type walker
    """A function turning JSON data into ``kind``, built once per type (cached reads stay fast)."""
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        inner = _decoder(next(a for a in args if a is not type(None)))
        return lambda data: None if data is None else inner(data)
    if origin is list:
        item = _decoder(args[0])
        return lambda data: [item(v) for v in data]
    if origin is tuple:
        item = _decoder(args[0])
        return lambda data: tuple(item(v) for v in data)
    if origin is dict:
        key, value = _decoder(args[0]), _decoder(args[1])
        return lambda data: {key(k): value(v) for k, v in data}
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = typing.get_type_hints(kind)
        fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(kind)]
        return lambda data: kind(**{name: convert(data[name]) for name, convert in fields})
    if kind is date:
        return date.fromisoformat
    if kind is float:
        return float
    return _identity
