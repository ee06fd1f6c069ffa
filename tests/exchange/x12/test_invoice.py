"""The CS invoice: the billed CS lines in the shared `cs_invoice` layout (CSV and XLSX)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl  # type: ignore[import-untyped]
import pytest
from sqlalchemy.orm import Session

from calaim.exchange.x12.invoice import write_invoice
from calaim.ops.errors import Forbidden

from .helpers import SEPT, billed_world

DAY = dt.date(2025, 10, 2)


def test_csv_invoice_has_one_row_per_billed_line(session: Session) -> None:
    world, _ = billed_world(session, days=2)
    out = io.BytesIO()
    assert write_invoice(session, world.cs_staff, SEPT, DAY, out, "csv") == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert [row["HCPCS Code"] for row in rows] == ["T2033", "T2033"]
    assert rows[0]["Member CIN"] == world.member.cin
    assert Decimal(rows[0]["Billed Amount"]) == Decimal("200.00")
    assert rows[1]["Date of Service From"] == "2025-09-02"


def test_xlsx_invoice_and_only_cs_providers(session: Session) -> None:
    world, _ = billed_world(session, days=1)
    out = io.BytesIO()
    assert write_invoice(session, world.cs_staff, SEPT, DAY, out, "xlsx") == 1
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet.cell(1, 1).value == "Invoice Number"
    assert sheet.max_row == 2
    with pytest.raises(Forbidden):
        write_invoice(session, world.supervisor, SEPT, DAY, io.BytesIO(), "csv")
