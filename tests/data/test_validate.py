"""Invalid input folders: every problem is reported with its file, row and column."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from calaim.data.errors import ContractError, Problem
from calaim.data.reader import open_inputs

from .helpers import ELIGIBILITY, problems, to_parquet, write

HEADER = "person_id,birth_date,enrollment_start_date,enrollment_end_date,payer,county"
GOOD = "p1,1980-01-31,2024-01-01,,LACARE,Alameda"


def eligibility(folder: Path, *lines: str, header: str = HEADER) -> Path:
    """Write eligibility.csv with one good row first, then `lines`."""
    return write(folder, "eligibility.csv", "\n".join([header, GOOD, *lines]))


def only(found: list[Problem]) -> Problem:
    assert len(found) == 1, [p.render() for p in found]
    return found[0]


def test_missing_folder(tmp_path: Path) -> None:
    problem = only(problems(tmp_path / "nowhere"))
    assert problem.file == str(tmp_path / "nowhere")
    assert "does not exist" in problem.message


def test_file_instead_of_folder(tmp_path: Path) -> None:
    path = write(tmp_path, "eligibility.csv", ELIGIBILITY)
    assert "not a folder" in only(problems(path)).message


def test_required_table_missing(tmp_path: Path) -> None:
    write(tmp_path, "pregnancy.csv", "person_id,start_date\np1,2024-01-01")
    problem = only(problems(tmp_path))
    assert "eligibility" in problem.message
    assert "eligibility.csv" in problem.hint


def test_csv_and_parquet_of_one_table_is_ambiguous(tmp_path: Path) -> None:
    csv_path = write(tmp_path, "eligibility.csv", ELIGIBILITY)
    to_parquet(csv_path, tmp_path / "eligibility.parquet")
    problem = only(problems(tmp_path))
    assert "eligibility.csv and eligibility.parquet" in problem.message


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty"),
        (b"\n\n", "header row is empty"),
        (b"not a parquet file", "cannot be read as Parquet"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, fragment: str) -> None:
    write(tmp_path, "eligibility.csv", ELIGIBILITY)
    name = "pregnancy.parquet" if b"parquet" in content else "pregnancy.csv"
    (tmp_path / name).write_bytes(content)
    problem = only(problems(tmp_path))
    assert (problem.file, problem.row) == (name, None)
    assert fragment in problem.message


def test_not_utf8_names_row_and_column(tmp_path: Path) -> None:
    path = eligibility(tmp_path, "p2,1980-01-31,2024-01-01,,LACARE,Alameda")
    path.write_bytes(path.read_bytes().replace(b"p2,", b"p\xe9,"))
    problem = only(problems(tmp_path))
    assert (problem.row, problem.column) == (2, "person_id")
    assert "UTF-8" in problem.hint


def test_wrong_number_of_fields(tmp_path: Path) -> None:
    eligibility(tmp_path, "p2,1980-01-31,2024-01-01", "p3,1980-01-31,2024-01-01,,LACARE,Alameda,x")
    found = problems(tmp_path)
    assert [(p.row, p.column) for p in found] == [(2, None), (3, None)]
    assert "Expected Number of Columns" in found[0].message


def test_missing_required_column_lists_found_columns(tmp_path: Path) -> None:
    write(tmp_path, "eligibility.csv", "person_id,birth_date,payer,county\np1,1980-01-31,X,Alameda")
    problem = only(problems(tmp_path))
    assert (problem.file, problem.row, problem.column) == (
        "eligibility.csv",
        None,
        "enrollment_start_date",
    )
    assert "found: person_id, birth_date, payer, county" in problem.message


def test_semicolon_file_gets_a_separator_hint(tmp_path: Path) -> None:
    write(tmp_path, "eligibility.csv", HEADER.replace(",", ";"))
    found = problems(tmp_path)
    assert len(found) == 4  # every required column (county is derived, not required)
    assert "separator" in found[0].hint


def test_duplicated_column(tmp_path: Path) -> None:
    write(tmp_path, "eligibility.csv", f"{HEADER},Payer\n{GOOD},LACARE")
    problem = only(problems(tmp_path))
    assert problem.column == "payer"
    assert "2 times" in problem.message


@pytest.mark.parametrize(
    ("line", "column", "fragment"),
    [
        (",1980-01-31,2024-01-01,,LACARE,Alameda", "person_id", "empty"),
        ('"  ",1980-01-31,2024-01-01,,LACARE,Alameda', "person_id", "empty"),
        ("p2,1990-13-01,2024-01-01,,LACARE,Alameda", "birth_date", "'1990-13-01' is not a real"),
        ("p2,2023-02-30,2024-01-01,,LACARE,Alameda", "birth_date", "'2023-02-30' is not a real"),
        ("p2,01/31/1980,2024-01-01,,LACARE,Alameda", "birth_date", "form YYYY-MM-DD"),
        ("p2,1980-01-31,2024-01-01,2023-12-31,LACARE,Alameda", "enrollment_end_date", "before"),
        ("p2,1980-01-31,2024-01-01,,LACARE,Springfield", "county", "'Springfield' is not a Cal"),
        ("p2,1980-01-31,2024-01-01,,LACARE,59", "county", "'59' is not a California county"),
    ],
)
def test_bad_eligibility_value(tmp_path: Path, line: str, column: str, fragment: str) -> None:
    eligibility(tmp_path, line)
    problem = only(problems(tmp_path))
    assert (problem.file, problem.row, problem.column) == ("eligibility.csv", 2, column)
    assert fragment in problem.message


@pytest.mark.parametrize(
    ("line", "column", "fragment"),
    [
        ("c1,1.5,professional,p1,2024-01-01,", "claim_line_number", "'1.5' is not a whole number"),
        ("c1,1,dental,p1,2024-01-01,", "claim_type", "'dental' is not an allowed claim_type"),
        ("c1,1,professional,p1,2024-01-01,$12", "paid_amount", "'$12' is not a number"),
    ],
)
def test_bad_claim_value(tmp_path: Path, line: str, column: str, fragment: str) -> None:
    write(tmp_path, "eligibility.csv", ELIGIBILITY)
    header = "claim_id,claim_line_number,claim_type,person_id,claim_start_date,paid_amount"
    write(tmp_path, "medical_claim.csv", f"{header}\n{line}")
    problem = only(problems(tmp_path))
    assert (problem.file, problem.row, problem.column) == ("medical_claim.csv", 1, column)
    assert fragment in problem.message


def test_vocabulary_hint_lists_allowed_values(tmp_path: Path) -> None:
    write(tmp_path, "eligibility.csv", ELIGIBILITY)
    write(
        tmp_path, "incarceration.csv", "person_id,facility_type,admission_date\np1,camp,2024-01-01"
    )
    assert "jail, prison, youth_facility" in only(problems(tmp_path)).hint


def test_member_fact_value_must_fit_its_fact(tmp_path: Path) -> None:
    write(tmp_path, "eligibility.csv", ELIGIBILITY)
    write(
        tmp_path,
        "member_fact.csv",
        """
        person_id,observed_date,fact,value
        p1,2024-01-01,lives_alone,maybe
        p1,2024-01-01,adl_deficits,2
        p1,2024-01-01,adl_deficits,two
        p1,2024-01-01,wellbeing,high
        """,
    )
    found = problems(tmp_path)
    assert [(p.row, p.column) for p in found] == [(4, "fact"), (3, "value"), (1, "value")]
    assert "'two' is not a valid value for fact adl_deficits" in found[1].message
    assert "true or false" in found[2].message


def test_several_problems_in_one_file_are_all_reported(tmp_path: Path) -> None:
    eligibility(
        tmp_path,
        "p2,1980-01-31,2024-01-01,,LACARE,Nowhere",
        "p3,,2024-01-01,,LACARE,Alameda",
        "p4,1980-01-31,2024-99-01,,,Alameda",
    )
    found = {(p.row, p.column) for p in problems(tmp_path)}
    assert found == {
        (2, "county"),
        (3, "birth_date"),
        (4, "enrollment_start_date"),
        (4, "payer"),
    }


def test_problems_in_several_files_are_all_reported(tmp_path: Path) -> None:
    eligibility(tmp_path, "p2,1980-01-31,2024-01-01,,LACARE,Nowhere")
    write(tmp_path, "pregnancy.csv", "person_id,start_date,end_date\np1,2024-05-01,2024-01-01")
    (tmp_path / "facility_stay.csv").write_bytes(b"")
    files = [p.file for p in problems(tmp_path)]
    assert files == ["eligibility.csv", "pregnancy.csv", "facility_stay.csv"]


def test_report_is_capped_per_column_and_kind(tmp_path: Path) -> None:
    eligibility(tmp_path, *[f"p{i},1980-01-31,2024-01-01,,LACARE,Nowhere" for i in range(25)])
    found = problems(tmp_path)
    assert [p.row for p in found[:20]] == list(range(2, 22))
    summary = found[20]
    assert (summary.row, summary.column, summary.count) == (None, "county", 5)
    assert "5 more rows" in summary.message
    assert len(found) == 21


def test_parquet_type_problems_use_file_row_numbers(tmp_path: Path) -> None:
    path = eligibility(
        tmp_path / "csv",
        "p2,1980-01-31,2024-01-01,,LACARE,Alameda",
        "p3,1980-02-31,2024-01-01,,LACARE,Alameda",
    )
    to_parquet(path, tmp_path / "pq" / "eligibility.parquet")
    problem = only(problems(tmp_path / "pq"))
    assert (problem.file, problem.row, problem.column) == ("eligibility.parquet", 3, "birth_date")


def test_parquet_with_wrongly_typed_column(tmp_path: Path) -> None:
    write(tmp_path, "eligibility.csv", ELIGIBILITY)
    duckdb.connect().execute(
        "COPY (SELECT 'p1' AS person_id, 20240101 AS start_date UNION ALL "
        "SELECT 'p2', 2.5) "
        f"TO '{tmp_path / 'pregnancy.parquet'}' (FORMAT parquet)"
    )
    found = problems(tmp_path)
    assert [(p.row, p.column) for p in found] == [(1, "start_date"), (2, "start_date")]
    assert "'20240101.0' is not a date" in found[0].message


def test_nothing_is_registered_on_error(tmp_path: Path) -> None:
    eligibility(tmp_path, "p2,1980-01-31,2024-01-01,,LACARE,Nowhere")
    con = duckdb.connect()
    with pytest.raises(ContractError):
        open_inputs(tmp_path, con)
    assert con.execute("SELECT table_name FROM information_schema.tables").fetchall() == []


def test_report_gives_each_fix_once_per_run_of_problems(tmp_path: Path) -> None:
    eligibility(tmp_path, "p2,1980-01-31,2024-01-01,,LACARE,Nowhere", "p3,,2024-01-01,,X,Mars")
    with pytest.raises(ContractError) as caught:
        open_inputs(tmp_path, duckdb.connect())
    report = caught.value.render()
    assert "3 problems in 1 file" in report
    assert "  row 2, column county: 'Nowhere' is not a California county\n" in report
    assert report.count("Fix: Use a California county name") == 1


def test_render_names_file_row_column_and_fix(tmp_path: Path) -> None:
    eligibility(tmp_path, "p2,1990-13-01,2024-01-01,,LACARE,Alameda")
    with pytest.raises(ContractError) as caught:
        open_inputs(tmp_path, duckdb.connect())
    line = caught.value.problems[0].render()
    assert line.startswith("eligibility.csv, row 2, column birth_date: '1990-13-01' is not")
    assert "Fix: Use ISO dates like 2024-03-31" in line
    report = caught.value.render()
    assert "1 problem in 1 file" in report
    assert "eligibility.csv: 1 problem" in report
