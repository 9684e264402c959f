"""Mutasi detected by the SIMPEG import (issue 20): a changed unit or supervisor is recorded.

The import still updates the employee (the directory follows SIMPEG), but it no longer moves
history silently: each change of unit or supervisor becomes an :class:`EmployeeMove` (status
DETECTED), audited, and the employee, the old and the new supervisor are told. The mutasi flow
(close the old SKP, open one under the new rater, combine pro rata) starts from these rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from portal.core import audit, clock
from portal.core.auth import Viewer
from portal.core.db import id_in, row_columns
from portal.core.errors import PermissionDeniedError
from portal.core.pagination import Page, PageRequest, page_of
from portal.notifications.services import inbox as notifications
from portal.people.tables import EmployeeMove

if TYPE_CHECKING:
    from portal.people.services.importer import ParsedRow


@dataclass(frozen=True, slots=True)
class MoveRow:
    """A detected mutasi."""

    id: int
    employee_id: int
    old_unor_id: int
    new_unor_id: int
    old_opd_id: int
    new_opd_id: int
    old_supervisor_id: int | None
    new_supervisor_id: int | None
    effective_on: date
    source: str
    status: str
    detected_at: datetime


_COLUMNS = row_columns(EmployeeMove, MoveRow)


async def record(
    moved: Sequence[tuple[dict[str, Any], ParsedRow, int]],
    existing: Mapping[str, Mapping[str, Any]],
    units: Mapping[str, tuple[int, int]],
    *,
    account_id: int | None,
) -> list[int]:
    """Record the unit or supervisor moves among one import's updated rows; their ids.

    Runs inside the import's transaction, after the supervisors are linked.
    """
    moved = [
        (current, row, unit)
        for current, row, unit in moved
        if current["unor"] != unit or current["supervisor_nip"] != row.supervisor_nip
    ]
    if not moved:
        return []
    today = clock.today()
    rows = [
        EmployeeMove(
            employee=current["id"],
            old_unor=current["unor"],
            new_unor=new_unor,
            old_opd=current["opd"],
            new_opd=units[row.unor_code][1],
            old_supervisor=current["supervisor_id"],
            new_supervisor=existing[row.supervisor_nip]["id"] if row.supervisor_nip else None,
            effective_on=today,
        )
        for current, row, new_unor in moved
    ]
    inserted = await EmployeeMove.insert(*rows)
    ids = [int(r["id"]) for r in inserted]
    await audit.record_many(
        [
            {
                "account_id": account_id,
                "action": "MUTASI_DETECTED",
                "entity_type": "EmployeeMove",
                "entity_id": str(move_id),
                "before": {"unor": r.old_unor, "supervisor": r.old_supervisor},
                "after": {"unor": r.new_unor, "supervisor": r.new_supervisor},
            }
            for move_id, r in zip(ids, rows, strict=True)
        ]
    )
    # one statement for the whole import: everyone concerned (the employee, the old and the new
    # supervisor) is told once, however many of the moves concern them
    await notifications.notify_employees(
        sorted(
            {
                i
                for r in rows
                for i in (r.employee, r.old_supervisor, r.new_supervisor)
                if i is not None
            }
        ),
        "MUTASI_DETECTED",
        "Mutasi terdeteksi dari data SIMPEG",
        f"Berlaku {today.isoformat()}: unit kerja atau atasan berubah.",
        None,
    )
    return ids


async def list_moves(viewer: Viewer, request: PageRequest) -> Page[MoveRow]:
    """Detected mutasi, newest first: BKPSDM all, ADMIN_OPD of the old or new OPD; nobody else."""
    query = EmployeeMove.select(*_COLUMNS).order_by(EmployeeMove.id, ascending=False)
    count = EmployeeMove.count()
    if not viewer.is_bkpsdm:
        if not viewer.admin_opd_ids:
            raise PermissionDeniedError("Hanya admin BKPSDM dan admin OPD")
        clause = id_in(EmployeeMove.old_opd, viewer.admin_opd_ids) | id_in(
            EmployeeMove.new_opd, viewer.admin_opd_ids
        )
        query, count = query.where(clause), count.where(clause)
    if request.after_pk is not None:
        query = query.where(EmployeeMove.id < request.after_pk)
    rows = [MoveRow(**r) for r in await query.limit(request.first + 1)]
    return page_of(rows, request, await count)


HANDLED = "HANDLED"


async def moves_by_ids(ids: Sequence[int]) -> list[MoveRow | None]:
    """Moves by id, in order (None for a missing id); no scoping: callers check."""
    rows = await EmployeeMove.select(*_COLUMNS).where(id_in(EmployeeMove.id, ids))
    found = {r["id"]: MoveRow(**r) for r in rows}
    return [found.get(i) for i in ids]


async def mark_handled(move_id: int) -> bool:
    """Mark a DETECTED move HANDLED by the mutasi flow (compare-and-set); whether it was."""
    updated = (
        await EmployeeMove.update({EmployeeMove.status: HANDLED})
        .where((EmployeeMove.id == move_id) & (EmployeeMove.status == "DETECTED"))
        .returning(EmployeeMove.id)
    )
    return bool(updated)
