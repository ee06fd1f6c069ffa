"""The queries assignment needs: providers, the member's populations and relationships.

Provider directory rows (organizations, profiles, counts of members held) are not member data
and are read unscoped: every plan assigns from the same directory and capacity is shared
across plans. Everything about a member goes through scoped, audited repositories.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from calaim.ops.assignments.ranking import Candidate, MemberNeeds
from calaim.ops.enrollments.reasons import PROVIDER_CHANGE
from calaim.ops.enrollments.state import ACTIVE_STATUSES
from calaim.ops.models import (
    Enrollment,
    Member,
    MemberDetermination,
    Organization,
    OrganizationKind,
    ProviderProfile,
    Referral,
    User,
)
from calaim.ops.providers.populations import member_groups

ECM_POPULATION_PREFIX = "ecm."


class AssignmentRepository:
    """Reads for assignment on behalf of one user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor

    def candidates(self, provider_id: uuid.UUID | None = None) -> list[Candidate]:
        """Every ECM provider with a profile (or just `provider_id`), with members it holds."""
        held = (
            select(Enrollment.provider_organization_id, func.count().label("n"))
            .where(Enrollment.status.in_(sorted(s.value for s in ACTIVE_STATUSES)))
            .group_by(Enrollment.provider_organization_id)
            .subquery()
        )
        statement = (
            select(Organization, ProviderProfile, func.coalesce(held.c.n, 0))
            .join(ProviderProfile, ProviderProfile.organization_id == Organization.id)
            .outerjoin(held, held.c.provider_organization_id == Organization.id)
            .where(Organization.kind == OrganizationKind.ECM_PROVIDER.value)
        )
        if provider_id is not None:
            statement = statement.where(Organization.id == provider_id)
        rows = self.session.execute(statement.order_by(Organization.name)).all()
        return [_candidate(org, profile, int(count)) for org, profile, count in rows]

    def needs(self, member: Member, plan_code: str, today: dt.date) -> MemberNeeds:
        """The member as the ranking sees it, from a member the actor may already see."""
        populations = self.populations(member.id, today)
        return MemberNeeds(
            county=member.county,
            plan_code=plan_code,
            language=member.language,
            populations=populations,
            groups=member_groups(member.birth_date, populations, today),
            pcp_organization_id=member.pcp_organization_id,
            prior_enrollment_provider_ids=self._prior_providers(member.id),
            referral_provider_ids=self._referral_providers(member.id),
        )

    def populations(self, member_id: uuid.UUID, today: dt.date) -> frozenset[str]:
        """Populations of focus the member is eligible for in the latest determination."""
        statement = (
            select(MemberDetermination)
            .where(
                MemberDetermination.member_id == member_id,
                MemberDetermination.program_id.startswith(ECM_POPULATION_PREFIX),
                MemberDetermination.as_of <= today,
            )
            .order_by(MemberDetermination.as_of)
        )
        latest: dict[str, bool] = {}
        for row in self.session.scalars(statement):
            latest[row.program_id] = row.eligible  # later as-of dates overwrite earlier ones
        return frozenset(program for program, eligible in latest.items() if eligible)

    def _prior_providers(self, member_id: uuid.UUID) -> frozenset[uuid.UUID]:
        # A provider the member asked to leave is no continuity to return to.
        statement = select(Enrollment.provider_organization_id).where(
            Enrollment.member_id == member_id,
            or_(
                Enrollment.discontinuation_reason_code.is_(None),
                Enrollment.discontinuation_reason_code != PROVIDER_CHANGE,
            ),
        )
        return frozenset(self.session.scalars(statement))

    def _referral_providers(self, member_id: uuid.UUID) -> frozenset[uuid.UUID]:
        # A provider that referred the member, or received a referral of them, knows them.
        statement = select(
            Referral.referring_organization_id, Referral.receiving_organization_id
        ).where(Referral.member_id == member_id)
        ids: set[uuid.UUID] = set()
        for referring, receiving in self.session.execute(statement):
            ids.add(referring)
            if receiving is not None:
                ids.add(receiving)
        return frozenset(ids)


def _candidate(org: Organization, profile: ProviderProfile, held: int) -> Candidate:
    return Candidate(
        organization_id=org.id,
        name=org.name,
        counties=frozenset(str(county) for county in org.counties_served or []),
        contracted_plans=frozenset(str(code).upper() for code in profile.contracted_plans or []),
        languages=frozenset(str(code) for code in profile.languages or []),
        programs_served=frozenset(str(pid) for pid in profile.programs_served or []),
        capacity=profile.capacity,
        active_members=held,
        populations_served=frozenset(str(p) for p in profile.populations_served or []),
    )
