"""Assigning a member to an ECM provider: matched, plan override, member-requested change.

Plan care coordination assigns (policy-facts §2.2). Each assignment opens an `Enrollment` in
`assigned`, records a `StatusChange`, sends the DHCS closed-loop notices (§5.5: to the member,
and to the referrer when a referral led here) and is audited with the ranking behind it. A
member has one active enrollment at a time (checked here, enforced by the database).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.assignments.links import Links, resolve_links
from calaim.ops.assignments.ranking import Ranking, explain, rank, service_area_exclusions
from calaim.ops.assignments.repository import AssignmentRepository
from calaim.ops.enrollments.coverage import Coverage, check_coverage, record_override
from calaim.ops.enrollments.notices import assignment_notices
from calaim.ops.enrollments.reasons import PROVIDER_CHANGE
from calaim.ops.enrollments.repository import EnrollmentRepository
from calaim.ops.enrollments.service import EnrollmentService
from calaim.ops.errors import Conflict, InvalidRequest
from calaim.ops.members.repository import MemberRepository
from calaim.ops.models import (
    AssignmentReason,
    Enrollment,
    EnrollmentStatus,
    Member,
    Organization,
    User,
)


class AlreadyAssigned(Conflict):
    """The member already has an active ECM enrollment."""


class NoProviderAvailable(Conflict):
    """No ECM provider passed every requirement; the ranking says why each was excluded."""


class ProviderCannotServe(InvalidRequest):
    """The named provider is not an ECM provider serving the member's county and plan."""


class ReasonRequired(InvalidRequest):
    """A plan override must say why."""


class NoActiveEnrollment(Conflict):
    """A provider change needs a current enrollment to end."""


@dataclass(frozen=True)
class Assignment:
    """A new enrollment and the ranking that chose its provider."""

    enrollment: Enrollment
    ranking: Ranking


