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


AUTH = """
authorization:
  - from: 2022-01-01
    to: 2025-01-01
    ecm: {initial_months: 12, presumptive_days: 0}
    community_supports:
      default: {initial_months: 6}
      cs.test_support: {initial_months: 3, presumptive_days: 14}
"""


def load_with(tmp_path: Path, authorization: str) -> Policy:
    return Policy.load(FIXTURE, plans_dir=policy_with_plan(tmp_path, PLAN + authorization))


def test_valid_authorization_terms_load(tmp_path):
    loaded = load_with(tmp_path, AUTH)
    [terms] = loaded.plans["X"].authorization
    assert terms.ecm == {"initial_months": 12, "presumptive_days": 0}
    assert terms.community_supports["cs.test_support"] == {
        "initial_months": 3,
        "presumptive_days": 14,
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # An unknown key (a typo) would be silently ignored: refused with its name.
        (
            ("presumptive_days: 0}", "presumptive_day: 30}"),
            r"authorization\[0\]\).*'ecm.presumptive_day' is not a known term",
        ),
        (("presumptive_days: 0}", "presumptive_days: -1}"), r"'ecm.presumptive_days'.*-1"),
        (("initial_months: 12", "initial_months: 1200"), r"'ecm.initial_months'.*1200"),
        (("initial_months: 12", "initial_months: 60"), None),  # 5 years: the most allowed
        (("initial_months: 12", "initial_months: 61"), r"'ecm.initial_months'.*61"),
        (
            (
                "{initial_months: 3, presumptive_days: 14}",
                "{initial_months: 3, presumptive_days: -14}",
            ),
            r"'community_supports.cs.test_support.presumptive_days'",
        ),
        (
            ("cs.test_support:", "cs.no_such_support:"),
            r"'community_supports.cs.no_such_support'.*not a Community Support id",
        ),
        (("cs.test_support:", "ecm.test_pof:"), r"not a Community Support id"),
        (
            ("    to: 2025-01-01\n", "    to: 2025-01-01\n    reference: x\n"),
            r"unknown key.*reference",
        ),
    ],
)
def test_bad_authorization_terms_are_refused_naming_file_and_key(tmp_path, change, message):
    text = AUTH.replace(*change)
    assert text != AUTH
    if message is None:
        load_with(tmp_path, text)
        return
    with pytest.raises(PolicyError, match=message) as caught:
        load_with(tmp_path, text)
    assert "X.yaml" in str(caught.value)


def test_overlapping_authorization_periods_are_refused(tmp_path):
    overlapping = (
        AUTH
        + """  - from: 2024-07-01
    ecm: {initial_months: 12}
"""
    )
    with pytest.raises(PolicyError, match=r"authorization\[1\]\).*overlaps authorization\[0\]"):
        load_with(tmp_path, overlapping)
    adjoining = (
        AUTH
        + """  - from: 2025-01-01
    ecm: {initial_months: 12}
"""
    )
    (tmp_path / "ok").mkdir()
    assert len(load_with(tmp_path / "ok", adjoining).plans["X"].authorization) == 2


def test_an_open_ended_period_before_another_overlaps(tmp_path):
    text = """
authorization:
  - from: 2025-01-01
    ecm: {initial_months: 12}
  - from: 2022-01-01
    ecm: {initial_months: 6}
"""
    with pytest.raises(PolicyError, match=r"overlaps authorization\[1\] \(open-ended\)"):
        load_with(tmp_path, text)
