"""Attaching files to referrals and reading them back, for the referral's parties.

Anyone who may see the referral may attach a file and open its files. The type is read from
the content (PDF, PNG, JPEG, WebP), the size is capped, and the bytes go to the storage only
after the checks, under a key of ids (never the uploader's file name).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.attachments.content import checked_type, safe_name
from calaim.ops.attachments.repository import AttachmentRepository
from calaim.ops.attachments.storage import AttachmentStorage
from calaim.ops.models import Attachment, User
from calaim.ops.referrals.repository import ReferralRepository


@dataclass(frozen=True)
class Download:
    """An attachment's record and bytes."""

    attachment: Attachment
    data: bytes


class AttachmentService:
    """Attachments on behalf of one user, over one storage."""

    def __init__(self, session: Session, actor: User, storage: AttachmentStorage) -> None:
        self.session = session
        self.actor = actor
        self.storage = storage
        self.repository = AttachmentRepository(session, actor)

    def attach(
        self, referral_id: uuid.UUID, filename: str, data: bytes, *, now: dt.datetime
    ) -> Attachment:
        """Check and store a file on a visible referral."""
        require(self.actor, Permission.REFERRAL_READ)
        referral = ReferralRepository(self.session, self.actor).get(
            referral_id, action="referral.attach"
        )
        content_type = checked_type(filename, data)
        attachment = Attachment(
            id=uuid.uuid4(),
            referral_id=referral.id,
            member_id=referral.member_id,
            organization_id=self.actor.organization_id,
            uploaded_by_user_id=self.actor.id,
            filename=safe_name(filename),
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            storage_key="",
            uploaded_at=now,
        )
        attachment.storage_key = f"{referral.id.hex}/{attachment.id.hex}"
        self.repository.add(attachment)
        self.storage.put(attachment.storage_key, data)
        return attachment

    def on_referral(self, referral_id: uuid.UUID) -> list[Attachment]:
        """The files on a visible referral."""
        require(self.actor, Permission.REFERRAL_READ)
        ReferralRepository(self.session, self.actor).get(referral_id, action="referral.read")
        return self.repository.on_referral(referral_id)

    def download(self, attachment_id: uuid.UUID) -> Download:
        """A visible attachment's bytes (audited as read)."""
        require(self.actor, Permission.REFERRAL_READ)
        attachment = self.repository.get(attachment_id)
        return Download(attachment, self.storage.get(attachment.storage_key))