class AssignmentService:
    """ECM provider assignment on behalf of one plan care-coordination user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.repository = AssignmentRepository(session, actor)
        self.enrollments = EnrollmentRepository(session, actor)

    def propose(self, member_id: uuid.UUID, *, today: dt.date) -> Ranking:
        """Rank the ECM providers for a member without assigning (audited)."""
        require(self.actor, Permission.ASSIGNMENT_MANAGE)
        member = MemberRepository(self.session, self.actor).get(member_id)
        return self._rank(member, today, "assignment.propose")

    def assign(
        self,
        member_id: uuid.UUID,
        *,
        today: dt.date,
        now: dt.datetime,
        referral_id: uuid.UUID | None = None,
        authorization_id: uuid.UUID | None = None,
        authorization_override_reason: str | None = None,
    ) -> Assignment:
        """Assign the best-ranked provider (reason `continuity` or `matched`).

        ECM needs an authorization in force today, or the plan's override with a reason
        (`ops/enrollments/coverage.py`).
        """
        member = self._member_to_assign(member_id)
        links = resolve_links(self.session, self.actor, member, referral_id, authorization_id)
        coverage = check_coverage(
            self.session,
            member.id,
            today,
            named=links.authorization,
            override_reason=authorization_override_reason,
        )
        ranking = self._rank(member, today, "assignment.rank")
        choice = ranking.choice
        if choice is None:
            summary = "; ".join(f"{e.name}: {', '.join(e.exclusions)}" for e in ranking.evaluations)
            raise NoProviderAvailable(
                f"no ECM provider can take member {member_id} "
                f"({summary or 'no ECM providers are configured'}); "
                "add capacity or contracts, or assign a provider by plan override"
            )
        why = f"{ranking.reason.value}: ranked first of {len(ranking.evaluations)}"
        reason = ranking.reason
        enrollment = self._open(
            member, choice.organization_id, reason, links, today, now, why, coverage
        )
        return Assignment(enrollment, ranking)

    def override(
        self,
        member_id: uuid.UUID,
        provider_id: uuid.UUID,
        *,
        why: str,
        today: dt.date,
        now: dt.datetime,
        referral_id: uuid.UUID | None = None,
        authorization_id: uuid.UUID | None = None,
        authorization_override_reason: str | None = None,
    ) -> Enrollment:
        """Assign a provider the plan names; it must still serve the county and the plan."""
        if not why.strip():
            raise ReasonRequired(
                "a plan override needs a reason (why this provider rather than the ranking's)",
                field="why",
            )
        member = self._member_to_assign(member_id)
        links = resolve_links(self.session, self.actor, member, referral_id, authorization_id)
        coverage = check_coverage(
            self.session,
            member.id,
            today,
            named=links.authorization,
            override_reason=authorization_override_reason,
        )
        self._check_serves(member, provider_id, today)
        reason = AssignmentReason.PLAN_OVERRIDE
        return self._open(member, provider_id, reason, links, today, now, why.strip(), coverage)

    def change_provider(
        self,
        member_id: uuid.UUID,
        provider_id: uuid.UUID,
        *,
        expected_version: int,
        today: dt.date,
        now: dt.datetime,
        note: str | None = None,
        authorization_override_reason: str | None = None,
    ) -> Enrollment:
        """The member asked for another provider: end the current enrollment, assign that one.

        The new enrollment needs ECM coverage as an assignment does; an override recorded on
        the current enrollment carries over (the member's choice does not reopen it).
        """
        require(self.actor, Permission.ASSIGNMENT_MANAGE)
        member = MemberRepository(self.session, self.actor).get(member_id)
        current = self.enrollments.active_for_member(member.id)
        if current is None:
            raise NoActiveEnrollment(
                f"member {member_id} has no active ECM enrollment to change; assign one instead"
            )
        if current.provider_organization_id == provider_id:
            raise ProviderCannotServe(
                "the member is already with that provider; name a different one",
                field="provider_organization_id",
            )
        self._check_serves(member, provider_id, today)
        carried = current.authorization_override_reason
        coverage = check_coverage(
            self.session,
            member.id,
            today,
            override_reason=authorization_override_reason or carried,
        )
        ending = EnrollmentService(self.session, self.actor)
        ending.end(
            ending.for_update(current.id, expected_version),
            reason_code=PROVIDER_CHANGE,
            discontinued_on=today,
            today=today,
            now=now,
            reason=note,
            expected_version=expected_version,
        )
        links = Links(referral=None, authorization=None)
        why = "member requested a different ECM provider" + (f": {note}" if note else "")
        reason = AssignmentReason.MEMBER_REQUEST
        return self._open(member, provider_id, reason, links, today, now, why, coverage)

    def _member_to_assign(self, member_id: uuid.UUID) -> Member:
        require(self.actor, Permission.ASSIGNMENT_MANAGE)
        member = MemberRepository(self.session, self.actor).get(member_id)
        current = self.enrollments.active_for_member(member.id)
        if current is not None:
            raise AlreadyAssigned(
                f"member {member_id} already has an active ECM enrollment ({current.status}, "
                f"enrollment {current.id}); change the provider or discontinue it first"
            )
        return member

    def _plan_code(self) -> str:
        return (self.actor.organization.plan_code or "").upper()

    def _rank(self, member: Member, today: dt.date, action: str) -> Ranking:
        needs = self.repository.needs(member, self._plan_code(), today)
        ranking = rank(needs, self.repository.candidates())
        self.enrollments.audit_member(action, member, {"ranking": explain(ranking)})
        return ranking

    def _check_serves(self, member: Member, provider_id: uuid.UUID, today: dt.date) -> None:
        found = self.repository.candidates(provider_id)
        if not found:
            raise ProviderCannotServe(
                f"organization {provider_id} is not an ECM provider with a provider profile; "
                "name a contracted ECM provider",
                field="provider_organization_id",
            )
        needs = self.repository.needs(member, self._plan_code(), today)
        problems = service_area_exclusions(needs, found[0])
        if problems:
            raise ProviderCannotServe(
                f"{found[0].name} cannot serve this member: {'; '.join(problems)}; "
                "choose a provider that serves the member's county and plan",
                field="provider_organization_id",
            )

    def _open(
        self,
        member: Member,
        provider_id: uuid.UUID,
        reason: AssignmentReason,
        links: Links,
        today: dt.date,
        now: dt.datetime,
        why: str,
        coverage: Coverage,
    ) -> Enrollment:
        covering = coverage.authorization
        enrollment = Enrollment(
            member_id=member.id,
            member=member,
            plan_organization_id=member.plan_organization_id,
            provider_organization_id=provider_id,
            authorization_id=covering.id if covering else None,
            referral_id=links.referral.id if links.referral else None,
            status=EnrollmentStatus.ASSIGNED.value,
            assignment_reason=reason.value,
            assigned_on=today,
            updated_at=now,
        )
        record_override(enrollment, coverage, self.actor, now)
        try:
            # A savepoint: losing the race to `uq_enrollments_active_member` (one active
            # enrollment per member) leaves the request's transaction usable.
            with self.session.begin_nested():
                self.enrollments.add(enrollment)
        except IntegrityError as error:
            raise AlreadyAssigned(
                "the member was just assigned to an ECM provider by someone else; reload the "
                "member to see the assignment"
            ) from error
        self.enrollments.history(enrollment, None, EnrollmentStatus.ASSIGNED, why, at=now)
        referrer = links.referral.referring_organization_id if links.referral else None
        assignment_notices(self.session, enrollment, referrer, now)
        links.record_assignment(self.session, self.actor, provider_id, now)
        provider = self.session.get(Organization, provider_id)
        self.enrollments.audit(
            "enrollment.assign",
            enrollment,
            {"reason": reason.value, "why": why, "provider": provider.name if provider else None},
        )
        if coverage.overridden:
            self.enrollments.audit(
                "enrollment.authorization_override",
                enrollment,
                {"reason": coverage.override_reason, "overrides": list(coverage.problems)},
            )
        self.session.flush()
        return enrollment
