"""The ECM enrollment lifecycle as an explicit state machine (pure, no database).

The plan assigns a member to an ECM provider (assigned); the provider's first outreach attempt
starts outreach; the member agrees and is enrolled with a Lead Care Manager (policy-facts
§2.2, §2.4). Any active episode may be discontinued with a reason code (§2.6). Discontinued
is final: a later episode is a new assignment.
"""

from __future__ import annotations

from enum import StrEnum

from calaim.ops.errors import Conflict
from calaim.ops.models import EnrollmentStatus


class EnrollmentEvent(StrEnum):
    """What happens to an enrollment."""

    RECORD_OUTREACH = "record_outreach"
    ENROLL = "enroll"
    DISCONTINUE = "discontinue"


S = EnrollmentStatus
E = EnrollmentEvent

# Every allowed step; anything not listed is refused. Outreach attempts keep an episode in
# outreach; once enrolled, contacts are ECM services (encounters), not outreach.
TRANSITIONS: dict[tuple[EnrollmentStatus, EnrollmentEvent], EnrollmentStatus] = {
    (S.ASSIGNED, E.RECORD_OUTREACH): S.OUTREACH,
    (S.OUTREACH, E.RECORD_OUTREACH): S.OUTREACH,
    (S.OUTREACH, E.ENROLL): S.ENROLLED,
    (S.ASSIGNED, E.DISCONTINUE): S.DISCONTINUED,
    (S.OUTREACH, E.DISCONTINUE): S.DISCONTINUED,
    (S.ENROLLED, E.DISCONTINUE): S.DISCONTINUED,
}

# Statuses holding a provider's capacity and blocking a second assignment of the member.
ACTIVE_STATUSES: frozenset[EnrollmentStatus] = frozenset({S.ASSIGNED, S.OUTREACH, S.ENROLLED})
# Statuses in which the provider is still trying to reach the member.
REACHING_STATUSES: frozenset[EnrollmentStatus] = frozenset({S.ASSIGNED, S.OUTREACH})

_HINTS: dict[tuple[EnrollmentStatus, EnrollmentEvent], str] = {
    (S.ASSIGNED, E.ENROLL): "record an outreach attempt first",
    (S.ENROLLED, E.RECORD_OUTREACH): "contacts with an enrolled member are ECM services",
}


class IllegalEnrollmentTransition(Conflict):
    """The event is not allowed from the enrollment's current status."""

    def __init__(self, current: EnrollmentStatus, event: EnrollmentEvent) -> None:
        allowed = allowed_events(current)
        steps = ", ".join(f"{e.value} -> {TRANSITIONS[(current, e)].value}" for e in allowed)
        hint = _HINTS.get((current, event))
        super().__init__(
            f"cannot {event.value.replace('_', ' ')} on an enrollment that is {current.value}"
            + (f" ({hint})" if hint else "")
            + "; "
            + (f"allowed next steps: {steps}" if steps else "it is final: assign the member again")
        )
        self.current = current
        self.event = event


def allowed_events(current: EnrollmentStatus) -> list[EnrollmentEvent]:
    """The events allowed from `current`, in declaration order."""
    return [event for event in EnrollmentEvent if (current, event) in TRANSITIONS]


def next_status(current: EnrollmentStatus, event: EnrollmentEvent) -> EnrollmentStatus:
    """The status after `event`, or `IllegalEnrollmentTransition`."""
    target = TRANSITIONS.get((current, event))
    if target is None:
        raise IllegalEnrollmentTransition(current, event)
    return target
