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
from collections import defaultdict
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
from calaim.ops.models.base import new_id, utc_now

CHANGED = "an enrollment changed while the file was applied; send it again"
UPDATE_CHUNK = 900  # ids per UPDATE (SQLite's bound-parameter limit is far above)
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
    # (version read, new status, enrolled date, enrollment id), in row order.
    updates: list[tuple[int, str, dt.date | None, uuid.UUID]] = field(default_factory=list)
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
    ) -> None:
        """Queue one checked move of an enrollment read as plain values (rtf_plain.py)."""
        if enrolled_on is not None:
            enrollment.enrolled_on = enrolled_on
        self.queue(
            enrollment.id,
            enrollment.version,
            self.person_ids[enrollment.member_id],
            current,
            target,
            source,
            enrollment.enrolled_on,
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
    ) -> dt.datetime:
        """Queue the three writes of one move from `version`; the time it is recorded at."""
        now = utc_now()
        self.updates.append((version, target.value, enrolled_on, enrollment_id))
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
        # One UPDATE per (version, status, enrolled date) and chunk of ids, lowest version first
        # (an enrollment moved twice in the file is updated in its order), all marked updated
        # now. Each statement's row count is checked: a changed row is a conflict.
        groups: dict[tuple[int, str, dt.date | None], list[uuid.UUID]] = defaultdict(list)
        for version, status, enrolled_on, enrollment_id in self.updates:
            groups[(version, status, enrolled_on)].append(enrollment_id)
        statement = (
            update(_TABLE)
            .where(
                _TABLE.c.id.in_(bindparam("b_ids", expanding=True)),
                _TABLE.c.version == bindparam("b_version", type_=Integer),
                enrollment_visible(self.actor),
            )
            .values(
                status=bindparam("b_status"),
                enrolled_on=bindparam("b_enrolled_on"),
                updated_at=bindparam("b_updated_at"),
                version=_TABLE.c.version + 1,
            )
        )
        connection, now = self.session.connection(), utc_now()
        for (version, status, enrolled_on), ids in sorted(groups.items(), key=_by_version):
            for start in range(0, len(ids), UPDATE_CHUNK):
                chunk = ids[start : start + UPDATE_CHUNK]
                values = {
                    "b_ids": chunk,
                    "b_version": version,
                    "b_status": status,
                    "b_enrolled_on": enrolled_on,
                    "b_updated_at": now,
                }
                if connection.execute(statement, values).rowcount != len(chunk):
                    # The same guard as the ORM's version check: someone changed a row meanwhile.
                    raise Conflict(CHANGED)


def _by_version(group: tuple[tuple[int, str, dt.date | None], list[uuid.UUID]]) -> int:
    return group[0][0]
