"""Reading a CSV or XLSX file into canonical rows, every problem located, nothing trusted.

`parse_file` never raises on bad input: it returns the rows it could read and the list of
problems (file, row as a spreadsheet shows it, column header, value, problem, what to do).
Row 1 is the header row; row 0 stands for the file as a whole (unreadable, empty).
"""

from __future__ import annotations

import csv
import difflib
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from openpyxl import load_workbook  # type: ignore[import-untyped]

from calaim.data.xlsx_limits import RowCounter, WorkbookTooLarge, check_workbook
from calaim.exchange.filespecs.adapters import FileColumn, Variant, file_columns
from calaim.exchange.filespecs.cell_parsers import Convert, cell_parser
from calaim.exchange.filespecs.errors import CellProblem, FileProblem
from calaim.exchange.filespecs.layout import Layout
from calaim.exchange.filespecs.values import Cell, Value

WHOLE_FILE = "(whole file)"


class Unreadable(ValueError):
    """The bytes are not a CSV or XLSX file we can read."""


@dataclass
class ParsedFile:
    """Canonical rows with their row numbers, and every problem found."""

    file: str
    rows: list[tuple[int, dict[str, Value]]] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """Whether the file had no problem at all."""
        return not self.problems


def detect_format(file_name: str, data: bytes) -> str:
    """`xlsx` for a zip archive (or a .xlsx name), `csv` otherwise."""
    if data[:4] == b"PK\x03\x04" or file_name.lower().endswith(".xlsx"):
        return "xlsx"
    return "csv"


