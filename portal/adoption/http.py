"""Adoption downloads and pictures over plain HTTP, with the API's ``Authorization: Bearer``.

Downloads, each as ``.csv`` and ``.xlsx`` (the dashboard's tables, :mod:`portal.adoption.exports`):

* ``GET /adoption/funnel.{csv,xlsx}``: the funnel rows per OPD and ISO week (``opdId``,
  ``unitId``, ``from``, ``to``).
* ``GET /adoption/lagging.{csv,xlsx}``: OPDs trailing the city median in the week of ``week``
  (ISO date, default today; ``margin`` 0-1, default 0.1).
* ``GET /adoption/cohorts.{csv,xlsx}``: a program's cohorts (``programId``, required).
* ``GET /adoption/survey-trend.{csv,xlsx}``: the pulse before vs after the first session
  (``opdId``; groups under five people stay blank).

Pictures:

* ``GET /adoption/charts/funnel.svg``: the funnel of the last week of the range.
* ``GET /adoption/charts/weekly-active.svg``: weekly-active and verified shares per week.
* ``GET /adoption/charts/survey.svg``: pulse before vs after the first session.

Query parameters of the funnel and the pictures (all optional): ``opdId`` and ``unitId``
(global IDs), ``from`` and ``to`` (ISO dates; default the last 12 weeks). Errors are JSON in
the GraphQL error shape: 401 without a valid token, 403 when the viewer may not read the
metrics asked for, 404 for an unknown OPD, unit or program, 400 for malformed parameters -
never a 500.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, Response, Router, get

from portal.adoption import charts, exports, metrics
from portal.adoption.metrics import FunnelCounts
from portal.adoption.services import dashboard, surveys
from portal.adoption.sql import FunnelRow
from portal.core import clock
from portal.core.auth import Viewer
from portal.core.errors import DomainError
from portal.core.http import (
    CSV_MEDIA_TYPE,
    NO_STORE,
    REST_EXCEPTION_HANDLERS,
    VIEWER_DEPENDENCY,
    XLSX_MEDIA_TYPE,
    download,
)
from portal.core.ids import decode_id_of, decode_optional_id
from portal.core.sheets import Sheet, to_csv, to_xlsx
from portal.core.store import Store
from portal.people.services import directory as people

SVG_MEDIA_TYPE = "image/svg+xml"


def _date(request: Request[Any, Any, Any], name: str) -> date | None:
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise DomainError.single("INVALID_DATE", f"{name} harus tanggal YYYY-MM-DD", name) from exc


def _params(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """The common parameters: ``opdId``, ``unitId``, ``from``, ``to`` (all optional)."""
    query = request.query_params
    return {
        "opd_id": decode_optional_id(query.get("opdId"), "Opd", "opdId"),
        "unit_id": decode_optional_id(query.get("unitId"), "Unor", "unitId"),
        "start": _date(request, "from"),
        "end": _date(request, "to"),
    }


def _picture(svg: str) -> Response[bytes]:
    return Response(svg.encode("utf-8"), media_type=SVG_MEDIA_TYPE, headers=NO_STORE)


def _csv(sheet: Sheet) -> Response[bytes]:
    return download(to_csv(sheet), f"{sheet.stem}.csv", CSV_MEDIA_TYPE)


def _xlsx(sheet: Sheet) -> Response[bytes]:
    return download(to_xlsx(sheet), f"{sheet.stem}.xlsx", XLSX_MEDIA_TYPE)


async def _funnel(viewer: Viewer, store: Store, params: dict[str, Any]) -> list[FunnelRow]:
    return (await dashboard.funnel(viewer, store, **params)).value


async def _funnel_sheet(request: Request[Any, Any, Any], viewer: Viewer) -> Sheet:
    params = _params(request)
    rows = await _funnel(viewer, request.app.state.store, params)
    return await exports.funnel_sheet(rows, opd_id=params["opd_id"])


@get("/funnel.csv", include_in_schema=False)
async def funnel_csv(request: Request[Any, Any, Any], viewer: Viewer) -> Response[Any]:
    """The funnel rows as CSV."""
    return _csv(await _funnel_sheet(request, viewer))


@get("/funnel.xlsx", include_in_schema=False)
async def funnel_xlsx(request: Request[Any, Any, Any], viewer: Viewer) -> Response[Any]:
    """The funnel rows as an XLSX workbook (shares formatted as percentages)."""
    return _xlsx(await _funnel_sheet(request, viewer))


async def _lagging_sheet(request: Request[Any, Any, Any], viewer: Viewer) -> Sheet:
    raw = request.query_params.get("margin")
    try:
        margin = metrics.DEFAULT_LAG_MARGIN if raw in (None, "") else float(raw)
    except ValueError as exc:
        raise DomainError.single("INVALID_VALUE", "margin harus angka 0-1", "margin") from exc
    week = _date(request, "week") or clock.today()
    return await exports.lagging_sheet(viewer, request.app.state.store, week=week, margin=margin)


@get("/lagging.csv", include_in_schema=False)
async def lagging_csv(request: Request[Any, Any, Any], viewer: Viewer) -> Response[Any]:
    """The lagging OPDs of a week as CSV."""
    return _csv(await _lagging_sheet(request, viewer))


@get("/lagging.xlsx", include_in_schema=False)
async def lagging_xlsx(request: Request[Any, Any, Any], viewer: Viewer) -> Response[Any]:
    """The lagging OPDs of a week as XLSX."""
    return _xlsx(await _lagging_sheet(request, viewer))


async def _cohort_sheet(request: Request[Any, Any, Any], viewer: Viewer) -> Sheet:
    value = request.query_params.get("programId")
    if not value:
        raise DomainError.single(
            "MISSING_PARAMETER", "Parameter programId wajib diisi", "programId"
        )
    program_id = decode_id_of(value, "Program", "programId")
    return await exports.cohort_sheet(viewer, request.app.state.store, program_id=program_id)


@get("/cohorts.csv", include_in_schema=False)
async def cohorts_csv(request: Request[Any, Any, Any], viewer: Viewer) -> Response[Any]:
    """A program's cohorts as CSV."""
    return _csv(await _cohort_sheet(request, viewer))


