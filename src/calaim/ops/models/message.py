"""Messages between organizations about one referral or one member, in threads."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, uuid_pk


class Message(Base):
    """One message; a reply names the thread's first message as `thread_id`."""

    __tablename__ = "messages"

    id: Mapped[uuid.UUID] = uuid_pk()
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    # Set when the message is about a referral (every party to it may read it).
    referral_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("referrals.id", ondelete="RESTRICT"), index=True
    )
    thread_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("messages.id", ondelete="RESTRICT"), index=True
    )
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    sender_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # 42 CFR Part 2: the sender marked it as substance-use information; only the member's plan,
    # the sender and organizations with the member's active consent may read it.
    part2: Mapped[bool] = mapped_column(Boolean, default=False)
    # The caller's clock, never the machine's.
    sent_at: Mapped[dt.datetime] = mapped_column()

    def __repr__(self) -> str:
        return f"Message(member={self.member_id}, part2={self.part2})"
