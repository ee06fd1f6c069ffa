"""Workbooks built at test time: real XLSX archives with a sheet of our making (bombs too)."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook  # type: ignore[import-untyped]

SHEET = "xl/worksheets/sheet1.xml"


def workbook_with_sheet(sheet_xml: bytes) -> bytes:
    """A real workbook (made by openpyxl) whose first sheet's XML is replaced by `sheet_xml`."""
    book = Workbook()
    book.active.append(["CIN", "Last Name"])
    made = io.BytesIO()
    book.save(made)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(made.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for part in source.infolist():
            data = sheet_xml if part.filename == SHEET else source.read(part)
            target.writestr(part.filename, data)
    return out.getvalue()


def sheet_xml(rows: int, dimension: str | None = None) -> bytes:
    """Sheet XML with `rows` one-cell rows, declaring `dimension` (default: the truth)."""
    ref = dimension or f"A1:A{rows}"
    # Rows without their (optional) numbers repeat exactly, so they compress like a bomb.
    body = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * rows
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="' + ref.encode() + b'"/><sheetData>' + body + b"</sheetData></worksheet>"
    )
