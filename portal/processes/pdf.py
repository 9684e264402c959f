"""The official layout (PermenPANRB 6/2022, lampiran) as HTML + CSS, printed by WeasyPrint.

WeasyPrint (HTML/CSS to PDF, maintained by CourtBouillon) lays out Indonesian text with Pango,
which Debian ships (``make pdf-deps``); it is imported on first use so the web workers start
without it. The QR code is an SVG from segno (pure Python), embedded as a data URI.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import date
from html import escape
from typing import Any

import segno

from portal.processes.enums import DocumentKind
from portal.processes.services.documents import (
    CITY,
    DocumentContent,
    IssuedDocument,
    Line,
    Official,
)

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip

CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
  @bottom-left { content: "Nomor " string(docno) " \\2014 kode verifikasi " string(code);
    font-size: 7.5pt; color: #444; font-family: "DejaVu Sans", sans-serif; }
  @bottom-right { content: "Halaman " counter(page) " dari " counter(pages);
    font-size: 7.5pt; color: #444; font-family: "DejaVu Sans", sans-serif; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 8.5pt; color: #000; }
h1 { font-size: 11pt; text-align: center; margin: 0; }
h2 { font-size: 9.5pt; text-align: center; margin: 2pt 0 8pt 0; font-weight: normal; }
h3 { font-size: 9pt; margin: 10pt 0 3pt 0; }
.meta { display: flex; justify-content: space-between; font-size: 8pt; margin-bottom: 4pt; }
.docno { string-set: docno content(); } .code { string-set: code content(); }
table { width: 100%; border-collapse: collapse; margin-bottom: 6pt; }
th, td { border: 0.6pt solid #000; padding: 2.5pt 4pt; vertical-align: top; text-align: left; }
th { background: #e8e8e8; font-weight: bold; }
td.no { width: 14pt; text-align: center; }
.section { background: #f3f3f3; font-weight: bold; }
.sign { display: flex; justify-content: space-between; margin-top: 14pt; page-break-inside: avoid; }
.sign div { width: 45%; text-align: center; }
.sign .space { height: 36pt; }
.verify { display: flex; gap: 8pt; align-items: center; margin-top: 12pt; font-size: 7.5pt;
  border-top: 0.6pt solid #000; padding-top: 5pt; page-break-inside: avoid; }
.verify img { width: 22mm; height: 22mm; }
.predikat { font-size: 10pt; font-weight: bold; }
.lampiran { page-break-before: always; }
"""


def _e(value: object) -> str:
    return escape(str(value or "-"))


def long_date(day: date) -> str:
    """``7 Desember 2026``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def qr_data_uri(url: str) -> str:
    """The QR code of ``url`` as an SVG data URI."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _person_rows(title_left: str, left: Official, title_right: str, right: Official | None) -> str:
    fields = (("NAMA", "name"), ("NIP", "nip"), ("PANGKAT/GOL. RUANG", "pangkat"),
              ("JABATAN", "jabatan"), ("UNIT KERJA", "unit"))  # fmt: skip
    rows = [(f'<tr><th class="no">NO</th><th colspan="2">{title_left}</th>'
            f'<th class="no">NO</th><th colspan="2">{title_right}</th></tr>')]  # fmt: skip
    for n, (label, attr) in enumerate(fields, 1):
        rvalue = getattr(right, attr) if right else "-"
        rows.append(
            f'<tr><td class="no">{n}</td><td>{label}</td><td>{_e(getattr(left, attr))}</td>'
            f'<td class="no">{n}</td><td>{label}</td><td>{_e(rvalue)}</td></tr>'
        )
    return "<table>" + "".join(rows) + "</table>"


