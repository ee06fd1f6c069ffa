"""calaim's closed-loop referral statuses <-> SDOHCC Task.status (+ businessStatus), as data.

Task.status is coarser than calaim's loop in two places, so businessStatus (calaim's own code
system, assumption) tells them apart: `services_received` and a normally `closed` loop are both
Task `completed`; an early closure (member declined, unreachable) is Task `cancelled`. A
received referral is `requested` (the SDOHCC Task's starting status), not `received`, which in
FHIR means a performer has claimed the task.
"""

from __future__ import annotations

from dataclasses import dataclass

from calaim.exchange.fhir.errors import FhirInputError
from calaim.ops.referrals.state import ReferralStatus

S = ReferralStatus


@dataclass(frozen=True)
class TaskState:
    """A Task's status and businessStatus code."""

    status: str
    business: str


# (calaim status, closed early?) -> Task state. Every calaim status appears (a test checks).
TO_TASK: dict[tuple[ReferralStatus, bool], TaskState] = {
    (S.RECEIVED, False): TaskState("requested", "received"),
    (S.ACCEPTED, False): TaskState("accepted", "accepted"),
    (S.DECLINED, False): TaskState("rejected", "declined"),
    (S.IN_PROGRESS, False): TaskState("in-progress", "in-progress"),
    (S.SERVICES_RECEIVED, False): TaskState("completed", "services-received"),
    (S.CLOSED, False): TaskState("completed", "closed"),
    (S.CLOSED, True): TaskState("cancelled", "closed-early"),
}

# Task states a partner may send that are not calaim's own export, read as the nearest status.
_EXTRA: dict[TaskState, tuple[ReferralStatus, bool]] = {
    TaskState("requested", ""): (S.RECEIVED, False),
    TaskState("received", ""): (S.RECEIVED, False),
    TaskState("accepted", ""): (S.ACCEPTED, False),
    TaskState("rejected", ""): (S.DECLINED, False),
    TaskState("in-progress", ""): (S.IN_PROGRESS, False),
    TaskState("completed", ""): (S.SERVICES_RECEIVED, False),
    TaskState("failed", ""): (S.CLOSED, True),
    TaskState("cancelled", ""): (S.CLOSED, True),
}

FROM_TASK: dict[TaskState, tuple[ReferralStatus, bool]] = {
    **{state: key for key, state in TO_TASK.items()},
    **_EXTRA,
}
# Statuses with no calaim meaning: a located error names them.
UNSUPPORTED = ("draft", "ready", "on-hold", "entered-in-error")


def to_task(status: ReferralStatus, closed_early: bool = False) -> TaskState:
    """The Task state of a referral (`closed_early` only matters for closed)."""
    return TO_TASK[(status, closed_early and status == S.CLOSED)]


def from_task(status: str, business: str | None, field: str) -> tuple[ReferralStatus, bool]:
    """The calaim status (and whether closed early) a Task state means, or a located error."""
    exact = FROM_TASK.get(TaskState(status, business or ""))
    if exact is not None:
        return exact
    coarse = FROM_TASK.get(TaskState(status, ""))
    if coarse is not None:
        return coarse
    known = sorted({state.status for state in TO_TASK.values()} | {"received", "failed"})
    raise FhirInputError(
        f"Task.status {status!r} has no closed-loop meaning in calaim; use one of "
        + ", ".join(known),
        field=field,
    )


def closed_early(closure_reason: str | None) -> bool:
    """Whether a closed loop ended before services (calaim writes 'services received' else)."""
    return closure_reason is not None and closure_reason != "services received"


def table() -> list[dict[str, str | bool]]:
    """The map as rows, for the API and the docs."""
    return [
        {
            "calaim_status": status.value,
            "closed_early": early,
            "task_status": state.status,
            "business_status": state.business,
        }
        for (status, early), state in TO_TASK.items()
    ]
