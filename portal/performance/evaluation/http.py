"""Payroll exports of the incentive data: ``GET /exports/incentives.csv`` and ``.xlsx``.

Plain HTTP downloads (a spreadsheet is not a GraphQL value) with the same ``Authorization:
Bearer`` token and rate limit as the API (:mod:`portal.core.http`). Query parameters
``periodId`` and ``opdId`` are global IDs. Errors are JSON in the GraphQL error shape: 401
without a valid token, 403 when the viewer may not export the OPD, 404 for an unknown period or
OPD, 400 for missing or malformed IDs.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, Router, get

from portal.core.auth import Viewer
from portal.core.errors import DomainError
from portal.core.http import (
    CSV_MEDIA_TYPE,
    REST_EXCEPTION_HANDLERS,
    VIEWER_DEPENDENCY,
    XLSX_MEDIA_TYPE,
    download,
)
from portal.core.ids import decode_id_of
from portal.performance.evaluation.services import incentives
from portal.performance.evaluation.services.incentives import IncentiveRow


def _id_param(request: Request[Any, Any, Any], name: str, type_name: str) -> int:
    value = request.query_params.get(name)
    if not value:
        raise DomainError.single("MISSING_PARAMETER", f"Parameter {name} wajib diisi", name)
    return decode_id_of(value, type_name, name)


async def _export(
    request: Request[Any, Any, Any], viewer: Viewer
) -> tuple[list[IncentiveRow], str]:
    """The rows and a file stem."""
    period_id = _id_param(request, "periodId", "Period")
    opd_id = _id_param(request, "opdId", "Opd")
    rows = await incentives.incentive_rows(viewer, period_id, opd_id)
    return rows, f"insentif-opd{opd_id}-periode{period_id}"


@get("/incentives.csv", include_in_schema=False)
async def incentives_csv(request: Request[Any, Any, Any], viewer: Viewer) -> Response[bytes]:
    """The OPD's incentive lines for a period as CSV."""
    rows, stem = await _export(request, viewer)
    body = incentives.to_csv(rows).encode("utf-8")
    return download(body, f"{stem}.csv", CSV_MEDIA_TYPE)


@get("/incentives.xlsx", include_in_schema=False)
async def incentives_xlsx(request: Request[Any, Any, Any], viewer: Viewer) -> Response[bytes]:
    """The OPD's incentive lines for a period as an XLSX workbook."""
    rows, stem = await _export(request, viewer)
    return download(incentives.to_xlsx(rows), f"{stem}.xlsx", XLSX_MEDIA_TYPE)


EXPORTS_ROUTER = Router(
    path="/exports",
    route_handlers=[incentives_csv, incentives_xlsx],
    dependencies=VIEWER_DEPENDENCY,
    exception_handlers=REST_EXCEPTION_HANDLERS,
)
