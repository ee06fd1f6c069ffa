"""The closed-loop referral lifecycle as an explicit state machine (pure, no database).

DHCS Closed Loop Referrals (policy-facts §5.5) track a referral from receipt to a closed loop:
received -> accepted | declined; accepted -> in progress -> services received -> closed. An
accepted or in-progress referral may also close early with a closure reason (the member
declined, could not be reached: the discontinuation reasons of §2.6). Declined and closed are
terminal.
"""

from __future__ import annotations

from calaim.ops.errors import Conflict, InvalidRequest

# The statuses and events live with the model (like every other status enum in ops/models), so
# the model and ops/access never import this package; re-exported here for the callers.
from calaim.ops.models.referral import OPEN_STATUSES as OPEN_STATUSES
from calaim.ops.models.referral import TERMINAL_STATUSES as TERMINAL_STATUSES
from calaim.ops.models.referral import ReferralEvent as ReferralEvent
from calaim.ops.models.referral import ReferralStatus as ReferralStatus

S = ReferralStatus
E = ReferralEvent

# Every allowed step; anything not listed here is refused.
TRANSITIONS: dict[tuple[ReferralStatus, ReferralEvent], ReferralStatus] = {
    (S.RECEIVED, E.ACCEPT): S.ACCEPTED,
    (S.RECEIVED, E.DECLINE): S.DECLINED,
    (S.ACCEPTED, E.START): S.IN_PROGRESS,
    (S.IN_PROGRESS, E.RECORD_SERVICES): S.SERVICES_RECEIVED,
    (S.SERVICES_RECEIVED, E.CLOSE): S.CLOSED,
    # Early closure (member declined, unable to reach): the reason is required.
    (S.ACCEPTED, E.CLOSE): S.CLOSED,
    (S.IN_PROGRESS, E.CLOSE): S.CLOSED,
}

# Events that must carry a reason: a decline reason, or why a loop closed before services.
REASON_REQUIRED: frozenset[tuple[ReferralStatus, ReferralEvent]] = frozenset(
    {(S.RECEIVED, E.DECLINE), (S.ACCEPTED, E.CLOSE), (S.IN_PROGRESS, E.CLOSE)}
)


class IllegalTransition(Conflict):
    """The event is not allowed from the referral's current status."""

    def __init__(self, current: ReferralStatus, event: ReferralEvent) -> None:
        allowed = allowed_events(current)
        steps = ", ".join(f"{e.value} -> {TRANSITIONS[(current, e)].value}" for e in allowed)
        super().__init__(
            f"cannot {event.value} a referral that is {current.value}; "
            + (f"allowed next steps: {steps}" if steps else "it is final: no further steps")
        )
        self.current = current
        self.event = event
        self.allowed = allowed


class ReasonRequired(InvalidRequest):
    """A decline or an early closure was attempted without a reason."""


def allowed_events(current: ReferralStatus) -> list[ReferralEvent]:
    """The events allowed from `current`, in declaration order."""
    return [event for event in ReferralEvent if (current, event) in TRANSITIONS]


def next_status(
    current: ReferralStatus, event: ReferralEvent, reason: str | None = None
) -> ReferralStatus:
    """The status after `event`, or `IllegalTransition` / `ReasonRequired`."""
    target = TRANSITIONS.get((current, event))
    if target is None:
        raise IllegalTransition(current, event)
    if (current, event) in REASON_REQUIRED and not (reason and reason.strip()):
        raise ReasonRequired(
            f"{event.value} from {current.value} needs a reason "
            "(e.g. member declined, unable to reach, no capacity)",
            field="reason",
        )
    return target
