"""``GET /exports/files/<token>``: the finished file of an export job (:mod:`portal.core.exports`).

Served with the API's ``Authorization: Bearer`` token to the account that started the export
only; anybody else, an unknown token and an expired file all get the same 404.
"""

from __future__ import annotations

from litestar import Response, Router, get
from litestar.params import FromPath

from portal.core.auth import Viewer
from portal.core.errors import NotFoundError
from portal.core.exports import finished_file
from portal.core.http import REST_EXCEPTION_HANDLERS, VIEWER_DEPENDENCY, download


@get("/{token:str}", include_in_schema=False)
async def export_file(viewer: Viewer, token: FromPath[str]) -> Response[bytes]:
    """The file to its owner (downloaded as often as needed until it expires)."""
    found = await finished_file(token, viewer)
    if found is None:
        raise NotFoundError("ExportFile", "token")
    return download(found.content, found.filename, found.media_type)


EXPORT_FILES_ROUTER = Router(
    path="/exports/files",
    route_handlers=[export_file],
    dependencies=VIEWER_DEPENDENCY,
    exception_handlers=REST_EXCEPTION_HANDLERS,
)
