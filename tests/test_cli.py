"""The command line: success paths, and user errors that never show a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calaim.cli import app
from case_runner import expand_claim, write_csv

POLICY = Path(__file__).parent / "engine" / "fixtures" / "policy"
runner = CliRunner()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    write_csv(
        folder / "eligibility.csv",
        [
            {
                "person_id": "A",
                "birth_date": "1970-02-03",
                "enrollment_start_date": "2022-01-01",
                "payer": "TESTPLAN",
                "county": "19",
            },
        ],
    )
    claims = [expand_claim({"ed": day}) for day in ("2024-04-01", "2024-05-01")]
    for n, claim in enumerate(claims):
        claim.update({"person_id": "A", "claim_id": f"C{n}", "claim_line_number": 1})
    write_csv(folder / "medical_claim.csv", claims)
    return folder


def invoke(*args: str):
    return runner.invoke(app, [*args, "--policy", str(POLICY)])


def test_identify_writes_outputs_and_prints_a_summary(data, tmp_path):
    out = tmp_path / "out" / "d.csv"
    result = invoke("identify", "--data", str(data), "--as-of", "2024-06-01", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.exists()
    assert (tmp_path / "out" / "d.evidence.csv").exists()
    assert "Eligible members as of 2024-06-01" in result.output
    assert "Los Angeles" in result.output


def test_identify_bad_input_names_file_row_column_and_writes_nothing(data, tmp_path):
    (data / "eligibility.csv").write_text(
        "person_id,birth_date,enrollment_start_date,payer,county\nA,1970-02-30,2022-01-01,X,19\n"
    )
    out = tmp_path / "out" / "d.csv"
    result = invoke("identify", "--data", str(data), "--as-of", "2024-06-01", "--out", str(out))
    assert result.exit_code == 2
    assert "eligibility.csv" in result.output
    assert "birth_date" in result.output
    assert "row 1" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--as-of", "2024-02-30"), "is not a date"),
        (("--as-of", "2024-06-01", "--out", "x.xlsx"), ".csv or .parquet"),
        (("--as-of", "2024-06-01", "--engine", "bigquery"), "use duckdb or spark"),
    ],
)
def test_identify_user_errors(data, tmp_path, args, message):
    full = ["identify", "--data", str(data), "--out", str(tmp_path / "d.csv"), *args]
    result = invoke(*full)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_data_folder_is_a_clear_error(tmp_path):
    result = invoke(
        "identify",
        "--data",
        str(tmp_path / "nope"),
        "--as-of",
        "2024-06-01",
        "--out",
        str(tmp_path / "d.csv"),
    )
    assert result.exit_code == 2
    assert "nope" in result.output
    assert "Traceback" not in result.output


def test_explain_text_and_json(data):
    text = invoke(
        "explain",
        "--data",
        str(data),
        "--as-of",
        "2024-06-01",
        "--person",
        "A",
        "--program",
        "ecm.test_pof",
    )
    assert text.exit_code == 0, text.output
    assert "ELIGIBLE" in text.output
    assert "ED visit, claim C0" in text.output
    raw = invoke(
        "explain", "--data", str(data), "--as-of", "2024-06-01", "--person", "A", "--format", "json"
    )
    document = json.loads(raw.output)
    assert {p["program_id"]: p["status"] for p in document["programs"]}["ecm"] == "eligible"


def test_explain_unknown_program(data):
    result = invoke(
        "explain",
        "--data",
        str(data),
        "--as-of",
        "2024-06-01",
        "--person",
        "A",
        "--program",
        "cs.nope",
    )
    assert result.exit_code == 2
    assert "unknown program 'cs.nope'" in result.output


def test_policy_check_reports_the_broken_file(tmp_path):
    broken = tmp_path / "policy"
    shutil.copytree(POLICY, broken)
    (broken / "rules" / "test_pof.yaml").write_text("id: ecm.test_pof\nlabel: x\n")
    result = runner.invoke(app, ["policy", "check", "--policy", str(broken)])
    assert result.exit_code == 2
    assert "test_pof.yaml" in result.output
    assert "'reference' is required" in result.output


def test_policy_programs_lists_versions(tmp_path):
    result = invoke("policy", "programs", "--as-of", "2023-06-01")
    assert result.exit_code == 0, result.output
    assert "not in effect" in result.output  # cs.test_support starts 2024-01-01


def test_explain_can_withhold_part2_for_someone_without_consent(data):
    raw = invoke(
        "explain", "--data", str(data), "--as-of", "2024-06-01", "--person", "A",
        "--format", "json", "--withhold-part2",
    )  # fmt: skip
    assert raw.exit_code == 0, raw.output
    statuses = {p["program_id"]: p["status"] for p in json.loads(raw.output)["programs"]}
    # ECM rests on a visible Population of Focus here, so it is shown; no Part 2 program is.
    assert statuses["ecm"] == "eligible"
    assert "ecm.smh_sud" not in statuses
