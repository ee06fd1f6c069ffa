"""Every attachment query, scoped like the referral it belongs to, and audited."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, select

from calaim.ops.access.scopes import referral_visible
from calaim.ops.audit.service import record
from calaim.ops.errors import NotFound
from calaim.ops.models import Attachment, Referral
from calaim.ops.repository_base import Missing, ScopedRepository


class AttachmentNotFound(NotFound):
    """No attachment with that id is visible to the actor (it may not exist at all)."""


class AttachmentRepository(ScopedRepository[Attachment]):
    """Reads and writes of attachments on behalf of one user."""

    model = Attachment
    missing = Missing("attachment", AttachmentNotFound, message="{entity} not found")

    def visible(self) -> ColumnElement[bool]:
        """Attachments on referrals the actor may see."""
        visible = select(Referral.id).where(referral_visible(self.actor))
        return Attachment.referral_id.in_(visible)

    def on_referral(self, referral_id: uuid.UUID) -> list[Attachment]:
        """A visible referral's attachments, oldest first (each audited as listed)."""
        statement = self.readable().where(Attachment.referral_id == referral_id)
        rows = list(self.session.scalars(statement.order_by(Attachment.uploaded_at)))
        for row in rows:
            record(self.session, self.actor, "attachment.list", row)
        self.session.flush()
        return rows

    def get(self, attachment_id: uuid.UUID) -> Attachment:
        """One visible attachment (audited as read), or `AttachmentNotFound`."""
        return self.get_visible(attachment_id, action="attachment.read")

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
