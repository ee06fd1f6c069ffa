"""Every query of the member portal: accounts and codes (before sign-in), and the member's
own record (after it, scoped by `calaim.ops.access.scopes.member_visible`)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import (
    enrollment_visible,
    member_id_visible,
    member_visible,
    notice_visible,
    referral_visible,
    service_episode_visible,
)
from calaim.ops.audit.service import record
from calaim.ops.errors import NotFound
from calaim.ops.models import (
    ConsentRequestStatus,
    Enrollment,
    EnrollmentStatus,
    EpisodeStatus,
    Member,
    Notice,
    NoticeRecipient,
    Organization,
    Part2ConsentRequest,
    ProviderProfile,
    Referral,
    Role,
    ServiceEpisode,
    User,
)
from calaim.ops.models.letter import Letter
from calaim.ops.models.member_account import MemberAccount, MemberSignInCode
from calaim.ops.repository_base import Missing, ScopedRepository


class OwnRecordNotFound(NotFound):
    """Not the member's own record (or no such record): the same answer either way."""


class Accounts:
    """Member accounts and their sign-in codes (read before anyone is signed in)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_email(self, email: str) -> MemberAccount | None:
        """The member account signing in with `email` (case-insensitive), if any."""
        statement = (
            select(MemberAccount)
            .join(User, User.id == MemberAccount.user_id)
            .where(func.lower(User.email) == email.strip().lower(), User.role == Role.MEMBER)
        )
        return self.session.scalars(statement).unique().one_or_none()

    def of_user(self, user: User) -> MemberAccount | None:
        """The account of a signed-in member user."""
        statement = select(MemberAccount).where(MemberAccount.user_id == user.id)
        return self.session.scalars(statement).unique().one_or_none()

    def with_emails(self, emails: list[str]) -> list[MemberAccount]:
        """The accounts signing in with `emails`, in that order (the demo's banner)."""
        statement = (
            select(MemberAccount)
            .join(User, User.id == MemberAccount.user_id)
            .where(func.lower(User.email).in_([e.lower() for e in emails]))
        )
        found = {a.user.email: a for a in self.session.scalars(statement).unique()}
        return [found[e.lower()] for e in emails if e.lower() in found]

    def codes_since(self, user: User, since: dt.datetime) -> list[MemberSignInCode]:
        """The user's codes made at or after `since`, newest first."""
        statement = (
            select(MemberSignInCode)
            .where(MemberSignInCode.user_id == user.id, MemberSignInCode.created_at >= since)
            .order_by(MemberSignInCode.created_at.desc())
        )
        return list(self.session.scalars(statement))

    def live_codes(self, user: User, now: dt.datetime) -> list[MemberSignInCode]:
        """The user's unused, unexpired codes, newest first."""
        statement = (
            select(MemberSignInCode)
            .where(
                MemberSignInCode.user_id == user.id,
                MemberSignInCode.used_at.is_(None),
                MemberSignInCode.expires_at > now,
            )
            .order_by(MemberSignInCode.created_at.desc())
        )
        return list(self.session.scalars(statement))


class OwnRecord(ScopedRepository[Member]):
    """The signed-in member's own record: any other member is not found."""

    model = Member
    missing = Missing("member", OwnRecordNotFound, message="not found")

    def visible(self) -> ColumnElement[bool]:
        """The one member record the account may see."""
        return member_visible(self.actor)

    def mine(self) -> Member:
        """The member's own record (audited read), or not found for anyone else."""
        statement = self.readable()
        found = self.session.scalars(statement).unique().first()
        if found is None:
            self.not_found("own record")
        self._audit_row("member_portal.read", found)
        return found

    def member(self, member_id: uuid.UUID) -> Member:
        """A member by id, only if it is the member's own (else an audited not-found)."""
        return self.get_visible(member_id, action="member_portal.read")


@dataclass(frozen=True)
class Contact:
    """Someone on the member's care team: who, where, and how to reach them."""

    organization: str
    phone: str | None
    person: str | None = None
    email: str | None = None
    program_id: str | None = None


ACTIVE = (EnrollmentStatus.ASSIGNED, EnrollmentStatus.OUTREACH, EnrollmentStatus.ENROLLED)


class OwnCare(OwnRecord):
    """The member's care team, letters, notices and consent choices (own record only)."""

    def enrollments(self) -> list[Enrollment]:
        """The member's active ECM enrollments."""
        statement = select(Enrollment).where(
            enrollment_visible(self.actor), Enrollment.status.in_([s.value for s in ACTIVE])
        )
        return list(self.session.scalars(statement.order_by(Enrollment.assigned_on)))

    def contacts(self) -> list[Contact]:
        """The organizations (and care managers) caring for the member now."""
        found = []
        for enrollment in self.enrollments():
            lead = enrollment.lead_care_manager_user_id
            person = self.session.get(User, lead) if lead else None
            found.append(
                Contact(
                    *self._organization(enrollment.provider_organization_id),
                    person=person.name if person else None,
                    email=person.email if person else None,
                    program_id="ecm",
                )
            )
        episodes = select(ServiceEpisode).where(
            service_episode_visible(self.actor), ServiceEpisode.status == EpisodeStatus.OPEN.value
        )
        for episode in self.session.scalars(episodes.order_by(ServiceEpisode.started_on)):
            name, phone = self._organization(episode.provider_organization_id)
            found.append(Contact(name, phone, program_id=episode.program_id))
        record(self.session, self.actor, "member_portal.care_team_read", entity_type="member",
               details={"contacts": len(found)})  # fmt: skip
        return found

    def _organization(self, organization_id: uuid.UUID) -> tuple[str, str | None]:
        organization = self.session.get(Organization, organization_id)
        profile = self.session.get(ProviderProfile, organization_id)
        return (organization.name if organization else "", profile.phone if profile else None)

    def letters(self) -> list[Letter]:
        """The member's letters, newest first (audited)."""
        statement = select(Letter).where(member_id_visible(self.actor, Letter.member_id))
        found = list(self.session.scalars(statement.order_by(Letter.created_at.desc())))
        record(self.session, self.actor, "member_portal.letters_read", entity_type="letter",
               details={"letters": len(found)})  # fmt: skip
        return found

    def letter(self, letter_id: uuid.UUID) -> Letter:
        """One of the member's letters (audited), else an audited not-found."""
        statement = select(Letter).where(
            member_id_visible(self.actor, Letter.member_id), Letter.id == letter_id
        )
        found = self.session.scalars(statement).first()
        if found is None:
            self.not_found(letter_id, Missing("letter", OwnRecordNotFound, message="not found"))
        record(self.session, self.actor, "letter.read", found, details={"kind": found.kind})
        return found

    def notices(self) -> list[Notice]:
        """Notices addressed to the member about their own record, newest first."""
        statement = select(Notice).where(
            notice_visible(self.actor), Notice.recipient == NoticeRecipient.MEMBER.value
        )
        found = list(self.session.scalars(statement.order_by(Notice.created_at.desc())))
        record(self.session, self.actor, "member_portal.notices_read", entity_type="notice",
               details={"notices": len(found)})  # fmt: skip
        return found

    def consent_requests(self) -> list[Part2ConsentRequest]:
        """Open requests from organizations to see the member's Part 2 information."""
        statement = select(Part2ConsentRequest).where(
            member_id_visible(self.actor, Part2ConsentRequest.member_id),
            Part2ConsentRequest.status == ConsentRequestStatus.OPEN.value,
        )
        found = list(self.session.scalars(statement.order_by(Part2ConsentRequest.requested_at)))
        record(self.session, self.actor, "member_portal.consent_requests_read",
               entity_type="part2_consent_request", details={"requests": len(found)})  # fmt: skip
        return found

    def connected_organizations(self, plan_id: uuid.UUID) -> dict[uuid.UUID, str]:
        """Organizations caring for, serving or asking about the member (not the plan): those
        the member may give consent to. Id -> name."""
        first = select(Enrollment.provider_organization_id).where(enrollment_visible(self.actor))
        ids = first.union(
            select(ServiceEpisode.provider_organization_id).where(
                service_episode_visible(self.actor)
            ),
            select(Referral.receiving_organization_id).where(referral_visible(self.actor)),
            select(Part2ConsentRequest.organization_id).where(
                member_id_visible(self.actor, Part2ConsentRequest.member_id)
            ),
        )
        statement = select(Organization).where(Organization.id.in_(ids), Organization.id != plan_id)
        return {o.id: o.name for o in self.session.scalars(statement.order_by(Organization.name))}

    def organization_names(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Names of organizations (not member data)."""
        if not ids:
            return {}
        statement = select(Organization).where(Organization.id.in_(ids))
        return {o.id: o.name for o in self.session.scalars(statement)}
