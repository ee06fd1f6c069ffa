"""Every attachment query, scoped like the referral it belongs to, and audited."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import referral_visible
from calaim.ops.audit.service import record
from calaim.ops.errors import NotFound
from calaim.ops.models import Attachment, Referral, User


class AttachmentNotFound(NotFound):
    """No attachment with that id is visible to the actor (it may not exist at all)."""


class AttachmentRepository:
    """Reads and writes of attachments on behalf of one user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor

    def _readable(self) -> Select[Attachment]:
        visible = select(Referral.id).where(referral_visible(self.actor))
        return select(Attachment).where(Attachment.referral_id.in_(visible))

    def on_referral(self, referral_id: uuid.UUID) -> list[Attachment]:
        """A visible referral's attachments, oldest first (each audited as listed)."""
        statement = self._readable().where(Attachment.referral_id == referral_id)
        rows = list(self.session.scalars(statement.order_by(Attachment.uploaded_at)))
        for row in rows:
            record(self.session, self.actor, "attachment.list", row)
        self.session.flush()
        return rows

    def get(self, attachment_id: uuid.UUID) -> Attachment:
        """One visible attachment (audited as read), or `AttachmentNotFound`."""
        statement = self._readable().where(Attachment.id == attachment_id)
        found = self.session.scalars(statement).first()
        if found is None:
            record(
                self.session,
                self.actor,
                "attachment.not_found",
                None,
                entity_type="attachment",
                entity_id=str(attachment_id),
            )
            self.session.flush()
            raise AttachmentNotFound("attachment not found")
        record(self.session, self.actor, "attachment.read", found)
        self.session.flush()
        return found

    def add(self, attachment: Attachment) -> Attachment:
        """Store the record of a new attachment (audited as uploaded)."""
        self.session.add(attachment)
        self.session.flush()
        record(
            self.session,
            self.actor,
            "attachment.upload",
            attachment,
            details={"referral_id": str(attachment.referral_id), "size": attachment.size,
                     "content_type": attachment.content_type},
        )  # fmt: skip
        self.session.flush()
        return attachment
