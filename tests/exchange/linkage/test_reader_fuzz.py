"""Fuzzing the roster reader (hypothesis): arbitrary bytes, headers and cells in CSV, Parquet and
XLSX never crash it; a file it refuses gets located problems (file, and row and column where
a cell is at fault); a refused reconciliation writes nothing to the database."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook  # type: ignore[import-untyped]
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.exchange.linkage.checks import check_and_normalize
from calaim.exchange.linkage.errors import RosterInvalid
from calaim.exchange.linkage.reader import read_roster
from calaim.exchange.linkage.service import RosterUpload, reconcile
from calaim.ops.models import AuditEvent, LinkedPerson, Member, RosterKind, RosterReport
from exchange.linkage.world import AS_OF, build

FAST = settings(max_examples=40, deadline=None, database=None)
HEADERS = ["CIN", "First Name", "Last Name", "DOB", "Sex", "ZIP", "Phone", "Address"]
# Cells: anything text can hold (controls, quotes, separators, newlines, accents, emoji).
CELLS = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.sampled_from(["1990-02-30", "02/03/1990", "19900101", "", " ", '"', "9" * 15, "M"]),
)
SOME_HEADERS = st.one_of(
    st.lists(st.text(max_size=12), min_size=1, max_size=6),
    st.lists(st.sampled_from([*HEADERS, "dob", "", '"', "x"]), min_size=1, max_size=10),
)


def _read(path: Path, name: str) -> int | RosterInvalid:
    """Read and check one file: its row count, or the (located) refusal."""
    con = duckdb.connect()
    try:
        headers = read_roster(con, path, name)
        return check_and_normalize(con, name, headers, AS_OF)
    except RosterInvalid as error:
        return error
    finally:
        con.close()


def _assert_located(result: int | RosterInvalid, name: str, rows: int | None = None) -> None:
    """A refusal names the file in every problem, with rows within the file."""
    if isinstance(result, int):
        return
    assert result.problems, "a refusal lists at least one problem"
    assert result.total >= len(result.problems)
    for problem in result.problems:
        assert problem.file == name
        assert problem.message
        assert name in str(result)
        if problem.row is not None and rows is not None:
            assert 1 <= problem.row <= rows + 1
        if problem.row is not None and problem.row > 1:
            assert problem.column, "a cell's problem names its column"
    assert result.details["problems"][0]["file"] == name


def _write(folder: str, name: str, data: bytes) -> Path:
    path = Path(folder) / name
    path.write_bytes(data)
    return path


def _csv_bytes(headers: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows([["" if c is None else c for c in row] for row in rows])
    return out.getvalue().encode("utf-8", errors="surrogatepass")


@FAST
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".parquet", ".xlsx", ".txt"]))
def test_arbitrary_bytes_never_crash(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        name = f"roster{suffix}"
        _assert_located(_read(_write(folder, name, data), name), name)


@FAST
@given(
    headers=SOME_HEADERS,
    rows=st.lists(st.lists(CELLS, max_size=10), max_size=8),
)
def test_arbitrary_csv_headers_and_cells_give_located_errors(
    headers: list[str], rows: list[list[Any]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = _csv_bytes(headers, rows)
        result = _read(_write(folder, "r.csv", data), "r.csv")
        _assert_located(result, "r.csv")


@FAST
@given(rows=st.lists(st.lists(CELLS, min_size=len(HEADERS), max_size=len(HEADERS)), max_size=8))
def test_bad_cells_under_good_headers_are_named_by_row_and_column(
    rows: list[list[Any]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        result = _read(_write(folder, "r.csv", _csv_bytes(HEADERS, rows)), "r.csv")
    if isinstance(result, int):
        return
    # Embedded newlines make CSV records span lines, so only the header row bound is exact.
    for problem in result.problems:
        if problem.row is not None and problem.row > 1:
            assert problem.column in HEADERS
            assert problem.row <= len(rows) + 1


PARQUET_CELLS = st.one_of(
    st.lists(st.one_of(st.none(), st.text(max_size=20)), min_size=0, max_size=6),
    st.lists(st.one_of(st.none(), st.integers(-(10**12), 10**12)), min_size=0, max_size=6),
    st.lists(st.one_of(st.none(), st.floats(allow_nan=True)), min_size=0, max_size=6),
    st.lists(st.one_of(st.none(), st.dates()), min_size=0, max_size=6),
    st.lists(st.one_of(st.none(), st.binary(max_size=10)), min_size=0, max_size=6),
)


@FAST
@given(
    columns=st.lists(
        st.tuples(st.one_of(st.sampled_from(HEADERS), st.text(max_size=8)), PARQUET_CELLS),
        min_size=1,
        max_size=6,
    ),
    cut=st.one_of(st.none(), st.integers(0, 2000)),
)
def test_parquet_of_any_types_names_and_truncation(
    columns: list[tuple[str, list[Any]]], cut: int | None
) -> None:
    length = min(len(values) for _, values in columns)
    names = [f"{name}" if name else f"c{i}" for i, (name, _) in enumerate(columns)]
    if len(set(names)) < len(names):
        names = [f"{name}_{i}" for i, name in enumerate(names)]
    table = pa.table({n: values[:length] for n, (_, values) in zip(names, columns, strict=True)})
    sink = io.BytesIO()
    pq.write_table(table, sink)
    data = sink.getvalue() if cut is None else sink.getvalue()[:cut]
    with tempfile.TemporaryDirectory() as folder:
        result = _read(_write(folder, "r.parquet", data), "r.parquet")
    _assert_located(result, "r.parquet", length)


# What a worksheet can hold (openpyxl refuses control characters).
XLSX_TEXT = st.text(alphabet=st.characters(blacklist_categories=["Cc", "Cs"]), max_size=20)
XLSX_CELLS = st.one_of(
    st.none(),
    XLSX_TEXT,
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.booleans(),
)


@settings(max_examples=25, deadline=None, database=None)
@given(
    headers=st.lists(st.one_of(st.none(), st.sampled_from(HEADERS), XLSX_TEXT), max_size=6),
    rows=st.lists(st.lists(XLSX_CELLS, max_size=8), max_size=6),
)
def test_xlsx_of_any_cells_gives_located_errors(
    headers: list[str | None], rows: list[list[Any]]
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    for line in [headers, *rows]:
        sheet.append(line)
    sink = io.BytesIO()
    workbook.save(sink)
    with tempfile.TemporaryDirectory() as folder:
        result = _read(_write(folder, "r.xlsx", sink.getvalue()), "r.xlsx")
    _assert_located(result, "r.xlsx", len(rows))


def _counts(session: Session) -> tuple[int, ...]:
    tables = (RosterReport, LinkedPerson, Member)
    return tuple(int(session.scalar(select(func.count()).select_from(t)) or 0) for t in tables)


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_a_refused_file_writes_nothing(session: Session, tmp_path: Path, suffix: str) -> None:
    world = build(session, count=3)

    @settings(
        max_examples=15,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        data=st.one_of(
            st.binary(max_size=200),
            st.builds(_csv_bytes, st.just(HEADERS[:4]), st.lists(st.lists(CELLS), max_size=4)),
        )
    )
    def run(data: bytes) -> None:
        path = tmp_path / f"fuzz{suffix}"
        path.write_bytes(data)
        before = _counts(session)
        audits = session.scalar(select(func.count()).select_from(AuditEvent))
        upload = RosterUpload(path, path.name, RosterKind.MEMBER_FILE, AS_OF)
        try:
            reconcile(session, world.plan_user, upload)
        except RosterInvalid as error:
            _assert_located(error, path.name)
            assert _counts(session) == before
            assert session.scalar(select(func.count()).select_from(AuditEvent)) == audits
            return
        assert _counts(session)[0] == before[0] + 1  # accepted: exactly one report stored

    run()
