"""The adoption dashboard's tables as downloads: one sheet per chart, as CSV or XLSX.

Each builder reads through :mod:`portal.adoption.services.dashboard` (or ``surveys``), so a
download holds the same rows, scoped the same way, as the screen that offers it: the funnel per
OPD and week, the lagging OPDs of a week, a program's cohorts, and the pulse before/after the
first session (only groups of at least five; a withheld group stays blank).
:mod:`portal.core.sheets` writes them; ``portal.adoption.http`` serves them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from portal.adoption import metrics
from portal.adoption.metrics import GroupResult
from portal.adoption.services import dashboard, surveys
from portal.adoption.sql import FunnelRow
from portal.core.auth import Viewer
from portal.core.exports import ExportFile, Progress, register_export
from portal.core.http import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE
from portal.core.jobs import JSON
from portal.core.sheets import Sheet, safe, to_csv, to_xlsx
from portal.core.store import Store
from portal.people.services import directory as people

FUNNEL_HEADER = (
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
LAGGING_HEADER = (
    "opd",
    "minggu_iso",
    "senin",
    "pegawai",
    "aktif_mingguan",
    "porsi_aktif_mingguan",
    "median_kota",
    "selisih_median",
)
COHORT_HEADER = (
    "tanggal_sesi",
    "diundang",
    "hadir",
    "mulai_mencatat",
    "aktif_mingguan",
    "atasan_terlibat",
    "minggu_teramati",
)
SURVEY_HEADER = (
    "opd",
    "sesi_pertama",
    *(
        f"{when}_{what}"
        for when in ("sebelum", "sesudah")
        for what in ("responden", "kenyamanan", "stres", "pemahaman", "ditahan")
    ),
)


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


async def _opd_names(ids: Sequence[int]) -> dict[int, str]:
    return {o.id: o.name for o in await people.opds_by_ids(sorted(set(ids))) if o is not None}


def _funnel_cells(name: str, row: FunnelRow) -> list[Any]:
    c = row.counts
    return [
        safe(name),
        metrics.iso_week_label(row.week),
        row.week.isoformat(),
        c.employees,
        c.invited,
        c.attended,
        c.started,
        c.weekly_active,
        c.engaged,
        c.weekly_active_all,
        _share(c.weekly_active_share),
        c.activities,
        c.verified,
        _share(c.verified_share),
        c.median_latency_days,
    ]


def scope_stem(opd_id: int | None) -> str:
    """``adopsi-kota`` or ``adopsi-opd<id>``: the file name's start."""
    return "adopsi-" + (f"opd{opd_id}" if opd_id else "kota")


async def funnel_sheet(rows: list[FunnelRow], *, opd_id: int | None) -> Sheet:
    """The funnel per OPD and ISO week (the dashboard's trend and funnel charts).

    ``rows`` are :func:`dashboard.funnel`'s for the scope of ``opd_id`` (its file name).
    """
    names = await _opd_names([r.opd_id for r in rows])
    return Sheet(
        stem=scope_stem(opd_id),
        title="Adopsi",
        header=FUNNEL_HEADER,
        rows=[_funnel_cells(names.get(r.opd_id, ""), r) for r in rows],
        percent_columns=frozenset({"porsi_aktif_mingguan", "porsi_terverifikasi"}),
    )


async def lagging_sheet(
    viewer: Viewer, store: Store, *, week: date, margin: float = metrics.DEFAULT_LAG_MARGIN
) -> Sheet:
    """The OPDs trailing the city median in the week of ``week``."""
    lag = (await dashboard.lagging(viewer, store, week=week, margin=margin)).value
    names = await _opd_names([r.opd_id for r in lag.opds])
    label = metrics.iso_week_label(lag.week)
    return Sheet(
        stem=f"opd-tertinggal-{label}",
        title="OPD tertinggal",
        header=LAGGING_HEADER,
        rows=[
            [
                safe(names.get(r.opd_id, "")),
                label,
                lag.week.isoformat(),
                r.employees,
                r.weekly_active,
                _share(r.share),
                _share(lag.city_median),
                _share(r.gap),
            ]
            for r in lag.opds
        ],
        percent_columns=frozenset({"porsi_aktif_mingguan", "median_kota", "selisih_median"}),
    )


async def cohort_sheet(viewer: Viewer, store: Store, *, program_id: int) -> Sheet:
    """A program's cohorts by session day, with the weekly-active count of each week after."""
    rows = (await dashboard.cohorts(viewer, store, program_id=program_id)).value
    weeks = max((len(r.counts.active_by_week) for r in rows), default=0)
    header = (*COHORT_HEADER, *(f"aktif_minggu_{k}" for k in range(1, weeks + 1)))
    return Sheet(
        stem=f"kohort-program{program_id}",
        title="Kohort",
        header=header,
        rows=[
            [
                r.session_day.isoformat(),
                r.counts.members,
                r.counts.attended,
                r.counts.started,
                r.counts.weekly_active,
                r.counts.engaged,
                r.weeks_observed,
                *r.counts.active_by_week,
                *([None] * (weeks - len(r.counts.active_by_week))),
            ]
            for r in rows
        ],
    )


def _pulse(group: GroupResult) -> list[Any]:
    return [group.respondents, group.comfort, group.stress, group.understanding, group.suppressed]


async def survey_trend_sheet(viewer: Viewer, store: Store, *, opd_id: int | None = None) -> Sheet:
    """Each OPD's pulse before vs after its first session (withheld groups stay blank)."""
    rows = (await surveys.survey_trend(viewer, store, opd_id=opd_id)).value
    names = await _opd_names([r.opd_id for r in rows])
    return Sheet(
        stem=f"survei-sebelum-sesudah-{scope_stem(opd_id).removeprefix('adopsi-')}",
        title="Survei denyut",
        header=SURVEY_HEADER,
        rows=[
            [
                safe(names.get(r.opd_id, "")),
                r.first_session_day.isoformat() if r.first_session_day else None,
                *_pulse(r.before),
                *_pulse(r.after),
            ]
            for r in rows
        ],
    )


EXPORT_KIND = "ADOPTION_FUNNEL"


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


async def check_export(viewer: Viewer, params: JSON) -> None:
    """Refuse at once what the export job would refuse."""
    await dashboard.funnel_scope(viewer, opd_id=params.get("opd_id"), unit_id=params.get("unit_id"))


async def build_export(
    viewer: Viewer, params: JSON, store: Store, file_format: str, progress: Progress
) -> ExportFile:
    """``startExport(kind: ADOPTION_FUNNEL)``: the funnel sheet of the scope and range asked for."""
    opd_id = params.get("opd_id")
    rows = await dashboard.funnel(
        viewer,
        store,
        opd_id=opd_id,
        unit_id=params.get("unit_id"),
        start=_day(params.get("start")),
        end=_day(params.get("end")),
    )
    sheet = await funnel_sheet(rows.value, opd_id=opd_id)
    await progress(0.6)
    if file_format == "XLSX":
        return ExportFile(f"{sheet.stem}.xlsx", XLSX_MEDIA_TYPE, to_xlsx(sheet), len(sheet.rows))
    content = to_csv(sheet)
    return ExportFile(f"{sheet.stem}.csv", CSV_MEDIA_TYPE, content, len(sheet.rows))


register_export(EXPORT_KIND, check=check_export, build=build_export)
