"""Network API: a lead routes referrals to its member CBOs, names them as rendering providers
on its claims, and splits each month's payments by the members' terms; members read their
own terms and distributions."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query

from calaim.ops.billing.period import BillingPeriod
from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.routing import DomainRouter
from calaim.ops.network.schemas import (
    MONTH,
    AttributedOut,
    MembershipOut,
    PeriodIn,
    RouteOut,
    ShareOut,
    membership_out,
    route_out,
    share_out,
)
from calaim.ops.network.service import NetworkService

router = DomainRouter(
    prefix="/network",
    tag="network",
    description="Community networks: a lead agency routes referrals to its member CBOs by "
    "capacity, language and county, bills the plan for them and distributes the payments.",
)


@router.post("/referrals/{referral_id}/route", response_model=RouteOut, status_code=201)
def route(referral_id: uuid.UUID, actor: ActorDep, session: SessionDep, now: NowDep) -> RouteOut:
    """Route a referral the lead received to the member CBO that fits best."""
    return route_out(NetworkService(session, actor).route(referral_id, now=now))


@router.post("/claims/attribute", response_model=AttributedOut)
def attribute(body: PeriodIn, actor: ActorDep, session: SessionDep) -> AttributedOut:
    """Name the member that rendered each of the lead's claims of a month (837P 2310B)."""
    start = BillingPeriod.parse(body.period).start
    return AttributedOut(named=NetworkService(session, actor).attribute(start))


@router.post("/distributions", response_model=list[ShareOut])
def distribute(body: PeriodIn, actor: ActorDep, session: SessionDep, now: NowDep) -> list[ShareOut]:
    """Split a month's payments by each member's terms (stored; run again after late 835s)."""
    start = BillingPeriod.parse(body.period).start
    shares = NetworkService(session, actor).distribute(body.period, start, now=now)
    return [share_out(s) for s in shares]


@router.get("/distributions", response_model=list[ShareOut])
def distributions(
    actor: ActorDep, session: SessionDep, period: Annotated[str | None, Query(pattern=MONTH)] = None
) -> list[ShareOut]:
    """Stored distributions (a lead: its network's; a member: its own)."""
    return [share_out(d) for d in NetworkService(session, actor).distributions(period)]


@router.get("/members", response_model=list[MembershipOut])
def members(actor: ActorDep, session: SessionDep, now: NowDep) -> list[MembershipOut]:
    """Memberships in force today (a lead: its network; a member: its own terms)."""
    return [membership_out(m) for m in NetworkService(session, actor).memberships(now.date())]
