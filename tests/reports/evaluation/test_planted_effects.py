"""The evaluation recovers effects planted in a synthetic population, and finds none where none was.

One small population (10,000 members, 3 years) with two services taken up by ~12% of adults:
recuperative care halves inpatient admissions for everyone and cuts ED visits by 40% for
Spanish-speaking members; medically tailored meals change nothing. Removing a share r of the
events leaves 1 - r of the counterfactual, so the true effect on the cohort is -r/(1-r) times
the cohort's observed post-start rate.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from calaim.cli import app
from calaim.data.synth.generator import generate
from calaim.data.synth.planted import PlantedEffect, Scenario
from calaim.engine.loading.policy import Policy
from calaim.reports.evaluation.did import Estimate
from calaim.reports.evaluation.report import write_report
from calaim.reports.evaluation.run import Evaluation, evaluate
from calaim.reports.evaluation.spec import EvaluationSpec
from calaim.reports.suppression import SUPPRESSED

runner = CliRunner()
IP_CUT, ED_CUT = 0.5, 0.4
SCENARIO = Scenario(
    uptake={"recuperative_care": 0.12, "medically_tailored_meals": 0.12},
    effects=(
        PlantedEffect("recuperative_care", "inpatient", IP_CUT),
        PlantedEffect("recuperative_care", "ed", ED_CUT, groups={"language": ("es",)}),
    ),
)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("planted")
    generate(out, members=10_000, seed=1, years=3, scenario=SCENARIO)
    return out


def _run(data: Path, program: str) -> Evaluation:
    spec = EvaluationSpec(
        program, dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2025, 12, 31), pool_ratio=5
    )
    return evaluate(data, spec, Policy.load())


@pytest.fixture(scope="module")
def recuperative(data: Path) -> Evaluation:
    return _run(data, "cs.recuperative_care")


@pytest.fixture(scope="module")
def meals(data: Path) -> Evaluation:
    return _run(data, "cs.medically_tailored_meals")


def _estimate(evaluation: Evaluation, outcome: str) -> Estimate:
    return next(e for e in evaluation.estimates if e.outcome == outcome)


def _truth(estimate: Estimate, cut: float) -> float:
    return -cut / (1 - cut) * estimate.treated_post


def test_planted_inpatient_effect_is_inside_the_interval_and_the_interval_excludes_zero(
    recuperative: Evaluation,
) -> None:
    ip = _estimate(recuperative, "ip_admits")
    assert ip.ci_low <= _truth(ip, IP_CUT) <= ip.ci_high
    assert ip.ci_high < 0


def test_a_service_with_no_effect_shows_none(meals: Evaluation) -> None:
    for outcome in ("ip_admits", "ed_visits"):
        estimate = _estimate(meals, outcome)
        assert estimate.ci_low <= 0 <= estimate.ci_high, outcome


def test_the_group_effect_shows_in_its_stratum_only(recuperative: Evaluation) -> None:
    language = {s.value: s for s in recuperative.strata if s.dimension == "language"}
    spanish = next(e for e in language["es"].estimates if e.outcome == "ed_visits")
    assert spanish.ci_low <= _truth(spanish, ED_CUT) <= spanish.ci_high
    english = next(e for e in language["en"].estimates if e.outcome == "ed_visits")
    assert english.ci_low <= 0 <= english.ci_high


def test_matching_balances_the_covariates(recuperative: Evaluation) -> None:
    balance = recuperative.balance.set_index("covariate")
    assert balance.loc["age", "smd_before"] > 0.25  # uptake favours older members
    assert balance["smd_after"].abs().max() < 0.1
    assert recuperative.unmatched < recuperative.cohort * 0.05


def test_no_pre_trend_and_the_effect_starts_at_the_start(recuperative: Evaluation) -> None:
    ip = next(e for e in recuperative.events if e.outcome == "ip_admits")
    assert ip.pretrend_p > 0.05
    table = ip.table.set_index("rel")
    assert table.loc[-1, "estimate"] == 0
    assert (
        table.loc[list(range(-12, -1)), "estimate"].mean()
        > table.loc[list(range(0, 12)), "estimate"].mean()
    )


def test_small_strata_are_suppressed_with_their_estimates(recuperative: Evaluation) -> None:
    hidden = [s for s in recuperative.strata if s.suppressed]
    assert hidden, "a 10,000-member population has strata under 11"
    assert all(s.treated_members == SUPPRESSED and not s.estimates for s in hidden)
    shown = [s for s in recuperative.strata if not s.suppressed]
    assert all(isinstance(s.treated_members, int) and s.treated_members >= 11 for s in shown)


def test_cost_ratio_is_money(recuperative: Evaluation) -> None:
    cost = recuperative.cost
    assert cost is not None
    assert cost.service_cost > 0
    assert cost.service_cost.as_tuple().exponent == -2
    assert cost.avoided_low <= cost.avoided <= cost.avoided_high


def test_the_command_writes_report_and_tables(data: Path, tmp_path: Path) -> None:
    args = ["--data", str(data), "--program", "cs.recuperative_care", "--start", "2024-01-01"]
    args += ["--end", "2024-12-31", "--as-of", "2025-12-31", "--out", str(tmp_path), "--no-pdf"]
    result = runner.invoke(app, ["evaluate", *args])
    assert result.exit_code == 0, result.output
    assert "Hospital admissions" in result.output
    html = (tmp_path / "report.html").read_text()
    assert html.count('role="img"') == 5
    assert "<desc id=" in html
    assert "cs.recuperative_care" not in html  # plain names on the page, never ids
    assert not (tmp_path / "report.pdf").exists()
    estimates = pd.read_parquet(tmp_path / "estimates.parquet")
    overall = estimates[estimates["stratum"] == "all"].set_index("outcome")
    assert isinstance(overall.loc["total_paid", "estimate"], Decimal)
    assert set(estimates["policy_hash"]) == {overall["policy_hash"].iloc[0]}
    assert (tmp_path / "event_study.csv").read_text().count("\n") > 5 * 20


def test_the_pdf_carries_the_summary_and_provenance(
    recuperative: Evaluation, tmp_path: Path
) -> None:
    write_report(recuperative, tmp_path)
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "report.pdf").pages)
    assert "Recuperative care" in text
    assert recuperative.policy_hash in text
    assert recuperative.input_fingerprint in text


def test_the_command_names_a_bad_program_and_writes_nothing(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["evaluate", "--data", str(data), "--program", "cs.yoga", "--start", "2024-01-01"]
    args += ["--end", "2024-12-31", "--as-of", "2025-12-31", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "cs.yoga" in result.output
    assert "cs.recuperative_care" in result.output
    assert not out.exists()
