"""An RTF's plain status moves written together: versioned UPDATEs, history rows, audit events.

A row that only moves an enrollment forward (assigned -> outreach -> enrolled) is checked by the
state rules row by row (apply_rtf_steps.apply_status), then queued here instead of going through
the ORM unit of work: per move, the same writes the ORM path makes (the enrollment's status,
enrolled date, `updated_at` and version + 1 under the optimistic-lock check; one StatusChange;
one AuditEvent naming the member), sent as three executemany statements.

The loaded `Enrollment` gets the new values as committed state, so later steps and rows see them
and the session does not write them again. `write()` must run before anything else may flush
(apply_rtf calls it before any row taking the ORM path, and at the end).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Integer, Table, bindparam, insert, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import instance_state, set_committed_value

from calaim.ops.access.scopes import enrollment_visible
from calaim.ops.errors import Conflict
from calaim.ops.models import AuditEvent, Enrollment, StatusChange, User
from calaim.ops.models import EnrollmentStatus as S
from calaim.ops.models.base import new_id, utc_now

MOVED = ("status", "enrolled_on", "updated_at", "version")
_TABLE = cast(Table, Enrollment.__table__)
_HISTORY = cast(Table, StatusChange.__table__)
_AUDIT = cast(Table, AuditEvent.__table__)


def batchable(enrollment: Enrollment) -> bool:
    """Whether the enrollment has no unflushed ORM change (its write may then be batched)."""
    return not instance_state(enrollment).modified


@dataclass
class StatusBatch:
    """Queued status moves of one file, written by `write()`."""

    session: Session
    actor: User
    updates: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    audits: list[dict[str, Any]] = field(default_factory=list)
    moved: list[Enrollment] = field(default_factory=list)
    # Person ids of members the applier already loaded (else read through `enrollment.member`).
    person_ids: dict[uuid.UUID, str] = field(default_factory=dict)

    def move(
        self,
        enrollment: Enrollment,
        current: S,
        target: S,
        source: str,
        enrolled_on: dt.date | None,
    ) -> None:
        """Queue one checked move (and enrolled date); the loaded enrollment shows it at once."""
        now, version = utc_now(), enrollment.version
        if enrolled_on is not None:
            set_committed_value(enrollment, "enrolled_on", enrolled_on)
        self.updates.append(
            {
                "b_id": enrollment.id,
                "b_version": version,
                "b_status": target.value,
                "b_enrolled_on": enrollment.enrolled_on,
                "b_updated_at": now,
            }
        )
        for name, value in (("status", target.value), ("updated_at", now)):
            set_committed_value(enrollment, name, value)
        set_committed_value(enrollment, "version", version + 1)
        self.history.append(self._history(enrollment.id, current, target, source, now))
        self.audits.append(self._audit(enrollment, current, target, source, now))
        self.moved.append(enrollment)

    def _history(
        self, enrollment_id: uuid.UUID, current: S, target: S, source: str, now: dt.datetime
    ) -> dict[str, Any]:
        return {
            "id": new_id(),
            "entity_type": "enrollment",
            "entity_id": enrollment_id,
            "from_status": current.value,
            "to_status": target.value,
            "at": now,
            "actor_user_id": self.actor.id,
            "reason": source,
        }

    def _audit(
        self, enrollment: Enrollment, current: S, target: S, source: str, now: dt.datetime
    ) -> dict[str, Any]:
        # What EnrollmentRepository.audit records (ops/audit/service.record), as a plain row.
        return {
            "id": new_id(),
            "occurred_at": now,
            "actor_user_id": self.actor.id,
            "organization_id": self.actor.organization_id,
            "action": f"enrollment.{target.value}",
            "entity_type": "enrollment",
            "entity_id": str(enrollment.id),
            "member_person_id": self.person_ids.get(enrollment.member_id)
            or enrollment.member.person_id,
            "details": {"from": current.value, "to": target.value, "source": source},
        }

    def write(self) -> None:
        """Send every queued write (nothing when the queue is empty)."""
        if not self.updates:
            return
        self._update_enrollments()
        connection = self.session.connection()
        connection.execute(insert(_HISTORY), self.history)
        connection.execute(insert(_AUDIT), self.audits)
        self.discard()

    def discard(self) -> None:
        """Forget queued writes; moved enrollments are expired (reloaded when next read)."""
        # So neither a rejected file nor a savepoint rollback (a dry run) leaves them stale.
        for enrollment in self.moved:
            self.session.expire(enrollment, MOVED)
        self.updates, self.history, self.audits, self.moved = [], [], [], []

    def _update_enrollments(self) -> None:
        statement = (
            update(_TABLE)
            .where(
                _TABLE.c.id == bindparam("b_id"),
                _TABLE.c.version == bindparam("b_version", type_=Integer),
                enrollment_visible(self.actor),
            )
            .values(
                status=bindparam("b_status"),
                enrolled_on=bindparam("b_enrolled_on"),
                updated_at=bindparam("b_updated_at"),
                version=bindparam("b_version", type_=Integer) + 1,
            )
        )
        connection = self.session.connection()
        result = connection.execute(statement, self.updates)
        if connection.dialect.supports_sane_multi_rowcount and result.rowcount != len(self.updates):
            # The same guard as the ORM's version check: someone changed a row meanwhile.
            raise Conflict("an enrollment changed while the file was applied; send it again")
