"""Response bodies of the notices API."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel

from calaim.ops.http.fields import UtcDateTime
from calaim.ops.models import Notice, NoticeChannel, NoticeKind, NoticeRecipient


class NoticeOut(BaseModel):
    """A notice sent to the member or to an organization, about one record."""

    id: uuid.UUID
    member_id: uuid.UUID
    kind: NoticeKind
    recipient: NoticeRecipient
    recipient_organization_id: uuid.UUID | None
    channel: NoticeChannel
    subject_type: str
    subject_id: uuid.UUID
    created_at: UtcDateTime
    content: dict[str, Any]


def notice_out(notice: Notice) -> NoticeOut:
    """The response body of a notice."""
    return NoticeOut(
        id=notice.id,
        member_id=notice.member_id,
        kind=NoticeKind(notice.kind),
        recipient=NoticeRecipient(notice.recipient),
        recipient_organization_id=notice.recipient_organization_id,
        channel=NoticeChannel(notice.channel),
        subject_type=notice.subject_type,
        subject_id=notice.subject_id,
        created_at=notice.created_at,
        content=dict(notice.content or {}),
    )
