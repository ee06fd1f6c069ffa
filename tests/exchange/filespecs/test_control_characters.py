"""File importers refuse control characters (NUL above all) exactly as the JSON API does.

Before, a NUL in a CSV or XLSX cell went through the importers, which the API refuses with 422.
"""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from calaim.exchange.filespecs.adapters import CANONICAL
from calaim.exchange.filespecs.layout import load_layouts
from calaim.exchange.filespecs.reader import parse_file
from calaim.ops.http.fields import bounded
from data.xlsx_builders import workbook_with_sheet

BAD = ["Smith\x00", "Sm\x00ith", "a\tb", "two\nlines", "del\x7f"]
GOOD = ["Smith", "  Smith  ", "Núñez-O'Brien"]


def _api_refuses(text: str) -> bool:
    from typing import Annotated

    class Field(BaseModel):
        value: Annotated[str, bounded(200)]

    try:
        Field(value=text)
    except ValidationError:
        return True
    return False


def _otf_csv(cin: str) -> bytes:
    layout = load_layouts()["otf"]
    headers = [column.header for column in layout.columns]
    row = ["" for _ in headers]
    row[0] = cin
    return (",".join(headers) + "\n" + ",".join(f'"{v}"' for v in row) + "\n").encode()


def _inline(text: str) -> bytes:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    return b'<c t="inlineStr"><is><t>' + escaped.encode() + b"</t></is></c>"


def _otf_xlsx(cin_xml: str) -> bytes:
    """An OTF workbook whose one row's first cell is `cin_xml`."""
    headers = b"".join(_inline(column.header) for column in load_layouts()["otf"].columns)
    rows = b"<row>" + headers + b"</row><row>" + _inline(cin_xml) + b"</row>"
    return workbook_with_sheet(
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + rows + b"</sheetData></worksheet>"
    )


@pytest.mark.parametrize("text", BAD + GOOD)
def test_the_api_and_the_csv_importer_agree(text: str) -> None:
    layout = load_layouts()["otf"]
    parsed = parse_file(layout, CANONICAL, "otf.csv", _otf_csv(text), "csv")
    header = layout.columns[0].header
    refused = [p for p in parsed.problems if p.row == 2 and p.column == header]
    assert bool(refused) == _api_refuses(text) == (text in BAD)
    if refused:
        assert "control character" in refused[0].action
        assert refused[0].file == "otf.csv"


def test_an_xlsx_cell_with_a_control_character_is_located() -> None:
    # XML cannot carry a NUL; a tab inside a value is the control character XLSX can hold.
    layout = load_layouts()["otf"]
    parsed = parse_file(layout, CANONICAL, "otf.xlsx", _otf_xlsx("LA\tCARE"), "xlsx")
    header = layout.columns[0].header
    located = [(p.file, p.row, p.column, p.problem) for p in parsed.problems if p.row == 2]
    assert ("otf.xlsx", 2, header, "holds a tab (0x09)") in located
