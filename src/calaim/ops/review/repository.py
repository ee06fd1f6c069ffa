"""Every desk query: the reviewer's record of steps on a request the actor may see."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import authorization_visible
from calaim.ops.models import Authorization, Organization, Referral, ReferralForm, User
from calaim.ops.models.letter import AuthorizationReview, ReviewAction


class ReviewRepository:
    """Desk steps on behalf of one user (scoped through the authorization they are on)."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor

    def for_authorization(self, authorization_id: uuid.UUID) -> list[AuthorizationReview]:
        """The steps taken on one visible request, oldest first."""
        visible = select(Authorization.id).where(authorization_visible(self.actor))
        statement = (
            select(AuthorizationReview)
            .where(
                AuthorizationReview.authorization_id == authorization_id,
                AuthorizationReview.authorization_id.in_(visible),
            )
            .order_by(AuthorizationReview.at, AuthorizationReview.id)
        )
        return list(self.session.scalars(statement))

    def was_pended(self, authorization_id: uuid.UUID) -> bool:
        """Whether the request was already pended (extended) once."""
        statement = select(AuthorizationReview.id).where(
            AuthorizationReview.authorization_id == authorization_id,
            AuthorizationReview.action == ReviewAction.PEND.value,
        )
        return self.session.scalars(statement).first() is not None

    def reviewers(self, user_ids: set[uuid.UUID]) -> dict[uuid.UUID, User]:
        """The users who took the steps (names shown beside each step)."""
        if not user_ids:
            return {}
        return {u.id: u for u in self.session.scalars(select(User).where(User.id.in_(user_ids)))}

    def forms_of(self, referral: Referral) -> list[ReferralForm]:
        """What each referrer wrote on a referral the actor was allowed to read (oldest first)."""
        statement = (
            select(ReferralForm)
            .where(ReferralForm.referral_id == referral.id)
            .order_by(ReferralForm.submitted_at, ReferralForm.id)
        )
        return list(self.session.scalars(statement))

    def organization_names(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Organization names (plans, providers, referrers are named on the desk)."""
        if not ids:
            return {}
        rows = self.session.execute(
            select(Organization.id, Organization.name).where(Organization.id.in_(ids))
        )
        return {org_id: name for org_id, name in rows}

    def add(self, review: AuthorizationReview) -> AuthorizationReview:
        """Record one step."""
        self.session.add(review)
        self.session.flush()
        return review
