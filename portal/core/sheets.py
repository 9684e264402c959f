"""Tables as downloads: one sheet written as CSV or XLSX, the same way for every domain.

A domain builds a :class:`Sheet` (its rows already scoped and formatted for people) and serves
:func:`to_csv` or :func:`to_xlsx` of it; names typed by people go through :func:`safe`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

XLSX_SHEET_TITLE_MAX = 31
"""Excel refuses longer sheet titles."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """A table to download: file stem, sheet title, header and rows (None: an empty cell)."""

    stem: str
    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    percent_columns: frozenset[str] = field(default_factory=frozenset)
    """Columns holding shares (0-1), formatted as percentages in XLSX."""


def safe(text: str) -> str:
    """Defuse spreadsheet formulas in names typed by people."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _text(value: Any) -> Any:  # noqa: ANN401 - a cell
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return value


def to_csv(sheet: Sheet) -> bytes:
    """The sheet as UTF-8 CSV (CRLF lines; empty cells for None; booleans ya/tidak)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(sheet.header)
    for row in sheet.rows:
        writer.writerow([_text(v) for v in row])
    return out.getvalue().encode("utf-8")


def to_xlsx(sheet: Sheet) -> bytes:
    """The sheet as an XLSX workbook: bold frozen header, shares as percentages."""
    # openpyxl (and the numpy it pulls in) loads on the first download, not at app start
    from openpyxl import Workbook  # type: ignore[import-untyped]  # noqa: PLC0415
    from openpyxl.styles import Font  # type: ignore[import-untyped]  # noqa: PLC0415

    workbook = Workbook()
    book = workbook.active
    book.title = sheet.title[:XLSX_SHEET_TITLE_MAX]
    book.append(list(sheet.header))
    for cell in book[1]:
        cell.font = Font(bold=True)
    percent = [i + 1 for i, name in enumerate(sheet.header) if name in sheet.percent_columns]
    for row in sheet.rows:
        book.append(["ya" if v is True else "tidak" if v is False else v for v in row])
        for column in percent:
            book.cell(book.max_row, column).number_format = "0.0%"
    book.column_dimensions["A"].width = 40
    book.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