@get("/cohorts.xlsx", include_in_schema=False)
async def cohorts_xlsx(request: Request[Any, Any, Any], viewer: Viewer) -> Response[Any]:
    """A program's cohorts as XLSX."""
    return _xlsx(await _cohort_sheet(request, viewer))


async def _survey_sheet(request: Request[Any, Any, Any], viewer: Viewer) -> Sheet:
    opd_id = decode_optional_id(request.query_params.get("opdId"), "Opd", "opdId")
    return await exports.survey_trend_sheet(viewer, request.app.state.store, opd_id=opd_id)


@get("/survey-trend.csv", include_in_schema=False)
async def survey_trend_csv(request: Request[Any, Any, Any], viewer: Viewer) -> Response[Any]:
    """The pulse before vs after the first session as CSV."""
    return _csv(await _survey_sheet(request, viewer))


@get("/survey-trend.xlsx", include_in_schema=False)
async def survey_trend_xlsx(request: Request[Any, Any, Any], viewer: Viewer) -> Response[Any]:
    """The pulse before vs after the first session as XLSX."""
    return _xlsx(await _survey_sheet(request, viewer))


async def _scope_name(params: dict[str, Any]) -> str:
    if params["unit_id"]:
        (unit,) = await people.unors_by_ids([params["unit_id"]])
        return unit.name if unit else "Unit"
    if params["opd_id"]:
        (opd,) = await people.opds_by_ids([params["opd_id"]])
        return opd.name if opd else "OPD"
    return "Kota Tangerang Selatan"


def _by_week(rows: list[FunnelRow]) -> dict[date, FunnelCounts]:
    weeks: dict[date, list[FunnelCounts]] = {}
    for row in rows:
        weeks.setdefault(row.week, []).append(row.counts)
    return {week: metrics.combined(counts) for week, counts in sorted(weeks.items())}


