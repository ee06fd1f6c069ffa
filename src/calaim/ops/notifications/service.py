"""The inbox of the signed-in user: list, unread count, mark read, and the email choice."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from calaim.ops.models import Member, User
from calaim.ops.models.inbox import Notification, NotificationPreference
from calaim.ops.notifications.repository import NotificationRepository


class NotificationService:
    """One user's inbox (every user has one; nobody reads anyone else's)."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.repository = NotificationRepository(session, actor)

    def inbox(
        self, *, unread_only: bool = False, limit: int = 50, offset: int = 0
    ) -> tuple[list[Notification], int]:
        """A page of the inbox (newest first) and the total; the read is audited."""
        rows, total = self.repository.page(unread_only=unread_only, limit=limit, offset=offset)
        self.repository.audit("notification.list", {"shown": len(rows), "total": total})
        self.session.flush()
        return rows, total

    def unread_count(self) -> int:
        """How many items are unread (the header's badge)."""
        return self.repository.unread_count()

    def open(self, notification_id: uuid.UUID, now: dt.datetime) -> Notification:
        """Mark one item read (on opening it) and return it."""
        notification = self.repository.get(notification_id)
        if notification.read_at is None:
            notification.read_at = now
            self.repository.audit("notification.read", {"id": str(notification.id)})
        self.session.flush()
        return notification

    def mark_all_read(self, now: dt.datetime) -> int:
        """Mark every item read; how many were unread."""
        count = self.repository.mark_all_read(now)
        self.repository.audit("notification.read_all", {"count": count})
        self.session.flush()
        return count

    def email_opt_in(self) -> bool:
        """Whether the actor asked for an email when something arrives."""
        preference = self.repository.preference()
        return bool(preference and preference.email_opt_in)

    def choose_email(self, opt_in: bool, now: dt.datetime) -> None:
        """Turn the email on or off for the actor."""
        preference = self.repository.preference()
        if preference is None:
            preference = NotificationPreference(user_id=self.actor.id, updated_at=now)
            self.session.add(preference)
        preference.email_opt_in = opt_in
        preference.updated_at = now
        self.repository.audit("notification.email_choice", {"email_opt_in": opt_in})
        self.session.flush()

    def members_of(self, rows: list[Notification]) -> dict[uuid.UUID, Member]:
        """The members the items are about that the actor may see (audited with the list)."""
        return self.repository.members({n.member_id for n in rows if n.member_id})

    def referred_members_of(
        self, rows: list[Notification], seen: set[uuid.UUID]
    ) -> dict[uuid.UUID, Member]:
        """The other members the items are about whose referral the actor may see: a referrer
        sees no member rows but knows whom it referred (its referral page names them)."""
        ids = {n.member_id for n in rows if n.member_id and n.member_id not in seen}
        return self.repository.referred_members(ids)
