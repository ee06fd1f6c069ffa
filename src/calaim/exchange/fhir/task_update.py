"""Apply a Task's status to a referral through the ops referral service (rules, audit, notices).

Partners jump: a Task may go from `requested` straight to `completed`. calaim walks the loop's
own steps to get there (accept, start, record services, close), each one checked, attributed
and audited, so the history reads as if the steps were taken one by one. An early closure
(Task `cancelled` / `failed`) is the only path that skips services, and it needs a reason.
"""

from __future__ import annotations

import datetime as dt
from collections import deque

from sqlalchemy.orm import Session

from calaim.exchange.fhir.errors import FhirInputError, TaskConflict
from calaim.exchange.fhir.status_map import from_task
from calaim.ops.access.permissions import Permission, require
from calaim.ops.errors import Forbidden
from calaim.ops.models import Referral, User
from calaim.ops.referrals.service import ReferralService
from calaim.ops.referrals.state import (
    REASON_REQUIRED,
    TRANSITIONS,
    ReasonRequired,
    ReferralEvent,
    ReferralStatus,
)

S = ReferralStatus
_EARLY_CLOSE = {(S.ACCEPTED, ReferralEvent.CLOSE), (S.IN_PROGRESS, ReferralEvent.CLOSE)}


def steps(current: ReferralStatus, target: ReferralStatus, early: bool) -> list[ReferralEvent]:
    """The shortest list of events from `current` to `target` ([] if already there)."""
    if current == target:
        return []
    queue: deque[tuple[ReferralStatus, list[ReferralEvent]]] = deque([(current, [])])
    seen = {current}
    while queue:
        status, path = queue.popleft()
        for (source, event), result in TRANSITIONS.items():
            # A normal close passes through services received; an early one must not.
            if source != status or result in seen:
                continue
            if result == S.CLOSED and ((source, event) in _EARLY_CLOSE) != early:
                continue
            if result == target:
                return [*path, event]
            seen.add(result)
            queue.append((result, [*path, event]))
    raise TaskConflict(
        f"the referral is {current.value}; it cannot become {target.value}"
        + (" by closing early" if early else ""),
        field="status",
    )


def apply_task_status(
    session: Session,
    actor: User,
    referral: Referral,
    *,
    status: str,
    business: str | None,
    reason: str | None,
    path: str,
    now: dt.datetime,
) -> list[ReferralEvent]:
    """Move `referral` to what the Task state means; the events applied ([] = unchanged)."""
    require(actor, Permission.FHIR_EXCHANGE)
    prefix = f"{path}." if path else ""
    target, early = from_task(status, business, f"{prefix}status")
    current = ReferralStatus(referral.status)
    if current == S.CLOSED and target == S.CLOSED:
        return []
    try:
        events = steps(current, target, early)
    except TaskConflict as error:
        raise TaskConflict(str(error), field=f"{prefix}status") from None
    service = ReferralService(session, actor)
    for event in events:
        needs_reason = (ReferralStatus(referral.status), event) in REASON_REQUIRED
        try:
            referral = service.transition(
                referral.id,
                event,
                expected_version=referral.version,
                reason=reason if needs_reason else None,
                now=now,
            )
        except ReasonRequired as error:
            raise FhirInputError(
                f"{error}; put it in Task.statusReason.text", field=f"{prefix}statusReason"
            ) from None
        except Forbidden as error:
            raise Forbidden(
                f"{prefix}status {status!r} needs step {event.value}: {error} "
                "(send the Bundle without this Task status, or as the receiving organization)"
            ) from None
    return events
