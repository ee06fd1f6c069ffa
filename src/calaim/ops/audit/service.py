"""Recording audit events (the append-only guard sits with the model, so it is always on)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from calaim.ops.models import AuditEvent, Base, Member, User
from calaim.ops.models.audit_event import AuditLogIsAppendOnly

__all__ = ["AuditLogIsAppendOnly", "record"]


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
