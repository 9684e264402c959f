"""Official documents over plain HTTP: the PDFs, and the public verification page.

* ``GET /documents/skp/{skpId}`` and ``GET /documents/evaluation/{evaluationId}``
  (global IDs; ``Authorization: Bearer``): whoever may read the SKP or evaluation downloads
  its document; the first download issues it (number and verification code).
* ``GET /verifikasi/{code}`` (public, no login): an HTML page with exactly the facts the
  document prints about people and results, so a printed copy can be checked against the
  portal. An unknown code answers 404 with the same page shape.
"""

from __future__ import annotations

import asyncio
from html import escape
from typing import Any

from litestar import Request, Response, Router, get
from litestar.params import FromPath

from portal.core import clock
from portal.core.auth import Viewer
from portal.core.errors import DomainError, NotFoundError
from portal.core.http import (
    CSV_MEDIA_TYPE,
    NO_STORE,
    REST_EXCEPTION_HANDLERS,
    VIEWER_DEPENDENCY,
    XLSX_MEDIA_TYPE,
    download,
)
from portal.core.ids import decode_id_of
from portal.core.sheets import Sheet, to_csv, to_xlsx
from portal.performance.planning.services import periods
from portal.processes import pdf
from portal.processes.services import documents, reports

PDF = "application/pdf"
PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def _stem(number: str) -> str:
    return number.replace("/", "-")


@get("/skp/{skp_id:str}", include_in_schema=False)
async def skp_pdf(skp_id: FromPath[str], viewer: Viewer) -> Response[bytes]:
    """The SKP (with its Lampiran) as PDF."""
    issued, content = await documents.issue_skp(viewer, decode_id_of(skp_id, "Skp", "skpId"))
    body = await asyncio.to_thread(pdf.render_pdf, content, issued)
    return download(body, f"{_stem(issued.number)}.pdf", PDF)


@get("/evaluation/{evaluation_id:str}", include_in_schema=False)
async def evaluation_pdf(evaluation_id: FromPath[str], viewer: Viewer) -> Response[bytes]:
    """The Dokumen Evaluasi Kinerja as PDF."""
    pk = decode_id_of(evaluation_id, "Evaluation", "evaluationId")
    issued, content = await documents.issue_evaluation(viewer, pk)
    body = await asyncio.to_thread(pdf.render_pdf, content, issued)
    return download(body, f"{_stem(issued.number)}.pdf", PDF)


DOCUMENTS_ROUTER = Router(
    path="/documents",
    route_handlers=[skp_pdf, evaluation_pdf],
    dependencies=VIEWER_DEPENDENCY,
    exception_handlers=REST_EXCEPTION_HANDLERS,
)


def _person(title: str, person: dict[str, Any] | None) -> str:
    if not person:
        return f"<tr><th>{title}</th><td>-</td></tr>"
    return (
        f"<tr><th>{title}</th><td>{escape(person['name'])}<br>NIP. {escape(person['nip'])}<br>"
        f"{escape(person['jabatan'])}, {escape(person['unit'])}</td></tr>"
    )


def _page(body: str, status: int) -> Response[str]:
    html = (
        "<!doctype html><html lang='id'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>Verifikasi Dokumen - Kinerja Portal</title><style>"
        "body{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}"
        "th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid #ddd}"
        "</style></head><body><h1>Verifikasi Dokumen</h1>" + body + "</body></html>"
    )
    return Response(
        html,
        status_code=status,
        media_type="text/html; charset=utf-8",
        headers={**NO_STORE, "Content-Security-Policy": PAGE_CSP},
    )


