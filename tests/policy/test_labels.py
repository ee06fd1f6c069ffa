"""Labels that restate numbers are built from, or checked against, the parameter values."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calaim.cli import app
from calaim.engine.loading.errors import PolicyError
from calaim.engine.loading.labels import fill, label_problems, stated_numbers
from calaim.engine.loading.policy import Policy, default_policy_dir

runner = CliRunner()


@pytest.fixture(scope="module")
def policy() -> Policy:
    return Policy.load()


def copy_policy(tmp_path: Path) -> Path:
    folder = tmp_path / "policy"
    shutil.copytree(default_policy_dir(), folder)
    return folder


def set_value(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_shipped_label_agrees_with_its_values(policy: Policy) -> None:
    assert label_problems(policy) == []


def test_numbers_in_codes_and_years_are_not_read_as_restated_values() -> None:
    assert stated_numbers("a claim with a housing-instability Z-code (Z59.81x)") == []
    assert stated_numbers("a 1915(c) waiver, PoF 1a, go-live Jan 2022") == []
    assert stated_numbers("5+ ED visits or 3+ stays in 6 months") == [
        Decimal(5),
        Decimal(3),
        Decimal(6),
    ]
    assert stated_numbers("a proxy for $7,500") == [Decimal(7500)]
    assert stated_numbers("{cs.respite.max_hours_per_year} hours") == []


def test_a_parameter_change_leaves_a_stale_label_that_check_reports(tmp_path: Path) -> None:
    folder = copy_policy(tmp_path)
    set_value(
        folder,
        "parameters/ecm/avoidable_utilization.yaml",
        "2022-01-01: 5",
        "2022-01-01: 6",
    )
    problems = label_problems(Policy.load(folder))
    assert problems
    assert all("avoidable_utilization.yaml" in p for p in problems)
    assert any("'5+ ED visits" in p and "states 5" in p for p in problems)
    result = runner.invoke(app, ["policy", "check", "--policy", str(folder)])
    assert result.exit_code == 2
    assert "state a number their criterion does not cite" in result.output
    assert "Traceback" not in result.output


def test_labels_built_from_values_follow_the_value(tmp_path: Path, policy: Policy) -> None:
    label = (
        "{cs.medically_tailored_meals.max_weeks} weeks ({cs.asthma_remediation.lifetime_max_usd})"
    )
    assert fill(label, policy, dt.date(2024, 6, 1)) == "12 weeks ($7,500)"
    folder = copy_policy(tmp_path)
    set_value(
        folder,
        "parameters/cs/medically_tailored_meals.yaml",
        "2022-01-01: 12\n",
        "2022-01-01: 12\n    2024-01-01: 26\n",
    )
    changed = Policy.load(folder)
    assert label_problems(changed) == []
    resolved = changed.resolve(dt.date(2024, 6, 1))
    (cap,) = resolved.programs["cs.medically_tailored_meals"].exclusions
    assert cap.label is not None
    assert re.match(r"26 weeks of meals \(2 a day\)", cap.label)


def test_a_label_naming_an_unknown_parameter_is_rejected(tmp_path: Path) -> None:
    folder = copy_policy(tmp_path)
    set_value(
        folder,
        "rules/cs/respite.yaml",
        "label: relies on an unpaid caregiver",
        "label: relies on {cs.respite.no_such} caregivers",
    )
    with pytest.raises(PolicyError, match=r"cs\.respite\.no_such"):
        Policy.load(folder)


def test_single_program_criteria_live_in_that_programs_rule(policy: Policy) -> None:
    """rules/common.yaml holds only criteria that more than one program uses."""
    from calaim.engine.loading.criteria import Use, walk

    users: dict[str, set[str]] = {name: set() for name in policy.named}

    def visit(program_id: str, name: str) -> None:
        if program_id in users[name]:
            return
        users[name].add(program_id)
        for node in walk(policy.named[name].definition):
            if isinstance(node, Use) and node.name in users:
                visit(program_id, node.name)

    for program_id, rule in policy.rules.items():
        for version in rule.versions:
            for tree in (version.criteria, *version.exclusions):
                for node in walk(tree):
                    if isinstance(node, Use) and node.name in users:
                        visit(program_id, node.name)
    for plan in policy.plans.values():
        for overlay in plan.overlays:
            for node in walk(overlay.require):
                if isinstance(node, Use) and node.name in users:
                    visit(overlay.program_id, node.name)
    single = {name: sorted(found) for name, found in users.items() if len(found) < 2}
    assert single == {}, "move these into the one rule that uses them"
