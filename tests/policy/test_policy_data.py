"""Code-health tests of the shipped policy data (PolicyEngine style).

They check that the policy loads and resolves on every date, that every program has dated
rule versions that agree with its switch and the documented go-live dates, that every value
carries a source and an honest confidence, and that the sample plans respect what DHCS allows.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from calaim.engine.loading.criteria import Leaf, Node, Use, walk
from calaim.engine.loading.errors import PolicyError
from calaim.engine.loading.parameters import CONFIDENCES
from calaim.engine.loading.policy import (
    DEFINITION_VALUE_SETS,
    Policy,
    default_plans_dir,
    default_policy_dir,
)

FIRST_DAY = dt.date(2022, 1, 1)
PAYERS = {
    "LACARE",
    "HEALTHNET",
    "KAISER",
    "ANTHEM",
    "MOLINA",
    "CHG",
    "BLUESHIELD",
    "ALLIANCE",
    "CENCAL",
}
COMBINED_LIMIT_RULES = (
    "cs.recuperative_care",
    "cs.short_term_post_hospitalization_housing",
    "cs.transitional_rent",
)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return Policy.load()


def month_starts() -> Iterator[dt.date]:
    for year in range(2022, 2027):
        for month in range(1, 13):
            yield dt.date(year, month, 1)


def param_value(policy: Policy, path: str, on: dt.date = dt.date(2026, 1, 1)) -> Any:
    found = policy.parameters[path].value_at(on)
    assert found is not None, f"{path} has no value on {on}"
    return found[1]


def version_starts(policy: Policy, program_id: str) -> list[dt.date]:
    return [version.start for version in policy.rules[program_id].versions]


def nodes(node: Node, policy: Policy, expand: bool = True) -> Iterator[Node]:
    """Every node of a criterion tree, expanding named criteria from common.yaml."""
    for item in walk(node):
        yield item
        if expand and isinstance(item, Use) and item.name in policy.named:
            yield from nodes(policy.named[item.name].definition, policy)


def used_names(trees: tuple[Node, ...]) -> set[str]:
    return {item.name for tree in trees for item in walk(tree) if isinstance(item, Use)}


# --- Loading and resolving ---------------------------------------------------------------


def test_shipped_policy_loads(policy: Policy) -> None:
    assert len(policy.programs) == 26
    assert set(policy.rules) == set(policy.programs)
    assert set(policy.plans) == PAYERS


@pytest.mark.parametrize("as_of", list(month_starts()), ids=str)
def test_resolving_every_month_start_never_raises(policy: Policy, as_of: dt.date) -> None:
    resolved = policy.resolve(as_of)
    assert re.fullmatch(r"[0-9a-f]{16}", resolved.policy_hash)
    assert set(resolved.programs) == set(policy.programs)


def test_ecm_is_in_effect_every_day_of_the_waiver(policy: Policy) -> None:
    for as_of in month_starts():
        assert policy.resolve(as_of).programs["ecm"].version is not None


# --- Programs and rule versions ----------------------------------------------------------


def test_every_program_has_a_rule_with_versions(policy: Policy) -> None:
    for program_id, rule in policy.rules.items():
        assert rule.versions, f"{program_id} has no rule version"
        assert rule.references, f"{program_id} cites no source"
        for version in rule.versions:
            assert version.start >= FIRST_DAY, f"{program_id} version before 2022"
            assert version.confidence in CONFIDENCES
            assert version.note, f"{program_id} version {version.label} explains nothing"


def test_first_rule_version_starts_when_the_program_switches_on(policy: Policy) -> None:
    for program_id, program in policy.programs.items():
        switch = policy.parameters[program.in_effect]
        first_on = next(start for start, value in switch.values if value)
        assert version_starts(policy, program_id)[0] == first_on, program_id


def test_programs_that_existed_in_2022_have_a_2022_version(policy: Policy) -> None:
    resolved = policy.resolve(FIRST_DAY)
    live = [pid for pid, program in resolved.programs.items() if program.version is not None]
    assert len(live) == 19  # PoFs 1a, 2, 3, 4, the aggregate and the 14 original CS
    for program_id in live:
        assert version_starts(policy, program_id)[0] == FIRST_DAY


@pytest.mark.parametrize(
    ("program_id", "last_day_before", "first_day"),
    [
        ("cs.transitional_rent", "2025-06-30", "2025-07-01"),
        ("ecm.birth_equity", "2023-12-31", "2024-01-01"),
        ("ecm.ltc_risk", "2022-12-31", "2023-01-01"),
        ("ecm.nf_transition", "2022-12-31", "2023-01-01"),
        ("ecm.homeless_family_youth", "2023-06-30", "2023-07-01"),
        ("ecm.ccs", "2023-06-30", "2023-07-01"),
        ("ecm.child_welfare", "2023-06-30", "2023-07-01"),
    ],
)
def test_programs_are_not_in_effect_before_their_start(
    policy: Policy, program_id: str, last_day_before: str, first_day: str
) -> None:
    before = policy.resolve(dt.date.fromisoformat(last_day_before)).programs[program_id]
    after = policy.resolve(dt.date.fromisoformat(first_day)).programs[program_id]
    assert before.version is None
    assert before.reason
    assert "not in effect" in before.reason
    assert after.version is not None
    assert after.version.label == first_day


def test_rule_versions_follow_the_documented_go_live_dates(policy: Policy) -> None:
    statewide = param_value(policy, "ecm.go_live.phase1_statewide_start")
    for pid in ("ecm.homeless_adult", "ecm.avoidable_utilization", "ecm.smh_sud"):
        assert statewide in version_starts(policy, pid), pid
    children = param_value(policy, "ecm.go_live.children_youth_start")
    for pid in ("ecm.avoidable_utilization", "ecm.smh_sud", "ecm.homeless_family_youth"):
        assert children in version_starts(policy, pid), pid
    split = param_value(policy, "ecm.go_live.homeless_split_start")
    assert split in version_starts(policy, "ecm.homeless_adult")
    justice = param_value(policy, "ecm.go_live.justice_involved_statewide_start")
    assert justice in version_starts(policy, "ecm.justice_involved")
    combined = param_value(policy, "cs.combined_housing_limit.start")
    for pid in COMBINED_LIMIT_RULES:
        assert combined in version_starts(policy, pid), pid
    aps = param_value(policy, "cs.asthma_remediation.aps_requirement_start")
    assert aps in version_starts(policy, "cs.asthma_remediation")
    broadening = param_value(policy, "cs.housing_deposits.broadening_start")
    assert broadening in version_starts(policy, "cs.housing_deposits")


def test_county_phase_in_ends_with_the_statewide_go_live(policy: Policy) -> None:
    def uses_county(program_id: str, on: dt.date) -> bool:
        version = policy.rules[program_id].version_at(on)
        assert version is not None
        return any(
            isinstance(n, Leaf) and n.feature == "county" for n in nodes(version.criteria, policy)
        )

    for pid in ("ecm.homeless_adult", "ecm.avoidable_utilization", "ecm.smh_sud"):
        assert uses_county(pid, dt.date(2022, 6, 30)), pid
        assert not uses_county(pid, dt.date(2022, 7, 1)), pid
    assert uses_county("ecm.justice_involved", dt.date(2023, 12, 31))
    assert not uses_county("ecm.justice_involved", dt.date(2024, 1, 1))
    wpc = param_value(policy, "ecm.go_live.phase1_wpc_hh_counties")
    assert "Los Angeles" in wpc  # VERIFIED Jan 2022 (L.A. Care)
    assert "Santa Barbara" not in wpc
    assert "Stanislaus" not in wpc
    assert len(wpc) == 25
    assert set(wpc) <= set(policy.counties.values())


# --- ECM exclusions ----------------------------------------------------------------------


def test_every_ecm_version_applies_the_ecm_exclusions(policy: Policy) -> None:
    for program_id, program in policy.programs.items():
        if program.kind == "cs":
            continue
        for version in policy.rules[program_id].versions:
            assert "ecm_exclusions" in used_names(version.exclusions), (
                f"{program_id} {version.label}"
            )


def test_dsnp_members_are_excluded_from_ecm_from_2024_with_a_continuity_year(
    policy: Policy,
) -> None:
    start = param_value(policy, "ecm.dsnp.exclusion_start")
    months = param_value(policy, "ecm.dsnp.continuity_months")
    assert (start, months) == (dt.date(2024, 1, 1), 12)
    continuity_end = dt.date(start.year + months // 12, start.month, 1)
    for program_id, program in policy.programs.items():
        if program.kind == "cs":
            continue
        for version in policy.rules[program_id].versions:
            names = used_names(version.exclusions)
            if version.start < start:
                expected: set[str] = set()
            elif version.start < continuity_end:
                expected = {"dsnp_exclusion_with_continuity"}
            else:
                expected = {"dsnp_exclusion"}
            assert names & {"dsnp_exclusion", "dsnp_exclusion_with_continuity"} == expected, (
                f"{program_id} {version.label}"
            )
        assert continuity_end in version_starts(policy, program_id), program_id


# --- Community Support limits ------------------------------------------------------------


def test_combined_housing_limit_is_one_parameter_set_shared_by_three_rules(
    policy: Policy,
) -> None:
    limit = policy.named["combined_housing_limit_reached"].definition
    assert isinstance(limit, Leaf)
    assert limit.feature == "service_use"
    assert limit.args["services"] == "cs.combined_housing_limit.services"
    assert limit.args["months"] == "cs.combined_housing_limit.months"
    assert limit.args["at_least"] == "cs.combined_housing_limit.days"
    assert set(param_value(policy, "cs.combined_housing_limit.services")) == set(
        COMBINED_LIMIT_RULES
    )
    assert param_value(policy, "cs.combined_housing_limit.months") == 12
    assert param_value(policy, "cs.combined_housing_limit.max_months") == 6
    assert 180 <= param_value(policy, "cs.combined_housing_limit.days") <= 184
    for pid in COMBINED_LIMIT_RULES:
        latest = policy.rules[pid].versions[-1]
        assert "combined_housing_limit_reached" in used_names(latest.exclusions), pid
    for pid, rule in policy.rules.items():
        if pid not in COMBINED_LIMIT_RULES:
            for version in rule.versions:
                assert "combined_housing_limit_reached" not in used_names(version.exclusions)


def test_caps_are_exclusions_on_service_use(policy: Policy) -> None:
    capped = {
        "cs.housing_deposits",
        "cs.housing_tenancy_sustaining",
        "cs.short_term_post_hospitalization_housing",
        "cs.recuperative_care",
        "cs.respite",
        "cs.community_transition",
        "cs.environmental_accessibility_adaptations",
        "cs.medically_tailored_meals",
        "cs.asthma_remediation",
        "cs.transitional_rent",
    }
    for pid in capped:
        for version in policy.rules[pid].versions:
            leaves = [
                n
                for tree in version.exclusions
                for n in nodes(tree, policy)
                if isinstance(n, Leaf) and n.feature == "service_use"
            ]
            assert leaves, f"{pid} {version.label} has no service_use cap"


def test_asthma_remediation_needs_a_trigger_assessment_from_2026(policy: Policy) -> None:
    def facts(on: dt.date) -> set[str]:
        version = policy.rules["cs.asthma_remediation"].version_at(on)
        assert version is not None
        return {
            str(n.args["fact"])
            for n in nodes(version.criteria, policy)
            if isinstance(n, Leaf) and n.feature == "fact"
        }

    assert "asthma_trigger_assessment" not in facts(dt.date(2025, 12, 31))
    assert "asthma_trigger_assessment" in facts(dt.date(2026, 1, 1))


# --- Parameters: sources and confidence ---------------------------------------------------


def test_every_parameter_has_a_reference_and_a_valid_confidence(policy: Policy) -> None:
    for path, parameter in policy.parameters.items():
        assert parameter.references, path
        assert all(ref.title for ref in parameter.references), path
        assert parameter.confidence in CONFIDENCES, path
        assert parameter.description, path
        if parameter.confidence in ("recalled", "assumption"):
            assert parameter.note, f"{path} is {parameter.confidence} but explains nothing"
        assert parameter.values[0][0] >= FIRST_DAY, path


@pytest.mark.parametrize(
    "path",
    [
        "cs.recuperative_care.max_days",  # 90 continuous days
        "cs.respite.max_hours_per_year",  # 336 hours
        "cs.community_transition.lifetime_max_usd",  # $7,500
        "cs.asthma_remediation.lifetime_max_usd",
        "cs.short_term_post_hospitalization_housing.lifetime_max_episodes",  # once per lifetime
        "cs.short_term_post_hospitalization_housing.max_months",
        "cs.medically_tailored_meals.max_weeks",  # 12 weeks
        "cs.medically_tailored_meals.meals_per_day",
        "cs.sobering_center.min_age",  # 18+
        "cs.sobering_center.max_hours_per_episode",
        "cs.housing_tenancy_sustaining.lifetime_durations",
        "programs.ecm.birth_equity",  # go-live Jan 2024
        "programs.ecm.homeless_family_youth",  # children/youth July 2023
        "programs.ecm.ccs",
        "programs.ecm.child_welfare",
        "ecm.go_live.children_youth_start",
        "ecm.go_live.phase1_wpc_hh_counties",  # the list of 25 counties
        "ecm.smh_sud.ed_visits",  # adult PoF 3 sub-criteria
        "authorization.ecm.initial_months",  # 12 months
        "authorization.ecm.reauthorization_months",  # 6 months
        "authorization.ecm.presumptive_days",  # ~30 days
        "authorization.cs.recuperative_care_presumptive_days",  # 14 days
        # December 2026 policy review: still uncertain, made visible.
        "cs.combined_housing_limit.start",  # January or July 2025
        "ecm.general.excluded_waivers",  # 1915(c) waivers, relaxed over time
        "ecm.child_welfare.aged_out_age",
        "ecm.child_welfare.family_maintenance_age_limit",
        "cs.personal_care_homemaker.ihss_programs",
    ],
)
def test_recalled_facts_are_flagged_recalled(policy: Policy, path: str) -> None:
    assert policy.parameters[path].confidence == "recalled"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("cs.recuperative_care.max_days", 90),
        ("cs.respite.max_hours_per_year", 336),
        ("cs.community_transition.lifetime_max_usd", 7500),
        ("cs.environmental_accessibility_adaptations.lifetime_max_usd", 7500),
        ("cs.asthma_remediation.lifetime_max_usd", 7500),
        ("cs.sobering_center.min_age", 18),
        ("cs.community_transition.min_days", 60),
        ("cs.alf_transition.min_nf_days", 60),
        ("cs.asthma_remediation.sick_visits", 2),
        ("cs.asthma_remediation.act_score_at_most", 19),
        ("cs.day_habilitation.recently_housed_months", 24),
        ("ecm.child_welfare.aged_out_age", 18),
        ("ecm.child_welfare.former_foster_age_limit", 26),
        ("ecm.child_welfare.family_maintenance_age_limit", 18),
        ("cs.combined_housing_limit.months", 12),
        ("authorization.timelines.routine_business_days", 5),
        ("authorization.timelines.expedited_hours", 72),
        ("ecm.avoidable_utilization.adult.ed_visits", 5),
        ("ecm.avoidable_utilization.youth.unplanned_stays", 2),
        ("ecm.justice_involved.release_months", 12),
        ("pregnancy.postpartum_months", 12),
    ],
)
def test_key_values(policy: Policy, path: str, value: Any) -> None:
    assert param_value(policy, path) == value


@pytest.mark.parametrize(
    "path",
    [
        "cs.combined_housing_limit.services",
        "cs.combined_housing_limit.months",
        "cs.combined_housing_limit.days",
        "cs.community_transition.min_days",
        "cs.asthma_remediation.trigger_assessment_months",
        "cs.housing_deposits.lifetime_max_episodes",
        "cs.personal_care_homemaker.excluded_programs",
        "authorization.timelines.routine_business_days",
        "authorization.timelines.expedited_hours",
        "authorization.ecm.presumptive_start",
        "ecm.dsnp.exclusion_start",
        "ecm.dsnp.continuity_months",
        "programs.cs.transitional_rent",
        "cs.transitional_rent.mandatory_start",
        # December 2026 policy review: confirmed by a source.
        "cs.environmental_accessibility_adaptations.lifetime_max_usd",  # L.A. Care EAA page
        "cs.alf_transition.min_nf_days",  # L.A. Care NF transition page
        "cs.asthma_remediation.sick_visits",  # L.A. Care asthma page
        "cs.asthma_remediation.act_score_at_most",
        "cs.asthma_remediation.control_months",
        "cs.day_habilitation.recently_housed_months",  # L.A. Care day habilitation page
        "ecm.dsnp.programs",
    ],
)
def test_verified_facts_are_flagged_verified(policy: Policy, path: str) -> None:
    assert policy.parameters[path].confidence == "verified"


@pytest.mark.parametrize(
    "path",
    [
        "ecm.avoidable_utilization.count_urgent_care_revenue_code",  # DHCS publishes no code list
        "cs.short_term_post_hospitalization_housing.discharge_facilities",  # our additions
        "cs.transitional_rent.transition_facilities",
        "homelessness.housed_statuses",
    ],
)
def test_modelling_choices_are_flagged_assumption(policy: Policy, path: str) -> None:
    assert policy.parameters[path].confidence == "assumption"


@pytest.mark.parametrize(
    ("program_id", "start"),
    [
        ("ecm.birth_equity", "2024-01-01"),
        ("ecm.ccs", "2023-07-01"),
        ("ecm.homeless_adult", "2023-07-01"),
    ],
)
def test_rule_versions_starting_on_a_recalled_date_are_recalled(
    policy: Policy, program_id: str, start: str
) -> None:
    version = policy.rules[program_id].version_at(dt.date.fromisoformat(start))
    assert version is not None
    assert version.start.isoformat() == start
    assert version.confidence == "recalled"


def test_open_questions_state_both_readings(policy: Policy) -> None:
    for path in (
        "cs.combined_housing_limit.start",
        "cs.short_term_post_hospitalization_housing.lifetime_max_episodes",
    ):
        note = policy.parameters[path].note or ""
        assert "Reading A" in note, path
        assert "Reading B" in note, path
    values = policy.parameters["cs.short_term_post_hospitalization_housing.lifetime_max_episodes"]
    assert dt.date(2025, 7, 1) in [start for start, _ in values.values]


def test_rules_write_numbers_and_lists_as_parameters(policy: Policy) -> None:
    """Literal numbers are allowed only as 1 ("at least one"); literal lists only as the
    `services` of service_use, naming Community Supports."""
    trees: list[tuple[str, Node]] = [
        (f"common.yaml {name}", named.definition) for name, named in policy.named.items()
    ]
    for pid, rule in policy.rules.items():
        for version in rule.versions:
            trees += [
                (f"{pid} {version.label}", t) for t in (version.criteria, *version.exclusions)
            ]
    for plan in policy.plans.values():
        trees += [(f"{plan.code} overlay", overlay.require) for overlay in plan.overlays]
    for where, tree in trees:
        for node in nodes(tree, policy, expand=False):
            if not isinstance(node, Leaf):
                continue
            for name, value in node.args.items():
                if isinstance(value, (bool, str)):
                    continue
                if isinstance(value, int | float):
                    assert value == 1, f"{where}: {node.feature}.{name} = {value}"
                elif isinstance(value, list):
                    assert name == "services", f"{where}: {node.feature}.{name} literal list"
                    assert all(policy.programs[s].kind == "cs" for s in value), where


# --- Value sets --------------------------------------------------------------------------


def test_every_value_set_csv_is_listed_and_not_empty() -> None:
    folder = default_policy_dir() / "value_sets"
    index = yaml.safe_load((folder / "index.yaml").read_text(encoding="utf-8"))
    csvs = {path.stem for path in folder.glob("*.csv")} - {"service_codes"}
    assert csvs == set(index)
    for set_id in index:
        with (folder / f"{set_id}.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert rows, f"{set_id}.csv is empty"
        assert all(row["code"] and row["description"] for row in rows), set_id


def test_icd10_codes_are_written_without_dots(policy: Policy) -> None:
    pattern = re.compile(r"[A-Z][0-9][0-9A-Z]{0,5}")
    for set_id, value_set in policy.value_sets.items():
        if value_set.code_system != "icd-10-cm":
            continue
        assert any(row.include for row in value_set.rows), set_id
        for row in value_set.rows:
            assert pattern.fullmatch(row.code), f"{set_id}: {row.code}"


def test_smi_or_sud_is_the_union_of_its_parts(policy: Policy) -> None:
    def rows(set_id: str) -> set[tuple[str, bool]]:
        return {(r.code, r.include) for r in policy.value_sets[set_id].rows}

    union = rows("serious_mental_illness") | rows("substance_use_disorder")
    assert rows("smi_or_sud") == union


def test_homelessness_z_codes_follow_the_contract(policy: Policy) -> None:
    assert {r.code for r in policy.value_sets["homelessness"].rows} == {"Z590"}
    assert {r.code for r in policy.value_sets["housing_instability"].rows} == {"Z5981"}


def test_every_value_set_is_used(policy: Policy) -> None:
    used: set[str] = set()
    trees = [named.definition for named in policy.named.values()]
    for rule in policy.rules.values():
        for version in rule.versions:
            trees += [version.criteria, *version.exclusions]
    for tree in trees:
        used |= {
            str(n.args[name])
            for n in walk(tree)
            if isinstance(n, Leaf)
            for name in ("value_set", "acute_value_set")
            if name in n.args
        }
    definitions = set(DEFINITION_VALUE_SETS)
    # smi_or_sud parts are used through the union and through behavioral_health_need.
    assert set(policy.value_sets) - definitions - used == set()


# --- Sample plans ------------------------------------------------------------------------


def test_plan_counties_follow_the_real_structure(policy: Policy) -> None:
    on_2026 = dt.date(2026, 1, 1)
    served = {
        county: {code for code, plan in policy.plans.items() if plan.serves(county, on_2026)}
        for county in ("Los Angeles", "Sacramento", "San Diego", "Alameda", "Santa Barbara")
    }
    assert served == {
        "Los Angeles": {"LACARE", "HEALTHNET", "KAISER"},
        "Sacramento": {"ANTHEM", "HEALTHNET", "MOLINA", "KAISER"},
        "San Diego": {"CHG", "BLUESHIELD", "MOLINA", "KAISER"},
        "Alameda": {"ALLIANCE", "KAISER"},
        "Santa Barbara": {"CENCAL"},
    }
    anthem = policy.plans["ANTHEM"]
    assert anthem.serves("Alameda", dt.date(2023, 12, 31))
    assert not anthem.serves("Alameda", dt.date(2024, 1, 1))


def test_elections_only_cover_counties_the_plan_serves(policy: Policy) -> None:
    for code, plan in policy.plans.items():
        for election in plan.elections:
            for county in election.counties:
                periods = [period for name, period in plan.counties if name == county]
                assert any(
                    period.covers(election.period.start)
                    and (
                        period.end is None
                        or (election.period.end is not None and election.period.end <= period.end)
                    )
                    for period in periods
                ), f"{code} offers {election.program_id} in {county} outside its service"


def test_every_plan_offers_transitional_rent_from_2026(policy: Policy) -> None:
    mandatory = param_value(policy, "cs.transitional_rent.mandatory_start")
    offers = set(policy.resolve(mandatory).offers)
    early = {o[0] for o in policy.resolve(dt.date(2025, 7, 1)).offers if o[2].endswith("rent")}
    assert early
    assert early != set(policy.plans)
    for code, plan in policy.plans.items():
        for county, period in plan.counties:
            if period.covers(mandatory):
                assert (code, county, "cs.transitional_rent") in offers, (code, county)


def test_plan_elections_change_over_time(policy: Policy) -> None:
    def offered(code: str, county: str, program_id: str, on: str) -> bool:
        return (code, county, program_id) in policy.resolve(dt.date.fromisoformat(on)).offers

    assert not offered("LACARE", "Los Angeles", "cs.respite", "2023-06-30")
    assert offered("LACARE", "Los Angeles", "cs.respite", "2023-07-01")
    assert offered("HEALTHNET", "Sacramento", "cs.day_habilitation", "2024-12-31")
    assert not offered("HEALTHNET", "Sacramento", "cs.day_habilitation", "2025-01-01")


def test_overlays_narrow_only_community_supports(policy: Policy) -> None:
    overlays = {(code, o.program_id) for code, p in policy.plans.items() for o in p.overlays}
    assert ("LACARE", "cs.medically_tailored_meals") in overlays
    assert ("LACARE", "cs.recuperative_care") in overlays
    assert ("HEALTHNET", "cs.transitional_rent") in overlays
    assert all(policy.programs[pid].kind == "cs" for _, pid in overlays)


def _copy_plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    shutil.copytree(default_plans_dir(), folder)
    return folder


def test_a_plan_overlay_narrowing_an_ecm_pof_is_rejected(tmp_path: Path) -> None:
    folder = _copy_plans(tmp_path)
    file = folder / "LACARE.yaml"
    raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    raw["overlays"].append(
        {
            "program": "ecm.smh_sud",
            "from": "2024-01-01",
            "label": "narrower SMH/SUD criteria",
            "require": {"feature": "program", "programs": ["smhs"]},
        }
    )
    file.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with pytest.raises(PolicyError, match="DHCS"):
        Policy.load(plans_dir=folder)


def test_a_plan_election_of_ecm_is_rejected(tmp_path: Path) -> None:
    folder = _copy_plans(tmp_path)
    file = folder / "CENCAL.yaml"
    raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    raw["community_supports"].append(
        {"program": "ecm.birth_equity", "counties": "all", "from": "2024-01-01"}
    )
    file.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with pytest.raises(PolicyError, match="DHCS"):
        Policy.load(plans_dir=folder)


def test_the_sample_plans_load_from_a_copy(tmp_path: Path) -> None:
    assert set(Policy.load(plans_dir=_copy_plans(tmp_path)).plans) == PAYERS


def test_plan_authorization_periods_do_not_overlap(policy: Policy) -> None:
    for code, plan in policy.plans.items():
        periods = sorted((t.period.start, t.period.end) for t in plan.authorization)
        assert periods[0][0] == FIRST_DAY, code
        for (_, end), (next_start, _) in itertools.pairwise(periods):
            assert end == next_start, f"{code}: authorization periods must meet"
        assert periods[-1][1] is None, code
        latest = max(plan.authorization, key=lambda t: t.period.start)
        assert latest.ecm["initial_months"] == param_value(
            policy, "authorization.ecm.initial_months"
        )
