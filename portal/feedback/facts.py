"""What other domains may read of the feedback domain, besides its service (plain values).

Bulk frames for the mentoring model are in :mod:`portal.feedback.analytics`.
"""

from __future__ import annotations

from portal.feedback.tables import DialogKinerja


async def dialog_employee(dialog_id: int) -> int | None:
    """Whom this dialog kinerja is about (None when it does not exist)."""
    row = (
        await DialogKinerja.select(DialogKinerja.employee)
        .where(DialogKinerja.id == dialog_id)
        .first()
    )
    return None if row is None else int(row["employee"])
