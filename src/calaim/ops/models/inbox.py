"""The inbox: notifications for one user, the email outbox and each user's email choice."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, enum_check, enum_column, uuid_pk


class NotificationKind(StrEnum):
    """What a notification tells its reader about (its words are in the web catalog)."""

    NEW_REFERRAL = "new_referral"
    DECISION = "decision"
    ACCEPTANCE = "acceptance"
    REFERRAL_UPDATE = "referral_update"
    MESSAGE = "message"
    LOOP_LATE = "loop_late"
    TASK_ASSIGNED = "task_assigned"


class Notification(Base):
    """One item in one user's inbox; unread until `read_at`."""

    __tablename__ = "notifications"
    __table_args__ = (
        enum_check("kind", NotificationKind, "kind"),
        # One item per user per event (a notice, a late loop on a day, a task assignment).
        UniqueConstraint("user_id", "dedupe_key", name="uq_notifications_user_id"),
        Index("ix_notifications_user_unread", "user_id", "read_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    # The reader's organization: the tenant scope of every inbox query.
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = enum_column(NotificationKind)
    # What it is about: ("referral" | "authorization" | "enrollment" | "task", its id).
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[uuid.UUID] = mapped_column()
    member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT")
    )
    dedupe_key: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column()
    read_at: Mapped[dt.datetime | None] = mapped_column()


class OutboxStatus(StrEnum):
    """Where an email in the outbox is."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class EmailOutbox(Base):
    """An email to send, written in the same transaction as its notification (never sent
    from a request: `calaim worker` claims and sends it). The body carries no member detail."""

    __tablename__ = "email_outbox"
    __table_args__ = (
        enum_check("status", OutboxStatus, "status"),
        Index("ix_email_outbox_status_available", "status", "available_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = enum_column(OutboxStatus)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column()
    # Not before this time (a failed send waits before its next try).
    available_at: Mapped[dt.datetime] = mapped_column()
    sent_at: Mapped[dt.datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)


class NotificationPreference(Base):
    """A user's choice: email me when something arrives (off unless the user opts in)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), primary_key=True
    )
    email_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column()
