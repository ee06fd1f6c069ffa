"""Every message query, scoped: a referral's messages to its parties, a member's to those who
may see the member (rules in `calaim.ops.access.scopes`); Part 2 messages further filtered."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ColumnElement, and_, or_, select

from calaim.ops.access.part2 import may_see_part2
from calaim.ops.access.scopes import member_id_visible, referral_visible
from calaim.ops.audit.service import record
from calaim.ops.errors import NotFound
from calaim.ops.models import Member, Message, Referral, User
from calaim.ops.repository_base import Missing, ScopedRepository


class MessageNotFound(NotFound):
    """No message with that id is visible to the actor (it may not exist at all)."""


def message_visible(actor: User) -> ColumnElement[bool]:
    """A condition on `Message`: a referral's messages for its parties (and the member's plan),
    a member's own messages for those who may see the member."""
    on_referral = Message.referral_id.in_(select(Referral.id).where(referral_visible(actor)))
    on_member = and_(Message.referral_id.is_(None), member_id_visible(actor, Message.member_id))
    return or_(on_referral, on_member)


class MessageRepository(ScopedRepository[Message]):
    """Reads and writes of messages on behalf of one user."""

    model = Message
    missing = Missing("message", MessageNotFound, message="{entity} not found")

    def visible(self) -> ColumnElement[bool]:
        """Messages the actor may see (Part 2 is checked per message by `may_read`)."""
        return message_visible(self.actor)

    def about(
        self, *, referral_id: uuid.UUID | None, member_id: uuid.UUID | None, on: dt.date
    ) -> list[Message]:
        """The visible messages on a referral (or on a member, outside referrals), oldest first."""
        statement = self.readable()
        if referral_id is not None:
            statement = statement.where(Message.referral_id == referral_id)
        else:
            statement = statement.where(Message.member_id == member_id)
            statement = statement.where(Message.referral_id.is_(None))
        rows = list(self.session.scalars(statement.order_by(Message.sent_at, Message.id)))
        shown = [m for m in rows if self.may_read(m, on)]
        for message in shown:
            record(self.session, self.actor, "message.read", message)
        self.session.flush()
        return shown

    def get(self, message_id: uuid.UUID, on: dt.date) -> Message:
        """One visible message (audited), or `MessageNotFound`."""
        # A Part 2 message without consent is not found, exactly like a missing one.
        message = self.get_visible(message_id, allow=lambda found: self.may_read(found, on))
        self._audit_row("message.read", message)
        return message

    def may_read(self, message: Message, on: dt.date) -> bool:
        """Part 2: the sender, the member's plan, and organizations with active consent."""
        if not message.part2 or message.organization_id == self.actor.organization_id:
            return True
        member = self.session.get(Member, message.member_id)
        return member is not None and may_see_part2(self.session, self.actor, member, on)

    def add(self, message: Message) -> Message:
        """Store a new message (audited as sent; the body never goes into the audit log)."""
        self.session.add(message)
        self.session.flush()
        record(
            self.session,
            self.actor,
            "message.send",
            message,
            details={"referral_id": str(message.referral_id) if message.referral_id else None,
                     "part2": message.part2},
        )  # fmt: skip
        self.session.flush()
        return message
