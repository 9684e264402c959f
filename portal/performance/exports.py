"""Payroll exports of the incentive data: ``GET /exports/incentives.csv`` and ``.xlsx``.

Plain HTTP downloads (a spreadsheet is not a GraphQL value) with the same ``Authorization:
Bearer`` token as the API. Query parameters ``periodId`` and ``opdId`` are global IDs. Errors
are JSON in the GraphQL error shape: 401 without a valid token, 403 when the viewer may not
export the OPD, 404 for an unknown period or OPD, 400 for missing or malformed IDs.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

from portal.accounts.service import authenticate
from portal.context import bearer_token
from portal.core.auth import Viewer
from portal.core.errors import (
    AuthenticationError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
)
from portal.core.ids import decode_id_of
from portal.performance import incentives
from portal.performance.incentives import IncentiveRow

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_NO_STORE = {"Cache-Control": "no-store"}


def _error(status: int, code: str, message: str, **headers: str) -> Response[dict[str, Any]]:
    return Response(
        {"errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status,
        headers={**_NO_STORE, **headers},
    )


async def _viewer(request: Request[Any, Any, Any]) -> Viewer:
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        raise AuthenticationError
    state = request.app.state
    return await authenticate(state.settings, state.store, token)


def _id_param(request: Request[Any, Any, Any], name: str, type_name: str) -> int:
    value = request.query_params.get(name)
    if not value:
        raise DomainError.single("MISSING_PARAMETER", f"Parameter {name} wajib diisi", name)
    return decode_id_of(value, type_name, name)


async def _export(
    request: Request[Any, Any, Any],
) -> tuple[list[IncentiveRow], str] | Response[dict[str, Any]]:
    """The rows and a file stem, or the error response to send instead."""
    try:
        viewer = await _viewer(request)
    except AuthenticationError as exc:
        return _error(401, exc.code, str(exc), **{"WWW-Authenticate": "Bearer"})
    try:
        period_id = _id_param(request, "periodId", "Period")
        opd_id = _id_param(request, "opdId", "Opd")
        rows = await incentives.incentive_rows(viewer, period_id, opd_id)
    except PermissionDeniedError as exc:
        return _error(403, "FORBIDDEN", exc.errors[0].message)
    except NotFoundError as exc:
        return _error(404, "NOT_FOUND", exc.errors[0].message)
    except DomainError as exc:
        return _error(400, exc.errors[0].code, exc.errors[0].message)
    return rows, f"insentif-opd{opd_id}-periode{period_id}"


def _download(content: bytes, filename: str, media_type: str) -> Response[bytes]:
    return Response(
        content,
        media_type=media_type,
        headers={**_NO_STORE, "Content-Disposition": f'attachment; filename="{filename}"'},
    )


@get("/exports/incentives.csv", include_in_schema=False)
async def incentives_csv(request: Request[Any, Any, Any]) -> Response[Any]:
    """The OPD's incentive lines for a period as CSV."""
    result = await _export(request)
    if isinstance(result, Response):
        return result
    rows, stem = result
    body = incentives.to_csv(rows).encode("utf-8")
    return _download(body, f"{stem}.csv", "text/csv; charset=utf-8")


@get("/exports/incentives.xlsx", include_in_schema=False)
async def incentives_xlsx(request: Request[Any, Any, Any]) -> Response[Any]:
    """The OPD's incentive lines for a period as an XLSX workbook."""
    result = await _export(request)
    if isinstance(result, Response):
        return result
    rows, stem = result
    return _download(incentives.to_xlsx(rows), f"{stem}.xlsx", XLSX_MEDIA_TYPE)


EXPORT_HANDLERS = [incentives_csv, incentives_xlsx]
