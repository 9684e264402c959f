"""Authentication mutations and the ``viewer`` query."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry

from portal.accounts.services import sessions
from portal.accounts.services.document import (
    clear_document_cookie,
    secure_cookie,
    set_document_cookie,
)
from portal.accounts.services.sessions import AccountRow
from portal.accounts.services.throttle import LoginThrottle
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
from portal.core.auth import Viewer
from portal.core.context import Context, Info
from portal.core.graphql import (
    Input,
    UserError,
    mutate,
    mutate_node,
    run_payload,
    viewer_field,
    viewer_mutation,
    viewer_of,
)
from portal.core.ids import decode_optional_id


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


def _throttle(context: Context) -> LoginThrottle:
    return sessions.login_throttle(context.store, context.settings)


def _account_payload(row: AccountRow | None, errors: list[UserError]) -> AccountPayload:
    return AccountPayload(account=AccountType(row=row) if row else None, user_errors=errors)


async def _on_account(
    info: Info,
    account_id: strawberry.ID,
    action: Callable[[Viewer, int], Awaitable[AccountRow]],
) -> AccountPayload:
    """An administrator's write about one account, answered with the account after it."""
    node = (account_id, "UserAccount", "accountId")
    return await mutate_node(info, node, action, _account_payload)


@strawberry.type
class AccountsQuery:
    """Who am I."""

    @viewer_field("The logged-in user.")
    def viewer(self, info: Info) -> ViewerType:
        """The viewer."""
        return viewer_type(info)

    @viewer_field(
        "Login accounts, by username (ADMIN_BKPSDM: all; ADMIN_OPD: their OPDs' employees)."
    )
    async def accounts(
        self,
        info: Info,
        search: Annotated[
            str | None,
            strawberry.argument(description="Part of the username (an employee's NIP)."),
        ] = None,
        first: Annotated[int, strawberry.argument(description="How many (1-100).")] = 50,
    ) -> list[AccountType]:
        """Accounts."""
        viewer = viewer_of(info)
        throttle = _throttle(info.context)
        rows = await sessions.list_accounts(viewer, search=search, first=first, throttle=throttle)
        return [AccountType(row=r) for r in rows]


@strawberry.type
class AccountsMutation:
    """Session mutations."""

    @strawberry.mutation(description="Log in; returns an access token and a refresh token.")
    async def login(self, info: Info, data: Input[LoginInput]) -> AuthPayload:
        """Log in."""
        context = info.context
        return _with_document_cookie(
            context,
            *await run_payload(
                lambda: sessions.login(
                    context.settings,
                    data.username,
                    data.password,
                    store=context.store,
                    client_address=context.client_address,
                )
            ),
        )

    @strawberry.mutation(
        description="Exchange a refresh token for a new pair (the old one stops working)."
    )
    async def refresh_token(self, info: Info, data: Input[RefreshTokenInput]) -> AuthPayload:
        """Rotate tokens."""
        settings = info.context.settings
        return _with_document_cookie(
            info.context,
            *await run_payload(lambda: sessions.refresh(settings, data.refresh_token)),
        )

    @viewer_mutation("Log out: end this session (every access and refresh token of it).")
    async def logout(self, info: Info, data: Input[LogoutInput]) -> LogoutPayload:
        """Log out."""
        viewer = viewer_of(info)
        _, errors = await run_payload(lambda: sessions.logout(viewer, data.refresh_token))
        if info.context.response is not None:
            clear_document_cookie(info.context.response, secure=_is_secure(info.context))
        return LogoutPayload(ok=not errors, user_errors=errors)

    @viewer_mutation("Create an administrator account (ADMIN_BKPSDM).")
    async def create_admin_account(
        self, info: Info, data: Input[CreateAdminAccountInput]
    ) -> AccountPayload:
        """Create an admin account."""
        return await mutate(
            info,
            lambda viewer: sessions.create_admin_account(
                viewer,
                username=data.username,
                password=data.password,
                role=data.role,
                opd_id=decode_optional_id(data.opd_id, "Opd", "opdId"),
            ),
            _account_payload,
        )

    @viewer_mutation("Set a new password for an account (and unlock it); its sessions end.")
    async def reset_account_password(
        self, info: Info, data: Input[ResetAccountPasswordInput]
    ) -> AccountPayload:
        """Reset a password."""
        return await _on_account(
            info,
            data.account_id,
            lambda viewer, account_id: sessions.reset_password(
                viewer, account_id, data.new_password, _throttle(info.context)
            ),
        )

    @viewer_mutation("Lift an account's lockout after failed logins.")
    async def unlock_account(self, info: Info, data: Input[AccountActionInput]) -> AccountPayload:
        """Unlock."""
        return await _on_account(
            info,
            data.account_id,
            lambda viewer, account_id: sessions.unlock(viewer, account_id, _throttle(info.context)),
        )

    @viewer_mutation("Deactivate (no login; sessions revoked) or reactivate an account.")
    async def set_account_active(
        self, info: Info, data: Input[SetAccountActiveInput]
    ) -> AccountPayload:
        """Deactivate or reactivate."""
        return await _on_account(
            info,
            data.account_id,
            lambda viewer, account_id: sessions.set_active(viewer, account_id, active=data.active),
        )
