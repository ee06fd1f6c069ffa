"""XLSX workbooks are zip archives of XML: check their size before anything parses them.

A small upload can expand enormously (a 178 KB file whose sheet XML is 60 MB, 1.2 million rows):
`check_workbook` reads only the archive's directory and each sheet's `<dimension>` element, and
refuses a workbook whose parts expand past the limit, or whose first sheet declares more rows or
columns than allowed, before openpyxl sees it. Readers also stop at the row limit while
reading, since a sheet's declared dimension may be missing or wrong (`RowCounter`).
Python's zip reader never returns more bytes than a member's declared size, so checking the
declared sizes bounds what parsing can cost.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

MIB = 2**20
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?\"")
_HEAD_BYTES = 4096  # the dimension element sits at the top of a sheet's XML


@dataclass(frozen=True)
class XlsxLimits:
    """The largest workbook a reader accepts."""

    max_uncompressed_bytes: int = 50 * MIB
    max_rows: int = 100_000
    max_columns: int = 256
    max_parts: int = 1_000


class WorkbookTooLarge(ValueError):
    """The workbook is over a limit; the message names the limit and what to do."""


def check_workbook(source: bytes | Path, limits: XlsxLimits = XlsxLimits()) -> None:
    """Refuse (`WorkbookTooLarge`) a workbook over the limits; other damage is the reader's.

    A file that is not a zip archive at all passes: the reader reports it as unreadable.
    """
    opened = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with zipfile.ZipFile(opened) as archive:
            _check_archive(archive, limits)
    except (zipfile.BadZipFile, OSError, EOFError):
        return


def _check_archive(archive: zipfile.ZipFile, limits: XlsxLimits) -> None:
    parts = archive.infolist()
    if len(parts) > limits.max_parts:
        raise WorkbookTooLarge(
            f"the workbook has {len(parts)} parts, over the limit of {limits.max_parts}; "
            "save it again as a plain workbook or send CSV"
        )
    expanded = sum(part.file_size for part in parts)
    if expanded > limits.max_uncompressed_bytes:
        raise WorkbookTooLarge(
            f"the workbook expands to {expanded // MIB} MB, over the limit of "
            f"{limits.max_uncompressed_bytes // MIB} MB; send large files as CSV"
        )
    for part in parts:
        if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
            with archive.open(part) as sheet:
                _check_dimension(sheet.read(_HEAD_BYTES), limits)


def _check_dimension(head: bytes, limits: XlsxLimits) -> None:
    found = _DIMENSION.search(head)
    if found is None:
        return
    last_column = (found.group(3) or found.group(1) or b"A").decode("ascii")
    last_row = (found.group(4) or found.group(2) or b"1").decode("ascii")
    check_size(int(last_row), column_number(last_column), limits)


def check_size(rows: int, columns: int, limits: XlsxLimits) -> None:
    """Refuse a sheet with more rows or columns than allowed."""
    if rows > limits.max_rows:
        raise WorkbookTooLarge(
            f"the sheet has {rows} rows, over the limit of {limits.max_rows}; "
            "split the file or send it as CSV"
        )
    if columns > limits.max_columns:
        raise WorkbookTooLarge(
            f"the sheet has {columns} columns, over the limit of {limits.max_columns}; "
            "keep only the layout's columns"
        )


def column_number(letters: str) -> int:
    """`A` → 1, `Z` → 26, `AA` → 27."""
    number = 0
    for letter in letters:
        number = number * 26 + (ord(letter) - ord("A") + 1)
    return number


class RowCounter:
    """Counts rows (and their width) as a reader goes, refusing past the limits."""

    def __init__(self, limits: XlsxLimits = XlsxLimits()) -> None:
        self.limits = limits
        self.rows = 0

    def add(self, width: int) -> None:
        """One more row of `width` cells."""
        self.rows += 1
        check_size(self.rows, width, self.limits)
