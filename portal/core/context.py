"""Per-request GraphQL context: the viewer, the shared services and the dataloaders.

The context knows no domain. Each domain declares its dataloaders in its ``loaders.py`` as a
:class:`LoaderSet`; the set is created on first use in a request (``PeopleLoaders.of(info)``)
and shared by every resolver of that request. Authentication is handed in by the app
(:attr:`Context.authenticator`), so this module needs no accounts code either.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any, Self, TypeAlias, TypeVar

import msgspec
from litestar.exceptions import TooManyRequestsException
from strawberry.litestar import BaseContext
from strawberry.types import Info as StrawberryInfo

from portal.core.auth import Viewer
from portal.core.errors import AuthenticationError
from portal.core.metrics import THROTTLED
from portal.core.pubsub import Broker
from portal.core.store import Store
from portal.settings import Settings

Authenticator = Callable[[Settings, Store, str], Awaitable[Viewer]]
"""Turns a bearer token into a viewer (raises :class:`AuthenticationError`)."""

_Set = TypeVar("_Set", bound="LoaderSet")


class LoaderSet:
    """Base of a domain's per-request dataloaders (one instance per request and class)."""

    @classmethod
    def of(cls, info: Info) -> Self:
        """This domain's loaders for the request of ``info``."""
        return info.context.loaders.get(cls)


class Loaders:
    """The dataloader sets of one request, keyed by their class, each created on first use."""

    __slots__ = ("_sets",)

    def __init__(self) -> None:
        self._sets: dict[type[LoaderSet], LoaderSet] = {}

    def get(self, kind: type[_Set]) -> _Set:
        """The request's instance of ``kind``."""
        found = self._sets.get(kind)
        if not isinstance(found, kind):
            found = self._sets[kind] = kind()
        return found


class Context(BaseContext, kw_only=True, dict=True):
    """What resolvers get as ``info.context``."""

    settings: Settings
    store: Store
    broker: Broker
    request_id: str
    authenticator: Authenticator
    client_address: str | None = None
    token: str | None = None
    viewer: Viewer | None = None
    auth_error: AuthenticationError | None = None
    connection_params: dict[str, Any] | None = None
    # the request's Accept-Language choice ("id" or "en"), for messages (error_codes.LANGUAGE)
    language: str = "id"
    loaders: Loaders = msgspec.field(default_factory=Loaders)

    async def authenticate(self, token: str | None) -> None:
        """Resolve the viewer from a bearer token; remember why it failed, if it did."""
        self.viewer = None
        self.auth_error = None
        self.token = token
        if not token:
            return
        try:
            self.viewer = await self.authenticator(self.settings, self.store, token)
        except AuthenticationError as exc:
            self.auth_error = exc


Info: TypeAlias = StrawberryInfo[Context, None]
"""What resolvers get as ``info``: strawberry's ``Info`` with this context, no root value."""


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer …`` header."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


clock: Callable[[], float] = time.time
"""The rate limit's clock (wall time; a test replaces it to stay inside one window)."""


async def enforce_rate_limit(settings: Settings, store: Store, account_id: int) -> None:
    """Per-user fixed-window rate limit, shared by every worker through the store.

    During a Redis outage the store counts in-process, so the limit holds per worker.

    Raises:
        TooManyRequestsException: HTTP 429 once the user exceeded the limit this minute.
    """
    limit = settings.rate_limit_per_minute
    if limit <= 0:
        return
    now = clock()
    window = int(now // 60)
    count = await store.incr(f"rate:{account_id}:{window}", ttl_seconds=120)
    if count > limit:
        THROTTLED.inc()
        raise TooManyRequestsException(
            detail=f"Terlalu banyak permintaan: batas {limit} per menit",
            headers={"Retry-After": str(max(60 - int(now) % 60, 1))},
        )
