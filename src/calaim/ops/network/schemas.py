"""Network API bodies."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from calaim.ops.models.network import NetworkMembership, NetworkRoute
from calaim.ops.network.service import Share

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class PeriodIn(BaseModel):
    """One month of the lead's billing."""

    model_config = ConfigDict(extra="forbid")

    period: str = Field(pattern=MONTH, description="A month, YYYY-MM.")


class RouteOut(BaseModel):
    """Where a referral went in the network, and the ranking that chose it."""

    referral_id: uuid.UUID
    member_organization_id: uuid.UUID
    member_name: str
    routed_at: dt.datetime
    ranking: list[dict[str, Any]]


def route_out(route: NetworkRoute) -> RouteOut:
    """A route's response body."""
    chosen = next(
        r for r in route.ranking if r["organization_id"] == str(route.member_organization_id)
    )
    return RouteOut(
        referral_id=route.referral_id,
        member_organization_id=route.member_organization_id,
        member_name=str(chosen["name"]),
        routed_at=route.routed_at,
        ranking=route.ranking,
    )


class AttributedOut(BaseModel):
    """How many of the month's claims now name the member that rendered them."""

    named: int


class ShareOut(BaseModel):
    """One member's month: paid lines, what the plan paid, the member's and the lead's part."""

    model_config = ConfigDict(from_attributes=True)

    member_organization_id: uuid.UUID
    lines: int
    gross: Decimal
    member_receives: Decimal
    lead_keeps: Decimal


def share_out(share: Share | Any) -> ShareOut:
    """A share's (or a stored distribution's) response body."""
    return ShareOut.model_validate(share)


class MembershipOut(BaseModel):
    """A member of a network and its terms."""

    model_config = ConfigDict(from_attributes=True)

    lead_organization_id: uuid.UUID
    member_organization_id: uuid.UUID
    share: Decimal
    fee_per_line: Decimal
    started_on: dt.date
    ended_on: dt.date | None


def membership_out(row: NetworkMembership) -> MembershipOut:
    """A membership's response body."""
    return MembershipOut.model_validate(row)
