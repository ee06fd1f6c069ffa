"""Attachments API bodies."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel

from calaim.ops.models import Attachment


class AttachmentOut(BaseModel):
    """An attachment's record (its bytes: `GET /attachments/{id}/content`)."""

    id: uuid.UUID
    referral_id: uuid.UUID
    organization_id: uuid.UUID
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


def attachment_out(attachment: Attachment) -> AttachmentOut:
    """The response body of an attachment."""
    return AttachmentOut.model_validate(attachment, from_attributes=True)
