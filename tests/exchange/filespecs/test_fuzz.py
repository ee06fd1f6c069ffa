"""Arbitrary bytes, cells and requests: never a crash, always a located problem, no writes."""

from __future__ import annotations

import csv
import io
import string

import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.exchange.filespecs.adapters import get_variant
from calaim.exchange.filespecs.errors import FileProblem, FileRejected
from calaim.exchange.filespecs.layout import get_layout
from calaim.exchange.filespecs.reader import parse_file
from calaim.exchange.filespecs.service import ingest_file
from calaim.exchange.filespecs.writer import header_row
from calaim.ops.models import AuditEvent, Enrollment, OutreachAttempt, User
from calaim.ops.models.exchange_file import ExchangeFile
from ops.http.conftest import AuthHeaders, Tenants
from ops.http.fuzzing import operations_under, server_errors

from .world import RECEIVED_AT, build

FAST = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
TEXT = st.text(alphabet=string.printable + "éñ\x00", max_size=12)
CELLS = st.one_of(
    st.none(),
    TEXT,
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.booleans(),
    st.dates(),
)


def _csv(rows: list[list[str]]) -> bytes:
    stream = io.StringIO()
    csv.writer(stream).writerows(rows)
    return stream.getvalue().encode("utf-8")


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("x")
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


@FAST
@given(data=st.binary(max_size=400), name=st.sampled_from(["f.csv", "f.xlsx"]))
def test_any_bytes_give_rows_or_located_problems(data: bytes, name: str) -> None:
    parsed = parse_file(get_layout("rtf"), get_variant(None), name, data)
    assert parsed.problems or parsed.rows == []
    for problem in parsed.problems:
        assert problem.file == name
        assert problem.row >= 0
        assert problem.column
        assert problem.problem
        assert problem.action


@FAST
@given(rows=st.lists(st.lists(TEXT, min_size=1, max_size=14), max_size=6))
def test_any_csv_cells_under_the_real_header(rows: list[list[str]]) -> None:
    header = header_row(get_layout("otf"), get_variant(None))
    parsed = parse_file(get_layout("otf"), get_variant(None), "o.csv", _csv([header, *rows]))
    assert all(p.row >= 1 and p.column for p in parsed.problems)
    data_rows = [r for r in rows if any(c.strip() for c in r)]
    assert len(parsed.rows) <= len(data_rows)


@FAST
@given(rows=st.lists(st.lists(CELLS, min_size=1, max_size=14), max_size=5))
def test_any_xlsx_cells_under_the_real_header(rows: list[list[object]]) -> None:
    header = header_row(get_layout("otf"), get_variant("kaiser"))
    parsed = parse_file(get_layout("otf"), get_variant("kaiser"), "o.xlsx", _xlsx([header, *rows]))
    assert all(p.row >= 1 and p.column for p in parsed.problems)


def _ingest_problems(session: Session, actor: User, layout: str, data: bytes) -> list[FileProblem]:
    try:
        ingest_file(session, actor, layout, "g.csv", data, now=RECEIVED_AT)
    except FileRejected as rejected:
        return rejected.problems
    return []


@pytest.mark.parametrize("layout", ["rtf", "otf", "cs_invoice"])
def test_ingesting_garbage_writes_nothing(session: Session, layout: str) -> None:
    world = build(session)
    tables = (ExchangeFile, OutreachAttempt, AuditEvent)
    before = [session.scalar(select(func.count()).select_from(t)) for t in tables]
    statuses = [e.status for e in session.scalars(select(Enrollment))]
    header = header_row(get_layout(layout), get_variant(None))

    @settings(
        max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(
        rows=st.lists(
            st.lists(TEXT, min_size=len(header), max_size=len(header)), min_size=1, max_size=4
        )
    )
    def run(rows: list[list[str]]) -> None:
        problems = _ingest_problems(session, world.plan_user, layout, _csv([header, *rows]))
        assert problems, "garbage is never valid"
        assert all(p.file == "g.csv" and p.row >= 0 and p.column for p in problems)

    run()
    assert [session.scalar(select(func.count()).select_from(t)) for t in tables] == before
    assert [e.status for e in session.scalars(select(Enrollment))] == statuses


def test_generated_requests_never_get_a_server_error(
    app: FastAPI, tenants: Tenants, auth: AuthHeaders
) -> None:
    operations = operations_under(app, "/exchange/files")
    assert len(operations) == 4
    people = st.sampled_from([auth(tenants.plan_admin), auth(tenants.hospital)])
    assert server_errors(operations, people, 25) == []
