"""Plan configuration: DHCS forbids narrowing ECM; elections and overlays are checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from calaim.engine.loading.errors import PolicyError
from calaim.engine.loading.policy import Policy

FIXTURE = Path(__file__).parents[1] / "fixtures" / "policy"


def policy_with_plan(tmp_path: Path, text: str) -> Path:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "X.yaml").write_text(text)
    return plans


PLAN = """
code: X
name: Plan X
model: gmc
counties: [{county: Los Angeles, from: 2022-01-01}]
"""


def test_overlay_narrowing_an_ecm_population_of_focus_is_rejected(tmp_path):
    plans = policy_with_plan(
        tmp_path,
        PLAN
        + """
overlays:
  - program: ecm.test_pof
    from: 2024-01-01
    label: narrower
    require: {feature: age, at_least: 30}
""",
    )
    with pytest.raises(PolicyError, match="DHCS forbids plans to narrow") as caught:
        Policy.load(FIXTURE, plans_dir=plans)
    assert "X.yaml" in str(caught.value)


def test_electing_ecm_is_rejected_too(tmp_path):
    plans = policy_with_plan(
        tmp_path,
        PLAN
        + """
community_supports:
  - {program: ecm, counties: all, from: 2022-01-01}
""",
    )
    with pytest.raises(PolicyError, match="ECM is a statewide benefit"):
        Policy.load(FIXTURE, plans_dir=plans)


def test_election_in_a_county_the_plan_does_not_serve(tmp_path):
    plans = policy_with_plan(
        tmp_path,
        PLAN
        + """
community_supports:
  - {program: cs.test_support, counties: [Alameda], from: 2022-01-01}
""",
    )
    with pytest.raises(PolicyError, match="does not serve"):
        Policy.load(FIXTURE, plans_dir=plans)


def test_overlay_with_unknown_feature_is_rejected(tmp_path):
    plans = policy_with_plan(
        tmp_path,
        PLAN
        + """
overlays:
  - program: cs.test_support
    from: 2024-01-01
    label: typo
    require: {feature: agee, at_least: 30}
""",
    )
    with pytest.raises(PolicyError, match="unknown feature 'agee'"):
        Policy.load(FIXTURE, plans_dir=plans)


def test_period_must_end_after_it_starts(tmp_path):
    plans = policy_with_plan(
        tmp_path,
        PLAN
        + """
community_supports:
  - {program: cs.test_support, counties: all, from: 2024-01-01, to: 2023-01-01}
""",
    )
    with pytest.raises(PolicyError, match="must be after"):
        Policy.load(FIXTURE, plans_dir=plans)


def test_unknown_county_is_rejected(tmp_path):
    plans = policy_with_plan(tmp_path, PLAN.replace("Los Angeles", "Gotham"))
    with pytest.raises(PolicyError, match="known 'county'"):
        Policy.load(FIXTURE, plans_dir=plans)


def test_policy_folder_copy_with_bad_rule_citation(tmp_path):
    root = tmp_path / "policy"
    shutil.copytree(FIXTURE, root)
    rule = root / "rules" / "test_pof.yaml"
    rule.write_text(rule.read_text().replace("test.ed_visits", "test.ed_visitz"))
    with pytest.raises(PolicyError, match=r"parameter 'test\.ed_visitz' does not exist"):
        Policy.load(root)
