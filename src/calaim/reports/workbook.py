"""Report workbooks (XLSX): an About sheet with the provenance, then the layout's sections."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from calaim.reports.provenance import Provenance

ABOUT = "About"
Value = int | float | str | None


def about_sheet(
    book: Workbook, title: str, plan: str, facts: Provenance, notes: Sequence[str]
) -> Worksheet:
    """The first sheet: title, plan, period, as-of, policy hash, fingerprint, then notes."""
    sheet = book.active
    assert sheet is not None
    sheet.title = ABOUT
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"], sheet["B2"] = "Plan", plan
    for offset, (label, value) in enumerate(facts.lines(), start=3):
        sheet.cell(offset, 1, label)
        sheet.cell(offset, 2, value)
    for offset, note in enumerate(notes, start=3 + len(facts.lines()) + 1):
        sheet.cell(offset, 1, note)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 60
    return sheet


def table(
    sheet: Worksheet,
    origin: tuple[int, int],
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Value]],
) -> None:
    """A titled table at `origin` (row, column): title, header, then the rows."""
    row, column = origin
    sheet.cell(row, column, title).font = Font(bold=True)
    for offset, label in enumerate(header):
        sheet.cell(row + 1, column + offset, label).font = Font(bold=True)
    for line, values in enumerate(rows, start=row + 2):
        for offset, value in enumerate(values):
            sheet.cell(line, column + offset, value)


def to_bytes(book: Workbook) -> bytes:
    """The workbook as XLSX bytes."""
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
