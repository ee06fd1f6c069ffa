"""Choosing an ECM provider for a member (pure, no database), with the reasons shown.

The plan assigns each eligible member to a contracted ECM provider (policy-facts §2.2). A
provider is considered only if it serves the member's county, is contracted with the member's
plan, has open capacity and serves one of the member's populations of focus. Among those,
continuity comes first (an existing relationship: a prior enrollment, a referral, or the
member's primary care clinic), then a language match, then whether the provider's profile says
it serves one of the member's groups (`populations_served`: adults, older adults, children and
youth, families, people leaving jail or prison; see `ops/providers/populations.py`), then the
most populations of focus served, then the most open capacity. Every provider considered is
listed with why it ranked or was excluded.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from enum import IntEnum

from calaim.ops.models import AssignmentReason


class Continuity(IntEnum):
    """How the member already knows a provider; a higher value ranks first."""

    NONE = 0
    PRIMARY_CARE = 1
    REFERRAL = 2
    PRIOR_ENROLLMENT = 3


@dataclass(frozen=True)
class MemberNeeds:
    """What assignment needs to know about the member."""

    county: str
    plan_code: str
    language: str | None
    # Populations of focus (`ecm.*`) the member is determined eligible for.
    populations: frozenset[str]
    pcp_organization_id: uuid.UUID | None = None
    prior_enrollment_provider_ids: frozenset[uuid.UUID] = frozenset()
    referral_provider_ids: frozenset[uuid.UUID] = frozenset()
    # Groups the member belongs to (by age and populations of focus), matched against the
    # populations a provider's profile says it serves.
    groups: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Candidate:
    """One ECM provider as assignment sees it."""

    organization_id: uuid.UUID
    name: str
    counties: frozenset[str]
    contracted_plans: frozenset[str]
    languages: frozenset[str]
    programs_served: frozenset[str]
    capacity: int
    # Members it holds now (assigned, in outreach or enrolled).
    active_members: int
    # Groups of people its profile says it serves (empty: it does not say).
    populations_served: frozenset[str] = frozenset()

    @property
    def open_capacity(self) -> int:
        """Capacity not yet taken (never below zero)."""
        return max(self.capacity - self.active_members, 0)


@dataclass(frozen=True)
class Evaluation:
    """Why a provider was ranked or excluded."""

    organization_id: uuid.UUID
    name: str
    exclusions: tuple[str, ...]
    continuity: Continuity
    language_match: bool
    populations_matched: tuple[str, ...]
    open_capacity: int
    rank: int | None = None
    # The member's groups the provider says it serves.
    groups_matched: tuple[str, ...] = ()

    @property
    def eligible(self) -> bool:
        """Whether the provider passed every requirement."""
        return not self.exclusions


@dataclass(frozen=True)
class Ranking:
    """The chosen provider (if any) and every provider considered, ranked ones first."""

    evaluations: tuple[Evaluation, ...]

    @property
    def choice(self) -> Evaluation | None:
        """The top-ranked provider, or None when every provider was excluded."""
        first = self.evaluations[0] if self.evaluations else None
        return first if first is not None and first.eligible else None

    @property
    def reason(self) -> AssignmentReason:
        """`continuity` when the choice has an existing relationship, else `matched`."""
        choice = self.choice
        if choice is not None and choice.continuity > Continuity.NONE:
            return AssignmentReason.CONTINUITY
        return AssignmentReason.MATCHED


def continuity(member: MemberNeeds, candidate: Candidate) -> Continuity:
    """The strongest existing relationship between the member and a provider."""
    provider = candidate.organization_id
    if provider in member.prior_enrollment_provider_ids:
        return Continuity.PRIOR_ENROLLMENT
    if provider in member.referral_provider_ids:
        return Continuity.REFERRAL
    if provider == member.pcp_organization_id:
        return Continuity.PRIMARY_CARE
    return Continuity.NONE


def service_area_exclusions(member: MemberNeeds, candidate: Candidate) -> list[str]:
    """Why a provider cannot serve the member at all (county, plan contract)."""
    reasons = []
    if member.county not in candidate.counties:
        reasons.append(f"does not serve {member.county} county")
    if member.plan_code not in candidate.contracted_plans:
        reasons.append(f"not contracted with plan {member.plan_code}")
    return reasons


def evaluate(member: MemberNeeds, candidate: Candidate) -> Evaluation:
    """Check one provider against the member's needs."""
    exclusions = service_area_exclusions(member, candidate)
    if candidate.open_capacity <= 0:
        exclusions.append(
            f"no open capacity ({candidate.active_members} of {candidate.capacity} taken)"
        )
    matched = tuple(sorted(member.populations & candidate.programs_served))
    # A member with no eligible population on record is not filtered by population.
    if member.populations and not matched:
        exclusions.append("serves none of the member's populations of focus")
    language = member.language is not None and member.language in candidate.languages
    return Evaluation(
        organization_id=candidate.organization_id,
        name=candidate.name,
        exclusions=tuple(exclusions),
        continuity=continuity(member, candidate),
        language_match=language,
        populations_matched=matched,
        open_capacity=candidate.open_capacity,
        groups_matched=tuple(sorted(member.groups & candidate.populations_served)),
    )


def _order(evaluation: Evaluation) -> tuple[int, int, int, int, int, int, str, str]:
    return (
        0 if evaluation.eligible else 1,
        -int(evaluation.continuity),
        0 if evaluation.language_match else 1,
        0 if evaluation.groups_matched else 1,
        -len(evaluation.populations_matched),
        -evaluation.open_capacity,
        evaluation.name,
        str(evaluation.organization_id),
    )


def rank(member: MemberNeeds, candidates: list[Candidate]) -> Ranking:
    """Evaluate every candidate and order them: eligible ones by preference, then the rest."""
    evaluations = sorted((evaluate(member, c) for c in candidates), key=_order)
    ranked = []
    position = 0
    for evaluation in evaluations:
        if evaluation.eligible:
            position += 1
            evaluation = replace(evaluation, rank=position)
        ranked.append(evaluation)
    return Ranking(tuple(ranked))


def explain(ranking: Ranking) -> list[dict[str, object]]:
    """The ranking as plain data, for the audit trail and the API."""
    return [
        {
            "organization_id": str(e.organization_id),
            "name": e.name,
            "rank": e.rank,
            "excluded_because": list(e.exclusions),
            "continuity": e.continuity.name.lower(),
            "language_match": e.language_match,
            "populations_matched": list(e.populations_matched),
            "groups_matched": list(e.groups_matched),
            "open_capacity": e.open_capacity,
        }
        for e in ranking.evaluations
    ]
