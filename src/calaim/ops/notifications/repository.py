"""Every inbox query: a user reads only their own items, in their own organization."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ColumnElement, func, select, update

from calaim.ops.access.scopes import referral_visible, visible_members
from calaim.ops.audit.service import record
from calaim.ops.errors import NotFound
from calaim.ops.models import Member, Referral
from calaim.ops.models.inbox import Notification, NotificationPreference
from calaim.ops.repository_base import Missing, ScopedRepository


class NotificationNotFound(NotFound):
    """No item with that id is in the actor's inbox (it may not exist at all)."""


class NotificationRepository(ScopedRepository[Notification]):
    """Reads and marks of one user's inbox."""

    model = Notification
    missing = Missing("notification", NotificationNotFound)

    def visible(self) -> ColumnElement[bool]:
        """The actor's own inbox items."""
        return self._mine()

    def _mine(self) -> ColumnElement[bool]:
        return (Notification.user_id == self.actor.id) & (
            Notification.organization_id == self.actor.organization_id
        )

    def page(
        self, *, unread_only: bool = False, limit: int = 50, offset: int = 0
    ) -> tuple[list[Notification], int]:
        """One page of the inbox, newest first, and the total."""
        where = self._mine()
        if unread_only:
            where = where & Notification.read_at.is_(None)
        total = self.session.scalar(select(func.count()).where(where)) or 0
        rows = self.session.scalars(
            select(Notification)
            .where(where)
            .order_by(Notification.created_at.desc(), Notification.id)
            .limit(limit)
            .offset(offset)
        )
        return list(rows), int(total)

    def unread_count(self) -> int:
        """How many items the actor has not read."""
        statement = select(func.count()).where(self._mine() & Notification.read_at.is_(None))
        return int(self.session.scalar(statement) or 0)

    def get(self, notification_id: uuid.UUID) -> Notification:
        """One of the actor's items, or `NotificationNotFound` (also for anyone else's)."""
        return self.get_visible(notification_id)

    def mark_all_read(self, now: dt.datetime) -> int:
        """Mark every unread item read; how many were."""
        result = self.session.execute(
            update(Notification)
            .where(self._mine() & Notification.read_at.is_(None))
            .values(read_at=now)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def members(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, Member]:
        """The members items are about, as far as the actor may see them (names on the list)."""
        if not ids:
            return {}
        rows = self.session.scalars(visible_members(self.actor).where(Member.id.in_(ids)))
        return {m.id: m for m in rows}

    def referred_members(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, Member]:
        """The members of referrals the actor may see (a referrer: the people it referred)."""
        if not ids:
            return {}
        statement = (
            select(Member)
            .join(Referral, Referral.member_id == Member.id)
            .where(referral_visible(self.actor), Member.id.in_(ids))
        )
        return {m.id: m for m in self.session.scalars(statement).unique()}

    def preference(self) -> NotificationPreference | None:
        """The actor's email choice, if they ever made one."""
        return self.session.get(NotificationPreference, self.actor.id)

    def audit(self, action: str, details: dict[str, object]) -> None:
        """Record an inbox action of the actor."""
        record(self.session, self.actor, action, None, entity_type="inbox",
               entity_id=str(self.actor.id), details=details)  # fmt: skip
