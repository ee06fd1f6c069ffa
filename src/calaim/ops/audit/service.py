"""Recording audit events, and the guard that keeps the log append-only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from calaim.ops.db import OpsSession
from calaim.ops.models import AuditEvent, Base, Member, User


class AuditLogIsAppendOnly(Exception):
    """Someone tried to change or delete an audit event."""


def record(
    session: Session,
    actor: User | None,
    action: str,
    entity: Base | None = None,
    *,
    entity_type: str | None = None,
    entity_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one audit event for `actor` doing `action` to `entity` (or a named entity)."""
    person_id = entity.person_id if isinstance(entity, Member) else None
    if entity is not None:
        entity_type = entity_type or entity.__tablename__.removesuffix("s")
        entity_id = entity_id or str(getattr(entity, "id", "")) or None
    audit_event = AuditEvent(
        actor_user_id=actor.id if actor else None,
        organization_id=actor.organization_id if actor else None,
        action=action,
        entity_type=entity_type or "unknown",
        entity_id=entity_id,
        member_person_id=person_id,
        details=details or {},
    )
    session.add(audit_event)
    return audit_event


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
