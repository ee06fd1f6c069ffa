"""Risk tiers, written from the scoring data: every threshold, point value and cut point is
read from the shipped policy (parameters/phm/risk.yaml), never restated here."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from calaim.engine.loading.errors import PolicyError
from calaim.engine.loading.policy import Policy, default_policy_dir
from calaim.engine.phm.model import load_model
from calaim.engine.phm.tiers import score_members
from engine.conftest import claims, person

AS_OF = dt.date(2025, 6, 30)
Tables = dict[str, list[dict[str, Any]]]


@pytest.fixture(scope="module")
def shipped() -> Policy:
    return Policy.load()


def value(policy: Policy, path: str, as_of: dt.date = AS_OF) -> Any:
    found = policy.parameters[path].value_at(as_of)
    assert found is not None
    return found[1]


def points(policy: Policy, factor: str) -> int:
    return int(value(policy, f"phm.risk.points.{factor}"))


def code_in(policy: Policy, value_set: str) -> str:
    rows = policy.value_sets[value_set].rows_at(AS_OF)
    excluded = [r.code for r in rows if not r.include]
    return next(
        r.code for r in rows if r.include and not any(r.code.startswith(x) for x in excluded)
    )


def inside(months_back: int = 1) -> str:
    return (AS_OF - dt.timedelta(days=30 * months_back)).isoformat()


def evidence(policy: Policy, factor: str, pid: str) -> Tables:
    """Tables that make `pid` meet exactly `factor` (and nothing else)."""
    lookback = int(value(policy, "phm.risk.lookback_months"))
    day = inside(min(lookback - 1, 3))
    if factor in ("ed_visits", "frequent_ed_visits"):
        n = int(value(policy, f"phm.risk.{factor}_at_least"))
        dates = [(AS_OF - dt.timedelta(days=7 * (i + 1))).isoformat() for i in range(n)]
        return {"medical_claim": claims(pid, *({"ed": d} for d in dates))}
    if factor == "inpatient_stays":
        return {"medical_claim": claims(pid, {"inpatient": day, "discharge": day})}
    sets = {
        "chronic_conditions": "serious_chronic_physical",
        "serious_mental_illness": "serious_mental_illness",
        "substance_use_disorder": "substance_use_disorder",
        "social_needs": "social_risk_factors",
    }
    if factor in sets:
        return {"medical_claim": claims(pid, {"dx": code_in(policy, sets[factor]), "date": day})}
    if factor == "homelessness":
        return {
            "housing_status": [{"person_id": pid, "observed_date": day, "status": "unsheltered"}]
        }
    if factor == "pregnancy":
        return {"pregnancy": [{"person_id": pid, "start_date": day, "end_date": None}]}
    if factor == "older_adult":
        age = int(value(policy, "phm.risk.older_adult_age"))
        birthday = AS_OF.replace(year=AS_OF.year - age).isoformat()
        return {"eligibility": [person(pid, birth_date=birthday)]}
    raise AssertionError(factor)


def population(policy: Policy, people: dict[str, tuple[str, ...]]) -> Tables:
    """One person per entry, meeting the listed factors."""
    tables: Tables = {"eligibility": [], "medical_claim": []}
    for pid, factors in people.items():
        if "older_adult" not in factors:
            tables["eligibility"].append(person(pid, birth_date="1990-01-01"))
        for factor in factors:
            for table, rows in evidence(policy, factor, pid).items():
                tables.setdefault(table, []).extend(rows)
    return {table: rows for table, rows in tables.items() if rows}


def scored(
    policy: Policy,
    write_inputs: Callable[[Tables], Path],
    people: dict[str, tuple[str, ...]],
    as_of: dt.date = AS_OF,
) -> dict[str, dict[str, Any]]:
    folder = write_inputs(population(policy, people))
    _, rows = score_members(folder, as_of, policy=policy)
    return {row["person_id"]: row for row in rows}


INDEPENDENT = (
    "inpatient_stays",
    "chronic_conditions",
    "serious_mental_illness",
    "substance_use_disorder",
    "homelessness",
    "social_needs",
    "pregnancy",
    "older_adult",
)


def test_each_factor_on_alone_scores_its_points_and_off_scores_nothing(shipped, write_inputs):
    people = {f"P{i}": (factor,) for i, factor in enumerate(INDEPENDENT)}
    people["NONE"] = ()
    rows = scored(shipped, write_inputs, people)
    assert rows["NONE"]["score"] == 0
    for i, factor in enumerate(INDEPENDENT):
        row = rows[f"P{i}"]
        assert row[f"{factor}__met"] is True, factor
        assert row[f"{factor}__points"] == points(shipped, factor)
        assert row["score"] == points(shipped, factor), factor
        assert rows["NONE"][f"{factor}__met"] is False


def test_ed_visits_at_the_threshold_and_one_below(shipped, write_inputs):
    some = int(value(shipped, "phm.risk.ed_visits_at_least"))
    frequent = int(value(shipped, "phm.risk.frequent_ed_visits_at_least"))
    tables: Tables = {"eligibility": [], "medical_claim": []}
    for pid, visits in (
        ("AT", some),
        ("BELOW", some - 1),
        ("FREQ", frequent),
        ("FB", frequent - 1),
    ):
        tables["eligibility"].append(person(pid))
        dates = [(AS_OF - dt.timedelta(days=7 * (i + 1))).isoformat() for i in range(visits)]
        tables["medical_claim"] += claims(pid, *({"ed": d} for d in dates))
    _, out = score_members(write_inputs(tables), AS_OF, policy=shipped)
    rows = {row["person_id"]: row for row in out}
    assert rows["AT"]["ed_visits__met"]
    assert rows["AT"]["ed_visits__value"] == str(some)
    assert not rows["BELOW"]["ed_visits__met"]
    both = points(shipped, "ed_visits") + points(shipped, "frequent_ed_visits")
    assert rows["FREQ"]["score"] == both
    assert not rows["FB"]["frequent_ed_visits__met"]
    assert rows["FB"]["ed_visits__met"]


def combination(policy: Policy, total: int) -> tuple[str, ...]:
    """Some independent factors whose points add up to `total` (from the shipped points)."""
    for size in range(1, len(INDEPENDENT) + 1):
        for combo in itertools.combinations(INDEPENDENT, size):
            if sum(points(policy, f) for f in combo) == total:
                return combo
    pytest.fail(f"no combination of factors scores exactly {total}")


@pytest.mark.parametrize("tier", ["high", "rising"])
def test_a_score_exactly_at_a_cut_point_and_one_below(shipped, write_inputs, tier):
    cut = int(value(shipped, f"phm.risk.tiers.{tier}_at_least"))
    people = {"AT": combination(shipped, cut), "BELOW": combination(shipped, cut - 1)}
    rows = scored(shipped, write_inputs, people)
    assert rows["AT"]["score"] == cut
    assert rows["AT"]["tier"] == tier
    assert rows["BELOW"]["score"] == cut - 1
    assert rows["BELOW"]["tier"] != tier
    expected_below = "rising" if tier == "high" else "low"
    assert rows["BELOW"]["tier"] == expected_below


def test_no_tier_before_the_models_first_effective_date(shipped, write_inputs):
    first = shipped.parameters["phm.risk.tiers.high_at_least"].values[0][0]
    folder = write_inputs(population(shipped, {"A": ("chronic_conditions",)}))
    with pytest.raises(PolicyError, match=f"starts on {first}"):
        score_members(folder, first - dt.timedelta(days=1), policy=shipped)
    _, rows = score_members(folder, first, policy=shipped)
    assert rows[0]["tier"] in ("high", "rising", "low")


def copied_policy(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Policy:
    root = tmp_path / "policy"
    shutil.copytree(default_policy_dir(), root)
    file = root / "parameters" / "phm" / "risk.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    edit(data)
    file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return Policy.load(root)


def test_a_dated_weight_applies_only_from_its_effective_date(shipped, tmp_path, write_inputs):
    change = AS_OF  # the evidence lies before both sides of the date
    old = points(shipped, "chronic_conditions")
    new = old + 5

    def edit(data: dict[str, Any]) -> None:
        data["points"]["chronic_conditions"]["values"][change] = new

    edited = copied_policy(tmp_path, edit)
    people = {"A": ("chronic_conditions",)}
    before = scored(edited, write_inputs, people, as_of=change - dt.timedelta(days=1))
    on = scored(edited, write_inputs, people, as_of=change)
    assert before["A"]["score"] == old
    assert on["A"]["score"] == new
    assert before["A"]["policy_hash"] != on["A"]["policy_hash"]


def test_changing_a_cut_point_in_a_copied_policy_changes_the_tier(shipped, tmp_path, write_inputs):
    people = {"A": ("chronic_conditions",)}
    score = points(shipped, "chronic_conditions")
    assert scored(shipped, write_inputs, people)["A"]["tier"] == (
        "rising" if score >= int(value(shipped, "phm.risk.tiers.rising_at_least")) else "low"
    )

    def edit(data: dict[str, Any]) -> None:
        first = next(iter(data["tiers"]["rising_at_least"]["values"]))
        data["tiers"]["rising_at_least"]["values"][first] = score

    assert scored(copied_policy(tmp_path, edit), write_inputs, people)["A"]["tier"] == "rising"


def test_the_model_file_names_only_existing_parameters(shipped, tmp_path):
    root = tmp_path / "policy"
    shutil.copytree(default_policy_dir(), root)
    file = root / "phm" / "risk_tiers.yaml"
    file.write_text(
        file.read_text(encoding="utf-8").replace(
            "phm.risk.points.pregnancy", "phm.risk.points.no_such"
        ),
        encoding="utf-8",
    )
    with pytest.raises(PolicyError, match="no_such"):
        load_model(Policy.load(root))


def test_without_part2_consent_the_substance_use_factor_is_left_out(shipped, write_inputs):
    from calaim.engine.phm.explain import explain_tier, render

    model = load_model(shipped)
    hidden = [factor.id for factor in model.factors if factor.part2]
    assert hidden == ["substance_use_disorder"]
    folder = write_inputs(
        population(
            shipped,
            {
                "SUD": ("substance_use_disorder", "chronic_conditions"),
                "NOSUD": ("chronic_conditions",),
            },
        )
    )
    full = explain_tier(folder, AS_OF, "SUD", policy=shipped)
    masked = explain_tier(folder, AS_OF, "SUD", policy=shipped, withhold_part2=True)
    other = explain_tier(folder, AS_OF, "NOSUD", policy=shipped, withhold_part2=True)
    assert full.score == points(shipped, "substance_use_disorder") + points(
        shipped, "chronic_conditions"
    )
    assert masked.score == points(shipped, "chronic_conditions")
    # A viewer without consent cannot tell the two members apart.
    assert (masked.score, masked.tier) == (other.score, other.tier)
    assert [line.label for line in masked.factors] == [line.label for line in other.factors]
    text = render(masked)
    assert "substance use disorder" not in text
    assert "withheld" in text


def test_a_factor_id_that_cannot_be_a_column_is_refused(tmp_path):
    root = tmp_path / "policy"
    shutil.copytree(default_policy_dir(), root)
    file = root / "phm" / "risk_tiers.yaml"
    file.write_text(
        file.read_text(encoding="utf-8").replace("id: pregnancy", 'id: "preg\'nancy"'),
        encoding="utf-8",
    )
    with pytest.raises(PolicyError, match="lower-case letters"):
        load_model(Policy.load(root))
