"""`calaim simulate payments`: the hand-computed case end to end, contract rates, bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from calaim.cli import app

runner = CliRunner()
HAND = [
    "simulate",
    "payments",
    "--months",
    "4",
    "--assigned",
    "10",
    "--reach-rate",
    "0.5",
    "--enroll-rate",
    "0.8",
    "--churn",
    "0.1",
    "--fee",
    "60",
    "--units",
    "2",
    "--pmpm",
    "400",
    "--pmpm-assigned",
    "150",
    "--outreach",
    "25",
    "--attempts",
    "2",
    "--case-rate",
    "1000",
    "--upfront",
    "5000",
    "--staff-cost",
    "6000",
    "--caseload",
    "50",
    "--overhead",
    "1000",
]


def test_the_hand_case_as_json_and_an_accessible_chart(tmp_path: Path) -> None:
    chart = tmp_path / "cash.svg"
    result = runner.invoke(app, [*HAND, "--format", "json", "--svg", str(chart)])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output[: result.output.rindex("}") + 1])
    models = {m["model"]: m for m in body["models"]}
    assert models["pmpm_enrolled"]["plan_cost"] == "4640.00"
    assert models["pmpm_enrolled"]["provider_net"] == "-4100.00"
    assert models["pmpm_enrolled"]["break_even_caseload"] == 4
    assert models["pmpm_assigned"]["break_even_caseload"] == 34
    assert [m["cumulative"] for m in models["upfront"]["months"]] == [
        "3400.00",
        "1500.00",
        "720.00",
        "900.00",
    ]
    svg = chart.read_text(encoding="utf-8")
    assert 'role="img"' in svg
    assert "<desc" in svg
    assert svg.count("<polyline") == 6


def test_contract_rates_need_their_date_and_bad_numbers_are_named() -> None:
    no_date = runner.invoke(app, ["simulate", "payments", "--plan", "LACARE"])
    assert no_date.exit_code == 2
    assert "--on" in no_date.output
    bad = runner.invoke(app, ["simulate", "payments", "--churn", "lots"])
    assert bad.exit_code == 2
    assert "--churn 'lots' is not a number" in bad.output
    high = runner.invoke(app, ["simulate", "payments", "--churn", "1.5"])
    assert "churn must be between 0 and 1" in high.output
    lacare = runner.invoke(app, ["simulate", "payments", "--plan", "LACARE", "--on", "2025-10-01"])
    assert lacare.exit_code == 0, lacare.output
