"""Adoption downloads and pictures over plain HTTP, with the API's ``Authorization: Bearer``.

* ``GET /adoption/funnel.csv`` and ``/adoption/funnel.xlsx``: the funnel rows.
* ``GET /adoption/charts/funnel.svg``: the funnel of the last week of the range.
* ``GET /adoption/charts/weekly-active.svg``: weekly-active and verified shares per week.
* ``GET /adoption/charts/survey.svg``: pulse before vs after the first session.

Query parameters (all optional): ``opdId`` and ``unitId`` (global IDs), ``from`` and ``to``
(ISO dates; default the last 12 weeks). Errors are JSON in the GraphQL error shape: 401 without
a valid token, 403 when the viewer may not read the metrics asked for, 404 for an unknown OPD
or unit, 400 for malformed parameters - never a 500.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, Response, Router, get

from portal.adoption import charts, exports, metrics, service, surveys
from portal.adoption.exports import XLSX_MEDIA_TYPE
from portal.adoption.metrics import FunnelCounts
from portal.adoption.sql import FunnelRow
from portal.core.auth import Viewer
from portal.core.errors import DomainError
from portal.core.http import NO_STORE, REST_EXCEPTION_HANDLERS, VIEWER_DEPENDENCY, download
from portal.core.ids import decode_optional_id
from portal.core.store import Store
from portal.people import service as people

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


async def _funnel(viewer: Viewer, store: Store, params: dict[str, Any]) -> list[FunnelRow]:
    return (await service.funnel(viewer, store, **params)).value


def _stem(params: dict[str, Any]) -> str:
    return "adopsi-" + (f"opd{params['opd_id']}" if params["opd_id"] else "kota")


@get("/funnel.csv", include_in_schema=False)
async def funnel_csv(request: Request[Any, Any, Any], viewer: Viewer) -> Response[Any]:
    """The funnel rows as CSV."""
    store, params = request.app.state.store, _params(request)
    rows = await _funnel(viewer, store, params)
    body = await exports.funnel_csv(rows)
    return download(body, f"{_stem(params)}.csv", "text/csv; charset=utf-8")


@get("/funnel.xlsx", include_in_schema=False)
async def funnel_xlsx(request: Request[Any, Any, Any], viewer: Viewer) -> Response[Any]:
    """The funnel rows as an XLSX workbook (shares formatted as percentages)."""
    store, params = request.app.state.store, _params(request)
    rows = await _funnel(viewer, store, params)
    return download(await exports.funnel_xlsx(rows), f"{_stem(params)}.xlsx", XLSX_MEDIA_TYPE)


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
    route_handlers=[funnel_csv, funnel_xlsx, funnel_svg, weekly_active_svg, survey_svg],
    dependencies=VIEWER_DEPENDENCY,
    exception_handlers=REST_EXCEPTION_HANDLERS,
)
