"""Authentication mutations and the ``viewer`` query."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from portal.accounts.services import sessions
from portal.accounts.services.document import (
    clear_document_cookie,
    secure_cookie,
    set_document_cookie,
)
from portal.accounts.types import (
    AccountActionInput,
    AccountPayload,
    AccountType,
    AuthPayload,
    CreateAdminAccountInput,
    LoginInput,
    LogoutInput,
    LogoutPayload,
    RefreshTokenInput,
    ResetAccountPasswordInput,
    SetAccountActiveInput,
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
from portal.core.ids import decode_id_of, decode_optional_id


def _is_secure(context: Context) -> bool:
    request = context.request
    return secure_cookie(context.settings, request.url.scheme if request is not None else None)


def _with_document_cookie(
    context: Context, pair: sessions.TokenPair | None, errors: list[UserError]
) -> AuthPayload:
    """The payload; a new or renewed session also gets its document cookie (GET / only)."""
    if pair is not None and context.response is not None:
        set_document_cookie(
            context.response,
            context.settings,
            pair.claims.session_id,
            secure=_is_secure(context),
        )
    return _auth_payload(pair, errors)


def _auth_payload(pair: sessions.TokenPair | None, errors: list[UserError]) -> AuthPayload:
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

    @strawberry.field(
        description="Login accounts, by username (ADMIN_BKPSDM: all; ADMIN_OPD: their OPDs' "
        "employees).",
        permission_classes=[IsAuthenticated],
    )
    async def accounts(
        self,
        info: Info[Context, None],
        search: Annotated[
            str | None,
            strawberry.argument(description="Part of the username (an employee's NIP)."),
        ] = None,
        first: Annotated[int, strawberry.argument(description="How many (1-100).")] = 50,
    ) -> list[AccountType]:
        """Accounts."""
        viewer = viewer_of(info)
        throttle = sessions.login_throttle(info.context.store, info.context.settings)
        rows = await sessions.list_accounts(viewer, search=search, first=first, throttle=throttle)
        return [AccountType(row=r) for r in rows]


@strawberry.type
class AccountsMutation:
    """Session mutations."""

    @strawberry.mutation(description="Log in; returns an access token and a refresh token.")
    async def login(self, info: Info[Context, None], input: LoginInput) -> AuthPayload:  # noqa: A002
        """Log in."""
        context = info.context
        return _with_document_cookie(
            context,
            *await run_payload(
                lambda: sessions.login(
                    context.settings,
                    input.username,
                    input.password,
                    store=context.store,
                    client_address=context.client_address,
                )
            ),
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
        return _with_document_cookie(
            info.context,
            *await run_payload(lambda: sessions.refresh(settings, input.refresh_token)),
        )

    @strawberry.mutation(
        description="Log out: end this session (every access and refresh token of it).",
        permission_classes=[IsAuthenticated],
    )
    async def logout(self, info: Info[Context, None], input: LogoutInput) -> LogoutPayload:  # noqa: A002
        """Log out."""
        viewer = viewer_of(info)
        _, errors = await run_payload(lambda: sessions.logout(viewer, input.refresh_token))
        if info.context.response is not None:
            clear_document_cookie(info.context.response, secure=_is_secure(info.context))
        return LogoutPayload(ok=not errors, user_errors=errors)

    @strawberry.mutation(
        description="Create an administrator account (ADMIN_BKPSDM).",
        permission_classes=[IsAuthenticated],
    )
    async def create_admin_account(
        self,
        info: Info[Context, None],
        input: CreateAdminAccountInput,  # noqa: A002
    ) -> AccountPayload:
        """Create an admin account."""
        viewer = viewer_of(info)
        row, errors = await run_payload(
            lambda: sessions.create_admin_account(
                viewer,
                username=input.username,
                password=input.password,
                role=input.role,
                opd_id=decode_optional_id(input.opd_id, "Opd", "opdId"),
            )
        )
        return AccountPayload(account=AccountType(row=row) if row else None, user_errors=errors)

    @strawberry.mutation(
        description="Set a new password for an account (and unlock it); its sessions end.",
        permission_classes=[IsAuthenticated],
    )
    async def reset_account_password(
        self,
        info: Info[Context, None],
        input: ResetAccountPasswordInput,  # noqa: A002
    ) -> AccountPayload:
        """Reset a password."""
        viewer = viewer_of(info)
        row, errors = await run_payload(
            lambda: sessions.reset_password(
                viewer,
                decode_id_of(input.account_id, "UserAccount", "accountId"),
                input.new_password,
                sessions.login_throttle(info.context.store, info.context.settings),
            )
        )
        return AccountPayload(account=AccountType(row=row) if row else None, user_errors=errors)

    @strawberry.mutation(
        description="Lift an account's lockout after failed logins.",
        permission_classes=[IsAuthenticated],
    )
    async def unlock_account(
        self,
        info: Info[Context, None],
        input: AccountActionInput,  # noqa: A002
    ) -> AccountPayload:
        """Unlock."""
        viewer = viewer_of(info)
        row, errors = await run_payload(
            lambda: sessions.unlock(
                viewer,
                decode_id_of(input.account_id, "UserAccount", "accountId"),
                sessions.login_throttle(info.context.store, info.context.settings),
            )
        )
        return AccountPayload(account=AccountType(row=row) if row else None, user_errors=errors)

    @strawberry.mutation(
        description="Deactivate (no login; sessions revoked) or reactivate an account.",
        permission_classes=[IsAuthenticated],
    )
    async def set_account_active(
        self,
        info: Info[Context, None],
        input: SetAccountActiveInput,  # noqa: A002
    ) -> AccountPayload:
        """Deactivate or reactivate."""
        viewer = viewer_of(info)
        row, errors = await run_payload(
            lambda: sessions.set_active(
                viewer,
                decode_id_of(input.account_id, "UserAccount", "accountId"),
                active=input.active,
            )
        )
        return AccountPayload(account=AccountType(row=row) if row else None, user_errors=errors)
