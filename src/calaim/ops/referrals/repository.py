"""Every referral query, scoped to the acting user's organization and audited.

Each query starts from `readable()`, whose rule lives in `calaim.ops.access.scopes`. A referral
the actor may not see is reported as not found, so an error never reveals that it exists.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import referral_visible
from calaim.ops.audit.service import record
from calaim.ops.errors import NotFound
from calaim.ops.models import AuditEvent, Member, Referral, User
from calaim.ops.referrals.state import OPEN_STATUSES


class ReferralNotFound(NotFound):
    """No referral with that id is visible to the actor (it may not exist at all)."""


class ReferralRepository:
    """Reads and writes of referrals on behalf of one user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor

    def readable(self) -> Select[Referral]:
        """Referrals the actor may see (rules in `calaim.ops.access.scopes`)."""
        return select(Referral).where(referral_visible(self.actor))

    def get(self, referral_id: uuid.UUID, *, action: str = "referral.read") -> Referral:
        """One visible referral by id (audited as `action`), or `ReferralNotFound`."""
        statement = self.readable().where(Referral.id == referral_id)
        referral = self.session.scalars(statement).unique().first()
        if referral is None:
            # Failed look-ups are audited too: probing for other tenants' ids leaves a trail.
            record(
                self.session,
                self.actor,
                "referral.not_found",
                None,
                entity_type="referral",
                entity_id=str(referral_id),
            )
            self.session.flush()
            raise ReferralNotFound(f"referral {referral_id} not found")
        self.audit(action, referral)
        self.session.flush()
        return referral

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
        # Unscoped on purpose: duplicate detection must see every referrer's referrals.
        statement = select(Referral).where(
            Referral.member_id == member_id,
            Referral.program_id == program_id,
            Referral.status.in_([status.value for status in OPEN_STATUSES]),
        )
        return self.session.scalars(statement.order_by(Referral.received_at)).unique().first()

    def find_member(self, member_id: uuid.UUID) -> Member | None:
        """The member a referral names, unscoped: referrers refer members they cannot list."""
        return self.session.get(Member, member_id)

    def add(self, referral: Referral) -> Referral:
        """Insert a new referral and flush it (so it has its id and version)."""
        self.session.add(referral)
        self.session.flush()
        return referral

    def audit(
        self, action: str, referral: Referral, details: dict[str, object] | None = None
    ) -> AuditEvent:
        """Record `action` on `referral`, with the member's person id for the trail."""
        event = record(self.session, self.actor, action, referral, details=dict(details or {}))
        event.member_person_id = referral.member.person_id
        return event
