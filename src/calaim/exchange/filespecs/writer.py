"""Writing canonical rows to a CSV or XLSX file in a layout and a plan's variant.

Public API (used by billing for CS invoices, and by every export here)::

    from calaim.exchange.filespecs.writer import write_rows
    write_rows("cs_invoice", rows, "invoice.xlsx", "xlsx", variant="lacare")

- `layout`: a `Layout` or a layout id (`mif`, `rtf`, `otf`, `cs_authorization_status`,
  `cs_invoice`; see `calaim exchange layouts`).
- `rows`: an iterable of dicts keyed by the layout's column ids; values are canonical: `str`,
  `datetime.date`, `int`, `decimal.Decimal` (money, never float), `bool` for yes/no columns,
  `None` or a missing key for an empty cell. A key that is not a column id is a programming
  error (`ValueError`).
- `destination`: a path (written to a temporary file, then renamed: no half-written files) or
  a binary stream.
- `file_format`: `"csv"` (UTF-8, header row) or `"xlsx"` (one sheet, every cell as text).
- `variant`: a `Variant`, a variant id, or None for calaim's canonical spelling.

Returns the number of data rows written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO, Any, Literal

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

from calaim.exchange.filespecs.adapters import FileColumn, Variant, file_columns, get_variant
from calaim.exchange.filespecs.layout import ColumnType, Layout, get_layout
from calaim.exchange.filespecs.values import Value, cell_formatter

FileFormat = Literal["csv", "xlsx"]
FORMATS: tuple[FileFormat, ...] = ("csv", "xlsx")
Row = Mapping[str, Value]


def resolve(layout: Layout | str, variant: Variant | str | None) -> tuple[Layout, Variant]:
    """The layout and variant objects for ids (or objects) given."""
    resolved = get_layout(layout) if isinstance(layout, str) else layout
    chosen = variant if isinstance(variant, Variant) else get_variant(variant)
    return resolved, chosen


def header_row(layout: Layout, variant: Variant) -> list[str]:
    """The header row of the layout in the variant."""
    return [column.header for column in file_columns(layout, variant)]


def row_formatter(layout: Layout, variant: Variant) -> Callable[[Row], list[str]]:
    """A function turning one canonical row into the file's cells (built once per file).

    Each cell is `values.format_cell` of its value (tests/exchange/filespecs/test_writer_fast.py
    checks every column of every layout and variant); the common kinds are formatted inline,
    without a function call per cell (a 100k-row MIF has 2.6M cells).
    """
    known = frozenset(layout.column_ids)
    plan = [_cell_plan(column, variant, layout.id) for column in file_columns(layout, variant)]

    def format_row(row: Row) -> list[str]:
        if not known.issuperset(row):
            unknown = sorted(set(row) - known)
            raise ValueError(f"{layout.id}: not column ids of the layout: {unknown}")
        cells: list[str] = []
        get, append = row.get, cells.append
        for kind, key, extra in plan:
            if kind is _CONSTANT:
                append(extra)
                continue
            value = get(key)
            if value is None or value == "":
                append("")
            elif kind is _TEXT:
                append(str(value))
            elif kind is _CODE:
                text = str(value)
                append(extra.get(text, text))
            elif kind is _YES_NO:
                append(extra[0] if value else extra[1])
            elif kind is _ISO_DATE and type(value) is dt.date and value.year >= 1000:
                append(value.isoformat())  # the same text as strftime("%Y-%m-%d")
            else:
                append(extra(row))
        return cells

    return format_row


# Kinds of cell (compared by identity in format_row).
_CONSTANT, _TEXT, _CODE = "constant", "text", "code"
_YES_NO, _ISO_DATE, _OTHER = "yes_no", "iso_date", "other"


def _cell_plan(file_column: FileColumn, variant: Variant, layout_id: str) -> tuple[str, str, Any]:
    # (kind, column id, what the kind needs): values.format_cell's cases, resolved once.
    column = file_column.column
    if column is None:
        return _CONSTANT, "", file_column.constant
    if column.type is ColumnType.CODE:
        return _CODE, column.id, variant.adapter(layout_id).codes.get(column.id, {})
    if column.type is ColumnType.YES_NO:
        return _YES_NO, column.id, (variant.yes, variant.no)
    if column.type is ColumnType.DATE:
        kind = _ISO_DATE if variant.date_format == "%Y-%m-%d" else _OTHER
        return kind, column.id, cell_formatter(column, variant, layout_id)
    return _TEXT, column.id, None


def write_rows(
    layout: Layout | str,
    rows: Iterable[Row],
    destination: Path | str | IO[bytes],
    file_format: FileFormat,
    variant: Variant | str | None = None,
    *,
    notes: tuple[str, ...] = (),
) -> int:
    """Write canonical rows as a CSV or XLSX file in the layout and variant; the row count.

    `notes` go into an XLSX file's metadata (document description); a CSV file has none, so
    the caller shows them (the CLI prints them, the API sends them as a header).
    """
    if file_format not in FORMATS:
        raise ValueError(f"unknown file format {file_format!r}; use csv or xlsx")
    resolved, chosen = resolve(layout, variant)
    if isinstance(destination, (str, Path)):
        return _write_path(resolved, chosen, rows, Path(destination), file_format, notes)
    return _write_stream(resolved, chosen, rows, destination, file_format, notes)


def _write_path(
    layout: Layout,
    variant: Variant,
    rows: Iterable[Row],
    path: Path,
    file_format: FileFormat,
    notes: tuple[str, ...] = (),
) -> int:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            count = _write_stream(layout, variant, rows, stream, file_format, notes)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def _write_stream(
    layout: Layout,
    variant: Variant,
    rows: Iterable[Row],
    stream: IO[bytes],
    file_format: str,
    notes: tuple[str, ...] = (),
) -> int:
    format_row = row_formatter(layout, variant)
    header = header_row(layout, variant)
    count = 0
    if file_format == "csv":
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
        writer = csv.writer(text)
        writer.writerow(header)
        for row in rows:
            writer.writerow(format_row(row))
            count += 1
        text.flush()
        text.detach()
        return count
    workbook = Workbook(write_only=True)
    if notes:
        workbook.properties.description = "\n".join(notes)
    sheet = workbook.create_sheet(layout.id)
    sheet.append(header)
    for row in rows:
        # XLSX cannot hold control characters; CSV keeps them (a reader may reject them).
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in format_row(row)])
        count += 1
    workbook.save(stream)
    return count
