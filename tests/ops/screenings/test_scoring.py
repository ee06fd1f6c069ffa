"""Screening scoring: the policy cases (cases.yaml), overrides, transitions, bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from calaim.ops.errors import InvalidRequest
from calaim.ops.screenings.scoring import Override, score, transition
from calaim.ops.screenings.tools import screening_tools

CASES = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text(encoding="utf-8"))


def answers(tool: str, yes: list[str]) -> dict[str, bool]:
    """Every question of the tool answered: yes for `yes`, no for the rest."""
    found = screening_tools()[tool]
    return {item.id: item.id in yes for item in (*found.safety, *found.items)}


@pytest.mark.parametrize("case", CASES, ids=lambda case: case["name"])
def test_policy_case(case: dict[str, Any]) -> None:
    result = score(case["tool"], answers(case["tool"], case["answered_yes"]))
    expect = case["expect"]
    assert (result.score, result.route) == (expect["score"], expect["route"])
    assert result.also_offer == expect.get("also_offer", [])


def test_every_item_states_its_confidence_and_unconfirmed_weights_say_so() -> None:
    for tool in screening_tools().values():
        for item in (*tool.safety, *tool.items):
            assert item.confidence in {"verified", "recalled", "assumption"}
    adult = screening_tools()["adult"]
    assert adult.threshold_confidence == "recalled"
    assert score("adult", answers("adult", [])).confidence == "assumption"


def test_a_licensed_clinician_may_override_with_a_reason_and_nobody_else() -> None:
    given = answers("adult", ["distress"])
    moved = score("adult", given, Override("county_mhp", "history of psychosis", True))
    assert (moved.route, moved.overridden, moved.score) == ("county_mhp", True, 2)
    with pytest.raises(InvalidRequest, match="licensed clinician"):
        score("adult", given, Override("county_mhp", "history", False))
    with pytest.raises(InvalidRequest, match="justification"):
        score("adult", given, Override("county_mhp", "  ", True))


def test_every_question_must_be_answered_and_unknown_ones_are_named() -> None:
    given = answers("adult", [])
    del given["medication"]
    with pytest.raises(InvalidRequest) as missing:
        score("adult", given)
    assert missing.value.field == "answers.medication"
    with pytest.raises(InvalidRequest) as unknown:
        score("adult", {**answers("adult", []), "shoe_size": True})
    assert unknown.value.field == "answers.shoe_size"
    with pytest.raises(InvalidRequest):
        score("teen", {})


def test_transition_of_care_is_not_scored_and_routes_to_the_receiving_system() -> None:
    fields = {"current_system": "plan", "receiving_system": "county_mhp", "reason": "worse"}
    result = transition("transition_of_care", fields)
    assert (result.score, result.route) == (None, "county_mhp")
    with pytest.raises(InvalidRequest):
        transition("transition_of_care", {**fields, "receiving_system": "plan"})
    with pytest.raises(InvalidRequest):
        score("transition_of_care", {})
