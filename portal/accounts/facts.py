"""What other domains may read of the accounts domain, besides its service (plain values)."""

from __future__ import annotations

from collections.abc import Sequence

from portal.accounts.tables import UserAccount
from portal.core.db import id_in


async def active_account_ids(employee_ids: Sequence[int]) -> list[int]:
    """Active login accounts of these employees."""
    return [
        a
        for accounts in (await active_accounts_by_employee(employee_ids)).values()
        for a in accounts
    ]


async def active_accounts_by_employee(employee_ids: Sequence[int]) -> dict[int, list[int]]:
    """Active login accounts of these employees, by employee (those without one left out)."""
    if not employee_ids:
        return {}
    rows = await UserAccount.select(UserAccount.id, UserAccount.employee).where(
        id_in(UserAccount.employee, employee_ids) & (UserAccount.active == True)  # noqa: E712
    )
    found: dict[int, list[int]] = {}
    for r in rows:
        found.setdefault(int(r["employee"]), []).append(int(r["id"]))
    return found


async def account_id_by_username(username: str) -> int | None:
    """The account logging in with this username (an employee's NIP), if any."""
    row = (
        await UserAccount.select(UserAccount.id)
        .where(UserAccount.username == username.strip().lower())
        .first()
    )
    return None if row is None else int(row["id"])
