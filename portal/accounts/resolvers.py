"""Authentication mutations and the ``viewer`` query."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from portal.accounts import service
from portal.accounts.types import (
    AuthPayload,
    LoginInput,
    LogoutInput,
    LogoutPayload,
    RefreshTokenInput,
    ViewerType,
    viewer_type,
)
from portal.core.context import Context
from portal.core.graphql import (
    IsAuthenticated,
    UserError,
    run_payload,
    viewer_of,
)


def _auth_payload(pair: service.TokenPair | None, errors: list[UserError]) -> AuthPayload:
    if pair is None:
        return AuthPayload(
            access_token=None,
            refresh_token=None,
            access_token_expires_at=None,
            roles=[],
            user_errors=errors,
        )
    return AuthPayload(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        access_token_expires_at=pair.claims.expires_at,
        roles=list(pair.roles),
        user_errors=[],
    )


@strawberry.type
class AccountsQuery:
    """Who am I."""

    @strawberry.field(description="The logged-in user.", permission_classes=[IsAuthenticated])
    def viewer(self, info: Info[Context, None]) -> ViewerType:
        """The viewer."""
        return viewer_type(info)


@strawberry.type
class AccountsMutation:
    """Session mutations."""

    @strawberry.mutation(description="Log in; returns an access token and a refresh token.")
    async def login(self, info: Info[Context, None], input: LoginInput) -> AuthPayload:  # noqa: A002
        """Log in."""
        context = info.context
        return _auth_payload(
            *await run_payload(
                lambda: service.login(
                    context.settings,
                    input.username,
                    input.password,
                    store=context.store,
                    client_address=context.client_address,
                )
            )
        )

    @strawberry.mutation(
        description="Exchange a refresh token for a new pair (the old one stops working)."
    )
    async def refresh_token(
        self,
        info: Info[Context, None],
        input: RefreshTokenInput,  # noqa: A002
    ) -> AuthPayload:
        """Rotate tokens."""
        settings = info.context.settings
        return _auth_payload(
            *await run_payload(lambda: service.refresh(settings, input.refresh_token))
        )

    @strawberry.mutation(
        description="Log out: end this session (every access and refresh token of it).",
        permission_classes=[IsAuthenticated],
    )
    async def logout(self, info: Info[Context, None], input: LogoutInput) -> LogoutPayload:  # noqa: A002
        """Log out."""
        viewer = viewer_of(info)
        _, errors = await run_payload(lambda: service.logout(viewer, input.refresh_token))
        return LogoutPayload(ok=not errors, user_errors=errors)