def read_table(data: bytes, file_format: str) -> Iterator[Sequence[Cell]]:
    """The file's rows as cells (header first); `Unreadable` when it cannot be read at all."""
    if file_format == "xlsx":
        return _xlsx_rows(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Unreadable(
            f"not UTF-8 text (byte {error.start}); save the file as CSV UTF-8"
        ) from None
    return iter(csv.reader(io.StringIO(text, newline="")))


def _xlsx_rows(data: bytes) -> Iterator[Sequence[Cell]]:
    try:
        # Sizes first: a small upload may expand to gigabytes of XML (a decompression bomb).
        check_workbook(data)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        counter, rows = RowCounter(), []
        for row in sheet.iter_rows(values_only=True):
            counter.add(len(row))
            rows.append(row)
        workbook.close()
    except WorkbookTooLarge as error:
        raise Unreadable(str(error)) from None
    except (zipfile.BadZipFile, KeyError, IndexError, ValueError, TypeError, OSError) as error:
        raise Unreadable(f"not a readable XLSX workbook ({type(error).__name__})") from None
    except Exception as error:  # openpyxl raises many kinds on damaged workbooks
        raise Unreadable(f"not a readable XLSX workbook ({type(error).__name__})") from None
    return iter(rows)


def parse_file(
    layout: Layout, variant: Variant, file_name: str, data: bytes, file_format: str | None = None
) -> ParsedFile:
    """Read and check the whole file against the layout in the variant."""
    parsed = ParsedFile(file_name)
    try:
        table = read_table(data, file_format or detect_format(file_name, data))
        header = next(table, None)
        if header is None:
            raise Unreadable("the file is empty; export it again with its header row")
        mapping = _map_header(layout, variant, parsed, header)
        if parsed.valid:
            _parse_rows(layout, variant, parsed, mapping, table, len(header))
    except Unreadable as error:
        parsed.problems.append(
            FileProblem(file_name, 0, WHOLE_FILE, "", str(error), "send a CSV or XLSX file")
        )
    except csv.Error as error:
        parsed.problems.append(
            FileProblem(file_name, 0, WHOLE_FILE, "", f"broken CSV: {error}", "fix the quoting")
        )
    return parsed


def _key(header: object) -> str:
    return " ".join(str(header or "").split()).casefold()


def _map_header(
    layout: Layout, variant: Variant, parsed: ParsedFile, header: Sequence[Cell]
) -> list[FileColumn | None]:
    columns = file_columns(layout, variant)
    expected = {_key(column.header): column for column in columns}
    aliases = {
        _key(alias.header): column
        for column in columns
        if column.column is not None
        for alias in column.column.aliases
        if _key(alias.header) not in expected
    }
    mapping: list[FileColumn | None] = []
    seen: set[str] = set()
    found_columns: list[FileColumn] = []
    for cell in header:
        key, shown = _key(cell), str(cell or "").strip()
        found = expected.get(key) or aliases.get(key)
        if key and (key in seen or (found is not None and found in found_columns)):
            _header_problem(parsed, shown, "the column appears twice", "keep one of them")
            found = None
        elif key and found is None:
            _header_problem(
                parsed,
                shown,
                f"not a column of {layout.id} in variant {variant.id}",
                _closest_hint(shown, [*(c.header for c in columns), *_alias_headers(columns)]),
            )
        seen.add(key)
        if found is not None:
            found_columns.append(found)
        mapping.append(found)
    for column in columns:
        if column.column is not None and column.column.required and column not in found_columns:
            _header_problem(parsed, column.header, "required column missing", "add this column")
    return mapping


def _alias_headers(columns: Sequence[FileColumn]) -> list[str]:
    return [a.header for c in columns if c.column is not None for a in c.column.aliases]


def _closest_hint(shown: str, known: list[str]) -> str:
    """What to do with an unknown header, naming the closest known one."""
    by_key = {_key(name): name for name in known}
    close = difflib.get_close_matches(_key(shown), list(by_key), n=1, cutoff=0.5)
    if close:
        return (
            f"the closest known column is {by_key[close[0]]!r}: rename it, or remove the "
            "column, or choose the plan's variant"
        )
    return "remove it, or choose the plan's variant"


def _header_problem(parsed: ParsedFile, column: str, problem: str, action: str) -> None:
    parsed.problems.append(FileProblem(parsed.file, 1, column, column, problem, action))


Plan = list[tuple[int, str, str, Convert]]


def _plan(mapping: Sequence[FileColumn | None], variant: Variant, layout: Layout) -> Plan:
    # Per column, once per file: cell index, column id, header, parser.
    return [
        (index, column.column.id, column.header, cell_parser(column.column, variant, layout.id))
        for index, column in enumerate(mapping)
        if column is not None and column.column is not None
    ]


def _parse_rows(
    layout: Layout,
    variant: Variant,
    parsed: ParsedFile,
    mapping: list[FileColumn | None],
    table: Iterator[Sequence[Cell]],
    width: int,
) -> None:
    missing = [
        column
        for column in file_columns(layout, variant)
        if column.column is not None and column not in mapping
    ]
    plan = _plan(mapping, variant, layout) + [
        (-1, *entry[1:]) for entry in _plan(missing, variant, layout)
    ]
    for number, cells in enumerate(table, start=2):
        if not any(cell is not None and str(cell).strip() != "" for cell in cells):
            continue
        if len(cells) > width and any(str(c or "").strip() for c in cells[width:]):
            parsed.problems.append(
                FileProblem(
                    parsed.file,
                    number,
                    WHOLE_FILE,
                    "",
                    "more cells than headers",
                    "remove the extra cells or add their header",
                )
            )
            continue
        parsed.rows.append((number, _parse_row(parsed, plan, cells, number)))


def _parse_row(
    parsed: ParsedFile, plan: Plan, cells: Sequence[Cell], number: int
) -> dict[str, Value]:
    row: dict[str, Value] = {}
    size = len(cells)
    for index, column_id, header, parse in plan:
        cell = cells[index] if 0 <= index < size else None
        try:
            row[column_id] = parse(cell)
        except CellProblem as problem:
            shown = "" if cell is None else str(cell)[:100]
            parsed.problems.append(
                FileProblem(parsed.file, number, header, shown, problem.problem, problem.action)
            )
    return row
