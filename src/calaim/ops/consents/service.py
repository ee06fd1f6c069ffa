"""Part 2 consents: a member lets one organization see substance-use information.

Staff of an organization that can see the member record the consent the member signed (for
their own or another organization), and record its revocation. Both are audited; the
visibility rule that reads them is `calaim.ops.access.part2`.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.access.scopes import visible_members
from calaim.ops.audit.service import record
from calaim.ops.errors import Conflict, InvalidRequest, NotFound
from calaim.ops.models import Member, Organization, Part2Consent, User


class ConsentNotFound(NotFound):
    """No consent with that id about a member the actor may see."""


class ConsentService:
    """Part 2 consents on behalf of one user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor

    def record_consent(
        self,
        *,
        member_id: uuid.UUID,
        organization_id: uuid.UUID,
        granted_on: dt.date,
        expires_on: dt.date | None,
        today: dt.date,
    ) -> Part2Consent:
        """Record a signed consent for `organization_id` (dated no later than `today`)."""
        require(self.actor, Permission.CONSENT_RECORD)
        member = self._member(member_id)
        if self.session.get(Organization, organization_id) is None:
            raise InvalidRequest("no such organization", field="organization_id")
        if granted_on > today:
            raise InvalidRequest(
                f"granted_on {granted_on} is after today ({today})", field="granted_on"
            )
        if expires_on is not None and expires_on < granted_on:
            raise InvalidRequest("expires_on is before granted_on", field="expires_on")
        consent = Part2Consent(
            member_id=member.id,
            organization_id=organization_id,
            granted_on=granted_on,
            expires_on=expires_on,
            recorded_by_user_id=self.actor.id,
        )
        self.session.add(consent)
        self.session.flush()
        self._audit("consent.record", consent, member)
        return consent

    def revoke(self, consent_id: uuid.UUID, *, revoked_on: dt.date) -> Part2Consent:
        """Record that the member revoked the consent from `revoked_on` on."""
        require(self.actor, Permission.CONSENT_RECORD)
        consent = self._consent(consent_id)
        if consent.revoked_on is not None:
            raise Conflict(f"the consent was already revoked on {consent.revoked_on}")
        if revoked_on < consent.granted_on:
            raise InvalidRequest("revoked_on is before granted_on", field="revoked_on")
        consent.revoked_on = revoked_on
        self._audit("consent.revoke", consent, self._member(consent.member_id))
        return consent

    def for_member(self, member_id: uuid.UUID) -> list[Part2Consent]:
        """The consents of a visible member, oldest first (audited)."""
        member = self._member(member_id)
        statement = select(Part2Consent).where(Part2Consent.member_id == member.id)
        consents = list(self.session.scalars(statement.order_by(Part2Consent.granted_on)))
        record(self.session, self.actor, "consent.list", member)
        self.session.flush()
        return consents

    def _member(self, member_id: uuid.UUID) -> Member:
        statement = visible_members(self.actor).where(Member.id == member_id)
        member = self.session.scalars(statement).first()
        if member is None:
            record(
                self.session,
                self.actor,
                "member.not_found",
                None,
                entity_type="member",
                entity_id=str(member_id),
            )
            self.session.flush()
            raise NotFound(f"member {member_id} not found")
        return member

    def _consent(self, consent_id: uuid.UUID) -> Part2Consent:
        consent = self.session.get(Part2Consent, consent_id)
        visible = (
            consent is not None
            and self.session.scalars(
                visible_members(self.actor).where(Member.id == consent.member_id)
            ).first()
        )
        if consent is None or not visible:
            raise ConsentNotFound(f"consent {consent_id} not found")
        return consent

    def _audit(self, action: str, consent: Part2Consent, member: Member) -> None:
        event = record(
            self.session,
            self.actor,
            action,
            consent,
            details={"organization_id": str(consent.organization_id)},
        )
        event.member_person_id = member.person_id
        self.session.flush()