@get("/{code:str}", include_in_schema=False)
async def verify_page(code: FromPath[str]) -> Response[str]:
    """Public: the registered facts of the document with this code."""
    try:
        issued = await documents.by_code(code)
    except NotFoundError:
        return _page(
            "<p><strong>Dokumen tidak ditemukan.</strong> Periksa kembali kode verifikasi.</p>",
            404,
        )
    facts = issued.fact_dict()
    rows = [
        f"<tr><th>Jenis dokumen</th><td>{escape(facts['jenis'])}</td></tr>",
        f"<tr><th>Nomor</th><td>{escape(issued.number)}</td></tr>",
        f"<tr><th>Kode verifikasi</th><td>{escape(issued.verification_code)}</td></tr>",
        f"<tr><th>Diterbitkan</th><td>{issued.issued_at:%d-%m-%Y}</td></tr>",
        f"<tr><th>Instansi</th><td>{escape(facts['instansi'])}</td></tr>",
        f"<tr><th>Periode</th><td>{escape(facts['periode'])}</td></tr>",
        _person("Pegawai yang dinilai", facts.get("pegawai")),
        _person("Pejabat penilai kinerja", facts.get("pejabatPenilai")),
        _person("Atasan pejabat penilai", facts.get("atasanPejabatPenilai")),
    ]
    if "predikat" in facts:
        rows.append(f"<tr><th>Predikat kinerja</th><td>{escape(facts['predikat'])}</td></tr>")
    return _page(
        "<p><strong>Dokumen asli</strong> yang diterbitkan Kinerja Portal.</p><table>"
        + "".join(rows)
        + "</table>",
        200,
    )


VERIFY_ROUTER = Router(path="/verifikasi", route_handlers=[verify_page])


# --- period reports for BKPSDM -------------------------------------------------------------


async def _report(
    request: Request[Any, Any, Any], viewer: Viewer, which: str
) -> tuple[str, str, tuple[str, ...], list[list[object]], str]:
    """(title, subtitle, header, rows, file stem) of a report."""
    value = request.query_params.get("periodId")
    if not value:
        raise DomainError.single("MISSING_PARAMETER", "Parameter periodId wajib diisi", "periodId")
    period_id = decode_id_of(value, "Period", "periodId")
    period = await periods.get_period(period_id)
    subtitle = f"{period.name}; dicetak {clock.today():%d-%m-%Y}"
    if which == "predikat":
        recap = await reports.predikat_recap(viewer, period_id)
        return ("REKAP PREDIKAT KINERJA PEGAWAI", subtitle, reports.RECAP_HEADER,
                reports.recap_cells(recap), f"rekap-predikat-periode{period_id}")  # fmt: skip
    rows = await reports.completion(viewer, period_id)
    return ("MONITORING KELENGKAPAN KINERJA", subtitle, reports.COMPLETION_HEADER,
            reports.completion_cells(rows), f"monitoring-periode{period_id}")  # fmt: skip


async def _file(
    request: Request[Any, Any, Any], viewer: Viewer, which: str, ext: str
) -> tuple[bytes, str]:
    title, subtitle, header, cells, stem = await _report(request, viewer, which)
    if ext in ("csv", "xlsx"):
        sheet = Sheet(stem=stem, title=title, header=header, rows=cells)
        return (to_csv(sheet) if ext == "csv" else to_xlsx(sheet)), stem
    return await asyncio.to_thread(pdf.table_pdf, title, subtitle, header, cells), stem


MEDIA = {"csv": CSV_MEDIA_TYPE, "xlsx": XLSX_MEDIA_TYPE, "pdf": PDF}


def _report_handler(which: str, ext: str) -> Any:  # noqa: ANN401 - a Litestar route handler
    async def handler(request: Request[Any, Any, Any], viewer: Viewer) -> Response[bytes]:
        body, stem = await _file(request, viewer, which, ext)
        return download(body, f"{stem}.{ext}", MEDIA[ext])

    handler.__doc__ = f"The {which} report as {ext.upper()}."
    return get(f"/{which}.{ext}", include_in_schema=False, name=f"report-{which}-{ext}")(handler)


REPORTS_ROUTER = Router(
    path="/reports",
    route_handlers=[
        _report_handler(which, ext)
        for which in ("predikat", "completion")
        for ext in ("csv", "xlsx", "pdf")
    ],
    dependencies=VIEWER_DEPENDENCY,
    exception_handlers=REST_EXCEPTION_HANDLERS,
)
