"""What other domains may read of the BKPSDM processes, as plain values."""

from __future__ import annotations

from collections.abc import Sequence

from portal.processes.enums import ObjectionStatus
from portal.processes.services import objections


async def objection_status(evaluation_ids: Sequence[int]) -> list[ObjectionStatus | None]:
    """The keberatan state of each evaluation (None when none was filed)."""
    rows = await objections.objections_by_evaluation(evaluation_ids)
    return [ObjectionStatus(r.status) if r else None for r in rows]
