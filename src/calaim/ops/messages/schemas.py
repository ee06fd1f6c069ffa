"""Messages API bodies."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from calaim.ops.messages.service import MAX_BODY, Thread
from calaim.ops.models import Message


class MessageIn(BaseModel):
    """A new message on a referral or member, or a reply (`reply_to`: a visible message)."""

    model_config = ConfigDict(extra="forbid")

    body: Annotated[str, StringConstraints(min_length=1, max_length=MAX_BODY)]
    subject: Annotated[str, StringConstraints(max_length=200)] | None = None
    part2: bool = Field(
        default=False,
        description="Substance-use (42 CFR Part 2) information: shown only to the member's "
        "plan, the sender and organizations with the member's active consent.",
    )
    reply_to: uuid.UUID | None = None


class MessageOut(BaseModel):
    """One message as the caller may see it."""

    id: uuid.UUID
    thread_id: uuid.UUID | None
    referral_id: uuid.UUID | None
    member_id: uuid.UUID
    organization_id: uuid.UUID
    sender_user_id: uuid.UUID
    subject: str | None
    body: str
    part2: bool
    sent_at: dt.datetime


class ThreadOut(BaseModel):
    """A first message and its replies."""

    first: MessageOut
    replies: list[MessageOut]


def message_out(message: Message) -> MessageOut:
    """The response body of a message."""
    return MessageOut.model_validate(message, from_attributes=True)


def thread_out(thread: Thread) -> ThreadOut:
    """The response body of a thread."""
    return ThreadOut(
        first=message_out(thread.first), replies=[message_out(r) for r in thread.replies]
    )
