"""Part 2 consents: a member lets one organization see substance-use information.

Under 42 CFR Part 2 consent comes from the member, in writing. The member's plan records the
signed form: the staff member recording it attests that the plan holds it, and names the
document, what it covers (scope) and when it expires. Providers never record consent, for
themselves or anyone else: they ask the plan for it (`requests.py`). A revocation sticks: a
form signed before the member revoked, or the revoked form itself, cannot be recorded again.
The organization a consent names may also record the member's revocation (it only narrows
access). Everything is audited; the visibility rule that reads consents is
`calaim.ops.access.part2`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, allowed, require
from calaim.ops.access.scopes import visible_members
from calaim.ops.audit.service import record
from calaim.ops.consents.members import require_members_plan, visible_member
from calaim.ops.consents.requests import ConsentRequests
from calaim.ops.errors import Conflict, InvalidRequest, NotFound
from calaim.ops.models import Member, Organization, Part2Consent, User


class ConsentNotFound(NotFound):
    """No consent with that id about a member the actor may see."""


class RevokedBefore(Conflict):
    """The member revoked this organization's consent after the form was signed (HTTP 409)."""


@dataclass(frozen=True)
class SignedForm:
    """What the plan attests about the member's signed consent form."""

    organization_id: uuid.UUID
    granted_on: dt.date
    expires_on: dt.date
    document_reference: str
    scope: str
    request_id: uuid.UUID | None = None


class ConsentService:
    """Part 2 consents on behalf of one user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor

    def record_consent(
        self, member_id: uuid.UUID, form: SignedForm, *, today: dt.date
    ) -> Part2Consent:
        """Record the member's signed form (the member's plan only; dated no later than today)."""
        require(self.actor, Permission.CONSENT_RECORD)
        member = visible_member(self.session, self.actor, member_id)
        require_members_plan(self.actor, member)
        self._check_form(form, today)
        self._check_not_revoked(member, form)
        consent = Part2Consent(
            member_id=member.id,
            organization_id=form.organization_id,
            granted_on=form.granted_on,
            expires_on=form.expires_on,
            document_reference=form.document_reference,
            scope=form.scope,
            request_id=form.request_id,
            recorded_by_user_id=self.actor.id,
        )
        self.session.add(consent)
        self.session.flush()
        if form.request_id is not None:
            ConsentRequests(self.session, self.actor).mark_recorded(
                form.request_id, member, form.organization_id, consent.recorded_at
            )
        self._audit("consent.record", consent, member)
        return consent

    def revoke(self, consent_id: uuid.UUID, *, revoked_on: dt.date) -> Part2Consent:
        """Record that the member revoked the consent from `revoked_on` on."""
        # The plan, or the organization the consent names (`_consent` shows no other).
        if not allowed(self.actor, Permission.CONSENT_REQUEST):
            require(self.actor, Permission.CONSENT_RECORD)
        consent = self._consent(consent_id)
        if consent.revoked_on is not None:
            raise Conflict(f"the consent was already revoked on {consent.revoked_on}")
        if revoked_on < consent.granted_on:
            raise InvalidRequest("revoked_on is before granted_on", field="revoked_on")
        consent.revoked_on = revoked_on
        consent.revoked_by_user_id = self.actor.id
        member = self.session.get(Member, consent.member_id)
        assert member is not None  # a foreign key guarantees it
        self._audit("consent.revoke", consent, member)
        return consent

    def for_member(self, member_id: uuid.UUID) -> list[Part2Consent]:
        """A visible member's consents, oldest first (audited): all of them for the member's
        plan; only those naming the actor's own organization for anyone else (a consent's
        existence reveals substance-use treatment)."""
        member = visible_member(self.session, self.actor, member_id)
        statement = select(Part2Consent).where(Part2Consent.member_id == member.id)
        if member.plan_organization_id != self.actor.organization_id:
            statement = statement.where(Part2Consent.organization_id == self.actor.organization_id)
        order = (Part2Consent.granted_on, Part2Consent.recorded_at)
        consents = list(self.session.scalars(statement.order_by(*order)))
        record(self.session, self.actor, "consent.list", member)
        self.session.flush()
        return consents

    def _check_form(self, form: SignedForm, today: dt.date) -> None:
        organization = self.session.get(Organization, form.organization_id)
        if organization is None:
            raise InvalidRequest("no such organization", field="organization_id")
        if organization.id == self.actor.organization_id:
            raise InvalidRequest(
                "the member's plan sees its members' Part 2 information without a consent; "
                "name the organization the member consents to",
                field="organization_id",
            )
        if form.granted_on > today:
            raise InvalidRequest(
                f"granted_on {form.granted_on} is after today ({today})", field="granted_on"
            )
        if form.expires_on < form.granted_on:
            raise InvalidRequest("expires_on is before granted_on", field="expires_on")

    def _check_not_revoked(self, member: Member, form: SignedForm) -> None:
        revoked = self.session.scalars(
            select(Part2Consent).where(
                Part2Consent.member_id == member.id,
                Part2Consent.organization_id == form.organization_id,
                Part2Consent.revoked_on.is_not(None),
            )
        ).all()
        for consent in revoked:
            assert consent.revoked_on is not None
            if consent.document_reference == form.document_reference:
                raise RevokedBefore(
                    f"the member revoked the form {form.document_reference!r} on "
                    f"{consent.revoked_on}; a revoked form cannot be recorded again: the "
                    "member must sign a new one"
                )
            if form.granted_on < consent.revoked_on:
                raise RevokedBefore(
                    f"the member revoked this organization's consent on {consent.revoked_on}; "
                    "only a form the member signed on or after that day can be recorded"
                )

    def _consent(self, consent_id: uuid.UUID) -> Part2Consent:
        consent = self.session.get(Part2Consent, consent_id)
        visible = consent is not None and self._may_see(consent)
        if consent is None or not visible:
            raise ConsentNotFound(f"consent {consent_id} not found")
        return consent

    def _may_see(self, consent: Part2Consent) -> bool:
        # The member's plan sees every consent; anyone else only those naming it.
        statement = visible_members(self.actor).where(Member.id == consent.member_id)
        member = self.session.scalars(statement).first()
        if member is None:
            return False
        own = self.actor.organization_id
        return own in (member.plan_organization_id, consent.organization_id)

    def _audit(self, action: str, consent: Part2Consent, member: Member) -> None:
        event = record(
            self.session,
            self.actor,
            action,
            consent,
            details={
                "organization_id": str(consent.organization_id),
                "document_reference": consent.document_reference,
            },
        )
        event.member_person_id = member.person_id
        self.session.flush()
