"""Request and response bodies of the inbox API."""

from __future__ import annotations

import uuid

from pydantic import BaseModel

from calaim.ops.http.fields import UtcDateTime
from calaim.ops.models.inbox import Notification, NotificationKind


class NotificationOut(BaseModel):
    """One item of the caller's inbox."""

    id: uuid.UUID
    kind: NotificationKind
    subject_type: str
    subject_id: uuid.UUID
    member_id: uuid.UUID | None
    created_at: UtcDateTime
    read_at: UtcDateTime | None


class UnreadCount(BaseModel):
    """How many items the caller has not read."""

    unread: int


class MarkedRead(BaseModel):
    """How many items were marked read."""

    marked: int


class EmailChoice(BaseModel):
    """Whether the caller gets an email (without member details) when something arrives."""

    email_opt_in: bool


def notification_out(notification: Notification) -> NotificationOut:
    """The response body of an inbox item."""
    return NotificationOut(
        id=notification.id,
        kind=NotificationKind(notification.kind),
        subject_type=notification.subject_type,
        subject_id=notification.subject_id,
        member_id=notification.member_id,
        created_at=notification.created_at,
        read_at=notification.read_at,
    )
