"""Every authorization query, scoped to the acting user's organization and audited.

Each query starts from `readable()`, whose rule lives in `calaim.ops.access.scopes`. An
authorization the actor may not see is reported as not found, so an error never reveals it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.exc import IntegrityError

from calaim.ops.access.scopes import authorization_visible, visible_members
from calaim.ops.authorizations.state import UNDECIDED
from calaim.ops.errors import NotFound
from calaim.ops.models import AuditEvent, Authorization, Member, MemberDetermination
from calaim.ops.repository_base import Missing, ScopedRepository, first_visible


class AuthorizationNotFound(NotFound):
    """No authorization with that id is visible to the actor (it may not exist at all)."""


class MemberNotFound(NotFound):
    """No member with that id is visible to the actor."""


class AuthorizationRepository(ScopedRepository[Authorization]):
    """Reads and writes of authorizations on behalf of one user."""

    model = Authorization
    names_member = True
    missing = Missing("authorization", AuthorizationNotFound)

    def visible(self) -> ColumnElement[bool]:
        """Authorizations the actor may see (rules in `calaim.ops.access.scopes`)."""
        return authorization_visible(self.actor)

    def get(
        self, authorization_id: uuid.UUID, *, action: str = "authorization.read"
    ) -> Authorization:
        """One visible authorization (audited as `action`), or `AuthorizationNotFound`."""
        return self.get_visible(authorization_id, action=action)

    def member(self, member_id: uuid.UUID) -> Member:
        """A member the actor may see, or `MemberNotFound` (audited either way)."""
        statement = visible_members(self.actor).where(Member.id == member_id)
        found: Member = first_visible(
            self.session, self.actor, statement, member_id, Missing("member", MemberNotFound)
        )
        return found

    def page(self, *, limit: int = 50, offset: int = 0) -> list[Authorization]:
        """One page of visible authorizations, newest request first; each shown is audited."""
        statement = self.readable().order_by(Authorization.requested_at.desc(), Authorization.id)
        return self._shown(statement.limit(limit).offset(offset), "authorization.list")

    def overdue_query(self, now: dt.datetime) -> Select[Authorization]:
        """Undecided visible authorizations whose decision was due before `now` (unordered)."""
        return self.readable().where(
            Authorization.status.in_([status.value for status in UNDECIDED]),
            Authorization.decision_due_at < now,
        )

    def overdue(self, now: dt.datetime, *, limit: int = 50, offset: int = 0) -> list[Authorization]:
        """Undecided visible authorizations due before `now`, the most overdue first."""
        statement = self.overdue_query(now).order_by(
            Authorization.decision_due_at, Authorization.id
        )
        return self._shown(statement.limit(limit).offset(offset), "authorization.overdue")

    def open_for(self, member_id: uuid.UUID, program_id: str) -> Authorization | None:
        """The member's undecided authorization for a program, if any (duplicate check)."""
        # Unscoped on purpose: a provider must not open a second request the plan cannot see
        # as one; the caller reveals only the conflict, not the other record's content.
        statement = select(Authorization).where(
            Authorization.member_id == member_id,
            Authorization.program_id == program_id,
            Authorization.status.in_([status.value for status in UNDECIDED]),
        )
        return self.session.scalars(statement).unique().first()

    def current_determination(
        self, member_id: uuid.UUID, program_id: str, as_of: dt.date
    ) -> MemberDetermination | None:
        """The member's latest engine determination for a program on or before `as_of`."""
        statement = (
            select(MemberDetermination)
            .where(
                MemberDetermination.member_id == member_id,
                MemberDetermination.program_id == program_id,
                MemberDetermination.as_of <= as_of,
            )
            .order_by(MemberDetermination.as_of.desc())
            .limit(1)
        )
        return self.session.scalars(statement).first()

    def add(self, authorization: Authorization) -> Authorization | None:
        """Insert a new authorization and flush it; None if a simultaneous request for the
        same member and program is undecided already (the database's partial unique index)."""
        try:
            # A savepoint, so losing the race leaves the request's transaction usable.
            with self.session.begin_nested():
                self.session.add(authorization)
                self.session.flush()
        except IntegrityError:
            if self.open_for(authorization.member_id, authorization.program_id) is None:
                raise
            return None
        return authorization

    def audit(
        self, action: str, authorization: Authorization, details: dict[str, object] | None = None
    ) -> AuditEvent:
        """Record `action` on `authorization`, with the member's person id for the trail."""
        return self._audit_row(action, authorization, details)

    def _shown(self, statement: Select[Authorization], action: str) -> list[Authorization]:
        rows = list(self.session.scalars(statement).unique())
        for row in rows:
            self.audit(action, row)
        self.session.flush()
        return rows