@get("/charts/funnel.svg", include_in_schema=False)
async def funnel_svg(request: Request[Any, Any, Any], viewer: Viewer) -> Response[Any]:
    """The adoption funnel of the range's last week, for an OPD, a unit or the city."""
    store, params = request.app.state.store, _params(request)
    weeks = _by_week(await _funnel(viewer, store, params))
    name = await _scope_name(params)
    if not weeks:
        return _picture(charts.funnel_chart(f"Corong adopsi - {name}", "Belum ada data", []))
    week, c = list(weeks.items())[-1]
    bars = [
        charts.Bar("Pegawai", c.employees),
        charts.Bar("Diundang", c.invited),
        charts.Bar("Hadir sosialisasi", c.attended),
        charts.Bar("Mulai mencatat", c.started, "aktivitas pertama sesudah sesi"),
        charts.Bar("Aktif mingguan", c.weekly_active, ">= 3 hari kerja dalam minggu ini"),
        charts.Bar("Atasan terlibat", c.engaged, "diverifikasi <= 3 hari kerja"),
    ]
    subtitle = f"Minggu {metrics.iso_week_label(week)} (mulai {week.isoformat()})"
    return _picture(charts.funnel_chart(f"Corong adopsi - {name}", subtitle, bars))


@get("/charts/weekly-active.svg", include_in_schema=False)
async def weekly_active_svg(request: Request[Any, Any, Any], viewer: Viewer) -> Response[Any]:
    """Weekly-active and verified shares per week, for an OPD, a unit or the city."""
    store, params = request.app.state.store, _params(request)
    weeks = _by_week(await _funnel(viewer, store, params))
    labels = [metrics.iso_week_label(w)[5:] for w in weeks]
    series = [
        charts.Series("Pegawai aktif mingguan", [c.weekly_active_share for c in weeks.values()]),
        charts.Series("Aktivitas terverifikasi", [c.verified_share for c in weeks.values()]),
    ]
    name = await _scope_name(params)
    subtitle = "Porsi per minggu ISO" + (
        f", {min(weeks).isoformat()} s.d. {max(weeks).isoformat()}" if weeks else ""
    )
    return _picture(charts.line_chart(f"Tren adopsi - {name}", subtitle, labels, series))


def _pooled(values: list[tuple[int | None, float | None]]) -> float | None:
    known = [(n, v) for n, v in values if n and v is not None]
    total = sum(n for n, _ in known)
    return round(sum(n * v for n, v in known) / total, 2) if total else None


@get("/charts/survey.svg", include_in_schema=False)
async def survey_svg(request: Request[Any, Any, Any], viewer: Viewer) -> Response[Any]:
    """Pulse survey means before vs after the first session (one OPD, or every visible OPD)."""
    store, params = request.app.state.store, _params(request)
    rows = (await surveys.survey_trend(viewer, store, opd_id=params["opd_id"])).value
    pairs = []
    for label, attr in (
        ("Kenyamanan", "comfort"),
        ("Stres", "stress"),
        ("Pemahaman aturan", "understanding"),
    ):
        before = _pooled([(r.before.respondents, getattr(r.before, attr)) for r in rows])
        after = _pooled([(r.after.respondents, getattr(r.after, attr)) for r in rows])
        pairs.append(charts.Pair(label, before, after))
    name = await _scope_name({**params, "unit_id": None})
    subtitle = "Rata-rata skala 1-5, hanya kelompok >= 5 responden"
    return _picture(charts.before_after_chart(f"Survei denyut - {name}", subtitle, pairs))


ADOPTION_ROUTER = Router(
    path="/adoption",
    route_handlers=[
        funnel_csv,
        funnel_xlsx,
        lagging_csv,
        lagging_xlsx,
        cohorts_csv,
        cohorts_xlsx,
        survey_trend_csv,
        survey_trend_xlsx,
        funnel_svg,
        weekly_active_svg,
        survey_svg,
    ],
    dependencies=VIEWER_DEPENDENCY,
    exception_handlers=REST_EXCEPTION_HANDLERS,
)
