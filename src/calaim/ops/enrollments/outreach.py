"""Outreach attempts (the OTF's rows, policy-facts §2.4, §5.3), recorded by the provider.

An attempt counts whether or not contact was made. The first one moves an assigned member into
outreach; attempts stop once the member is enrolled (contacts are then ECM services) or the
enrollment is discontinued.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.enrollments.repository import EnrollmentRepository
from calaim.ops.enrollments.service import NotTheProvider, check_date, flush
from calaim.ops.enrollments.state import EnrollmentEvent, next_status
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import (
    EnrollmentStatus,
    OutreachAttempt,
    OutreachMethod,
    OutreachOutcome,
    User,
)


class InvalidMinutes(InvalidRequest):
    """Time spent on an attempt must be zero or more minutes."""


class OutcomeContradicts(InvalidRequest):
    """The outcome says the member was (not) reached, `successful` says otherwise."""


@dataclass(frozen=True)
class Attempt:
    """What the provider reports about one outreach attempt."""

    attempted_on: dt.date
    method: OutreachMethod
    successful: bool
    minutes: int
    note: str | None = None
    # What came of it; when given, `successful` must agree with it (reached or not).
    outcome: OutreachOutcome | None = None


class OutreachService:
    """Recording and listing outreach attempts on behalf of one user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.repository = EnrollmentRepository(session, actor)

    def record(
        self, enrollment_id: uuid.UUID, attempt: Attempt, *, today: dt.date, now: dt.datetime
    ) -> OutreachAttempt:
        """Record one attempt by the assigned provider (at `now`); the first starts outreach."""
        require(self.actor, Permission.OUTREACH_RECORD)
        enrollment = self.repository.get(enrollment_id, action="enrollment.read_for_update")
        if self.actor.organization_id != enrollment.provider_organization_id:
            raise NotTheProvider(
                "only staff of the member's assigned ECM provider may record outreach attempts"
            )
        current = EnrollmentStatus(enrollment.status)
        target = next_status(current, EnrollmentEvent.RECORD_OUTREACH)
        if attempt.minutes < 0:
            raise InvalidMinutes(
                f"minutes must be 0 or more (got {attempt.minutes}); record the time spent",
                field="minutes",
            )
        if attempt.outcome is not None and attempt.outcome.reached != attempt.successful:
            raise OutcomeContradicts(
                f"outcome {attempt.outcome.value!r} and successful={attempt.successful} "
                "disagree; a member who was reached is a successful attempt",
                field="outcome",
            )
        check_date(
            attempt.attempted_on,
            field="attempted_on",
            not_before=enrollment.assigned_on,
            today=today,
        )
        row = OutreachAttempt(
            enrollment_id=enrollment.id,
            attempted_on=attempt.attempted_on,
            method=OutreachMethod(attempt.method).value,
            successful=attempt.successful,
            minutes=attempt.minutes,
            outcome=attempt.outcome.value if attempt.outcome else None,
            note=attempt.note,
            recorded_by_user_id=self.actor.id,
            recorded_at=now,
        )
        self.session.add(row)
        started = enrollment.outreach_started_on
        if started is None or attempt.attempted_on < started:
            # Outreach starts on the earliest attempt, even one reported late.
            enrollment.outreach_started_on = attempt.attempted_on
            enrollment.updated_at = now
        if current != target:
            enrollment.status = target.value
            self.repository.history(enrollment, current, target, "first outreach attempt", at=now)
        self.repository.audit(
            "enrollment.outreach_attempt",
            enrollment,
            {
                "attempted_on": attempt.attempted_on.isoformat(),
                "method": row.method,
                "successful": attempt.successful,
                "minutes": attempt.minutes,
                "outcome": row.outcome,
                "from": current.value,
                "to": target.value,
            },
        )
        flush(self.session, enrollment.id, None)
        return row

    def attempts(self, enrollment_id: uuid.UUID) -> list[OutreachAttempt]:
        """The attempts on a visible enrollment, oldest first (the read is audited)."""
        require(self.actor, Permission.ENROLLMENT_READ)
        enrollment = self.repository.get(enrollment_id, action="enrollment.outreach_read")
        return self.repository.attempts(enrollment)
