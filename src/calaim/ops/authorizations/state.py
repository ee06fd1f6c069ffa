"""The authorization lifecycle as an explicit state machine (pure, no database).

A request is pending until the plan decides. Where the plan's terms allow it, service starts
at once under a presumptive authorization while the plan still decides (ECM from 2025, some
Community Supports from 2025-07). Approved, denied and withdrawn are final: a longer period
is a reauthorization (a new authorization linked to the previous one), never a reopening.
"""

from __future__ import annotations

from enum import StrEnum

from calaim.ops.errors import Conflict, InvalidRequest
from calaim.ops.models.authorization import AuthorizationStatus


class AuthorizationEvent(StrEnum):
    """What the plan or the requester does to an authorization."""

    PRESUME = "presume"
    APPROVE = "approve"
    DENY = "deny"
    WITHDRAW = "withdraw"


S = AuthorizationStatus
E = AuthorizationEvent

# Every allowed step; anything not listed here is refused.
TRANSITIONS: dict[tuple[AuthorizationStatus, AuthorizationEvent], AuthorizationStatus] = {
    (S.PENDING, E.PRESUME): S.PRESUMPTIVE,
    (S.PENDING, E.APPROVE): S.APPROVED,
    (S.PENDING, E.DENY): S.DENIED,
    (S.PENDING, E.WITHDRAW): S.WITHDRAWN,
    # The plan still decides a presumptive authorization (or the requester withdraws it).
    (S.PRESUMPTIVE, E.APPROVE): S.APPROVED,
    (S.PRESUMPTIVE, E.DENY): S.DENIED,
    (S.PRESUMPTIVE, E.WITHDRAW): S.WITHDRAWN,
}

# Awaiting the plan's decision: these count for the decision clock and the overdue queue.
UNDECIDED: frozenset[AuthorizationStatus] = frozenset({S.PENDING, S.PRESUMPTIVE})
TERMINAL: frozenset[AuthorizationStatus] = frozenset({S.APPROVED, S.DENIED, S.WITHDRAWN})


class IllegalAuthorizationTransition(Conflict):
    """The event is not allowed from the authorization's current status."""

    def __init__(self, current: AuthorizationStatus, event: AuthorizationEvent) -> None:
        allowed = allowed_events(current)
        steps = ", ".join(f"{e.value} -> {TRANSITIONS[(current, e)].value}" for e in allowed)
        super().__init__(
            f"cannot {event.value} an authorization that is {current.value}; "
            + (
                f"allowed next steps: {steps}"
                if steps
                else "it is final: request a reauthorization or a new authorization instead"
            )
        )
        self.current = current
        self.event = event


class DenialReasonRequired(InvalidRequest):
    """A denial needs a reason code from the vocabulary and a text."""


def allowed_events(current: AuthorizationStatus) -> list[AuthorizationEvent]:
    """The events allowed from `current`, in declaration order."""
    return [event for event in AuthorizationEvent if (current, event) in TRANSITIONS]


def next_status(current: AuthorizationStatus, event: AuthorizationEvent) -> AuthorizationStatus:
    """The status after `event`, or `IllegalAuthorizationTransition`."""
    target = TRANSITIONS.get((current, event))
    if target is None:
        raise IllegalAuthorizationTransition(current, event)
    return target
