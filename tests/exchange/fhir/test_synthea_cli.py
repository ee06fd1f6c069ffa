"""`calaim exchange synthea`: a summary on success; exit 2, file and JSON path, nothing written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from calaim.cli import app

BUNDLES = Path(__file__).parent / "synthea" / "bundles"
runner = CliRunner()


def test_summary_then_identify(tmp_path: Path) -> None:
    out = tmp_path / "data"
    result = runner.invoke(app, ["exchange", "synthea", str(BUNDLES), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "patients" in result.output
    assert "skipped: Observation" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["eligibility.csv", "medical_claim.csv"]
    identify = runner.invoke(
        app,
        ["identify", "--data", str(out), "--as-of", "2025-06-01", "--out", str(tmp_path / "d.csv")],
    )
    assert identify.exit_code == 0, identify.output
    assert "2 enrolled members" in identify.output


def test_a_bad_bundle_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "bundles"
    shutil.copytree(BUNDLES, folder)
    bad = json.loads((BUNDLES / "rosa_alvarez.json").read_text())
    bad["entry"][1]["resource"]["beneficiary"]["reference"] = "urn:uuid:someone-else"
    (folder / "rosa_alvarez.json").write_text(json.dumps(bad))
    out = tmp_path / "data"
    result = runner.invoke(app, ["exchange", "synthea", str(folder), "--out", str(out)])
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "rosa_alvarez.json" in message
    assert "entry[1].resource.beneficiary.reference" in message
    assert "Traceback" not in result.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundles"]


def test_existing_output_and_bad_format_are_refused(tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "x.csv").write_text("a\n")
    result = runner.invoke(app, ["exchange", "synthea", str(BUNDLES), "--out", str(taken)])
    assert result.exit_code == 2
    assert "already exists" in result.output
    result = runner.invoke(
        app, ["exchange", "synthea", str(BUNDLES), "--out", str(tmp_path / "n"), "--format", "xls"]
    )
    assert result.exit_code == 2
    assert not (tmp_path / "n").exists()
    result = runner.invoke(
        app,
        ["exchange", "synthea", str(BUNDLES), "--out", str(tmp_path / "n"), "--county", "Narnia"],
    )
    assert result.exit_code == 2
    assert "--county 'Narnia'" in result.output
    assert not (tmp_path / "n").exists()
