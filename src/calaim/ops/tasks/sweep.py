"""Make the tasks table match the clocks: create each wanted task once, close the ones the
workflow finished, and tell both parties of a loop that is running late.

Runs in `calaim worker` for everyone, and for one organization when its task list is opened
(so a workspace without a worker still shows its tasks). Idempotent: running it twice at the
same `now` changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from calaim.ops.calendar.business_days import local_zone
from calaim.ops.models import EnrollmentStatus
from calaim.ops.models.inbox import NotificationKind
from calaim.ops.models.task import Task, TaskKind, TaskStatus
from calaim.ops.notifications.delivery import Event, notify_organization
from calaim.ops.providers.repository import expiring_credentials
from calaim.ops.tasks import clocks, reentry_clocks
from calaim.ops.tasks.clocks import WantedTask
from calaim.ops.tasks.repository import ClockRepository

SWEPT = [
    TaskKind.AUTHORIZATION_DECISION.value,
    TaskKind.OUTREACH.value,
    TaskKind.CARE_PLAN_REVISION.value,
    TaskKind.LOOP_CLOSURE.value,
    TaskKind.CREDENTIAL_EXPIRY.value,
    *(kind.value for kind in reentry_clocks.KINDS),
]


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did."""

    created: int
    closed: int
    late_loops: int


def sweep(
    session: Session, now: dt.datetime, organization_id: uuid.UUID | None = None
) -> SweepResult:
    """Create missing clock tasks and close finished ones (for one organization, or all)."""
    clocks_read = ClockRepository(session, organization_id)
    wanted, late = _wanted(clocks_read, now)
    if organization_id is not None:
        wanted = [w for w in wanted if w.organization_id == organization_id]
    keys = {(w.organization_id, w.clock_key) for w in wanted}
    # A task whose subject still has a task of its kind, due another time: its deadline moved.
    moved = {(w.organization_id, w.kind.value, w.subject_id) for w in wanted}
    closed = 0
    for task in clocks_read.open_swept_tasks(SWEPT):
        if (task.organization_id, task.clock_key) not in keys:
            task.status = TaskStatus.DONE.value
            task.closed_at = now
            finished = (task.organization_id, task.kind, task.subject_id) not in moved
            task.note = task.note or ("finished in the workflow" if finished else "deadline moved")
            closed += 1
    closed += _close_answered_requests(clocks_read, wanted, now)
    existing = clocks_read.existing_keys()
    created = 0
    for want in wanted:
        if (want.organization_id, want.clock_key) in existing:
            continue
        session.add(_task(want, now))
        existing.add((want.organization_id, want.clock_key))
        created += 1
    for referral_id, member_id, due, parties, program in late:
        key = f"loop_late:{referral_id}:{due:%Y%m%d}"
        event = Event(NotificationKind.LOOP_LATE, "referral", referral_id, key, member_id,
                      program_id=program)  # fmt: skip
        for party in parties:
            if organization_id is None or party == organization_id:
                notify_organization(session, party, event, now)
    session.flush()
    return SweepResult(created, closed, len(late))


def _close_answered_requests(
    read: ClockRepository, wanted: list[WantedTask], now: dt.datetime
) -> int:
    """An information request is finished once its authorization is decided."""
    undecided = {w.subject_id for w in wanted if w.kind == TaskKind.AUTHORIZATION_DECISION}
    closed = 0
    for task in read.open_swept_tasks([TaskKind.INFORMATION_REQUEST.value]):
        if task.subject_id not in undecided:
            task.status = TaskStatus.DONE.value
            task.closed_at = now
            task.note = task.note or "the request was decided"
            closed += 1
    return closed


LateLoop = tuple[uuid.UUID, uuid.UUID, dt.datetime, set[uuid.UUID], str]


def _wanted(read: ClockRepository, now: dt.datetime) -> tuple[list[WantedTask], list[LateLoop]]:
    today = now.astimezone(local_zone()).date()
    wanted = [clocks.authorization_decision(a) for a in read.undecided_authorizations()]
    for status in (EnrollmentStatus.ASSIGNED, EnrollmentStatus.OUTREACH):
        wanted += [clocks.outreach(e, code) for e, code in read.enrollments(status)]
    enrolled = [e for e, _code in read.enrollments(EnrollmentStatus.ENROLLED)]
    plans = read.care_plans([e.id for e in enrolled])
    for enrollment in enrolled:
        revision = clocks.care_plan_revision(enrollment, plans.get(enrollment.id), today)
        if revision is not None:
            wanted.append(revision)
    until = today + clocks.EXPIRY_NOTICE
    expiring = expiring_credentials(read.session, until, read.organization_id)
    wanted += [clocks.credential_expiry(c, kind) for c, kind in expiring]
    for case in read.reentry_cases():
        wanted += reentry_clocks.reentry(case, today)
    late: list[LateLoop] = []
    for referral, since, plan_id in read.waiting_loops():
        closure = clocks.loop_closure(referral, since, plan_id)
        if closure is None:
            continue
        wanted.append(closure)
        if now > closure.due_at:
            parties = {referral.referring_organization_id, closure.organization_id}
            late.append(
                (referral.id, referral.member_id, closure.due_at, parties, referral.program_id)
            )
    return wanted, late


def _task(want: WantedTask, now: dt.datetime) -> Task:
    return Task(
        organization_id=want.organization_id,
        kind=want.kind.value,
        subject_type=want.subject_type,
        subject_id=want.subject_id,
        member_id=want.member_id,
        clock_key=want.clock_key,
        due_at=want.due_at,
        assignee_user_id=want.assignee_user_id,
        team_role=want.team_role.value if want.team_role else None,
        status=TaskStatus.OPEN.value,
        created_at=now,
    )
