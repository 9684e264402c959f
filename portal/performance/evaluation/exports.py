"""The incentive lines of an OPD and period as an export job (``startExport(kind: INCENTIVES)``).

The same rows and files as ``GET /exports/incentives.csv`` and ``.xlsx``, built by the job
queue: the viewer who started it must administer the OPD, checked when it starts and again
when the job runs.
"""

from __future__ import annotations

from portal.core.auth import Viewer
from portal.core.errors import DomainError
from portal.core.exports import ExportFile, Progress, register_export
from portal.core.http import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE
from portal.core.jobs import JSON
from portal.core.store import Store
from portal.performance.evaluation.services import incentives

KIND = "INCENTIVES"


def _scope(params: JSON) -> tuple[int, int]:
    for name, field in (("period_id", "periodId"), ("opd_id", "opdId")):
        if params.get(name) is None:
            raise DomainError.single("MISSING_PARAMETER", f"Parameter {field} wajib diisi", field)
    return int(params["period_id"]), int(params["opd_id"])


async def check(viewer: Viewer, params: JSON) -> None:
    """Refuse at once what the job would refuse."""
    period_id, opd_id = _scope(params)
    await incentives.require_incentive_export(viewer, period_id, opd_id)


async def build(
    viewer: Viewer, params: JSON, _store: Store, file_format: str, progress: Progress
) -> ExportFile:
    """The incentive file (CSV or XLSX)."""
    period_id, opd_id = _scope(params)
    rows = await incentives.incentive_rows(viewer, period_id, opd_id)
    await progress(0.6)
    stem = f"insentif-opd{opd_id}-periode{period_id}"
    if file_format == "XLSX":
        content = incentives.to_xlsx(rows)
        return ExportFile(f"{stem}.xlsx", XLSX_MEDIA_TYPE, content, len(rows))
    content = incentives.to_csv(rows).encode("utf-8")
    return ExportFile(f"{stem}.csv", CSV_MEDIA_TYPE, content, len(rows))


register_export(KIND, check=check, build=build)
