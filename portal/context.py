"""Per-request GraphQL context: viewer, dataloaders, store and broker."""

from __future__ import annotations

import time
from functools import cached_property
from typing import Any

from litestar.datastructures import Headers, State
from litestar.exceptions import TooManyRequestsException
from strawberry.litestar import BaseContext

from portal.accounts import service as accounts
from portal.adoption.loaders import AdoptionLoaders
from portal.core.auth import Viewer
from portal.core.errors import AuthenticationError
from portal.core.requests import current_request_id, new_request_id
from portal.core.store import Store
from portal.feedback.loaders import FeedbackLoaders
from portal.people.loaders import PeopleLoaders
from portal.performance.evaluation_loaders import EvaluationLoaders
from portal.performance.loaders import PerformanceLoaders
from portal.settings import Settings
from training.loaders import TrainingLoaders


class Loaders:
    """Dataloaders of every domain, created lazily and only for this request."""

    @cached_property
    def people(self) -> PeopleLoaders:
        """Loaders of the people domain."""
        return PeopleLoaders()

    @cached_property
    def performance(self) -> PerformanceLoaders:
        """Loaders of the performance domain."""
        return PerformanceLoaders()

    @cached_property
    def feedback(self) -> FeedbackLoaders:
        """Loaders of the feedback domain."""
        return FeedbackLoaders()

    @cached_property
    def evaluation(self) -> EvaluationLoaders:
        """Loaders of evaluations (performance domain)."""
        return EvaluationLoaders()

    @cached_property
    def training(self) -> TrainingLoaders:
        """Loaders of the training module."""
        return TrainingLoaders()

    @cached_property
    def adoption(self) -> AdoptionLoaders:
        """Loaders of the socialization program."""
        return AdoptionLoaders()


class Context(BaseContext, kw_only=True, dict=True):
    """What resolvers get as ``info.context``."""

    settings: Any
    store: Any
    broker: Any
    request_id: str
    viewer: Viewer | None = None
    auth_error: AuthenticationError | None = None
    connection_params: dict[str, Any] | None = None
    loaders: Any = None

    @property
    def typed_store(self) -> Store:
        """The shared store."""
        store: Store = self.store
        return store

    @property
    def typed_settings(self) -> Settings:
        """The settings."""
        settings: Settings = self.settings
        return settings

    async def authenticate(self, token: str | None) -> None:
        """Resolve the viewer from a bearer token; remember why it failed, if it did."""
        self.viewer = None
        self.auth_error = None
        if not token:
            return
        try:
            self.viewer = await accounts.authenticate(self.settings, self.store, token)
        except AuthenticationError as exc:
            self.auth_error = exc


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer …`` header."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def context_getter(state: State, headers: Headers) -> Context:
    """Litestar dependency building a fresh context for each HTTP request or WebSocket."""
    request_id = current_request_id.get() or new_request_id()
    ctx = Context(
        settings=state.settings,
        store=state.store,
        broker=state.broker,
        request_id=request_id,
        loaders=Loaders(),
    )
    await ctx.authenticate(bearer_token(headers.get("authorization")))
    if ctx.viewer is not None:
        await enforce_rate_limit(ctx.typed_settings, ctx.typed_store, ctx.viewer.account_id)
    return ctx


async def enforce_rate_limit(settings: Settings, store: Store, account_id: int) -> None:
    """Per-user fixed-window rate limit, shared by every worker through the store.

    Raises:
        TooManyRequestsException: HTTP 429 once the user exceeded the limit this minute.
    """
    limit = settings.rate_limit_per_minute
    if limit <= 0:
        return
    window = int(time.time() // 60)
    count = await store.incr(f"rate:{account_id}:{window}", ttl_seconds=120)
    if count > limit:
        raise TooManyRequestsException(
            detail=f"Terlalu banyak permintaan: batas {limit} per menit",
            headers={"Retry-After": str(60 - int(time.time()) % 60)},
        )
