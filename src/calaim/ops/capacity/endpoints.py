"""Capacity API: a provider reads and sets its own capacity (never another's)."""

from __future__ import annotations

from calaim.ops.capacity.schemas import CapacityIn, CapacityOut, capacity_out
from calaim.ops.capacity.service import CapacityService
from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.routing import DomainRouter

router = DomainRouter(
    prefix="/capacity",
    tag="capacity",
    description="A provider's own capacity (places, beds free, waitlist); it feeds assignment "
    "and the coverage navigator.",
)


@router.put("", response_model=CapacityOut)
def set_capacity(
    body: CapacityIn, actor: ActorDep, session: SessionDep, now: NowDep
) -> CapacityOut:
    """Set the caller's organization's capacity (404 when it is not a provider); the answer is
    the capacity as saved. Others read it through the directory and the coverage navigator."""
    return capacity_out(CapacityService(session, actor).update(body.update(), now=now))
