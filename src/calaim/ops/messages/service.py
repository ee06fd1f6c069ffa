"""Sending and reading messages about a referral or a member, in threads.

Anyone who may see the referral (its referrer, receiver, joiners, the member's plan) may write
on it; on a member outside referrals, anyone who may see the member. A reply joins the first
message's thread and keeps its subject and its Part 2 mark (a reply to substance-use
information is treated as such). A Part 2 message is shown only to the sender, the member's
plan and organizations with the member's active consent; to everyone else it does not exist.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.errors import InvalidRequest
from calaim.ops.members.repository import MemberRepository
from calaim.ops.messages.repository import MessageNotFound, MessageRepository
from calaim.ops.models import Message, User
from calaim.ops.referrals.repository import ReferralRepository

MAX_BODY = 4000


class EmptyMessage(InvalidRequest):
    """A message needs words."""


@dataclass(frozen=True)
class Thread:
    """A first message and its replies, oldest first."""

    first: Message
    replies: list[Message]


class MessageService:
    """Messages on behalf of one user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.repository = MessageRepository(session, actor)

    def send(
        self,
        *,
        body: str,
        now: dt.datetime,
        referral_id: uuid.UUID | None = None,
        member_id: uuid.UUID | None = None,
        subject: str | None = None,
        part2: bool = False,
        reply_to: uuid.UUID | None = None,
    ) -> Message:
        """Write on a referral, a member, or reply to a visible message's thread."""
        text = (body or "").strip()
        if not text:
            raise EmptyMessage("write the message before sending it", field="body")
        if len(text) > MAX_BODY:
            raise InvalidRequest(f"a message has at most {MAX_BODY} characters", field="body")
        if reply_to is not None:
            self._subject(referral_id, member_id)
            first = self.repository.get(reply_to, now.date())
            if (referral_id, member_id) not in ((first.referral_id, None), (None, first.member_id)):
                raise MessageNotFound("message not found")  # a reply stays in its own thread
            root = first.thread_id or first.id
            referral_id, member_id = first.referral_id, first.member_id
            subject, part2 = first.subject, part2 or first.part2
        else:
            root = None
            member_id = self._subject(referral_id, member_id)
        assert member_id is not None
        message = Message(
            member_id=member_id,
            referral_id=referral_id,
            thread_id=root,
            organization_id=self.actor.organization_id,
            sender_user_id=self.actor.id,
            subject=(subject or "").strip()[:200] or None,
            body=text,
            part2=part2,
            sent_at=now,
        )
        return self.repository.add(message)

    def threads(
        self, *, now: dt.datetime, referral_id: uuid.UUID | None = None,
        member_id: uuid.UUID | None = None,
    ) -> list[Thread]:  # fmt: skip
        """The visible threads on a referral or member, newest activity last."""
        self._subject(referral_id, member_id)
        rows = self.repository.about(referral_id=referral_id, member_id=member_id, on=now.date())
        firsts = [m for m in rows if m.thread_id is None]
        shown = {m.id for m in firsts}
        threads = [Thread(m, [r for r in rows if r.thread_id == m.id]) for m in firsts]
        # A reply whose first message is hidden (Part 2) stands alone, never reveals the first.
        threads += [Thread(r, []) for r in rows if r.thread_id and r.thread_id not in shown]
        return sorted(threads, key=lambda t: (t.replies or [t.first])[-1].sent_at)

    def _subject(self, referral_id: uuid.UUID | None, member_id: uuid.UUID | None) -> uuid.UUID:
        """The member the messages are about, after checking the actor may see the subject."""
        if referral_id is not None:
            require(self.actor, Permission.REFERRAL_READ)
            referral = ReferralRepository(self.session, self.actor).get(
                referral_id, action="referral.messages"
            )
            return referral.member_id
        if member_id is None:
            raise InvalidRequest("name the referral or the member", field="referral_id")
        require(self.actor, Permission.MEMBER_READ)
        return MemberRepository(self.session, self.actor).get(member_id).id