def _result_rows(lines: list[Line], evaluation: bool) -> str:
    head = ("<tr><th class='no'>NO</th><th>RENCANA HASIL KERJA PIMPINAN YANG DIINTERVENSI</th>"
            "<th>RENCANA HASIL KERJA</th><th>ASPEK</th><th>INDIKATOR KINERJA INDIVIDU</th>"
            "<th>TARGET</th>")  # fmt: skip
    head += "<th>REALISASI</th><th>UMPAN BALIK</th></tr>" if evaluation else "</tr>"
    cols = 8 if evaluation else 6
    body = []
    for kind, title in (("UTAMA", "A. UTAMA"), ("TAMBAHAN", "B. TAMBAHAN")):
        body.append(f"<tr><td class='section' colspan='{cols}'>{title}</td></tr>")
        mine = [line for line in lines if line.kind == kind]
        if not mine:
            body.append(f"<tr><td colspan='{cols}'>-</td></tr>")
        for n, line in enumerate(mine, 1):
            cells = [line.parent_rhk, line.rhk, line.aspect, line.indicator, line.target]
            if evaluation:
                cells += [line.realisation, line.feedback]
            body.append(
                f"<tr><td class='no'>{n}</td>"
                + "".join(f"<td>{_e(c)}</td>" for c in cells)
                + "</tr>"
            )
    return "<table>" + head + "".join(body) + "</table>"


def _behaviour_rows(content: DocumentContent, evaluation: bool) -> str:
    what = "UMPAN BALIK BERKELANJUTAN" if evaluation else "EKSPEKTASI KHUSUS PIMPINAN"
    rows = [f"<tr><th class='no'>NO</th><th>PERILAKU KERJA (BerAKHLAK)</th><th>{what}</th></tr>"]
    rows += [
        f"<tr><td class='no'>{n}</td><td>{_e(b.value)}</td><td>{_e(b.text)}</td></tr>"
        for n, b in enumerate(content.behaviours, 1)
    ]
    return "<table>" + "".join(rows) + "</table>"


def _signatures(content: DocumentContent, issued: IssuedDocument, evaluation: bool) -> str:
    place = f"Tangerang Selatan, {long_date(issued.issued_at.date())}"
    rater = content.rater
    acting = content.acting_rater
    rater_title = "Pejabat Penilai Kinerja"
    rater_name = rater.name if rater else "Wali Kota Tangerang Selatan"
    rater_nip = f"NIP. {rater.nip}" if rater else ""
    if acting is not None:
        rater_title = f"Plt./Plh. {rater_title}"
        rater_name, rater_nip = acting.name, f"NIP. {acting.nip}"
    left = (
        ("Pegawai yang Dinilai", content.employee.name, f"NIP. {content.employee.nip}")
        if not evaluation
        else (
            "Atasan Pejabat Penilai Kinerja",
            content.rater_superior.name if content.rater_superior else "-",
            f"NIP. {content.rater_superior.nip}" if content.rater_superior else "",
        )
    )
    blocks = [left, (rater_title, rater_name, rater_nip)]
    inner = "".join(
        f"<div>{_e(title)}<div class='space'></div><b>{_e(name)}</b><br>{escape(nip)}</div>"
        for title, name, nip in blocks
    )
    return f"<p style='text-align:right'>{escape(place)}</p><div class='sign'>{inner}</div>"


def _verification(issued: IssuedDocument) -> str:
    return (
        f"<div class='verify'><img src='{qr_data_uri(issued.verify_url)}' alt='QR'>"
        f"<div>Dokumen ini diterbitkan oleh Kinerja Portal, {escape(CITY)}.<br>"
        f"Nomor: <b>{escape(issued.number)}</b> &nbsp; Kode verifikasi: "
        f"<b>{escape(issued.verification_code)}</b><br>"
        f"Periksa keasliannya dengan memindai kode QR atau membuka "
        f"{escape(issued.verify_url)}</div></div>"
    )


