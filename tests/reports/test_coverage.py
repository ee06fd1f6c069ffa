"""The coverage grid, from the shipped sample plan configuration (policy data only)."""

from __future__ import annotations

import datetime as dt

from calaim.ops.policy import shipped_policy
from calaim.reports.coverage import CoverageCell, CoverageGrid, counties_with_plans, coverage_grid

POLICY = shipped_policy()


def cell(grid: CoverageGrid, plan: str, program_id: str) -> CoverageCell:
    """The grid's cell for one plan and one Community Support."""
    row = next(r for r in grid.rows if r.program_id == program_id)
    return next(c for c in row.cells if c.plan == plan)


def test_los_angeles_has_its_three_plans_and_every_community_support() -> None:
    grid = coverage_grid(POLICY, "Los Angeles", dt.date(2025, 10, 1))
    assert [p.code for p in grid.plans] == ["HEALTHNET", "KAISER", "LACARE"]
    assert len(grid.rows) == 15
    assert cell(grid, "LACARE", "cs.respite").offered_from == dt.date(2023, 7, 1)
    assert not cell(grid, "HEALTHNET", "cs.alf_transition").offered


def test_a_support_is_offered_from_its_election_day_not_the_day_before() -> None:
    # L.A. Care elects Transitional Rent early, from 2025-07-01.
    before = cell(coverage_grid(POLICY, "Los Angeles", dt.date(2025, 6, 30)), "LACARE",
                  "cs.transitional_rent")  # fmt: skip
    on = cell(coverage_grid(POLICY, "Los Angeles", dt.date(2025, 7, 1)), "LACARE",
              "cs.transitional_rent")  # fmt: skip
    assert (before.offered, before.upcoming_from) == (False, dt.date(2025, 7, 1))
    assert (on.offered, on.offered_from, on.upcoming_from) == (True, dt.date(2025, 7, 1), None)


def test_an_election_that_ends_shows_its_last_day_and_then_stops() -> None:
    # Health Net drops Day Habilitation in Sacramento from 2025-01-01.
    last = cell(coverage_grid(POLICY, "Sacramento", dt.date(2024, 12, 31)), "HEALTHNET",
                "cs.day_habilitation")  # fmt: skip
    after = cell(coverage_grid(POLICY, "Sacramento", dt.date(2025, 1, 1)), "HEALTHNET",
                 "cs.day_habilitation")  # fmt: skip
    assert (last.offered, last.offered_until) == (True, dt.date(2024, 12, 31))
    assert not after.offered


def test_plan_criteria_and_recalled_facts_are_shown() -> None:
    grid = coverage_grid(POLICY, "Los Angeles", dt.date(2025, 10, 1))
    meals = cell(grid, "LACARE", "cs.medically_tailored_meals")
    assert any("recent inpatient or ED use" in label for label in meals.criteria)
    assert cell(grid, "KAISER", "cs.medically_tailored_meals").criteria == ()
    recuperative = next(r for r in grid.rows if r.program_id == "cs.recuperative_care")
    assert recuperative.recalled, "recuperative care's statewide criteria are RECALLED"
    # The December 2026 review made HTNS's qualifier a recalled reading; Day Habilitation's
    # criteria are now verified (L.A. Care).
    navigation = next(r for r in grid.rows if r.program_id == "cs.housing_transition_navigation")
    assert navigation.recalled
    day_habilitation = next(r for r in grid.rows if r.program_id == "cs.day_habilitation")
    assert day_habilitation.recalled == ()


def test_a_plan_that_left_a_county_is_not_in_its_grid() -> None:
    # Health Net left San Diego on 2024-01-01 (RECALLED, in the sample configuration).
    assert "HEALTHNET" in [
        p.code for p in coverage_grid(POLICY, "San Diego", dt.date(2023, 12, 31)).plans
    ]
    assert "HEALTHNET" not in [
        p.code for p in coverage_grid(POLICY, "San Diego", dt.date(2024, 1, 1)).plans
    ]
    assert coverage_grid(POLICY, "Alpine", dt.date(2025, 10, 1)).plans == ()
    assert "Los Angeles" in counties_with_plans(POLICY, dt.date(2025, 10, 1))
