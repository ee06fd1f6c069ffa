"""Canonical rows survive write -> read in every variant and format; bad cells are located."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from calaim.exchange.filespecs.adapters import get_variant, load_variants
from calaim.exchange.filespecs.layout import get_layout
from calaim.exchange.filespecs.reader import parse_file
from calaim.exchange.filespecs.values import Value
from calaim.exchange.filespecs.writer import write_rows

RTF_ROW: dict[str, Value] = {
    "mcp_id": "KAISER",
    "member_cin": "91234567A",
    "member_last_name": "Doe",
    "new_address": True,
    "homeless": False,
    "zip_code": "90012",
    "phone": "2135550100",
    "ecm_status": "enrolled",
    "acuity": "high",
    "enrollment_start": dt.date(2025, 2, 3),
    "in_person": 2,
    "production_date": dt.date(2025, 4, 1),
    "reporting_period": "2025-03",
    "provider_npi": "1234567893",
    "loop_closure_reason": "services_received",
}
INVOICE_ROW: dict[str, Value] = {"invoice_number": "INV-1", "units": Decimal("2.50")}


def _full(layout_id: str, row: dict[str, Value]) -> dict[str, Value]:
    return {column: row.get(column) for column in get_layout(layout_id).column_ids}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("variant", [None, *sorted(load_variants())])
def test_rtf_round_trips(variant: str | None, file_format: str) -> None:
    stream = io.BytesIO()
    assert write_rows("rtf", [RTF_ROW, RTF_ROW], stream, file_format, variant) == 2  # type: ignore[arg-type]
    parsed = parse_file(get_layout("rtf"), get_variant(variant), "f", stream.getvalue())
    assert parsed.problems == []
    assert [row for _, row in parsed.rows] == [_full("rtf", RTF_ROW)] * 2
    assert [number for number, _ in parsed.rows] == [2, 3]


def test_variants_change_the_file_text() -> None:
    texts = {}
    for variant in ["lacare", "healthnet", "kaiser"]:
        stream = io.BytesIO()
        write_rows("rtf", [RTF_ROW], stream, "csv", variant)
        texts[variant] = stream.getvalue().decode()
    assert texts["lacare"].startswith("CIN,Last Name,First Name,ECM Status")
    assert "02/03/2025" in texts["healthnet"]
    assert ",1,0," in texts["healthnet"]
    assert "KP Region" in texts["kaiser"]
    assert ",E," in texts["kaiser"]


def test_write_rows_to_a_path_and_refuses_unknown_keys(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "invoice.csv"
    assert write_rows("cs_invoice", [INVOICE_ROW], path, "csv") == 1
    assert "INV-1" in path.read_text()
    with pytest.raises(ValueError, match="not column ids"):
        write_rows("cs_invoice", [{"nope": 1}], path, "csv")
    assert "INV-1" in path.read_text(), "a failed write leaves the old file alone"


def test_bad_cells_are_located() -> None:
    data = (
        b"Member Client Index Number (CIN),Primary Payer (MCP) Identifier,ECM Provider NPI,"
        b"Date of Outreach Attempt,Outreach Attempt Method,Outreach Attempt Successful,"
        b"Time Spent Performing Outreach\n"
        b"A1,LACARE,123,2025-13-01,carrier pigeon,maybe,ten\n"
    )
    parsed = parse_file(get_layout("otf"), get_variant(None), "otf.csv", data)
    located = {(p.row, p.column): p.problem for p in parsed.problems}
    assert located == {
        (2, "ECM Provider NPI"): "not a 10-digit npi",
        (2, "Date of Outreach Attempt"): "not a date",
        (2, "Outreach Attempt Method"): "not a known code",
        (2, "Outreach Attempt Successful"): "not a yes/no flag",
        (2, "Time Spent Performing Outreach"): "not a whole number",
    }
    assert all(p.file == "otf.csv" and p.action for p in parsed.problems)


def test_header_problems_are_on_row_one() -> None:
    data = b"Member Client Index Number (CIN),Mystery,Mystery\nA1,x,y\n"
    parsed = parse_file(get_layout("otf"), get_variant(None), "otf.csv", data)
    problems = {(p.row, p.column, p.problem) for p in parsed.problems}
    assert (1, "Mystery", "not a column of otf in variant canonical") in problems
    assert (1, "Mystery", "the column appears twice") in problems
    assert (1, "Date of Outreach Attempt", "required column missing") in problems
    assert parsed.rows == []
