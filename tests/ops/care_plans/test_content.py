"""Care plan content: the structured assessment's domains, and dates that follow the assessment."""

from __future__ import annotations

import datetime as dt

import pytest

from calaim.ops.care_plans.content import CarePlanContent, InvalidCarePlan, validate
from calaim.ops.care_plans.domains import assessment_domains, need_levels

ASSIGNED = dt.date(2025, 3, 1)
ASSESSED = dt.date(2025, 3, 10)
TODAY = dt.date(2025, 3, 20)


def plan(**changes: object) -> CarePlanContent:
    base: dict[str, object] = {
        "assessment_started_on": dt.date(2025, 3, 5),
        "assessment_completed_on": ASSESSED,
        "assessment": [{"domain": "housing", "need": "urgent", "note": "sleeps in car"}],
        "goals": [
            {"description": "stable housing", "domain": "housing", "target_date": "2025-06-01"}
        ],
        "interventions": [{"description": "refer to navigation", "due_date": "2025-03-12"}],
    }
    return CarePlanContent(**{**base, **changes})  # type: ignore[arg-type]


def test_the_domains_come_from_policy_data_with_their_confidence() -> None:
    ids = [domain.id for domain in assessment_domains()]
    assert {"physical_health", "behavioral_health", "substance_use", "housing", "food"} <= set(ids)
    assert len(ids) == len(set(ids))
    assert all(
        domain.confidence in {"verified", "recalled", "assumption"}
        for domain in assessment_domains()
    )
    assert next(level.id for level in need_levels()) == "not_assessed"
    substance = next(d for d in assessment_domains() if d.id == "substance_use")
    assert substance.part2_sensitive


def test_a_whole_plan_with_several_goals_is_accepted() -> None:
    goals = [
        {"description": "stable housing", "domain": "housing", "target_date": "2025-06-01"},
        {"description": "A1c below 8", "domain": "physical_health", "target_date": ASSESSED},
    ]
    validate(plan(goals=goals), not_before=ASSIGNED, today=TODAY)


def test_a_goal_target_one_day_before_the_assessment_is_refused() -> None:
    goals = [{"description": "stable housing", "target_date": "2025-03-09"}]
    with pytest.raises(InvalidCarePlan, match="before the assessment") as refused:
        validate(plan(goals=goals), not_before=ASSIGNED, today=TODAY)
    assert refused.value.field == "goals[0].target_date"


def test_a_step_due_before_the_assessment_is_refused() -> None:
    steps = [{"description": "call the clinic", "due_date": dt.date(2025, 3, 9)}]
    with pytest.raises(InvalidCarePlan, match="before the assessment") as refused:
        validate(plan(interventions=steps), not_before=ASSIGNED, today=TODAY)
    assert refused.value.field == "interventions[0].due_date"


def test_without_a_completed_assessment_its_start_date_is_the_floor() -> None:
    goals = [{"description": "stable housing", "target_date": "2025-03-04"}]
    with pytest.raises(InvalidCarePlan, match=r"before the assessment \(2025-03-05\)"):
        validate(plan(assessment_completed_on=None, goals=goals), not_before=ASSIGNED, today=TODAY)


def test_a_met_goal_from_before_a_reassessment_is_history_not_an_error() -> None:
    goals = [{"description": "keep appointments", "target_date": "2025-03-01", "status": "met"}]
    validate(plan(goals=goals), not_before=dt.date(2025, 2, 1), today=TODAY)


@pytest.mark.parametrize(
    ("assessment", "message"),
    [
        ([{"domain": "astrology", "need": "need"}], "is not an assessment domain"),
        ([{"domain": "housing", "need": "some"}], "need 'some' is unknown"),
        (
            [{"domain": "housing", "need": "need"}, {"domain": "housing", "need": "urgent"}],
            "is given twice",
        ),
    ],
)
def test_unknown_domains_needs_and_repeats_are_refused(
    assessment: list[dict[str, str]], message: str
) -> None:
    with pytest.raises(InvalidCarePlan, match=message):
        validate(plan(assessment=assessment), not_before=ASSIGNED, today=TODAY)


def test_a_goal_in_an_unknown_domain_is_refused() -> None:
    goals = [{"description": "x", "domain": "astrology"}]
    with pytest.raises(InvalidCarePlan, match=r"goals\[0\]\.domain"):
        validate(plan(goals=goals), not_before=ASSIGNED, today=TODAY)


def test_a_malformed_target_date_names_its_field() -> None:
    goals = [{"description": "x", "target_date": "soon"}]
    with pytest.raises(InvalidCarePlan, match="not a date") as refused:
        validate(plan(goals=goals), not_before=ASSIGNED, today=TODAY)
    assert refused.value.field == "goals[0].target_date"


def test_every_domain_and_need_level_has_a_spanish_label() -> None:
    for domain in assessment_domains():
        assert domain.label_in("es") != domain.label, domain.id
        assert domain.prompt_in("es") != domain.prompt, domain.id
    for level in need_levels():
        assert level.label_in("es") != level.label, level.id
    assert assessment_domains()[0].label_in("ko") == assessment_domains()[0].label
