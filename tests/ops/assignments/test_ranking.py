"""The pure ranking: hard requirements exclude, continuity ranks first, reasons are shown."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

from calaim.ops.assignments.ranking import (
    Candidate,
    Continuity,
    MemberNeeds,
    evaluate,
    explain,
    rank,
)
from calaim.ops.models import AssignmentReason
from calaim.ops.providers.populations import member_groups

ON = dt.date(2025, 10, 1)
MEMBER = MemberNeeds(
    county="Los Angeles",
    plan_code="PLANA",
    language="es",
    populations=frozenset({"ecm.homeless_adult"}),
)


def provider(name: str, **changes: object) -> Candidate:
    """A provider that can serve MEMBER unless `changes` say otherwise."""
    base = Candidate(
        organization_id=uuid.uuid5(uuid.NAMESPACE_DNS, name),
        name=name,
        counties=frozenset({"Los Angeles"}),
        contracted_plans=frozenset({"PLANA"}),
        languages=frozenset({"en"}),
        programs_served=frozenset({"ecm.homeless_adult"}),
        capacity=10,
        active_members=0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_provider_meeting_every_requirement_is_chosen_as_matched() -> None:
    ranking = rank(MEMBER, [provider("A")])
    assert ranking.choice is not None
    assert ranking.choice.name == "A"
    assert ranking.choice.rank == 1
    assert ranking.reason == AssignmentReason.MATCHED


def test_each_hard_requirement_excludes_and_says_why() -> None:
    cases = {
        "county": (provider("X", counties=frozenset({"Orange"})), "does not serve Los Angeles"),
        "plan": (provider("X", contracted_plans=frozenset({"PLANB"})), "not contracted"),
        "capacity": (provider("X", capacity=3, active_members=3), "no open capacity (3 of 3"),
        "population": (
            provider("X", programs_served=frozenset({"ecm.ccs"})),
            "serves none of the member's populations",
        ),
    }
    for name, (candidate, words) in cases.items():
        evaluation = evaluate(MEMBER, candidate)
        assert not evaluation.eligible, name
        assert any(words in reason for reason in evaluation.exclusions), name
        assert rank(MEMBER, [candidate]).choice is None, name


def test_capacity_boundary_one_open_place_is_enough() -> None:
    assert evaluate(MEMBER, provider("X", capacity=3, active_members=2)).eligible
    assert not evaluate(MEMBER, provider("X", capacity=3, active_members=3)).eligible
    # Over-full (capacity lowered after assignment) never shows negative open capacity.
    assert evaluate(MEMBER, provider("X", capacity=1, active_members=4)).open_capacity == 0


def test_no_population_on_record_does_not_filter_by_population() -> None:
    member = replace(MEMBER, populations=frozenset())
    assert evaluate(member, provider("X", programs_served=frozenset({"ecm.ccs"}))).eligible


def test_continuity_beats_language_and_capacity() -> None:
    known = provider("Known", languages=frozenset({"en"}), capacity=1)
    spanish = provider("Spanish", languages=frozenset({"es"}), capacity=50)
    member = replace(MEMBER, referral_provider_ids=frozenset({known.organization_id}))
    ranking = rank(member, [spanish, known])
    assert ranking.choice is not None
    assert ranking.choice.name == "Known"
    assert ranking.choice.continuity == Continuity.REFERRAL
    assert ranking.reason == AssignmentReason.CONTINUITY
    assert [e.rank for e in ranking.evaluations] == [1, 2]


def test_continuity_strength_prior_enrollment_then_referral_then_primary_care() -> None:
    pcp, referred, prior = provider("Pcp"), provider("Referred"), provider("Prior")
    member = replace(
        MEMBER,
        pcp_organization_id=pcp.organization_id,
        referral_provider_ids=frozenset({referred.organization_id}),
        prior_enrollment_provider_ids=frozenset({prior.organization_id}),
    )
    ranking = rank(member, [pcp, referred, prior])
    assert [e.name for e in ranking.evaluations] == ["Prior", "Referred", "Pcp"]
    assert ranking.evaluations[2].continuity == Continuity.PRIMARY_CARE


def test_continuity_never_overrides_a_hard_requirement() -> None:
    full = provider("Full", capacity=1, active_members=1)
    other = provider("Other")
    member = replace(MEMBER, prior_enrollment_provider_ids=frozenset({full.organization_id}))
    ranking = rank(member, [full, other])
    assert ranking.choice is not None
    assert ranking.choice.name == "Other"
    assert ranking.reason == AssignmentReason.MATCHED
    assert ranking.evaluations[1].rank is None


def test_language_then_populations_then_open_capacity_break_ties() -> None:
    english = provider("English", capacity=99)
    spanish = provider("Spanish", languages=frozenset({"es"}), capacity=2)
    assert rank(MEMBER, [english, spanish]).evaluations[0].name == "Spanish"
    member = replace(MEMBER, populations=frozenset({"ecm.homeless_adult", "ecm.smh_sud"}))
    both = provider("Both", programs_served=frozenset({"ecm.homeless_adult", "ecm.smh_sud"}))
    one = provider("One", capacity=99)
    assert rank(member, [one, both]).evaluations[0].name == "Both"
    small, large = provider("Small", capacity=2), provider("Large", capacity=3)
    assert rank(MEMBER, [small, large]).evaluations[0].name == "Large"


def test_a_member_without_a_language_matches_no_one() -> None:
    member = replace(MEMBER, language=None)
    assert not evaluate(member, provider("X", languages=frozenset({"es"}))).language_match


def test_explain_lists_every_provider_with_its_reasons() -> None:
    ranking = rank(MEMBER, [provider("A"), provider("B", counties=frozenset({"Kern"}))])
    rows = explain(ranking)
    assert [row["name"] for row in rows] == ["A", "B"]
    assert rows[0]["rank"] == 1
    assert rows[0]["excluded_because"] == []
    assert rows[1]["rank"] is None
    assert rows[1]["excluded_because"] == ["does not serve Los Angeles county"]
    assert rows[0]["populations_matched"] == ["ecm.homeless_adult"]


def test_nobody_to_rank_means_no_choice() -> None:
    ranking = rank(MEMBER, [])
    assert ranking.choice is None
    assert ranking.reason == AssignmentReason.MATCHED


def test_serving_the_members_group_ranks_after_language_and_before_capacity() -> None:
    # A 70-year-old: the provider whose profile says it serves older adults ranks above a
    # roomier one that does not say so, but not above one speaking the member's language.
    older = replace(MEMBER, groups=member_groups(dt.date(1955, 3, 1), MEMBER.populations, ON))
    assert older.groups == frozenset({"adults", "older_adults"})
    says = provider("Says", populations_served=frozenset({"older_adults"}), capacity=5)
    roomy = provider("Roomy", capacity=50)
    assert [e.name for e in rank(older, [roomy, says]).evaluations] == ["Says", "Roomy"]
    speaks = provider("Speaks", languages=frozenset({"es"}), capacity=5)
    assert [e.name for e in rank(older, [says, speaks]).evaluations] == ["Speaks", "Says"]
    (row, _other) = explain(rank(older, [roomy, says]))
    assert row["groups_matched"] == ["older_adults"]
    # Serving a group is never a requirement: a provider serving only children still ranks.
    children = provider("Kids", populations_served=frozenset({"children_youth"}))
    assert rank(older, [children]).choice is not None


def test_a_members_groups_by_age_on_the_day_and_by_population_of_focus() -> None:
    # 21 on the day is an adult; the day before, still youth. 65 makes an older adult.
    assert member_groups(dt.date(2004, 10, 1), frozenset(), ON) == frozenset({"adults"})
    assert member_groups(dt.date(2004, 10, 2), frozenset(), ON) == frozenset({"children_youth"})
    assert "older_adults" in member_groups(dt.date(1960, 10, 1), frozenset(), ON)
    assert "older_adults" not in member_groups(dt.date(1960, 10, 2), frozenset(), ON)
    leaving_jail = member_groups(None, frozenset({"ecm.justice_involved"}), ON)
    assert leaving_jail == frozenset({"justice_involved"})
