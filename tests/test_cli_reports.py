"""`calaim report quarterly` and `calaim report clr`: files written, mistakes explained."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from typer.testing import CliRunner

from calaim.cli import app

runner = CliRunner()
AT = ["--at", "2025-10-15T00:00:00Z"]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A migrated SQLite database (the default without DATABASE_URL) with one plan."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    added = runner.invoke(app, ["org", "add", "--name", "Valley Plan", "--kind", "plan",
                                "--plan-code", "VALLEY", "--county", "Fresno"])  # fmt: skip
    assert added.exit_code == 0, added.output
    return tmp_path


def test_both_reports_are_written(here: Path) -> None:
    out = here / "q.xlsx"
    done = runner.invoke(app, ["report", "quarterly", "--org", "valley", "--quarter", "2025Q3",
                               "--out", str(out), *AT])  # fmt: skip
    assert done.exit_code == 0, done.output
    about = load_workbook(out)["About"]
    assert (about["B2"].value, about["B3"].value) == ("VALLEY", "2025-07-01 to 2025-09-30")
    assert about["B4"].value == "2025-09-30"
    clr = here / "clr.csv"
    done = runner.invoke(app, ["report", "clr", "--org", "VALLEY", "--period",
                               "2025-07-01:2025-09-30", "--out", str(clr), *AT])  # fmt: skip
    assert done.exit_code == 0, done.output
    lines = list(csv.DictReader(clr.open()))
    assert {"section": "plan", "group": "VALLEY", "measure": "opened", "value": "0"} in lines
    assert (here / "clr.loops.csv").read_text().startswith("referral_id,")
    dhcs = here / "dhcs" / "clr.csv"
    dhcs.parent.mkdir()
    done = runner.invoke(app, ["report", "clr", "--org", "VALLEY", "--period", "2025Q3",
                               "--out", str(dhcs), "--for-dhcs", *AT])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert [p.name for p in dhcs.parent.iterdir()] == ["clr.csv"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["quarterly", "--org", "NOPE", "--quarter", "2025Q3", "--out", "q.xlsx"],
         "no single organization"),
        (["quarterly", "--org", "VALLEY", "--quarter", "2025Q5", "--out", "q.xlsx"],
         "not a quarter"),
        (["clr", "--org", "VALLEY", "--period", "2025-07-01", "--out", "c.csv"],
         "not a period"),
        (["clr", "--org", "VALLEY", "--period", "2025Q3", "--out", "c.pdf"], ".xlsx or .csv"),
    ],
)  # fmt: skip
def test_mistakes_are_explained_and_write_nothing(
    here: Path, arguments: list[str], message: str
) -> None:
    refused = runner.invoke(app, ["report", *arguments, *AT])
    assert refused.exit_code == 2
    assert message in refused.output
    assert not (here / arguments[-1]).exists()


def test_the_program_view_and_its_list_are_written(here: Path) -> None:
    out, listed = here / "program.csv", here / "reach.xlsx"
    done = runner.invoke(app, ["report", "program", "--org", "VALLEY", "--period", "2025Q3",
                               "--out", str(out), "--not-enrolled", str(listed), *AT])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "ECM by month, plan VALLEY" in done.output
    lines = list(csv.DictReader(out.open()))
    assert {"section": "By month", "group": "2025-09", "measure": "Eligible", "value": "0"} in lines
    assert load_workbook(listed)["About"]["B2"].value == "VALLEY"
    refused = runner.invoke(app, ["report", "program", "--org", "VALLEY", "--period", "2025Q3",
                                  "--out", "p.csv", "--county", "Atlantis", *AT])  # fmt: skip
    assert refused.exit_code == 2
    assert "not a California county" in refused.output
    assert not (here / "p.csv").exists()
