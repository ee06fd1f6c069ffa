"""An RTF's plain status moves written together: versioned UPDATEs, history rows, audit events.

A row that only moves an enrollment forward (assigned -> outreach -> enrolled) is checked by the
state rules row by row (apply_rtf_steps.forward_move), then queued here instead of going through
the ORM unit of work: per move, the same writes the ORM path makes (the enrollment's status,
enrolled date, the ECM authorization covering that date, `updated_at` and version + 1 under the
optimistic-lock check; one StatusChange;
one AuditEvent naming the member), sent as three executemany statements: the UPDATE by id and
version (a changed row is a conflict, where the driver reports executemany row counts), then the
history rows and the audit events.

Most queued enrollments were read as plain values (rtf_plain.py, `move_plain`); an enrollment
already loaded as an ORM object (`move`) gets the new values as committed state, so later steps
and rows see them and the session does not write them again. `write()` must run before anything
else may flush (apply_rtf calls it before any row taking the ORM path, and at the end); ORM
copies of moved enrollments are expired, so a dry run or a rejected file leaves nothing stale.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Integer, Table, bindparam, insert, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import instance_state, set_committed_value

from calaim.exchange.filespecs.rtf_plain import PlainEnrollment
from calaim.ops.access.scopes import enrollment_visible
from calaim.ops.errors import Conflict
from calaim.ops.models import AuditEvent, Enrollment, StatusChange, User
from calaim.ops.models import EnrollmentStatus as S
from calaim.ops.models.base import new_id

CHANGED = "an enrollment changed while the file was applied; send it again"
MOVED = ("status", "enrolled_on", "authorization_id", "updated_at", "version")
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
    # The time every queued move is recorded at (when the file was received).
    now: dt.datetime
    # (version read, new status, enrolled date, authorization, enrollment id, time of the
    # move), in row order.
    updates: list[tuple[int, str, dt.date | None, uuid.UUID | None, uuid.UUID, dt.datetime]] = (
        field(default_factory=list)
    )
    history: list[dict[str, Any]] = field(default_factory=list)
    audits: list[dict[str, Any]] = field(default_factory=list)
    moved: list[Enrollment] = field(default_factory=list)
    # Plain moves (move_plain): every enrollment id moved, those not yet written, and ORM
    # copies of enrollments the session held before the file (hold()).
    plain_moved: set[uuid.UUID] = field(default_factory=set)
    plain_pending: list[uuid.UUID] = field(default_factory=list)
    held: dict[uuid.UUID, Enrollment] = field(default_factory=dict)
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
        if enrolled_on is not None:
            set_committed_value(enrollment, "enrolled_on", enrolled_on)
        person_id = self.person_ids.get(enrollment.member_id) or enrollment.member.person_id
        now = self.queue(
            enrollment.id,
            enrollment.version,
            person_id,
            current,
            target,
            source,
            enrollment.enrolled_on,
            enrollment.authorization_id,
        )
        for name, value in (("status", target.value), ("updated_at", now)):
            set_committed_value(enrollment, name, value)
        set_committed_value(enrollment, "version", enrollment.version + 1)
        self.moved.append(enrollment)

    def move_plain(
        self,
        enrollment: PlainEnrollment,
        current: S,
        target: S,
        source: str,
        enrolled_on: dt.date | None,
        authorization_id: uuid.UUID | None = None,
    ) -> None:
        """Queue one checked move of an enrollment read as plain values (rtf_plain.py); an
        enrolled date comes with the ECM authorization found covering it (linked, as the ORM
        path's `covered_on` links it; None on the plan's override keeps the link there is)."""
        if enrolled_on is not None:
            enrollment.enrolled_on = enrolled_on
        if authorization_id is not None:
            enrollment.authorization_id = authorization_id
        self.queue(
            enrollment.id,
            enrollment.version,
            self.person_ids[enrollment.member_id],
            current,
            target,
            source,
            enrollment.enrolled_on,
            enrollment.authorization_id,
        )
        enrollment.status, enrollment.version = target.value, enrollment.version + 1
        self.plain_moved.add(enrollment.id)
        self.plain_pending.append(enrollment.id)

    def queue(
        self,
        enrollment_id: uuid.UUID,
        version: int,
        person_id: str,
        current: S,
        target: S,
        source: str,
        enrolled_on: dt.date | None,
        authorization_id: uuid.UUID | None,
    ) -> dt.datetime:
        """Queue the three writes of one move from `version`; the time it is recorded at."""
        now = self.now
        self.updates.append(
            (version, target.value, enrolled_on, authorization_id, enrollment_id, now)
        )
        self.history.append(self._history(enrollment_id, current, target, source, now))
        self.audits.append(self._audit(enrollment_id, person_id, current, target, source, now))
        return now

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
        self,
        enrollment_id: uuid.UUID,
        person_id: str,
        current: S,
        target: S,
        source: str,
        now: dt.datetime,
    ) -> dict[str, Any]:
        # What EnrollmentRepository.audit records (ops/audit/service.record), as a plain row.
        return {
            "id": new_id(),
            "occurred_at": now,
            "actor_user_id": self.actor.id,
            "organization_id": self.actor.organization_id,
            "action": f"enrollment.{target.value}",
            "entity_type": "enrollment",
            "entity_id": str(enrollment_id),
            "member_person_id": person_id,
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
        for enrollment_id in self.plain_pending:
            if (held := self.held.get(enrollment_id)) is not None:
                self.session.expire(held, MOVED)
        self.updates, self.history, self.audits, self.moved = [], [], [], []
        self.plain_pending = []

    def finish(self) -> None:
        """Discard, then expire any ORM copy of a plainly moved enrollment loaded meanwhile."""
        self.discard()
        if not self.plain_moved:
            return
        for loaded in list(self.session.identity_map.values()):
            key = instance_state(loaded).key
            if isinstance(loaded, Enrollment) and key is not None and key[1][0] in self.plain_moved:
                self.session.expire(loaded, MOVED)

    def hold(self) -> None:
        """Note the enrollments the session held before the file (expired when moved plainly)."""
        for loaded in self.session.identity_map.values():
            key = instance_state(loaded).key
            if isinstance(loaded, Enrollment) and key is not None:
                self.held[key[1][0]] = loaded

    def _update_enrollments(self) -> None:
        # One executemany in row order (an enrollment moved twice is updated in its order).
        # Measured at 100k rows on SQLite: faster than UPDATEs of ids grouped with IN (...).
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
                authorization_id=bindparam("b_authorization_id"),
                updated_at=bindparam("b_updated_at"),
                version=bindparam("b_version", type_=Integer) + 1,
            )
        )
        names = (
            "b_version",
            "b_status",
            "b_enrolled_on",
            "b_authorization_id",
            "b_id",
            "b_updated_at",
        )
        values = [dict(zip(names, queued, strict=True)) for queued in self.updates]
        connection = self.session.connection()
        result = connection.execute(statement, values)
        if connection.dialect.supports_sane_multi_rowcount and result.rowcount != len(values):
            # The same guard as the ORM's version check: someone changed a row meanwhile.
            raise Conflict(CHANGED)
