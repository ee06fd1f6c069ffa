"""The member a consent action is about: visible to the actor, or an audited not-found."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from calaim.ops.access.scopes import visible_members
from calaim.ops.errors import Forbidden, NotFound
from calaim.ops.models import Member, User
from calaim.ops.repository_base import Missing, first_visible


class NotTheMembersPlan(Forbidden):
    """Only the member's own plan records or answers Part 2 consents (HTTP 403)."""


def visible_member(session: Session, actor: User, member_id: uuid.UUID) -> Member:
    """The member, if the actor may see it; otherwise `NotFound`, with an audit trail."""
    statement = visible_members(actor).where(Member.id == member_id)
    member: Member = first_visible(
        session, actor, statement, member_id, Missing("member", NotFound)
    )
    return member


def require_members_plan(actor: User, member: Member) -> None:
    """The actor works for the member's plan, which holds the member's signed forms."""
    if member.plan_organization_id != actor.organization_id:
        raise NotTheMembersPlan(
            "only the member's plan records Part 2 consents: the member signs the form, the "
            "plan keeps it and records it; ask for consent with a consent request instead"
        )
