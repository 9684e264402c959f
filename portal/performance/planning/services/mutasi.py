"""Mutasi mid-period (issue 20, DESIGN.md §4): close the old SKP, open one under the new rater.

The SIMPEG import records a changed unit or supervisor as a detected move
(:mod:`portal.people.services.moves`) and updates the employee. An administrator of the
employee's new (or old) OPD, or BKPSDM, then applies the move to the annual period that covers
its date: the employee's active SKP is closed on the day before (``served_until``; evaluated by
the old rater for the months served) and a new DRAFT SKP is opened from the move's date under
the current supervisor (``served_from``, ``mutasi``). The annual result combines both parts pro
rata (:func:`portal.performance.rules.combine_pro_rata`). One transaction, audited, notified.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from portal.core import audit
from portal.core.auth import Viewer
from portal.core.db import transaction
from portal.core.errors import DomainError, NotFoundError, PermissionDeniedError
from portal.core.ids import encode_global_id
from portal.notifications.services import inbox as notifications
from portal.people.services import directory as people
from portal.people.services import moves
from portal.performance import sql
from portal.performance.enums import PeriodStatus
from portal.performance.planning.services import skp as skp_service
from portal.performance.rows import PeriodRow, SkpRow
from portal.performance.tables import Skp


@dataclass(frozen=True, slots=True)
class MutasiResult:
    """The SKP closed (None when the employee had none) and the SKP opened."""

    closed: SkpRow | None
    opened: SkpRow


async def _period_of(move: moves.MoveRow) -> PeriodRow:
    rows = await sql.annual_period_on(move.effective_on)
    if not rows:
        raise DomainError.single(
            "NOT_FOUND", "Tidak ada periode tahunan pada tanggal mutasi", "moveId"
        )
    period = PeriodRow(**rows[0])
    if period.status == PeriodStatus.CLOSED:
        raise DomainError.single("PERIOD_CLOSED", "Periode sudah ditutup", "moveId")
    return period


async def apply_mutasi(viewer: Viewer, move_id: int) -> MutasiResult:
    """Close the employee's SKP at the move's date and open a new one under the new rater.

    Raises:
        DomainError: NOT_FOUND (no such move, or no annual period on its date), FORBIDDEN (not
            an admin of the old or new OPD), INVALID_STATE (handled already, or the move's date
            is the first day the old SKP covers: nothing served to close), PERIOD_CLOSED.
    """
    (move,) = await moves.moves_by_ids([move_id])
    if move is None:
        raise NotFoundError("Mutasi", "moveId")
    if not (viewer.administers_opd(move.new_opd_id) or viewer.administers_opd(move.old_opd_id)):
        raise PermissionDeniedError("Hanya admin OPD asal/tujuan atau admin BKPSDM")
    if move.status != "DETECTED":
        raise DomainError.single("INVALID_STATE", "Mutasi ini sudah diproses", "moveId")
    period = await _period_of(move)
    employee = await people.get_employee(move.employee_id)
    async with transaction():
        old = await skp_service.skp_for(employee.id, period.id)
        if old is not None:
            first_day = old.served_from or period.starts_on
            if move.effective_on <= first_day:
                raise DomainError.single(
                    "INVALID_STATE",
                    "Tanggal mutasi tidak setelah awal SKP lama; ubah SKP yang ada",
                    "moveId",
                )
            await Skp.update({Skp.served_until: move.effective_on - timedelta(days=1)}).where(
                (Skp.id == old.id) & Skp.served_until.is_null()
            )
        new_id = await skp_service.create_skp_row(
            employee, period.id, served_from=move.effective_on, mutasi_id=move.id
        )
        if not await moves.mark_handled(move.id):
            raise DomainError.single("INVALID_STATE", "Mutasi ini sudah diproses", "moveId")
        await audit.record(
            account_id=viewer.account_id,
            action="MUTASI_APPLIED",
            entity_type="EmployeeMove",
            entity_id=move.id,
            after={
                "employee_id": employee.id,
                "period_id": period.id,
                "closed_skp_id": old.id if old else None,
                "served_until": (move.effective_on - timedelta(days=1)).isoformat(),
                "new_skp_id": new_id,
                "new_rater_id": employee.supervisor_id,
            },
        )
        await notifications.notify_employees(
            sorted(
                {
                    i
                    for i in (employee.id, old.rater_id if old else None, employee.supervisor_id)
                    if i is not None
                }
            ),
            "MUTASI_APPLIED",
            "Mutasi diproses: SKP baru dibuka",
            f"SKP lama ditutup per {(move.effective_on - timedelta(days=1)).isoformat()}; "
            "SKP baru di bawah pejabat penilai yang baru perlu disusun.",
            encode_global_id("Skp", new_id),
        )
    (closed, opened) = await skp_service.skps_by_ids([old.id if old else -1, new_id])
    assert opened is not None  # noqa: S101 - inserted in the transaction above
    return MutasiResult(closed, opened)
