"""The accounts domain's raw SQL: the one statement every authenticated request runs.

It reads the session, its account, the account's grants and the standing of the account's
employee (the people domain's fragment, :func:`portal.people.facts.standing_columns`) in one
round trip: the session check is the floor of every request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from portal.core.db import fetch_rows
from portal.people import facts as people_facts
from portal.people.facts import EmployeeStanding


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A session with its account and the account's explicit grants, as of this read."""

    account_id: int
    ended_at: datetime | None
    expires_at: datetime | None
    username: str
    employee_id: int | None
    active: bool
    grants: tuple[tuple[str, int | None], ...]
    standing: EmployeeStanding | None = None  # None: no employee, or the employee row is gone


# composed once: fixed names only, the active flag and the session id are bound
_COLUMNS = (
    's."account" AS account, s."ended_at" AS ended_at, s."expires_at" AS expires_at,'
    ' a."username" AS username,'
    ' a."employee" AS employee, a."active" AS active, g."role" AS role, g."opd" AS opd, '
    + people_facts.standing_columns("e")
)
_SESSION_SQL = (
    f"SELECT {_COLUMNS}"  # noqa: S608 - fixed SQL, values bound
    ' FROM "auth_session" s JOIN "user_account" a ON a."id" = s."account"'
    ' LEFT JOIN "employee" e ON e."id" = a."employee"'
    ' LEFT JOIN "role_grant" g ON g."account" = s."account"'
    ' WHERE s."sid" = {}'
)


def _timestamp(value: object) -> datetime | None:
    """A timestamp of the raw query, timezone-aware (SQLite returns them as naive text)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


async def session_record(sid: str) -> SessionRecord | None:
    """The session ``sid``, its account, its role grants and its employee's standing.

    One statement (the employee's standing is joined, not read afterwards); its rows come as
    tuples, in the order of ``_COLUMNS`` (one row per grant).
    """
    rows = await fetch_rows(_SESSION_SQL, people_facts.STANDING_ACTIVE, sid)
    if not rows:
        return None
    account, ended_at, expires_at, username, employee, active = rows[0][:6]
    return SessionRecord(
        account_id=int(account),
        ended_at=_timestamp(ended_at),
        expires_at=_timestamp(expires_at),
        username=str(username),
        employee_id=int(employee) if employee is not None else None,
        active=bool(active),
        grants=tuple(
            (str(row[6]), int(row[7]) if row[7] is not None else None)
            for row in rows
            if row[6] is not None
        ),
        standing=people_facts.standing_of(rows[0][8:11]) if employee is not None else None,
    )
