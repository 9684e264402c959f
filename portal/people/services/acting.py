"""Plt/Plh acting raters (issue 20): appointments for a date range, made by administrators.

While an appointment runs (city calendar, inclusive; not revoked) the acting official reaches
whom the principal supervises (:func:`portal.people.visibility.supervised_ids`) and acts as their
rater (:func:`portal.performance.policy.rater_acting`); what they do records both names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from portal.core import audit, clock
from portal.core.auth import Viewer
from portal.core.db import id_in, row_columns, transaction
from portal.core.errors import DomainError, FieldError, NotFoundError
from portal.core.ids import encode_global_id
from portal.core.pagination import Page, PageRequest, page_of
from portal.notifications.services import inbox as notifications
from portal.people import policy, sql
from portal.people.enums import ActingKind
from portal.people.tables import ActingAppointment

MAX_DAYS = 366
MAX_REASON = 1000


@dataclass(frozen=True, slots=True)
class ActingRow:
    """An acting appointment."""

    id: int
    principal_id: int
    acting_id: int
    opd_id: int
    kind: str
    starts_on: date
    ends_on: date
    reason: str
    revoked_at: datetime | None
    created_at: datetime

    def runs_on(self, day: date) -> bool:
        """Whether the appointment is in force on ``day``."""
        return self.revoked_at is None and self.starts_on <= day <= self.ends_on


_COLUMNS = row_columns(
    ActingAppointment,
    ActingRow,
    principal_id=ActingAppointment.principal.as_alias("principal_id"),
    acting_id=ActingAppointment.acting.as_alias("acting_id"),
    opd_id=ActingAppointment.opd.as_alias("opd_id"),
)


async def appointments_by_ids(ids: Sequence[int]) -> list[ActingRow | None]:
    """Appointments by id, in order; no scoping (callers check :func:`can_read`)."""
    rows = await ActingAppointment.select(*_COLUMNS).where(id_in(ActingAppointment.id, ids))
    found = {r["id"]: ActingRow(**r) for r in rows}
    return [found.get(i) for i in ids]


def can_read(viewer: Viewer, row: ActingRow) -> bool:
    """The two officials, the OPD's administrators and BKPSDM."""
    return viewer.employee_id in (row.principal_id, row.acting_id) or viewer.administers_opd(
        row.opd_id
    )


def _scope(viewer: Viewer) -> Any:  # noqa: ANN401 - a piccolo WHERE clause
    if viewer.is_bkpsdm:
        return None
    me = viewer.employee_id or -1
    clause = (ActingAppointment.principal == me) | (ActingAppointment.acting == me)
    if viewer.admin_opd_ids:
        clause |= id_in(ActingAppointment.opd, viewer.admin_opd_ids)
    return clause


async def list_appointments(
    viewer: Viewer, request: PageRequest, *, active_on: date | None = None
) -> Page[ActingRow]:
    """Appointments the viewer may read, newest first; ``active_on``: those in force that day."""
    clauses: list[Any] = []
    if (scope := _scope(viewer)) is not None:
        clauses.append(scope)
    if active_on is not None:
        clauses += [
            ActingAppointment.starts_on <= active_on,
            ActingAppointment.ends_on >= active_on,
            ActingAppointment.revoked_at.is_null(),
        ]
    query = ActingAppointment.select(*_COLUMNS).order_by(ActingAppointment.id, ascending=False)
    count = ActingAppointment.count()
    for clause in clauses:
        query = query.where(clause)
        count = count.where(clause)
    if request.after_pk is not None:
        query = query.where(ActingAppointment.id < request.after_pk)
    rows = [ActingRow(**r) for r in await query.limit(request.first + 1)]
    return page_of(rows, request, await count)


def _validate(
    principal_id: int, acting_id: int, starts_on: date, ends_on: date, reason: str
) -> str:
    errors: list[FieldError] = []
    if principal_id == acting_id:
        errors.append(
            FieldError("INVALID_VALUE", "Plt/Plh tidak dapat menggantikan dirinya", "actingId")
        )
    if ends_on < starts_on:
        errors.append(
            FieldError("INVALID_VALUE", "Tanggal selesai sebelum tanggal mulai", "endsOn")
        )
    elif (ends_on - starts_on).days >= MAX_DAYS:
        errors.append(FieldError("INVALID_VALUE", "Penunjukan paling lama satu tahun", "endsOn"))
    if ends_on < clock.today():
        errors.append(FieldError("INVALID_VALUE", "Penunjukan sudah berakhir", "endsOn"))
    text = reason.strip()
    if len(text) > MAX_REASON:
        errors.append(
            FieldError("TEXT_TOO_LONG", f"Alasan maksimal {MAX_REASON} karakter", "reason")
        )
    if errors:
        raise DomainError(*errors)
    return text


