"""Search API bodies: what was found, in the words the caller's scope allows."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, Field

from calaim.ops.models import Authorization, Member, Referral
from calaim.ops.search.query import reference
from calaim.ops.search.service import SearchResults


class MemberHit(BaseModel):
    """A member found (only for those who may see members)."""

    id: uuid.UUID
    first_name: str
    last_name: str
    birth_date: dt.date
    cin: str | None
    county: str


class ReferralHit(BaseModel):
    """A referral found; referrers see the member's first name and last initial only."""

    id: uuid.UUID
    number: str = Field(description="The referral number shown on its page, e.g. R-1A2B3C4D.")
    program_id: str
    status: str
    member_name: str


class AuthorizationHit(BaseModel):
    """An authorization found."""

    id: uuid.UUID
    number: str = Field(description="The authorization number, e.g. A-1A2B3C4D.")
    program_id: str
    status: str
    member_id: uuid.UUID


class SearchOut(BaseModel):
    """What a search found; `kind` says how the text was read (null: too short to search)."""

    kind: str | None
    members: list[MemberHit]
    referrals: list[ReferralHit]
    authorizations: list[AuthorizationHit]


def member_hit(member: Member) -> MemberHit:
    """A member result."""
    return MemberHit(
        id=member.id,
        first_name=member.first_name,
        last_name=member.last_name,
        birth_date=member.birth_date,
        cin=member.cin,
        county=member.county,
    )


def referral_hit(referral: Referral) -> ReferralHit:
    """A referral result (the member named as referral pages name them to referrers)."""
    member = referral.member
    return ReferralHit(
        id=referral.id,
        number=reference("R", referral.id),
        program_id=referral.program_id,
        status=referral.status,
        member_name=f"{member.first_name} {member.last_name[:1]}.",
    )


def authorization_hit(authorization: Authorization) -> AuthorizationHit:
    """An authorization result."""
    return AuthorizationHit(
        id=authorization.id,
        number=reference("A", authorization.id),
        program_id=authorization.program_id,
        status=authorization.status,
        member_id=authorization.member_id,
    )


def search_out(results: SearchResults) -> SearchOut:
    """The response body of a search."""
    return SearchOut(
        kind=results.query.kind.value if results.query else None,
        members=[member_hit(m) for m in results.members],
        referrals=[referral_hit(r) for r in results.referrals],
        authorizations=[authorization_hit(a) for a in results.authorizations],
    )
