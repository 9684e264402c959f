"""The adoption funnel as files: CSV and XLSX rows of ``/adoption/funnel.*`` and the export job.

``startExport(kind: ADOPTION_FUNNEL)`` builds the same file on the job queue, with the
scope checked when it starts (:func:`portal.adoption.service.funnel_scope`).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from portal.adoption import metrics, service
from portal.adoption.sql import FunnelRow
from portal.core.auth import Viewer
from portal.core.exports import ExportFile, Progress, register_export
from portal.core.jobs import JSON
from portal.core.store import Store
from portal.people import service as people

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KIND = "ADOPTION_FUNNEL"

CSV_HEADER = (
    "opd",
    "minggu_iso",
    "senin",
    "pegawai",
    "diundang",
    "hadir",
    "mulai_mencatat",
    "aktif_mingguan",
    "atasan_terlibat",
    "aktif_mingguan_semua",
    "porsi_aktif_mingguan",
    "aktivitas",
    "terverifikasi",
    "porsi_terverifikasi",
    "median_latensi_hari",
)


def _safe(text: str) -> str:
    """Defuse spreadsheet formulas in names typed by people."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


async def _opd_names(rows: list[FunnelRow]) -> dict[int, str]:
    ids = sorted({r.opd_id for r in rows})
    return {o.id: o.name for o in await people.opds_by_ids(ids) if o is not None}


def _cells(name: str, row: FunnelRow) -> list[Any]:
    c = row.counts
    return [
        _safe(name),
        metrics.iso_week_label(row.week),
        row.week.isoformat(),
        c.employees,
        c.invited,
        c.attended,
        c.started,
        c.weekly_active,
        c.engaged,
        c.weekly_active_all,
        None if c.weekly_active_share is None else round(c.weekly_active_share, 4),
        c.activities,
        c.verified,
        None if c.verified_share is None else round(c.verified_share, 4),
        c.median_latency_days,
    ]


async def funnel_csv(rows: list[FunnelRow]) -> bytes:
    """The funnel rows as CSV (UTF-8, header first)."""
    names = await _opd_names(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(["" if v is None else v for v in _cells(names.get(row.opd_id, ""), row)])
    return out.getvalue().encode("utf-8")


async def funnel_xlsx(rows: list[FunnelRow]) -> bytes:
    """The funnel rows as an XLSX workbook (shares formatted as percentages)."""
    # openpyxl (and the numpy it pulls in) loads on the first download, not at app start
    from openpyxl import Workbook  # type: ignore[import-untyped]  # noqa: PLC0415
    from openpyxl.styles import Font  # type: ignore[import-untyped]  # noqa: PLC0415

    names = await _opd_names(rows)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Adopsi"
    sheet.append(list(CSV_HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(_cells(names.get(row.opd_id, ""), row))
        line = sheet.max_row
        sheet.cell(line, 11).number_format = "0.0%"
        sheet.cell(line, 14).number_format = "0.0%"
    sheet.column_dimensions["A"].width = 40
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


async def check(viewer: Viewer, params: JSON) -> None:
    """Refuse at once what the job would refuse."""
    await service.funnel_scope(viewer, opd_id=params.get("opd_id"), unit_id=params.get("unit_id"))


async def build(
    viewer: Viewer, params: JSON, store: Store, file_format: str, progress: Progress
) -> ExportFile:
    """The funnel file (CSV or XLSX) of the scope and range asked for."""
    rows = (
        await service.funnel(
            viewer,
            store,
            opd_id=params.get("opd_id"),
            unit_id=params.get("unit_id"),
            start=_day(params.get("start")),
            end=_day(params.get("end")),
        )
    ).value
    await progress(0.6)
    stem = "adopsi-" + (f"opd{params['opd_id']}" if params.get("opd_id") else "kota")
    if file_format == "XLSX":
        return ExportFile(f"{stem}.xlsx", XLSX_MEDIA_TYPE, await funnel_xlsx(rows), len(rows))
    return ExportFile(f"{stem}.csv", "text/csv; charset=utf-8", await funnel_csv(rows), len(rows))


register_export(KIND, check=check, build=build)
