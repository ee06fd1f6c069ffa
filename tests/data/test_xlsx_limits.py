"""XLSX decompression bombs are refused from the archive's directory, before any parsing.

Before, a 178 KB upload whose sheet XML expanded to ~60 MB (1.2 million rows) took 67 s and
2.5 GB of memory before it was refused.
"""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from calaim.data.xlsx_limits import (
    MIB,
    RowCounter,
    WorkbookTooLarge,
    XlsxLimits,
    check_workbook,
    column_number,
)
from calaim.exchange.filespecs.reader import Unreadable, read_table

from .xlsx_builders import sheet_xml, workbook_with_sheet


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A small file whose sheet expands past 50 MB: 1.2 million rows."""
    return workbook_with_sheet(sheet_xml(1_200_000))


def test_the_bomb_is_small_but_expands_past_the_limit(bomb: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        expanded = sum(part.file_size for part in archive.infolist())
    assert len(bomb) < 2 * MIB < 50 * MIB < expanded


def test_the_bomb_is_refused_at_once_naming_the_limit(bomb: bytes) -> None:
    started = time.monotonic()
    with pytest.raises(Unreadable, match="over the limit of 50 MB"):
        list(read_table(bomb, "xlsx"))
    assert time.monotonic() - started < 5  # read the directory only, parsed nothing


def test_a_declared_size_over_the_row_limit_is_refused() -> None:
    small = workbook_with_sheet(sheet_xml(3, dimension="A1:A1200000"))
    with pytest.raises(WorkbookTooLarge, match="1200000 rows, over the limit of 100000"):
        check_workbook(small)


def test_too_many_columns_are_refused() -> None:
    wide = workbook_with_sheet(sheet_xml(2, dimension="A1:ZZ2"))
    with pytest.raises(WorkbookTooLarge, match="702 columns, over the limit of 256"):
        check_workbook(wide)


def test_a_lying_dimension_is_caught_while_reading() -> None:
    counter = RowCounter(XlsxLimits(max_rows=3))
    for _ in range(3):
        counter.add(1)
    with pytest.raises(WorkbookTooLarge, match="4 rows, over the limit of 3"):
        counter.add(1)


def test_at_the_limits_a_workbook_passes() -> None:
    limits = XlsxLimits(max_rows=5, max_columns=2)
    check_workbook(workbook_with_sheet(sheet_xml(5, dimension="A1:B5")), limits)
    with pytest.raises(WorkbookTooLarge):
        check_workbook(workbook_with_sheet(sheet_xml(6, dimension="A1:B6")), limits)


def test_an_ordinary_workbook_still_reads() -> None:
    rows = list(read_table(workbook_with_sheet(sheet_xml(3)), "xlsx"))
    assert rows == [("x",), ("x",), ("x",)]


def test_not_a_zip_is_left_to_the_reader() -> None:
    check_workbook(b"CIN,Last Name\n")


@pytest.mark.parametrize(("letters", "number"), [("A", 1), ("Z", 26), ("AA", 27), ("XFD", 16384)])
def test_column_letters(letters: str, number: int) -> None:
    assert column_number(letters) == number