async def appoint(
    viewer: Viewer,
    *,
    principal_id: int,
    acting_id: int,
    kind: ActingKind,
    starts_on: date,
    ends_on: date,
    reason: str = "",
) -> ActingRow:
    """Appoint ``acting_id`` as Plt/Plh of ``principal_id`` from ``starts_on`` to ``ends_on``.

    Raises:
        DomainError: INVALID_VALUE (self, dates), NOT_FOUND (an inactive or unknown employee),
            OVERLAP (the same pair already overlaps), FORBIDDEN (not an admin of the OPD).
    """
    text = _validate(principal_id, acting_id, starts_on, ends_on, reason)
    principal, acting = await sql.employees_by_ids([principal_id, acting_id])
    if principal is None or not principal.active:
        raise NotFoundError("Employee", "principalId")
    policy.require_appointer(viewer, principal.opd_id)
    if acting is None or not acting.active:
        raise NotFoundError("Employee", "actingId")
    async with transaction():
        overlapping = await ActingAppointment.exists().where(
            (ActingAppointment.principal == principal_id)
            & (ActingAppointment.acting == acting_id)
            & ActingAppointment.revoked_at.is_null()
            & (ActingAppointment.starts_on <= ends_on)
            & (ActingAppointment.ends_on >= starts_on)
        )
        if overlapping:
            raise DomainError.single(
                "OVERLAP", "Penunjukan yang sama sudah ada pada rentang tanggal ini", "startsOn"
            )
        appointment = ActingAppointment(
            principal=principal_id,
            acting=acting_id,
            opd=principal.opd_id,
            kind=kind.value,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=text,
            appointed_by_account=viewer.account_id,
        )
        after = {
            "principal_id": principal_id,
            "acting_id": acting_id,
            "kind": kind.value,
            "starts_on": starts_on,
            "ends_on": ends_on,
        }
        appointment_id = await audit.record_created(viewer, appointment, "ACTING_APPOINTED", after)
        await notifications.notify_employees(
            [acting_id, principal_id],
            "ACTING_APPOINTED",
            f"{kind.label}: {acting.name} menggantikan {principal.name}",
            f"{starts_on.isoformat()} s.d. {ends_on.isoformat()}",
            encode_global_id("ActingAppointment", appointment_id),
        )
    (row,) = await appointments_by_ids([appointment_id])
    assert row is not None  # noqa: S101 - written above
    return row


async def revoke(viewer: Viewer, appointment_id: int) -> ActingRow:
    """End an appointment now (ADMIN_OPD of its OPD or BKPSDM); revoking twice is refused."""
    (current,) = await appointments_by_ids([appointment_id])
    if current is None or not can_read(viewer, current):
        raise NotFoundError("ActingAppointment", "appointmentId")
    policy.require_appointer(viewer, current.opd_id)
    async with transaction():
        updated = (
            await ActingAppointment.update({ActingAppointment.revoked_at: datetime.now(UTC)})
            .where(
                (ActingAppointment.id == appointment_id) & ActingAppointment.revoked_at.is_null()
            )
            .returning(ActingAppointment.id)
        )
        if not updated:
            raise DomainError.single("INVALID_STATE", "Penunjukan sudah dicabut", "appointmentId")
        await audit.record(
            account_id=viewer.account_id,
            action="ACTING_REVOKED",
            entity_type="ActingAppointment",
            entity_id=appointment_id,
        )
        await notifications.notify_employees(
            [current.acting_id, current.principal_id],
            "ACTING_REVOKED",
            "Penunjukan Plt/Plh dicabut",
            "",
            encode_global_id("ActingAppointment", appointment_id),
        )
    (row,) = await appointments_by_ids([appointment_id])
    assert row is not None  # noqa: S101 - written above
    return row
