"""Every query of the member portal: accounts and codes (before sign-in), and the member's
own record (after it, scoped by `calaim.ops.access.scopes.member_visible`)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import member_visible
from calaim.ops.errors import NotFound
from calaim.ops.models import Member, Role, User
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
