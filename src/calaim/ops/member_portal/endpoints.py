"""Member accounts API: the member's plan opens an account for the member, or for a person the
member authorized, to sign in to the member's own pages (/app/me) with a one-time code."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.fields import UtcDateTime, bounded
from calaim.ops.http.routing import DomainRouter
from calaim.ops.member_portal.signin import open_account
from calaim.ops.members.service import MemberService
from calaim.ops.models.member_account import AccountHolder

router = DomainRouter(
    prefix="/member-accounts",
    tag="member-accounts",
    description="Accounts for members (or their authorized representatives) to see their own "
    "record on the member pages: opened by the member's plan; the holder signs in with a code "
    "sent to this email, the member's CIN and date of birth (docs/member.md).",
)


class AccountIn(BaseModel):
    """Who may sign in to the member's own pages."""

    model_config = ConfigDict(extra="forbid")

    member_id: uuid.UUID
    email: Annotated[str, bounded(320, 3)] = Field(description="Where sign-in codes are sent.")
    name: Annotated[str, bounded(200)] = Field(description="The account holder's name.")
    holder: AccountHolder = Field(
        AccountHolder.SELF, description="`self`, or `representative` (a person the member named)."
    )


class AccountOut(BaseModel):
    """An opened member account."""

    id: uuid.UUID
    member_id: uuid.UUID
    email: str
    holder: AccountHolder
    created_at: UtcDateTime


@router.post("", response_model=AccountOut, status_code=201)
def open_member_account(
    body: AccountIn, actor: ActorDep, session: SessionDep, now: NowDep
) -> AccountOut:
    """Open an account on a member of the caller's plan (`member.write`); audited."""
    member = MemberService(session, actor).get(body.member_id)
    account = open_account(session, actor, member, (body.email, body.name, body.holder), now)
    return AccountOut(
        id=account.id,
        member_id=member.id,
        email=account.user.email,
        holder=AccountHolder(account.holder),
        created_at=account.created_at,
    )