def document_html(content: DocumentContent, issued: IssuedDocument) -> str:
    """The whole document as one HTML page."""
    evaluation = content.kind is DocumentKind.EVALUATION
    title = "DOKUMEN EVALUASI KINERJA PEGAWAI" if evaluation else "SASARAN KINERJA PEGAWAI"
    parts: list[Any] = [
        (
            f"<h1>{title}</h1><h2>PENDEKATAN HASIL KERJA KUANTITATIF<br>"
            f"BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL</h2>"
        ),
        (
            f"<div class='meta'><span>{_e(content.opd)}</span>"
            f"<span>PERIODE PENILAIAN: {_e(content.period)}</span></div>"
        ),
        (
            "<div class='meta'><span>Nomor: <span class='docno'>"
            f"{escape(issued.number)}</span></span><span>Kode verifikasi: <span class='code'>"
            f"{escape(issued.verification_code)}</span></span></div>"
        ),
        _person_rows(
            "PEGAWAI YANG DINILAI", content.employee, "PEJABAT PENILAI KINERJA", content.rater
        ),
    ]
    if evaluation:
        parts.append(
            _person_rows(
                "ATASAN PEJABAT PENILAI KINERJA",
                content.rater_superior or Official("-", "-", "-", "-", "-"),
                "PLT./PLH. PEJABAT PENILAI",
                content.acting_rater,
            )
        )
    parts += ["<h3>HASIL KERJA</h3>", _result_rows(content.lines, evaluation)]
    if evaluation:
        parts.append(
            f"<table><tr><th>RATING HASIL KERJA</th><td>{_e(content.hasil_rating)}</td></tr>"
            "</table>"
        )
    parts += ["<h3>PERILAKU KERJA</h3>", _behaviour_rows(content, evaluation)]
    if evaluation:
        parts.append(
            f"<table><tr><th>RATING PERILAKU KERJA</th><td>{_e(content.perilaku_rating)}</td>"
            f"</tr><tr><th>PREDIKAT KINERJA PEGAWAI</th><td class='predikat'>"
            f"{_e(content.predikat)}</td></tr><tr><th>CATATAN PEJABAT PENILAI</th><td>"
            f"{_e(content.feedback)}</td></tr></table>"
        )
    parts.append(_signatures(content, issued, evaluation))
    parts.append(_verification(issued))
    if not evaluation:
        parts.append(
            "<div class='lampiran'><h1>LAMPIRAN SASARAN KINERJA PEGAWAI</h1>"
            f"<h2>{_e(content.employee.name)} \u2014 NIP. {_e(content.employee.nip)}</h2>"
            f"<h3>DUKUNGAN SUMBER DAYA</h3><table><tr><td>{_e(content.resources)}</td></tr>"
            f"</table><h3>SKEMA PERTANGGUNGJAWABAN</h3><table><tr><td>"
            f"{_e(content.accountability)}</td></tr></table><h3>KONSEKUENSI</h3><table><tr>"
            f"<td>{_e(content.consequences)}</td></tr></table></div>"
        )
    return (
        "<!doctype html><html lang='id'><head><meta charset='utf-8'>"
        f"<title>{title}</title><style>{CSS}</style></head><body>"
        + "".join(parts)
        + "</body></html>"
    )


def render_pdf(content: DocumentContent, issued: IssuedDocument) -> bytes:
    """The PDF of the document."""
    from weasyprint import HTML  # noqa: PLC0415 - Pango and fonts load only when a PDF is made

    pdf: bytes = HTML(string=document_html(content, issued)).write_pdf()
    return pdf


def table_html(
    title: str, subtitle: str, header: Sequence[str], cells: Sequence[Sequence[object]]
) -> str:
    """A landscape report: a title, a subtitle and one table."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in cells
    )
    css = CSS.replace("size: A4;", "size: A4 landscape;").replace(
        '"Nomor " string(docno) " \\2014 kode verifikasi " string(code)', '"Kinerja Portal"'
    )
    return (
        "<!doctype html><html lang='id'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{css}</style></head><body>"
        f"<h1>{escape(title)}</h1><h2>{escape(subtitle)}</h2>"
        f"<table><tr>{head}</tr>{body}</table></body></html>"
    )


def table_pdf(
    title: str, subtitle: str, header: Sequence[str], cells: Sequence[Sequence[object]]
) -> bytes:
    """The report as PDF."""
    from weasyprint import HTML  # noqa: PLC0415 - Pango and fonts load only when a PDF is made

    pdf: bytes = HTML(string=table_html(title, subtitle, header, cells)).write_pdf()
    return pdf
