"""Every referral query, scoped to the acting user's organization and audited.

Each query starts from `readable()`, whose rule lives in `calaim.ops.access.scopes`. A referral
the actor may not see is reported as not found, so an error never reveals that it exists.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from calaim.ops.access.referral_rules import is_members_plan, is_receiver
from calaim.ops.access.scopes import referral_visible, visible_members
from calaim.ops.errors import NotFound
from calaim.ops.models import (
    AuditEvent,
    Member,
    Organization,
    Referral,
    ReferralForm,
    ReferralParty,
    ReferralTransition,
    User,
)
from calaim.ops.referrals.state import OPEN_STATUSES
from calaim.ops.repository_base import Missing, ScopedRepository


class ReferralNotFound(NotFound):
    """No referral with that id is visible to the actor (it may not exist at all)."""


def joined_organizations(session: Session, referral_id: uuid.UUID) -> list[uuid.UUID]:
    """The organizations that joined a referral's loop (after its first referrer), in order."""
    statement = (
        select(ReferralParty.organization_id)
        .where(ReferralParty.referral_id == referral_id)
        .order_by(ReferralParty.joined_at)
    )
    return list(session.scalars(statement))


def forms_for(session: Session, actor: User, referral: Referral) -> list[ReferralForm]:
    """The forms of `referral` (already read through its repository), first submitted first.

    The receiving provider and the member's plan read every referrer's form (they act on the
    reasons); a referrer reads only its own organization's form, never another referrer's.
    """
    statement = select(ReferralForm).where(ReferralForm.referral_id == referral.id)
    if not (is_receiver(actor, referral) or is_members_plan(actor, referral)):
        statement = statement.where(ReferralForm.organization_id == actor.organization_id)
    return list(session.scalars(statement.order_by(ReferralForm.submitted_at)))


class ReferralRepository(ScopedRepository[Referral]):
    """Reads and writes of referrals on behalf of one user."""

    model = Referral
    names_member = True
    missing = Missing("referral", ReferralNotFound)

    def visible(self) -> ColumnElement[bool]:
        """Referrals the actor may see (rules in `calaim.ops.access.scopes`)."""
        return referral_visible(self.actor)

    def get(self, referral_id: uuid.UUID, *, action: str = "referral.read") -> Referral:
        """One visible referral by id (audited as `action`), or `ReferralNotFound`."""
        return self.get_visible(referral_id, action=action)

    def history(self, referral_id: uuid.UUID) -> list[ReferralTransition]:
        """A visible referral's dated steps, oldest first (audited as `referral.history`)."""
        referral = self.get(referral_id, action="referral.history")
        statement = (
            select(ReferralTransition)
            .where(ReferralTransition.referral_id == referral.id)
            .order_by(ReferralTransition.at, ReferralTransition.id)
        )
        return list(self.session.scalars(statement))

    def organization_names(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        """The names of the organizations in a visible referral's loop."""
        rows = self.session.execute(
            select(Organization.id, Organization.name).where(Organization.id.in_(ids))
        )
        return {organization_id: name for organization_id, name in rows}

    def organization_kind(self, organization_id: uuid.UUID) -> str:
        """The kind of an organization (a referral's referrer, for the Part 2 rule)."""
        found = self.session.get(Organization, organization_id)
        return found.kind if found else ""

    def list(self, *, limit: int = 50, offset: int = 0) -> list[Referral]:
        """One page of visible referrals, newest first; each referral shown is audited."""
        statement = (
            self.readable()
            .order_by(Referral.received_at.desc(), Referral.id)
            .limit(limit)
            .offset(offset)
        )
        referrals = list(self.session.scalars(statement).unique())
        for referral in referrals:
            self.audit("referral.list", referral)
        self.session.flush()
        return referrals

    def find_open(self, member_id: uuid.UUID, program_id: str) -> Referral | None:
        """The open referral of a member to a program, across all tenants (intake only)."""
        # Unscoped on purpose: duplicate detection must see every referrer's referrals. The
        # caller only joins the loop it finds; it never shows it to someone out of scope.
        statement = select(Referral).where(
            Referral.member_id == member_id,
            Referral.program_id == program_id,
            Referral.status.in_([status.value for status in OPEN_STATUSES]),
        )
        return self.session.scalars(statement.order_by(Referral.received_at)).unique().first()

    def find_member(self, member_id: uuid.UUID) -> Member | None:
        """A member the actor may see, by id (plans and connected providers only)."""
        # Referrers cannot see member rows, so they cannot refer by id: they name the member
        # by CIN or name and birth date (`referrals.intake.find_member`).
        statement = visible_members(self.actor).where(Member.id == member_id)
        return self.session.scalars(statement).first()

    def add(self, referral: Referral) -> Referral | None:
        """Insert a new referral; None if a concurrent intake opened the same loop first."""
        try:
            # A savepoint, so losing the race to the partial unique index
            # `uq_referrals_open_member_program` leaves the transaction usable.
            with self.session.begin_nested():
                self.session.add(referral)
                self.session.flush()
        except IntegrityError:
            if self.find_open(referral.member_id, referral.program_id) is None:
                raise
            return None
        return referral

    def is_party(self, referral: Referral, organization_id: uuid.UUID) -> bool:
        """Whether the organization referred into this loop (first or as a joiner)."""
        if referral.referring_organization_id == organization_id:
            return True
        statement = select(ReferralParty.id).where(
            ReferralParty.referral_id == referral.id,
            ReferralParty.organization_id == organization_id,
        )
        return self.session.scalars(statement).first() is not None

    def join(self, referral: Referral, source_kind: str, now: dt.datetime) -> bool:
        """Add the actor's organization as a party to the loop; False if it already is one."""
        organization_id = self.actor.organization_id
        if self.is_party(referral, organization_id):
            return False
        party = ReferralParty(
            referral_id=referral.id,
            organization_id=organization_id,
            source_kind=source_kind,
            joined_at=now,
        )
        try:
            with self.session.begin_nested():
                self.session.add(party)
                self.session.flush()
        except IntegrityError:
            return False  # a simultaneous intake by the same organization joined first
        return True

    def audit(
        self, action: str, referral: Referral, details: dict[str, object] | None = None
    ) -> AuditEvent:
        """Record `action` on `referral`, with the member's person id for the trail."""
        return self._audit_row(action, referral, details)
