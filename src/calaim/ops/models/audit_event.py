"""The audit log: one append-only row per read or write of member data."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from calaim.ops.models.base import Base, utc_now, uuid_pk
from calaim.ops.session_class import OpsSession


class AuditEvent(Base):
    """Who did what to which entity, when; rows are only ever inserted."""

    __tablename__ = "audit_events"

    id: Mapped[uuid.UUID] = uuid_pk()
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utc_now, index=True)
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    action: Mapped[str] = mapped_column(String(60))
    entity_type: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    # Kept as the person id (not a foreign key) so the trail survives any change to members.
    member_person_id: Mapped[str | None] = mapped_column(String(64), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    def __repr__(self) -> str:
        return f"AuditEvent({self.action!r}, {self.entity_type}={self.entity_id})"


class AuditLogIsAppendOnly(Exception):
    """Someone tried to change or delete an audit event."""


@event.listens_for(OpsSession, "before_flush")
def _refuse_audit_changes(session: Session, _context: Any, _instances: Any) -> None:
    # The log is evidence: once written, an event is never edited or removed.
    for instance in (*session.dirty, *session.deleted):
        if isinstance(instance, AuditEvent) and (
            instance in session.deleted or session.is_modified(instance)
        ):
            raise AuditLogIsAppendOnly(
                f"audit event {instance.id} cannot be changed or deleted; record a new event."
            )
